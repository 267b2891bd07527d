package ftp_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/ftp"
	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// TestInteropASCII against vsftpd (ascii_upload_enable and
// ascii_download_enable on, see ftptest): an ASCII upload of a file with
// CRLF and LF lines is stored with the server's LF line ends, an ASCII
// download arrives as CRLF on the wire and is written with LF; binary
// leaves every byte alone both ways.
func TestInteropASCII(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("local line ends are CRLF")
	}
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	s.WriteFile(t, "lf.txt", []byte("one\ntwo\n"))
	ctx := context.Background()
	c, err := ftp.Dial(ctx, serverConfig(s, engine.Plain, engine.ModePassive, t))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	mixed := "crlf\r\nlf\n"
	for _, tc := range []struct {
		ascii    bool
		onDisk   string // what the server stores of mixed
		local    string // what a download of lf.txt writes
		wireSize int64  // bytes of it on the data connection
	}{
		{true, "crlf\nlf\n", "one\ntwo\n", 10},
		{false, mixed, "one\ntwo\n", 8},
	} {
		c.SetASCII(tc.ascii)
		name := "up-binary.txt"
		if tc.ascii {
			name = "up-ascii.txt"
		}
		if _, err := c.Store(ctx, "/"+name, 0, strings.NewReader(mixed)); err != nil {
			t.Fatalf("ascii=%v: Store: %v", tc.ascii, err)
		}
		if got, err := os.ReadFile(filepath.Join(s.Root, name)); err != nil || string(got) != tc.onDisk {
			t.Errorf("ascii=%v: the server stored %q (%v), want %q", tc.ascii, got, err, tc.onDisk)
		}
		var b bytes.Buffer
		n, err := c.Retrieve(ctx, "/lf.txt", 0, &b)
		if err != nil || b.String() != tc.local || n != tc.wireSize {
			t.Errorf("ascii=%v: Retrieve wrote %q, %d bytes on the wire (%v); want %q, %d", tc.ascii, b.String(), n, err, tc.local, tc.wireSize)
		}
	}
}
