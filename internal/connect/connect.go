// Package connect maps a saved site (bookmarks) to what the engine dials
// (engine.Config). It is the one place that knows both, so the window and the
// command line connect to a site the same way; engine and bookmarks do not
// import each other.
package connect

import (
	"fmt"
	"strings"
	"time"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/proxy"
)

// SiteConfig maps a saved site to the engine's Config, with password as
// given (the caller gets it from the keychain, ~/.netrc or the user).
// RemoteDir, LocalDir, MaxConnections (the Pool's limit), colour and
// comments are not part of a Config; callers read them from the Site.
//
// Logon types: anonymous sites (and sites with no user) get the anonymous
// user and password; ACCT is sent only for the "account" logon type, as
// FileZilla does. A site whose protocol Skiff cannot speak is an error,
// never silently dialled as FTP.
//
// SFTP sites (sftpConfig) carry their key file and ssh-agent choice; host
// keys, passphrases and keyboard-interactive prompts are the caller's
// (Config.KnownHostsFile and the callbacks).
func SiteConfig(s *bookmarks.Site, password string) (engine.Config, error) {
	if s.Protocol == bookmarks.SFTP {
		return sftpConfig(s, password)
	}
	if s.Protocol != bookmarks.FTP {
		return engine.Config{}, fmt.Errorf("site %q uses %s, which Skiff cannot connect to", s.Name, strings.ToUpper(string(s.Protocol)))
	}
	sec, err := engine.ParseSecurity(string(s.Security))
	if err != nil {
		return engine.Config{}, fmt.Errorf("site %q: %w", s.Name, err)
	}
	mode := engine.ModeDefault
	if s.Mode != bookmarks.ModeDefault {
		if mode, err = engine.ParseMode(string(s.Mode)); err != nil {
			return engine.Config{}, fmt.Errorf("site %q: %w", s.Name, err)
		}
	}
	c := engine.Config{
		Host: s.Host, Port: s.Port, User: s.User, Password: password,
		VirtualHost: s.VirtualHost, Security: sec, Mode: mode,
		TrustedFingerprints: append([]string(nil), s.TrustedFingerprints...),
		TZOffset:            time.Duration(s.TZOffsetMin) * time.Minute,
		Charset:             s.Charset,
	}
	switch {
	case s.Logon == bookmarks.Anonymous || c.User == "":
		c.User, c.Password = "anonymous", engine.AnonymousPassword
	case s.Logon == bookmarks.Account:
		c.Account = s.Account
	}
	return c, nil
}

// sftpConfig is SiteConfig for SFTP: there is no anonymous SSH login, TLS,
// transfer mode or charset. A key file logon sends no password.
func sftpConfig(s *bookmarks.Site, password string) (engine.Config, error) {
	if s.Logon == bookmarks.Anonymous || s.User == "" {
		return engine.Config{}, fmt.Errorf("site %q: SFTP needs a user name (there is no anonymous SSH login)", s.Name)
	}
	c := engine.Config{
		Protocol: engine.ProtocolSFTP, Host: s.Host, Port: s.Port, User: s.User, Password: password,
		NoAgent:  s.NoAgent,
		TZOffset: time.Duration(s.TZOffsetMin) * time.Minute,
	}
	if s.Logon == bookmarks.KeyFile {
		c.Password = ""
	}
	if s.KeyFile != "" {
		c.IdentityFiles = []string{s.KeyFile}
	}
	return c, nil
}

// HistoryEntry is the quick-connect history's record of a connection to
// cfg, opened at dir. It has no password field: the history never holds one.
func HistoryEntry(cfg engine.Config, dir string) bookmarks.HistoryEntry {
	e := bookmarks.HistoryEntry{Host: cfg.Host, Port: cfg.Port, Protocol: bookmarks.FTP,
		Security: bookmarks.Security(cfg.Security.String()), RemoteDir: dir}
	if cfg.Protocol == engine.ProtocolSFTP {
		e.Protocol = bookmarks.SFTP
	}
	if cfg.User != "anonymous" {
		e.User = cfg.User
	}
	return e
}

// HistoryConfig is the Config (without a password) and folder a history
// entry stands for. An entry with a security Skiff does not know is read as
// "TLS if available", which still never falls back silently once TLS is on.
func HistoryConfig(e bookmarks.HistoryEntry) (engine.Config, string) {
	sec, err := engine.ParseSecurity(string(e.Security))
	if err != nil {
		sec = engine.TLSIfAvailable
	}
	c := engine.Config{Host: e.Host, Port: e.Port, User: e.User, Security: sec}
	if e.Protocol == bookmarks.SFTP {
		c.Protocol = engine.ProtocolSFTP
	}
	return c, e.RemoteDir
}

// ProxyConfig maps a saved proxy, with its password from the keychain, to
// the engine's. nil and Kind none are a direct connection; a kind the
// engine does not know is an error, never a silent direct connection.
func ProxyConfig(p *bookmarks.Proxy, password string) (proxy.Proxy, error) {
	if !p.Enabled() {
		return proxy.Proxy{}, nil
	}
	kind, err := proxy.ParseKind(string(p.Kind))
	if err != nil {
		return proxy.Proxy{}, err
	}
	return proxy.Proxy{Kind: kind, Host: p.Host, Port: p.Port, User: p.User, Password: password}, nil
}
