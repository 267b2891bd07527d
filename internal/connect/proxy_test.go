package connect

import (
	"testing"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine/proxy"
)

func TestProxyConfig(t *testing.T) {
	tests := []struct {
		name string
		in   *bookmarks.Proxy
		want proxy.Proxy
	}{
		{"nil", nil, proxy.Proxy{}},
		{"none", &bookmarks.Proxy{Kind: bookmarks.ProxyNone, Host: "ignored"}, proxy.Proxy{}},
		{"socks5", &bookmarks.Proxy{Kind: bookmarks.ProxySOCKS5, Host: "p", Port: 1080, User: "u"}, proxy.Proxy{Kind: proxy.SOCKS5, Host: "p", Port: 1080, User: "u", Password: "pw"}},
		{"http", &bookmarks.Proxy{Kind: bookmarks.ProxyHTTP, Host: "p"}, proxy.Proxy{Kind: proxy.HTTP, Host: "p", Password: "pw"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ProxyConfig(tt.in, "pw")
			if err != nil || got != tt.want {
				t.Errorf("ProxyConfig = %#v (%q), %v; want %s", got, got.Password, err, tt.want)
			}
		})
	}
	if _, err := ProxyConfig(&bookmarks.Proxy{Kind: "socks4", Host: "p"}, ""); err == nil {
		t.Error("an unknown proxy kind became a direct connection")
	}
}
