package ui

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/ftp"
	"github.com/skiff-ftp/skiff/engine/queue"
	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// realWindow builds the window on a real pool and queue (as main does),
// with the local pane in localDir and downloads limited to rate bytes/s.
func realWindow(t *testing.T, localDir string, rate int64) (*Window, *QueueBridge) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLocalDir, localDir)
	pool := engine.NewPool(ftp.Dialer{}, engine.PoolOptions{})
	t.Cleanup(func() { pool.Close() })
	b, _ := bridgedQueue(t, pool, queue.Options{RetryDelay: 10 * time.Millisecond})
	var w *Window
	onUI(func() {
		w = New(a, Options{Dialer: ftp.Dialer{}, Pool: pool, Transfers: b})
		w.win.Resize(fyne.NewSize(1280, 800))
		if rate > 0 { // the settings' limit, which the window applies over the queue's
			s := w.currentSettings()
			s.DownloadLimit, s.LimitsOn = rate, true
			w.setSettings(s)
		}
	})
	t.Cleanup(func() { onUI(func() { w.queue.Close() }) })
	return w, b
}

// typeQuickConnect types s into the quick-connect bar (plain FTP) and presses
// Quickconnect.
func typeQuickConnect(w *Window, s *ftptest.Server) {
	onUI(func() {
		w.qc.host.SetText(s.Host)
		w.qc.user.SetText(s.User)
		w.qc.pass.SetText(s.Password)
		w.qc.port.SetText(strconv.Itoa(s.Port))
		w.qc.security.SetSelectedIndex(int(engine.Plain))
		w.qc.Connect()
	})
}

func hasRow(p *pane, name string) bool { return rowOf(p.table, name) >= 0 }

// TestTwoTabsOnTwoServers connects two tabs to two different real servers:
// each lists its own files, a download queued in the first goes on while
// the second browses and after the first tab is closed, and the log tells
// the two connections apart.
func TestTwoTabsOnTwoServers(t *testing.T) {
	sa := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	sb := ftptest.Start(t, ftptest.KindGo, ftptest.Options{})
	big := make([]byte, 3<<20)
	rand.Read(big)
	sa.WriteFile(t, "only-on-a.txt", []byte("a"))
	sa.WriteFile(t, "big.bin", big)
	sb.WriteFile(t, "only-on-b.txt", []byte("b"))
	sb.WriteFile(t, "docs/inside-b.txt", []byte("bb"))

	local := t.TempDir()
	w, _ := realWindow(t, local, 256<<10) // big.bin takes about 12 s: still running when tab 2 has browsed
	typeQuickConnect(w, sa)
	waitFor(t, "tab 1 lists server A", func() bool { return hasRow(w.remote, "only-on-a.txt") })
	t1 := w.tab
	onUI(func() {
		if len(w.tabs) != 1 || w.tabArea.Objects[0] != t1.panesSplit {
			t.Errorf("one tab shows a tab bar (%d tabs)", len(w.tabs))
		}
	})

	// The current tab is connected: quick-connect opens a second one.
	typeQuickConnect(w, sb)
	waitFor(t, "tab 2 lists server B", func() bool { return len(w.tabs) == 2 && hasRow(w.remote, "only-on-b.txt") })
	t2 := w.tab
	onUI(func() {
		if t2 == t1 || w.shown != t2 {
			t.Fatal("the second connection did not open in a new, shown tab")
		}
		if hasRow(t2.remote, "only-on-a.txt") || !hasRow(t1.remote, "only-on-a.txt") || hasRow(t1.remote, "only-on-b.txt") {
			t.Error("the tabs' remote panes mix the two servers")
		}
		if t1.item.Text != sa.Host || t2.item.Text != sb.Host {
			t.Errorf("tab titles %q %q", t1.item.Text, t2.item.Text)
		}
		if w.tabArea.Objects[0] != w.tabBar || len(w.tabBar.Items) != 2 {
			t.Error("two tabs but no tab bar")
		}
		if !strings.Contains(w.win.Title(), sb.User+"@"+sb.Host) {
			t.Errorf("window title %q", w.win.Title())
		}
	})

	// Back to tab 1 (clicking its handle): queue a download of big.bin.
	onUI(func() {
		w.tabBar.Select(t1.item)
		if w.tab != t1 || w.remote != t1.remote || w.conn != t1.conn {
			t.Fatal("selecting tab 1 did not make it current")
		}
		w.remote.table.SelectName("big.bin")
		w.download()
	})
	waitFor(t, "download running", func() bool {
		for _, it := range w.queue.rows[0] {
			if it.State == Running && it.Done > 0 {
				return true
			}
		}
		return false
	})
	// Tab 2 browses meanwhile (Ctrl+Tab, then into docs/).
	onUI(func() {
		w.nextTab(1)
		if w.tab != t2 {
			t.Fatal("Ctrl+Tab did not go to tab 2")
		}
		w.remote.Open("/docs")
	})
	waitFor(t, "tab 2 browsed into docs", func() bool { return w.remote.cwd == "/docs" && hasRow(w.remote, "inside-b.txt") })
	onUI(func() {
		if n, _, d := w.queue.Counts(); n != 1 || d != 0 {
			t.Errorf("the download did not go on while tab 2 browsed: %d queued, %d done", n, d)
		}
		if t1.remote.cwd != "/" {
			t.Errorf("tab 1's folder changed to %q", t1.remote.cwd)
		}
	})

	// Close tab 1 while its download runs: it disconnects, the queue keeps
	// the transfer, which finishes.
	onUI(func() {
		r1 := t1.conn
		w.closeTab(t1)
		if len(w.tabs) != 1 || w.tab != t2 || w.conn == nil || t1.conn != nil {
			t.Errorf("after closing tab 1: %d tabs, current is tab 2: %v", len(w.tabs), w.tab == t2)
		}
		if r1.life.Err() == nil {
			t.Error("closing a connected tab did not disconnect it")
		}
		if w.tabArea.Objects[0] != t2.panesSplit {
			t.Error("one tab left but the tab bar stays")
		}
	})
	onUI(func() { // lift the speed limit: the transfer finishes now
		s := w.currentSettings()
		s.LimitsOn = false
		w.setSettings(s)
	})
	waitFor(t, "download done after closing its tab", func() bool { _, _, d := w.queue.Counts(); return d == 1 })
	if got, err := os.ReadFile(filepath.Join(local, "big.bin")); err != nil || !bytes.Equal(got, big) {
		t.Fatalf("download differs (%d bytes, %v)", len(got), err)
	}
	// Tab 2 still browses its server.
	onUI(func() { w.remote.Open("/") })
	waitFor(t, "tab 2 lists its root again", func() bool { return w.remote.cwd == "/" && hasRow(w.remote, "only-on-b.txt") })
	onUI(func() {
		txt := w.msgs.Text()
		for _, s := range []*ftptest.Server{sa, sb} {
			if !strings.Contains(txt, "["+engine.Config{Host: s.Host, Port: s.Port}.Addr()+"] ") {
				t.Errorf("no log line tagged with %s", engine.Config{Host: s.Host, Port: s.Port}.Addr())
			}
			if strings.Contains(txt, s.Password) {
				t.Error("the message log shows a password")
			}
		}
	})
}

// TestTabsKeysAndMenu: Ctrl+T opens a tab on the same local folder, Ctrl+W
// closes it, the last tab stays (disconnected); connecting in an
// unconnected tab does not open another.
func TestTabsKeysAndMenu(t *testing.T) {
	w, _, _ := connected(t)
	shortcut := func(k fyne.KeyName, mod fyne.KeyModifier) { typeShortcut(w, k, mod) }
	first := w.tab
	onUI(func() { shortcut(fyne.KeyT, fyne.KeyModifierShortcutDefault) })
	onUI(func() {
		if len(w.tabs) != 2 || w.tab == first || w.conn != nil || w.remote == first.remote {
			t.Fatalf("Ctrl+T: %d tabs, new current %v", len(w.tabs), w.tab != first)
		}
		if w.tab.item.Text != "Not connected" || w.win.Title() != "Skiff" || w.status.Text != "Not connected." {
			t.Errorf("new tab: title %q, window %q, status %q", w.tab.item.Text, w.win.Title(), w.status.Text)
		}
	})
	waitFor(t, "new tab's local folder", func() bool { return w.local.cwd == first.local.cwd })
	// Connecting in the new, unconnected tab uses it.
	onUI(func() { w.useTab(""); w.Connect(engine.Config{Host: "other", User: "u"}, "/home/site") })
	waitFor(t, "second tab connected", func() bool { return w.remote.cwd == "/home/site" })
	onUI(func() {
		if len(w.tabs) != 2 || first.remote.cwd != "/home" {
			t.Errorf("%d tabs, first tab in %q", len(w.tabs), first.remote.cwd)
		}
		shortcut(fyne.KeyTab, fyne.KeyModifierControl)
		if w.tab != first || !strings.Contains(w.win.Title(), "u@h") || !strings.Contains(w.status.Text, "Connected to u@h") {
			t.Errorf("Ctrl+Tab: current is first %v, title %q, status %q", w.tab == first, w.win.Title(), w.status.Text)
		}
		shortcut(fyne.KeyW, fyne.KeyModifierShortcutDefault) // closes the first tab
		if len(w.tabs) != 1 || w.tab == first || w.cfg.Host != "other" {
			t.Errorf("Ctrl+W: %d tabs, host %q", len(w.tabs), w.cfg.Host)
		}
		shortcut(fyne.KeyW, fyne.KeyModifierShortcutDefault) // the last tab stays, disconnected
		if len(w.tabs) != 1 || w.conn != nil || w.remote.table.rows() != 0 || w.tab.item.Text != "Not connected" {
			t.Errorf("closing the last tab: %d tabs, connected %v", len(w.tabs), w.conn != nil)
		}
	})
	// File ▸ New tab does what Ctrl+T does.
	onUI(func() {
		for _, it := range w.win.MainMenu().Items[0].Items {
			if it.Label == "New tab" {
				it.Action()
			}
		}
		if len(w.tabs) != 2 {
			t.Errorf("File ▸ New tab: %d tabs", len(w.tabs))
		}
	})
}

// typeShortcut fires the window's shortcut for k with mod.
func typeShortcut(w *Window, k fyne.KeyName, mod fyne.KeyModifier) {
	type shortcutHandler interface{ TypedShortcut(fyne.Shortcut) }
	w.win.Canvas().(shortcutHandler).TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: mod})
}
