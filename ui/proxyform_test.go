package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine/proxy"
)

// A site's Proxy tab saves its proxy in the site and its password in the
// keychain, and connecting to the site goes through it.
func TestSiteProxyTabSavesAndConnectsThroughIt(t *testing.T) {
	w, _, st := newSiteTestWindow(t)
	sm := newSiteShown(t, w)
	onUI(func() {
		f := sm.form
		f.host.SetText("ftp.example.org")
		f.logon.SetSelectedIndex(0) // anonymous: no password prompt
		f.remoteDir.SetText("/srv/www")
		f.proxy.kind.SetSelected("SOCKS5")
		f.proxy.host.SetText("proxy.example")
		f.proxy.port.SetText("1081")
		f.proxy.user.SetText("alice")
		f.proxy.pass.SetText("pr0xy-pass")
		f.tabs.SelectIndex(len(f.tabs.Items) - 1)
	})
	shot(t, w, "site-proxy")
	onUI(func() { sm.status.SetText(""); sm.save(nil) })
	// The status says so once the keychain is written (go-keyring's mock
	// must not be read meanwhile: it is not safe for concurrent use).
	waitFor(t, "saved", func() bool { return strings.HasPrefix(sm.status.Text, "Saved") })
	waitFor(t, "reloaded", func() bool {
		s, ok := sm.tree.Site(sm.sel)
		return ok && s.Proxy != nil
	})
	var s *bookmarks.Site
	onUI(func() { s, _ = sm.tree.Site(sm.sel) })
	if want := (bookmarks.Proxy{Kind: bookmarks.ProxySOCKS5, Host: "proxy.example", Port: 1081, User: "alice"}); *s.Proxy != want {
		t.Errorf("saved proxy %+v, want %+v", *s.Proxy, want)
	}
	if pw, err := st.ProxyPassword(context.Background(), s.ID); pw != "pr0xy-pass" {
		t.Errorf("proxy password in the keychain: %q, %v", pw, err)
	}
	onUI(func() {
		w.Disconnect()
		sm.connectByPath("New site")
	})
	t.Cleanup(func() {
		if t.Failed() {
			onUI(func() { t.Logf("log:\n%s", w.msgs.Text()) })
		}
	})
	waitFor(t, "connected", func() bool { return w.remote.cwd == "/srv/www" })
	want := proxy.Proxy{Kind: proxy.SOCKS5, Host: "proxy.example", Port: 1081, User: "alice", Password: "pr0xy-pass"}
	onUI(func() {
		if w.cfg.Proxy != want {
			t.Errorf("connected with proxy %#v, want %s", w.cfg.Proxy, want)
		}
	})

	// "Use the default proxy" with no default saved: direct.
	onUI(func() {
		sm.form.proxy.kind.SetSelected(proxyInheritChoice)
		sm.status.SetText("")
		sm.save(nil)
	})
	waitFor(t, "saved again", func() bool { return strings.HasPrefix(sm.status.Text, "Saved") })
	waitFor(t, "saved without proxy", func() bool {
		s, ok := sm.tree.Site(sm.sel)
		return ok && s.Proxy == nil
	})
	onUI(func() {
		w.Disconnect()
		w.remote.cwd = ""
		sm.connectByPath("New site")
	})
	waitFor(t, "connected again", func() bool { return w.remote.cwd == "/srv/www" })
	onUI(func() {
		if w.cfg.Proxy.Enabled() {
			t.Errorf("connected through %s with no proxy saved", w.cfg.Proxy)
		}
	})
}

// File > Proxy… saves the default proxy with the sites; quick connect
// goes through it.
func TestDefaultProxyAppliesToQuickConnect(t *testing.T) {
	w, _, st := newSiteTestWindow(t)
	onUI(func() {
		f := newProxyFields(false)
		f.kind.SetSelected("HTTP CONNECT")
		f.host.SetText("corp-proxy")
		f.port.SetText("3128")
		f.user.SetText("carol")
		f.pass.SetText("corp-pass")
		w.saveDefaultProxy(f)
	})
	waitFor(t, "default saved", func() bool { return strings.Contains(w.msgs.Text(), "Default proxy: http://corp-proxy:3128") })
	if pw, err := st.ProxyPassword(context.Background(), bookmarks.DefaultProxyOwner); pw != "corp-pass" {
		t.Errorf("default proxy password in the keychain: %q, %v", pw, err)
	}
	tr, _ := st.Load()
	if want := (bookmarks.Proxy{Kind: bookmarks.ProxyHTTP, Host: "corp-proxy", Port: 3128, User: "carol"}); *tr.Proxy != want {
		t.Errorf("default proxy %+v, want %+v", *tr.Proxy, want)
	}
	onUI(func() {
		w.qc.host.SetText("ftp.example.org")
		w.qc.Connect()
	})
	waitFor(t, "connected", func() bool { return w.connected })
	want := proxy.Proxy{Kind: proxy.HTTP, Host: "corp-proxy", Port: 3128, User: "carol", Password: "corp-pass"}
	onUI(func() {
		if w.cfg.Proxy != want {
			t.Errorf("quick connect used proxy %#v (password %q), want %s; log:\n%s", w.cfg.Proxy, w.cfg.Proxy.Password, want, w.msgs.Text())
		}
	})
}

func TestProxyFieldsRefuseAProxyWithoutHost(t *testing.T) {
	onUI(func() {
		f := newProxyFields(true)
		f.kind.SetSelected("SOCKS5")
		if _, err := f.apply(); err == nil {
			t.Error("a SOCKS5 proxy without host was accepted")
		}
		f.kind.SetSelected(proxyChoices[0])
		if p, err := f.apply(); err != nil || p == nil || p.Kind != bookmarks.ProxyNone {
			t.Errorf("None: %+v, %v", p, err)
		}
	})
}
