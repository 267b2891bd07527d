package ftptest

import (
	_ "embed"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// twistedScript starts one Twisted FTP server; see the file for its argv.
//
//go:embed servers/twisted-ftp.py
var twistedScript []byte

// Twisted starts a private Twisted 22.4 FTP server (twisted.protocols.ftp
// from Debian's python3-twisted, installed by scripts/more-ftp-servers.sh)
// on a free 127.0.0.1 port (band 8000–11999): a user "skiff" whose home is
// Root. Twisted's FTP is the small one of the set: FEAT has only MDTM, PASV,
// SIZE and TYPE; no EPSV or EPRT (502), no REST, no APPE, no MLSD, no TLS
// (o.TLS skips the test), latin-1 file names; its LIST is its own, with
// numeric-free owners. No anonymous access (AnonRoot is empty). It runs as
// root, like pyftpdlib.
func Twisted(t testing.TB, o Options) *Server {
	t.Helper()
	o = o.normalize()
	if o.TLS {
		t.Skip("ftptest: Twisted's FTP server has no FTPS")
	}
	const probe = "import twisted.protocols.ftp"
	if out, err := exec.Command(python, "-c", probe).CombinedOutput(); err != nil {
		unavailable(t, KindTwisted, "%s -c %q: %v: %s", python, probe, err, out)
	}
	s := slotInstance(t, KindTwisted, o, "", twistedBand)
	s.User, s.Password = goUser, localPassword

	script := filepath.Join(s.Dir, "skiff_twisted_ftp.py")
	if err := os.WriteFile(script, twistedScript, 0o644); err != nil {
		t.Fatalf("ftptest: %v", err)
	}
	cmd := exec.Command(python, script, strconv.Itoa(s.Port), strconv.Itoa(s.PassiveMin), strconv.Itoa(s.PassiveMax), s.Root, s.User)
	cmd.Dir = s.Dir
	cmd.Env = append(os.Environ(), "SKIFF_FTPTEST_PASSWORD="+s.Password)
	pid, err := startProcess(t, "twisted", cmd, s.Addr())
	if err != nil {
		unavailable(t, KindTwisted, "%v", err)
	}
	s.Pid = pid
	return s
}
