package bookmarks

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestProxySavedWithSitesAndDefault(t *testing.T) {
	s := newStore(t)
	s.Secrets = MockKeychain()
	ctx := context.Background()
	own, err := s.AddSite(RootID, Site{Name: "via socks", Host: "ftp.example.com", User: "bob",
		Proxy: &Proxy{Kind: ProxySOCKS5, Host: "proxy.example", Port: 1080, User: "alice"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSiteProxyPassword(ctx, &own, "site-proxy-secret"); err != nil {
		t.Fatal(err)
	}
	direct, _ := s.AddSite(RootID, Site{Name: "direct", Host: "ftp.example.org", Proxy: &Proxy{Kind: ProxyNone}})
	plain, _ := s.AddSite(RootID, Site{Name: "default", Host: "ftp.example.net"})
	if err := s.SetDefaultProxy(ctx, &Proxy{Kind: ProxyHTTP, Host: "corp-proxy", Port: 3128, User: "carol"}, "default-proxy-secret"); err != nil {
		t.Fatal(err)
	}

	raw, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "secret") {
		t.Fatalf("a proxy password is in the site file:\n%s", raw)
	}
	fresh, _ := Open(s.Dir())
	fresh.Secrets = s.Secrets
	tree, err := fresh.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		site      Site
		want      *Proxy
		owner, pw string
	}{
		{own, &Proxy{Kind: ProxySOCKS5, Host: "proxy.example", Port: 1080, User: "alice"}, own.ID, "site-proxy-secret"},
		{direct, &Proxy{Kind: ProxyNone}, direct.ID, ""},
		{plain, &Proxy{Kind: ProxyHTTP, Host: "corp-proxy", Port: 3128, User: "carol"}, DefaultProxyOwner, "default-proxy-secret"},
	}
	for _, tt := range tests {
		t.Run(tt.site.Name, func(t *testing.T) {
			site, _ := tree.Site(tt.site.ID)
			p, owner := tree.ProxyFor(site)
			if p == nil || *p != *tt.want || owner != tt.owner {
				t.Fatalf("ProxyFor = %+v, %q; want %+v, %q", p, owner, tt.want, tt.owner)
			}
			pw, err := fresh.ProxyPassword(ctx, owner)
			if err != nil || pw != tt.pw {
				t.Errorf("ProxyPassword = %q, %v; want %q", pw, err, tt.pw)
			}
		})
	}

	// Duplicating copies the site's proxy password; deleting removes it.
	copyID, err := s.Duplicate(ctx, own.ID)
	if err != nil {
		t.Fatal(err)
	}
	if pw, _ := s.ProxyPassword(ctx, copyID); pw != "site-proxy-secret" {
		t.Errorf("the copy's proxy password is %q", pw)
	}
	if err := s.Delete(ctx, own.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Secrets.Get(ctx, ProxySecretID(own.ID)); !errors.Is(err, ErrNoPassword) {
		t.Errorf("the deleted site's proxy password is still in the keychain: %v", err)
	}

	// No default any more: its password goes too.
	if err := s.SetDefaultProxy(ctx, nil, ""); err != nil {
		t.Fatal(err)
	}
	tree, _ = s.Load()
	if p, _ := tree.ProxyFor(&plain); p != nil {
		t.Errorf("ProxyFor after clearing the default = %+v", p)
	}
	if _, err := s.Secrets.Get(ctx, ProxySecretID(DefaultProxyOwner)); !errors.Is(err, ErrNoPassword) {
		t.Errorf("the default proxy's password is still in the keychain: %v", err)
	}
}

func TestProxyValidate(t *testing.T) {
	for _, p := range []Proxy{
		{Kind: "socks4", Host: "h"},
		{Kind: ProxySOCKS5},
		{Kind: ProxyHTTP, Host: "user@h"},
		{Kind: ProxyHTTP, Host: "h", Port: 70000},
		{Kind: ProxyHTTP, Host: "h", User: "a\r\nb"},
	} {
		if err := p.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("Validate(%+v) = %v, want ErrInvalid", p, err)
		}
	}
	s := newStore(t)
	if _, err := s.AddSite(RootID, Site{Name: "x", Host: "h", Proxy: &Proxy{Kind: ProxyHTTP}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a site with a proxy without host was saved: %v", err)
	}
}
