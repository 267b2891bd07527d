package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

// TestQueueScreenshots: the queue with its columns, three items selected,
// while two downloads run (held to 300 kB/s so they show progress, speed
// and time left), at 1280×800 and 1920×1080 (docs/queue-*.png with
// SKIFF_SHOTS=docs).
func TestQueueScreenshots(t *testing.T) {
	fs := newFakeFS()
	names := []string{"ubuntu-24.04-desktop.iso", "backup-2026-12.tar.gz", "photos/IMG_0412.jpg", "photos/IMG_0413.jpg",
		"photos/IMG_0414.jpg", "report.pdf", "notes.txt", "music/track01.flac", "music/track02.flac", "video.mkv"}
	sizes := map[string]int64{}
	for i, n := range names {
		size := 40_000 + i*7_000
		if i < 2 {
			size = 3_000_000
		}
		flat := strings.ReplaceAll(n, "/", "-")
		fs.addFile("/home/"+flat, strings.Repeat("x", size))
		sizes[flat] = int64(size)
	}
	fs.addFile("/home/missing-here.txt", "x")
	w, _ := settingsWindow(t, fs, t.TempDir())
	connectHome(t, w)
	b := w.opts.Transfers.(*QueueBridge)
	q := b.queue()
	q.SetRate(300_000, 0)
	q.SetParallel(2)
	onUI(func() {
		w.win.Resize(fyne.NewSize(1280, 800))
		w.mainSplit.SetOffset(0.5)
		b.Batch(func() {
			for _, n := range names {
				flat := strings.ReplaceAll(n, "/", "-")
				b.Download(w.cfg, "/home/"+flat, w.local.cwd, flat, false, sizes[flat])
			}
			b.Download(w.cfg, "/home/gone.txt", w.local.cwd, "gone.txt", false, 12)
		})
	})
	waitFor(t, "two running with progress", func() bool {
		running := 0
		for _, it := range w.queue.rows[0] {
			if it.State == Running && it.Done > 0 {
				running++
			}
		}
		return running == 2
	})
	onUI(func() {
		// Three queued items, by Ctrl+click.
		w.queue.tap(3, 0, false)
		w.queue.tap(5, fyne.KeyModifierShortcutDefault, false)
		w.queue.tap(6, fyne.KeyModifierShortcutDefault, false)
		if n := len(w.queue.Selected()); n != 3 {
			t.Fatalf("%d selected", n)
		}
	})
	time.Sleep(1500 * time.Millisecond) // progress and speed settle
	for _, size := range []fyne.Size{{Width: 1280, Height: 800}, {Width: 1920, Height: 1080}} {
		onUI(func() { w.win.Resize(size) })
		time.Sleep(3 * refreshEvery)
		onUI(func() {
			// Lay out again as the driver does each frame when a label
			// (the queue's status) grew; the test canvas does not.
			w.win.Content().Refresh()
			if !strings.HasPrefix(w.win.Title(), "(") {
				t.Errorf("no progress in the title %q", w.win.Title())
			}
			if got := header(t, w.queue, qcStatus).label.Text; got != "Status" {
				t.Errorf("status header %q", got)
			}
		})
		shot(t, w, fmt.Sprintf("queue-%dx%d", int(size.Width), int(size.Height)))
	}
}
