package ftptest

import (
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// ftpSrvScript starts one ftp-srv server; see the file for its argv.
//
//go:embed servers/ftp-srv.js
var ftpSrvScript []byte

// ftpSrvModules returns the node_modules folder scripts/more-ftp-servers.sh
// installs ftp-srv into: .cache/ftp-srv/node_modules beside the server
// binaries' folder (.cache/ftpservers, or $SKIFF_FTPSERVERS).
func ftpSrvModules() (string, error) {
	dir, err := binDir()
	if err != nil {
		return "", err
	}
	m := filepath.Join(filepath.Dir(dir), "ftp-srv", "node_modules")
	if _, err := os.Stat(filepath.Join(m, "ftp-srv", "package.json")); err != nil {
		return "", fmt.Errorf("ftp-srv not found in %s", m)
	}
	return m, nil
}

// FtpSrv starts a private ftp-srv 4.6.3 (Node.js, from npm; installed by
// scripts/more-ftp-servers.sh into .cache/ftp-srv) on a free 127.0.0.1 port
// (band 12000–15999): a user "skiff" whose root is Root, and with o.TLS
// explicit FTPS (Node's tls). ftp-srv cannot refuse plain sessions nor speak
// implicit FTPS here: RequireTLS and ImplicitTLS skip the test. No anonymous
// access (AnonRoot is empty). It runs as root, like pyftpdlib.
func FtpSrv(t testing.TB, o Options) *Server {
	t.Helper()
	o = o.normalize()
	if o.RequireTLS || o.ImplicitTLS {
		t.Skip("ftptest: ftp-srv here offers explicit FTPS only, never required")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable(t, KindFtpSrv, "%v", err)
	}
	modules, err := ftpSrvModules()
	if err != nil {
		unavailable(t, KindFtpSrv, "%v", err)
	}
	s := slotInstance(t, KindFtpSrv, o, "", ftpSrvBand)
	s.User, s.Password = goUser, localPassword

	script := filepath.Join(s.Dir, "ftp-srv.js")
	if err := os.WriteFile(script, ftpSrvScript, 0o644); err != nil {
		t.Fatalf("ftptest: %v", err)
	}
	args := []string{script, strconv.Itoa(s.Port), strconv.Itoa(s.PassiveMin), strconv.Itoa(s.PassiveMax), s.Root, s.User}
	if o.TLS {
		args = append(args, s.CAFile, filepath.Join(s.Dir, "key.pem"))
	}
	cmd := exec.Command(node, args...)
	cmd.Dir = s.Dir
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules, "SKIFF_FTPTEST_PASSWORD="+s.Password)
	pid, err := startProcess(t, "ftp-srv", cmd, s.Addr())
	if err != nil {
		unavailable(t, KindFtpSrv, "%v", err)
	}
	s.Pid = pid
	return s
}
