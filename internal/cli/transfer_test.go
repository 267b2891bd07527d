package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/internal/ftptest"
)

func TestParseRate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		bad  bool
	}{
		{"", 0, false}, {"0", 0, false}, {"1000", 1000, false}, {"500K", 500 << 10, false},
		{"2m", 2 << 20, false}, {"1.5M", 3 << 19, false}, {"1G", 1 << 30, false},
		{"fast", 0, true}, {"-1K", 0, true}, {"K", 0, true},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseRate(tt.in)
			if (err != nil) != tt.bad || got != tt.want {
				t.Fatalf("got %d, %v", got, err)
			}
		})
	}
}

func TestTransferUsage(t *testing.T) {
	for _, args := range [][]string{
		{"get"}, {"put", "onlyone"}, {"get", "--parallel", "11", "ftp://h/x"}, {"get", "--overwrite", "maybe", "ftp://h/x"},
		{"get", "--limit-rate", "lots", "ftp://h/x"}, {"get", "http://h/x"}, {"get", "--overwrite=ask", "ftp://h/x"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			env, _, _ := testEnv()
			if _, done, status := Parse(context.Background(), args, env); !done || status != 2 {
				t.Fatalf("status %d, want 2", status)
			}
		})
	}
}

// xfer runs a skiff command line in-process.
func xfer(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	env, out, errb := testEnv()
	_, _, status = Parse(context.Background(), args, env)
	return status, out.String(), errb.String()
}

// isolate keeps the CLI's queue files in the test's temp dir.
func isolate(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
}

func writeTree(t *testing.T, s *ftptest.Server, dirs, files int) map[string][]byte {
	want := map[string][]byte{}
	r := rand.New(rand.NewPCG(uint64(dirs), uint64(files)))
	for d := range dirs {
		for f := range files {
			name := fmt.Sprintf("tree/dir %02d/file-%03d.bin", d, f)
			b := make([]byte, r.IntN(9000))
			for i := range b {
				b[i] = byte(r.UintN(256))
			}
			want[name] = b
			s.WriteFile(t, name, b)
		}
	}
	return want
}

func compareTree(t *testing.T, want map[string][]byte, root string) {
	t.Helper()
	n := 0
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	if n != len(want) {
		t.Errorf("%d files under %s, want %d", n, root, len(want))
	}
	for name, b := range want {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("%s differs: %v", name, err)
		}
	}
}

// TestGetPutTree: 500 files in 10 folders down and up with --parallel 4,
// byte-identical, on every server kind.
func TestGetPutTree(t *testing.T) {
	for _, k := range ftptest.Kinds {
		t.Run(string(k), func(t *testing.T) {
			isolate(t)
			s := ftptest.Start(t, k, ftptest.Options{})
			want := writeTree(t, s, 10, 50)
			dst := t.TempDir()
			status, out, errs := xfer(t, "get", "-r", "--parallel", "4", "--json", s.URL("/tree"), dst)
			if status != 0 {
				t.Fatalf("get: status %d\n%s", status, errs)
			}
			if lines := strings.Count(out, "\n"); lines != 500 {
				t.Fatalf("%d JSON lines, want 500", lines)
			}
			compareTree(t, prefixed(want, "tree/"), dst)

			status, _, errs = xfer(t, "put", "-r", "--parallel", "4", dst, s.URL("/up"))
			if status != 0 {
				t.Fatalf("put: status %d\n%s", status, errs)
			}
			compareTree(t, prefixed(want, "tree/"), filepath.Join(s.Root, "up"))
		})
	}
}

// prefixed strips prefix from every name.
func prefixed(m map[string][]byte, prefix string) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range m {
		out[strings.TrimPrefix(k, prefix)] = v
	}
	return out
}

// TestGet550FailsOneFile: one unreadable file fails with the server's reason;
// the rest arrives; the exit status says so.
func TestGet550FailsOneFile(t *testing.T) {
	for _, k := range []ftptest.Kind{ftptest.KindVsftpd, ftptest.KindPureFTPd} {
		t.Run(string(k), func(t *testing.T) {
			isolate(t)
			s := ftptest.Start(t, k, ftptest.Options{})
			want := writeTree(t, s, 2, 10)
			secret := filepath.Join(s.Root, "tree", "dir 01", "file-004.bin")
			os.Chown(secret, 0, 0)
			os.Chmod(secret, 0o600) // owned by root: the server's user cannot read it
			delete(want, "tree/dir 01/file-004.bin")
			dst := t.TempDir()
			status, out, _ := xfer(t, "get", "-r", "--json", "--retries", "0", s.URL("/tree"), dst)
			if status != 1 {
				t.Fatalf("status %d, want 1", status)
			}
			var failed []result
			sc := bufio.NewScanner(strings.NewReader(out))
			for sc.Scan() {
				var r result
				if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
					t.Fatal(err)
				}
				if r.State == "failed" {
					failed = append(failed, r)
				}
			}
			if len(failed) != 1 || !strings.HasSuffix(failed[0].Remote, "file-004.bin") || failed[0].Code != 550 {
				t.Fatalf("failed: %+v", failed)
			}
			compareTree(t, prefixed(want, "tree/"), dst)
		})
	}
}

// TestCLIChild is not a test: run as childCmd builds it, the test binary
// carries out one skiff command in a process of its own (for the tests that
// kill it, or mount a file system under it) and exits with its status.
func TestCLIChild(t *testing.T) {
	args := os.Getenv("SKIFF_CLI_CHILD_ARGS")
	if args == "" {
		t.Skip("helper process")
	}
	env, _, _ := testEnv()
	env.Stdout, env.Stderr = os.Stdout, os.Stderr
	_, _, status := Parse(context.Background(), strings.Split(args, "\x1f"), env)
	os.Exit(status)
}

// childCmd returns the command that runs the skiff command args in a child
// process (TestCLIChild), prefixed by wrap (e.g. unshare) when given.
func childCmd(ctx context.Context, wrap []string, args ...string) *exec.Cmd {
	argv := append(wrap, os.Args[0], "-test.run=^TestCLIChild$")
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), "SKIFF_CLI_CHILD_ARGS="+strings.Join(args, "\x1f"))
	return cmd
}

// TestGetSIGKILLThenResume: a throttled download killed with SIGKILL leaves
// only name.part; get --resume finishes it with REST, byte-identical.
func TestGetSIGKILLThenResume(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	big := make([]byte, 24<<20)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range big {
		big[i] = byte(r.UintN(256))
	}
	s.WriteFile(t, "big.bin", big)
	dst := t.TempDir()
	target := filepath.Join(dst, "big.bin")

	partial := killMidFile(t, target, len(big), "get", "--limit-rate", "4M", s.URL("/big.bin"), target)

	status, _, errs := xfer(t, "get", "--resume", "--debug", s.URL("/big.bin"), target)
	if status != 0 {
		t.Fatalf("resume: status %d\n%s", status, errs)
	}
	if !strings.Contains(errs, fmt.Sprintf("REST %d", partial)) {
		t.Errorf("no REST %d in the protocol log", partial)
	}
	got, _ := os.ReadFile(target)
	if !bytes.Equal(got, big) {
		t.Fatal("resumed file differs")
	}
	if _, err := os.Stat(target + ".part"); !os.IsNotExist(err) {
		t.Fatal("partial file left behind")
	}
}

// TestGetRecursiveSIGKILLThenResume: kill a throttled `get -r` mid-tree;
// `get -r --resume` restores the interrupted queue (walked folders are not
// walked again) and finishes every file, byte-identical.
func TestGetRecursiveSIGKILLThenResume(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	want := map[string][]byte{}
	r := rand.New(rand.NewPCG(7, 8))
	for d := range 4 {
		for f := range 10 {
			b := make([]byte, 40_000+r.IntN(40_000))
			for i := range b {
				b[i] = byte(r.UintN(256))
			}
			name := fmt.Sprintf("q/d%d/f%02d", d, f)
			want[strings.TrimPrefix(name, "q/")] = b
			s.WriteFile(t, name, b)
		}
	}
	dst := filepath.Join(t.TempDir(), "q")
	killMidTree(t, dst, "get", "-r", "--limit-rate", "600K", s.URL("/q"), dst)

	status, out, errs := xfer(t, "get", "-r", "--resume", "--json", s.URL("/q"), dst)
	if status != 0 {
		t.Fatalf("resume: status %d\n%s", status, errs)
	}
	if n := strings.Count(out, "\n"); n != len(want) {
		t.Errorf("%d items after restore, want %d (no duplicates, none lost)", n, len(want))
	}
	compareTree(t, want, dst)
}

// TestGetPutTreeTLS: the same over explicit FTPS against vsftpd, which drops
// data connections that do not resume the control connection's TLS session.
func TestGetPutTreeTLS(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{TLS: true, RequireTLS: true})
	want := writeTree(t, s, 4, 25)
	dst := t.TempDir()
	tls := []string{"--tls", "explicit", "--cacert", s.CAFile}
	if status, _, errs := xfer(t, append(append([]string{"get", "-r", "--parallel", "4"}, tls...), s.URL("/tree"), dst)...); status != 0 {
		t.Fatalf("get: status %d\n%s", status, errs)
	}
	compareTree(t, prefixed(want, "tree/"), dst)
	if status, _, errs := xfer(t, append(append([]string{"put", "-r", "--parallel", "4"}, tls...), dst, s.URL("/up"))...); status != 0 {
		t.Fatalf("put: status %d\n%s", status, errs)
	}
	compareTree(t, prefixed(want, "tree/"), filepath.Join(s.Root, "up"))
}

// TestPutSIGKILLThenResume: a throttled upload killed with SIGKILL is
// finished by put --resume from the server's size (REST+STOR), identical.
func TestPutSIGKILLThenResume(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	big := make([]byte, 16<<20)
	r := rand.New(rand.NewPCG(9, 10))
	for i := range big {
		big[i] = byte(r.UintN(256))
	}
	src := filepath.Join(t.TempDir(), "up.bin")
	os.WriteFile(src, big, 0o644)
	remote := filepath.Join(s.Root, "up.bin")

	killWhen(t, func() bool {
		fi, err := os.Stat(remote)
		if err == nil && fi.Size() > 2<<20 {
			time.Sleep(200 * time.Millisecond) // the started flag reaches the queue file
			return true
		}
		return false
	}, "put", "--limit-rate", "4M", src, s.URL("/up.bin"))
	time.Sleep(100 * time.Millisecond) // the server notices and closes the file
	fi, err := os.Stat(remote)
	if err != nil || fi.Size() >= int64(len(big)) {
		t.Fatalf("partial upload: %v %v", fi, err)
	}

	status, _, errs := xfer(t, "put", "--resume", "--debug", src, s.URL("/up.bin"))
	if status != 0 {
		t.Fatalf("resume: status %d\n%s", status, errs)
	}
	if !strings.Contains(errs, "REST ") && !strings.Contains(errs, "APPE ") {
		t.Error("the upload was not resumed (no REST or APPE in the protocol log)")
	}
	got, _ := os.ReadFile(remote)
	if !bytes.Equal(got, big) {
		t.Fatal("resumed upload differs")
	}
}

// TestPutCreatesMissingFolders: `skiff put FILE URL` into a remote folder
// that does not exist creates it and its parents, like FileZilla, on every
// server; a trailing slash names the folder the file goes into.
func TestPutCreatesMissingFolders(t *testing.T) {
	for _, k := range ftptest.Kinds {
		t.Run(string(k), func(t *testing.T) {
			s := ftptest.Start(t, k, ftptest.Options{})
			data := []byte("put into a folder that is not there yet\n")
			src := filepath.Join(t.TempDir(), "note.txt")
			os.WriteFile(src, data, 0o644)
			for _, tc := range []struct{ url, remote string }{
				{"/new/deeper/note.txt", "new/deeper/note.txt"},
				{"/other/dir/", "other/dir/note.txt"},
			} {
				if status, _, errs := xfer(t, "put", src, s.URL(tc.url)); status != 0 {
					t.Fatalf("put %s: status %d\n%s", tc.url, status, errs)
				}
				if got, err := os.ReadFile(filepath.Join(s.Root, filepath.FromSlash(tc.remote))); err != nil || !bytes.Equal(got, data) {
					t.Fatalf("put %s: server has %q, %v", tc.url, got, err)
				}
			}
		})
	}
}

// TestDotFilesOnVsftpd: vsftpd's plain LIST hides dot files. get -r brings
// .htaccess and .well-known/ all the same, and put -r --overwrite skip
// leaves the server's own .htaccess untouched.
func TestDotFilesOnVsftpd(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	s.WriteFile(t, "site/.htaccess", []byte("server rules"))
	s.WriteFile(t, "site/.well-known/acme", []byte("token"))
	s.WriteFile(t, "site/index.html", []byte("<html>"))
	dst := t.TempDir()
	if status, _, errs := xfer(t, "get", "-r", s.URL("/site"), dst); status != 0 {
		t.Fatalf("get: status %d\n%s", status, errs)
	}
	compareTree(t, map[string][]byte{".htaccess": []byte("server rules"), ".well-known/acme": []byte("token"),
		"index.html": []byte("<html>")}, dst)

	os.WriteFile(filepath.Join(dst, ".htaccess"), []byte("local rules"), 0o644)
	os.WriteFile(filepath.Join(dst, "new.html"), []byte("new"), 0o644)
	if status, _, errs := xfer(t, "put", "-r", "--overwrite", "skip", dst, s.URL("/site")); status != 0 {
		t.Fatalf("put: status %d\n%s", status, errs)
	}
	if got, err := os.ReadFile(filepath.Join(s.Root, "site", ".htaccess")); string(got) != "server rules" {
		t.Fatalf("remote .htaccess is now %q (%v)", got, err)
	}
	if got, err := os.ReadFile(filepath.Join(s.Root, "site", "new.html")); string(got) != "new" {
		t.Fatalf("new.html %q (%v)", got, err)
	}
}

// TestFolderSymlinksOnVsftpd: hosting accounts link www -> public_html;
// get -r follows it as a folder (exit 0, files whole) instead of failing a
// RETR of it with 550. A link to a folder above it is not walked forever:
// it is reported as not followed.
func TestFolderSymlinksOnVsftpd(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	s.WriteFile(t, "acct/public_html/index.html", []byte("<html>"))
	s.WriteFile(t, "acct/notes.txt", []byte("notes"))
	if err := os.Symlink("public_html", filepath.Join(s.Root, "acct", "www")); err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	if status, _, errs := xfer(t, "get", "-r", s.URL("/acct"), dst); status != 0 {
		t.Fatalf("get: status %d\n%s", status, errs)
	}
	compareTree(t, map[string][]byte{"notes.txt": []byte("notes"), "public_html/index.html": []byte("<html>"),
		"www/index.html": []byte("<html>")}, dst)

	if err := os.Symlink("..", filepath.Join(s.Root, "acct", "public_html", "up")); err != nil {
		t.Fatal(err)
	}
	status, _, errs := xfer(t, "get", "-r", s.URL("/acct"), t.TempDir())
	if status != 1 || strings.Count(errs, "up -> .. points to a folder above it") != 2 {
		t.Fatalf("loop: status %d\n%s", status, errs)
	}
}

// killWhen starts the CLI child with args and SIGKILLs it once got says the
// run is far enough (a limited rate keeps it from being over), as a user
// killing a transfer would.
func killWhen(t *testing.T, got func() bool, args ...string) {
	t.Helper()
	cmd := childCmd(context.Background(), nil, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !got() {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the transfer never got going")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
}

// killMidTree kills a recursive download into dst once 8 of its files are
// complete, and gives the queue file a moment to catch up first.
func killMidTree(t *testing.T, dst string, args ...string) {
	t.Helper()
	killWhen(t, func() bool {
		n := 0
		filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".part") {
				n++
			}
			return nil
		})
		if n >= 8 {
			time.Sleep(300 * time.Millisecond) // let the queue file catch up
		}
		return n >= 8
	}, args...)
}

// killMidFile kills the download of a size-byte file into target once 4 MiB
// of it are in target.part, and checks what the kill left: a partial .part
// and no target. It returns the size of the .part.
func killMidFile(t *testing.T, target string, size int, args ...string) int64 {
	t.Helper()
	killWhen(t, func() bool {
		fi, err := os.Stat(target + ".part")
		return err == nil && fi.Size() > 4<<20
	}, args...)
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Fatalf("%s exists after the kill: %v", target, err)
	}
	fi, err := os.Stat(target + ".part")
	if err != nil || fi.Size() == 0 || fi.Size() >= int64(size) {
		t.Fatalf("partial file: %v %v", fi, err)
	}
	return fi.Size()
}
