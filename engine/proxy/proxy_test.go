package proxy

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestProxyParse(t *testing.T) {
	tests := []struct {
		in   string
		want Proxy
	}{
		{"", Proxy{}},
		{"none", Proxy{}},
		{"NONE", Proxy{}},
		{"socks5://127.0.0.1:1080", Proxy{Kind: SOCKS5, Host: "127.0.0.1", Port: 1080}},
		{"socks5h://proxy.example:9050", Proxy{Kind: SOCKS5, Host: "proxy.example", Port: 9050}},
		{"socks5://alice:s3cret@proxy.example", Proxy{Kind: SOCKS5, Host: "proxy.example", User: "alice", Password: "s3cret"}},
		{"http://bob:p%40ss@[::1]:3128", Proxy{Kind: HTTP, Host: "::1", Port: 3128, User: "bob", Password: "p@ss"}},
		{"http://proxy.example:3128/", Proxy{Kind: HTTP, Host: "proxy.example", Port: 3128}},
		{"proxy.example:3128", Proxy{Kind: HTTP, Host: "proxy.example", Port: 3128}},
		{"HTTP://Proxy.Example:3128", Proxy{Kind: HTTP, Host: "Proxy.Example", Port: 3128}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Parse(%q) = %#v (%+v), want %+v", tt.in, got, got, tt.want)
			}
		})
	}
}

func TestProxyParseRefuses(t *testing.T) {
	for _, in := range []string{
		"https://alice:s3cret@proxy.example:443",
		"socks4://alice:s3cret@proxy.example",
		"socks5://alice:s3cret@proxy.example:99999",
		"socks5://alice:s3cret@:1080",
		"http://alice:s3cret@proxy.example:3128/path",
		"socks5://alice:s3cret@proxy.example:12a",
	} {
		t.Run(in, func(t *testing.T) {
			_, err := Parse(in)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded", in)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

func TestProxyAddrDefaultPorts(t *testing.T) {
	for _, tt := range []struct {
		p    Proxy
		want string
	}{
		{Proxy{Kind: SOCKS5, Host: "h"}, "h:1080"},
		{Proxy{Kind: HTTP, Host: "h"}, "h:8080"},
		{Proxy{Kind: HTTP, Host: "::1", Port: 3128}, "[::1]:3128"},
	} {
		if got := tt.p.Addr(); got != tt.want {
			t.Errorf("%v.Addr() = %q, want %q", tt.p.Kind, got, tt.want)
		}
	}
}

func TestProxyPasswordNeverShown(t *testing.T) {
	p := Proxy{Kind: SOCKS5, Host: "proxy.example", Port: 1080, User: "alice", Password: "s3cret"}
	var log bytes.Buffer
	slog.New(slog.NewTextHandler(&log, nil)).Info("dial", "proxy", p)
	for name, s := range map[string]string{
		"String": p.String(), "%v": fmt.Sprintf("%v", p), "%+v": fmt.Sprintf("%+v", p),
		"%#v": fmt.Sprintf("%#v", p), "slog": log.String(),
	} {
		if strings.Contains(s, "s3cret") {
			t.Errorf("%s shows the password: %s", name, s)
		}
		if !strings.Contains(s, "proxy.example") {
			t.Errorf("%s does not name the proxy: %s", name, s)
		}
	}
	if got, want := p.String(), "socks5://alice@proxy.example:1080"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := (Proxy{}).String(); got != "none" {
		t.Errorf("None.String() = %q", got)
	}
}

func TestProxyNoProxy(t *testing.T) {
	tests := []struct {
		list, host string
		want       bool
	}{
		{"", "ftp.example.com", false},
		{"*", "ftp.example.com", true},
		{"example.com", "ftp.example.com", true},
		{"example.com", "example.com", true},
		{".example.com", "ftp.example.com", true},
		{".example.com", "example.com", true},
		{"*.example.com", "ftp.example.com", true},
		{"example.com", "badexample.com", false},
		{"localhost,127.0.0.1", "127.0.0.1", true},
		{"localhost, 127.0.0.1", "localhost", true},
		{"10.0.0.0/8", "10.1.2.3", true},
		{"10.0.0.0/8", "11.1.2.3", false},
		{"10.0.0.0/8", "ten.example", false},
		{"::1", "[::1]", true},
		{"[::1]:21", "::1", true},
		{"example.com:21", "example.com", true},
		{"EXAMPLE.com", "Ftp.Example.COM", true},
		{"example.com", "example.com.", true},
		{"other.org example.com", "example.com", true},
	}
	for _, tt := range tests {
		t.Run(tt.list+" "+tt.host, func(t *testing.T) {
			if got := NoProxy(tt.list, tt.host); got != tt.want {
				t.Errorf("NoProxy(%q, %q) = %v, want %v", tt.list, tt.host, got, tt.want)
			}
		})
	}
}

func TestProxyFromEnvironment(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		host string
		want string // Proxy.String()
	}{
		{"nothing set", nil, "ftp.example.com", "none"},
		{"ALL_PROXY", map[string]string{"ALL_PROXY": "socks5://p:1080"}, "h", "socks5://p:1080"},
		{"all_proxy", map[string]string{"all_proxy": "socks5h://p:1080"}, "h", "socks5://p:1080"},
		{"HTTPS_PROXY", map[string]string{"HTTPS_PROXY": "http://p:3128"}, "h", "http://p:3128"},
		{"https_proxy without scheme", map[string]string{"https_proxy": "p:3128"}, "h", "http://p:3128"},
		{"ALL_PROXY before HTTPS_PROXY", map[string]string{"ALL_PROXY": "socks5://a:1", "HTTPS_PROXY": "http://b:2"}, "h", "socks5://a:1"},
		{"NO_PROXY exempts the host", map[string]string{"ALL_PROXY": "socks5://p:1080", "NO_PROXY": "example.com"}, "ftp.example.com", "none"},
		{"no_proxy exempts the host", map[string]string{"ALL_PROXY": "socks5://p:1080", "no_proxy": "*"}, "h", "none"},
		{"NO_PROXY for another host", map[string]string{"ALL_PROXY": "socks5://p:1080", "NO_PROXY": "example.org"}, "ftp.example.com", "socks5://p:1080"},
		{"HTTP_PROXY alone is not ours", map[string]string{"HTTP_PROXY": "http://p:3128"}, "h", "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := FromEnvironment(func(k string) string { return tt.env[k] }, tt.host)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.String(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestProxyFromEnvironmentNamesTheVariable(t *testing.T) {
	env := map[string]string{"ALL_PROXY": "ftp://alice:s3cret@p:21"}
	_, err := FromEnvironment(func(k string) string { return env[k] }, "h")
	if err == nil || !strings.Contains(err.Error(), "ALL_PROXY") || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("err = %v, want one naming ALL_PROXY without the password", err)
	}
}
