package engine

import (
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		in       string
		wantCfg  Config
		wantPath string
		wantErr  bool
	}{
		{in: "ftp://example.com", wantCfg: Config{Host: "example.com", Security: TLSIfAvailable}},
		{in: "ftpes://bob:s%40cret@example.com:2121/www/a%20b", wantCfg: Config{Host: "example.com", Port: 2121, User: "bob", Password: "s@cret", Security: TLSExplicit}, wantPath: "/www/a b"},
		{in: "FTPS://[::1]/pub", wantCfg: Config{Host: "::1", Security: TLSImplicit}, wantPath: "/pub"},
		{in: "sftp://alice@example.com:2222/srv/data", wantCfg: Config{Host: "example.com", Port: 2222, User: "alice", Protocol: ProtocolSFTP}, wantPath: "/srv/data"},
		{in: "sftp://example.com/~/docs", wantCfg: Config{Host: "example.com", Protocol: ProtocolSFTP}, wantPath: "docs"},
		{in: "sftp://example.com/~", wantCfg: Config{Host: "example.com", Protocol: ProtocolSFTP}, wantPath: ""},
		{in: "gopher://example.com/", wantErr: true},
		{in: "example.com/path", wantErr: true},
		{in: "ftp:///path", wantErr: true},
		{in: "ftp://example.com:0/", wantErr: true},
		{in: "ftp://example.com:99999/", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			cfg, path, err := ParseURL(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if cfg.Host != tt.wantCfg.Host || cfg.Port != tt.wantCfg.Port || cfg.User != tt.wantCfg.User ||
				cfg.Password != tt.wantCfg.Password || cfg.Security != tt.wantCfg.Security || cfg.Protocol != tt.wantCfg.Protocol || path != tt.wantPath {
				t.Fatalf("got %s pw=%q path %q, want %s pw=%q path %q", cfg, cfg.Password, path, tt.wantCfg, tt.wantCfg.Password, tt.wantPath)
			}
		})
	}
}

func TestURLNeverHoldsThePassword(t *testing.T) {
	tests := []struct {
		cfg  Config
		path string
		want string
	}{
		{Config{Host: "h", User: "bob", Password: "hunter2"}, "/a b", "ftp://bob@h/a%20b"},
		{Config{Host: "h", Port: 2121, User: "anonymous", Password: AnonymousPassword, Security: TLSExplicit}, "", "ftpes://h:2121"},
		{Config{Host: "::1", Security: TLSImplicit}, "/x", "ftps://[::1]/x"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.cfg.URL(tt.path); got != tt.want {
				t.Fatalf("URL = %q, want %q", got, tt.want)
			}
			back, path, err := ParseURL(tt.cfg.URL(tt.path))
			if err != nil || back.Host != tt.cfg.Host || back.Security != tt.cfg.Security || back.Password != "" || path != tt.path {
				t.Fatalf("round trip: %s pw=%q path %q err %v", back, back.Password, path, err)
			}
		})
	}
}

// A URL parse error never contains the password, whatever is wrong with the
// URL: the window and the command line show these errors as they are.
func TestURLParseErrorNeverContainsThePassword(t *testing.T) {
	for _, in := range []string{
		"ftp://user:s3cretpw@host:99999/x", // bad port
		"gopher://user:s3cretpw@host/",     // bad scheme
		"ftp://user:s3cretpw@/x",           // no host
		"ftp://user:s3cretpw@ho%zzst/",     // url.Parse fails
		"ftp://user:s3cretpw@host:12ab/",   // url.Parse fails on the port
		"user:s3cretpw@host",               // no scheme
		"ftp://user:s3cret/pw@host:0/",     // a raw "/" in the password
		"ftp://us%zzer:s3cretpw@host/",     // bad escape in the user
		"ftp://user:s3cretpw@host\x7f/",    // control character
	} {
		t.Run(in, func(t *testing.T) {
			_, _, err := ParseURL(in)
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Fatalf("error shows the password: %v", err)
			}
		})
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"ftp://u:p@h/x":     "ftp://u:****@h/x",
		"ftp://u@h/x":       "ftp://u@h/x",
		"ftp://h/a@b":       "ftp://h/a@b",
		"u:p@h":             "u:****@h",
		"ftp://u:p@x@h:21/": "ftp://u:****@h:21/",
		"not a url":         "not a url",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
