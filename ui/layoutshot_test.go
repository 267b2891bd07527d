package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// relayout lays the window out again after texts changed their widths
// (the status bar's limits), as the real driver does before every frame
// (Canvas.EnsureMinSize) and the test canvas does not.
func relayout(w *Window) { onUI(func() { w.win.Content().Refresh() }) }

// demoFS is a server with the folders and files of a small web site and
// some documents, as a user's would look.
func demoFS() *fakeFS {
	fs := newFakeFS()
	kib := func(n int) string { return strings.Repeat("x", n*1024) }
	for _, f := range []struct {
		path string
		kib  int
	}{
		{"/home/Documents/Reports 2025/q1-report.pdf", 300}, {"/home/Documents/Reports 2025/q2-report.pdf", 700},
		{"/home/Documents/invoice-0042.pdf", 12}, {"/home/Photos/harbour.jpg", 450}, {"/home/Photos/portrait.png", 380},
		{"/home/Photos/sunset.jpg", 520}, {"/home/Software/skiff-demo-1.0.tar.gz", 4096}, {"/home/site/index.html", 4},
		{"/home/site/css/style.css", 2}, {"/home/site/img/logo.png", 24}, {"/home/Music/intro.ogg", 900},
		{"/home/backup-2025-11.tar.gz", 2048}, {"/home/readme.txt", 1}, {"/home/notes.md", 3},
	} {
		fs.addFile(f.path, kib(f.kib))
	}
	fs.addDir("/home/Empty folder")
	return fs
}

// shotWindow is a window of size on the real queue over fs.
func shotWindow(t *testing.T, size fyne.Size, fs *fakeFS) *Window {
	t.Helper()
	a := test.NewTempApp(t)
	local := t.TempDir()
	for _, d := range []string{"Documents", "Downloads", "Music", "Pictures", "Projects"} {
		if err := os.Mkdir(filepath.Join(local, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(local, "notes.txt"), []byte("to do"), 0o644); err != nil {
		t.Fatal(err)
	}
	a.Preferences().SetString(prefLocalDir, local)
	a.Preferences().SetFloat(prefWidth, float64(size.Width))
	a.Preferences().SetFloat(prefHeight, float64(size.Height))
	st, err := bookmarks.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pool := engine.NewPool(fs, engine.PoolOptions{})
	t.Cleanup(func() { pool.Close() })
	b, _ := bridgedQueue(t, pool, queue.Options{RetryDelay: time.Millisecond})
	var w *Window
	onUI(func() { w = New(a, Options{Pool: pool, Transfers: b, Sites: st}) })
	t.Cleanup(func() { w.queue.Close(); w.setStore.saving.Wait() })
	return w
}

// TestShotMainWindow: the window connected to a server, downloading three
// folders, at both sizes; the trees and the tables show their rows and the
// queue shows the transfers running.
func TestShotMainWindow(t *testing.T) {
	for _, size := range shotSizes {
		t.Run(sizeName(size), func(t *testing.T) {
			w := shotWindow(t, size, demoFS())
			connectHome(t, w)
			into := filepath.Join(w.local.cwd, "Downloads")
			onUI(func() {
				s := w.currentSettings()
				s.DownloadLimit = 96 << 10 // bytes per second: the transfers stay on screen
				w.setSettings(s)
				for _, d := range []string{"Photos", "Documents", "Software"} {
					w.opts.Transfers.Download(w.cfg, "/home/"+d, into, d, true, -1)
				}
			})
			waitFor(t, "two transfers under way", func() bool {
				running := 0
				for _, r := range w.queue.rows[0] {
					if r.State == Running && r.Done > 0 {
						running++
					}
				}
				return running == 2
			})
			onUI(func() {
				w.local.Open(w.local.cwd) // the Downloads folder the queue made
				w.remote.table.tap(rowOf(w.remote.table, "Photos"), 0, false)
			})
			time.Sleep(refreshEvery + 50*time.Millisecond) // the queue pane's next refresh
			var got layoutRows
			onUI(func() { got = measureLayout(w) })
			if got.tree < 5 || got.table < 7 {
				t.Errorf("%v", got)
			}
			relayout(w)
			shot(t, w, "main-"+sizeName(size))
		})
	}
}

// TestShotSettingsDialog: Edit → Settings… at both sizes.
func TestShotSettingsDialog(t *testing.T) {
	for _, size := range shotSizes {
		t.Run(sizeName(size), func(t *testing.T) {
			w := shotWindow(t, size, demoFS())
			connectHome(t, w)
			onUI(w.showSettings)
			waitFor(t, "settings dialog", func() bool { return w.win.Canvas().Overlays().Top() != nil })
			relayout(w)
			shot(t, w, "settings-"+sizeName(size))
		})
	}
}

// TestShotRestoredQueue: a download queued in the last run waits for its
// site after a restart, at both sizes.
func TestShotRestoredQueue(t *testing.T) {
	for _, size := range shotSizes {
		t.Run(sizeName(size), func(t *testing.T) {
			fs := demoFS()
			pool := engine.NewPool(fs, engine.PoolOptions{})
			t.Cleanup(func() { pool.Close() })
			db := filepath.Join(t.TempDir(), "queue.db")
			site := engine.Config{Host: "ftp.example.org", User: "demo", Password: "p"}
			last, err := queue.New(pool, queue.Options{Path: db, Hold: true, Config: NewQueueBridge().Config})
			if err != nil {
				t.Fatal(err)
			}
			local := t.TempDir()
			for _, f := range []string{"Photos/harbour.jpg", "Photos/portrait.png", "Software/skiff-demo-1.0.tar.gz", "backup-2025-11.tar.gz"} {
				if _, err := last.Add(queue.Job{Direction: queue.Download, Site: site.Key(), SiteRef: site.URL(""), Remote: "/home/" + f,
					Local: local, Name: filepath.Base(f), Size: 1 << 20, Policy: queue.Ask, Restart: true}); err != nil {
					t.Fatal(err)
				}
			}
			last.Close()

			a := test.NewTempApp(t)
			a.Preferences().SetString(prefLocalDir, local)
			a.Preferences().SetFloat(prefWidth, float64(size.Width))
			a.Preferences().SetFloat(prefHeight, float64(size.Height))
			b, _ := bridgedQueue(t, pool, queue.Options{Path: db, RetryDelay: 1})
			var w *Window
			onUI(func() { w = New(a, Options{Pool: pool, Transfers: b}) })
			t.Cleanup(func() { w.queue.Close() })
			waitFor(t, "the restored items waiting", func() bool {
				n := 0
				for _, r := range w.queue.rows[0] {
					if r.State == Paused && strings.Contains(r.Reason, "waiting for") {
						n++
					}
				}
				return n == 4 && w.local.cwd == local
			})
			time.Sleep(refreshEvery + 50*time.Millisecond)
			relayout(w)
			shot(t, w, "restored-queue-"+sizeName(size))
		})
	}
}
