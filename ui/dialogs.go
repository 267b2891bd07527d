package ui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
	"github.com/skiff-ftp/skiff/engine/queue"
	"github.com/skiff-ftp/skiff/engine/sftp"
)

// plainError says what went wrong in plain words, ending with the server's
// own reason when there is one.
func plainError(err error) string {
	if err == nil {
		return ""
	}
	var what string
	var ce *engine.CertError
	var hke *sftp.HostKeyError
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &ce):
		what = "The server's certificate is not trusted."
	case errors.As(err, &hke) && hke.Changed():
		what = "THE SERVER'S HOST KEY HAS CHANGED; the connection was refused."
	case errors.As(err, &hke):
		what = "The server's host key is not trusted."
	case errors.Is(err, engine.ErrLoginFailed):
		what = "The server refused the user name or password."
	case errors.Is(err, engine.ErrNotFound):
		what = "The file or folder does not exist (or you may not see it)."
	case errors.Is(err, engine.ErrPermission):
		what = "Permission denied."
	case errors.Is(err, engine.ErrTooMany):
		what = "The server has too many connections; try again later."
	case errors.Is(err, engine.ErrTLSRequired):
		what = "The server does not offer TLS, and this connection requires it."
	case errors.Is(err, engine.ErrUnsupported):
		what = "The server does not support this."
	case errors.Is(err, engine.ErrClosed):
		what = "The connection was closed."
	case errors.As(err, &dnsErr):
		what = "The host name " + dnsErr.Name + " could not be found."
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded):
		what = "The server did not answer in time."
	case engine.ConnRefused(err):
		what = "The server refused the connection (is the host and port right?)."
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		reason := fmt.Sprintf("Server said: %d %s", te.Code, strings.TrimSpace(te.Msg))
		if what == "" {
			return reason
		}
		return what + " " + reason
	}
	if what == "" {
		return err.Error()
	}
	return what + " (" + err.Error() + ")"
}

func (w *Window) showError(title string, err error) {
	dialog.NewError(errors.New(title+":\n"+plainError(err)), w.win).Show()
}

// certPrompt shows an untrusted certificate and asks to trust it once or
// always; accept is not called on cancel.
func (w *Window) certPrompt(ce *engine.CertError, accept func(always bool)) {
	c := ce.Cert
	fp := widget.NewLabel(c.Fingerprint)
	fp.Wrapping = fyne.TextWrapBreak
	fp.Selectable = true
	form := widget.NewForm(
		widget.NewFormItem("Host", widget.NewLabel(ce.Host)),
		widget.NewFormItem("SHA-256", fp),
		widget.NewFormItem("Subject", widget.NewLabel(c.Subject)),
		widget.NewFormItem("Issuer", widget.NewLabel(c.Issuer)),
		widget.NewFormItem("Valid from", widget.NewLabel(c.NotBefore.Local().Format("2006-01-02 15:04"))),
		widget.NewFormItem("Valid until", widget.NewLabel(c.NotAfter.Local().Format("2006-01-02 15:04"))),
		widget.NewFormItem("Names", widget.NewLabel(strings.Join(c.DNSNames, ", "))),
	)
	why := widget.NewLabel("The server's certificate could not be verified: " + ce.Reason.Error() +
		"\nCompare the fingerprint with the one your hosting provider publishes before trusting it.")
	why.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	once := widget.NewButton("Trust once", func() { d.Hide(); accept(false) })
	always := widget.NewButton("Always trust", func() { d.Hide(); accept(true) })
	always.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("Unknown certificate", container.NewVBox(why, form), w.win)
	d.SetButtons([]fyne.CanvasObject{cancel, once, always})
	d.Resize(fyne.NewSize(620, 420))
	d.Show()
}

// plainPrompt is FileZilla's "Insecure FTP connection" question, asked when
// "TLS if available" met a server without TLS; the login stopped before the
// user name and password were sent. hadTLS makes it louder: the server
// offered TLS before, so someone may be stripping it.
func (w *Window) plainPrompt(cfg engine.Config, hadTLS bool, accept func(always bool)) {
	text := fmt.Sprintf("%s does not support FTP over TLS.\n\n"+
		"If you continue, your password and files are sent in clear text and may be read by others on the network.", cfg.Addr())
	title := "Insecure FTP connection"
	if hadTLS {
		title = "Warning: this server no longer offers TLS"
		text = fmt.Sprintf("%s offered TLS before and does not now.\n\n"+
			"Someone may be tampering with the connection to read your password. "+
			"Continue only if you know the server was changed.", cfg.Addr())
	}
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	once := widget.NewButton("Continue once", func() { d.Hide(); accept(false) })
	always := widget.NewButton("Always for this server", func() { d.Hide(); accept(true) })
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	cancel.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons(title, msg, w.win)
	d.SetButtons([]fyne.CanvasObject{cancel, once, always})
	d.Resize(fyne.NewSize(560, 240))
	d.Show()
}

// passwordPrompt asks for the password of cfg's site.
func (w *Window) passwordPrompt(cfg engine.Config, why string, ok func(string)) {
	pw := widget.NewPasswordEntry()
	items := []*widget.FormItem{widget.NewFormItem("Password", pw)}
	msg := fmt.Sprintf("Password for %s@%s", cfg.User, cfg.Host)
	if why != "" {
		msg = why + "\n" + msg
	}
	d := dialog.NewForm(msg, "Connect", "Cancel", items, func(b bool) {
		if b {
			ok(pw.Text)
		}
	}, w.win)
	d.Resize(fyne.NewSize(420, 180))
	d.Show()
	w.win.Canvas().Focus(pw)
}

// confirm asks a yes/no question.
func (w *Window) confirm(title, msg string, yes func()) {
	dialog.NewConfirm(title, msg, func(b bool) {
		if b {
			yes()
		}
	}, w.win).Show()
}

// askText asks for one line of text.
func (w *Window) askText(title, label, initial string, ok func(string)) {
	e := widget.NewEntry()
	e.SetText(initial)
	d := dialog.NewForm(title, "OK", "Cancel", []*widget.FormItem{widget.NewFormItem(label, e)}, func(b bool) {
		if b && strings.TrimSpace(e.Text) != "" {
			ok(strings.TrimSpace(e.Text))
		}
	}, w.win)
	d.Resize(fyne.NewSize(460, 160))
	d.Show()
	w.win.Canvas().Focus(e)
}

var overwriteNames = []string{"Overwrite", "Overwrite if source newer", "Overwrite if size differs",
	"Overwrite if size differs or source newer", "Resume", "Rename", "Skip"} // queue.Replace … queue.Skip

// askOverwrite is the queue's Ask: it shows the overwrite prompt and blocks
// (on the queue's transfer goroutine) until the user answered or ctx ended.
func (w *Window) askOverwrite(ctx context.Context, c queue.Conflict) queue.Answer {
	answer := make(chan queue.Answer, 1)
	do(func() {
		radio := widget.NewRadioGroup(overwriteNames, nil)
		radio.SetSelected(overwriteNames[0])
		all := widget.NewCheck("Always use this action for this transfer (the folder or selection queued)", nil)
		target := c.Item.Local
		if c.TargetRemote {
			target = c.Item.Remote
		}
		info := widget.NewLabel(fmt.Sprintf("The target file already exists:\n%s\n\nSource: %s, %s\nTarget: %s, %s", target,
			humanSize(c.SourceSize), formatTime(c.SourceTime, listing.PrecisionMinute), humanSize(c.TargetSize), formatTime(c.TargetTime, listing.PrecisionMinute)))
		info.Wrapping = fyne.TextWrapBreak
		d := dialog.NewCustomConfirm("Target file already exists", "OK", "Cancel", container.NewVBox(info, radio, all), func(ok bool) {
			a := queue.Answer{Policy: queue.Skip, All: all.Checked}
			if ok {
				a.Policy = queue.Overwrite(indexOf(overwriteNames, radio.Selected) + 1)
			}
			answer <- a
		}, w.win)
		d.Resize(fyne.NewSize(560, 460))
		d.Show()
	})
	select {
	case a := <-answer:
		return a
	case <-ctx.Done():
		return queue.Answer{Policy: queue.Skip}
	}
}
