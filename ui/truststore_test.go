package ui

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
)

// trustWindow is a window with a site store in dir, on fs.
func trustWindow(t *testing.T, a fyne.App, fs *fakeFS, dir string) *Window {
	t.Helper()
	st, err := bookmarks.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var w *Window
	onUI(func() { w = New(a, Options{Dialer: fs, Transfers: &fakeQueue{}, Sites: st}) })
	t.Cleanup(func() { w.queue.Close(); w.win.Close() })
	return w
}

func readTrust(t *testing.T, dir string) (bookmarks.Trust, bool) {
	st, err := bookmarks.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, bookmarks.TrustName)); err != nil {
		return bookmarks.Trust{}, false
	}
	tr, err := st.Trust()
	return tr, err == nil
}

// TestCertificateTrustedAlwaysIsInSkiffsOwnStore: "Always trust" writes the
// fingerprint to trust.json next to the sites (written atomically), not to
// Fyne's preferences, and the next connection trusts it.
func TestCertificateTrustedAlwaysIsInSkiffsOwnStore(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLocalDir, t.TempDir())
	dir := t.TempDir()
	fs := newFakeFS()
	fs.addFile("/home/readme.txt", "hello")
	w := trustWindow(t, a, fs, dir)
	fs.dialErr = &engine.CertError{Host: "h", Cert: engine.CertInfo{Fingerprint: "AB:CD"}, Reason: x509.UnknownAuthorityError{}}
	onUI(func() { w.Connect(engine.Config{Host: "h", Port: 21, User: "u"}, "/home") })
	waitFor(t, "cert dialog", func() bool { return dialogHasText(w, "could not be verified") })
	onUI(func() { tapButton(t, w, "Always trust") })
	waitFor(t, "connected", func() bool { return w.connected })
	waitFor(t, "trust.json holds the certificate", func() bool {
		tr, ok := readTrust(t, dir)
		return ok && slices.Equal(tr.Fingerprints("h:21"), []string{"AB:CD"})
	})
	if l := a.Preferences().StringList("tls.trusted"); len(l) != 0 {
		t.Errorf("Fyne preferences hold %q", l)
	}
	// A new window (the next run) on the same folder trusts it.
	a2 := test.NewTempApp(t)
	a2.Preferences().SetString(prefLocalDir, t.TempDir())
	w2 := trustWindow(t, a2, fs, dir)
	onUI(func() { w2.Connect(engine.Config{Host: "h", Port: 21, User: "u"}, "/home") })
	waitFor(t, "connected again", func() bool { return w2.connected })
	onUI(func() {
		if !slices.Contains(w2.cfg.TrustedFingerprints, "AB:CD") {
			t.Errorf("the next run trusts %q", w2.cfg.TrustedFingerprints)
		}
	})
}

// TestTrustMovesOutOfFynePreferencesOnce: decisions an older version kept
// in Fyne's preferences are moved into trust.json at the first connection,
// deleted from the preferences, and used.
func TestTrustMovesOutOfFynePreferencesOnce(t *testing.T) {
	a := test.NewTempApp(t)
	p := a.Preferences()
	p.SetString(prefLocalDir, t.TempDir())
	p.SetStringList("tls.trusted", []string{"h:21 AB:CD", "other:990 EF:01"})
	p.SetStringList("tls.plainok", []string{"plain:21"})
	p.SetStringList("tls.seen", []string{"h:21"})
	dir := t.TempDir()
	fs := newFakeFS()
	fs.addFile("/home/readme.txt", "hello")
	w := trustWindow(t, a, fs, dir)
	onUI(func() { w.Connect(engine.Config{Host: "h", Port: 21, User: "u"}, "/home") })
	waitFor(t, "connected", func() bool { return w.connected })
	tr, ok := readTrust(t, dir)
	if !ok {
		t.Fatal("no trust.json after the first connection")
	}
	if !slices.Equal(tr.Fingerprints("h:21"), []string{"AB:CD"}) || !slices.Equal(tr.Fingerprints("other:990"), []string{"EF:01"}) ||
		!tr.PlainAccepted("plain:21") || !tr.HadTLS("h:21") {
		t.Errorf("migrated %+v", tr)
	}
	for _, k := range []string{"tls.trusted", "tls.plainok", "tls.seen"} {
		if l := p.StringList(k); len(l) != 0 {
			t.Errorf("preference %s still holds %q", k, l)
		}
	}
	onUI(func() {
		if !slices.Contains(w.cfg.TrustedFingerprints, "AB:CD") {
			t.Errorf("the connection trusts %q", w.cfg.TrustedFingerprints)
		}
	})
}
