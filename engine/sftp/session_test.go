package sftp_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/sftp"
	"github.com/skiff-ftp/skiff/engine/sftp/sftptest"
)

func hostPort(t *testing.T, addr string) (string, int) {
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return h, n
}

// setup starts a server and returns a config that trusts it on first use.
func setup(t *testing.T) (*sftptest.Server, string, engine.Config) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("SSH_AUTH_SOCK", "")
	root := t.TempDir()
	srv := sftptest.Start(t, root, nil)
	h, p := hostPort(t, srv.Addr)
	cfg := engine.Config{Host: h, Port: p, User: "u", Password: "pw", Protocol: engine.ProtocolSFTP,
		KnownHostsFile: filepath.Join(t.TempDir(), "known_hosts"),
		ConfirmHostKey: func(context.Context, string, string) bool { return true }}
	return srv, root, cfg
}

func dial(t *testing.T, cfg engine.Config) engine.Session {
	t.Helper()
	s, err := sftp.Dialer{}.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestUnknownHostKeyRefusedNamingFingerprint(t *testing.T) {
	srv, _, cfg := setup(t)
	cfg.ConfirmHostKey = nil
	_, err := sftp.Dialer{}.Dial(context.Background(), cfg)
	var hke *sftp.HostKeyError
	if !errors.As(err, &hke) || hke.Changed() {
		t.Fatalf("err = %v, want unknown HostKeyError", err)
	}
	fp := ssh.FingerprintSHA256(srv.HostKey.PublicKey())
	if !strings.Contains(err.Error(), fp) {
		t.Errorf("error %q does not name %s", err, fp)
	}
	if _, err := os.Stat(cfg.KnownHostsFile); !os.IsNotExist(err) {
		t.Errorf("known hosts file written for a refused key: %v", err)
	}
}

func TestAcceptedHostKeyIsRecordedAndChangedKeyRefused(t *testing.T) {
	srv, root, cfg := setup(t)
	asked := 0
	cfg.ConfirmHostKey = func(_ context.Context, _, fp string) bool {
		asked++
		return fp == ssh.FingerprintSHA256(srv.HostKey.PublicKey())
	}
	dial(t, cfg).Close()
	dial(t, cfg).Close()
	if asked != 1 {
		t.Fatalf("asked %d times, want once (the key was not recorded)", asked)
	}
	b, _ := os.ReadFile(cfg.KnownHostsFile)
	if !strings.Contains(string(b), string(ssh.MarshalAuthorizedKey(srv.HostKey.PublicKey())[:40])) {
		t.Fatalf("known hosts %q lacks the server key", b)
	}

	// Same address, new key: refused even though ConfirmHostKey says yes.
	srv2 := sftptest.Start(t, root, nil)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	ln.Close()
	_ = srv2
	other := cfg
	other.Host, other.Port = hostPort(t, srv2.Addr)
	// Record srv's key for srv2's address so srv2's key is a change.
	h := "[" + other.Host + "]:" + strconv.Itoa(other.Port)
	line := h + " " + string(ssh.MarshalAuthorizedKey(srv.HostKey.PublicKey()))
	if err := os.WriteFile(cfg.KnownHostsFile, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := sftp.Dialer{}.Dial(context.Background(), other)
	var hke *sftp.HostKeyError
	if !errors.As(err, &hke) || !hke.Changed() {
		t.Fatalf("err = %v, want changed HostKeyError", err)
	}
	for _, fp := range []string{ssh.FingerprintSHA256(srv.HostKey.PublicKey()), ssh.FingerprintSHA256(srv2.HostKey.PublicKey())} {
		if !strings.Contains(err.Error(), fp) {
			t.Errorf("error %q does not name %s", err, fp)
		}
	}
	if after, _ := os.ReadFile(cfg.KnownHostsFile); string(after) != line {
		t.Errorf("known hosts changed after a refused key: %q", after)
	}
}

func TestWrongPasswordIsLoginFailed(t *testing.T) {
	_, _, cfg := setup(t)
	cfg.Password = "nope"
	_, err := sftp.Dialer{}.Dial(context.Background(), cfg)
	if !errors.Is(err, engine.ErrLoginFailed) || engine.IsTemporary(err) {
		t.Fatalf("err = %v, want permanent ErrLoginFailed", err)
	}
	if strings.Contains(err.Error(), "nope") {
		t.Errorf("error %q contains the password", err)
	}
}

func TestKeyFileAuth(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("SSH_AUTH_SOCK", "")
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	spub, _ := ssh.NewPublicKey(pub)
	blk, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "", []byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	kf := filepath.Join(t.TempDir(), "id")
	os.WriteFile(kf, pem.EncodeToMemory(blk), 0o600)
	srv := sftptest.Start(t, t.TempDir(), spub)
	h, p := hostPort(t, srv.Addr)
	cfg := engine.Config{Host: h, Port: p, User: "u", IdentityFiles: []string{kf},
		ConfirmHostKey: func(context.Context, string, string) bool { return true },
		Passphrase:     func(context.Context, string) (string, error) { return "secret", nil }}
	s := dial(t, cfg)
	if err := s.Noop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestFileOperations(t *testing.T) {
	_, root, cfg := setup(t)
	s := dial(t, cfg)
	ctx := context.Background()
	data := bytes.Repeat([]byte("0123456789abcdef"), 200000) // 3.2 MB: many requests in flight
	if n, err := s.Store(ctx, "a.bin", 0, bytes.NewReader(data)); err != nil || n != int64(len(data)) {
		t.Fatalf("Store = %d, %v", n, err)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "a.bin")); !bytes.Equal(got, data) {
		t.Fatal("stored file differs")
	}
	var buf bytes.Buffer
	if n, err := s.Retrieve(ctx, "a.bin", 1000, &buf); err != nil || n != int64(len(data)-1000) || !bytes.Equal(buf.Bytes(), data[1000:]) {
		t.Fatalf("Retrieve from 1000 = %d, %v", n, err)
	}
	// Resumed upload: the rest from offset 5.
	if _, err := s.Store(ctx, "b.txt", 0, strings.NewReader("hello")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store(ctx, "b.txt", 5, strings.NewReader(" world")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "b.txt")); string(got) != "hello world" {
		t.Fatalf("resumed upload = %q", got)
	}
	if err := s.Mkdir(ctx, "x/y/z", true); err != nil {
		t.Fatal(err)
	}
	if err := s.Mkdir(ctx, "x/y", true); err != nil {
		t.Errorf("Mkdir parents of an existing dir: %v", err)
	}
	if err := s.Rename(ctx, "b.txt", "x/c.txt"); err != nil {
		t.Fatal(err)
	}
	if err := s.Chmod(ctx, "x/c.txt", 0o640); err != nil {
		t.Fatal(err)
	}
	mt := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := s.SetModTime(ctx, "x/c.txt", mt); err != nil {
		t.Fatal(err)
	}
	es, err := s.List(ctx, "x")
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, e := range es {
		if e.Name == "c.txt" {
			found = true
			// Windows has no Unix modes or uids (Go reports rw-rw-rw- and -1).
			unix := runtime.GOOS != "windows"
			if e.Size != 11 || !e.ModTime.Equal(mt) || unix && (e.Perm != "rw-r-----" || e.Owner != strconv.Itoa(os.Getuid())) {
				t.Errorf("entry = %+v", e)
			}
		}
	}
	if !found || len(es) != 2 {
		t.Fatalf("List(x) = %+v", es)
	}
	e, err := s.Stat(ctx, "x/y")
	if err != nil || !e.IsDir() {
		t.Fatalf("Stat(x/y) = %+v, %v", e, err)
	}
	if err := s.RemoveAll(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "x")); !os.IsNotExist(err) {
		t.Fatalf("x survives RemoveAll: %v", err)
	}
	if _, _, err := s.Checksum(ctx, "a.bin"); !errors.Is(err, engine.ErrUnsupported) {
		t.Errorf("Checksum err = %v", err)
	}
	want := root
	if runtime.GOOS == "windows" {
		want = "/" + filepath.ToSlash(root) // pkg/sftp's server names C:\x /C:/x
	}
	if wd, err := s.Getwd(ctx); err != nil || wd != want {
		t.Errorf("Getwd = %q, %v; want %q", wd, err, want)
	}
}

func TestMissingPathIsNotFoundWithServerStatus(t *testing.T) {
	_, _, cfg := setup(t)
	s := dial(t, cfg)
	ctx := context.Background()
	for name, f := range map[string]func() error{
		"Stat":     func() error { _, err := s.Stat(ctx, "nope"); return err },
		"Retrieve": func() error { _, err := s.Retrieve(ctx, "nope", 0, new(bytes.Buffer)); return err },
		"Delete":   func() error { return s.Delete(ctx, "nope") },
		"List":     func() error { _, err := s.List(ctx, "nope"); return err },
	} {
		t.Run(name, func(t *testing.T) {
			err := f()
			if !errors.Is(err, engine.ErrNotFound) || engine.IsTemporary(err) {
				t.Fatalf("err = %v, want permanent ErrNotFound", err)
			}
			if !s.Alive() {
				t.Fatal("session dead after a missing path")
			}
		})
	}
}

func TestCancelledCallLeavesSessionClosed(t *testing.T) {
	_, _, cfg := setup(t)
	s := dial(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.List(ctx, ""); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if !s.Alive() {
		t.Fatal("a call cancelled before it started killed the session")
	}
}
