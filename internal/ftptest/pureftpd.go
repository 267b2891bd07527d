package ftptest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
)

const (
	// pureUser is pure-ftpd's virtual (PureDB) user.
	pureUser = "skiff"
	// pureHash is SHA-512 crypt of localPassword (openssl passwd -6 -salt
	// skiffsalt). pure-pw would hash with argon2, which costs ~3 s per login.
	pureHash = "$6$skiffsalt$5ul2ihxoC5jCHAfx7fg2HaLIPHRiOIOyBns2nXRIeFQhsxeTOLgZeqAmFcjnz11jKU3ZDrVsrCY87yls75Vxc/"
	// pureListLimit is -L: the most entries one listing returns and the
	// deepest recursion; pure-ftpd's default 10000:5 truncates big directories.
	pureListLimit = "2000000:64"
)

// PureFTPd starts a private pure-ftpd on a free 127.0.0.1 port (band
// 24000–27999): a virtual PureDB user "skiff" (uid of skiffftp) chrooted to
// Root, anonymous read-only on the same Root, and with o.TLS explicit FTPS
// (-Y 1; -Y 3 with RequireTLS, which also refuses plain anonymous sessions).
// pure-ftpd has no implicit FTPS: o.ImplicitTLS skips the test.
//
// Anonymous pure-ftpd sessions always serve the home of the system user
// "ftp"; the server runs in its own mount namespace (unshare -m) where Root is
// bind-mounted over that home. Without the "ftp" user or unshare the instance
// has no anonymous access (AnonRoot is empty).
func PureFTPd(t testing.TB, o Options) *Server {
	t.Helper()
	o = o.normalize()
	if o.ImplicitTLS {
		t.Skip("ftptest: pure-ftpd has no implicit FTPS")
	}
	bin, err := binary("usr/sbin/pure-ftpd")
	if err == nil {
		err = needRoot()
	}
	if err != nil {
		unavailable(t, KindPureFTPd, "%v", err)
	}
	pw, err := binary("usr/bin/pure-pw")
	if err != nil {
		unavailable(t, KindPureFTPd, "%v", err)
	}
	s := slotInstance(t, KindPureFTPd, o, localUser, pureFTPdBand)
	s.User, s.Password = pureUser, localPassword

	// PureDB: write the text file with our own hash, let pure-pw index it.
	passwd := filepath.Join(s.Dir, "pureftpd.passwd")
	pdb := filepath.Join(s.Dir, "pureftpd.pdb")
	// account:hash:uid:gid:gecos:home/./ then 12 unused limit fields; "/./"
	// chroots the user to home.
	line := fmt.Sprintf("%s:%s:%d:%d::%s/./::::::::::::\n", pureUser, pureHash, s.uid, s.gid, s.Root)
	if err := os.WriteFile(passwd, []byte(line), 0o600); err != nil {
		t.Fatalf("ftptest: %v", err)
	}
	mk := exec.Command(pw, "mkdb", pdb, "-f", passwd)
	if out, err := mk.CombinedOutput(); err != nil {
		unavailable(t, KindPureFTPd, "pure-pw mkdb: %v: %s", err, out)
	}

	args := []string{
		"-S", "127.0.0.1," + strconv.Itoa(s.Port),
		"-p", fmt.Sprintf("%d:%d", s.PassiveMin, s.PassiveMax),
		"-P", "127.0.0.1", // address in PASV replies
		"-l", "puredb:" + pdb,
		"-A", // chroot everyone
		"-H", // no reverse DNS
		"-4", // IPv4 only: we bind 127.0.0.1
		"-i", // anonymous cannot upload
		"-L", pureListLimit,
		"-U", "133:022", // uploads 0644, new dirs 0755
		"-g", filepath.Join(s.Dir, "pure-ftpd.pid"), // not /var/run/pure-ftpd.pid, shared by instances
		"-f", "none", // no syslog
	}
	if o.TLS {
		level := "1"
		if o.RequireTLS {
			level = "3"
		}
		args = append(args, "-Y", level, "-2", filepath.Join(s.Dir, "cert+key.pem"))
	}

	var cmd *exec.Cmd
	anonHome, anonErr := pureAnonHome()
	if anonErr == nil {
		s.AnonRoot = s.Root
		// unshare execs sh, sh execs pure-ftpd: the pid stays the server's.
		script := `mount --bind "$1" "$2" && bin=$3 && shift 3 && exec "$bin" "$@"`
		cmd = exec.Command("unshare", append([]string{"-m", "--propagation", "private", "--", "sh", "-c", script, "sh", s.Root, anonHome, bin}, args...)...)
	} else {
		t.Logf("ftptest: pure-ftpd without anonymous access: %v", anonErr)
		cmd = exec.Command(bin, append(args, "-E")...)
	}
	cmd.Dir = s.Dir
	pid, err := startProcess(t, "pure-ftpd", cmd, s.Addr())
	if err != nil {
		unavailable(t, KindPureFTPd, "%v", err)
	}
	s.Pid = pid
	return s
}

// pureAnonHome returns the home of the system user "ftp", which pure-ftpd
// serves to anonymous sessions, if it exists and unshare is available.
func pureAnonHome() (string, error) {
	u, err := user.Lookup("ftp")
	if err != nil {
		return "", fmt.Errorf("no system user ftp: %w", err)
	}
	if fi, err := os.Stat(u.HomeDir); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("home of user ftp %q is not a directory", u.HomeDir)
	}
	if _, err := exec.LookPath("unshare"); err != nil {
		return "", err
	}
	return u.HomeDir, nil
}
