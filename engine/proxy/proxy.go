package proxy

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Kind is the protocol spoken to the proxy.
type Kind uint8

const (
	None   Kind = iota // no proxy: connect directly
	SOCKS5             // SOCKS version 5
	HTTP               // HTTP CONNECT
)

var kindNames = [...]string{"none", "socks5", "http"}

// String returns the URL scheme spelling: none, socks5, http.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// ParseKind reads none, socks5 or http (as String writes them).
func ParseKind(s string) (Kind, error) {
	for i, n := range kindNames {
		if strings.EqualFold(n, s) {
			return Kind(i), nil
		}
	}
	return None, fmt.Errorf("unknown proxy type %q (want none, socks5 or http)", s)
}

// Default ports when a proxy URL names none.
const (
	DefaultSOCKSPort = 1080
	DefaultHTTPPort  = 8080
)

// Proxy says how to reach servers. The zero value is None: direct. It holds
// the proxy's password, so it implements slog.LogValuer, and String never
// includes the password.
type Proxy struct {
	Kind     Kind
	Host     string // name or IP address, without brackets
	Port     int    // 0: DefaultSOCKSPort or DefaultHTTPPort
	User     string // "" for no authentication
	Password string
}

// Parse reads a proxy URL: socks5://[user[:pass]@]host[:port],
// socks5h://... (the same: the proxy always resolves names), or
// http://[user[:pass]@]host[:port]. "none" and "" are None. A URL without
// a scheme is taken as http://, as curl does. Errors never quote the
// password.
func Parse(raw string) (Proxy, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || strings.EqualFold(raw, "none") {
		return Proxy{}, nil
	}
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	shown := redact(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return Proxy{}, fmt.Errorf("proxy %q is not a URL", shown)
	}
	var p Proxy
	switch strings.ToLower(u.Scheme) {
	case "socks5", "socks5h", "socks":
		p.Kind = SOCKS5
	case "http":
		p.Kind = HTTP
	case "https":
		return Proxy{}, fmt.Errorf("proxy %q: TLS to the proxy (https://) is not supported; use http:// or socks5://", shown)
	default:
		return Proxy{}, fmt.Errorf("proxy %q: unsupported scheme %q (want socks5, socks5h or http)", shown, u.Scheme)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		return Proxy{}, fmt.Errorf("proxy %q: a proxy URL has no path", shown)
	}
	p.Host = u.Hostname()
	if p.Host == "" {
		return Proxy{}, fmt.Errorf("proxy %q has no host", shown)
	}
	if s := u.Port(); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 || n > 65535 {
			return Proxy{}, fmt.Errorf("proxy %q: bad port %q", shown, s)
		}
		p.Port = n
	}
	if u.User != nil {
		p.User = u.User.Username()
		p.Password, _ = u.User.Password()
	}
	return p, nil
}

// redact replaces the password of a URL-ish string with "xxxxx" without
// parsing it (it may not parse).
func redact(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	at := strings.LastIndexByte(rest, '@')
	if at < 0 {
		return raw
	}
	user, _, hasPass := strings.Cut(rest[:at], ":")
	if !hasPass {
		return raw
	}
	return scheme + "://" + user + ":xxxxx" + rest[at:]
}

// Enabled reports whether p goes through a proxy.
func (p Proxy) Enabled() bool { return p.Kind != None }

// Addr returns the proxy's host:port with the default port filled in.
func (p Proxy) Addr() string {
	port := p.Port
	if port == 0 {
		port = DefaultSOCKSPort
		if p.Kind == HTTP {
			port = DefaultHTTPPort
		}
	}
	return net.JoinHostPort(p.Host, strconv.Itoa(port))
}

// String is the proxy's URL without the password ("none" for None):
// socks5://alice@proxy:1080. Equal strings mean interchangeable proxies,
// so it serves as the pool's key.
func (p Proxy) String() string {
	if p.Kind == None {
		return "none"
	}
	u := url.URL{Scheme: p.Kind.String(), Host: p.Addr()}
	if p.User != "" {
		u.User = url.User(p.User)
	}
	return u.String()
}

// GoString keeps %#v from printing the password.
func (p Proxy) GoString() string { return "proxy.Proxy{" + p.String() + "}" }

// LogValue keeps the password out of every log.
func (p Proxy) LogValue() slog.Value {
	if p.Kind == None {
		return slog.StringValue("none")
	}
	pw := ""
	if p.Password != "" {
		pw = "****"
	}
	return slog.GroupValue(
		slog.String("kind", p.Kind.String()), slog.String("addr", p.Addr()),
		slog.String("user", p.User), slog.String("password", pw),
	)
}
