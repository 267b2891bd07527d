// Package ftptest starts real FTP servers for tests: private vsftpd and
// pure-ftpd instances and the in-process Go server (internal/ftpserver), each
// on a free 127.0.0.1 port with a generated config and a fresh temp root.
//
// Usage:
//
//	s := ftptest.Vsftpd(t, ftptest.Options{TLS: true})
//	s.WriteFile(t, "dir/a b.txt", []byte("hi"))  // appears as /dir/a b.txt
//	conf := s.ClientTLSConfig()                   // trusts s's certificate
//	... dial s.Addr(), log in as s.User / s.Password ...
//
// Or over every kind, as a table test:
//
//	for _, k := range ftptest.Kinds {
//		t.Run(string(k), func(t *testing.T) { s := ftptest.Start(t, k, o); ... })
//	}
//
// What every instance has:
//   - a local account User/Password that may read and write Root, which is
//     "/" for it (chrooted); Root is a temp directory removed at cleanup;
//   - anonymous read-only logins ("anonymous" or "ftp", any password) that
//     see AnonRoot (== Root for every kind);
//   - with Options.TLS, explicit FTPS (AUTH TLS) with a self-signed
//     certificate for IP 127.0.0.1, ::1 and DNS localhost, found in CAFile /
//     CertPEM;
//   - passive data ports in [PassiveMin, PassiveMax], below 32768 and
//     private to the instance (see ports.go); the Go server takes kernel-picked
//     ports instead (PassiveMin == 0).
//
// Server specifics, measured (TestServerFacts pins them down):
//   - vsftpd 3.0.3 (Debian 12): the real local user "skiffftp" logging in
//     through PAM; require_ssl_reuse=YES (its default: a TLS data connection
//     that does not resume the control connection's session is answered
//     522 and closed); seccomp_sandbox=NO, allow_writeable_chroot=YES. FEAT:
//     AUTH TLS, EPRT, EPSV, MDTM, PASV, PBSZ, PROT, REST STREAM, SIZE, TVFS.
//     No MLST/MLSD, MFMT, HASH; no UTF8 in FEAT but OPTS UTF8 ON is 200.
//     LIST has numeric uid/gid, zero-padded days ("Feb 03  2020"), shows
//     symlinks with " -> target", devices and fifos; dot files only with
//     LIST -a. Accepts AUTH SSL as well as AUTH TLS. Implicit FTPS with
//     Options.ImplicitTLS.
//   - pure-ftpd 1.0.50: a virtual PureDB user "skiff" with skiffftp's uid,
//     hashed as SHA-512 crypt (pure-pw's argon2 costs seconds per login);
//     listing cap raised (-L 2000000:64) so huge directories list whole.
//     FEAT: UTF8, EPRT, IDLE, MDTM, SIZE, MFMT, REST STREAM, MLST, MLSD, PRET,
//     AUTH TLS, PBSZ, PROT, TVFS, ESTA, PASV, EPSV (ends "211 End.").
//     No HASH; OPTS UTF8 ON is 504. LIST has numeric uid and group name,
//     space-padded days, hides devices and fifos; MLSD has cdir/pdir, sizd=
//     for directories, type=OS.unix=slink: (no target) for symlinks and
//     type=unknown for devices. AUTH SSL gets 500. Does not resume TLS
//     sessions on data connections. No implicit FTPS (Start skips).
//     Anonymous sessions run as the system user "ftp" whose home is
//     bind-mounted onto Root in the server's own mount namespace.
//   - go: internal/ftpserver (goftp.io/server/v2); see that package's doc
//     for its LIST/MLSD quirks. AUTH SSL gets 550. No implicit FTPS (Start
//     skips).
//
// MoreKinds, from scripts/more-ftp-servers.sh (issue 15's interop matrix),
// are other code lineages: ProFTPD 1.3.8 (C; mod_tls requires session
// reuse), pyftpdlib 1.5.7 (Python), ftp-srv 4.6.3 (Node.js; its AUTH TLS
// races the ClientHello, TestFtpSrvAuthTLSRace) and Twisted 22.4 (Python; no
// EPSV, REST, APPE or TLS). They have no anonymous access; proftpd.go,
// pyftpdlib.go, ftpsrv.go and twisted.go say what each offers.
//
// All three: REST works in the order EPSV, REST n, RETR (go honours only
// that order). Over TLS, vsftpd and pure-ftpd send the final 226 of a
// download only after the client closed its side of the data connection
// (close_notify, then FIN): a client that waits for 226 first deadlocks.
//
// Files the test creates in Root directly are owned by root; a real server's
// user can read but not overwrite them. WriteFile, MkdirAll and Own hand files
// to the server's user.
//
// Binaries come from <repo>/.cache/ftpservers (scripts/ftp-servers.sh puts
// them there) or from $SKIFF_FTPSERVERS (a directory laid out the same way,
// usr/sbin/vsftpd and usr/sbin/pure-ftpd). The real servers need root. When a
// server cannot be started the test is skipped with the reason, except under
// CI=true, where it fails.
//
// Each instance runs in its own process group and is stopped in t.Cleanup by
// signalling that group (its own pid), never by process name.
package ftptest

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/internal/proctest"
	"github.com/skiff-ftp/skiff/internal/testreq"
)

// Kind names a server implementation.
type Kind string

// The server kinds Start knows.
const (
	KindVsftpd   Kind = "vsftpd"
	KindPureFTPd Kind = "pure-ftpd"
	KindGo       Kind = "go"
)

// The kinds of scripts/more-ftp-servers.sh: servers of other code lineages
// than vsftpd and pure-ftpd, for the interop matrix (issue 15).
const (
	KindProFTPd   Kind = "proftpd"
	KindPyftpdlib Kind = "pyftpdlib"
	KindFtpSrv    Kind = "ftp-srv"
	KindTwisted   Kind = "twisted"
)

// Kinds lists every kind, for table tests over all servers.
var Kinds = []Kind{KindVsftpd, KindPureFTPd, KindGo}

// MoreKinds lists the kinds of scripts/more-ftp-servers.sh. They are not in
// Kinds, whose tests assume what vsftpd, pure-ftpd and go share (anonymous
// logins, files owned by the server's user, FTPS); see proftpd.go,
// pyftpdlib.go, ftpsrv.go and twisted.go for what each offers.
var MoreKinds = []Kind{KindProFTPd, KindPyftpdlib, KindFtpSrv, KindTwisted}

// OffersTLS reports whether servers of kind k can offer FTPS (Options.TLS);
// Twisted's FTP server cannot.
func (k Kind) OffersTLS() bool { return k != KindTwisted }

// Options selects what an instance offers. The zero value is plain FTP with a
// local user and anonymous read-only access.
type Options struct {
	// TLS offers explicit FTPS (AUTH TLS, RFC 4217); plain logins stay allowed
	// unless RequireTLS is set.
	TLS bool
	// RequireTLS refuses the local user's login and data transfers without
	// TLS. Implies TLS.
	RequireTLS bool
	// ImplicitTLS speaks TLS from the first byte of the control connection.
	// vsftpd only; pure-ftpd and go skip. Implies TLS.
	ImplicitTLS bool
	// TZ runs the server in this time zone (a POSIX TZ string such as
	// "EST5EDT,M3.2.0,M11.1.0": vsftpd is chrooted away from the zone
	// files): vsftpd then shows LIST and MDTM times in it (use_localtime=YES,
	// Debian's packaged default). vsftpd only; "" is UTC.
	TZ string
}

// Server is a running instance. Fields are read-only.
type Server struct {
	Kind Kind
	// Host is "127.0.0.1"; Port the control port.
	Host string
	Port int
	// User and Password log in with read/write access to Root.
	User, Password string
	// Root is the local directory User sees as "/".
	Root string
	// AnonRoot is the local directory anonymous logins see as "/" (read-only);
	// empty when the instance has no anonymous access.
	AnonRoot string
	// TLS is true when AUTH TLS is offered (or, with ImplicitTLS, required
	// from the start); RequireTLS when plain logins are refused.
	TLS, RequireTLS, ImplicitTLS bool
	// TZ is the server's time zone (Options.TZ); "" for UTC.
	TZ string
	// CAFile is a PEM file holding the server's self-signed certificate (its
	// own CA), CertPEM the same bytes; both empty without TLS.
	CAFile  string
	CertPEM []byte
	// PassiveMin and PassiveMax bound the passive data ports; 0 when the
	// kernel picks them (go).
	PassiveMin, PassiveMax int
	// Pid is the server process (0 for go).
	Pid int
	// Dir holds the generated config, certificate and logs.
	Dir string

	uid, gid int // owner for files the test creates; -1 keeps root
}

// Addr returns Host:Port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// URL returns ftp://User:Password@Host:Port/ with the path appended (use "/"
// for the root; a directory needs a trailing slash for curl to list it).
func (s *Server) URL(path string) string {
	u := url.URL{Scheme: "ftp", User: url.UserPassword(s.User, s.Password), Host: s.Addr(), Path: path}
	if s.ImplicitTLS {
		u.Scheme = "ftps"
	}
	return u.String()
}

// ClientTLSConfig returns a client config that trusts exactly this server's
// certificate, with ServerName set to Host (Go keys its session cache by
// ServerName; without it nothing is resumed and vsftpd drops the data
// connections). Each call returns a new config with its own session cache.
// Nil without TLS.
func (s *Server) ClientTLSConfig() *tls.Config {
	if len(s.CertPEM) == 0 {
		return nil
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.CertPEM)
	return &tls.Config{
		RootCAs:            pool,
		ServerName:         s.Host,
		MinVersion:         tls.VersionTLS12,
		ClientSessionCache: tls.NewLRUClientSessionCache(4),
	}
}

// WriteFile writes data to name (slash-separated, relative to Root),
// creating parent directories, all owned by the server's user, and returns
// the file's local path.
func (s *Server) WriteFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := s.path(name)
	s.MkdirAll(t, filepath.Dir(p))
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatalf("ftptest: %v", err)
	}
	s.chown(t, p)
	return p
}

// MkdirAll creates the directory name (relative to Root, or an absolute path
// inside it) and its parents, owned by the server's user, and returns its
// local path.
func (s *Server) MkdirAll(t testing.TB, name string) string {
	t.Helper()
	p := s.path(name)
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatalf("ftptest: %v", err)
	}
	// Chown each level below Root, which MkdirAll may have created as root.
	for dir := p; dir != s.Root && len(dir) > len(s.Root); dir = filepath.Dir(dir) {
		s.chown(t, dir)
	}
	return p
}

// Own hands everything under Root to the server's user, for trees a test
// made with its own code.
func (s *Server) Own(t testing.TB) {
	t.Helper()
	if s.uid < 0 {
		return
	}
	err := filepath.Walk(s.Root, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, s.uid, s.gid)
	})
	if err != nil {
		t.Fatalf("ftptest: own %s: %v", s.Root, err)
	}
}

// path resolves name against Root; absolute local paths inside Root pass.
func (s *Server) path(name string) string {
	if name == s.Root || strings.HasPrefix(name, s.Root+string(filepath.Separator)) {
		return name
	}
	return filepath.Join(s.Root, filepath.FromSlash(name))
}

func (s *Server) chown(t testing.TB, p string) {
	t.Helper()
	if s.uid < 0 {
		return
	}
	if err := os.Lchown(p, s.uid, s.gid); err != nil {
		t.Fatalf("ftptest: %v", err)
	}
}

// Start starts a server of kind k; see Vsftpd, PureFTPd and GoServer.
func Start(t testing.TB, k Kind, o Options) *Server {
	t.Helper()
	switch k {
	case KindVsftpd:
		return Vsftpd(t, o)
	case KindPureFTPd:
		return PureFTPd(t, o)
	case KindGo:
		return GoServer(t, o)
	case KindProFTPd:
		return ProFTPd(t, o)
	case KindPyftpdlib:
		return Pyftpdlib(t, o)
	case KindFtpSrv:
		return FtpSrv(t, o)
	case KindTwisted:
		return Twisted(t, o)
	}
	t.Fatalf("ftptest: unknown server kind %q", k)
	return nil
}

// unavailable fails the test (skips it under -short) because a server
// cannot be started, naming the script that installs it: see
// internal/testreq.
func unavailable(t testing.TB, k Kind, format string, args ...any) {
	t.Helper()
	script := "scripts/ftp-servers.sh"
	if slices.Contains(MoreKinds, k) {
		script = "scripts/more-ftp-servers.sh"
	}
	testreq.Missing(t, "ftptest: %s unavailable: %s; run %s", k, fmt.Sprintf(format, args...), script)
}

// slotInstance is newInstance with a slot of ports from band (the control
// port and the passive range); a failure of either makes k unavailable.
func slotInstance(t testing.TB, k Kind, o Options, owner string, band proctest.Band) *Server {
	t.Helper()
	s, err := newInstance(t, k, o, owner)
	if err != nil {
		unavailable(t, k, "%v", err)
	}
	sl, err := claimSlot(t, band)
	if err != nil {
		unavailable(t, k, "%v", err)
	}
	s.Port, s.PassiveMin, s.PassiveMax = sl.control, sl.passiveMin, sl.passiveMax
	return s
}

// normalize applies the implications between options.
func (o Options) normalize() Options {
	if o.RequireTLS || o.ImplicitTLS {
		o.TLS = true
	}
	return o
}
