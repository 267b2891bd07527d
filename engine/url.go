package engine

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ParseURL reads ftp://[user[:pass]@]host[:port]/path. The scheme picks the
// security: ftp "TLS if available" (FileZilla's default), ftpes explicit TLS,
// ftps implicit TLS. Percent escapes are decoded. path is "" when the URL has
// none, which callers may read as "the login directory".
func ParseURL(s string) (cfg Config, path string, err error) {
	u, err := url.Parse(s)
	if err != nil {
		return cfg, "", fmt.Errorf("%q is not a URL: %w", s, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "ftp":
		cfg.Security = TLSIfAvailable
	case "ftpes":
		cfg.Security = TLSExplicit
	case "ftps":
		cfg.Security = TLSImplicit
	case "":
		return cfg, "", fmt.Errorf("%q is not a URL (want ftp://host/path, ftpes:// or ftps://)", s)
	default:
		return cfg, "", fmt.Errorf("unsupported scheme %q (want ftp, ftpes or ftps)", u.Scheme)
	}
	cfg.Host = u.Hostname()
	if cfg.Host == "" {
		return cfg, "", fmt.Errorf("%q has no host", s)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return cfg, "", fmt.Errorf("%q: bad port %q", s, p)
		}
		cfg.Port = n
	}
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	return cfg, u.Path, nil
}

// URL returns the URL of path on c's server: the scheme for c's security,
// the user unless anonymous, the port when set — and never the password, so
// it is safe for history, logs and the clipboard.
func (c Config) URL(path string) string {
	scheme := "ftp"
	switch c.Security {
	case TLSExplicit:
		scheme = "ftpes"
	case TLSImplicit:
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
