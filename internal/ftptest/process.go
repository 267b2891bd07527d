package ftptest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/skiff-ftp/skiff/internal/proctest"
)

// binDir is where the server binaries were unpacked: $SKIFF_FTPSERVERS,
// else <repo root>/.cache/ftpservers.
func binDir() (string, error) { return proctest.CacheDir("SKIFF_FTPSERVERS", "ftpservers") }

// binary returns the path of an unpacked server binary, e.g. "usr/sbin/vsftpd".
func binary(rel string) (string, error) {
	dir, err := binDir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s not found (set SKIFF_FTPSERVERS or run scripts/ftp-servers.sh)", p)
	}
	return p, nil
}

// needRoot reports why a real server cannot run here, or nil.
func needRoot() error {
	if os.Geteuid() != 0 {
		return errors.New("needs root (local-user logins, chroot, setuid); run go test as root after scripts/ftp-servers.sh")
	}
	return nil
}

// startProcess runs a server: see proctest.Start.
func startProcess(t testing.TB, name string, cmd *exec.Cmd, addr string, logFiles ...string) (int, error) {
	t.Helper()
	return proctest.Start(t, name, cmd, addr, &proctest.Buffer{}, logFiles...)
}
