package ui

// SSH in the window: the host key questions, the key passphrase and the
// server's keyboard-interactive prompts.
//
// Host keys are asked about the way certificates and plain FTP are: the
// login is refused before anything is sent (Config.ConfirmHostKey says no),
// connectFailed shows the key, and the answer goes into the config of the
// next attempt — TrustedFingerprints for "Trust once" (never recorded),
// a ConfirmHostKey that accepts exactly that key for "Always trust" (the
// engine appends it to Skiff's known-hosts file). The connecting goroutine
// never waits on a dialog for them.
//
// A passphrase and keyboard-interactive answers cannot be known before the
// server asks: those callbacks run on the engine's goroutine, show their
// dialog with do and wait for the answer or the end of the login (askOnUI,
// as askOverwrite does for the queue). The UI goroutine never waits.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/crypto/ssh"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/sftp"
)

// errCancelled is the user closing a login prompt: the login stops, and
// the window says nothing more about it.
var errCancelled = errors.New("cancelled at the login prompt")

// sshSetup fills what an SFTP login from the window needs and the caller did
// not set: Skiff's known-hosts file, the passphrase and keyboard-interactive
// prompts.
func (w *Window) sshSetup(cfg *engine.Config) {
	if cfg.KnownHostsFile == "" {
		cfg.KnownHostsFile = w.knownHostsFile()
	}
	if cfg.Passphrase == nil {
		cfg.Passphrase = w.passphrases.ask(w, "")
	}
	if cfg.KeyboardInteractive == nil {
		cfg.KeyboardInteractive = w.keyboardInteractive(cfg.User+"@"+cfg.Addr(), cfg.Password)
	}
}

// knownHostsFile is Skiff's own known-hosts file: Options.KnownHostsFile,
// else the one next to the site store (the command line's too).
func (w *Window) knownHostsFile() string {
	if w.opts.KnownHostsFile != "" {
		return w.opts.KnownHostsFile
	}
	if w.opts.Sites != nil {
		return w.opts.Sites.KnownHostsPath()
	}
	if dir, err := bookmarks.DirFromEnv(os.Getenv); err == nil {
		return filepath.Join(dir, bookmarks.KnownHostsName)
	}
	return ""
}

// hostKeyPrompt shows a host key seen for the first time and asks to trust
// it once or always; accept is not called on cancel.
func (w *Window) hostKeyPrompt(e *sftp.HostKeyError, accept func(always bool)) {
	fp := widget.NewLabel(e.New)
	fp.Selectable = true
	fp.TextStyle.Monospace = true
	form := widget.NewForm(
		widget.NewFormItem("Host", widget.NewLabel(e.Host)),
		widget.NewFormItem("Key type", widget.NewLabel(e.KeyType)),
		widget.NewFormItem("Fingerprint", fp),
	)
	why := widget.NewLabel("The server's host key is not known. There is no guarantee that the server is the computer you think it is.\n\n" +
		"Compare the fingerprint with the one the server's administrator gives you (ssh-keygen -lf on the server's key) before trusting it. " +
		"\"Always trust\" adds the key to Skiff's known hosts: " + w.knownHostsFile())
	why.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	once := widget.NewButton("Trust once", func() { d.Hide(); accept(false) })
	always := widget.NewButton("Always trust", func() { d.Hide(); accept(true) })
	always.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("Unknown host key", container.NewVBox(why, form), w.win)
	d.SetButtons([]fyne.CanvasObject{cancel, once, always})
	d.Resize(fyne.NewSize(640, 340))
	d.Show()
}

// trustHostKey puts the user's answer about the host key fp into cfg for
// the next attempt: once, fp joins TrustedFingerprints (never recorded);
// always, ConfirmHostKey accepts exactly fp, and the engine records it in
// Skiff's known-hosts file when it sees it again.
func trustHostKey(cfg *engine.Config, fp string, always bool) {
	if always {
		cfg.ConfirmHostKey = func(_ context.Context, _, shown string) bool { return shown == fp }
		return
	}
	cfg.TrustedFingerprints = append(slices.Clone(cfg.TrustedFingerprints), fp)
}

// hostKeyChanged says loudly that a known host's key changed. There is no
// button that connects: only removing the old entry gets past it.
func (w *Window) hostKeyChanged(e *sftp.HostKeyError) {
	head := widget.NewLabel("WARNING: THE HOST KEY OF " + e.Host + " HAS CHANGED")
	head.Importance = widget.DangerImportance
	head.TextStyle.Bold = true
	head.Wrapping = fyne.TextWrapWord
	mono := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.Selectable = true
		l.TextStyle.Monospace = true
		return l
	}
	form := widget.NewForm(
		widget.NewFormItem("On record", mono(strings.Join(e.Old, "\n"))),
		widget.NewFormItem("Server shows", mono(e.New+" ("+e.KeyType+")")),
	)
	home, _ := os.UserHomeDir()
	why := widget.NewLabel("Someone may be intercepting the connection (a man-in-the-middle attack), or the server's key was replaced. " +
		"Skiff did not log in and sent no password.\n\n" +
		"If the server's administrator confirms the new key, remove the old entry for this host from " + w.knownHostsFile() +
		" or " + filepath.Join(home, ".ssh", "known_hosts") + " (ssh-keygen -R host -f FILE) and connect again.")
	why.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Host key changed: connection refused", "Close", container.NewVBox(head, form, why), w.win)
	d.Resize(fyne.NewSize(680, 380))
	d.Show()
}

// askOnUI shows a dialog from an engine goroutine and waits for its answer
// or the end of ctx (the dialog is then closed). show runs on the UI
// goroutine; it calls answer once (ok false: cancelled) and returns the
// dialog.
func askOnUI[T any](ctx context.Context, show func(answer func(v T, ok bool)) dialog.Dialog) (T, error) {
	type reply struct {
		v  T
		ok bool
	}
	ch := make(chan reply, 1)
	var d dialog.Dialog
	do(func() {
		d = show(func(v T, ok bool) {
			select {
			case ch <- reply{v, ok}:
			default:
			}
		})
	})
	select {
	case r := <-ch:
		if !r.ok {
			var zero T
			return zero, errCancelled
		}
		return r.v, nil
	case <-ctx.Done():
		do(func() {
			if d != nil {
				d.Hide()
			}
		})
		var zero T
		return zero, ctx.Err()
	}
}

// keyboardInteractive is Config.KeyboardInteractive for the window: the
// server's own questions (one-time codes, several prompts) in a dialog. The
// one exception is a login that has a password and is asked exactly one
// question, a password prompt (sftp.IsPasswordPrompt: PAM's "Password: "):
// it is answered with the password once per login, as FileZilla does. A
// second password prompt shows the dialog, so a wrong password is never
// repeated unseen, and a one-time code is never answered with it.
func (w *Window) keyboardInteractive(who, password string) func(ctx context.Context, name, instr string, qs []string, echos []bool) ([]string, error) {
	var mu sync.Mutex
	answered := map[context.Context]bool{} // logins (one ctx each) whose password prompt was answered
	return func(ctx context.Context, name, instr string, qs []string, echos []bool) ([]string, error) {
		if len(qs) == 0 {
			return nil, nil // an information-only round
		}
		if password != "" && len(qs) == 1 && sftp.IsPasswordPrompt(qs[0], echos[0]) {
			mu.Lock()
			first := !answered[ctx]
			if first {
				answered[ctx] = true
				context.AfterFunc(ctx, func() { mu.Lock(); delete(answered, ctx); mu.Unlock() })
			}
			mu.Unlock()
			if first {
				return []string{password}, nil
			}
		}
		return askOnUI(ctx, func(answer func([]string, bool)) dialog.Dialog {
			return w.promptsDialog(who, name, instr, qs, echos, answer)
		})
	}
}

// promptsDialog shows the server's keyboard-interactive questions as sent,
// for the login who (user@host:port).
func (w *Window) promptsDialog(who, name, instr string, qs []string, echos []bool, answer func([]string, bool)) dialog.Dialog {
	entries := make([]*widget.Entry, len(qs))
	items := make([]*widget.FormItem, len(qs))
	for i, q := range qs {
		e := widget.NewEntry()
		if !echos[i] {
			e = widget.NewPasswordEntry()
		}
		entries[i] = e
		items[i] = widget.NewFormItem(strings.TrimSpace(q), e)
	}
	title := "The server asks"
	if strings.TrimSpace(name) != "" {
		title = strings.TrimSpace(name)
	}
	top := []fyne.CanvasObject{widget.NewLabel("The server asks, for " + who + ":")}
	if s := strings.TrimSpace(instr); s != "" {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		top = append(top, l)
	}
	form := widget.NewForm(items...)
	var d *dialog.CustomDialog
	submit := func() {
		ans := make([]string, len(entries))
		for i, e := range entries {
			ans[i] = e.Text
		}
		d.Hide()
		answer(ans, true)
	}
	for _, e := range entries {
		e.OnSubmitted = func(string) { submit() }
	}
	ok := widget.NewButton("OK", submit)
	ok.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { d.Hide(); answer(nil, false) })
	d = dialog.NewCustomWithoutButtons(title, container.NewVBox(append(top, form)...), w.win)
	d.SetButtons([]fyne.CanvasObject{cancel, ok})
	d.Resize(fyne.NewSize(480, 160+40*float32(len(qs))))
	d.Show()
	w.win.Canvas().Focus(entries[0])
	return d
}

// passphrases keeps the passphrases of key files typed this session, in
// memory only, so the queue's connections do not ask again.
type passphrases struct {
	mu    sync.Mutex
	known map[string]string // key file → passphrase
}

func (p *passphrases) get(file string) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pp, ok := p.known[file]
	return pp, ok
}

func (p *passphrases) set(file, pp string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.known == nil {
		p.known = map[string]string{}
	}
	p.known[file] = pp
}

// ask is Config.Passphrase for the window. A passphrase is tried on the key
// before it is given to the engine: this session's, or the one the keychain
// keeps for the saved site siteID, else the user's answer, asked again
// while it does not open the key. With a siteID the dialog offers to keep it
// in the keychain. It runs on the engine's goroutine, keychain call included.
func (p *passphrases) ask(w *Window, siteID string) func(ctx context.Context, file string) (string, error) {
	return func(ctx context.Context, file string) (string, error) {
		raw, err := os.ReadFile(file)
		if err != nil {
			return "", err
		}
		opens := func(pp string) bool { _, err := ssh.ParsePrivateKeyWithPassphrase(raw, []byte(pp)); return err == nil }
		if pp, ok := p.get(file); ok && opens(pp) {
			return pp, nil
		}
		if stored := w.storedPassphrase(ctx, siteID); stored != "" && opens(stored) {
			p.set(file, stored)
			return stored, nil
		}
		why := ""
		for {
			a, err := askOnUI(ctx, func(answer func(passphraseAnswer, bool)) dialog.Dialog {
				return w.passphraseDialog(file, why, siteID != "", answer)
			})
			if err != nil {
				return "", err
			}
			if !opens(a.pp) {
				why = "That passphrase does not open the key."
				continue
			}
			p.set(file, a.pp)
			if a.remember && siteID != "" {
				w.rememberPassphrase(siteID, a.pp)
			}
			return a.pp, nil
		}
	}
}

type passphraseAnswer struct {
	pp       string
	remember bool
}

// passphraseDialog asks for the passphrase of an encrypted key file.
func (w *Window) passphraseDialog(file, why string, canRemember bool, answer func(passphraseAnswer, bool)) dialog.Dialog {
	pp := widget.NewPasswordEntry()
	remember := widget.NewCheck("Remember the passphrase in the keychain", nil)
	items := []*widget.FormItem{widget.NewFormItem("Passphrase", pp)}
	if canRemember {
		items = append(items, widget.NewFormItem("", remember))
	}
	msg := "The key " + file + " is encrypted."
	if why != "" {
		msg = why + "\n" + msg
	}
	d := dialog.NewForm(msg, "OK", "Cancel", items, func(ok bool) {
		answer(passphraseAnswer{pp.Text, remember.Checked}, ok)
	}, w.win)
	d.Resize(fyne.NewSize(520, 200))
	d.Show()
	w.win.Canvas().Focus(pp)
	return d
}

// storedPassphrase returns the key passphrase the keychain keeps for the
// saved site siteID, or "".
func (w *Window) storedPassphrase(ctx context.Context, siteID string) string {
	st := w.opts.Sites
	if siteID == "" || st == nil || st.Secrets == nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, keychainTimeout)
	defer cancel()
	pp, _ := st.Secrets.Get(ctx, bookmarks.PassphraseID(siteID))
	return pp
}

// rememberPassphrase keeps a site's key passphrase in the keychain, off the
// calling goroutine's way.
func (w *Window) rememberPassphrase(siteID, pp string) {
	st := w.opts.Sites
	if st == nil || st.Secrets == nil {
		w.msgs.Error("The passphrase is not saved: " + noKeychainNote)
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), keychainTimeout)
		defer cancel()
		if err := st.Secrets.Set(ctx, bookmarks.PassphraseID(siteID), pp); err != nil {
			w.msgs.Error(fmt.Sprintf("The passphrase is not saved: %v", err))
		}
	}()
}
