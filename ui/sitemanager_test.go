package ui

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
)

// testStore is a site store in a temp dir with an in-memory keychain. Its
// writes finish in the background: the test's end waits for them before
// the temp dir goes.
func testStore(t *testing.T) *bookmarks.Store {
	t.Helper()
	st, err := bookmarks.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	st.Secrets = bookmarks.MockKeychain()
	t.Cleanup(func() { time.Sleep(200 * time.Millisecond) })
	return st
}

func newSiteTestWindow(t *testing.T) (*Window, *fakeFS, *bookmarks.Store) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLocalDir, t.TempDir())
	st := testStore(t)
	fs := newFakeFS()
	fs.addFile("/srv/www/index.html", "x")
	var w *Window
	onUI(func() { w = New(a, Options{Dialer: fs, Transfers: &fakeQueue{}, Sites: st}) })
	t.Cleanup(func() { w.queue.Close(); w.win.Close() })
	return w, fs, st
}

// newSiteShown opens w's site manager on a new site and returns it once
// the form shows that site.
func newSiteShown(t *testing.T, w *Window) *siteManager {
	t.Helper()
	sm := w.sites
	shown := make(chan string, 10)
	sm.afterSelect = func(id string) {
		select {
		case shown <- id:
		default: // nobody waits any more
		}
	}
	onUI(func() { sm.show(); sm.newSite() })
	for id := range shown {
		if _, ok := sm.tree.Site(id); ok {
			break
		}
	}
	return sm
}

func TestSiteManagerNewSiteSavesPasswordInKeychainAndConnects(t *testing.T) {
	w, fs, st := newSiteTestWindow(t)
	sm := newSiteShown(t, w)
	onUI(func() {
		f := sm.form
		f.host.SetText("ftp.example.org")
		f.port.SetText("2121")
		f.user.SetText("alice")
		f.pass.SetText("s3cret")
		f.remoteDir.SetText("/srv/www")
		f.encryption.SetSelectedIndex(1)
		f.mode.SetSelected("Passive")
		sm.save(nil)
	})
	waitFor(t, "saved", func() bool { s, ok := sm.tree.Site(sm.sel); return ok && s.Host == "ftp.example.org" })
	var s *bookmarks.Site
	onUI(func() { s, _ = sm.tree.Site(sm.sel) })
	if s.Port != 2121 || s.User != "alice" || s.Security != bookmarks.TLSExplicit || s.Mode != bookmarks.ModePassive {
		t.Errorf("saved %+v", s)
	}
	pw, err := st.Secrets.Get(context.Background(), s.ID)
	if err != nil || pw != "s3cret" {
		t.Fatalf("keychain: %q %v", pw, err)
	}
	// --site "New site" connects with the password from the keychain
	onUI(func() {
		w.Disconnect()
		sm.connectByPath("New site")
	})
	waitFor(t, "connected to remote dir", func() bool { return w.remote.cwd == "/srv/www" })
	if w.cfg.Password != "s3cret" || w.cfg.Security != engine.TLSExplicit || w.cfg.Mode != engine.ModePassive {
		t.Errorf("config %v mode %v", w.cfg, w.cfg.Mode)
	}
	if fs.dials == 0 {
		t.Error("never dialed")
	}
}

func TestSiteManagerFoldersRenameDuplicateDelete(t *testing.T) {
	w, _, st := newSiteTestWindow(t)
	sm := w.sites
	onUI(func() {
		sm.show()
		sm.newFolder()
	})
	waitFor(t, "folder", func() bool { return sm.tree.IsFolder(sm.sel) && sm.sel != "" })
	var folder, site string
	onUI(func() {
		folder = sm.sel
		sm.newSite()
	})
	waitFor(t, "site in folder", func() bool { p, ok := sm.tree.Parent(sm.sel); return ok && p.ID == folder })
	onUI(func() {
		site = sm.sel
		sm.change(func() error { return st.Rename(site, "Web") })
	})
	waitFor(t, "renamed", func() bool { return sm.name(site) == "Web" })
	onUI(func() {
		sm.sel = site
		sm.duplicate()
	})
	waitFor(t, "duplicate", func() bool { return len(sm.tree.Children(folder)) == 2 })
	onUI(func() {
		sm.sel = folder
		sm.change(func() error { return st.Delete(context.Background(), folder) })
	})
	waitFor(t, "deleted", func() bool { return len(sm.tree.Children(bookmarks.RootID)) == 0 })
}

func TestSiteManagerWithoutKeychainSaysSo(t *testing.T) {
	w, _, st := newSiteTestWindow(t)
	st.Secrets = nil
	sm := newSiteShown(t, w)
	onUI(func() {
		if sm.form.keychainNote.Text != noKeychainNote {
			t.Errorf("note %q", sm.form.keychainNote.Text)
		}
		sm.form.pass.SetText("pw")
		sm.save(nil)
	})
	waitFor(t, "note after save", func() bool { return strings.Contains(sm.form.keychainNote.Text, "not saved") })
	raw, err := os.ReadFile(st.Path())
	if err != nil || strings.Contains(string(raw), `"pw"`) {
		t.Errorf("site file %s (%v)", raw, err)
	}
}

func TestImportFromFileZillaShowsSummary(t *testing.T) {
	w, _, st := newSiteTestWindow(t)
	onUI(func() { w.importFileZillaFrom("../bookmarks/testdata/sitemanager.xml") })
	waitFor(t, "summary", func() bool { return w.lastImport != nil })
	if len(w.lastImport.Imported) == 0 {
		t.Fatalf("nothing imported: %s", w.lastImport)
	}
	tree, err := st.Load()
	if err != nil || len(tree.Sites()) != len(w.lastImport.Imported) {
		t.Fatalf("store has %d sites (%v), summary %d", len(tree.Sites()), err, len(w.lastImport.Imported))
	}
	waitFor(t, "summary dialog", func() bool { return w.win.Canvas().Overlays().Top() != nil })
}

// TestSiteManagerHintIsReadable: with no site selected the hint is laid out
// on one line, not one character per line.
func TestSiteManagerHintIsReadable(t *testing.T) {
	w, _, _ := newSiteTestWindow(t)
	onUI(func() { w.win.Resize(fyne.NewSize(1200, 780)); w.sites.show() })
	var size, line fyne.Size
	onUI(func() {
		size = w.sites.hint.Size()
		line = fyne.MeasureText(w.sites.hint.Text, theme.TextSize(), fyne.TextStyle{})
	})
	if size.Width < line.Width || size.Height > 3*line.Height {
		t.Fatalf("hint laid out %v for a line of %v", size, line)
	}
}
