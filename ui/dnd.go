package ui

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine/listing"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// Drag and drop between the panes, and from the queue to a pane.
//
// Fyne has no drag and drop between widgets, so the window does it: file
// table cells and queue rows are fyne.Draggable; the first Dragged of a
// gesture records what is dragged (the selected rows, the pressed row
// selected first when it was not; or the queue item), each Dragged moves a
// tip that says what a drop there would do, and DragEnd drops at the last
// position, hit-tested against the current tab's panes:
//
//   - local rows onto the remote pane upload, remote rows onto the local
//     pane download (as the toolbar's buttons would), into the folder under
//     the pointer: a folder row, ".." (the parent) or a folder of the tree;
//     elsewhere in the pane, the folder it shows;
//   - a queue row onto the pane of its target side queues the transfer again
//     into that folder: a download (from its own site) into a local folder,
//     an upload (of its local file) into the remote folder shown, on the
//     tab's site. A failed or skipped original is removed: the new item
//     replaces it. This is how a failed transfer is sent somewhere else;
//   - a drop onto the pane it came from, or outside the panes, does nothing.
//
// Files dropped from the desktop onto the remote pane upload to the same
// targets (Window.dropped).
type dnd struct {
	src *dragSource   // nil: no drag under way
	at  fyne.Position // where the pointer was last
	tip *widget.PopUp
	msg *widget.Label
}

// dragSource is what is being dragged.
type dragSource struct {
	tab     *tab
	pane    *pane // nil: a queue item
	dir     string
	entries []listing.Entry
	item    TransferItem
}

// dndFor makes t's file tables drag sources.
func (w *Window) dndFor(t *tab) {
	for _, p := range []*pane{t.local, t.remote} {
		p.table.OnDrag = func(row int, ev *fyne.DragEvent) { w.dragRows(t, p, row, ev) }
		p.table.OnDragEnd = w.dragEnd
	}
}

// dndQueue makes the queue's rows drag sources.
func (w *Window) dndQueue() {
	w.queue.OnDrag = func(it TransferItem, ev *fyne.DragEvent) {
		if w.drag.src == nil {
			w.drag.src = &dragSource{tab: w.tab, item: it}
		}
		w.dragMoved(ev.AbsolutePosition)
	}
	w.queue.OnDragEnd = w.dragEnd
}

func (c *fileCell) Dragged(ev *fyne.DragEvent) {
	if c.ft.OnDrag != nil {
		c.ft.OnDrag(c.row, ev)
	}
}

func (c *fileCell) DragEnd() {
	if c.ft.OnDragEnd != nil {
		c.ft.OnDragEnd()
	}
}

func (c *queueCell) Dragged(ev *fyne.DragEvent) {
	if c.qp.OnDrag != nil && c.item.ID != 0 {
		c.qp.OnDrag(c.item, ev)
	}
}

func (c *queueCell) DragEnd() {
	if c.qp.OnDragEnd != nil {
		c.qp.OnDragEnd()
	}
}

// dragRows starts or continues a drag of p's rows from row.
func (w *Window) dragRows(t *tab, p *pane, row int, ev *fyne.DragEvent) {
	if w.drag.src == nil {
		ft := p.table
		if i := ft.entryAt(row); i >= 0 && !ft.selected[i] {
			ft.tap(row, 0, false) // dragging an unselected row drags it alone
		}
		sel := ft.Selected()
		if len(sel) == 0 || p.cwd == "" {
			return
		}
		src := &dragSource{tab: t, pane: p, dir: p.cwd}
		for _, e := range sel {
			src.entries = append(src.entries, *e)
		}
		w.drag.src = src
		t.active = p
	}
	w.dragMoved(ev.AbsolutePosition)
}

// dragMoved shows at pos what a drop there would do.
func (w *Window) dragMoved(pos fyne.Position) {
	w.drag.at = pos
	text, _ := w.dropPlan(pos)
	if w.drag.tip == nil {
		w.drag.msg = widget.NewLabel("")
		w.drag.tip = widget.NewPopUp(w.drag.msg, w.win.Canvas())
	}
	w.drag.msg.SetText(text)
	w.drag.tip.ShowAtPosition(pos.AddXY(16, 12))
}

// dragEnd drops what is dragged where the pointer was last.
func (w *Window) dragEnd() {
	if w.drag.src == nil {
		return
	}
	w.drag.tip.Hide()
	_, drop := w.dropPlan(w.drag.at)
	w.drag.src = nil
	if drop != nil {
		drop()
	}
}

// dropPlan says what dropping the dragged things at pos would do, and
// returns that action (nil: nothing).
func (w *Window) dropPlan(pos fyne.Position) (string, func()) {
	src := w.drag.src
	if src == nil {
		return "", nil
	}
	p, dir := w.dropTarget(pos)
	switch {
	case p == nil && src.pane == nil:
		return "Drop onto a pane", nil
	case p == nil || p == src.pane:
		return "Drop onto the other pane", nil
	}
	toRemote := p == w.remote
	if src.pane != nil {
		n := len(src.entries)
		if toRemote {
			return fmt.Sprintf("Upload %s to %s", items(n), dir), func() { w.dropUpload(src, dir) }
		}
		return fmt.Sprintf("Download %s to %s", items(n), dir), func() { w.dropDownload(src, dir) }
	}
	it := src.item
	switch {
	case it.Upload && toRemote:
		return "Upload " + filepath.Base(it.Local) + " to " + dir, func() { w.requeueUpload(it, dir) }
	case !it.Upload && !toRemote:
		return "Download " + path.Base(it.Remote) + " to " + dir, func() { w.requeueDownload(it, dir) }
	case it.Upload:
		return "Drop an upload onto the remote pane", nil
	}
	return "Drop a download onto the local pane", nil
}

func items(n int) string {
	if n == 1 {
		return "1 item"
	}
	return fmt.Sprintf("%d items", n)
}

// dropTarget returns the pane of the current tab under pos and the folder a
// drop there targets: the folder row or tree folder under the pointer, the
// parent for "..", else the folder the pane shows. nil when pos is on no
// pane, or on one that shows no folder.
func (w *Window) dropTarget(pos fyne.Position) (*pane, string) {
	for _, p := range []*pane{w.local, w.remote} {
		if !contains(p.content, pos) || p.cwd == "" {
			continue
		}
		join, parent := filepath.Join, filepath.Dir
		if p == w.remote {
			join, parent = path.Join, path.Dir
		}
		if contains(p.table.table, pos) {
			for _, c := range p.table.cells {
				if !contains(c, pos) {
					continue
				}
				switch i := p.table.entryAt(c.row); {
				case i == -1:
					return p, parent(p.cwd)
				case i >= 0 && p.table.entries[i].IsDir():
					return p, join(p.cwd, p.table.entries[i].Name)
				}
				return p, p.cwd
			}
		}
		if contains(p.tree.tree, pos) {
			for o, dir := range p.tree.nodes {
				if contains(o, pos) {
					return p, dir
				}
			}
		}
		return p, p.cwd
	}
	return nil, ""
}

// contains says whether o is shown and pos (absolute) is on it. An object
// not on the canvas (a cell waiting in a table's pool) is at the origin,
// which is on no pane.
func contains(o fyne.CanvasObject, pos fyne.Position) bool {
	if o == nil || !o.Visible() {
		return false
	}
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	s := o.Size()
	return pos.X >= at.X && pos.Y >= at.Y && pos.X < at.X+s.Width && pos.Y < at.Y+s.Height
}

// dropUpload queues src's local entries for upload into the remote dir.
func (w *Window) dropUpload(src *dragSource, dir string) {
	w.inTab(src.tab, func() {
		if !w.connected || w.opts.Transfers == nil {
			w.showError("Upload", errNotConnected)
			return
		}
		w.batch(func() {
			for _, e := range src.entries {
				w.opts.Transfers.Upload(w.cfg, filepath.Join(src.dir, e.Name), path.Join(dir, e.Name), e.IsDir(), e.Size)
			}
		})
		w.msgs.Status(fmt.Sprintf("Queued %s for upload to %s", items(len(src.entries)), dir))
	})
}

// dropDownload queues src's remote entries for download into the local dir.
func (w *Window) dropDownload(src *dragSource, dir string) {
	w.inTab(src.tab, func() {
		if !w.connected || w.opts.Transfers == nil {
			w.showError("Download", errNotConnected)
			return
		}
		w.batch(func() {
			for _, e := range src.entries {
				w.opts.Transfers.Download(w.cfg, path.Join(src.dir, e.Name), dir, e.Name, e.IsDir(), e.Size)
			}
		})
		w.msgs.Status(fmt.Sprintf("Queued %s for download to %s", items(len(src.entries)), dir))
	})
}

// requeueUpload uploads a queue item's local file again, into the remote
// folder dir of the current tab's site.
func (w *Window) requeueUpload(it TransferItem, dir string) {
	if !w.connected || w.opts.Transfers == nil {
		w.showError("Upload", errNotConnected)
		return
	}
	w.opts.Transfers.Upload(w.cfg, it.Local, path.Join(dir, filepath.Base(it.Local)), it.Dir, it.Size)
	w.replaced(it)
	w.msgs.Status("Queued " + it.Local + " for upload to " + dir)
}

// requeueDownload downloads a queue item's remote file again, from its own
// site, into the local folder dir.
func (w *Window) requeueDownload(it TransferItem, dir string) {
	r, ok := w.opts.Transfers.(requeuer)
	if !ok {
		w.showError("Download", fmt.Errorf("this queue cannot send %s elsewhere", it.Remote))
		return
	}
	r.Requeue(it.ID, dir)
	w.replaced(it)
	w.msgs.Status("Queued " + it.Host + it.Remote + " for download to " + dir)
}

// replaced removes a failed or skipped item that a drop queued again.
func (w *Window) replaced(it TransferItem) {
	if it.State == Failed || it.State == Skipped {
		w.opts.Transfers.Remove(it.ID)
	}
}

// requeuer is a Transfers that can download a queued item again elsewhere.
type requeuer interface {
	Requeue(id uint64, localDir string)
}

// Requeue downloads item id's remote file or folder again, from its site
// (with the config the queue has for it), into localDir. Not for uploads.
func (b *QueueBridge) Requeue(id uint64, localDir string) {
	b.do(func(q *queue.Queue) {
		its := q.Items()
		i := slices.IndexFunc(its, func(it queue.Item) bool { return it.ID == queue.ID(id) })
		if i < 0 || its[i].Direction != queue.Download {
			return
		}
		it := its[i]
		down, _ := b.policies()
		b.addAll([]queue.Job{{Direction: queue.Download, Site: it.Site, SiteRef: it.SiteRef, Remote: it.Remote,
			Local: localDir, Name: path.Base(it.Remote), Dir: it.Dir, Size: it.Size, Policy: down, Restart: true}})
	})
}
