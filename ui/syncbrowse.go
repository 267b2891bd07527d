package ui

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
)

// Synchronized browsing (FileZilla's): while it is on, a pane that moves
// to another folder takes the other pane to the folder at the same place
// relative to the two folders shown when it was turned on. When the other
// side has no such folder it says so and offers to create it; declined,
// synchronized browsing turns off.

// follower is synchronized browsing of a pair, while it is on.
type follower struct {
	pp   *panePair
	base [2]string // the folders shown when it was turned on
	// led is the folder a pane is being taken to: its arrival is not a
	// move of its own (which, above a base at "/", would lead back).
	led [2]string
}

// moved follows p's move to dir with the other pane.
func (f *follower) moved(p *pane, dir string) {
	side := f.pp.side(p)
	if f.led[side] != "" {
		if f.led[side] == dir {
			f.led[side] = ""
			return
		}
		f.led[side] = ""
	}
	other := f.pp.paneOf(1 - side)
	target := path.Join(f.base[1-side], relPath(f.base[side], dir))
	if other.list == nil || other.cwd == target {
		return
	}
	f.lead(other, target)
}

// lead shows target in p: at once from the cache, else after listing it
// in the background.
func (f *follower) lead(p *pane, target string) {
	side := f.pp.side(p)
	if es, ok := p.cache.get(target); ok {
		f.led[side] = target
		p.show(target, es)
		return
	}
	p.gen++
	gen, list := p.gen, p.list
	p.status.SetText("Reading directory listing of \"" + target + "\"…")
	go func() {
		es, err := list(context.Background(), target)
		do(func() {
			if gen != p.gen || f.pp.follow != f {
				return
			}
			if err != nil {
				p.status.SetText(summary(p.table.entries))
				f.missing(p, target, err)
				return
			}
			p.cache.put(target, es)
			f.led[side] = target
			p.show(target, es)
			p.tree.tree.Refresh()
		})
	}()
}

// missing says that p's side cannot show target and offers to create it
// when it does not exist; otherwise, or declined, browsing stops following.
func (f *follower) missing(p *pane, target string, err error) {
	w := f.pp.w
	where := "locally"
	if p == f.pp.remote {
		where = "on the server"
	}
	if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, engine.ErrNotFound) {
		w.msgs.Error("Synchronized browsing: cannot list " + target + ": " + plainError(err))
		w.setFollow(false)
		return
	}
	w.msgs.Status("Synchronized browsing: " + target + " does not exist " + where + ".")
	d := dialog.NewConfirm("Synchronized browsing",
		"The folder "+target+" does not exist "+where+".\n\nCreate it, or turn synchronized browsing off?",
		func(create bool) {
			if !create {
				w.setFollow(false)
				return
			}
			f.create(p, target)
		}, w.win)
	d.SetConfirmText("Create folder")
	d.SetDismissText("Turn off")
	d.Show()
}

// create makes target on p's side, then shows it there.
func (f *follower) create(p *pane, target string) {
	w := f.pp.w
	mkdir := func() error { return os.MkdirAll(target, 0o755) }
	if p == f.pp.remote {
		conn := w.conn
		if conn == nil {
			w.setFollow(false)
			return
		}
		mkdir = func() error {
			return conn.do(context.Background(), func(s engine.Session) error { return s.Mkdir(context.Background(), target, true) })
		}
	}
	go func() {
		err := mkdir()
		do(func() {
			if f.pp.follow != f {
				return
			}
			if err != nil {
				w.showError("Cannot create "+target, err)
				w.setFollow(false)
				return
			}
			w.msgs.Status("Created " + target)
			p.cache.forget(path.Dir(target))
			f.lead(p, target)
		})
	}()
}

// relPath is dir relative to base, with ".." where dir is not below it.
func relPath(base, dir string) string {
	split := func(p string) []string {
		var out []string
		for _, s := range strings.Split(path.Clean(p), "/") {
			if s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	b, d := split(base), split(dir)
	i := 0
	for i < len(b) && i < len(d) && b[i] == d[i] {
		i++
	}
	parts := make([]string, 0, len(b)-i+len(d)-i)
	for range len(b) - i {
		parts = append(parts, "..")
	}
	parts = append(parts, d[i:]...)
	if len(parts) == 0 {
		return "."
	}
	return path.Join(parts...)
}

func (pp *panePair) paneOf(side int) *pane {
	if side == sideRemote {
		return pp.remote
	}
	return pp.local
}

// setFollow turns synchronized browsing on (from the folders the panes
// show now) or off.
func (w *Window) setFollow(on bool) {
	pp := w.pair()
	if on == (pp.follow != nil) {
		return
	}
	if on {
		cwds := pp.cwds()
		if !w.connected || cwds[sideLocal] == "" || cwds[sideRemote] == "" {
			w.showError("Synchronized browsing", errors.New("connect to a server first: the two panes follow each other from the folders they show"))
			return
		}
		pp.follow = &follower{pp: pp, base: cwds}
		w.msgs.Status("Synchronized browsing on: " + cwds[sideLocal] + " ↔ " + cwds[sideRemote])
	} else {
		pp.follow = nil
		w.msgs.Status("Synchronized browsing off")
	}
	w.sv.browseItem.Checked = on
	w.sv.refreshMenu(w)
}

// The toolbar's and the menus' entries of the comparison, synchronized
// browsing and Synchronize….
func (w *Window) compareTool() widget.ToolbarItem {
	return widget.NewToolbarAction(theme.ColorChromaticIcon(), func() { w.setCompare(w.pair().cmp == nil) })
}

func (w *Window) browseTool() widget.ToolbarItem {
	return widget.NewToolbarAction(theme.MailForwardIcon(), func() { w.setFollow(w.pair().follow == nil) })
}

func (w *Window) synchronizeTool() widget.ToolbarItem {
	return widget.NewToolbarAction(theme.SearchReplaceIcon(), func() { w.showSynchronize() })
}

func (w *Window) syncViewItems() []*fyne.MenuItem {
	return []*fyne.MenuItem{fyne.NewMenuItemSeparator(), w.sv.compareItem, w.sv.browseItem}
}

func (w *Window) syncTransferItems() []*fyne.MenuItem {
	return []*fyne.MenuItem{fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Synchronize…", w.showSynchronize)}
}
