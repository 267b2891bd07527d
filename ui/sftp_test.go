package ui

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/crypto/ssh"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
	enginedialer "github.com/skiff-ftp/skiff/engine/dialer"
	"github.com/skiff-ftp/skiff/engine/queue"
	"github.com/skiff-ftp/skiff/engine/sftp/sftptest"
	"github.com/skiff-ftp/skiff/internal/demo"
	"github.com/skiff-ftp/skiff/internal/sshtest"
)

// sshServer is what the window tests need of an SSH server: the
// in-process one (sftptest) or a real OpenSSH sshd (sshtest).
type sshServer struct {
	Host     string
	Port     int
	User     string
	Password string
	Root     string          // the login directory, on the local disk
	HostKey  ssh.PublicKey   // the key the tests' clients are shown
	HostKeys []ssh.PublicKey // every host key the server has
	// write puts a file under Root (relative name) that the server's user
	// may read and replace.
	write func(t *testing.T, name string, data []byte)
}

// startSSH starts the in-process SFTP server (sftptest) with user u/pw,
// serving a new directory; clientKey, when set, may log in too.
func startSSH(t *testing.T, clientKey ssh.PublicKey) sshServer {
	t.Helper()
	root := t.TempDir()
	srv := sftptest.Start(t, root, clientKey)
	h, p, err := net.SplitHostPort(srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(p)
	hk := srv.HostKey.PublicKey()
	return sshServer{Host: h, Port: port, User: "u", Password: "pw", Root: root, HostKey: hk, HostKeys: []ssh.PublicKey{hk},
		write: func(t *testing.T, name string, data []byte) { writeFile(t, filepath.Join(root, name), data) }}
}

// startOpenSSH starts a real sshd (internal/sshtest; a missing sshd fails
// the test).
func startOpenSSH(t *testing.T, o sshtest.Options) sshServer {
	t.Helper()
	srv := sshtest.Start(t, o)
	return sshServer{Host: srv.Host, Port: srv.Port, User: srv.User, Password: srv.Password, Root: srv.Root,
		HostKey: srv.HostKeys[0], HostKeys: srv.HostKeys,
		write: func(t *testing.T, name string, data []byte) { srv.WriteFile(t, name, data) }}
}

// shownKey reports whether the top dialog shows one of s's host keys, with
// its type.
func shownKey(w *Window, s sshServer) bool {
	for _, k := range s.HostKeys {
		if dialogHasText(w, ssh.FingerprintSHA256(k)) && dialogHasText(w, k.Type()) {
			return true
		}
	}
	return false
}

// sshEnv keeps the tests away from the user's ~/.ssh and ssh-agent.
func sshEnv(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("SSH_AUTH_SOCK", "")
}

// newSFTPWindow builds the window on the real engines, pool and queue, with
// its known-hosts file in a temporary folder.
func newSFTPWindow(t *testing.T, o Options) (*Window, string) {
	t.Helper()
	sshEnv(t)
	a := test.NewTempApp(t)
	localDir := t.TempDir()
	a.Preferences().SetString(prefLocalDir, localDir)
	d := enginedialer.Dialer{}
	pool := engine.NewPool(d, engine.PoolOptions{})
	t.Cleanup(func() { pool.Close() })
	b, _ := bridgedQueue(t, pool, queue.Options{RetryDelay: 10 * time.Millisecond})
	o.Dialer, o.Pool, o.Transfers = d, pool, b
	if o.KnownHostsFile == "" {
		o.KnownHostsFile = filepath.Join(t.TempDir(), "known_hosts")
	}
	var w *Window
	onUI(func() {
		w = New(a, o)
		w.win.Resize(fyne.NewSize(1200, 800))
	})
	t.Cleanup(func() { w.queue.Close(); w.win.Close() })
	return w, localDir
}

func sftpURL(s sshServer, path string) string {
	return fmt.Sprintf("sftp://%s@%s%s", s.User, net.JoinHostPort(s.Host, strconv.Itoa(s.Port)), path)
}

// TestEndToEndSFTP drives the window over SFTP as a user does: an sftp://
// URL in the quick-connect bar, the unknown host key trusted once (and not
// recorded), a folder opened, a download and an upload queued; both reach
// Successful byte-identical, and the password shows nowhere. Against a
// real OpenSSH sshd and the in-process server.
func TestEndToEndSFTP(t *testing.T) {
	t.Run("openssh", func(t *testing.T) { endToEndSFTP(t, startOpenSSH(t, sshtest.Options{})) })
	t.Run("in-process", func(t *testing.T) { endToEndSFTP(t, startSSH(t, nil)) })
}

func endToEndSFTP(t *testing.T, s sshServer) {
	down := make([]byte, 300_000)
	rand.Read(down)
	up := make([]byte, 123_457)
	rand.Read(up)
	s.write(t, "pub/data.bin", down)
	s.write(t, "pub/notes.txt", []byte("hello"))
	w, localDir := newSFTPWindow(t, Options{})
	writeFile(t, filepath.Join(localDir, "up.bin"), up)
	waitFor(t, "local pane", func() bool { return w.local.cwd == localDir })
	onUI(w.local.Refresh)

	onUI(func() {
		test.Type(w.qc.host, sftpURL(s, "/~/"))
		test.Type(w.qc.pass, s.Password)
		w.qc.Connect()
	})
	waitFor(t, "host key prompt with fingerprint and key type", func() bool { return shownKey(w, s) })
	onUI(func() { tapButton(t, w, "Trust once") })
	waitFor(t, "home listing", func() bool { return rowOf(w.remote.table, "pub") >= 0 })
	onUI(func() {
		if w.cfg.Protocol != engine.ProtocolSFTP || !strings.Contains(w.status.Text, "SSH") {
			t.Errorf("protocol %v, status %q", w.cfg.Protocol, w.status.Text)
		}
		r := rowOf(w.remote.table, "pub")
		w.remote.table.tap(r, 0, false)
		w.remote.table.tap(r, 0, false)
	})
	waitFor(t, "pub listing", func() bool { return rowOf(w.remote.table, "data.bin") >= 0 })
	waitFor(t, "local listing", func() bool { return rowOf(w.local.table, "up.bin") >= 0 })
	downloadAndUpload(t, w, "data.bin", "up.bin")
	if got, err := os.ReadFile(filepath.Join(localDir, "data.bin")); err != nil || !bytes.Equal(got, down) {
		t.Fatalf("download differs (%d bytes, %v)", len(got), err)
	}
	if got, err := os.ReadFile(filepath.Join(s.Root, "pub", "up.bin")); err != nil || !bytes.Equal(got, up) {
		t.Fatalf("upload differs (%d bytes, %v)", len(got), err)
	}
	if _, err := os.Stat(w.opts.KnownHostsFile); !os.IsNotExist(err) {
		t.Errorf("a key trusted once was recorded: %v", err)
	}
	onUI(func() {
		if txt := w.msgs.Text() + w.status.Text + strings.Join(w.qc.history, " "); strings.Contains(txt, ":"+s.Password) || strings.Contains(txt, " "+s.Password) {
			t.Errorf("the password shows: %s", txt)
		}
	})
}

// TestHostKeyAlwaysTrustIsRecorded: "Always trust" writes the key to
// Skiff's known-hosts file, and the next connection asks nothing.
func TestHostKeyAlwaysTrustIsRecorded(t *testing.T) {
	s := startSSH(t, nil)
	w, _ := newSFTPWindow(t, Options{})
	cfg := engine.Config{Protocol: engine.ProtocolSFTP, Host: s.Host, Port: s.Port, User: s.User, Password: s.Password}
	onUI(func() { w.Connect(cfg, "") })
	waitFor(t, "host key prompt", func() bool { return dialogHasText(w, ssh.FingerprintSHA256(s.HostKey)) })
	onUI(func() { tapButton(t, w, "Always trust") })
	waitFor(t, "connected", func() bool { return w.connected })
	b, err := os.ReadFile(w.opts.KnownHostsFile)
	if err != nil || !strings.Contains(string(b), strings.TrimSpace(string(ssh.MarshalAuthorizedKey(s.HostKey)))) {
		t.Fatalf("known hosts %q (%v) lacks the server's key", b, err)
	}
	onUI(func() { w.Disconnect(); w.Connect(cfg, "") })
	waitFor(t, "connected again", func() bool { return w.connected })
	onUI(func() {
		if w.win.Canvas().Overlays().Top() != nil {
			t.Error("asked again about a key trusted always")
		}
	})
}

// TestHostKeyCancelConnectsNot: Cancel leaves the window disconnected and
// the known-hosts file unwritten.
func TestHostKeyCancelConnectsNot(t *testing.T) {
	s := startSSH(t, nil)
	w, _ := newSFTPWindow(t, Options{})
	onUI(func() {
		w.Connect(engine.Config{Protocol: engine.ProtocolSFTP, Host: s.Host, Port: s.Port, User: s.User, Password: s.Password}, "")
	})
	waitFor(t, "host key prompt", func() bool { return dialogHasText(w, ssh.FingerprintSHA256(s.HostKey)) })
	onUI(func() { tapButton(t, w, "Cancel") })
	time.Sleep(300 * time.Millisecond)
	onUI(func() {
		if w.connected {
			t.Error("connected after Cancel")
		}
	})
	if _, err := os.Stat(w.opts.KnownHostsFile); !os.IsNotExist(err) {
		t.Errorf("known hosts written after Cancel: %v", err)
	}
}

// TestHostKeyChangedIsRefused: a server whose key is not the one on record
// gets a loud dialog naming both fingerprints, with no way to connect; the
// known-hosts file is left as it was.
func TestHostKeyChangedIsRefused(t *testing.T) {
	s := startSSH(t, nil)
	old := startSSH(t, nil).HostKey // another server's key, on record for s's address
	kh := filepath.Join(t.TempDir(), "known_hosts")
	line := "[" + s.Host + "]:" + strconv.Itoa(s.Port) + " " + string(ssh.MarshalAuthorizedKey(old))
	writeFile(t, kh, []byte(line))
	w, _ := newSFTPWindow(t, Options{KnownHostsFile: kh})
	onUI(func() {
		test.Type(w.qc.host, sftpURL(s, "/"))
		test.Type(w.qc.pass, s.Password)
		w.qc.Connect()
	})
	waitFor(t, "changed key dialog", func() bool { return dialogHasText(w, "HAS CHANGED") })
	shot(t, w, "sftp-host-key-changed")
	onUI(func() {
		for _, fp := range []string{ssh.FingerprintSHA256(old), ssh.FingerprintSHA256(s.HostKey)} {
			if !dialogHasText(w, fp) {
				t.Errorf("the dialog does not name %s", fp)
			}
		}
		for _, b := range []string{"Trust once", "Always trust", "Connect", "Continue once"} {
			if inDialog(w, func(o fyne.CanvasObject) bool { x, ok := o.(*widget.Button); return ok && x.Text == b }) != nil {
				t.Errorf("the changed-key dialog has a %q button", b)
			}
		}
		if w.connected {
			t.Error("connected to a server whose key changed")
		}
	})
	if after, _ := os.ReadFile(kh); string(after) != line {
		t.Errorf("known hosts changed: %q", after)
	}
}

// TestHostKeyDialogShot puts the unknown-host-key dialog into docs/ (with
// SKIFF_SHOTS=docs) at the size a user sees it.
func TestHostKeyDialogShot(t *testing.T) {
	s := startSSH(t, nil)
	// Shown in the dialog only: the test never answers it.
	w, _ := newSFTPWindow(t, Options{KnownHostsFile: "/home/you/.config/skiff/known_hosts"})
	onUI(func() {
		w.win.Resize(fyne.NewSize(1280, 800))
		test.Type(w.qc.host, sftpURL(s, "/"))
		test.Type(w.qc.pass, s.Password)
		w.qc.Connect()
	})
	waitFor(t, "host key prompt", func() bool { return dialogHasText(w, ssh.FingerprintSHA256(s.HostKey)) })
	shot(t, w, "sftp-host-key")
}

func TestQuickConnectSFTP(t *testing.T) {
	t.Setenv("USER", "localname")
	for _, tc := range []struct {
		host, user, port string
		proto            engine.Protocol
		wantUser         string
		wantPort         int
		wantDir          string
	}{
		{host: "sftp://alice@files.example:2222/~/www", proto: engine.ProtocolSFTP, wantUser: "alice", wantPort: 2222, wantDir: "www"},
		{host: "sftp://files.example/srv", proto: engine.ProtocolSFTP, wantUser: "localname", wantDir: "/srv"},
		{host: "files.example", port: "22", proto: engine.ProtocolSFTP, wantUser: "localname", wantPort: 22},
		{host: "files.example", user: "bob", port: "22", proto: engine.ProtocolSFTP, wantUser: "bob", wantPort: 22},
		{host: "ftp://files.example:22/", proto: engine.ProtocolFTP, wantUser: "anonymous", wantPort: 22, wantDir: "/"},
		{host: "files.example", proto: engine.ProtocolFTP, wantUser: "anonymous"},
	} {
		t.Run(tc.host+" port "+tc.port, func(t *testing.T) {
			test.NewTempApp(t)
			w := test.NewTempWindow(t, nil)
			qc := newQuickConnect(w.Canvas)
			qc.host.SetText(tc.host)
			qc.user.SetText(tc.user)
			qc.port.SetText(tc.port)
			cfg, dir, err := qc.Config()
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Protocol != tc.proto || cfg.User != tc.wantUser || cfg.Port != tc.wantPort || dir != tc.wantDir {
				t.Fatalf("got protocol %v user %q port %d dir %q", cfg.Protocol, cfg.User, cfg.Port, dir)
			}
			if tc.proto == engine.ProtocolSFTP && cfg.Password == engine.AnonymousPassword {
				t.Error("an SFTP login got the anonymous FTP password")
			}
			// The history remembers sftp://, and filling the bar from it
			// connects over SFTP again.
			qc.remember(cfg.URL(""))
			qc.fill(qc.history[0])
			back, _, err := qc.Config()
			if err != nil || back.Protocol != tc.proto || back.Host != cfg.Host || back.Port != cfg.Port {
				t.Fatalf("from history %q: %v %v", qc.history[0], back, err)
			}
		})
	}
}

// waitLong is waitFor for steps that take seconds on a loaded machine:
// an encrypted key's bcrypt KDF (slow under -race), PAM's refusal delay.
func waitLong(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); !locked(cond); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func writeFile(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// encryptedKey writes a new ed25519 key encrypted with passphrase and
// returns its path and public key.
func encryptedKey(t *testing.T, passphrase string) (string, ssh.PublicKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "test", []byte(passphrase))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "id_ed25519")
	if err := os.WriteFile(p, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	sp, _ := ssh.NewPublicKey(pub)
	return p, sp
}

// typeInDialog types text into the first entry of the top dialog that
// match accepts.
func typeInDialog(t *testing.T, w *Window, text string, match func(*widget.Entry) bool) {
	t.Helper()
	e, _ := inDialog(w, func(o fyne.CanvasObject) bool { e, ok := o.(*widget.Entry); return ok && match(e) }).(*widget.Entry)
	if e == nil {
		t.Fatal("no such entry in the dialog")
	}
	e.SetText(text)
}

func isPassword(e *widget.Entry) bool { return e.Password }

// TestSiteManagerSFTPKeyFileSavedAndUsed: the site manager offers SFTP
// with its own fields (key file, ssh-agent, port 22, no TLS choice); they
// are saved, and connecting uses them: the encrypted key's passphrase is
// asked (again when wrong), kept in the keychain when asked to, and the
// key logs in.
func TestSiteManagerSFTPKeyFileSavedAndUsed(t *testing.T) {
	keyPath, pub := encryptedKey(t, "right horse")
	s := startSSH(t, pub)
	writeFile(t, filepath.Join(s.Root, "www", "index.html"), []byte("<html>"))
	st := testStore(t)
	w, _ := newSFTPWindow(t, Options{Sites: st, KnownHostsFile: filepath.Join(t.TempDir(), "kh")})
	sm := newSiteShown(t, w)
	onUI(func() {
		f := sm.form
		f.protocol.SetSelectedIndex(indexOf(protocolValues, bookmarks.SFTP))
		if f.encryption.Visible() || !f.keyFile.Visible() || !f.agent.Visible() || f.port.PlaceHolder != "22" {
			t.Errorf("SFTP form: encryption shown %v, key file shown %v, agent shown %v, port placeholder %q",
				f.encryption.Visible(), f.keyFile.Visible(), f.agent.Visible(), f.port.PlaceHolder)
		}
		if slices.Contains(f.logon.Options, "Anonymous") || !slices.Contains(f.logon.Options, "Key file") {
			t.Errorf("SFTP logon types %q", f.logon.Options)
		}
		f.host.SetText(s.Host)
		f.port.SetText(strconv.Itoa(s.Port))
		f.user.SetText(s.User)
		f.logon.SetSelected("Key file")
		f.keyFile.SetText(keyPath)
		f.agent.SetChecked(false)
		f.remoteDir.SetText(path.Join(s.Root, "www")) // the in-process server shows the whole disk
		sm.save(nil)
	})
	waitFor(t, "saved", func() bool { x, ok := sm.tree.Site(sm.sel); return ok && x.Protocol == bookmarks.SFTP })
	shot(t, w, "sftp-site-manager")
	var saved *bookmarks.Site
	onUI(func() { saved, _ = sm.tree.Site(sm.sel) })
	if saved.Logon != bookmarks.KeyFile || saved.KeyFile != keyPath || !saved.NoAgent || saved.Port != s.Port {
		t.Fatalf("saved %+v", saved)
	}

	onUI(func() { sm.connect() })
	waitFor(t, "passphrase dialog", func() bool { return dialogHasText(w, "is encrypted") })
	onUI(func() {
		typeInDialog(t, w, "wrong horse", isPassword)
		tapButton(t, w, "OK")
	})
	waitLong(t, "asked again", func() bool { return dialogHasText(w, "does not open the key") })
	onUI(func() {
		typeInDialog(t, w, "right horse", isPassword)
		c, _ := inDialog(w, func(o fyne.CanvasObject) bool { _, ok := o.(*widget.Check); return ok }).(*widget.Check)
		if c == nil {
			t.Fatal("no remember check box for a saved site")
		}
		c.SetChecked(true)
		tapButton(t, w, "OK")
	})
	waitLong(t, "host key prompt", func() bool { return dialogHasText(w, ssh.FingerprintSHA256(s.HostKey)) })
	onUI(func() { tapButton(t, w, "Trust once") })
	waitLong(t, "remote dir listed", func() bool {
		return w.remote.cwd == path.Join(s.Root, "www") && rowOf(w.remote.table, "index.html") >= 0
	})
	onUI(func() {
		if w.cfg.Password != "" || len(w.cfg.IdentityFiles) != 1 || !w.cfg.NoAgent {
			t.Errorf("connected with %v", w.cfg.LogValue())
		}
	})
	waitFor(t, "passphrase in the keychain", func() bool {
		pp, _ := st.Secrets.Get(context.Background(), bookmarks.PassphraseID(saved.ID))
		return pp == "right horse"
	})
	if b, _ := os.ReadFile(st.Path()); strings.Contains(string(b), "horse") {
		t.Error("the passphrase is in sites.json")
	}
}

// TestImportFileZillaSFTPSitesConnect: FileZilla's SFTP sites (Protocol 1)
// come in as SFTP with their key file, or with their password in the
// keychain, and each connects.
func TestImportFileZillaSFTPSitesConnect(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	keyPath := filepath.Join(t.TempDir(), "id_ed25519")
	writeFile(t, keyPath, pem.EncodeToMemory(block))
	signer, _ := ssh.NewSignerFromKey(priv)
	s := startSSH(t, signer.PublicKey())
	tmpl, err := os.ReadFile("testdata/sitemanager-sftp.xml")
	if err != nil {
		t.Fatal(err)
	}
	xml := strings.NewReplacer("HOST", s.Host, "PORT", strconv.Itoa(s.Port), "KEYFILE", keyPath).Replace(string(tmpl))
	fixture := filepath.Join(t.TempDir(), "sitemanager.xml")
	writeFile(t, fixture, []byte(xml))

	st := testStore(t)
	kh := filepath.Join(t.TempDir(), "known_hosts")
	// The server's key is on record, so the connections ask nothing.
	writeFile(t, kh, []byte("["+s.Host+"]:"+strconv.Itoa(s.Port)+" "+string(ssh.MarshalAuthorizedKey(s.HostKey))))
	w, _ := newSFTPWindow(t, Options{Sites: st, KnownHostsFile: kh})
	onUI(func() { w.importFileZillaFrom(fixture) })
	waitFor(t, "import summary", func() bool { return w.lastImport != nil })
	if len(w.lastImport.Imported) != 2 || len(w.lastImport.Skipped) != 0 {
		t.Fatalf("import: %s", w.lastImport)
	}
	waitFor(t, "summary dialog", func() bool { return w.win.Canvas().Overlays().Top() != nil })
	onUI(func() {
		if dialogHasText(w, "cannot connect") {
			t.Error("the summary says Skiff cannot connect to SFTP sites")
		}
		tapButton(t, w, "OK")
	})
	tree, err := st.Load()
	if err != nil {
		t.Fatal(err)
	}
	key, err := tree.LookupSite("SSH/With key")
	if err != nil || key.Protocol != bookmarks.SFTP || key.Logon != bookmarks.KeyFile || key.KeyFile != keyPath || key.Port != s.Port {
		t.Fatalf("key site %+v (%v)", key, err)
	}
	pw, err := tree.LookupSite("SSH/With password")
	if err != nil || pw.Protocol != bookmarks.SFTP || pw.Logon != bookmarks.Normal {
		t.Fatalf("password site %+v (%v)", pw, err)
	}
	if got, _ := st.Secrets.Get(context.Background(), pw.ID); got != "pw" {
		t.Fatalf("the imported password is not in the keychain: %q", got)
	}
	for _, site := range []string{"SSH/With key", "SSH/With password"} {
		onUI(func() { w.Disconnect(); w.sites.connectByPath(site) })
		waitFor(t, "connected to "+site, func() bool { return w.connected && w.cfg.Protocol == engine.ProtocolSFTP })
		onUI(func() {
			if top := w.win.Canvas().Overlays().Top(); top != nil {
				t.Errorf("%s: a dialog is up", site)
			}
		})
	}
}

// TestDemoOffersFTPAndSFTP: the demo's servers are in the Server menu;
// its SFTP server connects without a host key question (its key is
// trusted for the run) and lists the sample tree.
func TestDemoOffersFTPAndSFTP(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the demo tree")
	}
	sshEnv(t)
	d, err := demo.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	ftpCfg := engine.Config{Host: d.Host, Port: d.Port, User: d.User, Password: d.Password, Security: engine.Plain}
	sftpCfg := engine.Config{Protocol: engine.ProtocolSFTP, Host: d.Host, Port: d.SFTPPort, User: d.User, Password: d.Password,
		TrustedFingerprints: []string{d.HostKeyFingerprint()}}
	w, _ := newSFTPWindow(t, Options{Connect: &ftpCfg, Servers: []Server{{Name: "the demo over FTP", Config: ftpCfg}, {Name: "the demo over SFTP", Config: sftpCfg}}})
	waitFor(t, "FTP listing", func() bool { return w.connected && rowOf(w.remote.table, "Documents") >= 0 })
	var sftpItem *fyne.MenuItem
	onUI(func() {
		for _, m := range w.win.MainMenu().Items {
			for _, it := range m.Items {
				if it.Label == "Connect to the demo over SFTP" {
					sftpItem = it
				}
			}
		}
	})
	if sftpItem == nil {
		t.Fatal("no menu item for the demo's SFTP server")
	}
	onUI(sftpItem.Action)
	waitFor(t, "SFTP listing", func() bool {
		return w.connected && w.cfg.Protocol == engine.ProtocolSFTP && rowOf(w.remote.table, "Documents") >= 0
	})
	onUI(func() {
		if w.win.Canvas().Overlays().Top() != nil {
			t.Error("a dialog is up after connecting to the demo over SFTP")
		}
		if !strings.Contains(w.msgs.Text(), "Server menu") {
			t.Error("the message log does not point to the Server menu")
		}
	})
	if _, err := os.Stat(w.opts.KnownHostsFile); !os.IsNotExist(err) {
		t.Errorf("the demo's host key was recorded: %v", err)
	}
}

// TestKeyboardInteractiveShowsTheServersQuestions: against an sshd that
// accepts keyboard-interactive only, a login without a password shows the
// server's own prompt (PAM's "Password:") in a dialog, hidden as the server
// asks, and the answer logs in; Cancel stops the login with no further
// question; a login with a password answers that prompt by itself.
func TestKeyboardInteractiveShowsTheServersQuestions(t *testing.T) {
	srv := sshtest.Start(t, sshtest.Options{KbdInteractive: true, AuthenticationMethods: "keyboard-interactive"})
	kh := filepath.Join(t.TempDir(), "known_hosts")
	writeFile(t, kh, []byte(srv.KnownHostsLine()+"\n"))
	w, _ := newSFTPWindow(t, Options{KnownHostsFile: kh})
	cfg := engine.Config{Protocol: engine.ProtocolSFTP, Host: srv.Host, Port: srv.Port, User: srv.User}
	// The dialog asks the server's question as sent ("Password: "), in a
	// hidden entry since the server asked for no echo.
	promptShown := func() bool {
		return inDialog(w, func(o fyne.CanvasObject) bool {
			f, ok := o.(*widget.Form)
			if !ok || len(f.Items) != 1 {
				return false
			}
			e, ok := f.Items[0].Widget.(*widget.Entry)
			return ok && e.Password && f.Items[0].Text == "Password:"
		}) != nil
	}

	onUI(func() { w.Connect(cfg, "") })
	waitFor(t, "the server's prompt", promptShown)
	shot(t, w, "sftp-keyboard-interactive")
	onUI(func() { tapButton(t, w, "Cancel") })
	time.Sleep(500 * time.Millisecond)
	onUI(func() {
		if w.connected || w.win.Canvas().Overlays().Top() != nil {
			t.Errorf("after Cancel: connected %v, a dialog up %v", w.connected, w.win.Canvas().Overlays().Top() != nil)
		}
	})

	onUI(func() { w.Connect(cfg, "") })
	waitFor(t, "the server's prompt again", promptShown)
	onUI(func() {
		typeInDialog(t, w, srv.Password, isPassword)
		tapButton(t, w, "OK")
	})
	waitFor(t, "connected with the typed answer", func() bool { return w.connected })

	withPW := cfg
	withPW.Password = srv.Password
	onUI(func() { w.Disconnect(); w.Connect(withPW, "") })
	waitFor(t, "connected with the password", func() bool { return w.connected })
	onUI(func() {
		if w.win.Canvas().Overlays().Top() != nil {
			t.Error("a dialog asked for the password the login had")
		}
		if strings.Contains(w.msgs.Text(), srv.Password) {
			t.Error("the message log shows the password")
		}
	})
}

// TestSiteManagerTestConnectionAsksAboutTheHostKey: "Test connection" on
// an SFTP site whose server is new asks about its key, then tests again.
func TestSiteManagerTestConnectionAsksAboutTheHostKey(t *testing.T) {
	s := startSSH(t, nil)
	st := testStore(t)
	site, err := st.AddSite(bookmarks.RootID, bookmarks.Site{Name: "ssh", Host: s.Host, Port: s.Port, Protocol: bookmarks.SFTP,
		Logon: bookmarks.Normal, User: s.User})
	if err != nil {
		t.Fatal(err)
	}
	w, _ := newSFTPWindow(t, Options{Sites: st})
	sm := w.sites
	shown := make(chan string, 10)
	sm.afterSelect = func(id string) { shown <- id }
	onUI(func() {
		sm.show()
		sm.sel = site.ID
		sm.done(nil)
	})
	for id := range shown {
		if id == site.ID {
			break
		}
	}
	onUI(func() {
		sm.form.pass.SetText(s.Password)
		sm.testConnection()
	})
	waitFor(t, "host key prompt", func() bool { return shownKey(w, s) })
	onUI(func() { tapButton(t, w, "Always trust") })
	waitFor(t, "test passed", func() bool { return strings.HasPrefix(sm.status.Text, "Connection OK (SSH") })
	if b, _ := os.ReadFile(w.opts.KnownHostsFile); !strings.Contains(string(b), strings.TrimSpace(string(ssh.MarshalAuthorizedKey(s.HostKey)))) {
		t.Errorf("known hosts after Always trust: %q", b)
	}
}

// TestSFTPWrongPasswordAsksAgain: a password sshd refuses brings up the
// password dialog, and the password typed there logs in.
func TestSFTPWrongPasswordAsksAgain(t *testing.T) {
	srv := sshtest.Start(t, sshtest.Options{KbdInteractive: true})
	kh := filepath.Join(t.TempDir(), "known_hosts")
	writeFile(t, kh, []byte(srv.KnownHostsLine()+"\n"))
	w, _ := newSFTPWindow(t, Options{KnownHostsFile: kh})
	onUI(func() {
		w.Connect(engine.Config{Protocol: engine.ProtocolSFTP, Host: srv.Host, Port: srv.Port, User: srv.User, Password: "not-it"}, "")
	})
	// PAM delays each refusal (pam_unix's ~2 s), once for
	// keyboard-interactive and once for password: longer than waitFor.
	waitLong(t, "password dialog", func() bool { return dialogHasText(w, "refused the user name or password") })
	onUI(func() {
		typeInDialog(t, w, srv.Password, isPassword)
		tapButton(t, w, "Connect")
	})
	waitFor(t, "connected", func() bool { return w.connected })
	onUI(func() {
		if w.win.Canvas().Overlays().Top() != nil {
			t.Error("a dialog is still up after the right password")
		}
	})
}
