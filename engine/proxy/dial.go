package proxy

import (
	"context"
	"fmt"
	"net"
	"sync"

	xproxy "golang.org/x/net/proxy"
)

// Dial connects to addr (host:port) through p, or directly when p is None.
// The connection to the proxy (or to addr) is made by a zero net.Dialer;
// DialVia takes one of the caller's.
func (p Proxy) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	return p.DialVia(ctx, nil, network, addr)
}

// DialVia is Dial with forward making the TCP connection (its Timeout,
// KeepAlive, LocalAddr apply); nil means a zero net.Dialer. Only "tcp",
// "tcp4" and "tcp6" go through a proxy. Failures are *Error.
func (p Proxy) DialVia(ctx context.Context, forward *net.Dialer, network, addr string) (net.Conn, error) {
	if forward == nil {
		forward = &net.Dialer{}
	}
	if p.Kind == None {
		return forward.DialContext(ctx, network, addr)
	}
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return nil, p.fail(addr, fmt.Errorf("network %q cannot go through a proxy", network))
	}
	if forward.Timeout > 0 {
		// The dialer's timeout bounds the proxy's handshake too: a proxy
		// that accepts and then says nothing must not hang the caller.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, forward.Timeout)
		defer cancel()
	}
	switch p.Kind {
	case SOCKS5:
		return p.dialSOCKS5(ctx, forward, network, addr)
	case HTTP:
		return p.dialHTTP(ctx, forward, network, addr)
	}
	return nil, p.fail(addr, fmt.Errorf("unknown proxy kind %v", p.Kind))
}

// fail wraps err for the connection to target.
func (p Proxy) fail(target string, err error) *Error {
	return &Error{Proxy: p.String(), Target: target, Err: err}
}

// dialSOCKS5 speaks SOCKS5 through golang.org/x/net/proxy. Its errors are
// plain strings, so the bytes the proxy answered during the handshake are
// kept (a tap on the connection) and read again when it fails: the typed
// error comes from the proxy's own reply codes, never from error text.
func (p Proxy) dialSOCKS5(ctx context.Context, forward *net.Dialer, network, addr string) (net.Conn, error) {
	var auth *xproxy.Auth
	if p.User != "" || p.Password != "" {
		auth = &xproxy.Auth{User: p.User, Password: p.Password}
	}
	var (
		mu  sync.Mutex
		tap *tapConn
	)
	fwd := contextDialerFunc(func(ctx context.Context, network, address string) (net.Conn, error) {
		nc, err := forward.DialContext(ctx, network, address)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		tap = &tapConn{Conn: nc}
		mu.Unlock()
		return tap, nil
	})
	d, err := xproxy.SOCKS5("tcp", p.Addr(), auth, fwd)
	if err != nil {
		return nil, p.fail(addr, err)
	}
	nc, err := d.(xproxy.ContextDialer).DialContext(ctx, network, addr)
	mu.Lock()
	t := tap
	mu.Unlock()
	if err != nil {
		if ctx.Err() != nil {
			return nil, p.fail(addr, ctx.Err())
		}
		e := p.fail(addr, err)
		if t != nil {
			e.Code, e.Reason, e.Err = socksVerdict(t.seen(), p.User != "", err)
		}
		return nil, e
	}
	if t == nil {
		return nc, nil
	}
	// The handshake read exactly its replies (io.ReadFull, no buffer), so
	// the TCP connection underneath carries the tunnel from here on. It is
	// returned bare: a *net.TCPConn answers SyscallConn, which engine/ftp's
	// read-ahead gauge asks.
	return t.stop(), nil
}

// contextDialerFunc adapts a function to x/net/proxy's ContextDialer.
type contextDialerFunc func(ctx context.Context, network, addr string) (net.Conn, error)

func (f contextDialerFunc) Dial(network, addr string) (net.Conn, error) {
	return f(context.Background(), network, addr)
}

func (f contextDialerFunc) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return f(ctx, network, addr)
}

// tapKeep bounds what a tap keeps: the SOCKS5 replies before the tunnel
// are 2 + 2 + at most 262 bytes.
const tapKeep = 512

// tapConn keeps the first bytes read from the proxy.
type tapConn struct {
	net.Conn
	mu   sync.Mutex
	read []byte
}

func (t *tapConn) Read(b []byte) (int, error) {
	n, err := t.Conn.Read(b)
	t.mu.Lock()
	if k := min(n, tapKeep-len(t.read)); k > 0 {
		t.read = append(t.read, b[:k]...)
	}
	t.mu.Unlock()
	return n, err
}

func (t *tapConn) seen() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]byte(nil), t.read...)
}

func (t *tapConn) stop() net.Conn { return t.Conn }

// SOCKS5 wire values (RFC 1928, RFC 1929) that socksVerdict reads.
const (
	socksVersion       = 0x05
	socksMethodUserPW  = 0x02
	socksNoMethod      = 0xff
	socksUserPWVersion = 0x01
)

// socksReplies are RFC 1928's reply codes.
var socksReplies = map[byte]string{
	0x01: "general SOCKS server failure",
	0x02: "connection not allowed by ruleset",
	0x03: "network unreachable",
	0x04: "host unreachable",
	0x05: "connection refused",
	0x06: "TTL expired",
	0x07: "command not supported",
	0x08: "address type not supported",
}

// socksVerdict reads the proxy's side of a failed SOCKS5 handshake: the
// method choice, the RFC 1929 status when the username method was chosen,
// and the reply to CONNECT. err is the library's error, kept when the
// bytes show no refusal (a connection cut off, a protocol error).
func socksVerdict(b []byte, haveUser bool, err error) (code int, reason string, cause error) {
	if len(b) < 2 || b[0] != socksVersion {
		return 0, "", err
	}
	switch b[1] {
	case socksNoMethod:
		if !haveUser {
			return 0, "it requires a user name and password", ErrAuth
		}
		return 0, "it accepts none of the offered authentication methods", ErrAuth
	case socksMethodUserPW:
		if len(b) < 4 || b[2] != socksUserPWVersion {
			return 0, "", err
		}
		if b[3] != 0 {
			return int(b[3]), fmt.Sprintf("SOCKS5 authentication status %d", b[3]), ErrAuth
		}
		b = b[4:]
	default:
		b = b[2:]
	}
	if len(b) < 2 || b[0] != socksVersion || b[1] == 0 {
		return 0, "", err
	}
	reason = fmt.Sprintf("SOCKS5 reply %d", b[1])
	if s, ok := socksReplies[b[1]]; ok {
		reason += ": " + s
	}
	return int(b[1]), reason, ErrRefused
}
