package ftptest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Vsftpd starts a private vsftpd on a free 127.0.0.1 port (band 20000–23999)
// with a generated config: the real local user "skiffftp" (PAM service
// skiff-vsftpd-test) chrooted to Root, anonymous read-only (running as
// "skiffanon") on the same Root, and with o.TLS explicit FTPS with vsftpd's
// default require_ssl_reuse=YES. It skips (or fails under CI=true) when the
// binary, root or the accounts from scripts/ftp-servers.sh are missing.
func Vsftpd(t testing.TB, o Options) *Server {
	t.Helper()
	o = o.normalize()
	bin, err := binary("usr/sbin/vsftpd")
	if err == nil {
		err = needRoot()
	}
	if err == nil {
		_, err = os.Stat("/etc/pam.d/" + pamService)
	}
	if err != nil {
		unavailable(t, KindVsftpd, "%v", err)
	}
	if err := os.MkdirAll(secureChrootDir, 0o755); err != nil { // /run is a tmpfs
		unavailable(t, KindVsftpd, "%v", err)
	}
	s := slotInstance(t, KindVsftpd, o, localUser, vsftpdBand)
	s.User, s.Password, s.AnonRoot = localUser, localPassword, s.Root
	s.TZ = o.TZ

	conf := filepath.Join(s.Dir, "vsftpd.conf")
	logFile := filepath.Join(s.Dir, "vsftpd.log")
	if err := os.WriteFile(conf, []byte(vsftpdConfig(s, logFile)), 0o600); err != nil {
		t.Fatalf("ftptest: %v", err)
	}
	// vsftpd refuses a config file not owned by root or writable by others;
	// os.WriteFile as root gives 0600 root:root.
	cmd := exec.Command(bin, conf)
	cmd.Dir = s.Dir
	if s.TZ != "" {
		cmd.Env = append(os.Environ(), "TZ="+s.TZ)
	}
	pid, err := startProcess(t, "vsftpd", cmd, s.Addr(), logFile)
	if err != nil {
		unavailable(t, KindVsftpd, "%v", err)
	}
	s.Pid = pid
	return s
}

// vsftpdConfig renders s's vsftpd.conf. Options that differ from vsftpd's
// defaults say why.
func vsftpdConfig(s *Server, logFile string) string {
	yn := func(b bool) string {
		if b {
			return "YES"
		}
		return "NO"
	}
	lines := []string{
		"listen=YES",
		"listen_ipv6=NO",
		"listen_address=127.0.0.1",
		fmt.Sprintf("listen_port=%d", s.Port),
		"background=NO",
		// The seccomp sandbox kills the session on LIST/RETR/STOR on these
		// kernels.
		"seccomp_sandbox=NO",
		"local_enable=YES",
		"write_enable=YES",
		// Uploads readable by the test (vsftpd's default local_umask is 077).
		"local_umask=022",
		"file_open_mode=0666",
		"pam_service_name=" + pamService,
		"local_root=" + s.Root,
		"chroot_local_user=YES",
		// Root is owned by the user, which vsftpd otherwise refuses to chroot to.
		"allow_writeable_chroot=YES",
		"secure_chroot_dir=" + secureChrootDir,
		"anonymous_enable=YES",
		"ftp_username=" + anonUser,
		"anon_root=" + s.Root,
		"no_anon_password=YES",
		"anon_upload_enable=NO",
		"anon_mkdir_write_enable=NO",
		"anon_other_write_enable=NO",
		"pasv_enable=YES",
		"pasv_address=127.0.0.1",
		fmt.Sprintf("pasv_min_port=%d", s.PassiveMin),
		fmt.Sprintf("pasv_max_port=%d", s.PassiveMax),
		"connect_from_port_20=NO",
		"port_enable=YES",
		// TYPE A converts line ends, as the RFC says (vsftpd's default
		// pretends to and sends the bytes as they are).
		"ascii_upload_enable=YES",
		"ascii_download_enable=YES",
		"use_localtime=" + yn(s.TZ != ""),
		"xferlog_enable=YES",
		"log_ftp_protocol=YES",
		"dual_log_enable=NO",
		"syslog_enable=NO",
		"vsftpd_log_file=" + logFile,
	}
	if s.TLS {
		lines = append(lines,
			"ssl_enable=YES",
			"rsa_cert_file="+s.CAFile,
			"rsa_private_key_file="+filepath.Join(s.Dir, "key.pem"),
			// vsftpd 3.0.3's default is DES-CBC3-SHA, which the generated
			// ECDSA certificate cannot use with TLS 1.2.
			"ssl_ciphers=HIGH",
			"allow_anon_ssl=YES",
			"force_anon_logins_ssl=NO",
			"force_anon_data_ssl=NO",
			"force_local_logins_ssl="+yn(s.RequireTLS),
			"force_local_data_ssl="+yn(s.RequireTLS),
			// vsftpd's default, spelled out: the point of testing against it.
			"require_ssl_reuse=YES",
			"implicit_ssl="+yn(s.ImplicitTLS),
		)
	} else {
		lines = append(lines, "ssl_enable=NO")
	}
	return strings.Join(lines, "\n") + "\n"
}
