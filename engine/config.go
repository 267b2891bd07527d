package engine

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/skiff-ftp/skiff/engine/proxy"
)

// Security is how a connection is protected.
type Security uint8

const (
	// TLSIfAvailable is FileZilla's default: explicit TLS when the server
	// offers AUTH TLS, plain otherwise, and the fallback is logged.
	TLSIfAvailable Security = iota
	TLSExplicit             // AUTH TLS required; a server without it is ErrTLSRequired
	TLSImplicit             // TLS from the first byte (default port 990)
	Plain                   // no TLS
)

var securityNames = [...]string{"auto", "explicit", "implicit", "off"}

// String returns the --tls flag spelling: auto, explicit, implicit, off.
func (s Security) String() string {
	if int(s) < len(securityNames) {
		return securityNames[s]
	}
	return fmt.Sprintf("Security(%d)", s)
}

// ParseSecurity parses the --tls flag spelling.
func ParseSecurity(s string) (Security, error) {
	for i, n := range securityNames {
		if n == s {
			return Security(i), nil
		}
	}
	return 0, fmt.Errorf("unknown TLS mode %q (want auto, explicit, implicit or off)", s)
}

// Mode is how data connections are opened.
type Mode uint8

const (
	ModeDefault Mode = iota // EPSV, then PASV, then active
	ModePassive             // EPSV, then PASV
	ModeActive              // EPRT, then PORT
)

var modeNames = [...]string{"default", "passive", "active"}

func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("Mode(%d)", m)
}

// ParseMode parses "default", "passive" or "active".
func ParseMode(s string) (Mode, error) {
	for i, n := range modeNames {
		if n == s {
			return Mode(i), nil
		}
	}
	return 0, fmt.Errorf("unknown transfer mode %q (want default, passive or active)", s)
}

// Default tunables (FileZilla's where it has one).
const (
	DefaultTimeout          = 20 * time.Second // inactivity timeout on the control and data connections
	DefaultPort             = 21
	DefaultImplicitPort     = 990
	DefaultTransferConns    = 2 // simultaneous transfers per site
	AnonymousPassword       = "anonymous@example.com"
	DefaultIdleClose        = 60 * time.Second // pool closes idle connections after this
	DefaultKeepAliveEnabled = false
)

// Config names a server and how to reach it. The zero value of every optional
// field means "the default". Config holds the password: it implements
// slog.LogValuer so it is never logged by accident.
type Config struct {
	Host        string
	Port        int // 0: 21, or 990 for TLSImplicit
	User        string
	Password    string
	Account     string // ACCT, when the server asks
	VirtualHost string // RFC 7151 HOST, sent before USER when set
	Security    Security
	Mode        Mode

	// Certificates: verified against the system roots, or CAFile when set. A
	// certificate whose fingerprint is in TrustedFingerprints is accepted
	// without verification. Insecure accepts anything (the CLI's --insecure).
	CAFile              string
	TrustedFingerprints []string
	Insecure            bool

	// ConfirmPlain decides, under TLSIfAvailable, whether to go on without
	// encryption after the server refused AUTH TLS. It is called before
	// USER is sent, with the server's reply; false (or a nil ConfirmPlain)
	// fails the login with ErrTLSRequired, so a password is never sent in
	// clear text unless someone said yes. The window asks the user once per
	// site; the command line says yes and warns on stderr.
	ConfirmPlain func(ctx context.Context, host, reply string) bool

	Timeout   time.Duration // inactivity timeout (reset by every read that brings bytes); 0 means DefaultTimeout
	KeepAlive time.Duration // NOOP interval while idle; 0 means none

	// Active mode: the address announced to the server (default: the control
	// connection's local address) and the ports to listen on (0,0: any).
	ActiveExternalIP string
	ActivePortMin    int
	ActivePortMax    int

	TZOffset time.Duration // the server's offset, applied to LIST times
	Charset  string        // "" or "UTF-8"; a legacy name for servers without UTF8

	// Memory is what the site's connections have learned about it
	// (REST refused, no pipelining, ...), shared by all of them. The Pool
	// fills it in for the sessions it dials; nil means a session learns
	// for itself alone.
	Memory *SiteMemory

	// MDTMLocal: the server's MDTM times, read and set, are its wall clock
	// like its LIST times (vsftpd with use_localtime=YES, Debian's default),
	// not UTC as RFC 3659 says, so TZOffset applies to them too.
	MDTMLocal bool

	// Trace receives every command and reply (PASS masked) and status lines.
	// It may be nil. It is called from the connection's goroutine and must not block.
	Trace func(TraceEvent)
	// TraceLevel is the most detail Trace wants: lines above it cost
	// something to make (an FTP listing's raw lines are only traced at
	// TraceDebug). Lines at or below it all go to Trace, marked with their
	// TraceEvent.Level.
	TraceLevel TraceLevel
	// Logger receives debug logs; nil means slog.Default().
	Logger *slog.Logger

	// Protocol picks the engine: FTP(S) or SFTP. The fields below it are
	// SFTP's; FTP ignores them.
	Protocol Protocol
	// IdentityFiles are private key files tried before the password.
	IdentityFiles []string
	// KnownHostsFile is Skiff's own known-hosts file: read with
	// ~/.ssh/known_hosts, and the only one new keys are written to.
	KnownHostsFile string
	// ConfirmHostKey decides whether to trust a host key seen for the first
	// time (fingerprint is "SHA256:..."). Nil refuses. A changed key is
	// refused without asking.
	ConfirmHostKey func(ctx context.Context, host, fingerprint string) bool
	// NoAgent leaves ssh-agent (SSH_AUTH_SOCK) out of the authentication:
	// a site whose "Use ssh-agent" is off.
	NoAgent bool
	// Passphrase returns the passphrase of an encrypted key file.
	Passphrase func(ctx context.Context, file string) (string, error)
	// KeyboardInteractive answers the server's prompts, shown as sent.
	KeyboardInteractive func(ctx context.Context, name, instruction string, questions []string, echos []bool) ([]string, error)

	// Proxy is how the server is reached: directly (the zero value), or
	// through SOCKS5 or HTTP CONNECT. FTP sends the control connection and
	// every data connection through it (passive mode only); SFTP its one
	// TCP connection.
	Proxy proxy.Proxy
}

// Protocol is the wire protocol of a site.
type Protocol uint8

const (
	ProtocolFTP  Protocol = iota // FTP, FTPS per Security
	ProtocolSFTP                 // SSH File Transfer Protocol (default port 22)
)

// DefaultSFTPPort is SSH's port.
const DefaultSFTPPort = 22

// Addr returns host:port with the default port filled in.
func (c Config) Addr() string {
	port := c.Port
	if port == 0 {
		port = DefaultPort
		if c.Protocol == ProtocolSFTP {
			port = DefaultSFTPPort
		} else if c.Security == TLSImplicit {
			port = DefaultImplicitPort
		}
	}
	return joinHostPort(c.Host, port)
}

// Key identifies the site for pooling: connections with equal keys are
// interchangeable.
func (c Config) Key() SiteKey {
	k := SiteKey{Host: c.Host, Port: c.Port, User: c.User, Security: c.Security, VirtualHost: c.VirtualHost, Protocol: c.Protocol}
	if c.Proxy.Enabled() {
		k.Proxy = c.Proxy.String()
	}
	return k
}

// SiteKey is the comparable identity of a site for the pool.
type SiteKey struct {
	Host        string
	Port        int
	User        string
	VirtualHost string
	Security    Security
	Protocol    Protocol
	Proxy       string // proxy.Proxy.String(), "" when direct: sessions through different proxies are not mixed
}

// LogValue keeps the password out of every log.
func (c Config) LogValue() slog.Value {
	pw := ""
	if c.Password != "" {
		pw = "****"
	}
	return slog.GroupValue(
		slog.String("host", c.Host), slog.Int("port", c.Port), slog.String("user", c.User),
		slog.String("password", pw), slog.String("security", c.Security.String()), slog.String("mode", c.Mode.String()),
		slog.Any("proxy", c.Proxy),
	)
}

// String never includes the password.
func (c Config) String() string {
	return fmt.Sprintf("%s@%s (%s)", c.User, c.Addr(), c.Security)
}

// GoString keeps %#v from printing the password.
func (c Config) GoString() string { return "engine.Config{" + c.String() + "}" }
