package ui

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
)

// maxHistory is how many quick connections the drop-down remembers (never
// with passwords).
const maxHistory = 10

// securityChoices are the quick-connect security options, in engine.Security order.
var securityChoices = []string{"TLS if available", "Require explicit TLS", "Implicit TLS", "Plain FTP (insecure)"}

// quickConnect is the bar above the panes: host (or a whole URL), user,
// password, port, security, a history drop-down and the Quickconnect button.
type quickConnect struct {
	host, user, pass, port *widget.Entry
	security               *widget.Select
	history                []string
	content                fyne.CanvasObject
	historyBtn             *widget.Button

	// OnConnect is called with the config and the remote path to open.
	OnConnect func(cfg engine.Config, dir string)
	// OnHistory is called when the history changed, to save it.
	OnHistory func([]string)
	// OnError reports input the bar cannot use.
	OnError func(err error)
	canvas  func() fyne.Canvas
}

func newQuickConnect(canvas func() fyne.Canvas) *quickConnect {
	qc := &quickConnect{host: widget.NewEntry(), user: widget.NewEntry(), pass: widget.NewPasswordEntry(), port: widget.NewEntry(), canvas: canvas}
	qc.host.SetPlaceHolder("host, ftp:// or sftp://user@host/path")
	qc.user.SetPlaceHolder("anonymous")
	qc.port.SetPlaceHolder("21")
	qc.security = widget.NewSelect(securityChoices, nil)
	qc.security.SetSelectedIndex(0)
	qc.host.OnChanged = func(string) { qc.protocolShown() }
	for _, e := range []*widget.Entry{qc.host, qc.user, qc.pass, qc.port} {
		e.OnSubmitted = func(string) { qc.Connect() }
	}
	btn := widget.NewButtonWithIcon("Quickconnect", theme.LoginIcon(), qc.Connect)
	btn.Importance = widget.HighImportance
	qc.historyBtn = widget.NewButtonWithIcon("", theme.MenuDropDownIcon(), qc.showHistory)
	field := func(label string, e fyne.CanvasObject, w float32) fyne.CanvasObject {
		return container.NewBorder(nil, nil, widget.NewLabel(label), nil, container.New(&minWidth{w}, e))
	}
	qc.content = container.NewBorder(nil, nil, nil, container.NewHBox(btn, qc.historyBtn),
		container.NewHBox(
			field("Host:", qc.host, 240), field("Username:", qc.user, 120), field("Password:", qc.pass, 120),
			field("Port:", qc.port, 60), qc.security,
		))
	return qc
}

// protocolShown fits the bar to the URL typed: an sftp:// URL has port 22
// and no TLS choice.
func (qc *quickConnect) protocolShown() {
	sftp := strings.HasPrefix(strings.ToLower(strings.TrimSpace(qc.host.Text)), "sftp://")
	if sftp {
		qc.port.SetPlaceHolder(strconv.Itoa(sftpPort))
		qc.security.Disable()
	} else {
		qc.port.SetPlaceHolder(strconv.Itoa(engine.DefaultPort))
		qc.security.Enable()
	}
}

// Connect reads the fields and calls OnConnect.
func (qc *quickConnect) Connect() {
	cfg, dir, err := qc.Config()
	if err != nil {
		if qc.OnError != nil {
			qc.OnError(err)
		}
		return
	}
	qc.remember(cfg.URL(""))
	if qc.OnConnect != nil {
		qc.OnConnect(cfg, dir)
	}
}

// Config builds a connection config from the fields; a URL in the host field
// fills the others, and its scheme picks the protocol (sftp://, or port 22
// with a bare host name, is SFTP).
func (qc *quickConnect) Config() (engine.Config, string, error) {
	host := strings.TrimSpace(qc.host.Text)
	if host == "" {
		return engine.Config{}, "", fmt.Errorf("enter a host name or an ftp:// URL")
	}
	cfg := engine.Config{Security: engine.Security(qc.security.SelectedIndex())}
	dir := ""
	if strings.Contains(host, "://") {
		c, d, err := engine.ParseURL(host)
		if err != nil {
			return cfg, "", err
		}
		cfg, dir = c, d
	} else {
		cfg.Host = host
	}
	if u := strings.TrimSpace(qc.user.Text); u != "" {
		cfg.User = u
	}
	if qc.pass.Text != "" {
		cfg.Password = qc.pass.Text
	}
	if p := strings.TrimSpace(qc.port.Text); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return cfg, "", fmt.Errorf("port %q is not a number from 1 to 65535", p)
		}
		cfg.Port = n
		if n == sftpPort && !strings.Contains(host, "://") {
			cfg.Protocol = engine.ProtocolSFTP
		}
	}
	defaultUser(&cfg)
	if cfg.User == "anonymous" && cfg.Password == "" {
		cfg.Password = engine.AnonymousPassword
	}
	return cfg, dir, nil
}

func (qc *quickConnect) remember(u string) {
	qc.history = slices.DeleteFunc(qc.history, func(h string) bool { return h == u })
	qc.history = append([]string{u}, qc.history...)
	if len(qc.history) > maxHistory {
		qc.history = qc.history[:maxHistory]
	}
	if qc.OnHistory != nil {
		qc.OnHistory(qc.history)
	}
}

// fill puts a history URL into the fields (the password stays empty).
func (qc *quickConnect) fill(u string) {
	cfg, _, err := engine.ParseURL(u)
	if err != nil {
		return
	}
	host := cfg.Host
	if cfg.Protocol == engine.ProtocolSFTP || cfg.Port == sftpPort {
		// The scheme says the protocol (the port field says the port):
		// a bare host is FTP, or SFTP on port 22.
		scheme, _, _ := strings.Cut(cfg.URL(""), "://")
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		host = scheme + "://" + host
	}
	qc.host.SetText(host)
	qc.user.SetText(cfg.User)
	qc.pass.SetText("")
	if cfg.Port != 0 {
		qc.port.SetText(strconv.Itoa(cfg.Port))
	} else {
		qc.port.SetText("")
	}
	qc.security.SetSelectedIndex(int(cfg.Security))
}

func (qc *quickConnect) showHistory() {
	var items []*fyne.MenuItem
	for _, h := range qc.history {
		items = append(items, fyne.NewMenuItem(h, func() { qc.fill(h) }))
	}
	if len(items) == 0 {
		items = append(items, &fyne.MenuItem{Label: "No recent servers", Disabled: true})
	}
	items = append(items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Clear history", func() {
		qc.history = nil
		if qc.OnHistory != nil {
			qc.OnHistory(nil)
		}
	}))
	c := qc.canvas()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(qc.historyBtn).Add(fyne.NewPos(0, qc.historyBtn.Size().Height))
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), c, pos)
}

// minWidth lays out one object at least w wide.
type minWidth struct{ w float32 }

func (m *minWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := objs[0].MinSize()
	return fyne.NewSize(max(s.Width, m.w), s.Height)
}

func (m *minWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

var _ fyne.Layout = (*minWidth)(nil)

// sftpPort is the port that makes a bare host name an SFTP connection, as
// in FileZilla's quick-connect bar.
const sftpPort = engine.DefaultSFTPPort

// defaultUser fills the user of a URL or bar that named none: anonymous for
// FTP; for SFTP, which has no anonymous login, the local login name, as ssh
// does.
func defaultUser(cfg *engine.Config) {
	if cfg.User != "" {
		return
	}
	if cfg.Protocol == engine.ProtocolSFTP {
		cfg.User = localUser()
		return
	}
	cfg.User = "anonymous"
	if cfg.Password == "" {
		cfg.Password = engine.AnonymousPassword
	}
}

// localUser is the login name ssh would use: $USER ($USERNAME on Windows).
func localUser() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return os.Getenv("USERNAME")
}
