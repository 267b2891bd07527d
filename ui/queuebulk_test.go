package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// menuItem returns the item labelled label of the window's menu called menu.
func menuItem(t *testing.T, w *Window, menu, label string) *fyne.MenuItem {
	t.Helper()
	for _, m := range w.win.MainMenu().Items {
		if m.Label != menu {
			continue
		}
		for _, it := range m.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no %s → %s", menu, label)
	return nil
}

// TestQueueMenuBulkActions: the Queue menu's actions on the real queue —
// retry all failed, remove all successful, process queue off and on — a
// notification when a run ends, and the progress in the title.
func TestQueueMenuBulkActions(t *testing.T) {
	fs := newFakeFS()
	fs.addFile("/home/a.bin", strings.Repeat("a", 5000))
	fs.addFile("/home/b.bin", strings.Repeat("b", 5000))
	w, _ := settingsWindow(t, fs, t.TempDir())
	connectHome(t, w)
	test.AssertNotificationSent(t, fyne.NewNotification("Skiff: transfers finished", "2 successful, 1 failed"), func() {
		onUI(func() {
			w.remote.table.SelectAll()
			w.download()
			w.opts.Transfers.Download(w.cfg, "/home/c.bin", w.local.cwd, "c.bin", false, 10)
		})
		waitFor(t, "2 done, 1 failed", func() bool { _, f, d := w.queue.Counts(); return d == 2 && f == 1 })
		time.Sleep(3 * refreshEvery) // the notification follows the last rebuild
	})

	fs.addFile("/home/c.bin", "now here!!") // the 10 bytes queued
	onUI(func() { menuItem(t, w, "Queue", "Retry all failed").Action() })
	waitFor(t, "c.bin retried", func() bool { _, f, d := w.queue.Counts(); return d == 3 && f == 0 })
	onUI(func() { menuItem(t, w, "Queue", "Remove all successful").Action() })
	waitFor(t, "successful removed", func() bool { _, _, d := w.queue.Counts(); return d == 0 })

	// Held: a new download waits, with the progress in the title.
	fs.addFile("/home/d.bin", "d")
	onUI(func() { menuItem(t, w, "Queue", "Process queue").Action() })
	time.Sleep(100 * time.Millisecond)
	onUI(func() {
		w.opts.Transfers.Download(w.cfg, "/home/d.bin", w.local.cwd, "d.bin", false, 1)
	})
	waitFor(t, "queued", func() bool { q, _, _ := w.queue.Counts(); return q == 1 })
	time.Sleep(300 * time.Millisecond)
	onUI(func() {
		if q, _, d := w.queue.Counts(); q != 1 || d != 0 || w.queue.rows[0][0].State != Queued {
			t.Errorf("held queue: %d queued, %d done", q, d)
		}
		if title := w.win.Title(); !strings.HasPrefix(title, "(0%, 1 left)") {
			t.Errorf("title %q", title)
		}
		if menuItem(t, w, "Queue", "Process queue").Checked {
			t.Error("Process queue still checked")
		}
	})
	// The run after "Remove all successful" counts its own transfers.
	test.AssertNotificationSent(t, fyne.NewNotification("Skiff: transfers finished", "1 successful, 0 failed"), func() {
		onUI(func() { menuItem(t, w, "Queue", "Process queue").Action() })
		waitFor(t, "done after processing again", func() bool { _, _, d := w.queue.Counts(); return d == 1 })
		waitFor(t, "no progress in the title", func() bool { return !strings.HasPrefix(w.win.Title(), "(") })
		time.Sleep(3 * refreshEvery)
	})
}
