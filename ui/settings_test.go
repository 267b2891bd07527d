package ui

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// settingsWindow is the window on the real queue over fs with a site store
// in dir (where settings.json lives), connected to /home.
func settingsWindow(t *testing.T, fs *fakeFS, dir string) (*Window, fyne.App) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLocalDir, t.TempDir())
	st, err := bookmarks.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	pool := engine.NewPool(fs, engine.PoolOptions{})
	t.Cleanup(func() { pool.Close() })
	b, _ := bridgedQueue(t, pool, queue.Options{RetryDelay: time.Millisecond, Retries: queue.NoRetries})
	var w *Window
	onUI(func() { w = New(a, Options{Pool: pool, Transfers: b, Sites: st}) })
	t.Cleanup(func() { w.queue.Close(); w.setStore.saving.Wait() })
	return w, a
}

func connectHome(t *testing.T, w *Window) {
	t.Helper()
	onUI(func() { w.Connect(engine.Config{Host: "h", User: "u", Password: "p"}, "/home") })
	waitFor(t, "connected", func() bool { return w.connected && w.remote.cwd == "/home" && w.local.cwd != "" })
}

// TestSettingsDialogSavesAndAppliesAtOnce: Edit → Settings…, change the
// transfers at once and the theme, Save: settings.json holds them (written
// whole), the queue runs that many at once, and the next window reads them.
func TestSettingsDialogSavesAndAppliesAtOnce(t *testing.T) {
	dir := t.TempDir()
	fs := newFakeFS()
	for i := range 6 {
		fs.addFile(fmt.Sprintf("/home/f%d.bin", i), strings.Repeat("x", 1000))
	}
	fs.retrDelay = 150 * time.Millisecond
	w, _ := settingsWindow(t, fs, dir)
	connectHome(t, w)
	onUI(func() { w.win.Resize(fyne.NewSize(1280, 800)) })
	onUI(w.showSettings)
	waitFor(t, "settings dialog", func() bool { return w.win.Canvas().Overlays().Top() != nil })
	var f *settingsForm
	onUI(func() {
		f = w.settingsForm
		f.parallel.SetText("1")
		f.siteConns.SetText("4")
		f.theme.SetSelected("Dark")
	})
	shot(t, w, "settings-dialog")
	onUI(func() { tapButton(t, w, "Save") })
	waitFor(t, "settings.json", func() bool {
		raw, err := os.ReadFile(filepath.Join(dir, SettingsName))
		var s Settings
		return err == nil && json.Unmarshal(raw, &s) == nil && s.Parallel == 1 && s.Theme == "dark"
	})
	onUI(func() {
		for i := range 6 {
			w.opts.Transfers.Download(w.cfg, fmt.Sprintf("/home/f%d.bin", i), w.local.cwd, fmt.Sprintf("f%d.bin", i), false, 1000)
		}
	})
	waitFor(t, "6 downloads", func() bool { _, _, d := w.queue.Counts(); return d == 6 })
	fs.mu.Lock()
	most := fs.maxRunning
	fs.mu.Unlock()
	if most != 1 {
		t.Errorf("%d transfers ran at once with \"transfers at once\" 1", most)
	}
	bg := theme.Color(theme.ColorNameBackground)
	if r, g, b, _ := bg.RGBA(); r+g+b > 3*0x8000 {
		t.Errorf("background %v with the dark theme", bg)
	}
	w2, _ := settingsWindow(t, newFakeFS(), dir)
	waitFor(t, "settings read by the next window", func() bool { return w2.currentSettings().Parallel == 1 })
}

// TestSettingSiteConnections: "per site at most" is the pool's limit: with
// 3, three downloads of one site run at once; with 1, one.
func TestSettingSiteConnections(t *testing.T) {
	for _, n := range []int{1, 3} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			fs := newFakeFS()
			for i := range 3 {
				fs.addFile(fmt.Sprintf("/home/f%d.bin", i), "data")
			}
			fs.retrDelay = 300 * time.Millisecond
			w, _ := settingsWindow(t, fs, t.TempDir())
			onUI(func() {
				s := w.currentSettings()
				s.SiteConnections = n
				w.setSettings(s)
			})
			connectHome(t, w)
			onUI(func() {
				w.remote.table.SelectAll()
				w.download()
			})
			waitFor(t, "3 downloads", func() bool { _, _, d := w.queue.Counts(); return d == 3 })
			fs.mu.Lock()
			most := fs.maxRunning
			fs.mu.Unlock()
			if most != n {
				t.Errorf("%d at once, want %d", most, n)
			}
		})
	}
}

// TestSettingSpeedLimit: a download limit slows the queue's downloads and
// shows in the status bar; its button turns the limit off.
func TestSettingSpeedLimit(t *testing.T) {
	fs := newFakeFS()
	fs.addFile("/home/a.bin", strings.Repeat("a", 96*1024))
	fs.addFile("/home/b.bin", strings.Repeat("b", 96*1024))
	w, _ := settingsWindow(t, fs, t.TempDir())
	connectHome(t, w)
	onUI(func() {
		s := w.currentSettings()
		s.DownloadLimit, s.LimitsOn = 48*1024, true
		w.setSettings(s)
		if !strings.Contains(w.limits.Text, "↓ 48") {
			t.Errorf("status bar says %q", w.limits.Text)
		}
	})
	time.Sleep(100 * time.Millisecond) // the queue applies it in the background
	start := time.Now()
	onUI(func() {
		w.remote.table.SelectName("a.bin")
		w.download()
	})
	waitFor(t, "a.bin", func() bool { _, _, d := w.queue.Counts(); return d == 1 })
	if el := time.Since(start); el < 1500*time.Millisecond {
		t.Errorf("96 KiB at 48 KiB/s took %v", el)
	}
	onUI(func() {
		test.Tap(w.limits)
		if !strings.Contains(w.limits.Text, "(off)") {
			t.Errorf("status bar says %q after the toggle", w.limits.Text)
		}
	})
	time.Sleep(100 * time.Millisecond)
	start = time.Now()
	onUI(func() {
		w.remote.table.SelectName("b.bin")
		w.download()
	})
	waitFor(t, "b.bin", func() bool { _, _, d := w.queue.Counts(); return d == 2 })
	if el := time.Since(start); el > time.Second*raceSlowdown {
		t.Errorf("96 KiB without a limit took %v", el)
	}
}

// TestSettingDefaultOverwrite: the default action for an existing download
// target is used without asking.
func TestSettingDefaultOverwrite(t *testing.T) {
	for _, tt := range []struct{ action, want string }{{"overwrite", "server"}, {"skip", "mine"}} {
		t.Run(tt.action, func(t *testing.T) {
			fs := newFakeFS()
			fs.addFile("/home/a.txt", "server")
			w, _ := settingsWindow(t, fs, t.TempDir())
			onUI(func() {
				s := w.currentSettings()
				s.OverwriteDownload = tt.action
				w.setSettings(s)
			})
			connectHome(t, w)
			var target string
			onUI(func() { target = filepath.Join(w.local.cwd, "a.txt") })
			if err := os.WriteFile(target, []byte("mine"), 0o644); err != nil {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond)
			onUI(func() {
				w.remote.table.SelectName("a.txt")
				w.download()
			})
			waitFor(t, "finished", func() bool { _, f, d := w.queue.Counts(); return f+d == 1 })
			if w.win.Canvas().Overlays().Top() != nil {
				t.Error("asked anyway")
			}
			if got, _ := os.ReadFile(target); string(got) != tt.want {
				t.Errorf("target holds %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSettingsConnectionReachTheEngine: timeout, keep-alive, transfer mode,
// external IP and port range are in the config of the browsing connection
// and of the queue's transfer connections; a saved site's own mode wins.
func TestSettingsConnectionReachTheEngine(t *testing.T) {
	fs := newFakeFS()
	fs.addFile("/home/a.txt", "a")
	w, _ := settingsWindow(t, fs, t.TempDir())
	onUI(func() {
		s := w.currentSettings()
		s.TimeoutSeconds, s.KeepAliveSeconds, s.Mode = 7, 30, "active"
		s.ExternalIP, s.PortMin, s.PortMax = "192.0.2.7", 50000, 50010
		w.setSettings(s)
	})
	connectHome(t, w)
	onUI(func() {
		w.remote.table.SelectName("a.txt")
		w.download()
	})
	waitFor(t, "a.txt", func() bool { _, f, d := w.queue.Counts(); return d+f == 1 })
	onUI(func() {
		if _, f, _ := w.queue.Counts(); f > 0 {
			t.Fatalf("%+v", w.queue.rows[1][0])
		}
	})
	fs.mu.Lock()
	cfgs := append([]engine.Config(nil), fs.cfgs...)
	fs.mu.Unlock()
	// What the queue connects with, from now on.
	var cfg engine.Config
	onUI(func() { cfg = w.cfg })
	queued, err := w.opts.Transfers.(*QueueBridge).Config(t.Context(), cfg.Key(), cfg.URL(""))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range append(cfgs, queued) {
		if c.Timeout != 7*time.Second || c.KeepAlive != 30*time.Second || c.Mode != engine.ModeActive ||
			c.ActiveExternalIP != "192.0.2.7" || c.ActivePortMin != 50000 || c.ActivePortMax != 50010 {
			t.Errorf("connection %d: timeout %v keep-alive %v mode %v external %q ports %d-%d", i,
				c.Timeout, c.KeepAlive, c.Mode, c.ActiveExternalIP, c.ActivePortMin, c.ActivePortMax)
		}
	}
	if got := DefaultSettings().connect(engine.Config{Mode: engine.ModePassive}).Mode; got != engine.ModePassive {
		t.Errorf("a site's own mode became %v", got)
	}
}

// TestSettingShowHiddenFiles: off hides dot files in both panes; on shows them.
func TestSettingShowHiddenFiles(t *testing.T) {
	fs := newFakeFS()
	fs.addFile("/home/.htaccess", "x")
	fs.addFile("/home/index.html", "y")
	w, _ := settingsWindow(t, fs, t.TempDir())
	connectHome(t, w)
	waitFor(t, "listing", func() bool { return rowOf(w.remote.table, ".htaccess") >= 0 })
	onUI(func() {
		s := w.currentSettings()
		s.ShowHidden = false
		w.setSettings(s)
		if rowOf(w.remote.table, ".htaccess") >= 0 || rowOf(w.remote.table, "index.html") < 0 {
			t.Error("hidden file shown with \"show hidden files\" off")
		}
	})
	onUI(func() { w.remote.Refresh() })
	time.Sleep(100 * time.Millisecond)
	onUI(func() {
		if rowOf(w.remote.table, ".htaccess") >= 0 {
			t.Error("hidden file back after a refresh")
		}
		s := w.currentSettings()
		s.ShowHidden = true
		w.setSettings(s)
	})
	waitFor(t, "shown again", func() bool { return rowOf(w.remote.table, ".htaccess") >= 0 })
}

// TestSettingPreserveTimestamps: a download gets the server's time.
func TestSettingPreserveTimestamps(t *testing.T) {
	for _, on := range []bool{true, false} {
		t.Run(fmt.Sprint(on), func(t *testing.T) {
			fs := newFakeFS()
			fs.stat = true
			fs.addFile("/home/a.txt", "a")
			w, _ := settingsWindow(t, fs, t.TempDir())
			onUI(func() {
				s := w.currentSettings()
				s.PreserveTimes = on
				w.setSettings(s)
			})
			connectHome(t, w)
			time.Sleep(50 * time.Millisecond)
			onUI(func() {
				w.remote.table.SelectName("a.txt")
				w.download()
			})
			waitFor(t, "a.txt", func() bool { _, _, d := w.queue.Counts(); return d == 1 })
			var local string
			onUI(func() { local = filepath.Join(w.local.cwd, "a.txt") })
			fi, err := os.Stat(local)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.ModTime().Equal(fakeModTime); got != on {
				t.Errorf("local time %v, server's %v", fi.ModTime(), fakeModTime)
			}
		})
	}
}

// TestSettingVerifyChecksums: with verification on, a download whose bytes
// do not match the server's checksum fails; off, it is not checked.
func TestSettingVerifyChecksums(t *testing.T) {
	for _, on := range []bool{true, false} {
		t.Run(fmt.Sprint(on), func(t *testing.T) {
			fs := newFakeFS()
			fs.sums, fs.badSum = true, true
			fs.addFile("/home/a.txt", "a")
			w, _ := settingsWindow(t, fs, t.TempDir())
			onUI(func() {
				s := w.currentSettings()
				s.VerifyChecksum = on
				w.setSettings(s)
			})
			connectHome(t, w)
			time.Sleep(50 * time.Millisecond)
			onUI(func() {
				w.remote.table.SelectName("a.txt")
				w.download()
			})
			waitFor(t, "finished", func() bool { _, f, d := w.queue.Counts(); return f+d == 1 })
			onUI(func() {
				_, failed, _ := w.queue.Counts()
				if (failed == 1) != on {
					t.Errorf("verify %v: %d failed", on, failed)
				}
				if on && !strings.Contains(w.queue.rows[1][0].Reason, "mismatch") {
					t.Errorf("reason %q", w.queue.rows[1][0].Reason)
				}
			})
		})
	}
}

// TestSiteMaximumConnectionsWinsOverTheSettings: a saved site's "Maximum
// connections" (the site form's Transfer settings) is its limit, not the
// settings' per-site default; without one the settings decide.
func TestSiteMaximumConnectionsWinsOverTheSettings(t *testing.T) {
	for _, c := range []struct{ own, want int }{{1, 1}, {0, 3}} {
		t.Run(fmt.Sprint(c.own), func(t *testing.T) {
			fs := newFakeFS()
			for i := range 3 {
				fs.addFile(fmt.Sprintf("/home/f%d.bin", i), "data")
			}
			fs.retrDelay = 300 * time.Millisecond
			w, _ := settingsWindow(t, fs, t.TempDir())
			onUI(func() {
				s := w.currentSettings()
				s.SiteConnections = 3
				w.setSettings(s)
			})
			site := &bookmarks.Site{Name: "s", Host: "h", User: "u", RemoteDir: "/home", MaxConnections: c.own}
			onUI(func() { w.connectSiteConfig(site, "p", engine.Config{Host: "h", User: "u", Password: "p"}) })
			waitFor(t, "connected", func() bool { return w.connected && w.remote.cwd == "/home" && w.local.cwd != "" })
			onUI(func() {
				w.remote.table.SelectAll()
				w.download()
			})
			waitFor(t, "3 downloads", func() bool { _, _, d := w.queue.Counts(); return d == 3 })
			fs.mu.Lock()
			most := fs.maxRunning
			fs.mu.Unlock()
			if most != c.want {
				t.Errorf("%d at once, want %d", most, c.want)
			}
		})
	}
}
