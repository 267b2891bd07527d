package cli

// Saved site ⇄ URL and the --site resolver (target.go's hook); the site →
// engine.Config mapping itself is internal/connect's.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/proxy"
	"github.com/skiff-ftp/skiff/internal/connect"
)

// resolveSavedSite is the --site resolver: the site at path name, with its
// password from the keychain, else from ~/.netrc ($NETRC), else empty (the
// caller asks for it). Keychain trouble is reported on stderr, not fatal.
func resolveSavedSite(name string) (engine.Config, error) {
	return resolveSiteEnv(context.Background(), OSEnv(), name)
}

func resolveSiteEnv(ctx context.Context, env Env, name string) (engine.Config, error) {
	s, err := openSiteStore(env)
	if err != nil {
		return engine.Config{}, err
	}
	t, err := s.Load()
	if err != nil {
		return engine.Config{}, err
	}
	site, err := t.LookupSite(name)
	if err != nil {
		return engine.Config{}, fmt.Errorf("no saved site %q (see skiff sites list): %w", name, err)
	}
	password := ""
	if site.NeedsPassword() {
		password = sitePassword(ctx, env, s, site)
	}
	cfg, err := connect.SiteConfig(site, password)
	if err != nil {
		return cfg, err
	}
	// The site's own proxy, else the default saved with the sites (else
	// direct, as in the window); the password from the keychain. Only
	// --proxy overrides it.
	bp, owner := t.ProxyFor(site)
	proxyPassword := ""
	if bp.Enabled() && bp.User != "" {
		if proxyPassword, err = s.ProxyPassword(ctx, owner); err != nil {
			fmt.Fprintf(env.Stderr, "skiff: %v\n", err)
		}
	}
	cfg.Proxy, err = connect.ProxyConfig(bp, proxyPassword)
	return cfg, err
}

func sitePassword(ctx context.Context, env Env, s *bookmarks.Store, site *bookmarks.Site) string {
	if s.Secrets != nil {
		pw, err := s.Secrets.Get(ctx, site.ID)
		if err == nil {
			return pw
		}
		if !errors.Is(err, bookmarks.ErrNoPassword) {
			fmt.Fprintf(env.Stderr, "skiff: %v\n", err)
		}
	}
	e, ok, err := bookmarks.NetrcLookup(bookmarks.NetrcPath(env.Getenv), site.Host, site.User)
	if err != nil {
		fmt.Fprintf(env.Stderr, "skiff: %v\n", err)
	}
	if ok {
		return e.Password
	}
	return ""
}

// siteURL shows a site as the URL the command line would take (without a
// password), plus what a URL cannot say.
func siteURL(s *bookmarks.Site) string {
	scheme := map[bookmarks.Security]string{bookmarks.TLSExplicit: "ftpes", bookmarks.TLSImplicit: "ftps"}[s.Security]
	if scheme == "" {
		scheme = "ftp"
	}
	if s.Protocol == bookmarks.SFTP {
		scheme = "sftp"
	}
	// For people, not parsers: nothing is percent-escaped.
	var b strings.Builder
	b.WriteString(scheme + "://")
	if s.User != "" && s.Logon != bookmarks.Anonymous {
		b.WriteString(s.User + "@")
	}
	if strings.Contains(s.Host, ":") { // IPv6
		b.WriteString("[" + s.Host + "]")
	} else {
		b.WriteString(s.Host)
	}
	if s.Port != 0 {
		b.WriteString(":" + strconv.Itoa(s.Port))
	}
	if s.RemoteDir != "" && !strings.HasPrefix(s.RemoteDir, "/") {
		b.WriteByte('/')
	}
	b.WriteString(s.RemoteDir)
	str := b.String()
	var extra []string
	if s.Protocol == bookmarks.FTP && s.Security == bookmarks.Plain {
		extra = append(extra, "no TLS")
	}
	switch s.Logon {
	case bookmarks.Ask, bookmarks.Interactive:
		extra = append(extra, "asks for the password")
	case bookmarks.Anonymous:
		extra = append(extra, "anonymous")
	}
	switch {
	case s.Proxy.Enabled():
		u := url.URL{Scheme: string(s.Proxy.Kind), Host: s.Proxy.Host}
		if s.Proxy.Port != 0 {
			u.Host = net.JoinHostPort(s.Proxy.Host, strconv.Itoa(s.Proxy.Port))
		}
		if s.Proxy.User != "" {
			u.User = url.User(s.Proxy.User)
		}
		extra = append(extra, "via "+u.String())
	case s.Proxy != nil:
		extra = append(extra, "no proxy")
	}
	if len(extra) > 0 {
		str += " (" + strings.Join(extra, ", ") + ")"
	}
	return str
}

// siteProxyFlag reads sites add's --proxy: a proxy URL without password
// (it would linger in the shell's history; --proxy-password-stdin takes
// it), or "none". Errors are usage errors (status 2).
func siteProxyFlag(env Env, raw string, pwStdin bool) (*bookmarks.Proxy, int) {
	p, err := proxy.Parse(raw)
	if err != nil {
		fmt.Fprintln(env.Stderr, "skiff sites add: --proxy:", err)
		return nil, 2
	}
	if p.Password != "" {
		fmt.Fprintln(env.Stderr, "skiff sites add: --proxy: no password in the URL (it would stay in the shell's history); use --proxy-password-stdin")
		return nil, 2
	}
	if !p.Enabled() {
		if pwStdin {
			fmt.Fprintln(env.Stderr, "skiff sites add: --proxy-password-stdin with --proxy none")
			return nil, 2
		}
		return &bookmarks.Proxy{Kind: bookmarks.ProxyNone}, 0
	}
	return &bookmarks.Proxy{Kind: bookmarks.ProxyKind(p.Kind.String()), Host: p.Host, Port: p.Port, User: p.User}, 0
}

// siteFromURL fills host, port, user, security and remote folder from an
// ftp://, ftpes:// or ftps:// URL. A password in the URL is refused: it
// would linger in the shell's history.
func siteFromURL(s *bookmarks.Site, raw string) error {
	cfg, path, err := engine.ParseURL(raw)
	if err != nil {
		return err
	}
	if cfg.Protocol != engine.ProtocolFTP {
		// Saved sites have no protocol field yet (issue 17's window part).
		return errors.New("saved sites cannot hold sftp:// yet; use the URL directly")
	}
	if cfg.Password != "" {
		return errors.New("the URL contains a password; use --password-stdin instead (the shell keeps URLs in its history)")
	}
	s.Host, s.Port, s.User = cfg.Host, cfg.Port, cfg.User
	s.Security = bookmarks.Security(cfg.Security.String()) // the two packages spell security alike
	if path != "" && path != "/" {
		s.RemoteDir = path
	}
	return nil
}
