package engine

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/engine/proxy"
)

// A session opened through one proxy is never handed to a caller that
// asked for another (or for none): the proxy is part of the site's key.
func TestPoolKeepsSessionsOfDifferentProxiesApart(t *testing.T) {
	d := &countingDialer{}
	p := NewPool(d, PoolOptions{})
	defer p.Close()
	ctx := context.Background()
	viaA := testCfg
	viaA.Proxy = proxy.Proxy{Kind: proxy.SOCKS5, Host: "a.example", Port: 1080}
	viaB := testCfg
	viaB.Proxy = proxy.Proxy{Kind: proxy.HTTP, Host: "b.example", Port: 3128}
	seen := map[Session]string{}
	for _, cfg := range []Config{testCfg, viaA, viaB} {
		s, err := p.Acquire(ctx, cfg, Browse)
		if err != nil {
			t.Fatal(err)
		}
		if prev, ok := seen[s]; ok {
			t.Fatalf("the session opened %s was handed out for %s", prev, cfg.Proxy)
		}
		seen[s] = cfg.Proxy.String()
		p.Release(s)
	}
	if d.count() != 3 {
		t.Errorf("dials = %d, want 3 (one per proxy)", d.count())
	}
}

func TestKeyOfADirectSiteHasNoProxy(t *testing.T) {
	if k := testCfg.Key(); k.Proxy != "" {
		t.Errorf("Key().Proxy = %q for a direct site", k.Proxy)
	}
	cfg := testCfg
	cfg.Proxy = proxy.Proxy{Kind: proxy.SOCKS5, Host: "p", Port: 1080, User: "alice", Password: "s3cret"}
	if k := cfg.Key(); k.Proxy != "socks5://alice@p:1080" {
		t.Errorf("Key().Proxy = %q", k.Proxy)
	}
}

func TestConfigLogNeverShowsTheProxyPassword(t *testing.T) {
	cfg := testCfg
	cfg.Proxy = proxy.Proxy{Kind: proxy.HTTP, Host: "proxy.example", Port: 3128, User: "alice", Password: "pr0xy-s3cret"}
	var log bytes.Buffer
	slog.New(slog.NewTextHandler(&log, nil)).Info("dial", "cfg", cfg)
	for name, s := range map[string]string{"slog": log.String(), "%v": fmt.Sprintf("%v", cfg), "%#v": fmt.Sprintf("%#v", cfg)} {
		if strings.Contains(s, "pr0xy-s3cret") {
			t.Errorf("%s shows the proxy password: %s", name, s)
		}
	}
	if !strings.Contains(log.String(), "proxy.example") {
		t.Errorf("the log does not name the proxy: %s", log.String())
	}
}

func TestProxyRefusalIsNotTemporary(t *testing.T) {
	for _, sentinel := range []error{proxy.ErrRefused, proxy.ErrAuth} {
		err := &Error{Op: "connect", Err: &proxy.Error{Proxy: "socks5://p:1080", Target: "h:21", Code: 2, Err: sentinel}}
		if IsTemporary(err) {
			t.Errorf("IsTemporary(%v) = true", err)
		}
	}
}
