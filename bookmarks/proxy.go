package bookmarks

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ProxyKind is the protocol spoken to a proxy. The spellings are
// engine/proxy's Kind names and --proxy's URL schemes.
type ProxyKind string

const (
	ProxyNone   ProxyKind = "none"   // connect directly (a site's way to ignore the default)
	ProxySOCKS5 ProxyKind = "socks5" // SOCKS5; the proxy resolves host names
	ProxyHTTP   ProxyKind = "http"   // HTTP CONNECT
)

// Proxy is a saved proxy: a site's own (Site.Proxy) or the default for
// every site without one (Tree.Proxy, stored with the sites). Like a Site
// it never holds a password: that is in the keychain under ProxySecretID
// of its owner.
type Proxy struct {
	Kind ProxyKind `json:"kind"`
	Host string    `json:"host,omitempty"`
	Port int       `json:"port,omitempty"` // 0: 1080 for SOCKS5, 8080 for HTTP
	User string    `json:"user,omitempty"`
}

// DefaultProxyOwner is the owner ID of the default proxy, for
// ProxySecretID. No site has it: site IDs are hex.
const DefaultProxyOwner = "default"

// ProxySecretID is the keychain key of the proxy password of a site (by
// its ID) or of the default proxy (DefaultProxyOwner). It never collides
// with a site's own password, which is keyed by the bare site ID.
func ProxySecretID(owner string) string { return "proxy:" + owner }

// Enabled reports whether p sends connections through a proxy.
func (p *Proxy) Enabled() bool { return p != nil && p.Kind != ProxyNone && p.Kind != "" }

// Validate checks a proxy before it is saved.
func (p *Proxy) Validate() error {
	switch p.Kind {
	case ProxyNone:
		return nil
	case ProxySOCKS5, ProxyHTTP:
	default:
		return fmt.Errorf("%w: unknown proxy type %q (want none, socks5 or http)", ErrInvalid, p.Kind)
	}
	if strings.TrimSpace(p.Host) == "" {
		return fmt.Errorf("%w: the proxy has no host", ErrInvalid)
	}
	if strings.ContainsAny(p.Host, " /@\r\n\t") {
		return fmt.Errorf("%w: proxy host %q contains a space, slash or @", ErrInvalid, p.Host)
	}
	if p.Port < 0 || p.Port > 65535 {
		return fmt.Errorf("%w: proxy port %d out of range", ErrInvalid, p.Port)
	}
	if strings.ContainsAny(p.User, "\r\n") {
		return fmt.Errorf("%w: the proxy user contains a line break", ErrInvalid)
	}
	return nil
}

// Clone returns a copy (nil for nil).
func (p *Proxy) Clone() *Proxy {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

// ProxyFor returns the proxy a connection to site goes through and the
// owner of its password (for ProxySecretID): the site's own proxy when it
// has one (Kind none included: direct, whatever the default), else the
// tree's default. nil means no proxy is saved for it.
func (t *Tree) ProxyFor(site *Site) (p *Proxy, owner string) {
	if site != nil && site.Proxy != nil {
		return site.Proxy, site.ID
	}
	if t.Proxy != nil {
		return t.Proxy, DefaultProxyOwner
	}
	return nil, ""
}

// SetDefaultProxy saves p as the proxy of every site without its own (nil
// or Kind none: none) and password, when not empty, in the keychain. An
// empty password with a proxy user keeps the saved one; with no user the
// saved password is removed.
func (s *Store) SetDefaultProxy(ctx context.Context, p *Proxy, password string) error {
	if p != nil {
		if err := p.Validate(); err != nil {
			return err
		}
		if !p.Enabled() {
			p = nil
		}
	}
	if _, err := s.Update(func(t *Tree) error { t.Proxy = p.Clone(); return nil }); err != nil {
		return err
	}
	return s.saveProxyPassword(ctx, DefaultProxyOwner, p, password)
}

// saveProxyPassword stores (or, for a proxy without a user, removes) the
// proxy password of owner.
func (s *Store) saveProxyPassword(ctx context.Context, owner string, p *Proxy, password string) error {
	if s.Secrets == nil {
		if password != "" {
			return errors.New("the proxy password cannot be saved: no keychain")
		}
		return nil
	}
	id := ProxySecretID(owner)
	switch {
	case !p.Enabled() || p.User == "":
		if err := s.Secrets.Delete(ctx, id); err != nil && !errors.Is(err, ErrNoPassword) {
			return err
		}
	case password != "":
		return s.Secrets.Set(ctx, id, password)
	}
	return nil
}

// SetSiteProxyPassword saves the password of a site's own proxy (an empty
// one keeps what is saved, or removes it when the site's proxy has no
// user). The window calls it after saving the site.
func (s *Store) SetSiteProxyPassword(ctx context.Context, site *Site, password string) error {
	return s.saveProxyPassword(ctx, site.ID, site.Proxy, password)
}

// ProxyPassword returns the saved password of owner's proxy, "" when none
// is saved.
func (s *Store) ProxyPassword(ctx context.Context, owner string) (string, error) {
	if s.Secrets == nil || owner == "" {
		return "", nil
	}
	pw, err := s.Secrets.Get(ctx, ProxySecretID(owner))
	if errors.Is(err, ErrNoPassword) {
		return "", nil
	}
	return pw, err
}
