package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

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
	serveUntilStop(t, dir, "server.env", env)
}
