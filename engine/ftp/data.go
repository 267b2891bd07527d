package ftp

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

// dataSource is a data connection in the making: dialled already (passive)
// or a listener waiting for the server to connect (active).
type dataSource struct {
	conn net.Conn         // passive: the dialled connection
	ln   *net.TCPListener // active
	peer net.IP           // active: the only address allowed to connect
}

// open returns the data connection, accepting it in active mode.
func (d *dataSource) open(ctx context.Context, timeout time.Duration) (net.Conn, error) {
	if d.conn != nil {
		return d.conn, nil
	}
	stop := context.AfterFunc(ctx, func() { d.ln.Close() })
	defer stop()
	d.ln.SetDeadline(time.Now().Add(timeout))
	for {
		nc, err := d.ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if isTimeout(err) {
				return nil, &stalled{fmt.Sprintf("the server did not open the data connection within %s (active mode)", timeout), err}
			}
			return nil, fmt.Errorf("active mode: server did not connect: %w", err)
		}
		// Only the server may connect: anyone else could feed us a file.
		if a, ok := nc.RemoteAddr().(*net.TCPAddr); ok && d.peer != nil && !a.IP.Equal(d.peer) {
			nc.Close()
			continue
		}
		d.ln.Close()
		return nc, nil
	}
}

func (d *dataSource) Close() {
	if d.conn != nil {
		d.conn.Close()
	}
	if d.ln != nil {
		d.ln.Close()
	}
}

// prepareData gets a data connection ready as the site's Mode allows: EPSV,
// then PASV, then active, skipping methods that failed before on this Conn.
// A non-empty then is the transfer command, which may be sent in the same
// write as EPSV (see epsvThen); sent reports whether it was.
func (c *Conn) prepareData(ctx context.Context, then string) (ds *dataSource, sent bool, err error) {
	mode := c.cfg.Mode
	if mode != engine.ModeActive && !c.noPASV {
		if then != "" && c.epsvOK && !c.noEPSV && !c.mem.Has(engine.NoPipeline) && !oneAtATime(c.feat.Welcome) {
			ds, err := c.epsvThen(ctx, then)
			if err != errUnpipelined {
				return ds, err == nil, err
			}
		}
		ds, err := c.passive(ctx)
		if err == nil || mode == engine.ModePassive || !c.Alive() || ctx.Err() != nil {
			return ds, false, err
		}
		c.noPASV = true
		c.status("Passive mode failed (%v); using active mode from now on", err)
	}
	ds, err = c.active(ctx)
	return ds, false, err
}

// errUnpipelined tells prepareData that the server did not take EPSV and
// the transfer command in one write, and that the connection is in step
// again: the transfer is to be set up one command at a time.
var errUnpipelined = errors.New("pipelined commands refused")

// pipelineGrace is how long epsvThen waits, after an unexpected reply to
// EPSV, for the reply of the command sent along with it.
const pipelineGrace = 2 * time.Second

// epsvThen sends EPSV and the transfer command in one write and dials the
// port while the server reads the command: a round trip less per file,
// which is most of the cost of a small file. Only a Conn on which EPSV has
// worked does this, so the 229 is expected. Anything else (some servers
// answer the whole write with one 502) turns pipelining off for the site;
// once the command sent along has had its reply, or none came within
// pipelineGrace, the connection is in step and epsvThen returns
// errUnpipelined. A connection it cannot bring back into step is closed
// (the caller's retry gets a fresh one).
func (c *Conn) epsvThen(ctx context.Context, then string) (*dataSource, error) {
	if err := c.sendLines(ctx, "EPSV", then); err != nil {
		return nil, err
	}
	code, msg, err := c.reply(ctx)
	if err != nil {
		return nil, err
	}
	if code == 229 {
		port, err := parseEPSV(msg)
		if err == nil {
			var nc net.Conn
			if nc, err = c.dialData(ctx, port); err == nil {
				return &dataSource{conn: nc}, nil
			}
		}
		c.close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("passive data connection: %w", err)
	}
	verb, _, _ := strings.Cut(then, " ")
	if c.mem.Learn(engine.NoPipeline) {
		c.status("Server answered EPSV sent along with %s with %d; sending one command at a time to this site from now on", verb, code)
	}
	if !c.Alive() {
		return nil, rejected(code, msg)
	}
	pending, err := c.replyPending(ctx, min(pipelineGrace, c.timeout))
	if err != nil {
		return nil, err
	}
	if pending {
		code2, msg2, err := c.reply(ctx)
		if err != nil {
			return nil, err
		}
		if code2/100 == 1 {
			// The server started the transfer without a data
			// connection of ours: only closing ends that.
			c.close()
			return nil, fmt.Errorf("%w: the server answered %s sent along with EPSV with %d %s", engine.ErrClosed, verb, code2, firstLine(msg2))
		}
	}
	return nil, errUnpipelined
}

// replyPending reports whether a reply starts to arrive within grace,
// without reading it. Waiting for nothing leaves the connection in step.
func (c *Conn) replyPending(ctx context.Context, grace time.Duration) (bool, error) {
	if c.text.R.Buffered() > 0 {
		return true, nil
	}
	c.rr.begin(ctx, c.waiting)
	c.conn.SetReadDeadline(time.Now().Add(grace))
	stop := watch(ctx, c.conn)
	_, err := c.text.R.Peek(1)
	if stop() {
		return false, c.fail(ctx, ctx.Err())
	}
	switch {
	case err == nil:
		return true, nil
	case isTimeout(err):
		return false, nil
	}
	return false, c.fail(ctx, err)
}

// firstLine is the first line of a (multi-line) reply text.
func firstLine(msg string) string {
	l, _, _ := strings.Cut(msg, "\n")
	return strings.TrimSpace(l)
}

// oneCommandBanners name servers known to mishandle a command sent before
// the previous one was answered (lftp's ftp:auto-sync-mode list): they get
// one command at a time from the start instead of after a timeout.
var oneCommandBanners = []string{"Microsoft FTP Service", "MadGoat", "MikroTik"}

// oneAtATime reports whether the greeting names such a server.
func oneAtATime(welcome string) bool {
	for _, b := range oneCommandBanners {
		if strings.Contains(welcome, b) {
			return true
		}
	}
	return false
}

// isTimeout reports whether err is a network timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// passive sends EPSV (or PASV once EPSV has failed) and dials the port.
func (c *Conn) passive(ctx context.Context) (*dataSource, error) {
	if c.peer == nil {
		return nil, errors.New("passive mode needs a TCP control connection")
	}
	if !c.noEPSV {
		code, msg, err := c.exchange(ctx, "EPSV")
		if err != nil {
			return nil, err
		}
		if code == codeNotAvailable {
			return nil, rejected(code, msg)
		}
		if code == 229 {
			port, err := parseEPSV(msg)
			if err == nil {
				var nc net.Conn
				if nc, err = c.dialData(ctx, port); err == nil {
					c.epsvOK = true
					return &dataSource{conn: nc}, nil
				}
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			c.status("EPSV data connection failed (%v); using PASV from now on", err)
		} else {
			c.status("Server refused EPSV; using PASV from now on")
		}
		c.noEPSV = true
	}
	_, msg, err := c.cmd(ctx, 227, "PASV")
	if err != nil {
		return nil, err
	}
	ip, port, err := parsePASV(msg)
	if err != nil {
		return nil, err
	}
	if !ip.Equal(c.peer) {
		// A NATed server announces its private address; a hostile one a
		// third host (FTP bounce). Either way the server is where we are
		// connected already.
		c.status("Server sent passive reply with address %s; using server address %s instead", ip, c.peer)
	}
	nc, err := c.dialData(ctx, port)
	if err != nil {
		return nil, err
	}
	return &dataSource{conn: nc}, nil
}

// dialData connects to the server's data port. Keep-alive probes are off: a
// data connection lives for one transfer, and the inactivity timeout
// watches it.
func (c *Conn) dialData(ctx context.Context, port int) (net.Conn, error) {
	d := net.Dialer{Timeout: c.timeout, KeepAlive: -1}
	return d.DialContext(ctx, "tcp", net.JoinHostPort(c.peer.String(), strconv.Itoa(port)))
}

// parseEPSV reads the port of "229 Entering Extended Passive Mode (|||6446|)".
// The delimiter is whatever character follows '(' (RFC 2428).
func parseEPSV(msg string) (int, error) {
	i := strings.IndexByte(msg, '(')
	j := strings.LastIndexByte(msg, ')')
	if i < 0 || j < i+5 {
		return 0, fmt.Errorf("malformed EPSV reply %q", msg)
	}
	inner := msg[i+1 : j]
	d := inner[:1]
	f := strings.Split(inner, d)
	if len(f) != 5 {
		return 0, fmt.Errorf("malformed EPSV reply %q", msg)
	}
	port, err := strconv.Atoi(f[3])
	if err != nil || port <= 0 || port > 65535 {
		return 0, fmt.Errorf("malformed EPSV reply %q", msg)
	}
	return port, nil
}

// parsePASV reads "227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)"; the
// parentheses are optional in practice.
func parsePASV(msg string) (net.IP, int, error) {
	start := strings.IndexAny(msg, "0123456789")
	for start >= 0 {
		end := start
		for end < len(msg) && (msg[end] == ',' || msg[end] >= '0' && msg[end] <= '9') {
			end++
		}
		f := strings.Split(msg[start:end], ",")
		if len(f) == 6 {
			var b [6]byte
			ok := true
			for k, s := range f {
				n, err := strconv.Atoi(s)
				if err != nil || n < 0 || n > 255 {
					ok = false
					break
				}
				b[k] = byte(n)
			}
			if ok {
				return net.IPv4(b[0], b[1], b[2], b[3]), int(b[4])<<8 | int(b[5]), nil
			}
		}
		next := strings.IndexAny(msg[end:], "0123456789")
		if next < 0 {
			break
		}
		start = end + next
	}
	return nil, 0, fmt.Errorf("malformed PASV reply %q", msg)
}

// active listens on the control connection's local address (or a port of
// the configured range) and announces it with EPRT, or PORT once EPRT has
// been refused.
func (c *Conn) active(ctx context.Context) (*dataSource, error) {
	local, ok := c.raw.LocalAddr().(*net.TCPAddr)
	if !ok {
		return nil, errors.New("active mode needs a TCP control connection")
	}
	ln, err := c.listen(local.IP)
	if err != nil {
		return nil, err
	}
	ds := &dataSource{ln: ln, peer: c.peer}
	port := ln.Addr().(*net.TCPAddr).Port
	announce := local.IP
	if c.cfg.ActiveExternalIP != "" {
		if announce = net.ParseIP(c.cfg.ActiveExternalIP); announce == nil {
			ln.Close()
			return nil, fmt.Errorf("active mode: external address %q is not an IP address", c.cfg.ActiveExternalIP)
		}
	}
	if !c.noEPRT {
		af := 1
		if announce.To4() == nil {
			af = 2
		}
		code, msg, err := c.exchange(ctx, "EPRT |%d|%s|%d|", af, announce, port)
		if err != nil {
			ln.Close()
			return nil, err
		}
		if code/100 == 2 {
			return ds, nil
		}
		if code == codeNotAvailable || af == 2 {
			ln.Close()
			return nil, rejected(code, msg)
		}
		c.noEPRT = true
		c.status("Server refused EPRT; using PORT from now on")
	}
	ip4 := announce.To4()
	if ip4 == nil {
		ln.Close()
		return nil, errors.New("active mode: PORT needs an IPv4 address")
	}
	if _, _, err := c.cmd(ctx, 2, "PORT %d,%d,%d,%d,%d,%d", ip4[0], ip4[1], ip4[2], ip4[3], port>>8, port&0xff); err != nil {
		ln.Close()
		return nil, err
	}
	return ds, nil
}

// listen opens the active-mode listener, on a port of
// [ActivePortMin, ActivePortMax] when the site sets a range.
func (c *Conn) listen(ip net.IP) (*net.TCPListener, error) {
	lo, hi := c.cfg.ActivePortMin, c.cfg.ActivePortMax
	if lo <= 0 || hi < lo {
		return net.ListenTCP("tcp", &net.TCPAddr{IP: ip})
	}
	n := hi - lo + 1
	first := rand.IntN(n)
	var err error
	for k := range n {
		var ln *net.TCPListener
		if ln, err = net.ListenTCP("tcp", &net.TCPAddr{IP: ip, Port: lo + (first+k)%n}); err == nil {
			return ln, nil
		}
	}
	return nil, fmt.Errorf("active mode: no free port in %d-%d: %w", lo, hi, err)
}

// dataConn is an open data connection. Every read and write pushes the
// inactivity deadline forward (at most a few times per timeout, not per
// call), and cancelling the transfer's context moves it into the past.
type dataConn struct {
	net.Conn
	timeout time.Duration

	mu        sync.Mutex // orders deadline updates against cancellation
	next      time.Time  // when the deadline needs pushing again
	cancelled bool
}

func (d *dataConn) extend() error {
	now := time.Now()
	if now.Before(d.next) {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cancelled {
		return context.Canceled
	}
	d.next = now.Add(d.timeout / 4)
	return d.Conn.SetDeadline(now.Add(d.timeout))
}

func (d *dataConn) Read(p []byte) (int, error) {
	if err := d.extend(); err != nil {
		return 0, err
	}
	return d.Conn.Read(p)
}

// writeChunk bounds the bytes one Write hands to the connection between
// deadline pushes. A 512 KiB buffer written in one call must drain within
// the inactivity timeout, which fails a link slower than about 26 kB/s (an
// old ADSL uplink) while it is moving; 64 KiB chunks time out only below
// about 3 kB/s with the default 20 s. TLS writes 16 KiB records anyway, and
// plain uploads measured no slower.
const writeChunk = 64 << 10

func (d *dataConn) Write(p []byte) (int, error) {
	var done int
	for len(p) > 0 {
		if err := d.extend(); err != nil {
			return done, err
		}
		n, err := d.Conn.Write(p[:min(len(p), writeChunk)])
		done += n
		if err != nil {
			return done, err
		}
		p = p[n:]
	}
	return done, nil
}

// explain names what a timeout on the data connection waited for; other
// errors are returned as they are.
func (d *dataConn) explain(err error, download bool) error {
	d.mu.Lock()
	cancelled := d.cancelled
	d.mu.Unlock()
	if err == nil || cancelled || !isTimeout(err) {
		return err
	}
	if download {
		return &stalled{fmt.Sprintf("no data from the server for %s", d.timeout), err}
	}
	return &stalled{fmt.Sprintf("the server took no data for %s", d.timeout), err}
}

// stalled is a timeout that says what Skiff waited for. It is still the
// network's timeout to errors.As and engine.IsTemporary.
type stalled struct {
	text string
	err  error
}

func (e *stalled) Error() string { return e.text }
func (e *stalled) Unwrap() error { return e.err }

// watch interrupts the connection's I/O when ctx is done.
func (d *dataConn) watch(ctx context.Context) (stop func() bool) {
	return context.AfterFunc(ctx, func() {
		d.mu.Lock()
		d.cancelled = true
		d.Conn.SetDeadline(aLongTimeAgo)
		d.mu.Unlock()
	})
}
