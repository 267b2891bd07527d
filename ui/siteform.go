package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine/ftp"
)

var (
	protocolChoices = []string{"FTP - File Transfer Protocol", "SFTP - SSH File Transfer Protocol"}
	protocolValues  = []bookmarks.Protocol{bookmarks.FTP, bookmarks.SFTP}
	encChoices      = []string{"Use explicit FTP over TLS if available", "Require explicit FTP over TLS", "Require implicit FTP over TLS", "Only use plain FTP (insecure)"}
	encValues       = []bookmarks.Security{bookmarks.TLSIfAvailable, bookmarks.TLSExplicit, bookmarks.TLSImplicit, bookmarks.Plain}
	logonNames      = map[bookmarks.Logon]string{bookmarks.Anonymous: "Anonymous", bookmarks.Normal: "Normal", bookmarks.Ask: "Ask for password",
		bookmarks.Interactive: "Interactive", bookmarks.Account: "Account", bookmarks.KeyFile: "Key file"}
	// The logon types each protocol offers: SSH has no anonymous login or
	// ACCT; a key file (and ssh-agent) is SSH's.
	ftpLogons      = []bookmarks.Logon{bookmarks.Anonymous, bookmarks.Normal, bookmarks.Ask, bookmarks.Interactive, bookmarks.Account}
	sftpLogons     = []bookmarks.Logon{bookmarks.Normal, bookmarks.Ask, bookmarks.Interactive, bookmarks.KeyFile}
	modeChoices    = []string{"Default", "Passive", "Active"}
	modeValues     = []bookmarks.Mode{bookmarks.ModeDefault, bookmarks.ModePassive, bookmarks.ModeActive}
	charsetChoices = []string{"Autodetect", "Force UTF-8", "Use custom charset"}
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
	customCharset                             *widget.SelectEntry // a name from ftp.Charsets, or any IANA name
	keychainNote                              *widget.Label
	proxy                                     *proxyFields // the Proxy tab (ui/proxyform.go)
	tabs                                      *container.AppTabs
	charsetItem                               *container.TabItem // FTP only: SFTP names are UTF-8

	// SFTP: the key file (typed or picked) and ssh-agent. ftpRows and
	// sftpRows are the rows (label and field) shown for one protocol only,
	// in the General, Advanced and Transfer settings tabs.
	keyFile                     *widget.Entry
	agent                       *widget.Check
	ftpRows, sftpRows           []fyne.CanvasObject
	general, advanced, transfer *fyne.Container
	// pickFile shows a file picker and calls the function with the path
	// chosen (the site manager sets it: it knows the window).
	pickFile func(func(path string))
}

func newSiteForm() *siteForm {
	f := &siteForm{
		host: widget.NewEntry(), port: widget.NewEntry(), user: widget.NewEntry(), pass: widget.NewPasswordEntry(),
		account: widget.NewEntry(), comments: widget.NewMultiLineEntry(),
		protocol: widget.NewSelect(protocolChoices, nil), encryption: widget.NewSelect(encChoices, nil),
		localDir: widget.NewEntry(), remoteDir: widget.NewEntry(), tzHours: widget.NewEntry(), tzMinutes: widget.NewEntry(),
		vhost: widget.NewEntry(), mode: widget.NewRadioGroup(modeChoices, nil),
		limit: widget.NewCheck("Limit number of simultaneous connections", nil), maxConns: widget.NewEntry(),
		charset: widget.NewRadioGroup(charsetChoices, nil), customCharset: widget.NewSelectEntry(ftp.Charsets),
		keychainNote: widget.NewLabel(""), proxy: newProxyFields(true),
	}
	f.logon = widget.NewSelect(nil, func(string) { f.logonChanged() })
	f.keyFile = widget.NewEntry()
	f.keyFile.SetPlaceHolder("~/.ssh/id_ed25519")
	f.agent = widget.NewCheck("Use ssh-agent", nil)
	f.protocol.OnChanged = func(string) { f.protocolChanged() }
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
	browse := widget.NewButton("Browse…", func() {
		if f.pickFile != nil {
			f.pickFile(func(p string) { f.keyFile.SetText(p) })
		}
	})
	general := container.New(layout.NewFormLayout())
	f.general = general
	row := func(label string, o fyne.CanvasObject) []fyne.CanvasObject { return formRow(general, label, o) }
	row("Protocol", f.protocol)
	row("Host", f.host)
	row("Port", f.port)
	f.ftpRows = append(f.ftpRows, row("Encryption", f.encryption)...)
	row("Logon type", f.logon)
	row("User", f.user)
	row("Password", f.pass)
	f.ftpRows = append(f.ftpRows, row("Account", f.account)...)
	f.sftpRows = append(f.sftpRows, row("Key file", container.NewBorder(nil, nil, nil, browse, f.keyFile))...)
	f.sftpRows = append(f.sftpRows, row("", f.agent)...)
	row("Comments", f.comments)
	// The other tabs' FTP-only rows: HOST, LIST's time offset (SFTP times
	// are UTC) and the data connection's mode.
	f.advanced = container.New(layout.NewFormLayout())
	formRow(f.advanced, "Background colour", f.colour)
	formRow(f.advanced, "Default local directory", f.localDir)
	formRow(f.advanced, "Default remote directory", f.remoteDir)
	f.ftpRows = append(f.ftpRows, formRow(f.advanced, "Virtual host (HOST)", f.vhost)...)
	f.ftpRows = append(f.ftpRows, formRow(f.advanced, "Server time offset",
		container.NewHBox(f.tzHours, widget.NewLabel("hours"), f.tzMinutes, widget.NewLabel("minutes")))...)
	f.transfer = container.New(layout.NewFormLayout())
	f.ftpRows = append(f.ftpRows, formRow(f.transfer, "Transfer mode", f.mode)...)
	formRow(f.transfer, "", f.limit)
	formRow(f.transfer, "Maximum connections", f.maxConns)
	f.charsetItem = container.NewTabItem("Charset", f.charsetTab())
	f.tabs = container.NewAppTabs(
		container.NewTabItem("General", container.NewVBox(general, f.keychainNote)),
		container.NewTabItem("Advanced", f.advanced),
		container.NewTabItem("Transfer settings", f.transfer),
		f.charsetItem,
		container.NewTabItem("Proxy", widget.NewForm(f.proxy.items()...)),
	)
	return f
}

func (f *siteForm) logonChanged() {
	l := f.logonValue()
	setEnabled(f.user, l != bookmarks.Anonymous)
	setEnabled(f.pass, l == bookmarks.Normal || l == bookmarks.Account)
	setEnabled(f.account, l == bookmarks.Account)
}

func (f *siteForm) isSFTP() bool {
	return f.protocol.SelectedIndex() == indexOf(protocolValues, bookmarks.SFTP)
}

// logons are the logon types the selected protocol offers.
func (f *siteForm) logons() []bookmarks.Logon {
	if f.isSFTP() {
		return sftpLogons
	}
	return ftpLogons
}

// logonValue is the selected logon type (Normal when none is).
func (f *siteForm) logonValue() bookmarks.Logon {
	for _, l := range f.logons() {
		if logonNames[l] == f.logon.Selected {
			return l
		}
	}
	return bookmarks.Normal
}

func (f *siteForm) setLogon(l bookmarks.Logon) {
	if !slices.Contains(f.logons(), l) {
		l = bookmarks.Normal
	}
	f.logon.SetSelected(logonNames[l])
}

// protocolChanged shows the fields of the selected protocol: TLS, ACCT,
// HOST, the time offset and the transfer mode for FTP, the key file and
// ssh-agent for SFTP, and its default port.
func (f *siteForm) protocolChanged() {
	keep := f.logonValue()
	names := make([]string, 0, len(f.logons()))
	for _, l := range f.logons() {
		names = append(names, logonNames[l])
	}
	f.logon.SetOptions(names)
	f.setLogon(keep)
	show, hide := f.ftpRows, f.sftpRows
	f.port.SetPlaceHolder("21")
	if f.isSFTP() {
		show, hide = hide, show
		f.port.SetPlaceHolder("22")
	}
	for _, o := range show {
		o.Show()
	}
	for _, o := range hide {
		o.Hide()
	}
	f.showCharsetTab(!f.isSFTP())
	// Lay the rows out again without the hidden ones.
	f.general.Refresh()
	f.advanced.Refresh()
	f.transfer.Refresh()
}

// showCharsetTab puts the Charset tab before the last (Proxy) or takes it
// away: SFTP's names are UTF-8 by the protocol, so it has no charset.
func (f *siteForm) showCharsetTab(on bool) {
	i := slices.Index(f.tabs.Items, f.charsetItem)
	switch {
	case on && i < 0:
		n := len(f.tabs.Items) - 1
		f.tabs.Items = append(f.tabs.Items[:n:n], f.charsetItem, f.tabs.Items[n])
		f.tabs.Refresh()
	case !on && i >= 0:
		f.tabs.Remove(f.charsetItem)
	}
}

// formRow adds a bold label and o as one row of c (a form layout) and
// returns both, for hiding the row.
func formRow(c *fyne.Container, label string, o fyne.CanvasObject) []fyne.CanvasObject {
	l := widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	c.Add(l)
	c.Add(o)
	return []fyne.CanvasObject{l, o}
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
	f.setLogon(s.Logon)
	f.keyFile.SetText(s.KeyFile)
	f.agent.SetChecked(!s.NoAgent)
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
	s.Logon = f.logonValue()
	s.KeyFile = strings.TrimSpace(f.keyFile.Text)
	s.NoAgent = !f.agent.Checked
	if s.Protocol == bookmarks.SFTP && s.Logon == bookmarks.KeyFile && s.KeyFile == "" && s.NoAgent {
		return fmt.Errorf("the key file logon needs a key file or ssh-agent")
	}
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
		if err := ftp.CheckCharset(s.Charset); err != nil || s.Charset == "" {
			return fmt.Errorf("Charset: %q is not a charset Skiff knows (pick one from the list)", s.Charset)
		}
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
