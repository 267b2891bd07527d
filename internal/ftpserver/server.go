// Package ftpserver runs an in-process FTP/FTPS server that serves one local
// directory. Skiff uses it for `skiff --demo` and as the always-available
// server in tests (internal/ftptest wraps it next to vsftpd and pure-ftpd).
//
// It is a thin layer over goftp.io/server/v2 (RFC 959, RFC 2228/4217 explicit
// FTPS, RFC 2428 EPSV/EPRT, RFC 3659 SIZE/MDTM/REST/MLSD/MLST) that adds what
// that library leaves to its caller: a listener on a free loopback port, one
// user with a password, optional anonymous read-only access, a generated or
// given TLS certificate, and a clean Close. It works around library bugs:
// RequireTLS was ignored; implicit FTPS and active-mode data connections were
// never encrypted (implicit FTPS is not offered, PORT/EPRT after AUTH TLS get
// 534); PORT/EPRT connected anywhere (they must now name the client, 504
// otherwise; LPRT is gone); and it reports times in UTC.
//
// What clients see (goftp.io/server/v2 v2.0.3, measured; quirks a client
// must tolerate):
//   - FEAT lists UTF8, EPRT, EPSV, CLNT, MLST Type*;Modify*;Size*; and,
//     with TLS, AUTH TLS, PBSZ, PROT, followed by an empty line before
//     "211 End". SIZE, MDTM, MLSD and REST work but are not advertised; there
//     is no MFMT, HASH, XCRC/XMD5, SITE or HOST.
//   - REST is honoured only when it immediately precedes RETR/STOR/APPE
//     (PASV/EPSV, REST, RETR); anywhere else it is silently forgotten and
//     the whole file is sent.
//   - LIST: "drwxrwxrwx 1 <user> <user>         4096 Nov 24 04:16 dir"; every
//     non-directory reads "-rwxrwxrwx" (symlinks, devices and fifos look like
//     plain files, a symlink's size is its target's length, no " -> target");
//     owner and group are the login name; dates "Jan _2 15:04" within a year,
//     else "Jan _2  2006", in UTC. Dot files are
//     listed with or without -a; there are no "." and ".." lines.
//   - MLSD lines end in LF, not CRLF; facts are Type (file or dir only),
//     Modify (UTC) and Size; no cdir/pdir entries. MDTM is UTC.
//   - After AUTH TLS every data connection is TLS whatever PROT says (PROT C
//     is refused with 536). Data connections may resume the control
//     session's TLS session but need not.
//   - Active mode (PORT/EPRT) works on plain sessions, to the client's own
//     address only; the library connects at PORT time, not at the transfer.
//   - The passive data listener binds the control connection's local
//     address, which the PASV reply names, and takes the data connection
//     only from the client's address (upstream binds every interface and
//     takes whoever connects first; third_party/goftp-server carries the
//     patch).
//   - PASS without a password is answered 553, not 530.
//   - Anonymous logins (user "anonymous" or "ftp", any non-empty password)
//     get a 5xx refusal on every write: STOR, APPE, DELE, MKD, RMD, RNTO.
//
// A *Server is safe for concurrent use; Close may be called more than once.
package ftpserver

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	ftp "goftp.io/server/v2"
)

// TLSMode says whether and how a server offers FTPS.
type TLSMode int

const (
	// TLSNone serves plain FTP only; AUTH TLS is refused.
	TLSNone TLSMode = iota
	// TLSExplicit offers AUTH TLS on a plain control connection (RFC 4217).
	TLSExplicit
)

// There is no implicit FTPS: goftp.io/server/v2's implicit mode refuses
// PBSZ/PROT and sends data connections in clear text.

// DefaultAddr is where Start listens when Config.Addr is empty: loopback, a
// port the kernel picks.
const DefaultAddr = "127.0.0.1:0"

// startTimeout bounds how long Start waits for the listener to accept.
const startTimeout = 5 * time.Second

// bindAttempts is how often Start retries when the port it picked is taken
// before the library binds it (goftp.io/server binds by host:port itself, so a
// free port is picked, released and bound again).
const bindAttempts = 5

// Config describes one server. Root and, unless Anonymous is set, User and
// Password are required.
type Config struct {
	// Root is the local directory clients see as "/".
	Root string
	// Addr is the control listener's host:port; port 0 picks a free one.
	// Empty means DefaultAddr.
	Addr string
	// User and Password are the one account that may read and write.
	User, Password string
	// Anonymous also admits "anonymous"/"ftp" with any password, read-only.
	Anonymous bool
	// TLS selects plain FTP or explicit FTPS.
	TLS TLSMode
	// Certificate is the server certificate for TLS; nil generates a
	// self-signed one for 127.0.0.1, ::1 and localhost (see Server.CertPEM).
	Certificate *tls.Certificate
	// RequireTLS answers 534 to every command but AUTH TLS (FEAT and QUIT
	// included) until the control connection is encrypted. Only meaningful
	// with TLSExplicit.
	RequireTLS bool
	// PassivePorts is "min-max" for the passive data listeners; empty lets the
	// kernel pick. The library picks randomly in the range and fails the PASV
	// with 425 on a collision, so give ranges generously.
	PassivePorts string
	// Logger receives the protocol trace at debug level; nil discards it.
	// Passwords are never logged.
	Logger *slog.Logger
}

// LogValue keeps the password out of logs.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("root", c.Root),
		slog.String("addr", c.Addr),
		slog.String("user", c.User),
		slog.Bool("anonymous", c.Anonymous),
		slog.Int("tls", int(c.TLS)),
	)
}

// Server is a running FTP server. Its exported fields are set by Start and
// must not be changed.
type Server struct {
	// Host is the IP address the control listener is bound to.
	Host string
	// Port is the control listener's TCP port.
	Port int
	// User and Password are the configured account.
	User, Password string
	// Root is the served directory.
	Root string
	// TLS is the configured TLS mode.
	TLS TLSMode
	// CertPEM is the PEM of the server certificate when TLS is on; a client
	// that trusts it (it is self-signed unless Config.Certificate was given)
	// can verify the server.
	CertPEM []byte

	srv       *ftp.Server
	done      chan struct{} // closed when Serve returned
	closeOnce sync.Once
	stop      func() bool // stops the context watcher
}

// Addr returns the control address as host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Start starts a server for c and returns once it accepts connections. The
// server runs until Close is called or ctx is done.
func Start(ctx context.Context, c Config) (*Server, error) {
	if c.Root == "" {
		return nil, errors.New("ftpserver: Config.Root is empty")
	}
	if fi, err := os.Stat(c.Root); err != nil {
		return nil, fmt.Errorf("ftpserver: root: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("ftpserver: root %s is not a directory", c.Root)
	}
	if c.User == "" && !c.Anonymous {
		return nil, errors.New("ftpserver: no User and no Anonymous: nobody could log in")
	}
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	host, portStr, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return nil, fmt.Errorf("ftpserver: addr %q: %w", c.Addr, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("ftpserver: addr %q: bad port", c.Addr)
	}

	s := &Server{Host: host, User: c.User, Password: c.Password, Root: c.Root, TLS: c.TLS}
	var tlsConf *tls.Config
	if c.TLS != TLSNone {
		cert := c.Certificate
		if cert == nil {
			gen, certPEM, err := selfSigned()
			if err != nil {
				return nil, err
			}
			cert, s.CertPEM = &gen, certPEM
		} else {
			s.CertPEM = certToPEM(cert)
		}
		tlsConf = &tls.Config{
			Certificates: []tls.Certificate{*cert},
			MinVersion:   tls.VersionTLS12,
		}
	}

	var lastErr error
	for range bindAttempts {
		p := port
		if p == 0 {
			if p, err = freePort(host); err != nil {
				return nil, err
			}
		}
		lastErr = s.serve(ctx, c, tlsConf, host, p)
		if lastErr == nil {
			s.Port = p
			return s, nil
		}
		if port != 0 {
			break
		}
	}
	return nil, lastErr
}

// serve starts the library's server on host:port and waits until it accepts
// or fails to bind.
func (s *Server) serve(ctx context.Context, c Config, tlsConf *tls.Config, host string, port int) error {
	var inner ftp.Logger = &ftp.DiscardLogger{}
	if c.Logger != nil {
		inner = slogLogger{c.Logger}
	}
	logger := &readyLogger{Logger: inner, ready: make(chan struct{})}
	owner := c.User
	if owner == "" {
		owner = "ftp"
	}
	opts := &ftp.Options{
		Commands:     commands(tlsConf != nil),
		Driver:       &driver{root: c.Root},
		Auth:         auth{user: c.User, password: c.Password, anonymous: c.Anonymous},
		Perm:         ftp.NewSimplePerm(owner, owner),
		Name:         "Skiff test server",
		Hostname:     host,
		Port:         port,
		PassivePorts: c.PassivePorts,
		TLS:          tlsConf != nil,
		TLSConfig:    tlsConf,
		ExplicitFTPS: true,
		Logger:       logger,
	}
	srv, err := ftp.NewServer(opts)
	if err != nil {
		return fmt.Errorf("ftpserver: %w", err)
	}
	// NewServer drops Options.ForceTLS when it copies the options (v2.0.3).
	srv.Options.ForceTLS = c.RequireTLS && tlsConf != nil
	errc := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		errc <- srv.ListenAndServe()
	}()

	addr := net.JoinHostPort(host, strconv.Itoa(port))
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case err := <-errc:
			return fmt.Errorf("ftpserver: listen on %s: %w", addr, err)
		default:
		}
		conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			// Wait for the session the library started for this probe: its
			// first log line orders the library's listener bookkeeping
			// before our Shutdown (the race detector sees no edge through
			// the socket).
			select {
			case <-logger.ready:
			case <-time.After(startTimeout):
			}
			conn.Close()
			break
		}
		if time.Now().After(deadline) {
			_ = srv.Shutdown()
			return fmt.Errorf("ftpserver: %s did not accept within %v: %w", addr, startTimeout, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.srv, s.done = srv, done
	s.stop = context.AfterFunc(ctx, func() { _ = s.Close() })
	return nil
}

// Close stops accepting connections and waits for the listener to close.
// Sessions already connected are cut off when their next read fails; Close
// does not wait for them.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		if s.stop != nil {
			s.stop()
		}
		err = s.srv.Shutdown()
		select {
		case <-s.done:
		case <-time.After(startTimeout):
		}
	})
	return err
}

// freePort asks the kernel for a free TCP port on host.
func freePort(host string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, fmt.Errorf("ftpserver: find a free port on %s: %w", host, err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// readyLogger closes ready on the first session log line.
type readyLogger struct {
	ftp.Logger
	once  sync.Once
	ready chan struct{}
}

func (r *readyLogger) Print(id string, msg any) {
	r.once.Do(func() { close(r.ready) })
	r.Logger.Print(id, msg)
}

// slogLogger adapts *slog.Logger to the library's Logger, at debug level.
type slogLogger struct{ l *slog.Logger }

func (g slogLogger) Print(id string, msg any) { g.l.Debug(fmt.Sprint(msg), "session", id) }
func (g slogLogger) Printf(id string, format string, v ...any) {
	g.l.Debug(fmt.Sprintf(format, v...), "session", id)
}
func (g slogLogger) PrintCommand(id, cmd, params string) {
	if cmd == "PASS" {
		params = "****"
	}
	g.l.Debug("command", "session", id, "cmd", cmd, "params", params)
}
func (g slogLogger) PrintResponse(id string, code int, msg string) {
	g.l.Debug("reply", "session", id, "code", code, "msg", msg)
}
