package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine/ftp"
	"github.com/skiff-ftp/skiff/internal/demo"
)

// firstRunWindow builds the window on a real FTP dialer and a site store in
// a temp dir holding sites.
func firstRunWindow(t *testing.T, sites ...bookmarks.Site) (*Window, *bookmarks.Store) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLocalDir, t.TempDir())
	st := testStore(t)
	if _, err := st.Update(func(tr *bookmarks.Tree) error {
		for _, s := range sites {
			if _, err := tr.AddSite(bookmarks.RootID, s); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { time.Sleep(200 * time.Millisecond) }) // the store's background writes
	var w *Window
	onUI(func() {
		w = New(a, Options{Dialer: ftp.Dialer{}, Transfers: &fakeQueue{}, Sites: st})
		w.win.Resize(fyne.NewSize(1280, 800))
	})
	t.Cleanup(func() {
		onUI(func() {
			w.queue.Close()
			w.Disconnect()
			w.stopDemo()
		})
	})
	return w, st
}

func firstRunShown(w *Window) bool {
	return w.tab.first.card.Visible() && !w.remote.split.Visible()
}

// TestFirstRunCardWithoutSites: with no saved site and no connection the
// remote pane says how to start; its buttons focus the quick-connect bar
// and open the site manager; saving a site makes it go.
func TestFirstRunCardWithoutSites(t *testing.T) {
	w, st := firstRunWindow(t)
	waitFor(t, "first-run card", func() bool { return firstRunShown(w) })
	onUI(func() {
		txt := w.tab.first.text.Text
		for _, want := range []string{"quick-connect bar", "Site Manager", "Import from FileZilla", "demo server"} {
			if !strings.Contains(txt, want) {
				t.Errorf("first-run text lacks %q", want)
			}
		}
		if w.local.split.Visible() != true {
			t.Error("the local pane lost its table")
		}
		test.Tap(w.tab.first.quick)
		if w.win.Canvas().Focused() != w.qc.host {
			t.Error("Quick connect did not focus the host field")
		}
		test.Tap(w.tab.first.sites)
		if w.win.Canvas().Overlays().Top() == nil {
			t.Error("Site Manager… opened nothing")
		}
	})
	// A site saved (as the site manager does, which then reloads).
	if _, err := st.Update(func(tr *bookmarks.Tree) error {
		_, err := tr.AddSite(bookmarks.RootID, bookmarks.Site{Name: "Work", Host: "ftp.example"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	onUI(func() { w.sites.reload(nil) })
	waitFor(t, "card gone with a saved site", func() bool { return !w.tab.first.card.Visible() && w.remote.split.Visible() })
}

// TestFirstRunCardNotShownWithSites: a user with saved sites sees the
// panes, not the card.
func TestFirstRunCardNotShownWithSites(t *testing.T) {
	w, _ := firstRunWindow(t, bookmarks.Site{Name: "Work", Host: "ftp.example"})
	waitFor(t, "sites read", func() bool { return w.sitesLoaded })
	onUI(func() {
		if w.tab.first.card.Visible() || !w.remote.split.Visible() {
			t.Error("first-run card shown although a site is saved")
		}
	})
}

// TestFirstRunDemoButtonConnects: the demo button starts the in-process
// demo server on 127.0.0.1, connects the tab and lists the sample tree; the
// card goes while connected and comes back after Disconnect.
func TestFirstRunDemoButtonConnects(t *testing.T) {
	w, _ := firstRunWindow(t)
	waitFor(t, "first-run card", func() bool { return firstRunShown(w) })
	onUI(func() { test.Tap(w.tab.first.demo) })
	waitFor(t, "demo tree listed", func() bool {
		return hasRow(w.remote, "README.txt") && hasRow(w.remote, demo.ManyDir) && hasRow(w.remote, "Photos")
	})
	onUI(func() {
		if firstRunShown(w) {
			t.Error("card still shown while connected")
		}
		if w.cfg.Host != "127.0.0.1" || w.cfg.User != demo.User {
			t.Errorf("connected to %s@%s", w.cfg.User, w.cfg.Host)
		}
		if w.tab.item.Text != demoName {
			t.Errorf("tab title %q", w.tab.item.Text)
		}
		w.Disconnect()
		if !firstRunShown(w) {
			t.Error("card not back after Disconnect")
		}
	})
}
