package bench

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/internal/sshtest"
)

// TestServeSSHD starts a real OpenSSH sshd (internal/sshtest) for
// bench/sftp.sh and keeps it running until $SKIFF_BENCH_DIR/stop appears.
// It first writes file.bin of SKIFF_BENCH_FILE_MIB MiB (pseudo-random) and
// an empty up/ into the server's root, and then $SKIFF_BENCH_DIR/server.env
// (shell variables HOST, PORT, USER, KEY, ROOT, KNOWN_HOSTS, SSHD_PID).
func TestServeSSHD(t *testing.T) {
	dir := os.Getenv("SKIFF_BENCH_DIR")
	if dir == "" {
		t.Skip("SKIFF_BENCH_DIR not set: run bench/sftp.sh")
	}
	s := sshtest.Start(t, sshtest.Options{NoPassword: true})
	if mib, _ := strconv.Atoi(os.Getenv("SKIFF_BENCH_FILE_MIB")); mib > 0 {
		p := s.WriteFile(t, "file.bin", nil)
		writeRandomFile(t, p, mib)
	}
	s.MkdirAll(t, "up")
	kh := filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(kh, []byte(s.KnownHostsLine()), 0o600); err != nil {
		t.Fatal(err)
	}
	env := fmt.Sprintf("HOST=%s\nPORT=%d\nUSER=%s\nKEY=%s\nROOT=%s\nKNOWN_HOSTS=%s\nSSHD_PID=%d\n",
		s.Host, s.Port, s.User, s.KeyFile, s.Root, kh, s.Pid)
	if err := os.WriteFile(filepath.Join(dir, "server.env.tmp"), []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Rename(filepath.Join(dir, "server.env.tmp"), filepath.Join(dir, "server.env"))
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
	r := rand.NewChaCha8([32]byte{'s', 's', 'h'})
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
