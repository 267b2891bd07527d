package connect

import (
	"strings"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
)

func TestSiteConfig(t *testing.T) {
	base := bookmarks.Site{Name: "s", Host: "h", Port: 2121, Protocol: bookmarks.FTP, Security: bookmarks.TLSExplicit,
		Logon: bookmarks.Normal, User: "bob", Account: "acct", Mode: bookmarks.ModeActive, TZOffsetMin: 90,
		TrustedFingerprints: []string{"AB:CD"}}
	tests := []struct {
		name    string
		edit    func(*bookmarks.Site)
		pw      string
		want    func(engine.Config) bool
		wantErr string
	}{
		{"normal logon keeps user, password and settings", func(*bookmarks.Site) {}, "pw", func(c engine.Config) bool {
			return c.User == "bob" && c.Password == "pw" && c.Account == "" && c.Security == engine.TLSExplicit &&
				c.Mode == engine.ModeActive && c.Port == 2121 && c.TZOffset == 90*time.Minute && c.TrustedFingerprints[0] == "AB:CD"
		}, ""},
		{"account logon sends ACCT", func(s *bookmarks.Site) { s.Logon = bookmarks.Account }, "pw", func(c engine.Config) bool {
			return c.Account == "acct" && c.Password == "pw"
		}, ""},
		{"anonymous logon ignores user and password", func(s *bookmarks.Site) { s.Logon = bookmarks.Anonymous }, "pw", func(c engine.Config) bool {
			return c.User == "anonymous" && c.Password == engine.AnonymousPassword
		}, ""},
		{"empty user is anonymous", func(s *bookmarks.Site) { s.User = "" }, "", func(c engine.Config) bool {
			return c.User == "anonymous" && c.Password == engine.AnonymousPassword
		}, ""},
		{"ask logon takes the password given", func(s *bookmarks.Site) { s.Logon = bookmarks.Ask }, "typed", func(c engine.Config) bool {
			return c.Password == "typed"
		}, ""},
		{"SFTP with a key file and the agent", func(s *bookmarks.Site) {
			s.Protocol, s.Port, s.Logon, s.KeyFile = bookmarks.SFTP, 0, bookmarks.KeyFile, "/home/u/.ssh/id_ed25519"
		}, "", func(c engine.Config) bool {
			return c.Protocol == engine.ProtocolSFTP && c.User == "bob" && c.Password == "" && !c.NoAgent &&
				len(c.IdentityFiles) == 1 && c.IdentityFiles[0] == "/home/u/.ssh/id_ed25519" && c.Addr() == "h:22" && c.Account == ""
		}, ""},
		{"SFTP with a password and no agent", func(s *bookmarks.Site) {
			s.Protocol, s.NoAgent = bookmarks.SFTP, true
		}, "pw", func(c engine.Config) bool {
			return c.Protocol == engine.ProtocolSFTP && c.Password == "pw" && c.NoAgent && len(c.IdentityFiles) == 0 && c.Port == 2121
		}, ""},
		{"SFTP anonymous is not FTP's anonymous", func(s *bookmarks.Site) {
			s.Protocol, s.Logon = bookmarks.SFTP, bookmarks.Anonymous
		}, "", nil, "user"},
		{"an unknown protocol is refused, not dialled as FTP", func(s *bookmarks.Site) { s.Protocol = "gopher" }, "", nil, "GOPHER"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base.Clone()
			tt.edit(s)
			c, err := SiteConfig(s, tt.pw)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.want(c) {
				t.Fatalf("config %s pw=%q acct=%q mode=%s tz=%s", c, c.Password, c.Account, c.Mode, c.TZOffset)
			}
		})
	}
}

func TestHistoryRoundTripWithoutPassword(t *testing.T) {
	tests := []struct {
		cfg engine.Config
		dir string
	}{
		{engine.Config{Host: "h", Port: 2121, User: "bob", Password: "hunter2", Security: engine.TLSExplicit}, "/www"},
		{engine.Config{Host: "::1", User: "anonymous", Password: engine.AnonymousPassword, Security: engine.Plain}, ""},
		{engine.Config{Host: "h", Security: engine.TLSImplicit}, "/"},
		{engine.Config{Host: "h", Port: 2222, User: "bob", Protocol: engine.ProtocolSFTP}, "/home/bob"},
	}
	for _, tt := range tests {
		t.Run(tt.cfg.URL(tt.dir), func(t *testing.T) {
			e := HistoryEntry(tt.cfg, tt.dir)
			back, dir := HistoryConfig(e)
			wantUser := tt.cfg.User
			if wantUser == "anonymous" {
				wantUser = ""
			}
			if back.Host != tt.cfg.Host || back.Port != tt.cfg.Port || back.User != wantUser ||
				back.Security != tt.cfg.Security || back.Protocol != tt.cfg.Protocol || back.Password != "" || dir != tt.dir {
				t.Fatalf("%+v → %+v → %s pw=%q dir %q", tt.cfg.LogValue(), e, back, back.Password, dir)
			}
		})
	}
}
