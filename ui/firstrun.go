package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/internal/demo"
)

// firstRunText is what the empty remote pane says before the first
// connection, while no site is saved.
const firstRunText = "Not connected. To start:\n\n" +
	"• type a server into the quick-connect bar above (a host name, or an ftp:// or sftp:// address) and press Quickconnect;\n" +
	"• or save your servers in the Site Manager (Ctrl+S);\n" +
	"• or bring your sites over from FileZilla (File ▸ Import from FileZilla…).\n\n" +
	"Just looking? The demo server runs inside Skiff, on this computer only, with a sample tree to browse, download to and upload into."

// demoName is the demo's name in the tab and the Server menu.
const demoName = "Demo server"

// firstRun is the card a tab's empty remote pane shows on first run.
type firstRun struct {
	card                         *fyne.Container
	text                         *widget.Label
	quick, sites, importFZ, demo *widget.Button
}

// firstRunFor puts the first-run card into t's remote pane (hidden until
// the window knows there are no saved sites).
func (w *Window) firstRunFor(t *tab) {
	f := &firstRun{
		quick:    widget.NewButtonWithIcon("Quick connect", theme.LoginIcon(), func() { w.win.Canvas().Focus(w.qc.host) }),
		sites:    widget.NewButtonWithIcon("Site Manager…", theme.StorageIcon(), w.showSiteManager),
		importFZ: widget.NewButton("Import from FileZilla…", w.importFileZilla),
		demo:     widget.NewButtonWithIcon("Try the demo server", theme.MediaPlayIcon(), func() { w.inTab(t, w.connectDemo) }),
	}
	f.demo.Importance = widget.HighImportance
	f.text = widget.NewLabel(firstRunText)
	f.text.Wrapping = fyne.TextWrapWord
	buttons := container.NewHBox(f.quick)
	if w.opts.Sites != nil { // without a store, neither can do anything
		buttons.Add(f.sites)
		buttons.Add(f.importFZ)
	}
	f.card = container.NewPadded(container.NewVBox(
		widget.NewLabelWithStyle("Welcome to Skiff", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		f.text, buttons, container.NewHBox(f.demo)))
	f.card.Hide()
	t.first = f
	t.remote.center.Add(container.NewVScroll(f.card))
}

// sitesKnown records whether any site is saved and updates the cards.
// UI goroutine.
func (w *Window) sitesKnown(t *bookmarks.Tree) {
	w.haveSites = len(t.Sites()) > 0
	w.sitesLoaded = true
	w.refreshFirstRun()
}

// loadSitesCount reads the store once at start, in the background.
func (w *Window) loadSitesCount() {
	st := w.opts.Sites
	if st == nil {
		w.sitesLoaded = true
		return
	}
	go func() {
		t, err := st.Load()
		do(func() {
			if err != nil {
				w.sitesLoaded = true // a damaged store: the site manager explains
				w.refreshFirstRun()
				return
			}
			w.sitesKnown(t)
		})
	}()
}

// refreshFirstRun shows the card in each tab's remote pane that is not
// connected (nor connecting) while no site is saved, and hides its folder
// tree and table, which have nothing to show.
func (w *Window) refreshFirstRun() {
	for _, t := range w.tabs {
		if t.first == nil {
			continue
		}
		on := w.sitesLoaded && !w.haveSites && t.conn == nil
		if on == t.first.card.Visible() {
			continue
		}
		setVisible(on, t.first.card)
		setVisible(!on, t.remote.split)
		t.remote.center.Refresh()
	}
}

// connectDemo starts the built-in demo server in this process (once) and
// connects the current tab to it.
func (w *Window) connectDemo() {
	if w.demoServers != nil {
		s := w.demoServers[0]
		w.tab.name = demoName
		w.Connect(s.Config, s.Dir)
		return
	}
	t := w.tab
	w.msgs.Status("Starting the demo server on 127.0.0.1…")
	t.first.demo.Disable()
	go func() {
		stop, servers, err := StartDemo(context.Background())
		do(func() {
			t.first.demo.Enable()
			if err != nil {
				w.showError("Cannot start the demo server", err)
				return
			}
			w.demoStop, w.demoServers = stop, servers
			w.inTab(t, w.connectDemo)
		})
	}()
}

// stopDemo stops the demo server the first-run card started.
func (w *Window) stopDemo() {
	if w.demoStop != nil {
		go w.demoStop()
		w.demoStop = nil
	}
}

// StartDemo starts the built-in demo servers (internal/demo) in this
// process, on 127.0.0.1, and returns how to reach them: FTP first, then
// SFTP, whose host key is new each run and trusted for the run only (never
// written to known_hosts). skiff --demo and the first-run card use it.
func StartDemo(ctx context.Context) (stop func(), servers []Server, err error) {
	d, err := demo.Start(ctx)
	if err != nil {
		return nil, nil, err
	}
	if d.Host != "127.0.0.1" && d.Host != "::1" {
		d.Close()
		return nil, nil, errors.New("the demo server is not on the loopback address")
	}
	ftpCfg := engine.Config{Host: d.Host, Port: d.Port, User: d.User, Password: d.Password, Security: engine.Plain}
	sftpCfg := engine.Config{Protocol: engine.ProtocolSFTP, Host: d.Host, Port: d.SFTPPort, User: d.User, Password: d.Password,
		TrustedFingerprints: []string{d.HostKeyFingerprint()}}
	return func() { d.Close() }, []Server{{Name: "the demo over FTP", Config: ftpCfg}, {Name: "the demo over SFTP", Config: sftpCfg}}, nil
}
