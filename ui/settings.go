package ui

import (
	"fmt"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// Settings are the window's preferences (Edit → Settings…), each applied
// live to what the engine does: the queue's limits and policies, the
// connections' timeouts and data-connection mode, the panes and the theme.
// The transfer type (auto by extension, ASCII, binary) applies to FTP
// transfers queued from then on; the log's verbosity to the message log at
// once (the raw listing lines of debug to connections made from then on).
// A site's charset is the site's (the site form's Charset tab).
type Settings struct {
	Parallel        int `json:"parallel"`        // transfers at once over all sites
	SiteConnections int `json:"siteConnections"` // transfers at once per site (the pool's limit), 1–10

	DownloadLimit int64 `json:"downloadLimit"` // bytes per second, 0: none
	UploadLimit   int64 `json:"uploadLimit"`   // bytes per second, 0: none
	LimitsOn      bool  `json:"limitsOn"`      // the limits apply (toggled from the status bar)

	OverwriteDownload string `json:"overwriteDownload"` // queue.ParseOverwrite spelling
	OverwriteUpload   string `json:"overwriteUpload"`

	TimeoutSeconds   int    `json:"timeoutSeconds"`   // inactivity timeout
	KeepAliveSeconds int    `json:"keepAliveSeconds"` // NOOP while idle; 0: off
	Mode             string `json:"mode"`             // default, passive, active (engine.ParseMode)
	ExternalIP       string `json:"externalIP"`       // announced in active mode; "": the local address
	PortMin          int    `json:"portMin"`          // active mode listening ports; 0,0: any
	PortMax          int    `json:"portMax"`

	ShowHidden     bool   `json:"showHidden"`     // list names starting with a dot
	PreserveTimes  bool   `json:"preserveTimes"`  // keep the source's modification time
	VerifyChecksum bool   `json:"verifyChecksum"` // compare HASH/XSHA… after a transfer, when the server can
	Theme          string `json:"theme"`          // system, light, dark

	TransferType    string   `json:"transferType"`    // auto, ascii, binary (engine.ParseTransferType); FTP only
	ASCIIExtensions []string `json:"asciiExtensions"` // under auto, files with these extensions go as ASCII
	LogLevel        string   `json:"logLevel"`        // the message log: normal, verbose, debug
}

// DefaultSettings are FileZilla's defaults where it has one.
func DefaultSettings() Settings {
	return Settings{
		Parallel: queue.DefaultParallel, SiteConnections: engine.DefaultTransferConns,
		OverwriteDownload: queue.Ask.String(), OverwriteUpload: queue.Ask.String(),
		TimeoutSeconds: int(engine.DefaultTimeout / time.Second), Mode: engine.ModeDefault.String(),
		ShowHidden: true, Theme: "system", LimitsOn: true,
		// Binary by default, unlike FileZilla's auto: an ASCII transfer
		// cannot be checked by size or checksum, nor resumed.
		TransferType: engine.TypeBinary.String(), ASCIIExtensions: engine.DefaultASCIIExtensions,
		LogLevel: engine.TraceNormal.String(),
	}
}

// clean replaces what is out of range by the default.
func (s Settings) clean() Settings {
	d := DefaultSettings()
	if s.Parallel < 1 || s.Parallel > 50 {
		s.Parallel = d.Parallel
	}
	if s.SiteConnections < 1 || s.SiteConnections > 10 {
		s.SiteConnections = d.SiteConnections
	}
	s.DownloadLimit, s.UploadLimit = max(s.DownloadLimit, 0), max(s.UploadLimit, 0)
	if _, err := queue.ParseOverwrite(s.OverwriteDownload); err != nil {
		s.OverwriteDownload = d.OverwriteDownload
	}
	if _, err := queue.ParseOverwrite(s.OverwriteUpload); err != nil {
		s.OverwriteUpload = d.OverwriteUpload
	}
	if s.TimeoutSeconds < 1 || s.TimeoutSeconds > 3600 {
		s.TimeoutSeconds = d.TimeoutSeconds
	}
	s.KeepAliveSeconds = max(s.KeepAliveSeconds, 0)
	if _, err := engine.ParseMode(s.Mode); err != nil {
		s.Mode = d.Mode
	}
	if s.PortMin < 0 || s.PortMax > 65535 || s.PortMin > s.PortMax {
		s.PortMin, s.PortMax = 0, 0
	}
	if s.Theme != "light" && s.Theme != "dark" {
		s.Theme = "system"
	}
	if t, err := engine.ParseTransferType(s.TransferType); err != nil {
		s.TransferType = d.TransferType
	} else {
		s.TransferType = t.String()
	}
	if s.ASCIIExtensions == nil {
		s.ASCIIExtensions = d.ASCIIExtensions
	}
	if _, err := engine.ParseTraceLevel(s.LogLevel); err != nil {
		s.LogLevel = d.LogLevel
	}
	return s
}

// typeRule is the transfer type the queue applies per file.
func (s Settings) typeRule() engine.TypeRule {
	t, _ := engine.ParseTransferType(s.TransferType)
	return engine.TypeRule{Type: t, ASCIIExtensions: s.ASCIIExtensions}
}

// traceLevel is the message log's verbosity.
func (s Settings) traceLevel() engine.TraceLevel {
	l, _ := engine.ParseTraceLevel(s.LogLevel)
	return l
}

// connect applies the connection settings to cfg where the site does not
// say otherwise (a saved site's own transfer mode wins).
func (s Settings) connect(cfg engine.Config) engine.Config {
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Duration(s.TimeoutSeconds) * time.Second
	}
	if cfg.KeepAlive == 0 {
		cfg.KeepAlive = time.Duration(s.KeepAliveSeconds) * time.Second
	}
	if cfg.Mode == engine.ModeDefault {
		cfg.Mode, _ = engine.ParseMode(s.Mode)
	}
	if cfg.ActiveExternalIP == "" {
		cfg.ActiveExternalIP = s.ExternalIP
	}
	if cfg.ActivePortMin == 0 && cfg.ActivePortMax == 0 {
		cfg.ActivePortMin, cfg.ActivePortMax = s.PortMin, s.PortMax
	}
	cfg.TraceLevel = max(cfg.TraceLevel, s.traceLevel())
	return cfg
}

// policies returns the default overwrite actions for downloads and uploads.
func (s Settings) policies() (down, up queue.Overwrite) {
	down, _ = queue.ParseOverwrite(s.OverwriteDownload)
	up, _ = queue.ParseOverwrite(s.OverwriteUpload)
	return down, up
}

// rates returns the speed limits in force.
func (s Settings) rates() (down, up int64) {
	if !s.LimitsOn {
		return 0, 0
	}
	return s.DownloadLimit, s.UploadLimit
}

// settingsTarget is a Transfers that applies the transfer settings (the
// QueueBridge does).
type settingsTarget interface{ ApplySettings(Settings) }

// currentSettings returns the settings in force (any goroutine).
func (w *Window) currentSettings() Settings {
	w.setMu.Lock()
	defer w.setMu.Unlock()
	return w.set
}

// loadSettings reads the saved settings in the background and applies them;
// connections wait for them (setReady).
func (w *Window) loadSettings() {
	go func() {
		s, err := w.setStore.load()
		if err != nil {
			w.log.Warn("settings unreadable, using the defaults", "err", err)
		}
		// Connections wait for these, not for the window to be up (fyne.Do
		// runs only then): the login overlaps building the window.
		w.setMu.Lock()
		touched := w.setTouched // the user was quicker than the disk: theirs stand
		if !touched {
			w.set = s
		}
		w.setMu.Unlock()
		close(w.setReady)
		if !touched {
			<-w.built // applying needs the whole window
			do(func() {
				w.setMu.Lock()
				touched := w.setTouched // meanwhile?
				w.setMu.Unlock()
				if !touched {
					w.applySettings(s)
				}
			})
		}
	}()
}

// setSettings applies s now and saves it in the background (UI goroutine).
func (w *Window) setSettings(s Settings) {
	w.setMu.Lock()
	w.setTouched = true
	w.setMu.Unlock()
	w.applySettings(s)
	w.setStore.saving.Add(1)
	go func() {
		defer w.setStore.saving.Done()
		if err := w.setStore.save(s); err != nil {
			w.log.Warn("settings not saved", "err", err)
			do(func() { w.msgs.Error("Settings not saved: " + err.Error()) })
		}
	}()
}

// applySettings makes s what the window and the engine do (UI goroutine):
// the queue's limits and policies at once, the panes and the theme, and the
// connection settings for every connection from now on.
func (w *Window) applySettings(s Settings) {
	w.setMu.Lock()
	w.set = s
	w.setMu.Unlock()
	if t, ok := w.opts.Transfers.(settingsTarget); ok {
		t.ApplySettings(s)
	}
	w.msgs.SetLevel(s.traceLevel())
	w.local.table.SetShowHidden(s.ShowHidden)
	w.remote.table.SetShowHidden(s.ShowHidden)
	if t, ok := w.app.Settings().Theme().(compactTheme); !ok || t.name() != s.Theme {
		w.app.Settings().SetTheme(themeFor(s.Theme))
	}
	w.limits.SetText(limitsText(s))
}

// limitsText is the status bar's speed limit button.
func limitsText(s Settings) string {
	if s.DownloadLimit == 0 && s.UploadLimit == 0 {
		return "No speed limit"
	}
	lim := func(n int64) string {
		if n == 0 {
			return "—"
		}
		return humanSpeed(float64(n))
	}
	state := "off"
	if s.LimitsOn {
		state = "on"
	}
	return fmt.Sprintf("Limit ↓ %s ↑ %s (%s)", lim(s.DownloadLimit), lim(s.UploadLimit), state)
}

// toggleLimits turns the speed limits on or off (the status bar's button).
func (w *Window) toggleLimits() {
	s := w.currentSettings()
	if s.DownloadLimit == 0 && s.UploadLimit == 0 {
		w.showSettings()
		return
	}
	s.LimitsOn = !s.LimitsOn
	w.setSettings(s)
}
