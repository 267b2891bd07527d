package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine/queue"
)

// settingsForm is the Settings dialog's content: one widget per setting, in
// three tabs (Transfers, Connection, Interface).
type settingsForm struct {
	parallel, siteConns          *widget.Entry
	downLimit, upLimit           *widget.Entry // KiB/s, empty or 0: none
	limitsOn                     *widget.Check
	overwriteDown, overwriteUp   *widget.Select
	timeout, keepAlive           *widget.Entry
	mode                         *widget.RadioGroup
	externalIP, portMin, portMax *widget.Entry
	showHidden, preserve, verify *widget.Check
	theme                        *widget.RadioGroup
	transferType                 *widget.RadioGroup
	asciiExts                    *widget.Entry // space-separated extensions
	logLevel                     *widget.RadioGroup
	content                      fyne.CanvasObject
}

// overwriteChoices are the default overwrite actions offered, in the
// overwrite dialog's words, "Ask" first.
var overwriteChoices = append([]string{"Ask"}, overwriteNames...)

func overwriteLabel(spelling string) string {
	o, err := queue.ParseOverwrite(spelling)
	if err != nil || o == queue.Ask {
		return "Ask"
	}
	return overwriteNames[o-1]
}

func overwriteSpelling(label string) string {
	if i := indexOf(overwriteNames, label); i >= 0 {
		return queue.Overwrite(i + 1).String()
	}
	return queue.Ask.String()
}

var modeLabels = []string{"Default (passive, falling back to active)", "Passive", "Active"}
var modeSpellings = []string{"default", "passive", "active"}
var themeLabels = []string{"System", "Light", "Dark"}
var themeSpellings = []string{"system", "light", "dark"}
var typeLabels = []string{"Auto", "ASCII", "Binary"}
var typeSpellings = []string{"auto", "ascii", "binary"}
var logLabels = []string{"Normal", "Verbose", "Debug"}
var logSpellings = []string{"normal", "verbose", "debug"}

func newSettingsForm(s Settings) *settingsForm {
	f := &settingsForm{
		parallel: intEntry(s.Parallel), siteConns: intEntry(s.SiteConnections),
		downLimit: intEntry(int(s.DownloadLimit / 1024)), upLimit: intEntry(int(s.UploadLimit / 1024)),
		limitsOn:      widget.NewCheck("Apply the speed limits", nil),
		overwriteDown: widget.NewSelect(overwriteChoices, nil), overwriteUp: widget.NewSelect(overwriteChoices, nil),
		timeout: intEntry(s.TimeoutSeconds), keepAlive: intEntry(s.KeepAliveSeconds),
		mode:       widget.NewRadioGroup(modeLabels, nil),
		externalIP: widget.NewEntry(), portMin: intEntry(s.PortMin), portMax: intEntry(s.PortMax),
		showHidden:   widget.NewCheck("Show hidden files (names starting with a dot)", nil),
		preserve:     widget.NewCheck("Preserve timestamps of transferred files", nil),
		verify:       widget.NewCheck("Verify checksums after each transfer when the server can (HASH, XSHA256, …)", nil),
		theme:        widget.NewRadioGroup(themeLabels, nil),
		transferType: widget.NewRadioGroup(typeLabels, nil), asciiExts: widget.NewMultiLineEntry(),
		logLevel: widget.NewRadioGroup(logLabels, nil),
	}
	f.transferType.SetSelected(typeLabels[max(indexOf(typeSpellings, s.TransferType), 0)])
	f.transferType.Horizontal, f.transferType.Required = true, true
	f.asciiExts.SetText(strings.Join(s.ASCIIExtensions, " "))
	f.asciiExts.Wrapping = fyne.TextWrapWord
	f.asciiExts.SetMinRowsVisible(2)
	f.transferType.OnChanged = func(l string) { setEnabled(f.asciiExts, l == typeLabels[0]) }
	setEnabled(f.asciiExts, f.transferType.Selected == typeLabels[0])
	f.logLevel.SetSelected(logLabels[max(indexOf(logSpellings, s.LogLevel), 0)])
	f.logLevel.Horizontal, f.logLevel.Required = true, true
	f.limitsOn.SetChecked(s.LimitsOn)
	f.overwriteDown.SetSelected(overwriteLabel(s.OverwriteDownload))
	f.overwriteUp.SetSelected(overwriteLabel(s.OverwriteUpload))
	f.mode.SetSelected(modeLabels[max(indexOf(modeSpellings, s.Mode), 0)])
	f.mode.Required = true
	f.externalIP.SetText(s.ExternalIP)
	f.externalIP.SetPlaceHolder("the local address of the connection")
	f.showHidden.SetChecked(s.ShowHidden)
	f.preserve.SetChecked(s.PreserveTimes)
	f.verify.SetChecked(s.VerifyChecksum)
	f.theme.SetSelected(themeLabels[max(indexOf(themeSpellings, s.Theme), 0)])
	f.theme.Horizontal, f.theme.Required = true, true

	transfers := widget.NewForm(
		widget.NewFormItem("Transfers at once", f.parallel),
		widget.NewFormItem("Per site at most", f.siteConns),
		widget.NewFormItem("Download limit (KiB/s)", f.downLimit),
		widget.NewFormItem("Upload limit (KiB/s)", f.upLimit),
		widget.NewFormItem("", f.limitsOn),
		widget.NewFormItem("When a download exists", f.overwriteDown),
		widget.NewFormItem("When an upload exists", f.overwriteUp),
		widget.NewFormItem("", f.preserve),
		widget.NewFormItem("", f.verify),
		widget.NewFormItem("Transfer type (FTP)", f.transferType),
		widget.NewFormItem("ASCII file types (auto)", f.asciiExts),
	)
	connection := widget.NewForm(
		widget.NewFormItem("Timeout (seconds)", f.timeout),
		widget.NewFormItem("Keep-alive (seconds, 0: off)", f.keepAlive),
		widget.NewFormItem("Transfer mode", f.mode),
		widget.NewFormItem("External IP (active)", f.externalIP),
		widget.NewFormItem("Active ports from", f.portMin),
		widget.NewFormItem("to (0, 0: any)", f.portMax),
	)
	iface := widget.NewForm(
		widget.NewFormItem("", f.showHidden),
		widget.NewFormItem("Theme", f.theme),
		widget.NewFormItem("Message log", f.logLevel),
	)
	f.content = container.NewAppTabs(
		container.NewTabItem("Transfers", container.NewVScroll(transfers)),
		container.NewTabItem("Connection", connection),
		container.NewTabItem("Interface", iface),
	)
	return f
}

func intEntry(n int) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(strconv.Itoa(n))
	e.Validator = func(s string) error {
		if _, err := strconv.Atoi(strings.TrimSpace(s)); err != nil && strings.TrimSpace(s) != "" {
			return fmt.Errorf("a whole number, please")
		}
		return nil
	}
	return e
}

func atoi(e *widget.Entry) int {
	n, _ := strconv.Atoi(strings.TrimSpace(e.Text))
	return n
}

// settings returns what the form says, cleaned (out of range: the default).
func (f *settingsForm) settings() Settings {
	return Settings{
		Parallel: atoi(f.parallel), SiteConnections: atoi(f.siteConns),
		DownloadLimit: int64(atoi(f.downLimit)) * 1024, UploadLimit: int64(atoi(f.upLimit)) * 1024, LimitsOn: f.limitsOn.Checked,
		OverwriteDownload: overwriteSpelling(f.overwriteDown.Selected), OverwriteUpload: overwriteSpelling(f.overwriteUp.Selected),
		TimeoutSeconds: atoi(f.timeout), KeepAliveSeconds: atoi(f.keepAlive),
		Mode:       modeSpellings[max(indexOf(modeLabels, f.mode.Selected), 0)],
		ExternalIP: strings.TrimSpace(f.externalIP.Text), PortMin: atoi(f.portMin), PortMax: atoi(f.portMax),
		ShowHidden: f.showHidden.Checked, PreserveTimes: f.preserve.Checked, VerifyChecksum: f.verify.Checked,
		Theme:           themeSpellings[max(indexOf(themeLabels, f.theme.Selected), 0)],
		TransferType:    typeSpellings[max(indexOf(typeLabels, f.transferType.Selected), 0)],
		ASCIIExtensions: extensions(f.asciiExts.Text),
		LogLevel:        logSpellings[max(indexOf(logLabels, f.logLevel.Selected), 0)],
	}.clean()
}

// showSettings opens Edit → Settings…; Save applies and stores them.
func (w *Window) showSettings() {
	f := newSettingsForm(w.currentSettings())
	w.settingsForm = f
	d := dialog.NewCustomConfirm("Settings", "Save", "Cancel", f.content, func(ok bool) {
		if ok {
			w.setSettings(f.settings())
		}
	}, w.win)
	d.Resize(fyne.NewSize(640, 480))
	d.Show()
}

// extensions splits the ASCII file types as typed: by spaces, commas or
// semicolons, leading dots dropped. An empty list is kept empty (nothing
// goes as ASCII under auto), not replaced by the defaults.
func extensions(text string) []string {
	out := []string{}
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\t' }) {
		if e := strings.TrimPrefix(f, "."); e != "" {
			out = append(out, e)
		}
	}
	return out
}
