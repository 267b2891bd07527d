package ftptest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// proftpdUser is ProFTPD's virtual user (AuthUserFile), with skiffftp's uid
// and the same SHA-512 crypt hash as pure-ftpd's.
const proftpdUser = "skiff"

// ProFTPd starts a private ProFTPD 1.3.8 (Debian's proftpd-core, unpacked by
// scripts/more-ftp-servers.sh) on a free 127.0.0.1 port (band 28000–31999):
// a virtual user "skiff" from an AuthUserFile, with skiffftp's uid, chrooted
// to Root (DefaultRoot ~), and with o.TLS explicit FTPS through mod_tls
// (TLSRequired with RequireTLS; implicit FTPS with ImplicitTLS). mod_tls
// keeps its default of requiring TLS session reuse on data connections, like
// vsftpd. No anonymous access (AnonRoot is empty).
//
// The server starts as root (it binds, then runs as nobody and switches to
// the user's uid after login) and runs in the foreground (-n).
func ProFTPd(t testing.TB, o Options) *Server {
	t.Helper()
	o = o.normalize()
	bin, err := binary("usr/sbin/proftpd")
	if err == nil {
		err = needRoot()
	}
	if err != nil {
		unavailable(t, KindProFTPd, "%v", err)
	}
	modules := filepath.Join(filepath.Dir(filepath.Dir(bin)), "lib", "proftpd")
	if o.TLS {
		if _, err := os.Stat(filepath.Join(modules, "mod_tls.so")); err != nil {
			unavailable(t, KindProFTPd, "%v", err)
		}
	}
	s := slotInstance(t, KindProFTPd, o, localUser, proFTPdBand)
	s.User, s.Password = proftpdUser, localPassword

	// user:hash:uid:gid:gecos:home:shell, as /etc/passwd.
	passwd := filepath.Join(s.Dir, "ftpd.passwd")
	line := fmt.Sprintf("%s:%s:%d:%d::%s:/bin/sh\n", proftpdUser, pureHash, s.uid, s.gid, s.Root)
	if err := os.WriteFile(passwd, []byte(line), 0o600); err != nil {
		t.Fatalf("ftptest: %v", err)
	}
	conf := filepath.Join(s.Dir, "proftpd.conf")
	logFile := filepath.Join(s.Dir, "proftpd.log")
	tlsLog := filepath.Join(s.Dir, "tls.log")
	if err := os.WriteFile(conf, []byte(proftpdConfig(s, modules, passwd, logFile, tlsLog)), 0o600); err != nil {
		t.Fatalf("ftptest: %v", err)
	}
	cmd := exec.Command(bin, "-n", "-c", conf)
	cmd.Dir = s.Dir
	pid, err := startProcess(t, "proftpd", cmd, s.Addr(), logFile, tlsLog)
	if err != nil {
		unavailable(t, KindProFTPd, "%v", err)
	}
	s.Pid = pid
	return s
}

// proftpdConfig renders s's proftpd.conf: every file the server writes lives
// in s.Dir, none in /run or /var/log, so instances do not share state.
func proftpdConfig(s *Server, modules, passwd, logFile, tlsLog string) string {
	onOff := func(b bool) string {
		if b {
			return "on"
		}
		return "off"
	}
	q := func(p string) string { return `"` + p + `"` }
	lines := []string{
		`ServerName "Skiff test ProFTPD"`,
		"ServerType standalone",
		// SocketBindTight: listen on 127.0.0.1 only, not on every address.
		"SocketBindTight on",
		"DefaultAddress 127.0.0.1",
		fmt.Sprintf("Port %d", s.Port),
		"UseIPv6 off",
		"User nobody",
		"Group nogroup",
		"PidFile " + q(filepath.Join(s.Dir, "proftpd.pid")),
		"ScoreboardFile " + q(filepath.Join(s.Dir, "proftpd.scoreboard")),
		"DelayTable " + q(filepath.Join(s.Dir, "proftpd.delay")),
		"SystemLog " + q(logFile),
		"TransferLog " + q(filepath.Join(s.Dir, "xfer.log")),
		"WtmpLog off",
		"UseReverseDNS off",
		// The virtual user only: no PAM, no /etc/passwd.
		"AuthOrder mod_auth_file.c",
		"AuthUserFile " + q(passwd),
		"RequireValidShell off",
		"DefaultRoot ~",
		fmt.Sprintf("PassivePorts %d %d", s.PassiveMin, s.PassiveMax),
		"AllowOverwrite on",
		// REST before STOR (resumed uploads); off by default in ProFTPD.
		"AllowStoreRestart on",
		"Umask 022",
		"ModulePath " + q(modules),
	}
	if s.TLS {
		lines = append(lines,
			"LoadModule mod_tls.c",
			"TLSEngine on",
			"TLSLog "+q(tlsLog),
			"TLSProtocol TLSv1.2 TLSv1.3",
			// newInstance's certificate is ECDSA.
			"TLSECCertificateFile "+q(s.CAFile),
			"TLSECCertificateKeyFile "+q(filepath.Join(s.Dir, "key.pem")),
			"TLSVerifyClient off",
			"TLSRequired "+onOff(s.RequireTLS),
		)
		if s.ImplicitTLS {
			lines = append(lines, "TLSOptions UseImplicitSSL")
		}
	}
	return strings.Join(lines, "\n") + "\n"
}
