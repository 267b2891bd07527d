package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/internal/connect"
)

// Proxy type choices. A site's form starts with "Use the default proxy"
// (its Proxy is nil); the default's form has no such choice.
var (
	proxyInheritChoice = "Use the default proxy"
	proxyChoices       = []string{"None (connect directly)", "SOCKS5", "HTTP CONNECT"}
	proxyValues        = []bookmarks.ProxyKind{bookmarks.ProxyNone, bookmarks.ProxySOCKS5, bookmarks.ProxyHTTP}
)

// proxyFields edits a saved proxy: a site's own (the site form's Proxy tab)
// or the default for every site (File > Proxy…). The password goes to the
// keychain; an empty password field keeps the saved one.
type proxyFields struct {
	inherit                bool // offer "Use the default proxy"
	kind                   *widget.Select
	host, port, user, pass *widget.Entry
}

func newProxyFields(inherit bool) *proxyFields {
	choices := proxyChoices
	if inherit {
		choices = append([]string{proxyInheritChoice}, proxyChoices...)
	}
	p := &proxyFields{inherit: inherit, host: widget.NewEntry(), port: widget.NewEntry(), user: widget.NewEntry(), pass: widget.NewPasswordEntry()}
	p.kind = widget.NewSelect(choices, func(string) { p.kindChanged() })
	p.port.SetPlaceHolder("1080")
	p.pass.SetPlaceHolder("saved in the keychain")
	p.kind.SetSelectedIndex(0)
	return p
}

func (p *proxyFields) items() []*widget.FormItem {
	return []*widget.FormItem{
		widget.NewFormItem("Proxy type", p.kind),
		widget.NewFormItem("Proxy host", p.host),
		widget.NewFormItem("Proxy port", p.port),
		widget.NewFormItem("Proxy user", p.user),
		widget.NewFormItem("Proxy password", p.pass),
	}
}

// selected returns the chosen kind; ok is false for "Use the default proxy".
func (p *proxyFields) selected() (kind bookmarks.ProxyKind, ok bool) {
	i := p.kind.SelectedIndex()
	if p.inherit {
		i--
	}
	if i < 0 {
		return "", false
	}
	return proxyValues[i], true
}

func (p *proxyFields) kindChanged() {
	kind, ok := p.selected()
	on := ok && kind != bookmarks.ProxyNone
	for _, e := range []*widget.Entry{p.host, p.port, p.user, p.pass} {
		setEnabled(e, on)
	}
	if kind == bookmarks.ProxyHTTP {
		p.port.SetPlaceHolder("8080")
	} else {
		p.port.SetPlaceHolder("1080")
	}
}

// set shows bp (nil: the default, or none in the default's form).
func (p *proxyFields) set(bp *bookmarks.Proxy) {
	i := 0
	if bp != nil {
		i = max(indexOf(proxyValues, bp.Kind), 0)
		if p.inherit {
			i++
		}
		p.host.SetText(bp.Host)
		p.port.SetText(intText(bp.Port))
		p.user.SetText(bp.User)
	} else {
		p.host.SetText("")
		p.port.SetText("")
		p.user.SetText("")
	}
	p.pass.SetText("")
	p.kind.SetSelectedIndex(i)
	p.kindChanged()
}

// apply returns the proxy the fields describe: nil for "Use the default
// proxy", Kind none for a direct connection.
func (p *proxyFields) apply() (*bookmarks.Proxy, error) {
	kind, ok := p.selected()
	if !ok {
		return nil, nil
	}
	if kind == bookmarks.ProxyNone {
		return &bookmarks.Proxy{Kind: bookmarks.ProxyNone}, nil
	}
	port, err := atoiField("Proxy port", p.port.Text, 0, 65535)
	if err != nil {
		return nil, err
	}
	bp := &bookmarks.Proxy{Kind: kind, Host: strings.TrimSpace(p.host.Text), Port: port, User: strings.TrimSpace(p.user.Text)}
	return bp, bp.Validate()
}

// showProxyDialog edits the default proxy (File > Proxy…), stored with the
// sites; every site without its own proxy, and quick connect, use it.
func (w *Window) showProxyDialog() {
	st := w.opts.Sites
	if st == nil {
		w.showError("Proxy", fmt.Errorf("saved settings are not available"))
		return
	}
	f := newProxyFields(false)
	go func() {
		t, err := st.Load()
		do(func() {
			if err != nil {
				w.showError("Cannot read the proxy settings", err)
				return
			}
			f.set(t.Proxy)
			dlg := dialog.NewForm("Proxy", "Save", "Cancel", f.items(), func(ok bool) {
				if ok {
					w.saveDefaultProxy(f)
				}
			}, w.win)
			dlg.Show()
		})
	}()
}

// saveDefaultProxy stores the dialog's proxy and its password.
func (w *Window) saveDefaultProxy(f *proxyFields) {
	bp, err := f.apply()
	if err != nil {
		w.showError("Proxy", err)
		return
	}
	pw := f.pass.Text
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), keychainTimeout)
		defer cancel()
		err := w.opts.Sites.SetDefaultProxy(ctx, bp, pw)
		do(func() {
			if err != nil {
				w.showError("Cannot save the proxy", err)
				return
			}
			if bp.Enabled() {
				w.msgs.Status(fmt.Sprintf("Default proxy: %s://%s:%s", bp.Kind, bp.Host, intText(bp.Port)))
			} else {
				w.msgs.Status("Default proxy: none")
			}
		})
	}()
}

// withProxy sets cfg.Proxy for a connection to site (nil: quick connect or
// a URL) as resolveProxy does, off the UI goroutine; next runs on it.
func (w *Window) withProxy(site *bookmarks.Site, formPassword string, cfg engine.Config, next func(engine.Config)) {
	if w.opts.Sites == nil {
		next(cfg)
		return
	}
	go func() {
		cfg, warn, err := w.resolveProxy(site, formPassword, cfg)
		do(func() {
			if err != nil {
				w.showError("Cannot connect", err)
				return
			}
			if warn != "" {
				w.msgs.Error(warn)
			}
			next(cfg)
		})
	}()
}

// resolveProxy returns cfg with the proxy for a connection to site (nil:
// quick connect or a URL): the site's own proxy, else the default stored
// with the sites, with the password from formPassword when not empty, else
// the keychain. It reads the store and the keychain, so it never runs on
// the UI goroutine. warn is a problem to log and go on with (without its
// password the proxy refuses, and that error names it); err stops the
// connection.
func (w *Window) resolveProxy(site *bookmarks.Site, formPassword string, cfg engine.Config) (_ engine.Config, warn string, err error) {
	st := w.opts.Sites
	if st == nil {
		return cfg, "", nil
	}
	t, err := st.Load()
	var bp *bookmarks.Proxy
	owner := ""
	if err == nil {
		bp, owner = t.ProxyFor(site)
	}
	pw := formPassword
	if err == nil && bp.Enabled() && bp.User != "" && pw == "" {
		ctx, cancel := context.WithTimeout(context.Background(), keychainTimeout)
		pw, err = st.ProxyPassword(ctx, owner)
		cancel()
	}
	if err != nil {
		warn = "Proxy settings: " + plainError(err)
	}
	cfg.Proxy, err = connect.ProxyConfig(bp, pw)
	return cfg, warn, err
}

// connectWithDefaultProxy is Connect for quick connect and URLs: through
// the default proxy when one is saved. The proxy is resolved in the
// connection's own goroutine rather than before it: at launch a hop to the
// UI goroutine waits until the window is up (0.45 s under Xvfb), and the
// login and the first listing of a URL given on the command line need not.
func (w *Window) connectWithDefaultProxy(cfg engine.Config, dir string) {
	w.connect(cfg, dir, true)
}
