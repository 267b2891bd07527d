package proxytest

import (
	"bufio"
	"context"
	"errors"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine/proxy"
)

// greeter listens on host (127.0.0.1 or DeniedHost) and greets each client.
func greeter(t *testing.T, host string) string {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("220 hello\r\n"))
			c.Close()
		}
	}()
	return ln.Addr().String()
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

var proxies = []struct {
	name  string
	start func(testing.TB, Options) *Server
	auth  bool
}{
	{"socks5 without auth", StartSOCKS5, false},
	{"socks5 with auth", StartSOCKS5, true},
	{"http without auth", StartHTTP, false},
	{"http with auth", StartHTTP, true},
}

func TestProxyTunnelsAndLogs(t *testing.T) {
	for _, tt := range proxies {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.start(t, Options{Auth: tt.auth})
			target := greeter(t, "127.0.0.1")
			nc, err := s.Proxy().Dial(ctx(t), "tcp", target)
			if err != nil {
				t.Fatal(err)
			}
			defer nc.Close()
			nc.SetDeadline(time.Now().Add(10 * time.Second))
			line, err := bufio.NewReader(nc).ReadString('\n')
			if err != nil || line != "220 hello\r\n" {
				t.Fatalf("through the proxy: %q, %v", line, err)
			}
			if got := s.Tunnels(1); !slices.Contains(got, target) {
				t.Errorf("the proxy's log shows tunnels %v, want %s among them", got, target)
			}
		})
	}
}

func TestProxyRefusesDeniedHost(t *testing.T) {
	for _, tt := range proxies {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.start(t, Options{Auth: tt.auth})
			target := greeter(t, DeniedHost)
			_, err := s.Proxy().Dial(ctx(t), "tcp", target)
			var pe *proxy.Error
			if !errors.As(err, &pe) || !errors.Is(err, proxy.ErrRefused) {
				t.Fatalf("err = %v, want the proxy's refusal", err)
			}
			wantCode := 403
			if s.Kind == proxy.SOCKS5 {
				wantCode = 2 // connection not allowed by ruleset
			}
			if pe.Code != wantCode || !strings.Contains(err.Error(), s.Proxy().Addr()) {
				t.Errorf("err = %v (code %d), want code %d naming the proxy", err, pe.Code, wantCode)
			}
			if got := s.Tunnels(0); slices.Contains(got, target) {
				t.Errorf("the proxy connected to %s: %v", target, got)
			}
		})
	}
}

func TestProxyRefusesWrongPassword(t *testing.T) {
	for _, start := range []func(testing.TB, Options) *Server{StartSOCKS5, StartHTTP} {
		s := start(t, Options{Auth: true})
		t.Run(s.Kind.String(), func(t *testing.T) {
			target := greeter(t, "127.0.0.1")
			for _, p := range []proxy.Proxy{
				{Kind: s.Kind, Host: s.Host, Port: s.Port, User: User, Password: "not-the-password"},
				{Kind: s.Kind, Host: s.Host, Port: s.Port},
			} {
				_, err := p.Dial(ctx(t), "tcp", target)
				if !errors.Is(err, proxy.ErrAuth) {
					t.Fatalf("user %q: err = %v, want the proxy refusing the credentials", p.User, err)
				}
				if strings.Contains(err.Error(), "not-the-password") || !strings.Contains(err.Error(), strconv.Itoa(s.Port)) {
					t.Errorf("err = %v: must name the proxy, never the password", err)
				}
			}
		})
	}
}
