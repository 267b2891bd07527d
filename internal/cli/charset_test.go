package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// TestLsCharset: --charset decodes a legacy server's names; without it
// they are the bytes the server sent.
func TestLsCharset(t *testing.T) {
	srv := listServer(t, "-rw-r--r--    1 1000     1000          123 Jan 02  2024 caf\xe9 \xfcber.txt\r\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--charset", "ISO-8859-1"}, "café über.txt"},
		{[]string{"--charset", "windows-1252"}, "café über.txt"},
		{nil, "caf\xe9 \xfcber.txt"},
	} {
		env, out, errb := testEnv()
		args := append(append([]string{"ls"}, tc.args...), "ftp://"+srv+"/pub")
		if status := runCLI(env, args...); status != 0 {
			t.Fatalf("%q: status %d: %s", args, status, errb.String())
		}
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("%q: output %q, want %q", args, out.String(), tc.want)
		}
	}
	env, _, errb := testEnv()
	if status := runCLI(env, "ls", "--charset", "klingon", "ftp://"+srv+"/pub"); status != 2 || !strings.Contains(errb.String(), "unknown charset") {
		t.Fatalf("unknown charset: status %d, %q", status, errb.String())
	}
}

// TestSyncCharset: skiff sync with --charset mirrors a server's Latin-1
// names to UTF-8 local names and back, and a second run finds nothing to
// do: names stay UTF-8 inside Skiff, the engine translates at the wire.
func TestSyncCharset(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	s.WriteFile(t, "legacy/caf\xe9/r\xe9sum\xe9.txt", []byte("cv"))
	dst := filepath.Join(t.TempDir(), "copy")
	for run, want := range []int{1, 0} {
		status, acts, errs := runSyncCLI(t, "--charset", "ISO-8859-1", s.URL("/legacy"), dst)
		if status != 0 || len(acts["download"]) != want {
			t.Fatalf("run %d: status %d, %v\n%s", run, status, acts, errs)
		}
	}
	if got, err := os.ReadFile(filepath.Join(dst, "café", "résumé.txt")); err != nil || string(got) != "cv" {
		t.Fatalf("local copy: %q %v", got, err)
	}
	if err := os.WriteFile(filepath.Join(dst, "café", "naïve.txt"), []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	status, acts, errs := runSyncCLI(t, "--charset", "ISO-8859-1", dst, s.URL("/legacy"))
	if status != 0 || len(acts["upload"]) != 1 {
		t.Fatalf("upload sync: status %d, %v\n%s", status, acts, errs)
	}
	if got, err := os.ReadFile(filepath.Join(s.Root, "legacy", "caf\xe9", "na\xefve.txt")); err != nil || string(got) != "new" {
		t.Fatalf("on the server: %q %v", got, err)
	}
}
