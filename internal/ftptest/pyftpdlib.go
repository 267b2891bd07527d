package ftptest

import (
	_ "embed"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// pyftpdlibScript starts one pyftpdlib server; see the file for its argv.
//
//go:embed servers/pyftpdlib.py
var pyftpdlibScript []byte

// python is Debian's interpreter, the one python3-pyftpdlib installs for (a
// python3 earlier in PATH, e.g. pyenv's, does not see it).
const python = "/usr/bin/python3"

// Pyftpdlib starts a private pyftpdlib 1.5.7 server (Debian's
// python3-pyftpdlib, installed by scripts/more-ftp-servers.sh) on a free
// 127.0.0.1 port (band 16000–19999): a DummyAuthorizer user "skiff" with
// every permission on Root, and with o.TLS explicit FTPS through
// TLS_FTPHandler (pyOpenSSL; control and data TLS required with RequireTLS).
// pyftpdlib has no implicit FTPS (the test skips) and no anonymous access
// here (AnonRoot is empty). It runs as root: files the test writes need no
// chown, and uploads are owned by root.
func Pyftpdlib(t testing.TB, o Options) *Server {
	t.Helper()
	o = o.normalize()
	if o.ImplicitTLS {
		t.Skip("ftptest: pyftpdlib has no implicit FTPS")
	}
	probe := "import pyftpdlib"
	if o.TLS {
		probe += "; import OpenSSL"
	}
	if out, err := exec.Command(python, "-c", probe).CombinedOutput(); err != nil {
		unavailable(t, KindPyftpdlib, "%s -c %q: %v: %s", python, probe, err, out)
	}
	s := slotInstance(t, KindPyftpdlib, o, "", pyftpdlibBand)
	s.User, s.Password = goUser, localPassword

	script := filepath.Join(s.Dir, "skiff_pyftpdlib.py") // not pyftpdlib.py, which would shadow the package
	if err := os.WriteFile(script, pyftpdlibScript, 0o644); err != nil {
		t.Fatalf("ftptest: %v", err)
	}
	args := []string{script, strconv.Itoa(s.Port), strconv.Itoa(s.PassiveMin), strconv.Itoa(s.PassiveMax), s.Root, s.User}
	if o.TLS {
		require := "0"
		if o.RequireTLS {
			require = "1"
		}
		args = append(args, s.CAFile, filepath.Join(s.Dir, "key.pem"), require)
	}
	cmd := exec.Command(python, args...)
	cmd.Dir = s.Dir
	cmd.Env = append(os.Environ(), "SKIFF_FTPTEST_PASSWORD="+s.Password)
	pid, err := startProcess(t, "pyftpdlib", cmd, s.Addr())
	if err != nil {
		unavailable(t, KindPyftpdlib, "%v", err)
	}
	s.Pid = pid
	return s
}
