package proxy

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeProxy accepts one connection on 127.0.0.1 and hands it to serve.
func fakeProxy(t *testing.T, serve func(c net.Conn)) (host string, port int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		serve(c)
	}()
	a := ln.Addr().(*net.TCPAddr)
	return "127.0.0.1", a.Port
}

func dialCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// socksServer answers the method choice with method, checks RFC 1929
// credentials (status authStatus), then answers CONNECT with reply and
// says "hello" through the tunnel.
func socksServer(t *testing.T, method, authStatus, reply byte, gotTarget chan<- string) func(net.Conn) {
	return func(c net.Conn) {
		b := make([]byte, 2)
		if _, err := io.ReadFull(c, b); err != nil {
			return
		}
		io.ReadFull(c, make([]byte, b[1]))
		c.Write([]byte{5, method})
		if method == 0xff {
			return
		}
		if method == 2 {
			io.ReadFull(c, b) // ver, ulen
			io.ReadFull(c, make([]byte, b[1]))
			io.ReadFull(c, b[:1])
			io.ReadFull(c, make([]byte, b[0]))
			c.Write([]byte{1, authStatus})
			if authStatus != 0 {
				return
			}
		}
		h := make([]byte, 4)
		io.ReadFull(c, h)
		var target string
		switch h[3] {
		case 3:
			io.ReadFull(c, b[:1])
			name := make([]byte, b[0])
			io.ReadFull(c, name)
			target = string(name)
		case 1:
			ip := make([]byte, 4)
			io.ReadFull(c, ip)
			target = net.IP(ip).String()
		}
		io.ReadFull(c, b)
		target += ":" + strconv.Itoa(int(b[0])<<8|int(b[1]))
		if gotTarget != nil {
			gotTarget <- target
		}
		c.Write([]byte{5, reply, 0, 1, 127, 0, 0, 1, 0, 21})
		if reply == 0 {
			c.Write([]byte("hello"))
		}
	}
}

func TestProxySOCKS5Tunnel(t *testing.T) {
	got := make(chan string, 1)
	host, port := fakeProxy(t, socksServer(t, 2, 0, 0, got))
	p := Proxy{Kind: SOCKS5, Host: host, Port: port, User: "alice", Password: "s3cret"}
	nc, err := p.Dial(dialCtx(t), "tcp", "ftp.example.com:21")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if target := <-got; target != "ftp.example.com:21" {
		t.Errorf("the proxy was asked for %q; the name must reach it unresolved", target)
	}
	b := make([]byte, 5)
	if _, err := io.ReadFull(nc, b); err != nil || string(b) != "hello" {
		t.Errorf("through the tunnel: %q, %v", b, err)
	}
	if _, ok := nc.(*net.TCPConn); !ok {
		t.Errorf("the tunnel is a %T, want the bare *net.TCPConn", nc)
	}
}

func TestProxySOCKS5Refusals(t *testing.T) {
	tests := []struct {
		name                      string
		method, authStatus, reply byte
		user                      string
		want                      error
		code                      int
		reason                    string
	}{
		{"destination not allowed (reply 2)", 0, 0, 2, "", ErrRefused, 2, "SOCKS5 reply 2: connection not allowed by ruleset"},
		{"connection refused (reply 5)", 0, 0, 5, "", ErrRefused, 5, "SOCKS5 reply 5: connection refused"},
		{"wrong password (status 1)", 2, 1, 0, "alice", ErrAuth, 1, "SOCKS5 authentication status 1"},
		{"no acceptable method without user", 0xff, 0, 0, "", ErrAuth, 0, "it requires a user name and password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host, port := fakeProxy(t, socksServer(t, tt.method, tt.authStatus, tt.reply, nil))
			p := Proxy{Kind: SOCKS5, Host: host, Port: port, User: tt.user}
			if tt.user != "" {
				p.Password = "s3cret"
			}
			_, err := p.Dial(dialCtx(t), "tcp", "ftp.example.com:21")
			var pe *Error
			if !errors.As(err, &pe) || !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want a *Error with %v", err, tt.want)
			}
			if pe.Code != tt.code || pe.Reason != tt.reason {
				t.Errorf("code %d reason %q, want %d %q", pe.Code, pe.Reason, tt.code, tt.reason)
			}
			if !strings.Contains(err.Error(), p.Addr()) || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q must name the proxy and not its password", err)
			}
		})
	}
}

func TestProxyUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	ln.Close()
	for _, k := range []Kind{SOCKS5, HTTP} {
		p := Proxy{Kind: k, Host: "127.0.0.1", Port: addr.Port, User: "alice", Password: "s3cret"}
		_, err := p.Dial(dialCtx(t), "tcp", "ftp.example.com:21")
		var pe *Error
		var oe *net.OpError
		if !errors.As(err, &pe) || !errors.As(err, &oe) || errors.Is(err, ErrRefused) {
			t.Errorf("%v: err = %v, want a *Error around the network error", k, err)
		}
		if err != nil && (!strings.Contains(err.Error(), p.Addr()) || strings.Contains(err.Error(), "s3cret")) {
			t.Errorf("%v: error %q must name the proxy and not its password", k, err)
		}
	}
}

// httpProxy reads the CONNECT request, sends reply, and returns the request.
func httpProxy(t *testing.T, reply string, gotReq chan<- string) func(net.Conn) {
	return func(c net.Conn) {
		br := bufio.NewReader(c)
		var req strings.Builder
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			req.WriteString(line)
			if line == "\r\n" {
				break
			}
		}
		if gotReq != nil {
			gotReq <- req.String()
		}
		io.WriteString(c, reply)
	}
}

func TestProxyHTTPConnectTunnel(t *testing.T) {
	got := make(chan string, 1)
	// The server's greeting arrives in the same segment as the 200: it
	// must not be lost in the reply reader's buffer.
	host, port := fakeProxy(t, httpProxy(t, "HTTP/1.1 200 Connection established\r\nProxy-Agent: fake\r\n\r\n220 ready\r\n", got))
	p := Proxy{Kind: HTTP, Host: host, Port: port, User: "alice", Password: "s3cret"}
	nc, err := p.Dial(dialCtx(t), "tcp", "ftp.example.com:21")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	req := <-got
	wantReq := "CONNECT ftp.example.com:21 HTTP/1.1\r\nHost: ftp.example.com:21\r\nProxy-Authorization: Basic YWxpY2U6czNjcmV0\r\n\r\n"
	if req != wantReq {
		t.Errorf("request\n%q\nwant\n%q", req, wantReq)
	}
	line, err := bufio.NewReader(nc).ReadString('\n')
	if err != nil || line != "220 ready\r\n" {
		t.Errorf("first line through the tunnel: %q, %v", line, err)
	}
}

func TestProxyHTTPConnectRefusals(t *testing.T) {
	tests := []struct {
		reply  string
		want   error
		code   int
		reason string
	}{
		{"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\n\r\n", ErrAuth, 407, "HTTP/1.1 407 Proxy Authentication Required"},
		{"HTTP/1.0 401 Unauthorized\r\n\r\n", ErrAuth, 401, "HTTP/1.0 401 Unauthorized"},
		{"HTTP/1.0 403 Access violation\r\nContent-Length: 0\r\n\r\n", ErrRefused, 403, "HTTP/1.0 403 Access violation"},
		{"HTTP/1.1 502 Bad Gateway\r\n\r\n", ErrRefused, 502, "HTTP/1.1 502 Bad Gateway"},
	}
	for _, tt := range tests {
		t.Run(strings.SplitN(tt.reply, "\r", 2)[0], func(t *testing.T) {
			host, port := fakeProxy(t, httpProxy(t, tt.reply, nil))
			p := Proxy{Kind: HTTP, Host: host, Port: port, User: "alice", Password: "s3cret"}
			_, err := p.Dial(dialCtx(t), "tcp", "ftp.example.com:21")
			var pe *Error
			if !errors.As(err, &pe) || !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want a *Error with %v", err, tt.want)
			}
			if pe.Code != tt.code || pe.Reason != tt.reason {
				t.Errorf("code %d reason %q, want %d %q", pe.Code, pe.Reason, tt.code, tt.reason)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

func TestProxyHTTPConnectNotAProxy(t *testing.T) {
	host, port := fakeProxy(t, func(c net.Conn) { io.WriteString(c, "220 an FTP server\r\n") })
	p := Proxy{Kind: HTTP, Host: host, Port: port}
	_, err := p.Dial(dialCtx(t), "tcp", "ftp.example.com:21")
	if err == nil || !strings.Contains(err.Error(), "not an HTTP proxy") {
		t.Fatalf("err = %v", err)
	}
}

// An HTTP proxy that sends an endless header gets an error naming the
// budget, after at most maxReplyBytes were read.
func TestProxyHTTPConnectEndlessHeaderIsBounded(t *testing.T) {
	for _, tt := range []struct {
		name string
		line string
		want error
	}{
		{"endless short lines", "X-Junk: aaaaaaaa\r\n", errReplyTooLong},
		{"one endless line", strings.Repeat("a", 1024), errLineTooLong},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sent := make(chan int, 1)
			host, port := fakeProxy(t, func(c net.Conn) {
				br := bufio.NewReader(c)
				for {
					line, err := br.ReadString('\n')
					if err != nil || line == "\r\n" {
						break
					}
				}
				n, _ := io.WriteString(c, "HTTP/1.1 200 OK\r\n")
				for n < 64<<20 {
					k, err := io.WriteString(c, tt.line)
					n += k
					if err != nil {
						break
					}
				}
				sent <- n
			})
			p := Proxy{Kind: HTTP, Host: host, Port: port}
			_, err := p.Dial(dialCtx(t), "tcp", "ftp.example.com:21")
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if n := <-sent; n >= 64<<20 {
				t.Errorf("the client read all %d bytes", n)
			}
		})
	}
}

func TestProxyHTTPConnectRefusesLineBreakInTarget(t *testing.T) {
	p := Proxy{Kind: HTTP, Host: "127.0.0.1", Port: 1}
	_, err := p.Dial(dialCtx(t), "tcp", "evil.example:21\r\nX-Injected: 1")
	if err == nil || !strings.Contains(err.Error(), "line break") {
		t.Fatalf("err = %v", err)
	}
}

func TestProxyHTTPConnectSilentProxyTimesOut(t *testing.T) {
	host, port := fakeProxy(t, func(c net.Conn) { io.Copy(io.Discard, c) })
	p := Proxy{Kind: HTTP, Host: host, Port: port}
	start := time.Now()
	_, err := p.DialVia(context.Background(), &net.Dialer{Timeout: 300 * time.Millisecond}, "tcp", "ftp.example.com:21")
	var ne net.Error
	if !errors.As(err, &ne) && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestProxyDirectWithoutProxy(t *testing.T) {
	host, port := fakeProxy(t, func(c net.Conn) { io.WriteString(c, "220 direct\r\n") })
	nc, err := Proxy{}.Dial(dialCtx(t), "tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	line, _ := bufio.NewReader(nc).ReadString('\n')
	if line != "220 direct\r\n" {
		t.Errorf("got %q", line)
	}
}
