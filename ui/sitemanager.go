package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/sftp"
	"github.com/skiff-ftp/skiff/internal/connect"
)

// SiteStore is the saved sites: bookmarks.Store, whose Secrets keychain holds
// the passwords.
type SiteStore = *bookmarks.Store

// keychainTimeout bounds a keychain call from the site manager.
const keychainTimeout = 10 * time.Second

// noKeychainNote is shown when a password cannot be saved.
const noKeychainNote = "No keychain is available, so this password is not saved: Skiff will ask for it each session and never writes it anywhere else."

// siteManager is the site manager dialog: the folder tree of sites on the
// left, the selected site's form on the right. Every store and keychain call
// runs in a goroutine; results come back with fyne.Do.
type siteManager struct {
	w      *Window
	store  SiteStore
	tree   *bookmarks.Tree
	view   *widget.Tree
	form   *siteForm
	sel    string // selected site or folder ID
	dlg    *dialog.CustomDialog
	status *widget.Label
	hint   *widget.Label
	right  *fyne.Container
	split  *container.Split
	gen    int // reload generation: an older load finishing late is dropped

	afterSelect func(id string) // tests: the form shows id
}

func newSiteManager(w *Window, s SiteStore) *siteManager {
	sm := &siteManager{w: w, store: s, tree: bookmarks.NewTree(), form: newSiteForm(), status: widget.NewLabel("")}
	sm.status.Wrapping = fyne.TextWrapWord
	sm.view = widget.NewTree(
		func(id string) []string { return sm.tree.Children(id) },
		func(id string) bool { return id == bookmarks.RootID || sm.tree.IsFolder(id) },
		func(branch bool) fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewIcon(theme.FolderIcon()), nil, widget.NewLabel(""))
		},
		func(id string, branch bool, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(sm.name(id))
			icon := theme.ComputerIcon()
			if branch {
				icon = theme.FolderIcon()
			}
			c.Objects[1].(*widget.Icon).SetResource(icon)
		})
	sm.view.OnSelected = sm.selected
	sm.form.pickFile = sm.pickKeyFile
	return sm
}

// pickKeyFile shows a file picker for an SSH private key, starting in ~/.ssh.
func (sm *siteManager) pickKeyFile(done func(string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		done(r.URI().Path())
		r.Close()
	}, sm.w.win)
	if home, err := os.UserHomeDir(); err == nil {
		if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Join(home, ".ssh"))); err == nil {
			d.SetLocation(l)
		}
	}
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

func (sm *siteManager) name(id string) string {
	if f, ok := sm.tree.Folder(id); ok {
		return f.Name
	}
	if s, ok := sm.tree.Site(id); ok {
		return s.Name
	}
	return id
}

// reload reads the store in the background and shows it.
func (sm *siteManager) reload(then func()) {
	sm.gen++
	gen := sm.gen
	go func() {
		t, err := sm.store.Load()
		do(func() {
			if gen != sm.gen {
				return
			}
			if err != nil {
				sm.status.SetText(err.Error())
				var ce *bookmarks.CorruptError
				if errors.As(err, &ce) && ce.Backup != "" {
					sm.w.confirm("Site file damaged", err.Error()+"\n\nRestore the backup from "+ce.BackupTime.Local().Format("2006-01-02 15:04")+"?", func() {
						go func() { _, err := sm.store.RestoreBackup(); do(func() { sm.done(err) }) }()
					})
				}
				return
			}
			sm.tree = t
			sm.w.sitesKnown(t)
			sm.view.Refresh()
			if then != nil {
				then()
			}
		})
	}()
}

// change runs op on the store off the UI goroutine, then reloads.
func (sm *siteManager) change(op func() error) {
	go func() {
		err := op()
		do(func() { sm.done(err) })
	}()
}

// changeSelect is change for operations that create an entry: op returns
// its ID, which is selected once the tree shows it.
func (sm *siteManager) changeSelect(op func() (string, error)) {
	go func() {
		id, err := op()
		do(func() {
			if id != "" {
				sm.sel = id
			}
			sm.done(err)
		})
	}()
}

func (sm *siteManager) done(err error) {
	if err != nil {
		sm.status.SetText(err.Error())
	}
	sm.reload(func() {
		id := sm.sel
		sm.view.UnselectAll() // so that Select calls selected exactly once
		if id == "" {
			sm.selected("")
			return
		}
		sm.view.Select(id)
	})
}

func (sm *siteManager) selected(id string) {
	sm.sel = id
	s, ok := sm.tree.Site(id)
	if !ok {
		sm.showForm(false)
		return
	}
	sm.showForm(true)
	sm.form.set(s)
	if s.NeedsPassword() && sm.store.Secrets != nil {
		kc, sid := sm.store.Secrets, s.ID
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), keychainTimeout)
			defer cancel()
			pw, err := kc.Get(ctx, sid)
			do(func() {
				if sm.sel != sid {
					return
				}
				if err == nil {
					sm.form.pass.SetText(pw)
				} else if !errors.Is(err, bookmarks.ErrNoPassword) {
					sm.form.keychainNote.SetText(err.Error() + "\n" + noKeychainNote)
				}
			})
		}()
	} else if s.NeedsPassword() {
		sm.form.keychainNote.SetText(noKeychainNote)
	}
	if sm.afterSelect != nil {
		sm.afterSelect(id)
	}
}

// showForm shows the site form, or a hint when a folder is selected. The
// split is laid out again: a container shown after being hidden keeps the
// size it had.
func (sm *siteManager) showForm(on bool) {
	if on {
		sm.form.tabs.Show()
		sm.hint.Hide()
	} else {
		sm.form.tabs.Hide()
		sm.hint.Show()
	}
	sm.right.Refresh()
	sm.split.Refresh()
}

// folderFor is where a new entry goes: the selected folder, or the folder of
// the selected site.
func (sm *siteManager) folderFor() string {
	if sm.tree.IsFolder(sm.sel) {
		return sm.sel
	}
	if p, ok := sm.tree.Parent(sm.sel); ok {
		return p.ID
	}
	return bookmarks.RootID
}

func (sm *siteManager) freeName(parent, base string) string {
	names := map[string]bool{}
	for _, id := range sm.tree.Children(parent) {
		names[sm.name(id)] = true
	}
	n := base
	for i := 2; names[n]; i++ {
		n = fmt.Sprintf("%s %d", base, i)
	}
	return n
}

func (sm *siteManager) newSite() {
	parent := sm.folderFor()
	site := bookmarks.Site{Name: sm.freeName(parent, "New site"), Host: "example.com", Protocol: bookmarks.FTP,
		Security: bookmarks.TLSIfAvailable, Logon: bookmarks.Normal}
	sm.changeSelect(func() (string, error) {
		s, err := sm.store.AddSite(parent, site)
		return s.ID, err
	})
}

func (sm *siteManager) newFolder() {
	parent := sm.folderFor()
	name := sm.freeName(parent, "New folder")
	sm.changeSelect(func() (string, error) {
		f, err := sm.store.AddFolder(parent, name)
		return f.ID, err
	})
}

func (sm *siteManager) rename() {
	id := sm.sel
	if id == "" {
		return
	}
	sm.w.askText("Rename", "New name", sm.name(id), func(n string) { sm.change(func() error { return sm.store.Rename(id, n) }) })
}

func (sm *siteManager) duplicate() {
	id := sm.sel
	if id == "" {
		return
	}
	sm.changeSelect(func() (string, error) {
		return sm.store.Duplicate(context.Background(), id)
	})
}

func (sm *siteManager) remove() {
	id := sm.sel
	if id == "" {
		return
	}
	sm.w.confirm("Delete", fmt.Sprintf("Really delete %q?", sm.name(id)), func() {
		sm.sel = ""
		sm.change(func() error { return sm.store.Delete(context.Background(), id) })
	})
}

// move asks for a target folder and moves the selection there.
func (sm *siteManager) move() {
	id := sm.sel
	if id == "" {
		return
	}
	paths := []string{"/"}
	ids := []string{bookmarks.RootID}
	sm.tree.Walk(func(names []string, f *bookmarks.Folder, s *bookmarks.Site) bool {
		if f != nil && f.ID != bookmarks.RootID && f.ID != id {
			paths = append(paths, "/"+bookmarks.JoinPath(names...))
			ids = append(ids, f.ID)
		}
		return true
	})
	sel := widget.NewSelect(paths, nil)
	sel.SetSelectedIndex(0)
	dialog.ShowForm("Move "+sm.name(id), "Move", "Cancel", []*widget.FormItem{widget.NewFormItem("To folder", sel)}, func(ok bool) {
		if ok {
			to := ids[slices.Index(paths, sel.Selected)]
			sm.change(func() error { return sm.store.Move(id, to) })
		}
	}, sm.w.win)
}

// save stores the form (and the password in the keychain); then runs next.
func (sm *siteManager) save(next func(s bookmarks.Site, password string)) {
	cur, ok := sm.tree.Site(sm.sel)
	if !ok {
		return
	}
	s := *cur.Clone()
	if err := sm.form.apply(&s); err != nil {
		sm.status.SetText(err.Error())
		return
	}
	if err := s.Validate(); err != nil {
		sm.status.SetText(err.Error())
		return
	}
	pw := sm.form.pass.Text
	proxyPw := sm.form.proxy.pass.Text
	hadProxyPw := cur.Proxy.Enabled() && cur.Proxy.User != "" // may have one saved to remove
	kc := sm.store.Secrets
	go func() {
		err := sm.store.UpdateSite(s)
		var kerr error
		if err == nil && s.NeedsPassword() && pw != "" {
			if kc == nil {
				kerr = errors.New(noKeychainNote)
			} else {
				ctx, cancel := context.WithTimeout(context.Background(), keychainTimeout)
				kerr = kc.Set(ctx, s.ID, pw)
				cancel()
			}
		}
		if err == nil && kerr == nil && (proxyPw != "" || hadProxyPw) {
			ctx, cancel := context.WithTimeout(context.Background(), keychainTimeout)
			kerr = sm.store.SetSiteProxyPassword(ctx, &s, proxyPw)
			cancel()
		}
		do(func() {
			if err != nil {
				sm.status.SetText(err.Error())
				return
			}
			if kerr != nil {
				sm.form.keychainNote.SetText(kerr.Error() + "\n" + noKeychainNote)
			} else {
				sm.status.SetText("Saved " + s.Name + ".")
			}
			sm.reload(nil)
			if next != nil {
				next(s, pw)
			}
		})
	}()
}

// connect saves the site and opens it in the window.
func (sm *siteManager) connect() {
	sm.save(func(s bookmarks.Site, pw string) {
		sm.dlg.Hide()
		sm.w.connectSite(&s, pw)
	})
}

// testConnection logs in once with the form's settings and says how it went.
func (sm *siteManager) testConnection() {
	cur, ok := sm.tree.Site(sm.sel)
	if !ok || sm.w.opts.Dialer == nil {
		return
	}
	s := *cur.Clone()
	if err := sm.form.apply(&s); err != nil {
		sm.status.SetText(err.Error())
		return
	}
	cfg, err := connect.SiteConfig(&s, sm.form.pass.Text)
	if err != nil {
		sm.status.SetText(err.Error())
		return
	}
	cfg.Trace = sm.w.msgs.Add
	if cfg.Protocol == engine.ProtocolSFTP {
		cfg.Passphrase = sm.w.passphrases.ask(sm.w, s.ID)
		sm.w.sshSetup(&cfg)
	}
	sm.w.withProxy(&s, sm.form.proxy.pass.Text, cfg, sm.runTest)
}

// runTest logs in once with cfg and reports in the status line; an unknown
// SFTP host key is asked about (and the test run again), a changed one shown.
func (sm *siteManager) runTest(cfg engine.Config) {
	sm.status.SetText("Connecting to " + cfg.Addr() + "…")
	d := sm.w.opts.Dialer
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), loginTimeout(cfg))
		defer cancel()
		sess, err := d.Dial(ctx, cfg)
		var f engine.Features
		if err == nil {
			f = sess.Features()
			sess.Close()
		}
		do(func() {
			var hke *sftp.HostKeyError
			switch {
			case errors.As(err, &hke) && !hke.Changed():
				sm.status.SetText("The server's host key is not known yet.")
				sm.w.hostKeyPrompt(hke, func(always bool) {
					trustHostKey(&cfg, hke.New, always)
					sm.runTest(cfg)
				})
				return
			case errors.As(err, &hke):
				sm.w.hostKeyChanged(hke)
			}
			if err != nil {
				sm.status.SetText("Test failed: " + plainError(err))
				return
			}
			tls := "without TLS"
			if f.TLS {
				tls = "with TLS"
			}
			if cfg.Protocol == engine.ProtocolSFTP {
				tls = "SSH"
			}
			sm.status.SetText(fmt.Sprintf("Connection OK (%s, %s).", tls, f.System))
		})
	}()
}

// trust remembers a certificate fingerprint in the saved site with cfg's host.
func (sm *siteManager) trust(cfg engine.Config, fp string) {
	go func() {
		_, _ = sm.store.Update(func(t *bookmarks.Tree) error {
			for _, s := range t.Sites() {
				if s.Host == cfg.Host && (s.Port == cfg.Port || s.Port == 0 && cfg.Port == 0) && !slices.Contains(s.TrustedFingerprints, fp) {
					s.TrustedFingerprints = append(s.TrustedFingerprints, fp)
				}
			}
			return nil
		})
	}()
}

// connectByPath connects to the site "Folder/Name" (skiff --site).
func (sm *siteManager) connectByPath(p string) {
	go func() {
		t, err := sm.store.Load()
		var s *bookmarks.Site
		if err == nil {
			s, err = t.LookupSite(p)
		}
		do(func() {
			if err != nil {
				sm.w.showError("Cannot open site "+p, err)
				return
			}
			sm.w.connectSite(s, "")
		})
	}()
}

func (sm *siteManager) show() {
	if sm.dlg == nil {
		tools := container.NewGridWithColumns(3,
			widget.NewButtonWithIcon("New site", theme.ContentAddIcon(), sm.newSite),
			widget.NewButtonWithIcon("New folder", theme.FolderNewIcon(), sm.newFolder),
			widget.NewButton("Rename", sm.rename),
			widget.NewButton("Duplicate", sm.duplicate),
			widget.NewButton("Move…", sm.move),
			widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), sm.remove),
		)
		left := container.NewBorder(widget.NewLabel("Select entry:"), tools, nil, nil, sm.view)
		sm.hint = widget.NewLabel("Select a site to edit it, or create one with \"New site\".")
		// Not wrapped: inside a Center container a wrapping label gets its
		// minimum width and wraps after every character.
		sm.hint.Alignment = fyne.TextAlignCenter
		sm.right = container.NewStack(sm.form.tabs, container.NewCenter(sm.hint))
		sm.split = container.NewHSplit(left, sm.right)
		sm.split.SetOffset(0.35)
		connect := widget.NewButtonWithIcon("Connect", theme.LoginIcon(), sm.connect)
		connect.Importance = widget.HighImportance
		buttons := container.NewHBox(
			widget.NewButton("Import from FileZilla…", sm.w.importFileZilla),
			widget.NewButton("Test connection", sm.testConnection),
			widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), func() { sm.save(nil) }),
			connect,
			widget.NewButton("Close", func() { sm.dlg.Hide() }),
		)
		content := container.NewBorder(nil, container.NewVBox(sm.status, buttons), nil, nil, sm.split)
		sm.dlg = dialog.NewCustomWithoutButtons("Site Manager", content, sm.w.win)
	}
	sm.dlg.Resize(fyne.NewSize(980, 620))
	sm.showForm(false)
	sm.dlg.Show()
	sm.reload(func() { sm.view.OpenAllBranches() })
}

// connectSite connects to a saved site, fetching its password from the
// keychain in the background, or asking for it (Ask logon, no keychain).
func (w *Window) connectSite(s *bookmarks.Site, password string) {
	cfg, err := connect.SiteConfig(s, password)
	if err != nil {
		w.showError("Cannot connect", err)
		return
	}
	t := w.useTab(s.Name)
	w.withProxy(s, "", cfg, func(cfg engine.Config) { w.inTab(t, func() { w.connectSiteConfig(s, password, cfg) }) })
}

// connectSiteConfig is connectSite once the proxy is known.
func (w *Window) connectSiteConfig(s *bookmarks.Site, password string, cfg engine.Config) {
	if s.LocalDir != "" {
		w.local.Open(s.LocalDir)
	}
	if l, ok := w.opts.Transfers.(interface{ LimitSite(engine.SiteKey, int) }); ok {
		l.LimitSite(cfg.Key(), s.MaxConnections)
	}
	if cfg.Protocol == engine.ProtocolSFTP {
		cfg.Passphrase = w.passphrases.ask(w, s.ID) // may keep it in the site's keychain item
	}
	// SFTP's interactive logon answers the server's own questions
	// (keyboardInteractive), not a password asked in advance.
	if s.Logon == bookmarks.Ask || s.Logon == bookmarks.Interactive && cfg.Protocol != engine.ProtocolSFTP {
		if password == "" {
			w.passwordPrompt(cfg, "", func(pw string) { cfg.Password = pw; w.Connect(cfg, s.RemoteDir) })
			return
		}
	}
	if !s.NeedsPassword() || password != "" || w.opts.Sites == nil {
		w.Connect(cfg, s.RemoteDir)
		return
	}
	kc := w.opts.Sites.Secrets
	go func() {
		var pw string
		err := errors.New(noKeychainNote)
		if kc != nil {
			ctx, cancel := context.WithTimeout(context.Background(), keychainTimeout)
			pw, err = kc.Get(ctx, s.ID)
			cancel()
		}
		do(func() {
			if err != nil {
				w.passwordPrompt(cfg, plainError(err), func(p string) { cfg.Password = p; w.Connect(cfg, s.RemoteDir) })
				return
			}
			cfg.Password = pw
			w.Connect(cfg, s.RemoteDir)
		})
	}()
}
