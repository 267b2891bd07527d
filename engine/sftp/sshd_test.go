package sftp_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/sftp"
	"github.com/skiff-ftp/skiff/internal/sshtest"
)

// sshdConfig logs in to a real sshd with its password, trusting its keys.
func sshdConfig(t *testing.T, s *sshtest.Server) engine.Config {
	t.Helper()
	t.Setenv("HOME", t.TempDir())
	t.Setenv("SSH_AUTH_SOCK", "")
	kh := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(kh, []byte(s.KnownHostsLine()), 0o600); err != nil {
		t.Fatal(err)
	}
	return engine.Config{Host: s.Host, Port: s.Port, User: s.User, Password: s.Password,
		Protocol: engine.ProtocolSFTP, KnownHostsFile: kh}
}

// TestSessionAgainstOpenSSH runs every Session method against OpenSSH's
// internal-sftp and checks the result on the server's disk.
func TestSessionAgainstOpenSSH(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{})
	sess := dial(t, sshdConfig(t, s))
	ctx := context.Background()
	local := func(name string) string { return filepath.Join(s.Root, filepath.FromSlash(name)) }

	if wd, err := sess.Getwd(ctx); err != nil || wd != s.Root {
		t.Fatalf("Getwd = %q, %v; want the login folder %q", wd, err, s.Root)
	}
	if err := sess.Noop(ctx); err != nil {
		t.Fatalf("Noop: %v", err)
	}
	if err := sess.Mkdir(ctx, s.Path("a/b/c"), true); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(local("a/b/c")); err != nil || !fi.IsDir() {
		t.Fatalf("Mkdir with parents: %v", err)
	}
	if _, err := sess.Store(ctx, s.Path("a/old.txt"), 0, strings.NewReader("old")); err != nil {
		t.Fatal(err)
	}
	if _, err := sess.Store(ctx, s.Path("a/new.txt"), 0, strings.NewReader("new")); err != nil {
		t.Fatal(err)
	}
	// posix-rename@openssh.com: a rename over an existing file replaces it.
	if err := sess.Rename(ctx, s.Path("a/new.txt"), s.Path("a/old.txt")); err != nil {
		t.Fatalf("Rename over an existing file: %v", err)
	}
	if b, _ := os.ReadFile(local("a/old.txt")); string(b) != "new" {
		t.Fatalf("after rename a/old.txt = %q", b)
	}
	if err := sess.Chmod(ctx, s.Path("a/old.txt"), 0o604); err != nil {
		t.Fatal(err)
	}
	mt := time.Date(2019, 8, 7, 6, 5, 4, 0, time.UTC)
	if err := sess.SetModTime(ctx, s.Path("a/old.txt"), mt); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(local("a/old.txt"))
	if err != nil || fi.Mode().Perm() != 0o604 || !fi.ModTime().Equal(mt) {
		t.Fatalf("after Chmod and SetModTime: %v %v", fi, err)
	}
	es, err := sess.List(ctx, s.Path("a"))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := user.Lookup(s.User)
	var seen []string
	for _, e := range es {
		seen = append(seen, e.Name)
		if e.Name == "old.txt" && (e.Perm != "rw----r--" || e.Size != 3 || !e.ModTime.Equal(mt) || e.Owner != u.Uid) {
			t.Errorf("old.txt listed as %+v", e)
		}
	}
	if strings.Join(seen, ",") != "b,old.txt" && strings.Join(seen, ",") != "old.txt,b" {
		t.Errorf("a lists %v", seen)
	}
	if err := sess.Delete(ctx, s.Path("a/old.txt")); err != nil {
		t.Fatal(err)
	}
	if err := sess.Rmdir(ctx, s.Path("a/b/c")); err != nil {
		t.Fatal(err)
	}
	if err := sess.RemoveAll(ctx, s.Path("a")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(local("a")); !os.IsNotExist(err) {
		t.Fatalf("a still there after RemoveAll: %v", err)
	}
}

// TestOpenSSHStatusesMapToSentinels: OpenSSH's "No such file" and
// "Permission denied" are ErrNotFound and ErrPermission, permanent, with the
// server's status (its code and message) in the chain.
func TestOpenSSHStatusesMapToSentinels(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{})
	sess := dial(t, sshdConfig(t, s))
	ctx := context.Background()
	secret := filepath.Join(s.Root, "secret")
	os.WriteFile(secret, []byte("root only"), 0o600) // root's: the user may not read it

	for _, tc := range []struct {
		name     string
		call     func() error
		sentinel error
		msg      string
	}{
		{"retrieve missing", func() error { _, err := sess.Retrieve(ctx, s.Path("missing"), 0, &bytes.Buffer{}); return err },
			engine.ErrNotFound, "No such file"},
		{"retrieve root's file", func() error { _, err := sess.Retrieve(ctx, secret, 0, &bytes.Buffer{}); return err },
			engine.ErrPermission, "Permission denied"},
		{"store into a root folder", func() error { _, err := sess.Store(ctx, "/root/x", 0, strings.NewReader("x")); return err },
			engine.ErrPermission, "Permission denied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if !errors.Is(err, tc.sentinel) || engine.IsTemporary(err) {
				t.Fatalf("err = %v, want permanent %v", err, tc.sentinel)
			}
			var se *sftp.Status
			if !errors.As(err, &se) || !strings.Contains(se.Message, tc.msg) {
				t.Fatalf("err = %v: no server status %q in the chain", err, tc.msg)
			}
		})
	}
	if !sess.Alive() {
		t.Fatal("a refused request killed the session")
	}
}

// TestKeyAndAgentlessLoginToOpenSSH: a key-only sshd; the key file logs in,
// the password alone is ErrLoginFailed.
func TestKeyAndAgentlessLoginToOpenSSH(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{NoPassword: true})
	cfg := sshdConfig(t, s)
	_, err := sftp.Dialer{}.Dial(context.Background(), cfg)
	if !errors.Is(err, engine.ErrLoginFailed) {
		t.Fatalf("password on a key-only server: %v, want ErrLoginFailed", err)
	}
	cfg.IdentityFiles = []string{s.KeyFile}
	sess := dial(t, cfg)
	if _, err := sess.Stat(context.Background(), s.Path("")); err != nil {
		t.Fatal(err)
	}
}
