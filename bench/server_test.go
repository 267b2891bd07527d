// Package bench holds Skiff's benchmark scripts (transfer.sh, listing.sh)
// and the helper they use to run a private vsftpd: TestServe, which does
// nothing unless SKIFF_BENCH_DIR is set.
package bench

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// TestServe starts vsftpd (explicit FTPS offered, plain allowed,
// require_ssl_reuse=YES) for the benchmark scripts and keeps it running
// until $SKIFF_BENCH_DIR/stop appears. It first creates what the script
// asks for in the server's root:
//
//	SKIFF_BENCH_FILE_MIB=n      file.bin of n MiB (pseudo-random bytes)
//	SKIFF_BENCH_ENTRIES=n       big/ with n empty files
//
// and then writes $SKIFF_BENCH_DIR/server.env (shell variables HOST, PORT,
// USER, PASS, ROOT, CAFILE) for the script to source.
func TestServe(t *testing.T) {
	dir := os.Getenv("SKIFF_BENCH_DIR")
	if dir == "" {
		t.Skip("SKIFF_BENCH_DIR not set: run bench/transfer.sh or bench/listing.sh")
	}
	s := ftptest.Vsftpd(t, ftptest.Options{TLS: true})
	if mib, _ := strconv.Atoi(os.Getenv("SKIFF_BENCH_FILE_MIB")); mib > 0 {
		writeRandomFile(t, s.WriteFile(t, "file.bin", nil), mib)
	}
	if n, _ := strconv.Atoi(os.Getenv("SKIFF_BENCH_ENTRIES")); n > 0 {
		big := s.MkdirAll(t, "big")
		for i := range n {
			f, err := os.Create(filepath.Join(big, fmt.Sprintf("file-%06d.txt", i)))
			if err != nil {
				t.Fatal(err)
			}
			f.Close()
		}
	}
	s.MkdirAll(t, "up")
	env := fmt.Sprintf("HOST=%s\nPORT=%d\nUSER=%s\nPASS=%s\nROOT=%s\nCAFILE=%s\n", s.Host, s.Port, s.User, s.Password, s.Root, s.CAFile)
	serveUntilStop(t, dir, "server.env", env)
}

// serveUntilStop publishes env (shell variables) as dir/name, atomically so
// the script never sources half of it, and waits until dir/stop appears.
func serveUntilStop(t *testing.T, dir, name, env string) {
	tmp := filepath.Join(dir, name+".tmp")
	if err := os.WriteFile(tmp, []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "stop")); err == nil {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// writeRandomFile fills the file at p with mib MiB of pseudo-random bytes.
func writeRandomFile(t *testing.T, p string, mib int) {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.NewChaCha8([32]byte{'b', 'e', 'n', 'c', 'h'})
	buf := make([]byte, 1<<20)
	for range mib {
		r.Read(buf)
		if _, err := f.Write(buf); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
