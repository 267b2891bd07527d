package ftp_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/ftp"
	"github.com/skiff-ftp/skiff/engine/proxy"
	"github.com/skiff-ftp/skiff/internal/ftptest"
	"github.com/skiff-ftp/skiff/internal/proxytest"
)

// TestProxyCarriesControlAndData lists, uploads and downloads on vsftpd
// through a real SOCKS5 and HTTP proxy, plain and over explicit TLS, and
// reads the proxy's own log: the control connection and every data
// connection must be tunnels it made, so a client that dialled around the
// proxy fails.
func TestProxyCarriesControlAndData(t *testing.T) {
	type proxyCase struct {
		name  string
		start func(testing.TB, proxytest.Options) *proxytest.Server
		auth  bool
	}
	for _, pc := range []proxyCase{
		{"socks5 with auth", proxytest.StartSOCKS5, true},
		{"http", proxytest.StartHTTP, false},
	} {
		for _, sec := range []engine.Security{engine.Plain, engine.TLSExplicit} {
			t.Run(pc.name+"/"+sec.String(), func(t *testing.T) {
				px := pc.start(t, proxytest.Options{Auth: pc.auth})
				s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{TLS: sec != engine.Plain})
				cfg := serverConfig(s, sec, engine.ModeDefault, t)
				cfg.Proxy = px.Proxy()
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				defer cancel()
				c, err := ftp.Dial(ctx, cfg)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				data := []byte("through the proxy\n")
				if _, err := c.Store(ctx, "/p.txt", 0, bytes.NewReader(data)); err != nil {
					t.Fatal(err)
				}
				ents, err := c.List(ctx, "/")
				if err != nil || len(ents) != 1 || ents[0].Name != "p.txt" {
					t.Fatalf("List = %v, %v", ents, err)
				}
				var got bytes.Buffer
				if _, err := c.Retrieve(ctx, "/p.txt", 0, &got); err != nil || !bytes.Equal(got.Bytes(), data) {
					t.Fatalf("Retrieve = %q, %v", got.Bytes(), err)
				}
				tunnels := px.Tunnels(4)
				var control, dataConns int
				for _, a := range tunnels {
					_, p, _ := net.SplitHostPort(a)
					port, _ := strconv.Atoi(p)
					switch {
					case a == s.Addr():
						control++
					case port >= s.PassiveMin && port <= s.PassiveMax:
						dataConns++
					}
				}
				if control != 1 || dataConns != 3 {
					t.Errorf("the proxy made %d control and %d data tunnels, want 1 and 3 (STOR, LIST, RETR): %v", control, dataConns, tunnels)
				}
			})
		}
	}
}

// Active mode cannot work through a proxy (the server would connect to the
// proxy's side): a site set to active goes passive and says so.
func TestProxyForcesPassive(t *testing.T) {
	px := proxytest.StartSOCKS5(t, proxytest.Options{})
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	cfg := serverConfig(s, engine.Plain, engine.ModeActive, t)
	cfg.Proxy = px.Proxy()
	var mu sync.Mutex
	var trace, commands []string
	cfg.Trace = func(e engine.TraceEvent) {
		mu.Lock()
		trace = append(trace, e.Text)
		if e.Kind == engine.TraceCommand {
			commands = append(commands, e.Text)
		}
		mu.Unlock()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := ftp.Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.List(ctx, "/"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	all := strings.Join(trace, "\n")
	for _, cmd := range commands {
		if strings.HasPrefix(cmd, "EPRT") || strings.HasPrefix(cmd, "PORT") {
			t.Errorf("active mode was tried through the proxy: %s", cmd)
		}
	}
	if !strings.Contains(all, "using passive mode") {
		t.Errorf("the log does not say passive mode is used:\n%s", all)
	}
}

// A proxy's refusal is a connect error that keeps *proxy.Error (and so the
// proxy's reason) in the chain.
func TestProxyRefusalIsAConnectError(t *testing.T) {
	px := proxytest.StartHTTP(t, proxytest.Options{Auth: true})
	cfg := engine.Config{Host: proxytest.DeniedHost, Port: 21, User: "u", Password: "p", Security: engine.Plain}
	cfg.Proxy = px.Proxy()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := ftp.Dial(ctx, cfg)
	var ee *engine.Error
	var pe *proxy.Error
	if !errors.As(err, &ee) || ee.Op != "connect" || !errors.As(err, &pe) || !errors.Is(err, proxy.ErrRefused) {
		t.Fatalf("err = %v, want a connect *engine.Error around the proxy's refusal", err)
	}
	if !strings.Contains(err.Error(), "403") || strings.Contains(err.Error(), proxytest.Password) {
		t.Errorf("err = %v: want the proxy's status, never its password", err)
	}
	if engine.IsTemporary(err) {
		t.Errorf("a proxy's refusal is retried: %v", err)
	}
}
