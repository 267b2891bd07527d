package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// TestPutGetType: --ascii, --type a|i|auto against vsftpd (which converts
// in ASCII mode): an ASCII upload stores the server's LF line ends, binary
// the bytes as they are, auto by extension; an ASCII download writes LF.
func TestPutGetType(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	dir := t.TempDir()
	mixed := "crlf\r\nlf\n"
	for _, n := range []string{"a.txt", "b.dat"} {
		os.WriteFile(filepath.Join(dir, n), []byte(mixed), 0o644)
	}
	for _, tc := range []struct {
		flags []string
		file  string
		want  string
	}{
		{[]string{"--ascii"}, "a.txt", "crlf\nlf\n"},
		{[]string{"--type", "a"}, "b.dat", "crlf\nlf\n"},
		{[]string{"--type", "i"}, "a.txt", mixed},
		{nil, "a.txt", mixed},
		{[]string{"--type", "auto"}, "a.txt", "crlf\nlf\n"},
		{[]string{"--type", "auto"}, "b.dat", mixed},
	} {
		remote := "/" + strings.Join(tc.flags, "") + tc.file
		args := append(append([]string{"put"}, tc.flags...), filepath.Join(dir, tc.file), s.URL(remote))
		if status, _, errs := xfer(t, args...); status != 0 {
			t.Fatalf("%q: status %d\n%s", args, status, errs)
		}
		if got, _ := os.ReadFile(filepath.Join(s.Root, remote)); string(got) != tc.want {
			t.Errorf("%q: server stored %q, want %q", args, got, tc.want)
		}
	}
	s.WriteFile(t, "crlf.txt", []byte("x\r\ny\n"))
	for _, tc := range []struct {
		flag, want string
	}{{"--ascii", "x\ny\n"}, {"--type=binary", "x\r\ny\n"}} {
		dst := filepath.Join(t.TempDir(), "got.txt")
		if status, _, errs := xfer(t, "get", tc.flag, s.URL("/crlf.txt"), dst); status != 0 {
			t.Fatalf("get %s: status %d\n%s", tc.flag, status, errs)
		}
		if got, _ := os.ReadFile(dst); string(got) != tc.want {
			t.Errorf("get %s: %q, want %q", tc.flag, got, tc.want)
		}
	}
	if status, _, _ := xfer(t, "get", "--type", "ebcdic", s.URL("/crlf.txt"), dir); status != 2 {
		t.Errorf("--type ebcdic: status %d, want 2", status)
	}
}
