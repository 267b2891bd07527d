// Package ui is Skiff's window, built with Fyne on top of engine and
// bookmarks: a quick-connect bar, the local and the remote pane (path bar,
// lazy folder tree, sortable file table), the message log and the transfer
// queue, with the site manager and the dialogs around them.
//
// Contracts:
//   - New takes a fyne.App, so tests build the whole window on
//     test.NewTempApp and drive it with test.Tap and test.Type; this package
//     never imports fyne.io/fyne/v2/app (only main does) and needs no cgo.
//   - No network or disk I/O runs on the UI goroutine: listings, connects,
//     file operations and keychain calls run in goroutines, and their results
//     are applied with fyne.Do.
//   - Every engine event (trace lines, queue changes) arrives on engine
//     goroutines and is applied with fyne.Do, coalesced on one refresh
//     clock (refreshTick): the message log batches lines into one fyne.Do,
//     the queue pane rebuilds at most every refreshEvery, and both are
//     redrawn together.
//   - The engine is reached through engine.Dialer/engine.Pool (browsing) and
//     the Transfers interface (the queue), so tests plug in fakes.
package ui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
	"github.com/skiff-ftp/skiff/engine/sftp"
)

// do applies f on the UI goroutine. It is fyne.Do; tests swap it to
// serialise the test driver, which runs f on the calling goroutine.
var do = fyne.Do

// refreshEvery is how often the message log and the queue pane apply what
// the engine reported, at most.
const refreshEvery = 200 * time.Millisecond

// refreshTick returns how long to wait for the next multiple of every on the
// wall clock. Views that coalesce engine events schedule their updates on
// these ticks, so updates that are due together are applied together and
// cost one round of redrawing the window, not one each: under Xvfb's
// software GL a frame is ~15 ms of CPU that a transfer burst would rather
// have (Fyne draws two frames after a change).
func refreshTick(every time.Duration) time.Duration {
	return every - time.Duration(time.Now().UnixNano()%int64(every))
}

// connectTimeout bounds connecting and logging in from the window.
const connectTimeout = 30 * time.Second

// sshLoginTimeout replaces connectTimeout for SFTP, whose login may wait on
// the user (a passphrase, a one-time code). A silent server is still caught
// by the engine's inactivity timeout, and sshd ends a login left waiting
// after its LoginGraceTime (120 s by default).
const sshLoginTimeout = 3 * time.Minute

// Options says what the window is built on and what it starts with.
type Options struct {
	Dialer    engine.Dialer // opens browsing sessions when Pool is nil
	Pool      *engine.Pool  // browsing sessions come from its Browse slot
	Transfers Transfers     // the transfer queue; nil: transfers are refused
	Sites     SiteStore     // saved sites; nil hides the site manager

	URL     string         // connect to this URL at start
	Site    string         // or to this saved site ("Folder/Name")
	Connect *engine.Config // or to this config (the demo server)
	Dir     string         // remote folder to open with Connect
	// Servers are offered by name in the Server menu (the demo's FTP and
	// SFTP servers).
	Servers []Server

	// KnownHostsFile is Skiff's own SSH known-hosts file, where "Always
	// trust" records a host key; empty: the one next to Sites
	// (bookmarks.Store.KnownHostsPath).
	KnownHostsFile string

	Logger *slog.Logger
	// Auto, when set, drives the window by itself (benchmarks, screenshots).
	Auto *Automation
}

// Window is Skiff's main window.
type Window struct {
	app  fyne.App
	win  fyne.Window
	opts Options
	log  *slog.Logger

	qc     *quickConnect
	msgs   *logPane
	queue  *queuePane
	status *widget.Label
	ops    *ops // file operations running on the browsing connection
	trust  *trustStore

	setStore *settingsStore
	setReady chan struct{} // closed once the saved settings are read
	built    chan struct{} // closed when New has built the window
	setMu    sync.Mutex
	set      Settings // guarded by setMu; written on the UI goroutine
	// setTouched: the user changed the settings (guarded by setMu).
	setTouched bool
	limits     *widget.Button
	// settingsForm is the Settings dialog shown last (tests).
	settingsForm *settingsForm

	// The queue in the title and the notification (queuebulk.go).
	progress    string // "45%, 3 left"; "" when idle
	running     bool   // a run of transfers is under way
	processItem *fyne.MenuItem

	// The tabs (tabs.go): the current one is embedded, so w.local,
	// w.remote, w.conn, w.cfg, w.connected and w.active are its.
	*tab
	shown    *tab // the tab on screen; w.tab outside inTab
	tabs     []*tab
	tabCount atomic.Int32 // len(tabs), for the trace's goroutines
	tabBar   *container.DocTabs
	tabArea  *fyne.Container // the one tab's panes, or the tab bar
	drag     dnd             // a drag between the panes and the queue (dnd.go)

	sites *siteManager
	// First run (firstrun.go): whether a site is saved, once the store
	// was read; the demo server the first-run card started.
	haveSites, sitesLoaded bool
	demoStop               func()
	demoServers            []Server
	// passphrases of key files typed this session (memory only)
	passphrases passphrases
	// lastImport is the summary of the last FileZilla import (tests).
	lastImport *bookmarks.ImportSummary

	mainSplit, logSplit *container.Split

	filters     *filterState   // saved filename filters (filters.go)
	filtersForm *filtersDialog // the Filename filters dialog shown last (tests)
	search      *searchDialog  // the remote search shown last (search.go)
	// sv: the comparison bar and the sync menu items (compare.go).
	sv *syncView
}

// New builds the main window on a.
func New(a fyne.App, o Options) *Window {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	w := &Window{app: a, opts: o, log: o.Logger}
	w.trust = newTrustStore(a.Preferences(), o.Sites, o.Logger)
	w.setStore, w.setReady, w.set = newSettingsStore(o.Sites), make(chan struct{}), DefaultSettings()
	w.built = make(chan struct{})
	// First: a connection given at launch waits for the settings (and the
	// rest of New takes 0.1 s and more).
	w.loadSettings()
	a.Settings().SetTheme(newCompactTheme())
	w.win = a.NewWindow("Skiff")
	w.msgs = newLogPane(func(s string) { w.app.Clipboard().SetContent(s) })
	w.tab = w.newTab()
	w.shown = w.tab

	w.ops = newOps()
	w.status = widget.NewLabel("Not connected.")
	w.status.Truncation = fyne.TextTruncateEllipsis
	if o.Sites != nil {
		w.sites = newSiteManager(w, o.Sites)
	}
	if b, ok := o.Transfers.(*QueueBridge); ok {
		b.mu.Lock()
		b.ask = w.askOverwrite
		b.onError = func(err error) { w.msgs.Error("Cannot queue: " + err.Error()) }
		b.mu.Unlock()
	}
	// Connect as early as the parts it reports to exist: the login and the
	// first listing then overlap building the rest of the window (the first
	// widgets to measure text pay for loading the fonts) and bringing it up.
	w.loadSitesCount()
	w.start()
	w.announceServers()

	w.qc = newQuickConnect(w.win.Canvas)
	w.qc.OnConnect = w.connectQuick
	w.qc.OnError = func(err error) { w.showError("Cannot connect", err) }
	w.qc.OnHistory = w.saveHistory
	w.loadHistory()
	if o.URL != "" {
		w.qc.fill(o.URL) // the bar shows where the launch connects (never the URL's password)
	}

	w.queue = newQueuePane(a, o.Transfers)
	w.queue.win = w.win
	w.queue.OnChange = w.queueChanged
	w.dndQueue()
	w.queue.OnFinished = w.refreshFinished

	w.newTabBar()
	w.sv = newSyncView(w)
	w.logSplit = container.NewVSplit(w.msgs.content, container.NewBorder(w.sv.bar, nil, nil, nil, w.tabArea))
	w.logSplit.SetOffset(0.18)
	w.mainSplit = container.NewVSplit(w.logSplit, w.queue.content)
	w.mainSplit.SetOffset(0.74)
	top := container.NewVBox(w.toolbar(), w.qc.content, widget.NewSeparator())
	w.limits = widget.NewButton(limitsText(w.currentSettings()), w.toggleLimits)
	w.limits.Importance = widget.LowImportance
	bottom := container.NewBorder(nil, nil, nil, container.NewHBox(w.ops.button, w.limits, w.queue.status), w.status)
	w.win.SetContent(container.NewBorder(top, bottom, nil, nil, w.mainSplit))
	w.win.SetMainMenu(w.mainMenu())
	w.shortcuts()
	w.win.SetOnDropped(w.dropped)
	w.restorePrefs()
	w.loadFilters()
	if o.Auto != nil {
		w.automate(o.Auto)
	}
	// Every way the window closes saves the layout: the close button and
	// File → Quit go through the intercept, which closes it.
	w.win.SetOnClosed(w.savePrefs)
	w.win.SetCloseIntercept(func() {
		w.queue.Close()
		for _, t := range w.tabs {
			if t.conn != nil {
				go t.conn.close()
			}
		}
		w.stopDemo()
		w.win.Close()
	})
	close(w.built)
	return w
}

// Window returns the Fyne window (tests and main).
func (w *Window) Window() fyne.Window { return w.win }

// ShowAndRun shows the window and runs the app until it closes.
func (w *Window) ShowAndRun() { w.win.ShowAndRun() }

func (w *Window) start() {
	o := w.opts
	switch {
	case o.Connect != nil:
		w.Connect(*o.Connect, o.Dir)
	case o.URL != "":
		cfg, dir, err := engine.ParseURL(o.URL)
		if err != nil {
			w.showError("Cannot open "+engine.RedactURL(o.URL), err)
			return
		}
		defaultUser(&cfg)
		w.connectWithDefaultProxy(cfg, dir)
	case o.Site != "" && w.sites != nil:
		w.sites.connectByPath(o.Site)
	}
}

// Connect opens the browsing connection to cfg's site and shows dir (the
// server's initial folder when empty). It returns at once.
func (w *Window) Connect(cfg engine.Config, dir string) { w.connect(cfg, dir, false) }

// connect is Connect; with defaultProxy, the connection's goroutine first
// sets cfg's proxy from the saved proxy settings (resolveProxy).
func (w *Window) connect(cfg engine.Config, dir string, defaultProxy bool) {
	if w.opts.Dialer == nil && w.opts.Pool == nil {
		w.showError("Cannot connect", errors.New("no FTP engine is available in this build"))
		return
	}
	w.Disconnect()
	if cfg.Trace == nil {
		cfg.Trace = w.tagTrace(cmp.Or(w.tab.name, cfg.Addr()))
	}
	if cfg.Logger == nil {
		cfg.Logger = w.log
	}
	if cfg.Protocol == engine.ProtocolSFTP {
		w.sshSetup(&cfg)
	}
	w.cfg = cfg
	r := newRemote(w.opts.Pool, w.opts.Dialer, cfg)
	w.conn = r
	closing, t := w.closing, w.tab
	w.setState(fmt.Sprintf("Connecting to %s…", cfg.Addr()))
	w.msgs.Status(fmt.Sprintf("Connecting to %s…", cfg.Addr()))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), loginTimeout(cfg))
		defer cancel()
		if closing != nil {
			<-closing // a reconnect to the same site must not get the session being closed
		}
		<-w.setReady
		var perr error // the proxy settings stop the connection before it starts
		if defaultProxy {
			var warn string
			if cfg, warn, perr = w.resolveProxy(nil, "", cfg); warn != "" {
				w.msgs.Error(warn)
			}
		}
		cfg := w.withTrust(w.currentSettings().connect(cfg)) // all files: read here, not on the UI goroutine
		r.setConfig(cfg)
		err := perr
		if err == nil {
			err = r.connect(ctx)
		}
		if err == nil && dir == "" {
			dir, err = r.getwd(ctx)
		}
		var f engine.Features
		enc := "not encrypted"
		if err == nil {
			f = r.features(ctx)
			dir = path.Clean(dir)
			if f.TLS {
				enc = "encrypted with TLS"
				w.rememberTLS(cfg)
			}
			if cfg.Protocol == engine.ProtocolSFTP {
				enc = "encrypted with SSH"
			}
			w.msgs.Status("Connected to " + cfg.Addr() + ", " + enc) // before the LIST lines
		}
		// The first folder is listed from here, right after login, not after
		// the hop to the UI goroutine: at launch, functions given to fyne.Do
		// run only once the window is up (0.3 s under Xvfb), and the listing
		// (0.5 s of 100,000 entries from vsftpd) need not wait for that.
		type result struct {
			es  []listing.Entry
			err error
		}
		first := make(chan result, 1)
		if err == nil {
			go func() {
				es, err := r.list(context.Background(), dir)
				first <- result{es, err}
			}()
		}
		hadTLS := err != nil && errors.Is(err, engine.ErrTLSRequired) && w.trust.hadTLS(cfg)
		do(w.within(t, func() {
			if w.conn != r {
				return // replaced meanwhile
			}
			if perr != nil {
				w.conn = nil
				w.setState("Not connected.")
				w.showError("Cannot connect", perr)
				return
			}
			if err != nil {
				w.conn = nil
				w.connectFailed(cfg, dir, err, hadTLS)
				return
			}
			w.cfg, w.connected = cfg, true
			if b, ok := w.opts.Transfers.(*QueueBridge); ok {
				b.Remember(cfg)
			}
			w.setState(fmt.Sprintf("Connected to %s@%s, %s", cfg.User, cfg.Addr(), enc))
			w.remote.SetLister(r.list, "/")
			w.remote.await(dir, func() ([]listing.Entry, error) {
				l := <-first
				return l.es, l.err
			})
		}))
	}()
}

func loginTimeout(cfg engine.Config) time.Duration {
	if cfg.Protocol == engine.ProtocolSFTP {
		return sshLoginTimeout
	}
	return connectTimeout
}

// withTrust adds to cfg what the user decided about its server's TLS: the
// certificates trusted always, and (unless the caller decided) whether a
// server without TLS may be used. Decided before the network is touched:
// the connect goroutine never waits on a dialog. A server without TLS
// fails the login (nothing sent) and connectFailed asks.
func (w *Window) withTrust(cfg engine.Config) engine.Config {
	cfg.TrustedFingerprints = slices.Clone(cfg.TrustedFingerprints)
	for _, fp := range w.trust.trusted(cfg) {
		if !slices.Contains(cfg.TrustedFingerprints, fp) {
			cfg.TrustedFingerprints = append(cfg.TrustedFingerprints, fp)
		}
	}
	if cfg.ConfirmPlain == nil {
		allow := w.trust.plainAccepted(cfg)
		cfg.ConfirmPlain = func(context.Context, string, string) bool { return allow }
	}
	return cfg
}

// connectFailed explains a failed connect and offers what can fix it: trusting
// a certificate, or typing the password again.
func (w *Window) connectFailed(cfg engine.Config, dir string, err error, hadTLS bool) {
	w.setState("Not connected.")
	t := w.tab // the prompts' answers connect again in this tab
	reconnect := func(cfg engine.Config) { w.inTab(t, func() { w.Connect(cfg, dir) }) }
	var ce *engine.CertError
	var hke *sftp.HostKeyError
	if errors.As(err, &hke) && !hke.Changed() {
		w.msgs.Status("The server's host key is not known yet: asking whether to trust it.")
	} else if !errors.Is(err, errCancelled) {
		w.msgs.Error(plainError(err))
	}
	switch {
	case errors.Is(err, errCancelled):
	case errors.As(err, &hke) && hke.Changed():
		w.hostKeyChanged(hke)
	case errors.As(err, &hke):
		w.hostKeyPrompt(hke, func(always bool) {
			trustHostKey(&cfg, hke.New, always)
			reconnect(cfg)
		})
	case errors.As(err, &ce):
		w.certPrompt(ce, func(always bool) {
			cfg.TrustedFingerprints = append(cfg.TrustedFingerprints, ce.Cert.Fingerprint)
			if always {
				w.trustAlways(cfg, ce.Cert.Fingerprint)
			}
			reconnect(cfg)
		})
	case errors.Is(err, engine.ErrTLSRequired) && cfg.Security == engine.TLSIfAvailable:
		w.plainPrompt(cfg, hadTLS, func(always bool) {
			cfg.ConfirmPlain = func(context.Context, string, string) bool { return true }
			if always {
				w.acceptPlain(cfg)
			}
			reconnect(cfg)
		})
	case errors.Is(err, engine.ErrLoginFailed):
		w.passwordPrompt(cfg, plainError(err), func(pw string) {
			cfg.Password = pw
			if cfg.Protocol == engine.ProtocolSFTP {
				cfg.KeyboardInteractive = nil // sshSetup makes it again, with the new password
			}
			reconnect(cfg)
		})
	default:
		w.showError("Cannot connect to "+cfg.Host, err)
	}
}

// Disconnect closes the browsing connection at once (FileZilla's
// Disconnect); transfers in the queue go on with their own connections.
func (w *Window) Disconnect() {
	if w.conn != nil {
		r, done := w.conn, make(chan struct{})
		w.closing = done
		go func() {
			defer close(done)
			r.close()
		}()
		w.msgs.Status("Disconnected from " + w.cfg.Addr())
	}
	w.conn, w.connected = nil, false
	w.remote.SetLister(nil, "")
	w.setState("Not connected.")
}

// Reconnect connects again to the last site, in the folder shown.
func (w *Window) Reconnect() {
	if w.cfg.Host == "" {
		return
	}
	w.Connect(w.cfg, w.remote.cwd)
}

func (w *Window) setState(s string) {
	w.tab.state = s
	w.tabTitleChanged(w.tab)
	w.refreshFirstRun()
	if w.tab != w.shown {
		return
	}
	w.status.SetText(s)
	w.setTitle()
}

// setTitle shows the site and the queue's progress in the window title.
func (w *Window) setTitle() {
	t := "Skiff"
	if c := w.shown; c.connected {
		t = c.cfg.User + "@" + c.cfg.Host + " - Skiff"
	}
	if w.progress != "" {
		t = "(" + w.progress + ") " + t
	}
	w.win.SetTitle(t)
}

func (w *Window) toolbar() fyne.CanvasObject {
	tb := widget.NewToolbar(
		widget.NewToolbarAction(theme.StorageIcon(), func() { w.showSiteManager() }),
		widget.NewToolbarSeparator(),
		widget.NewToolbarAction(theme.ViewRefreshIcon(), func() { w.refreshActive() }),
		widget.NewToolbarAction(theme.DownloadIcon(), func() { w.download() }),
		widget.NewToolbarAction(theme.UploadIcon(), func() { w.upload() }),
		widget.NewToolbarAction(theme.FolderNewIcon(), func() { w.newFolder(w.active) }),
		widget.NewToolbarAction(theme.DeleteIcon(), func() { w.deleteSelected(w.active) }),
		widget.NewToolbarSeparator(),
		widget.NewToolbarAction(theme.SearchIcon(), func() { w.showSearch() }),
		w.compareTool(), w.browseTool(), w.synchronizeTool(),
		widget.NewToolbarSeparator(),
		widget.NewToolbarAction(theme.ComputerIcon(), func() { w.customCommand() }),
		widget.NewToolbarAction(theme.CancelIcon(), func() { w.Disconnect() }),
		widget.NewToolbarAction(theme.MediaReplayIcon(), func() { w.Reconnect() }),
	)
	return tb
}

func (w *Window) refreshActive() {
	w.local.Refresh()
	w.remote.Refresh()
}

func (w *Window) showSiteManager() {
	if w.sites == nil {
		w.showError("Site manager", errors.New("no site store is available"))
		return
	}
	w.sites.show()
}

// startLocal is where the local pane opens: the last folder, else home.
func (w *Window) startLocal(dir string) {
	if dir == "" {
		dir = localHome()
	}
	p := w.local
	go func() {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			dir = localHome()
		}
		do(func() { p.Open(path.Clean(dir)) })
	}()
}

// trustAlways remembers a certificate for cfg's server: in the trust store
// (quick connections) and in every saved site for that server.
func (w *Window) trustAlways(cfg engine.Config, fp string) {
	w.trust.change(func(t *bookmarks.Trust) { t.TrustCertificate(cfg.Addr(), fp) })
	if w.sites != nil {
		w.sites.trust(cfg, fp)
	}
}

// rememberTLS notes that cfg's server offers TLS, so that a later answer
// without it is asked about loudly, whatever was accepted before. Not on
// the UI goroutine.
func (w *Window) rememberTLS(cfg engine.Config) {
	if !w.trust.hadTLS(cfg) {
		w.trust.change(func(t *bookmarks.Trust) { t.SawTLS(cfg.Addr()) })
	}
}

// acceptPlain remembers "always continue without TLS" for cfg's server.
func (w *Window) acceptPlain(cfg engine.Config) {
	w.trust.change(func(t *bookmarks.Trust) { t.AcceptPlain(cfg.Addr()) })
}
