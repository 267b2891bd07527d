package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/dialer"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// TestTabsScreenshots: two tabs, on the demo server over FTP and over
// SFTP, a download from the first running in the shared queue while the
// second is shown.
func TestTabsScreenshots(t *testing.T) {
	stop, servers, err := StartDemo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	for _, size := range shotSizes {
		t.Run(sizeName(size), func(t *testing.T) {
			a := test.NewTempApp(t)
			local := t.TempDir()
			for _, f := range []string{"notes.txt", "budget.ods", "photo.jpg"} {
				os.WriteFile(filepath.Join(local, f), []byte(strings.Repeat("x", 12345)), 0o644)
			}
			os.Mkdir(filepath.Join(local, "Downloads"), 0o755)
			a.Preferences().SetString(prefLocalDir, local)
			pool := engine.NewPool(dialer.Dialer{}, engine.PoolOptions{})
			defer pool.Close()
			b, _ := bridgedQueue(t, pool, queue.Options{})
			var w *Window
			onUI(func() {
				w = New(a, Options{Dialer: dialer.Dialer{}, Pool: pool, Transfers: b, KnownHostsFile: filepath.Join(t.TempDir(), "known_hosts")})
				w.win.Resize(size)
				s := w.currentSettings()
				s.DownloadLimit, s.LimitsOn = 40<<10, true // the download is still running when shot
				w.setSettings(s)
				w.useTab("Demo over FTP")
				w.Connect(servers[0].Config, "/Photos/Holiday 2024")
			})
			defer onUI(func() { w.queue.Close(); w.closeTab(w.tab); w.CloseTab() })
			waitFor(t, "tab 1 listing", func() bool { return hasRow(w.remote, "beach.jpg") })
			onUI(func() {
				w.remote.table.SelectName("beach.jpg")
				w.download()
				w.useTab("Demo over SFTP")
				w.Connect(servers[1].Config, "/Documents")
			})
			waitFor(t, "tab 2 listing", func() bool { return len(w.tabs) == 2 && hasRow(w.remote, "notes with spaces.md") })
			waitFor(t, "download running", func() bool {
				return len(w.queue.rows[0]) == 1 && w.queue.rows[0][0].State == Running && w.queue.rows[0][0].Done > 0
			})
			onUI(func() {
				w.remote.table.SelectName("Reports 2024")
				// The status bar grew (the speed limit): lay it out again, as
				// the desktop driver does on its own.
				w.win.Resize(size.AddWidthHeight(1, 0))
				w.win.Resize(size)
			})
			time.Sleep(300 * time.Millisecond)
			shot(t, w, "tabs-"+sizeName(size))
		})
	}
}

// TestFirstRunScreenshots: the window of a new user, no site saved.
func TestFirstRunScreenshots(t *testing.T) {
	for _, size := range shotSizes {
		t.Run(sizeName(size), func(t *testing.T) {
			w, _ := firstRunWindow(t)
			onUI(func() { w.win.Resize(size) })
			waitFor(t, "first-run card", func() bool { return firstRunShown(w) })
			time.Sleep(300 * time.Millisecond)
			shot(t, w, "first-run-"+sizeName(size))
		})
	}
}
