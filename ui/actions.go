package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

var errNotConnected = errors.New("not connected to a server")

// localOp runs fn off the UI goroutine and refreshes the local pane.
func (w *Window) localOp(what string, fn func() error) {
	go func() {
		err := fn()
		do(func() {
			if err != nil {
				w.showError(what, err)
			}
			w.local.Refresh()
		})
	}()
}

func (w *Window) remoteActivate(e *listing.Entry) {
	switch {
	case e == nil:
		w.remote.Up()
	case e.IsDir() || e.Type == listing.Link:
		w.remote.Open(path.Join(w.remote.cwd, e.Name))
	default:
		w.queueDownload([]*listing.Entry{e})
	}
}

func (w *Window) localActivate(e *listing.Entry) {
	switch {
	case e == nil:
		w.local.Up()
	case e.IsDir():
		w.local.Open(filepath.Join(w.local.cwd, e.Name))
	default:
		w.queueUpload([]*listing.Entry{e})
	}
}

func (w *Window) download() { w.queueDownload(w.remote.table.Selected()) }
func (w *Window) upload()   { w.queueUpload(w.local.table.Selected()) }

// queueDownload queues the remote entries into the local folder shown.
func (w *Window) queueDownload(es []*listing.Entry) {
	if len(es) == 0 {
		return
	}
	if !w.connected || w.opts.Transfers == nil || w.local.cwd == "" {
		w.showError("Download", errNotConnected)
		return
	}
	w.batch(func() {
		for _, e := range es {
			w.opts.Transfers.Download(w.cfg, path.Join(w.remote.cwd, e.Name), w.local.cwd, e.Name, e.IsDir(), e.Size)
		}
	})
	w.msgs.Status(fmt.Sprintf("Queued %d item(s) for download to %s", len(es), w.local.cwd))
}

// batch queues the transfers fn asks for as one selection, which shares
// one "always use this action" answer, when the queue can.
func (w *Window) batch(fn func()) {
	if b, ok := w.opts.Transfers.(batcher); ok {
		b.Batch(fn)
		return
	}
	fn()
}

// queueUpload queues the local entries into the remote folder shown.
func (w *Window) queueUpload(es []*listing.Entry) {
	if len(es) == 0 {
		return
	}
	if !w.connected || w.opts.Transfers == nil || w.remote.cwd == "" {
		w.showError("Upload", errNotConnected)
		return
	}
	w.batch(func() {
		for _, e := range es {
			w.opts.Transfers.Upload(w.cfg, filepath.Join(w.local.cwd, e.Name), path.Join(w.remote.cwd, e.Name), e.IsDir(), e.Size)
		}
	})
	w.msgs.Status(fmt.Sprintf("Queued %d item(s) for upload to %s", len(es), w.remote.cwd))
}

// dropped uploads files dropped from the desktop onto the remote pane.
func (w *Window) dropped(pos fyne.Position, uris []fyne.URI) {
	if !contains(w.remote.content, pos) {
		return
	}
	if !w.connected || w.opts.Transfers == nil {
		w.showError("Upload", errNotConnected)
		return
	}
	paths := make([]string, 0, len(uris))
	for _, u := range uris {
		if u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	_, dir := w.dropTarget(pos) // a folder row or tree folder, else the folder shown
	cfg, q := w.cfg, w.opts.Transfers
	go func() { // stat off the UI goroutine
		for _, p := range paths {
			fi, err := statLocal(p)
			if err != nil {
				continue
			}
			e := localEntry(p, fi)
			do(func() { q.Upload(cfg, p, path.Join(dir, filepath.Base(p)), e.IsDir(), e.Size) })
		}
	}()
}

func (w *Window) newFolder(p *pane) {
	if p == w.remote {
		if w.conn == nil {
			return
		}
		dir := w.remote.cwd
		w.askText("Create directory", "Name", "New directory", func(name string) {
			target := path.Join(dir, name)
			w.remoteOp("Create directory "+target, func(ctx context.Context, s engine.Session) error { return s.Mkdir(ctx, target, false) })
		})
		return
	}
	dir := w.local.cwd
	w.askText("Create directory", "Name", "New directory", func(name string) {
		w.localOp("Create directory", func() error { return localMkdir(filepath.Join(dir, name)) })
	})
}

func (w *Window) rename(p *pane) {
	sel := p.table.Selected()
	if len(sel) != 1 {
		return
	}
	old := sel[0].Name
	dir := p.cwd
	w.askText("Rename", "New name", old, func(name string) {
		if name == old {
			return
		}
		if p == w.remote {
			from, to := path.Join(dir, old), path.Join(dir, name)
			w.remoteOp("Rename "+from, func(ctx context.Context, s engine.Session) error { return s.Rename(ctx, from, to) })
			return
		}
		w.localOp("Rename", func() error { return localRename(filepath.Join(dir, old), filepath.Join(dir, name)) })
	})
}

func (w *Window) deleteSelected(p *pane) {
	sel := p.table.Selected()
	if len(sel) == 0 {
		return
	}
	dirs := 0
	for _, e := range sel {
		if e.IsDir() {
			dirs++
		}
	}
	msg := fmt.Sprintf("Really delete %d file(s) and %d folder(s) with all their contents?", len(sel)-dirs, dirs)
	if len(sel) == 1 {
		msg = fmt.Sprintf("Really delete %q?", sel[0].Name)
		if dirs == 1 {
			msg = fmt.Sprintf("Really delete the folder %q and everything in it?", sel[0].Name)
		}
	}
	type target struct {
		path string
		dir  bool
	}
	var ts []target
	for _, e := range sel {
		if p == w.remote {
			ts = append(ts, target{path.Join(p.cwd, e.Name), e.IsDir()})
		} else {
			ts = append(ts, target{filepath.Join(p.cwd, e.Name), e.IsDir()})
		}
	}
	w.confirm("Confirm deletion", msg, func() {
		if p == w.remote {
			w.remoteOp("Delete", func(ctx context.Context, s engine.Session) error {
				var errs []error
				for _, t := range ts {
					var err error
					if t.dir {
						err = s.RemoveAll(ctx, t.path)
					} else {
						err = s.Delete(ctx, t.path)
					}
					errs = append(errs, err)
				}
				return errors.Join(errs...)
			})
			return
		}
		w.localOp("Delete", func() error {
			var errs []error
			for _, t := range ts {
				errs = append(errs, localRemove(t.path))
			}
			return errors.Join(errs...)
		})
	})
}

// copyURL puts the selected remote entries' URLs (without password) on the clipboard.
func (w *Window) copyURL() {
	var lines []string
	base := w.cfg.URL("")
	if w.cfg.User != "" && w.cfg.User != "anonymous" {
		if u, err := url.Parse(base); err == nil {
			u.User = url.User(w.cfg.User)
			base = u.String()
		}
	}
	for _, e := range w.remote.table.Selected() {
		u, err := url.Parse(base)
		if err != nil {
			continue
		}
		u.Path = path.Join(w.remote.cwd, e.Name)
		lines = append(lines, u.String())
	}
	if len(lines) > 0 {
		w.app.Clipboard().SetContent(strings.Join(lines, "\n"))
	}
}

// customCommand sends a raw command on the browsing connection and logs the reply.
func (w *Window) customCommand() {
	if w.conn == nil {
		w.showError("Custom command", errNotConnected)
		return
	}
	w.askText("Enter custom command", "Command", "", func(line string) {
		w.remoteOp("Command "+engine.MaskCommand(line), func(ctx context.Context, s engine.Session) error {
			code, msg, err := s.Quote(ctx, line)
			if err == nil {
				w.msgs.Add(engine.TraceEvent{Kind: engine.TraceReply, Text: fmt.Sprintf("%d %s", code, msg)})
			}
			return err
		})
	})
}

func (w *Window) remoteMenu(pos fyne.Position) {
	sel := w.remote.table.Selected()
	one := len(sel) == 1
	items := []*fyne.MenuItem{
		{Label: "Download", Action: w.download, Disabled: len(sel) == 0},
		{Label: "View/Edit", Action: func() { w.viewEdit(sel[0]) }, Disabled: !one || sel[0].IsDir()},
		fyne.NewMenuItemSeparator(),
		{Label: "Create directory", Action: func() { w.newFolder(w.remote) }},
		{Label: "Refresh", Action: w.remote.Refresh},
		fyne.NewMenuItemSeparator(),
		{Label: "Delete", Action: func() { w.deleteSelected(w.remote) }, Disabled: len(sel) == 0},
		{Label: "Rename", Action: func() { w.rename(w.remote) }, Disabled: !one},
		{Label: "Copy URL(s) to clipboard", Action: w.copyURL, Disabled: len(sel) == 0},
		{Label: "File permissions…", Action: func() { w.chmod(sel) }, Disabled: len(sel) == 0},
		fyne.NewMenuItemSeparator(),
		{Label: "Enter custom command…", Action: w.customCommand},
	}
	if !w.connected {
		for _, it := range items {
			it.Disabled = true
		}
	}
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), w.win.Canvas(), pos)
}

func (w *Window) localMenu(pos fyne.Position) {
	sel := w.local.table.Selected()
	items := []*fyne.MenuItem{
		{Label: "Upload", Action: w.upload, Disabled: len(sel) == 0 || !w.connected},
		fyne.NewMenuItemSeparator(),
		{Label: "Create directory", Action: func() { w.newFolder(w.local) }},
		{Label: "Refresh", Action: w.local.Refresh},
		fyne.NewMenuItemSeparator(),
		{Label: "Delete", Action: func() { w.deleteSelected(w.local) }, Disabled: len(sel) == 0},
		{Label: "Rename", Action: func() { w.rename(w.local) }, Disabled: len(sel) != 1},
	}
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), w.win.Canvas(), pos)
}
