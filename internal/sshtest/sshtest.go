// Package sshtest starts a real OpenSSH sshd for tests: a private instance on
// a free 127.0.0.1 port with a generated config, its own host keys and a
// fresh temp root, serving the sftp subsystem (internal-sftp) and port
// forwarding (for ProxyJump).
//
// Usage:
//
//	s := sshtest.Start(t, sshtest.Options{})
//	s.WriteFile(t, "dir/a b.txt", []byte("hi"))  // appears as s.Path("dir/a b.txt")
//	... dial s.Addr as s.User with s.Password, or the key in s.KeyFile;
//	... trust s.HostKeys (or write s.KnownHostsLine() to a known_hosts file).
//
// What every instance has:
//   - the real local user "skiffftp" (password "skiff-test-pass", from
//     scripts/ftp-servers.sh and scripts/ssh-server.sh) logging in through
//     PAM (service skiff-sshd-test, pam_unix only) with a password, or with
//     the per-instance ed25519 key in KeyFile (AuthorizedKeysFile is a
//     per-instance file); keyboard-interactive when Options.KbdInteractive
//     is set (PAM's prompt is "Password: ");
//   - no chroot: SFTP paths are the local paths, and the session starts in
//     Root (internal-sftp -d), a directory the user owns, so relative paths
//     and "." resolve there; Path(name) gives the absolute remote path;
//   - host keys ed25519, ECDSA P-256 and RSA 2048, generated once per test
//     process and shared by its instances (Options.FreshHostKeys makes new
//     ones); HostKeys holds them in the order sshd offers them;
//   - TCP forwarding (direct-tcpip) allowed, so one instance is a jump host
//     for another; no shell (the user's shell is nologin).
//
// For a host the test cannot reach directly, NewNetns makes a private
// network namespace (Linux, root): its Start runs sshd on the namespace's
// own loopback, and Expose publishes one of its servers (a jump host) on
// the test's 127.0.0.1 through a relay.
//
// OpenSSH 9.2 (Debian 12) facts: sshd forks a child per connection that
// calls setsid, so stopping the instance kills those children by pid (read
// from /proc) after its own process group; StrictModes is off because Dir
// lives under the world-writable /tmp; sshd runs as
// <bindir>/skiff-sshd-test (a symlink to sshd) because it names its PAM
// service after argv[0] and re-executes itself by that absolute path.
//
// Binaries come from <repo>/.cache/sshd (scripts/ssh-server.sh puts them
// there) or $SKIFF_SSHD (a directory laid out the same way,
// usr/sbin/sshd). sshd needs root. When it cannot be started the test fails
// naming what is missing (internal/testreq; only -short skips).
//
// Each instance runs in its own process group and is stopped in t.Cleanup by
// signalling that group (its own pid), never by process name.
package sshtest

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/internal/proctest"
	"github.com/skiff-ftp/skiff/internal/testreq"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// The accounts and system setup scripts/ssh-server.sh makes; keep in sync.
const (
	// User logs in with Password; it owns every instance's Root.
	User = "skiffftp"
	// Password is User's password (pam_unix).
	Password = "skiff-test-pass"
	// pamService is the PAM service sshd uses; sshd takes it from argv[0].
	pamService = "skiff-sshd-test"
	// privsepDir is Debian sshd's compiled-in privilege-separation chroot.
	privsepDir = "/run/sshd"
)

// Options selects what an instance offers. The zero value offers password
// and public-key logins.
type Options struct {
	// KbdInteractive offers keyboard-interactive authentication through PAM
	// (one "Password: " prompt, echo off).
	KbdInteractive bool
	// NoPassword turns PasswordAuthentication off.
	NoPassword bool
	// AuthenticationMethods, when set, is sshd's AuthenticationMethods line,
	// e.g. "keyboard-interactive" to accept nothing else, or
	// "publickey,password" to require both.
	AuthenticationMethods string
	// FreshHostKeys generates host keys for this instance alone instead of
	// the ones shared by the test process.
	FreshHostKeys bool
	// LogLevel is sshd's LogLevel (default VERBOSE; DEBUG1 logs each
	// forwarded connection's target).
	LogLevel string
	// Config lines are appended to the generated sshd_config.
	Config []string
}

// Server is a running sshd. Fields are read-only.
type Server struct {
	// Host is "127.0.0.1", Port the listening port, Addr Host:Port.
	Host string
	Port int
	Addr string
	// User logs in with Password, or with the private key in KeyFile.
	User, Password string
	// Root is the directory User owns and the sftp session starts in. There
	// is no chroot: its remote path is Root itself.
	Root string
	// KeyFile is User's unencrypted OpenSSH ed25519 private key (0600), the
	// public half in KeyFile+".pub" and in the instance's authorized_keys;
	// Signer is the same key.
	KeyFile string
	Signer  ssh.Signer
	// HostKeys are the server's host public keys.
	HostKeys []ssh.PublicKey
	// Pid is the sshd listener process.
	Pid int
	// Dir holds the generated config, keys and Root.
	Dir string

	log      *proctest.Buffer
	uid, gid int
}

// KnownHostsLine returns known_hosts lines, one per host key and each ending
// in a newline, naming the server as OpenSSH does ("[127.0.0.1]:port").
func (s *Server) KnownHostsLine() string {
	var b strings.Builder
	for _, k := range s.HostKeys {
		b.WriteString(knownhosts.Line([]string{knownhosts.Normalize(s.Addr)}, k))
		b.WriteByte('\n')
	}
	return b.String()
}

// HostKeyCallback accepts exactly the server's host keys.
func (s *Server) HostKeyCallback() ssh.HostKeyCallback {
	return func(_ string, _ net.Addr, key ssh.PublicKey) error {
		for _, k := range s.HostKeys {
			if string(k.Marshal()) == string(key.Marshal()) {
				return nil
			}
		}
		return fmt.Errorf("sshtest: host key %s is not %s's", ssh.FingerprintSHA256(key), s.Addr)
	}
}

// Log returns what sshd wrote to stderr so far (-e; LogLevel as configured).
func (s *Server) Log() string { return s.log.String() }

// Path returns the remote (absolute, slash-separated) path of name, relative
// to Root.
func (s *Server) Path(name string) string {
	return path.Join(filepath.ToSlash(s.Root), name)
}

// URL returns sftp://User@Addr with the remote path of name (relative to
// Root) appended. No password: pass it separately.
func (s *Server) URL(name string) string {
	u := url.URL{Scheme: "sftp", User: url.User(s.User), Host: s.Addr, Path: s.Path(name)}
	return u.String()
}

// WriteFile writes data to name (slash-separated, relative to Root),
// creating parent directories, all owned by User, and returns the local path.
func (s *Server) WriteFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := s.local(name)
	s.MkdirAll(t, filepath.Dir(p))
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatalf("sshtest: %v", err)
	}
	s.chown(t, p)
	return p
}

// MkdirAll creates the directory name (relative to Root, or an absolute
// local path inside it) and its parents, owned by User, and returns its local
// path.
func (s *Server) MkdirAll(t testing.TB, name string) string {
	t.Helper()
	p := s.local(name)
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatalf("sshtest: %v", err)
	}
	for dir := p; dir != s.Root && len(dir) > len(s.Root); dir = filepath.Dir(dir) {
		s.chown(t, dir)
	}
	return p
}

// Own hands everything under Root to User, for trees a test made with its
// own code.
func (s *Server) Own(t testing.TB) {
	t.Helper()
	err := filepath.Walk(s.Root, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, s.uid, s.gid)
	})
	if err != nil {
		t.Fatalf("sshtest: own %s: %v", s.Root, err)
	}
}

func (s *Server) local(name string) string {
	if name == s.Root || strings.HasPrefix(name, s.Root+string(filepath.Separator)) {
		return name
	}
	return filepath.Join(s.Root, filepath.FromSlash(name))
}

func (s *Server) chown(t testing.TB, p string) {
	t.Helper()
	if err := os.Lchown(p, s.uid, s.gid); err != nil {
		t.Fatalf("sshtest: %v", err)
	}
}

// Start starts a private sshd with o's options and stops it at cleanup. A
// missing binary, account or root privilege fails the test (see
// internal/testreq).
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	bin, err := binary()
	if err == nil && os.Geteuid() != 0 {
		err = fmt.Errorf("sshd needs root (privilege separation, PAM, setuid to %s)", User)
	}
	if err == nil {
		_, err = os.Stat("/etc/pam.d/" + pamService)
	}
	var u *user.User
	if err == nil {
		u, err = user.Lookup(User)
	}
	if err == nil {
		_, err = user.Lookup("sshd")
	}
	if err == nil {
		err = os.MkdirAll(privsepDir, 0o755) // /run is a tmpfs
	}
	if err != nil {
		unavailable(t, "%v", err)
	}

	dir, err := os.MkdirTemp("", "skiff-sshtest-")
	if err != nil {
		t.Fatalf("sshtest: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// MkdirTemp makes 0700; the user's session must reach Root.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatalf("sshtest: %v", err)
	}
	s := &Server{Host: "127.0.0.1", User: User, Password: Password, Dir: dir, Root: filepath.Join(dir, "root")}
	s.uid, _ = strconv.Atoi(u.Uid)
	s.gid, _ = strconv.Atoi(u.Gid)
	if err := os.Mkdir(s.Root, 0o755); err != nil {
		t.Fatalf("sshtest: %v", err)
	}
	s.chown(t, s.Root)

	hostKeys, err := sharedHostKeys()
	if o.FreshHostKeys {
		hostKeys, err = newHostKeys()
	}
	if err != nil {
		t.Fatalf("sshtest: host keys: %v", err)
	}
	var hostKeyFiles []string
	for _, hk := range hostKeys {
		f := filepath.Join(dir, "ssh_host_"+hk.name+"_key")
		if err := os.WriteFile(f, hk.pem, 0o600); err != nil {
			t.Fatalf("sshtest: %v", err)
		}
		hostKeyFiles = append(hostKeyFiles, f)
		s.HostKeys = append(s.HostKeys, hk.signer.PublicKey())
	}
	if err := s.writeUserKey(); err != nil {
		t.Fatalf("sshtest: user key: %v", err)
	}

	port, err := proctest.Claim(t, proctest.BandSSHD, 1)
	if err != nil {
		unavailable(t, "%v", err)
	}
	s.Port = port
	s.Addr = net.JoinHostPort(s.Host, strconv.Itoa(port))

	conf := filepath.Join(dir, "sshd_config")
	if err := os.WriteFile(conf, []byte(config(s, o, hostKeyFiles)), 0o600); err != nil {
		t.Fatalf("sshtest: %v", err)
	}
	s.log = &proctest.Buffer{}
	// -D: no daemon; -e: log to stderr.
	cmd := exec.Command(bin, "-D", "-e", "-f", conf)
	cmd.Dir = dir
	pid, err := proctest.Start(t, "sshd", cmd, s.Addr, s.log)
	if err != nil {
		unavailable(t, "%v", err)
	}
	s.Pid = pid
	return s
}

// config renders sshd_config for s. Settings that differ from sshd's
// defaults say why.
func config(s *Server, o Options, hostKeyFiles []string) string {
	yn := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	level := o.LogLevel
	if level == "" {
		level = "VERBOSE"
	}
	// internal-sftp's own log (-l) would go to syslog or, with -e, to the
	// client as channel stderr: sshd's "Transferred: sent N" line is what
	// tells the bytes a session sent.
	sftp := "internal-sftp -d " + s.Root
	lines := []string{
		"ListenAddress " + s.Addr,
		"PidFile none",
		"LogLevel " + level,
		"UsePAM yes",
		"PasswordAuthentication " + yn(!o.NoPassword),
		"KbdInteractiveAuthentication " + yn(o.KbdInteractive),
		"PubkeyAuthentication yes",
		"AuthorizedKeysFile " + filepath.Join(s.Dir, "authorized_keys"),
		// Dir is under /tmp (world-writable), which StrictModes refuses.
		"StrictModes no",
		"AllowUsers " + s.User,
		"PermitRootLogin no",
		// Start in Root: "." and relative paths resolve there.
		"Subsystem sftp " + sftp,
		"AllowTcpForwarding yes",
		"X11Forwarding no",
		"PrintMotd no",
		"UseDNS no",
		// Parallel tests and transfer pools open many connections at once.
		"MaxStartups 100",
		"MaxSessions 100",
	}
	for _, f := range hostKeyFiles {
		lines = append(lines, "HostKey "+f)
	}
	if o.AuthenticationMethods != "" {
		lines = append(lines, "AuthenticationMethods "+o.AuthenticationMethods)
	}
	lines = append(lines, o.Config...)
	return strings.Join(lines, "\n") + "\n"
}

// writeUserKey makes User's ed25519 key pair and authorizes it.
func (s *Server) writeUserKey() error {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	block, err := ssh.MarshalPrivateKey(crypto.PrivateKey(priv), "skiff-sshtest")
	if err != nil {
		return err
	}
	s.Signer, err = ssh.NewSignerFromKey(priv)
	if err != nil {
		return err
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		return err
	}
	s.KeyFile = filepath.Join(s.Dir, "id_ed25519")
	if err := os.WriteFile(s.KeyFile, pem.EncodeToMemory(block), 0o600); err != nil {
		return err
	}
	authorized := ssh.MarshalAuthorizedKey(sshPub)
	if err := os.WriteFile(s.KeyFile+".pub", authorized, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(s.Dir, "authorized_keys"), authorized, 0o644)
}

// binDir is $SKIFF_SSHD, else <repo root>/.cache/sshd.
func binDir() (string, error) { return proctest.CacheDir("SKIFF_SSHD", "sshd") }

// binary returns the absolute path sshd is started by: the skiff-sshd-test
// symlink next to usr/sbin/sshd.
func binary() (string, error) {
	dir, err := binDir()
	if err != nil {
		return "", err
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for _, name := range []string{"sshd", pamService} {
		p := filepath.Join(dir, "usr", "sbin", name)
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s not found (set SKIFF_SSHD or run scripts/ssh-server.sh)", p)
		}
	}
	return filepath.Join(dir, "usr", "sbin", pamService), nil
}

// unavailable fails the test (skips it under -short) because sshd cannot be
// started: see internal/testreq.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	testreq.Missing(t, "sshtest: sshd unavailable: %s; run scripts/ssh-server.sh", fmt.Sprintf(format, args...))
}
