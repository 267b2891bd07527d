package ftp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

// Reply codes the client acts on.
const (
	codeServiceReady   = 220
	codeClosing        = 221
	codeLoggedIn       = 230
	codeAuthOK         = 234
	codeFileActionOK   = 250
	codePathCreated    = 257
	codeNeedPassword   = 331
	codeNeedAccount    = 332
	codePendingFurther = 350
	codeNotAvailable   = 421
)

// aLongTimeAgo is a deadline in the past: I/O waiting on it returns at once.
var aLongTimeAgo = time.Unix(1, 0)

// connIDs numbers connections for the trace.
var connIDs atomic.Int64

// Conn is one logged-in FTP or FTPS control connection. It implements
// engine.Session.
type Conn struct {
	cfg     engine.Config
	id      int
	log     *slog.Logger
	timeout time.Duration // inactivity timeout of every read and write
	rr      *replyReader  // the control connection's reading budget, under text
	waiting string        // the verb of the last command sent, for errors: "no reply to LIST"

	raw  net.Conn // the TCP control connection
	conn net.Conn // raw, or the TLS client over it
	text *textproto.Conn
	peer net.IP // the control connection's remote address: passive data connections go here

	tlsConf *tls.Config // nil when plain; data connections share it, and so its session cache
	protP   bool        // PROT P accepted: data connections are TLS too
	listA   bool        // LIST -a: dot files are listed (Unix servers; dropped when refused)
	statOK  bool        // a STAT listing matched LIST's: folders are listed by STAT (statlist.go)

	feat    engine.Features                 // owned by the operation holding mu
	featPub atomic.Pointer[engine.Features] // a copy for Features, which must not wait for a transfer
	noSize  bool                            // SIZE answered 500/502
	noMDTM  bool                            // MDTM answered 500/502
	noXHash map[string]bool                 // checksum commands (X*) and HASH algorithms the server refused
	noEPSV  bool                            // EPSV failed once: PASV from now on
	epsvOK  bool                            // EPSV has given a data connection: it may lead a pipeline
	noPASV  bool                            // passive failed once (ModeDefault): active from now on
	mem     *engine.SiteMemory              // what the site's connections learned (Config.Memory, or this Conn's own)
	noEPRT  bool                            // EPRT refused: PORT from now on
	typ     string                          // the TYPE last accepted ("" before the first)
	names   nameCharset                     // the server's charset for names (Config.Charset); zero: bytes as they are
	ascii   bool                            // transfers use TYPE A instead of TYPE I
	hashSel string                          // the HASH algorithm the server has selected (FEAT's '*')
	noMFMT  bool                            // MFMT refused
	noMDTMw bool                            // MDTM with a time argument refused
	noUTIME bool                            // SITE UTIME refused

	mu     sync.Mutex // held by each operation and by the keep-alive
	keep   *time.Timer
	broken atomic.Bool // the connection can no longer be used
}

// Dialer opens FTP sessions; it implements engine.Dialer. The zero value is
// ready to use.
type Dialer struct{}

// Dial connects and logs in; see the package function Dial.
func (Dialer) Dial(ctx context.Context, cfg engine.Config) (engine.Session, error) {
	c, err := Dial(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Dial connects to cfg.Addr(), secures the connection as cfg.Security says
// and logs in. Errors are *engine.Error with Op "connect" or "login" (or
// *engine.CertError in the chain for an untrusted certificate).
func Dial(ctx context.Context, cfg engine.Config) (*Conn, error) {
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = engine.DefaultTimeout
	}
	c := &Conn{cfg: cfg, id: int(connIDs.Add(1)), timeout: timeout, log: cfg.Logger}
	if c.log == nil {
		c.log = slog.Default()
	}
	if cfg.Proxy.Enabled() {
		c.status("Connecting to %s through proxy %s", cfg.Addr(), cfg.Proxy)
		if cfg.Mode == engine.ModeActive {
			c.status("Active mode cannot work through a proxy; using passive mode")
		}
	} else {
		c.status("Connecting to %s", cfg.Addr())
	}
	raw, err := c.dial(ctx, cfg.Addr(), 0)
	if err != nil {
		return nil, c.opError("connect", "", err)
	}
	if err := c.start(ctx, raw); err != nil {
		raw.Close()
		var ee *engine.Error
		if !errors.As(err, &ee) {
			err = &engine.Error{Op: "connect", Err: err}
		}
		c.trace(engine.TraceError, err.Error())
		return nil, err
	}
	return c, nil
}

// NewConn logs in over an established control connection, as Dial does
// after dialling; tests hand it one end of a fake server. It takes ownership
// of nc and closes it on failure.
func NewConn(ctx context.Context, nc net.Conn, cfg engine.Config) (*Conn, error) {
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = engine.DefaultTimeout
	}
	c := &Conn{cfg: cfg, id: int(connIDs.Add(1)), timeout: timeout, log: cfg.Logger}
	if c.log == nil {
		c.log = slog.Default()
	}
	if err := c.start(ctx, nc); err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

func (c *Conn) start(ctx context.Context, raw net.Conn) error {
	c.raw, c.conn = raw, raw
	names, err := newNameCharset(c.cfg.Charset)
	if err != nil {
		return &engine.Error{Op: "connect", Err: err}
	}
	c.names = names
	if c.mem = c.cfg.Memory; c.mem == nil {
		c.mem = new(engine.SiteMemory)
	}
	if a, ok := raw.RemoteAddr().(*net.TCPAddr); ok {
		c.peer = a.IP
	}
	c.rr = &replyReader{conn: raw, timeout: c.timeout}
	c.text = textproto.NewConn(c.rr)
	c.waiting = "the greeting"
	if err := c.login(ctx); err != nil {
		return err
	}
	if c.cfg.KeepAlive > 0 {
		c.mu.Lock() // keepAlive reads c.keep under the lock
		c.keep = time.AfterFunc(c.cfg.KeepAlive, c.keepAlive)
		c.mu.Unlock()
	}
	return nil
}

// lock starts an operation: it serialises callers and refuses a dead Conn.
func (c *Conn) lock() error {
	c.mu.Lock()
	if c.broken.Load() {
		c.mu.Unlock()
		return engine.ErrClosed
	}
	return nil
}

// unlock ends an operation and restarts the keep-alive clock.
func (c *Conn) unlock() {
	if c.keep != nil && !c.broken.Load() {
		c.keep.Reset(c.cfg.KeepAlive)
	}
	c.mu.Unlock()
}

// keepAlive sends NOOP when the connection has been idle for KeepAlive.
func (c *Conn) keepAlive() {
	if !c.mu.TryLock() {
		return // an operation is running; it resets the timer when done
	}
	defer c.mu.Unlock()
	if c.broken.Load() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	if _, _, err := c.cmd(ctx, 2, "NOOP"); err == nil {
		c.keep.Reset(c.cfg.KeepAlive)
	}
}

// watch makes blocking I/O on nc return when ctx is done by moving its
// deadline into the past. stop reports whether that happened; once it has
// returned, the deadline is no longer touched.
func watch(ctx context.Context, nc net.Conn) (stop func() (fired bool)) {
	if ctx.Done() == nil {
		return func() bool { return false }
	}
	done := make(chan struct{})
	cancel := context.AfterFunc(ctx, func() {
		nc.SetDeadline(aLongTimeAgo)
		close(done)
	})
	return func() bool {
		if cancel() {
			return false
		}
		<-done
		return true
	}
}

// send writes one command line. A CR or LF anywhere in it is refused before
// anything is written: it would let a path smuggle in a second command.
func (c *Conn) send(ctx context.Context, format string, args ...any) error {
	return c.sendLines(ctx, fmt.Sprintf(format, args...))
}

// sendLines writes command lines in one write (pipelining: the caller reads
// a reply for each). A CR or LF in any of them, or a character the server's
// charset cannot write, is refused before anything is written. Lines are
// traced as Skiff has them (UTF-8) and sent in the server's charset.
func (c *Conn) sendLines(ctx context.Context, lines ...string) error {
	wire := make([]string, len(lines))
	for i, line := range lines {
		if strings.ContainsAny(line, "\r\n") {
			return engine.ErrBadArgument
		}
		var err error
		if wire[i], err = c.names.encode(line); err != nil {
			return err
		}
	}
	c.conn.SetWriteDeadline(time.Now().Add(c.timeout))
	stop := watch(ctx, c.conn)
	w := c.text.W
	for i, line := range lines {
		c.waiting, _, _ = strings.Cut(line, " ")
		c.trace(engine.TraceCommand, engine.MaskCommand(line))
		w.WriteString(wire[i])
		w.WriteString("\r\n")
	}
	err := w.Flush()
	if stop() {
		err = ctx.Err()
	}
	if err != nil {
		return c.fail(ctx, err)
	}
	return nil
}

// reply reads one (possibly multi-line) reply of any code.
func (c *Conn) reply(ctx context.Context) (int, string, error) {
	c.rr.begin(ctx, c.waiting)
	stop := watch(ctx, c.conn)
	code, msg, err := c.text.ReadResponse(0)
	if err == nil {
		err = c.rr.cut()
	}
	if stop() {
		err = ctx.Err()
	}
	if err != nil {
		return 0, "", c.fail(ctx, c.rr.explain(err))
	}
	msg = c.names.decode(msg) // a PWD's or MLST's name, an error that quotes one
	first, rest, _ := strings.Cut(msg, "\n")
	c.trace(engine.TraceReply, fmt.Sprintf("%d %s", code, first))
	for _, l := range strings.Split(rest, "\n") {
		if l != "" {
			c.traceAt(engine.TraceVerbose, engine.TraceReply, l)
		}
	}
	if code == codeNotAvailable {
		// 421 may come at any time and means the server is closing.
		c.close()
	}
	return code, msg, nil
}

// exchange sends a command and reads its reply, whatever the code.
func (c *Conn) exchange(ctx context.Context, format string, args ...any) (int, string, error) {
	if err := c.send(ctx, format, args...); err != nil {
		return 0, "", err
	}
	return c.reply(ctx)
}

// cmd sends a command and reads its reply. A reply whose code does not
// match expect (a full code, or a first digit 1–5) is returned as the
// server's *textproto.Error classified by engine.Classify.
func (c *Conn) cmd(ctx context.Context, expect int, format string, args ...any) (int, string, error) {
	code, msg, err := c.exchange(ctx, format, args...)
	if err != nil {
		return 0, "", err
	}
	if !replyIs(code, expect) {
		return code, msg, rejected(code, msg)
	}
	return code, msg, nil
}

func replyIs(code, expect int) bool {
	if expect < 10 {
		return code/100 == expect
	}
	return code == expect
}

// rejected is the error for a reply the client did not want.
func rejected(code int, msg string) error {
	return engine.Classify("", &textproto.Error{Code: code, Msg: msg})
}

// fail turns an I/O error on the control connection into the error to
// return and closes the connection: after a timeout, a cancelled read or a
// broken write, the next reply cannot be matched to its command.
func (c *Conn) fail(ctx context.Context, err error) error {
	c.close()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w by the server (%w)", engine.ErrClosed, err)
	case errors.Is(err, net.ErrClosed):
		return fmt.Errorf("%w (%w)", engine.ErrClosed, err)
	}
	return err
}

// close marks the connection dead and closes it without QUIT.
func (c *Conn) close() {
	if c.broken.Swap(true) {
		return
	}
	if c.keep != nil {
		c.keep.Stop()
	}
	c.conn.Close()
	c.status("Connection closed")
}

// opError wraps a failed operation's error for the caller (the engine
// error contract) and reports it to the message log.
func (c *Conn) opError(op, path string, err error) error {
	e := &engine.Error{Op: op, Path: path, Err: err}
	c.trace(engine.TraceError, e.Error())
	return e
}

// Alive reports whether the Conn may still be used.
func (c *Conn) Alive() bool { return !c.broken.Load() }

// Features returns what the server offered at login (and what probing
// learned since). It does not wait for a running operation.
func (c *Conn) Features() engine.Features {
	if f := c.featPub.Load(); f != nil {
		return *f
	}
	return engine.Features{}
}

// publishFeat makes the current capabilities visible to Features.
func (c *Conn) publishFeat() {
	f := c.feat
	f.Hash = append([]string(nil), f.Hash...)
	f.Features = append([]string(nil), f.Features...)
	c.featPub.Store(&f)
}

// Close sends QUIT and closes the connection. Called while an operation is
// running, it closes the connection at once, which makes that operation fail.
func (c *Conn) Close() error {
	if !c.mu.TryLock() {
		c.close()
		return nil
	}
	defer c.mu.Unlock()
	if c.broken.Load() {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), min(c.timeout, 5*time.Second))
	defer cancel()
	c.cmd(ctx, 2, "QUIT") // the server's answer changes nothing
	c.close()
	return nil
}

// SetASCII makes later transfers use TYPE A (true) or TYPE I (false, the default).
func (c *Conn) SetASCII(ascii bool) {
	c.mu.Lock()
	c.ascii = ascii
	c.mu.Unlock()
}

// trace reports one line of the message log.
func (c *Conn) trace(kind engine.TraceKind, text string) {
	c.traceAt(engine.TraceNormal, kind, text)
}

// traceAt reports a line that a log shows from level on (Config.TraceLevel
// says whether it is made at all).
func (c *Conn) traceAt(level engine.TraceLevel, kind engine.TraceKind, text string) {
	if c.cfg.Trace != nil && level <= max(c.cfg.TraceLevel, engine.TraceVerbose) {
		c.cfg.Trace(engine.TraceEvent{Time: time.Now(), Conn: c.id, Kind: kind, Text: text, Level: level})
	}
}

// status reports a line of Skiff's own to the trace and the debug log.
func (c *Conn) status(format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	c.trace(engine.TraceStatus, text)
	if c.log != nil {
		c.log.Debug(text, "conn", c.id)
	}
}
