package sftp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/skiff-ftp/skiff/engine"
)

// Dialer opens SFTP sessions. It implements engine.Dialer.
type Dialer struct{}

// connIDs numbers connections for the trace.
var connIDs atomic.Int64

// Dial connects (through the ProxyJump hosts ~/.ssh/config names, if any),
// checks the host key, authenticates and starts the sftp subsystem.
func (Dialer) Dial(ctx context.Context, cfg engine.Config) (engine.Session, error) {
	tr := tracer{fn: cfg.Trace, id: int(connIDs.Add(1))}
	target, jumps, err := route(cfg)
	if err != nil {
		return nil, &engine.Error{Op: "connect", Err: err}
	}
	var via *ssh.Client
	var chain []*ssh.Client // jump connections, closed after the target's
	closeChain := func() {
		for i := len(chain) - 1; i >= 0; i-- {
			chain[i].Close()
		}
	}
	for _, j := range jumps {
		tr.status(fmt.Sprintf("Connecting to jump host %s@%s", j.user, j.addr()))
		c, err := dialHop(ctx, cfg, j, via, tr)
		if err != nil {
			closeChain()
			return nil, err
		}
		chain = append(chain, c)
		via = c
	}
	tr.status(fmt.Sprintf("Connecting to %s@%s", target.user, target.addr()))
	conn, err := dialHop(ctx, cfg, target, via, tr)
	if err != nil {
		closeChain()
		return nil, err
	}
	size, requests, limitsClosed := packetSize(ctx, conn, tr)
	client, status, err := newSFTPClient(ctx, conn, size, requests, limitsClosed, tr)
	if err != nil {
		conn.Close()
		closeChain()
		tr.error(err.Error())
		return nil, &engine.Error{Op: "sftp", Err: err}
	}
	s := &Session{conn: conn, client: client, status: status, jumps: chain, tr: tr, size: size, requests: requests}
	s.feat = engine.Features{
		System: string(conn.ServerVersion()), HiddenListed: true, Size: true, MDTM: true, MFMT: true, Rest: true, UTF8: true,
	}
	tr.status("SFTP session started")
	return s, nil
}

// newSFTPClient starts the sftp subsystem on conn, over pipes that record
// the server's failure statuses (for their messages) and, with a trace, log
// each request (trace.go).
// A refused channel is asked for again once the server has closed
// packetSize's (limitsClosed).
func newSFTPClient(ctx context.Context, conn *ssh.Client, size, requests int, limitsClosed <-chan struct{}, tr tracer) (*sftp.Client, *statusRecorder, error) {
	opts := []sftp.ClientOption{sftp.MaxPacketUnchecked(size),
		sftp.UseConcurrentReads(true), sftp.UseConcurrentWrites(true), sftp.MaxConcurrentRequestsPerFile(requests)}
	sess, err := conn.NewSession()
	var refused *ssh.OpenChannelError
	if errors.As(err, &refused) {
		select {
		case <-limitsClosed:
		case <-ctx.Done():
		case <-time.After(engine.DefaultTimeout):
		}
		sess, err = conn.NewSession()
	}
	if err != nil {
		return nil, nil, err
	}
	w, r, err := startSFTP(sess)
	if err != nil {
		sess.Close()
		return nil, nil, err
	}
	rec := &statusRecorder{}
	onReply := rec.reply
	var wr io.WriteCloser = w
	if tr.fn != nil {
		rt := newRequestTrace(tr)
		onReply = func(p []byte) { rt.reply(p); rec.reply(p) }
		wr = &requestWriter{w: w, s: packetScanner{on: rt.request}}
	}
	c, err := sftp.NewClientPipe(&replyReader{r: r, s: packetScanner{on: onReply}}, wr, opts...)
	if err != nil {
		sess.Close()
		return nil, nil, err
	}
	return c, rec, nil
}

// dialHop makes one SSH connection: over TCP, or through via (a jump
// host's direct-tcpip channel) when via is not nil.
func dialHop(ctx context.Context, cfg engine.Config, h hop, via *ssh.Client, tr tracer) (*ssh.Client, error) {
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = engine.DefaultTimeout
	}
	addr := h.addr()
	hk, algs, err := hostKeyCallback(ctx, cfg, addr, tr)
	if err != nil {
		return nil, &engine.Error{Op: "login", Err: err}
	}
	// The user reading and answering keyboard-interactive questions (a
	// one-time code) is not the server being slow: the handshake's
	// inactivity deadline waits while the question is open. nc is set
	// before the handshake, which asks on this goroutine.
	var nc net.Conn
	if ask := cfg.KeyboardInteractive; ask != nil {
		cfg.KeyboardInteractive = func(ctx context.Context, name, instr string, qs []string, echos []bool) ([]string, error) {
			if nc != nil {
				nc.SetDeadline(time.Time{})
				defer func() {
					if ctx.Err() == nil {
						nc.SetDeadline(time.Now().Add(timeout))
					}
				}()
			}
			return ask(ctx, name, instr, qs, echos)
		}
	}
	a, err := newAuth(ctx, cfg, h, tr)
	if err != nil {
		return nil, &engine.Error{Op: "login", Err: err}
	}
	defer a.close()
	sc := &ssh.ClientConfig{
		User:              h.user,
		HostKeyCallback:   hk,
		HostKeyAlgorithms: algs,
		Timeout:           timeout,
		AuthCallback:      a.next,
		BannerCallback: func(msg string) error {
			tr.reply(strings.TrimRight(msg, "\r\n"))
			return nil
		},
	}
	sc.Ciphers = preferredCiphers()
	if via != nil {
		nc, err = via.DialContext(ctx, "tcp", addr)
	} else {
		// The TCP connection goes through cfg.Proxy when one is set; the
		// host key is still checked against addr, the server's own name.
		nc, err = cfg.Proxy.DialVia(ctx, &net.Dialer{Timeout: timeout}, "tcp", addr)
	}
	if err != nil {
		tr.error(err.Error())
		return nil, &engine.Error{Op: "connect", Err: err}
	}
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)) })
	nc.SetDeadline(time.Now().Add(timeout))
	c, chans, reqs, err := ssh.NewClientConn(newBufferedConn(nc), addr, sc)
	stop()
	if err != nil {
		nc.Close()
		tr.error(err.Error())
		if ctx.Err() != nil {
			return nil, &engine.Error{Op: "login", Err: ctx.Err()}
		}
		var hke *HostKeyError
		if errors.As(err, &hke) {
			return nil, &engine.Error{Op: "login", Err: hke}
		}
		if isAuthErr(err) {
			err = errors.Join(engine.ErrLoginFailed, err)
		}
		return nil, &engine.Error{Op: "login", Err: err}
	}
	nc.SetDeadline(time.Time{})
	tr.status(fmt.Sprintf("Authenticated to %s as %s (%s)", addr, h.user, a.succeeded()))
	return ssh.NewClient(c, chans, reqs), nil
}

func isAuthErr(err error) bool {
	return err != nil && strings.Contains(err.Error(), "unable to authenticate")
}

const (
	// maxPacket is the data per read/write request: SFTP's guaranteed 32
	// KiB. Larger requests break servers: a 256 KiB write killed pkg/sftp's
	// server connection, and with 64 KiB reads that server answers 32 KiB
	// while pkg/sftp's concurrent File.WriteTo skips the rest (half a file
	// arrived; Retrieve's ErrShort check caught it). Throughput comes from
	// the requests in flight instead.
	maxPacket = 32 << 10
	// maxRequests is the read or write requests in flight per file: 64 × 32
	// KiB = 2 MiB, enough to fill loopback and a long fat pipe alike.
	maxRequests = 64
)

// readBuffer is the socket read size. x/crypto/ssh reads its transport
// through a 4 KiB bufio.Reader: a 1 GiB download was 262,144 read system
// calls. A larger buffer under it takes whatever the socket has at once.
const readBuffer = 256 << 10

// bufferedConn is a net.Conn whose reads go through a large buffer.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func newBufferedConn(c net.Conn) net.Conn {
	return &bufferedConn{Conn: c, r: bufio.NewReaderSize(c, readBuffer)}
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }
