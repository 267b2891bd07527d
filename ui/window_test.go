package ui

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
)

func newTestWindow(t *testing.T) (*Window, *fakeFS, *fakeQueue) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLocalDir, t.TempDir())
	fs := newFakeFS()
	fs.addFile("/home/readme.txt", "hello")
	fs.addFile("/home/site/index.html", "<html>")
	fs.addFile("/home/site/img/logo.png", "PNG")
	q := &fakeQueue{}
	var w *Window
	onUI(func() {
		w = New(a, Options{Dialer: fs, Transfers: q})
		// Resizing lays out the tables, which the local pane's first
		// listing may be refreshing from its goroutine: on the UI goroutine.
		w.win.Resize(fyne.NewSize(1200, 800))
	})
	t.Cleanup(func() { w.queue.Close(); w.win.Close() })
	return w, fs, q
}

func rowOf(ft *fileTable, name string) int {
	for r := range ft.rows() {
		if i := ft.entryAt(r); i >= 0 && ft.entries[i].Name == name {
			return r
		}
	}
	return -1
}

func TestQuickConnectOpensHomeAndFolders(t *testing.T) {
	w, fs, _ := newTestWindow(t)
	onUI(func() {
		test.Type(w.qc.host, "ftp.example")
		test.Type(w.qc.user, "bob")
		test.Type(w.qc.pass, "secret")
		w.qc.Connect()
	})
	waitFor(t, "home listing", func() bool { return w.remote.cwd == "/home" && w.remote.table.rows() == 3 })
	waitFor(t, "log", func() bool { return strings.Contains(w.msgs.Text(), "PASS ****") })
	onUI(func() {
		if !strings.Contains(w.win.Title(), "bob@ftp.example") {
			t.Errorf("title %q", w.win.Title())
		}
		if txt := w.msgs.Text(); strings.Contains(txt, "secret") {
			t.Errorf("message log:\n%s", txt)
		}
		// double click the folder
		r := rowOf(w.remote.table, "site")
		w.remote.table.tap(r, 0, false)
		w.remote.table.tap(r, 0, false)
	})
	waitFor(t, "site listing", func() bool { return w.remote.cwd == "/home/site" })
	onUI(func() {
		if w.remote.pathEntry.Text != "/home/site" {
			t.Errorf("path bar %q", w.remote.pathEntry.Text)
		}
		// the path bar is editable
		w.remote.pathEntry.SetText("/home/site/img")
		w.remote.pathEntry.OnSubmitted(w.remote.pathEntry.Text)
	})
	waitFor(t, "img listing", func() bool { return w.remote.cwd == "/home/site/img" })
	// ".." goes up, served from the cache without a new LIST
	before := len(fs.callLog())
	onUI(func() {
		w.remote.table.tap(0, 0, false)
		w.remote.table.tap(0, 0, false)
	})
	waitFor(t, "back up", func() bool { return w.remote.cwd == "/home/site" })
	if after := len(fs.callLog()); after != before {
		t.Errorf("going up listed again: %v", fs.callLog()[before:])
	}
	// the tree knows the listed folders
	if subs, ok := w.remote.cache.children("/home/site"); !ok || len(subs) != 1 || subs[0] != "/home/site/img" {
		t.Errorf("tree children %v %v", subs, ok)
	}
	onUI(func() {
		w.Disconnect()
		if w.remote.table.rows() != 0 || w.win.Title() != "Skiff" {
			t.Errorf("after disconnect: %d rows, title %q", w.remote.table.rows(), w.win.Title())
		}
	})
}

func TestDoubleClickFileQueuesDownloadAndQueueTabsCount(t *testing.T) {
	w, _, q := newTestWindow(t)
	onUI(func() { w.Connect(engine.Config{Host: "h", User: "u"}, "/home") })
	waitFor(t, "listing", func() bool { return w.remote.table.rows() == 3 })
	waitFor(t, "local listing", func() bool { return w.local.cwd != "" })
	onUI(func() {
		r := rowOf(w.remote.table, "readme.txt")
		w.remote.table.tap(r, 0, false)
		w.remote.table.tap(r, 0, false)
	})
	waitFor(t, "queued", func() bool { return len(q.items()) == 1 })
	it := q.items()[0]
	if it.Upload || it.Remote != "/home/readme.txt" || it.Local != filepath.Join(w.local.cwd, "readme.txt") || it.Size != 5 {
		t.Fatalf("queued %+v", it)
	}
	// a folder download by selection + toolbar action
	onUI(func() {
		w.remote.table.tap(rowOf(w.remote.table, "site"), 0, false)
		w.download()
	})
	waitFor(t, "2 queued", func() bool { return len(q.items()) == 2 && q.items()[1].Dir })
	waitFor(t, "queue pane", func() bool { n, _, _ := w.queue.Counts(); return n == 2 })
	q.finish(0, Done, "")
	q.finish(1, Failed, "550 Permission denied")
	waitFor(t, "tabs", func() bool { n, f, d := w.queue.Counts(); return n == 0 && f == 1 && d == 1 })
	if got := w.queue.tabs.Items[1].Text; got != "Failed transfers (1)" {
		t.Errorf("failed tab %q", got)
	}
	onUI(func() {
		if s := statusText(&w.queue.rows[1][0]); s != "550 Permission denied" {
			t.Errorf("failed row says %q", s)
		}
	})
}

func TestUploadFromLocalPane(t *testing.T) {
	w, _, q := newTestWindow(t)
	dir := w.app.Preferences().String(prefLocalDir)
	if err := os.WriteFile(filepath.Join(dir, "up.txt"), []byte("12345678"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "local pane", func() bool { return w.local.cwd == dir })
	onUI(func() {
		w.local.Refresh()
		w.Connect(engine.Config{Host: "h", User: "u"}, "/home")
	})
	waitFor(t, "both panes", func() bool { return w.remote.table.rows() == 3 && rowOf(w.local.table, "up.txt") >= 0 })
	onUI(func() {
		w.local.table.tap(rowOf(w.local.table, "up.txt"), 0, false)
		w.upload()
	})
	waitFor(t, "queued", func() bool { return len(q.items()) == 1 })
	if it := q.items()[0]; !it.Upload || it.Remote != "/home/up.txt" || it.Size != 8 {
		t.Fatalf("queued %+v", it)
	}
}

func TestRemoteActionsReachTheSession(t *testing.T) {
	w, fs, _ := newTestWindow(t)
	onUI(func() { w.Connect(engine.Config{Host: "h", User: "u"}, "/home") })
	waitFor(t, "listing", func() bool { return w.remote.table.rows() == 3 })
	onUI(func() {
		w.remoteOp("mkdir", func(ctx ctxT, s engine.Session) error { return s.Mkdir(ctx, "/home/new", false) })
	})
	waitFor(t, "new folder listed", func() bool { return rowOf(w.remote.table, "new") >= 0 })
	onUI(func() {
		w.remote.table.SelectName("readme.txt")
		w.active = w.remote
		w.deleteSelected(w.remote)
	})
	// confirm dialog is up: accept it
	waitFor(t, "dialog", func() bool { return w.win.Canvas().Overlays().Top() != nil })
	onUI(func() { tapButton(t, w, "Yes") })
	waitFor(t, "deleted", func() bool { return rowOf(w.remote.table, "readme.txt") < 0 })
	calls := strings.Join(fs.callLog(), "\n")
	for _, want := range []string{"MKD /home/new", "DELE /home/readme.txt"} {
		if !strings.Contains(calls, want) {
			t.Errorf("missing %q in\n%s", want, calls)
		}
	}
}

func TestCertificatePromptTrustsOnceAndReconnects(t *testing.T) {
	w, fs, _ := newTestWindow(t)
	fs.dialErr = &engine.CertError{Host: "h", Cert: engine.CertInfo{Fingerprint: "AB:CD", Subject: "CN=h", Issuer: "CN=h",
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}, Reason: x509.UnknownAuthorityError{}}
	onUI(func() { w.Connect(engine.Config{Host: "h", User: "u"}, "/home") })
	waitFor(t, "cert dialog", func() bool { return w.win.Canvas().Overlays().Top() != nil })
	onUI(func() { tapButton(t, w, "Trust once") })
	waitFor(t, "connected", func() bool { return w.remote.table.rows() == 3 })
	if len(w.cfg.TrustedFingerprints) != 1 || w.cfg.TrustedFingerprints[0] != "AB:CD" {
		t.Errorf("trusted %v", w.cfg.TrustedFingerprints)
	}
}

func TestLoginFailureAsksForPassword(t *testing.T) {
	w, fs, _ := newTestWindow(t)
	fs.dialErr = &engine.Error{Op: "login", Err: engine.Classify("PASS", &textproto.Error{Code: 530, Msg: "Login incorrect."})}
	onUI(func() { w.Connect(engine.Config{Host: "h", User: "u", Password: "wrong"}, "") })
	waitFor(t, "password dialog", func() bool { return w.win.Canvas().Overlays().Top() != nil })
	waitFor(t, "reason in log", func() bool { return strings.Contains(w.msgs.Text(), "530 Login incorrect.") })
	onUI(func() { tapButton(t, w, "Connect") })
	waitFor(t, "connected", func() bool { return w.remote.table.rows() == 3 })
}

func TestPlainErrorKeepsServerReason(t *testing.T) {
	err := &engine.Error{Op: "RETR", Path: "/x", Err: engine.Classify("RETR", &textproto.Error{Code: 550, Msg: "Permission denied."})}
	got := plainError(err)
	if !strings.Contains(got, "does not exist") || !strings.Contains(got, "550 Permission denied.") {
		t.Errorf("plainError = %q", got)
	}
	if got := plainError(fmt.Errorf("x: %w", errors.New("plain"))); got != "x: plain" {
		t.Errorf("plainError = %q", got)
	}
}

func TestChmodFormKeepsOctalAndChecksInStep(t *testing.T) {
	test.NewTempApp(t)
	onUI(func() {
		f := newChmodForm(0o644)
		if f.octal.Text != "644" || !f.checks[0].Checked || f.checks[2].Checked {
			t.Fatalf("initial %q", f.octal.Text)
		}
		f.checks[2].SetChecked(true)
		if f.octal.Text != "744" {
			t.Errorf("after check: %q", f.octal.Text)
		}
		f.octal.SetText("750")
		if f.mode() != 0o750 {
			t.Errorf("after typing 750: %o", f.mode())
		}
	})
}

func TestSortOrderIsRemembered(t *testing.T) {
	w, _, _ := newTestWindow(t)
	onUI(func() {
		h := newHeaderCell(w.remote.table)
		h.col = colSize
		test.Tap(h)
		if w.local.table.sortCol != colSize {
			t.Error("local pane not sorted alike")
		}
	})
	if got := w.app.Preferences().Int(prefSortCol); got != int(colSize) {
		t.Errorf("pref %d", got)
	}
}

func TestCertificateTrustedAlwaysIsRemembered(t *testing.T) {
	w, fs, _ := newTestWindow(t)
	fs.dialErr = &engine.CertError{Host: "h", Cert: engine.CertInfo{Fingerprint: "AB:CD"}, Reason: x509.UnknownAuthorityError{}}
	onUI(func() { w.Connect(engine.Config{Host: "h", User: "u"}, "/home") })
	waitFor(t, "cert dialog", func() bool { return w.win.Canvas().Overlays().Top() != nil })
	onUI(func() { tapButton(t, w, "Always trust") })
	waitFor(t, "connected", func() bool { return w.remote.table.rows() == 3 })
	onUI(func() { w.Disconnect(); w.Connect(engine.Config{Host: "h", User: "u"}, "/home") })
	waitFor(t, "connected again", func() bool { return w.remote.table.rows() == 3 })
	if got := w.cfg.TrustedFingerprints; len(got) != 1 || got[0] != "AB:CD" {
		t.Errorf("second connection trusts %v", got)
	}
}

// Disconnect closes the pooled browsing session at once instead of leaving it
// to the pool's 60 s idle timeout; Reconnect then logs in afresh.
func TestDisconnectClosesPooledSession(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLocalDir, t.TempDir())
	fs := newFakeFS()
	fs.addFile("/home/readme.txt", "hello")
	pool := engine.NewPool(fs, engine.PoolOptions{})
	t.Cleanup(func() { pool.Close() })
	var w *Window
	onUI(func() { w = New(a, Options{Pool: pool, Transfers: &fakeQueue{}}) })
	t.Cleanup(func() { w.queue.Close(); w.win.Close() })
	cfg := engine.Config{Host: "ftp.example", User: "bob", Password: "secret"}
	onUI(func() { w.Connect(cfg, "") })
	waitFor(t, "home listing", func() bool { return w.remote.cwd == "/home" && w.remote.table.rows() == 2 })

	fs.mu.Lock()
	first := fs.sessions[0]
	fs.mu.Unlock()
	if first.closed.Load() {
		t.Fatal("browsing session closed before Disconnect")
	}
	onUI(w.Disconnect)
	waitFor(t, "browsing session closed", func() bool { return first.closed.Load() })
	if b, _, idle, _ := pool.Stats(cfg.Key()); b != 0 || idle != 0 {
		t.Fatalf("after Disconnect the pool holds browsing=%d idle=%d sessions", b, idle)
	}

	onUI(w.Reconnect)
	waitFor(t, "listing after reconnect", func() bool { return w.connected && w.remote.table.rows() == 2 })
	fs.mu.Lock()
	n := len(fs.sessions)
	fs.mu.Unlock()
	if n != 2 {
		t.Fatalf("reconnect dialled %d sessions in all, want 2", n)
	}
}

// At launch the UI goroutine runs fyne.Do functions only once the window is
// up; the first folder is listed right after login all the same, so launch →
// rows costs max(window, login + listing), not their sum.
func TestFirstListingDoesNotWaitForTheUIGoroutine(t *testing.T) {
	w, fs, _ := newTestWindow(t)
	listed := func() bool { return slices.Contains(fs.callLog(), "LIST /home/site") }
	uiMu.Lock() // the UI goroutine is busy bringing the window up
	w.Connect(engine.Config{Host: "ftp.example", User: "bob"}, "/home/site")
	deadline := time.Now().Add(5 * time.Second)
	for !listed() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	uiMu.Unlock()
	if !listed() {
		t.Fatalf("the first folder was not listed while the UI goroutine was busy: %v", fs.callLog())
	}
	waitFor(t, "rows", func() bool { return w.remote.cwd == "/home/site" && w.remote.table.rows() == 3 })
}

// A URL given at launch (skiff ftp://…) with the site store present: the
// saved proxy settings are read in the connection's goroutine, not through
// a hop to the UI goroutine, which at launch runs fyne.Do functions only
// once the window is up. The login and the first listing overlap bringing
// the window up (bench/gui.sh: the login had waited 0.45 s for it).
func TestURLAtLaunchListsWhileTheWindowComesUp(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLocalDir, t.TempDir())
	fs := newFakeFS()
	fs.addFile("/home/site/index.html", "<html>")
	listed := func() bool { return slices.Contains(fs.callLog(), "LIST /home/site") }
	uiMu.Lock() // New runs on the UI goroutine, which then brings the window up
	w := New(a, Options{Dialer: fs, Transfers: &fakeQueue{}, Sites: testStore(t), URL: "ftp://bob@ftp.example/home/site"})
	deadline := time.Now().Add(5 * time.Second)
	for !listed() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	uiMu.Unlock()
	t.Cleanup(func() { w.queue.Close(); w.win.Close() })
	if !listed() {
		t.Fatalf("the URL's folder was not listed while the UI goroutine was busy: %v", fs.callLog())
	}
	waitFor(t, "rows", func() bool { return w.remote.cwd == "/home/site" && w.remote.table.rows() == 2 })
}

// TestURLAtLaunchFillsTheQuickConnectBar: the bar shows the site a URL
// given at launch connects to, so Quickconnect connects there again; the
// URL's password is never put on screen.
func TestURLAtLaunchFillsTheQuickConnectBar(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLocalDir, t.TempDir())
	var w *Window
	onUI(func() {
		w = New(a, Options{Dialer: newFakeFS(), Transfers: &fakeQueue{}, URL: "sftp://bob:s3cret@sftp.example:2222/home"})
	})
	// The launch's connection reports on the UI goroutine: let it finish
	// before the window closes, and close it there.
	t.Cleanup(func() { onUI(func() { w.queue.Close(); w.win.Close() }) })
	waitFor(t, "the launch's connection", func() bool { return w.connected })
	onUI(func() {
		got := []string{w.qc.host.Text, w.qc.user.Text, w.qc.port.Text, w.qc.pass.Text}
		if want := []string{"sftp://sftp.example", "bob", "2222", ""}; !slices.Equal(got, want) {
			t.Errorf("quick-connect bar %q, want %q", got, want)
		}
	})
}

// The connection starts before the window is fully built; a URL that cannot
// be read still leaves an error dialog on the finished window.
func TestBadURLAtLaunchShowsError(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLocalDir, t.TempDir())
	var w *Window
	onUI(func() { w = New(a, Options{Dialer: newFakeFS(), Transfers: &fakeQueue{}, URL: "gopher://host/"}) })
	t.Cleanup(func() { w.queue.Close(); w.win.Close() })
	onUI(func() {
		if w.win.Canvas().Overlays().Top() == nil {
			t.Fatal("no error dialog for a URL that cannot be read")
		}
		if w.win.Content() == nil || w.connected {
			t.Fatalf("content %v, connected %v", w.win.Content(), w.connected)
		}
	})
}

// TestPlainFTPIsNeverUsedUnasked: "TLS if available" meeting a server
// without TLS sends nothing until the user answers FileZilla's question;
// Cancel leaves it at that, "Continue once" connects, and the next connect
// asks again.
func TestPlainFTPIsNeverUsedUnasked(t *testing.T) {
	w, fs, _ := newTestWindow(t)
	fs.noAuthTLS = true
	cfg := engine.Config{Host: "h", User: "u", Password: "pw", Security: engine.TLSIfAvailable}
	onUI(func() { w.Connect(cfg, "/home") })
	waitFor(t, "plain dialog", func() bool { return w.win.Canvas().Overlays().Top() != nil })
	shot(t, w, "tls-fallback")
	if calls := strings.Join(fs.callLog(), "\n"); strings.Contains(calls, "PASS sent") || !strings.Contains(calls, "nothing sent") {
		t.Fatalf("before the answer: %s", calls)
	}
	onUI(func() { tapButton(t, w, "Cancel") })
	if w.connected || strings.Contains(strings.Join(fs.callLog(), "\n"), "PASS sent") {
		t.Fatal("connected after Cancel")
	}
	onUI(func() { w.Connect(cfg, "/home") })
	waitFor(t, "plain dialog again", func() bool { return w.win.Canvas().Overlays().Top() != nil })
	onUI(func() { tapButton(t, w, "Continue once") })
	waitFor(t, "connected", func() bool { return w.connected && w.remote.table.rows() == 3 })
	onUI(func() { w.Disconnect(); w.Connect(cfg, "/home") })
	waitFor(t, "asked a third time", func() bool { fs.mu.Lock(); defer fs.mu.Unlock(); return fs.plainAsked == 4 })
	waitFor(t, "plain dialog a third time", func() bool { return w.win.Canvas().Overlays().Top() != nil })
}

// TestPlainFTPAcceptedAlwaysIsRememberedPerServer: "Always for this
// server" lets later connections go on without the question.
func TestPlainFTPAcceptedAlwaysIsRememberedPerServer(t *testing.T) {
	w, fs, _ := newTestWindow(t)
	fs.noAuthTLS = true
	cfg := engine.Config{Host: "h", User: "u", Password: "pw", Security: engine.TLSIfAvailable}
	onUI(func() { w.Connect(cfg, "/home") })
	waitFor(t, "plain dialog", func() bool { return w.win.Canvas().Overlays().Top() != nil })
	onUI(func() { tapButton(t, w, "Always for this server") })
	waitFor(t, "connected", func() bool { return w.connected && w.remote.table.rows() == 3 })
	onUI(func() { w.Disconnect(); w.Connect(cfg, "/home") })
	waitFor(t, "connected again", func() bool { return w.connected && w.remote.table.rows() == 3 })
	if w.win.Canvas().Overlays().Top() != nil {
		t.Fatal("asked again after Always")
	}
	other := cfg
	other.Host = "other"
	onUI(func() { w.Disconnect(); w.Connect(other, "/home") })
	waitFor(t, "another server is asked", func() bool { return w.win.Canvas().Overlays().Top() != nil })
}

// TestServerThatHadTLSNeverFallsBackUnasked: a server that offered TLS
// before and stops is asked about with the louder warning, even when plain
// FTP was accepted "always" for it earlier.
func TestServerThatHadTLSNeverFallsBackUnasked(t *testing.T) {
	w, fs, _ := newTestWindow(t)
	cfg := engine.Config{Host: "h", User: "u", Password: "pw", Security: engine.TLSIfAvailable}
	w.acceptPlain(cfg)
	fs.tls = true
	onUI(func() { w.Connect(cfg, "/home") })
	waitFor(t, "connected with TLS", func() bool { return w.connected && w.remote.table.rows() == 3 })
	passes := strings.Count(strings.Join(fs.callLog(), "\n"), "PASS sent")
	fs.mu.Lock()
	fs.noAuthTLS = true
	fs.mu.Unlock()
	onUI(func() { w.Disconnect(); w.Connect(cfg, "/home") })
	waitFor(t, "louder dialog", func() bool { return dialogHasText(w, "offered TLS before") })
	shot(t, w, "tls-fallback-had-tls")
	if n := strings.Count(strings.Join(fs.callLog(), "\n"), "PASS sent"); n != passes || w.connected {
		t.Fatalf("password sent %d times after TLS went away, connected %v", n-passes, w.connected)
	}
}

// dialogHasText reports whether a label of the top dialog contains text.
func dialogHasText(w *Window, text string) bool {
	return inDialog(w, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && strings.Contains(l.Text, text)
	}) != nil
}

// TestQuickConnectBadURLNeverShowsThePassword: a URL typed into the host
// field that does not parse is reported in the error dialog, and neither
// the dialog, the message log, the status bar nor the history quotes the
// password it held.
func TestQuickConnectBadURLNeverShowsThePassword(t *testing.T) {
	for _, typed := range []string{
		"ftp://bob:s3cretpw@host:99999/",     // port out of range
		"ftp://bob:s3cretpw@host:port/",      // port not a number
		"ftp://bob:s3cretpw@ho st/",          // space in the host
		"ftp://bob:s3cret%zzpw@host/",        // bad escape in the password
		"gopher://bob:s3cretpw@host/",        // unsupported scheme
		"ftp://bob:s3cretpw@/no/host/at/all", // no host
	} {
		t.Run(typed, func(t *testing.T) {
			w, fs, _ := newTestWindow(t)
			onUI(func() {
				test.Type(w.qc.host, typed)
				w.qc.Connect()
			})
			waitFor(t, "error dialog", func() bool { return dialogHasText(w, "Cannot connect") })
			onUI(func() {
				if dialogHasText(w, "s3cret") {
					t.Error("the error dialog shows the password")
				}
				for what, s := range map[string]string{"log": w.msgs.Text(), "status": w.status.Text, "history": strings.Join(w.qc.history, " ")} {
					if strings.Contains(s, "s3cret") {
						t.Errorf("the %s shows the password: %q", what, s)
					}
				}
			})
			if len(fs.callLog()) != 0 {
				t.Errorf("dialled for a URL that does not parse: %v", fs.callLog())
			}
		})
	}
}
