package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/bookmarks"
)

var (
	protocolChoices = []string{"FTP - File Transfer Protocol", "SFTP (not yet supported)"}
	protocolValues  = []bookmarks.Protocol{bookmarks.FTP, bookmarks.SFTP}
	encChoices      = []string{"Use explicit FTP over TLS if available", "Require explicit FTP over TLS", "Require implicit FTP over TLS", "Only use plain FTP (insecure)"}
	encValues       = []bookmarks.Security{bookmarks.TLSIfAvailable, bookmarks.TLSExplicit, bookmarks.TLSImplicit, bookmarks.Plain}
	logonChoices    = []string{"Anonymous", "Normal", "Ask for password", "Interactive", "Account"}
	logonValues     = []bookmarks.Logon{bookmarks.Anonymous, bookmarks.Normal, bookmarks.Ask, bookmarks.Interactive, bookmarks.Account}
	modeChoices     = []string{"Default", "Passive", "Active"}
	modeValues      = []bookmarks.Mode{bookmarks.ModeDefault, bookmarks.ModePassive, bookmarks.ModeActive}
	charsetChoices  = []string{"Autodetect", "Force UTF-8", "Use custom charset"}
)

// siteForm edits one site's fields, grouped in FileZilla's tabs: General,
// Advanced, Transfer settings and Charset.
type siteForm struct {
	host, port, user, pass, account, comments *widget.Entry
	protocol, encryption, logon               *widget.Select
	localDir, remoteDir, tzHours, tzMinutes   *widget.Entry
	vhost                                     *widget.Entry
	colour                                    *widget.Select
	mode                                      *widget.RadioGroup
	limit                                     *widget.Check
	maxConns                                  *widget.Entry
	charset                                   *widget.RadioGroup
	customCharset                             *widget.Entry
	keychainNote                              *widget.Label
	proxy                                     *proxyFields // the Proxy tab (ui/proxyform.go)
	tabs                                      *container.AppTabs
}

func newSiteForm() *siteForm {
	f := &siteForm{
		host: widget.NewEntry(), port: widget.NewEntry(), user: widget.NewEntry(), pass: widget.NewPasswordEntry(),
		account: widget.NewEntry(), comments: widget.NewMultiLineEntry(),
		protocol: widget.NewSelect(protocolChoices, nil), encryption: widget.NewSelect(encChoices, nil),
		localDir: widget.NewEntry(), remoteDir: widget.NewEntry(), tzHours: widget.NewEntry(), tzMinutes: widget.NewEntry(),
		vhost: widget.NewEntry(), mode: widget.NewRadioGroup(modeChoices, nil),
		limit: widget.NewCheck("Limit number of simultaneous connections", nil), maxConns: widget.NewEntry(),
		charset: widget.NewRadioGroup(charsetChoices, nil), customCharset: widget.NewEntry(),
		keychainNote: widget.NewLabel(""), proxy: newProxyFields(true),
	}
	f.logon = widget.NewSelect(logonChoices, func(string) { f.logonChanged() })
	var colours []string
	for _, c := range bookmarks.Colours {
		if c == "" {
			colours = append(colours, "No colour")
		} else {
			colours = append(colours, strings.ToUpper(string(c[:1]))+string(c[1:]))
		}
	}
	f.colour = widget.NewSelect(colours, nil)
	f.keychainNote.Wrapping = fyne.TextWrapWord
	f.keychainNote.Importance = widget.WarningImportance
	f.port.SetPlaceHolder("21")
	f.comments.SetMinRowsVisible(3)
	f.mode.Horizontal = true
	f.customCharset.SetPlaceHolder("ISO-8859-1")
	f.tabs = container.NewAppTabs(
		container.NewTabItem("General", container.NewVBox(widget.NewForm(
			widget.NewFormItem("Protocol", f.protocol),
			widget.NewFormItem("Host", f.host),
			widget.NewFormItem("Port", f.port),
			widget.NewFormItem("Encryption", f.encryption),
			widget.NewFormItem("Logon type", f.logon),
			widget.NewFormItem("User", f.user),
			widget.NewFormItem("Password", f.pass),
			widget.NewFormItem("Account", f.account),
			widget.NewFormItem("Comments", f.comments),
		), f.keychainNote)),
		container.NewTabItem("Advanced", widget.NewForm(
			widget.NewFormItem("Background colour", f.colour),
			widget.NewFormItem("Default local directory", f.localDir),
			widget.NewFormItem("Default remote directory", f.remoteDir),
			widget.NewFormItem("Virtual host (HOST)", f.vhost),
			widget.NewFormItem("Server time offset", container.NewHBox(f.tzHours, widget.NewLabel("hours"), f.tzMinutes, widget.NewLabel("minutes"))),
		)),
		container.NewTabItem("Transfer settings", widget.NewForm(
			widget.NewFormItem("Transfer mode", f.mode),
			widget.NewFormItem("", f.limit),
			widget.NewFormItem("Maximum connections", f.maxConns),
		)),
		container.NewTabItem("Charset", container.NewVBox(
			widget.NewLabel("The server uses the following charset encoding for filenames:"),
			f.charset, container.NewBorder(nil, nil, widget.NewLabel("Encoding:"), nil, f.customCharset),
			widget.NewLabel("Using the wrong charset can result in filenames not displaying properly."),
		)),
		container.NewTabItem("Proxy", widget.NewForm(f.proxy.items()...)),
	)
	return f
}

func (f *siteForm) logonChanged() {
	i := f.logon.SelectedIndex()
	anon := i == 0
	stored := i == 1 || i == 4
	setEnabled(f.user, !anon)
	setEnabled(f.pass, stored)
	setEnabled(f.account, i == 4)
}

func setEnabled(e *widget.Entry, on bool) {
	if on {
		e.Enable()
	} else {
		e.Disable()
	}
}

// set shows site s; the password field is filled later from the keychain.
func (f *siteForm) set(s *bookmarks.Site) {
	f.host.SetText(s.Host)
	f.port.SetText(intText(s.Port))
	f.user.SetText(s.User)
	f.pass.SetText("")
	f.account.SetText(s.Account)
	f.comments.SetText(s.Comments)
	f.protocol.SetSelectedIndex(max(indexOf(protocolValues, s.Protocol), 0))
	f.encryption.SetSelectedIndex(max(indexOf(encValues, s.Security), 0))
	f.logon.SetSelectedIndex(max(indexOf(logonValues, s.Logon), 0))
	f.localDir.SetText(s.LocalDir)
	f.remoteDir.SetText(s.RemoteDir)
	f.vhost.SetText(s.VirtualHost)
	f.tzHours.SetText(intText(s.TZOffsetMin / 60))
	f.tzMinutes.SetText(intText(s.TZOffsetMin % 60))
	f.colour.SetSelectedIndex(max(indexOf(bookmarks.Colours, s.Colour), 0))
	f.mode.SetSelected(modeChoices[max(indexOf(modeValues, s.Mode), 0)])
	f.limit.SetChecked(s.MaxConnections > 0)
	f.maxConns.SetText(intText(s.MaxConnections))
	switch {
	case s.Charset == "":
		f.charset.SetSelected(charsetChoices[0])
	case strings.EqualFold(s.Charset, "UTF-8"):
		f.charset.SetSelected(charsetChoices[1])
	default:
		f.charset.SetSelected(charsetChoices[2])
	}
	f.customCharset.SetText(s.Charset)
	f.keychainNote.SetText("")
	f.proxy.set(s.Proxy)
	f.tabs.SelectIndex(0)
}

// apply copies the fields into s (ID, name and fingerprints are kept).
func (f *siteForm) apply(s *bookmarks.Site) error {
	s.Host = strings.TrimSpace(f.host.Text)
	var err error
	if s.Port, err = atoiField("Port", f.port.Text, 0, 65535); err != nil {
		return err
	}
	s.Protocol = protocolValues[max(f.protocol.SelectedIndex(), 0)]
	s.Security = encValues[max(f.encryption.SelectedIndex(), 0)]
	s.Logon = logonValues[max(f.logon.SelectedIndex(), 0)]
	s.User = strings.TrimSpace(f.user.Text)
	s.Account = f.account.Text
	s.Comments = f.comments.Text
	s.LocalDir, s.RemoteDir = strings.TrimSpace(f.localDir.Text), strings.TrimSpace(f.remoteDir.Text)
	s.VirtualHost = strings.TrimSpace(f.vhost.Text)
	h, err := atoiField("Server time offset hours", f.tzHours.Text, -24, 24)
	if err != nil {
		return err
	}
	m, err := atoiField("Server time offset minutes", f.tzMinutes.Text, -59, 59)
	if err != nil {
		return err
	}
	s.TZOffsetMin = h*60 + m
	s.Colour = bookmarks.Colours[max(f.colour.SelectedIndex(), 0)]
	s.Mode = modeValues[max(indexOf(modeChoices, f.mode.Selected), 0)]
	s.MaxConnections = 0
	if f.limit.Checked {
		if s.MaxConnections, err = atoiField("Maximum connections", f.maxConns.Text, 1, 10); err != nil {
			return err
		}
	}
	switch f.charset.Selected {
	case charsetChoices[1]:
		s.Charset = "UTF-8"
	case charsetChoices[2]:
		s.Charset = strings.TrimSpace(f.customCharset.Text)
	default:
		s.Charset = ""
	}
	s.Proxy, err = f.proxy.apply()
	return err
}

func intText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func atoiField(name, s string, lo, hi int) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s must be a number from %d to %d", name, lo, hi)
	}
	return n, nil
}

func indexOf[T comparable](xs []T, x T) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}
