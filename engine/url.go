package engine

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ParseURL reads ftp://[user[:pass]@]host[:port]/path. The scheme picks the
// security: ftp "TLS if available" (FileZilla's default), ftpes explicit TLS,
// ftps implicit TLS; sftp picks ProtocolSFTP, where a path under /~/ is
// relative to the login directory. Percent escapes are decoded. path is "" when the URL has
// none, which callers may read as "the login directory".
func ParseURL(s string) (cfg Config, path string, err error) {
	shown := RedactURL(s) // every error quotes this, never s
	u, err := url.Parse(s)
	if err != nil {
		// Not wrapped: *url.Error quotes the URL as given, and its cause
		// may quote a piece of it ("invalid port \":secret\""), so the
		// cause is shown only for a URL without a password.
		if shown != s {
			return cfg, "", fmt.Errorf("%q is not a URL", shown)
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return cfg, "", fmt.Errorf("%q is not a URL: %v", shown, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "ftp":
		cfg.Security = TLSIfAvailable
	case "ftpes":
		cfg.Security = TLSExplicit
	case "ftps":
		cfg.Security = TLSImplicit
	case "sftp":
		cfg.Protocol = ProtocolSFTP
	case "":
		return cfg, "", fmt.Errorf("%q is not a URL (want ftp://host/path, ftpes://, ftps:// or sftp://)", shown)
	default:
		return cfg, "", fmt.Errorf("unsupported scheme %q (want ftp, ftpes, ftps or sftp)", u.Scheme)
	}
	cfg.Host = u.Hostname()
	if cfg.Host == "" {
		return cfg, "", fmt.Errorf("%q has no host", shown)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return cfg, "", fmt.Errorf("%q: bad port %q", shown, p)
		}
		cfg.Port = n
	}
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	path = u.Path
	if cfg.Protocol == ProtocolSFTP && (path == "/~" || strings.HasPrefix(path, "/~/")) {
		// sftp://host/~/dir is dir in the login (home) directory.
		path = strings.TrimPrefix(strings.TrimPrefix(path, "/~"), "/")
	}
	return cfg, path, nil
}

// URL returns the URL of path on c's server: the scheme for c's security,
// the user unless anonymous, the port when set — and never the password, so
// it is safe for history, logs and the clipboard.
func (c Config) URL(path string) string {
	scheme := "ftp"
	switch {
	case c.Protocol == ProtocolSFTP:
		scheme = "sftp"
	case c.Security == TLSExplicit:
		scheme = "ftpes"
	case c.Security == TLSImplicit:
		scheme = "ftps"
	}
	u := url.URL{Scheme: scheme, Host: c.Host, Path: path}
	if c.Port != 0 {
		u.Host = c.Addr()
	} else if strings.Contains(c.Host, ":") {
		u.Host = "[" + c.Host + "]"
	}
	if c.User != "" && c.User != "anonymous" {
		u.User = url.User(c.User)
	}
	return u.String()
}

// RedactURL returns s with the password of its user information replaced by
// "****", for quoting a URL the user typed in an error or a log. It works on
// text that is not a valid URL too: "ftp://u:p%zz@h" and "u:secret@host".
func RedactURL(s string) string {
	start := 0
	if i := strings.Index(s, "://"); i >= 0 {
		start = i + 3
	}
	// The last "@" anywhere, not only before the first "/": a password
	// typed with a raw "/" in it must not leak either. A path with "@" and
	// ":" in it is shortened too, which costs nothing but display.
	at := strings.LastIndex(s[start:], "@")
	if at < 0 {
		return s
	}
	at += start
	colon := strings.Index(s[start:at], ":")
	if colon < 0 {
		return s
	}
	colon += start
	return s[:colon+1] + "****" + s[at:]
}
