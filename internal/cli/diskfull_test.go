//go:build linux

package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/skiff-ftp/skiff/internal/testreq"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// TestGetIntoFullDisk downloads a tree from vsftpd into a real 64 KiB tmpfs
// (mounted in a mount namespace of the child's own, so nothing leaks): the
// disk fills part-way. The command must end at once, not retry every file
// with back-off (which took half an hour for 2,000 files), exit 1, say why
// and how to continue, keep its queue for --resume, and leave no file under
// its final name that did not arrive whole.
func TestGetIntoFullDisk(t *testing.T) {
	unshare, err := exec.LookPath("unshare")
	if os.Geteuid() != 0 || err != nil {
		testreq.Missing(t, "needs root and unshare(1) to mount a small tmpfs (euid %d, %v)", os.Geteuid(), err)
	}
	isolate(t)
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	want := writeTree(t, s, 3, 20) // about 270 KiB in 60 files
	dst := t.TempDir()

	args := []string{"get", "-r", "--parallel", "4", s.URL("/tree"), filepath.Join(dst, "tree")}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// sh mounts the tmpfs over dst, runs the command, then prints the
	// checksum of every file it left (they vanish with the namespace).
	script := `mount -t tmpfs -o size=64k skiff-full "$1" || exit 99; shift
"$@"; rc=$?; cd "$0" && find . -type f -exec sha256sum {} + >&2; exit $rc`
	cmd := childCmd(ctx, []string{unshare, "-m", "--", "sh", "-c", script, dst, dst}, args...)
	var errb strings.Builder
	cmd.Stderr = &errb
	start := time.Now()
	err = cmd.Run()
	took := time.Since(start)
	stderr := errb.String()
	if ctx.Err() != nil {
		t.Fatalf("still running after %v: a full disk is being retried\n%s", took, stderr)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 99 {
		t.Fatalf("could not mount a tmpfs in a mount namespace of its own (is this a container without CAP_SYS_ADMIN?)\n%s", stderr)
	}
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1\n%s", err, stderr)
	}
	for _, s := range []string{"local disk full", "no space left on device", "--resume"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr does not say %q:\n%s", s, stderr)
		}
	}

	sums := map[string]string{} // path under the tree -> sha256
	for _, line := range strings.Split(stderr, "\n") {
		sum, name, ok := strings.Cut(line, "  ./tree/")
		if ok && len(sum) == 64 {
			sums[name] = sum
		}
	}
	whole, partial := 0, 0
	for name, sum := range sums {
		if base, ok := strings.CutSuffix(name, ".part"); ok {
			if _, known := want["tree/"+base]; !known {
				t.Errorf("unexpected partial file %s", name)
			}
			partial++
			continue
		}
		b, known := want["tree/"+name]
		h := sha256.Sum256(b)
		if !known || hex.EncodeToString(h[:]) != sum {
			t.Errorf("%s is there under its own name but is not the server's file", name)
		}
		whole++
	}
	if whole == 0 || whole == len(want) {
		t.Fatalf("%d of %d files arrived: the disk did not fill part-way\n%s", whole, len(want), stderr)
	}
	dbs, _ := filepath.Glob(filepath.Join(os.Getenv("XDG_DATA_HOME"), "skiff", "cli", "*.db"))
	if len(dbs) != 1 {
		t.Errorf("queue files for --resume: %v, want one", dbs)
	}
	t.Logf("%d whole files, %d partial, exit after %v", whole, partial, took)
}

// TestPutToAFullServer uploads a tree to vsftpd whose upload folder is a
// 64 KiB tmpfs. vsftpd answers "451 Failure writing to local file." to every
// file once the folder is full, a temporary reply: the first files wait out
// their retries, the rest must fail at their first try (retrying each of
// 2,000 files for 6 s took 50 minutes), with the server's reply.
func TestPutToAFullServer(t *testing.T) {
	if os.Geteuid() != 0 {
		testreq.Missing(t, "needs root to mount a small tmpfs in the server's folder")
	}
	isolate(t)
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	up := s.MkdirAll(t, "up")
	if err := syscall.Mount("skiff-full", up, "tmpfs", 0, "size=64k,mode=0777"); err != nil {
		t.Fatalf("mounting a tmpfs on %s: %v", up, err)
	}
	t.Cleanup(func() { syscall.Unmount(up, syscall.MNT_DETACH) })
	src := t.TempDir()
	for i := range 40 {
		b := make([]byte, 8192)
		b[0] = byte(i)
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("f%02d.bin", i)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	status, stdout, stderr := xfer(t, "put", "-r", "--json", "--parallel", "4", src, s.URL("/up/x"))
	if status != 1 {
		t.Fatalf("status %d, want 1\n%s", status, stderr)
	}
	failed, once := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var r result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if r.State != "failed" {
			continue
		}
		if r.Code != 451 {
			t.Errorf("%s failed with %d %q, want the server's 451", r.Remote, r.Code, r.Reason)
		}
		failed++
		if r.Attempts == 1 {
			once++
		}
	}
	// The four files running when the disk filled may each use their
	// retries; every later one must not.
	if failed < 10 || once < failed-4 {
		t.Fatalf("%d files failed, %d of them at the first try\n%s", failed, once, stdout)
	}
}
