package ftptest

import (
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/skiff-ftp/skiff/internal/ftpserver"
)

// The accounts scripts/ftp-servers.sh creates; keep in sync with it.
const (
	// localUser logs in to vsftpd through PAM and owns every real server's
	// Root (pure-ftpd's virtual user maps to its uid).
	localUser = "skiffftp"
	// localPassword is localUser's password and the virtual users'.
	localPassword = "skiff-test-pass"
	// anonUser is the account vsftpd's anonymous sessions run as.
	anonUser = "skiffanon"
	// pamService is vsftpd's PAM service (pam_unix only).
	pamService = "skiff-vsftpd-test"
	// secureChrootDir is vsftpd's empty, root-owned secure_chroot_dir.
	secureChrootDir = "/var/run/vsftpd/empty"
)

// newInstance makes the instance directory (config, certificate, logs) and
// an empty Root owned by owner ("" keeps root), both removed at cleanup
// (registered first, so it runs after the server has stopped).
func newInstance(t testing.TB, k Kind, o Options, owner string) (*Server, error) {
	t.Helper()
	dir, err := os.MkdirTemp("", "skiff-ftptest-"+string(k)+"-")
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// MkdirTemp makes 0700; the servers' unprivileged sessions must reach Root.
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	s := &Server{
		Kind: k, Host: "127.0.0.1", Dir: dir, Root: filepath.Join(dir, "root"),
		TLS: o.TLS, RequireTLS: o.RequireTLS, ImplicitTLS: o.ImplicitTLS,
		uid: -1, gid: -1,
	}
	if err := os.Mkdir(s.Root, 0o755); err != nil {
		return nil, err
	}
	if owner != "" {
		u, err := user.Lookup(owner)
		if err != nil {
			return nil, err
		}
		s.uid, _ = strconv.Atoi(u.Uid)
		s.gid, _ = strconv.Atoi(u.Gid)
		if err := os.Chown(s.Root, s.uid, s.gid); err != nil {
			return nil, err
		}
	}
	if o.TLS {
		_, certPEM, keyPEM, err := ftpserver.SelfSigned()
		if err != nil {
			return nil, err
		}
		s.CertPEM = certPEM
		s.CAFile = filepath.Join(dir, "cert.pem")
		if err := os.WriteFile(s.CAFile, certPEM, 0o644); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, "key.pem"), keyPEM, 0o600); err != nil {
			return nil, err
		}
		// pure-ftpd wants certificate and key in one file.
		both := append(append([]byte{}, certPEM...), keyPEM...)
		if err := os.WriteFile(filepath.Join(dir, "cert+key.pem"), both, 0o600); err != nil {
			return nil, err
		}
	}
	return s, nil
}
