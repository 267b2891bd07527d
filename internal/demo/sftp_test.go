package demo

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/sftp"
)

// TestStartServesTreeOverSFTP: the demo serves the same tree over SFTP to
// the same user, with a host key the client trusts once; nothing outside
// the tree is reachable.
func TestStartServesTreeOverSFTP(t *testing.T) {
	if testing.Short() {
		t.Skip("generates ~17 MiB")
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("SSH_AUTH_SOCK", "")
	d, err := Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if d.SFTPPort == 0 || d.SFTPPort == d.Port || !strings.HasPrefix(d.HostKeyFingerprint(), "SHA256:") {
		t.Fatalf("SFTP port %d (FTP %d), host key %q", d.SFTPPort, d.Port, d.HostKeyFingerprint())
	}
	kh := filepath.Join(t.TempDir(), "known_hosts")
	cfg := engine.Config{Protocol: engine.ProtocolSFTP, Host: d.Host, Port: d.SFTPPort, User: d.User, Password: d.Password,
		KnownHostsFile: kh, TrustedFingerprints: []string{d.HostKeyFingerprint()}}
	ctx := context.Background()
	s, err := sftp.Dialer{}.Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if wd, err := s.Getwd(ctx); err != nil || wd != "/" {
		t.Errorf("Getwd = %q, %v; want /", wd, err)
	}
	names := func(dir string) []string {
		t.Helper()
		es, err := s.List(ctx, dir)
		if err != nil {
			t.Fatalf("List %s: %v", dir, err)
		}
		var ns []string
		for _, e := range es {
			ns = append(ns, e.Name)
		}
		return ns
	}
	top := names("/")
	for _, n := range []string{"Documents", "Photos", "Music", EmptyDir, ManyDir, "README.txt", "zero bytes.dat"} {
		if !slices.Contains(top, n) {
			t.Errorf("/ lacks %q: %q", n, top)
		}
	}
	if up := names("/../.."); !slices.Equal(up, top) {
		t.Errorf("/../.. lists %q, not the tree's top", up)
	}
	if n := len(names("/" + ManyDir)); n != ManyFiles {
		t.Errorf("%s has %d entries, want %d", ManyDir, n, ManyFiles)
	}
	const song = "/Music/Some Band/Album (Deluxe)/02 - Song Title.mp3"
	var got bytes.Buffer
	if _, err := s.Retrieve(ctx, song, 0, &got); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(filepath.Join(d.Root, filepath.FromSlash(song)))
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("download: %d bytes, want %d identical", got.Len(), len(want))
	}
	up := bytes.Repeat([]byte("skiff "), 50_000)
	if _, err := s.Store(ctx, "/Documents/uploaded.bin", 0, bytes.NewReader(up)); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(d.Root, "Documents", "uploaded.bin")); !bytes.Equal(b, up) {
		t.Errorf("upload: %d bytes on disk, want %d", len(b), len(up))
	}
	outside := filepath.Join(filepath.Dir(d.Root), "outside-"+filepath.Base(d.Root))
	if err := os.WriteFile(outside, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(outside)
	if _, err := s.Stat(ctx, "/../"+filepath.Base(outside)); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("a file next to the tree is reachable: %v", err)
	}
	if _, err := os.Stat(kh); !os.IsNotExist(err) {
		t.Errorf("the demo's host key was recorded: %v", err)
	}

	bad := cfg
	bad.Password = "not-the-password"
	if _, err := (sftp.Dialer{}).Dial(ctx, bad); !errors.Is(err, engine.ErrLoginFailed) {
		t.Errorf("wrong password: %v", err)
	}
}
