package ui

import (
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// queuePane shows the transfer queue in three tabs. Events land in a map
// under a mutex on any goroutine; the first event after a rebuild schedules
// the next one on the window's refresh clock (refreshTick), so 10,000 items
// or a flood of progress events cost one rebuild per refreshEvery and share
// their frame with the message log's lines. The event that empties the queue
// (its last queued, running or paused item ends) is shown at once: "Queue:
// empty" and the panes' new files should not wait for the clock.
type queuePane struct {
	q       Transfers
	tabs    *container.AppTabs
	lists   [3]*queueList
	rows    [3][]TransferItem // queued (+running, paused), failed (+skipped), successful
	status  *widget.Label
	content fyne.CanvasObject
	win     fyne.Window
	app     fyne.App

	every time.Duration // refreshEvery; tests stretch it

	mu        sync.Mutex
	items     map[uint64]TransferItem
	order     []uint64 // insertion order
	open      int      // items queued, running or paused
	dirty     bool
	scheduled bool // a rebuild is on its way
	closed    bool
	stop      chan struct{} // closed by Close; the window's other watchers stop too
	// finished collects the folders that received a finished transfer since
	// the last OnFinished: local ones (downloads) and remote ones (uploads).
	finishedLocal, finishedRemote map[string]bool
	lastFinished                  time.Time
	// watchers are called once (on the UI goroutine) when an item in their
	// local folder has finished or was removed: View/Edit's downloads.
	watchers map[string]func(TransferItem)
	// busy: an item was open since the last rebuild, which may not have
	// seen it (a run shorter than refreshEvery). ran is its copy for the
	// UI goroutine, set by each rebuild.
	busy, ran bool

	// OnChange is called (on the UI goroutine) after the rows were rebuilt.
	OnChange func()
	// OnFinished is called (on the UI goroutine) with the folders that got
	// new files, at most every finishedEvery and when the queue ran empty,
	// so the panes can show them.
	OnFinished func(local, remote map[string]bool)
	// OnDrag is called while a row is dragged, OnDragEnd at its drop (dnd.go).
	OnDrag    func(it TransferItem, ev *fyne.DragEvent)
	OnDragEnd func()
}

// moveAll is a Move delta past either end of any queue (the queue clamps it).
const moveAll = 1 << 30

// finishedEvery is how often the panes are told about finished transfers.
const finishedEvery = time.Second

var tabTitles = [3]string{"Queued files", "Failed transfers", "Successful transfers"}

func newQueuePane(a fyne.App, q Transfers) *queuePane {
	qp := &queuePane{q: q, app: a, every: refreshEvery, items: map[uint64]TransferItem{}, stop: make(chan struct{}),
		finishedLocal: map[string]bool{}, finishedRemote: map[string]bool{}, watchers: map[string]func(TransferItem){}}
	var tabItems []*container.TabItem
	for t := range qp.lists {
		l := &queueList{}
		l.Length = func() int { return len(qp.rows[t]) }
		l.CreateItem = func() fyne.CanvasObject { return newQueueRow(qp) }
		l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) { o.(*queueRow).set(qp.rows[t][id]) }
		l.ExtendBaseWidget(l)
		qp.lists[t] = l
		tabItems = append(tabItems, container.NewTabItem(tabTitles[t], qp.lists[t]))
	}
	qp.tabs = container.NewAppTabs(tabItems...)
	qp.tabs.OnSelected = func(*container.TabItem) { qp.lists[qp.tabs.SelectedIndex()].Refresh() }
	qp.tabs.SetTabLocation(container.TabLocationBottom)
	qp.status = widget.NewLabel("Queue: empty")
	qp.content = qp.tabs
	if q != nil {
		q.Subscribe(qp.event)
	}
	return qp
}

// isOpen says whether an item in state s still belongs in "Queued files".
func isOpen(s TransferState) bool { return s != Done && s != Failed && s != Skipped }

// event records one queue event; safe from any goroutine.
func (qp *queuePane) event(ev TransferEvent) {
	qp.mu.Lock()
	defer qp.mu.Unlock()
	id := ev.Item.ID
	old, had := qp.items[id]
	wasOpen := had && isOpen(old.State)
	if wasOpen {
		qp.open--
	}
	if ev.Removed {
		delete(qp.items, id)
		if i := slices.Index(qp.order, id); i >= 0 {
			qp.order = slices.Delete(qp.order, i, i+1)
		}
	} else {
		if !had {
			qp.order = append(qp.order, id)
		}
		if isOpen(ev.Item.State) {
			qp.open++
			qp.busy = true
		}
		qp.items[id] = ev.Item
		if ev.Item.State == Done && old.State != Done {
			if ev.Item.Upload {
				qp.finishedRemote[path.Dir(ev.Item.Remote)] = true
			} else {
				qp.finishedLocal[filepath.Dir(ev.Item.Local)] = true
			}
		}
	}
	if fn := qp.watchers[filepath.Dir(ev.Item.Local)]; fn != nil && (ev.Removed || !isOpen(ev.Item.State)) {
		delete(qp.watchers, filepath.Dir(ev.Item.Local))
		it := ev.Item
		go do(func() { fn(it) })
	}
	qp.dirty = true
	emptied := wasOpen && qp.open == 0
	if qp.closed || (qp.scheduled && !emptied) {
		return
	}
	qp.scheduled = true
	wait := refreshTick(qp.every)
	if emptied {
		wait = 0
	}
	time.AfterFunc(wait, func() { do(qp.rebuild) })
}

// rebuild applies the pending events to the view (UI goroutine).
func (qp *queuePane) rebuild() {
	qp.mu.Lock()
	qp.scheduled = false
	if !qp.dirty || qp.closed {
		qp.mu.Unlock()
		return
	}
	qp.dirty = false
	qp.ran, qp.busy = qp.busy, false
	var rows [3][]TransferItem
	var speed float64
	var left int64
	running := 0
	for _, id := range qp.order {
		it := qp.items[id]
		switch it.State {
		case Done:
			rows[2] = append(rows[2], it)
		case Failed, Skipped:
			rows[1] = append(rows[1], it)
		default:
			rows[0] = append(rows[0], it)
			if it.State == Running {
				running++
				speed += it.Speed
			}
			if it.Size > 0 {
				left += it.Size - it.Done
			}
		}
	}
	var local, remote map[string]bool
	if (len(qp.finishedLocal) > 0 || len(qp.finishedRemote) > 0) &&
		(len(rows[0]) == 0 || time.Since(qp.lastFinished) > finishedEvery) {
		local, remote = qp.finishedLocal, qp.finishedRemote
		qp.finishedLocal, qp.finishedRemote = map[string]bool{}, map[string]bool{}
		qp.lastFinished = time.Now()
	}
	qp.mu.Unlock()
	if local != nil && qp.OnFinished != nil {
		qp.OnFinished(local, remote)
	}
	qp.rows = rows
	// Text shaping is the costly part of a redraw: refresh only the tab on
	// screen (queueList), and titles and the status line only when their
	// text changed. Refreshing the tabs refreshes the list on screen too.
	titles := false
	for t := range qp.lists {
		title := fmt.Sprintf("%s (%d)", tabTitles[t], len(rows[t]))
		if qp.tabs.Items[t].Text != title {
			qp.tabs.Items[t].Text = title
			titles = true
		}
	}
	if titles {
		qp.tabs.Refresh()
	} else {
		qp.lists[qp.tabs.SelectedIndex()].Refresh()
	}
	txt := fmt.Sprintf("Queue: empty · %d failed · %d done", len(rows[1]), len(rows[2]))
	if len(rows[0]) > 0 {
		txt = fmt.Sprintf("Queue: %d items, %s left · %d running", len(rows[0]), humanSize(left), running)
		if speed > 0 {
			txt += " · " + humanSpeed(speed)
		}
	}
	if qp.status.Text != txt {
		qp.status.SetText(txt)
	}
	if qp.OnChange != nil {
		qp.OnChange()
	}
}

// watchDir calls fn once when an item whose local file is in dir has
// finished (its State says how) or was removed (its State is still open).
func (qp *queuePane) watchDir(dir string, fn func(TransferItem)) {
	qp.mu.Lock()
	qp.watchers[dir] = fn
	qp.mu.Unlock()
}

// Counts returns the number of queued, failed and successful items (UI goroutine).
func (qp *queuePane) Counts() (queued, failed, done int) {
	return len(qp.rows[0]), len(qp.rows[1]), len(qp.rows[2])
}

// Close stops applying events to the view.
func (qp *queuePane) Close() {
	qp.mu.Lock()
	qp.closed = true
	qp.mu.Unlock()
	close(qp.stop)
}

func (qp *queuePane) menu(it TransferItem, pos fyne.Position) {
	if qp.win == nil || qp.q == nil {
		return
	}
	q := qp.q
	items := []*fyne.MenuItem{
		fyne.NewMenuItem("Pause", func() { q.Pause(it.ID) }),
		fyne.NewMenuItem("Resume", func() { q.Resume(it.ID) }),
		fyne.NewMenuItem("Cancel", func() { q.Cancel(it.ID) }),
		fyne.NewMenuItem("Retry", func() { q.Retry(it.ID) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Move up", func() { q.Move(it.ID, -1) }),
		fyne.NewMenuItem("Move down", func() { q.Move(it.ID, 1) }),
		fyne.NewMenuItem("Move to top", func() { q.Move(it.ID, -moveAll) }),
		fyne.NewMenuItem("Move to bottom", func() { q.Move(it.ID, moveAll) }),
		fyne.NewMenuItem("Remove", func() { q.Remove(it.ID) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Open containing folder", func() { openFolder(qp.app, filepath.Dir(it.Local)) }),
	}
	if f, ok := q.(alwaysForgetter); ok && it.Always != "" {
		items = append(items, fyne.NewMenuItem("Ask again when a file exists (now: always "+it.Always+")", func() { f.ForgetAlways(it.Job) }))
	}
	switch it.State { // the indexes of Pause, Resume, Cancel and Retry above
	case Running, Queued:
		items[1].Disabled = true
		items[3].Disabled = true
	case Paused:
		items[0].Disabled = true
		items[3].Disabled = true
	case Failed, Skipped:
		items[0].Disabled, items[1].Disabled = true, true
	case Done:
		items[0].Disabled, items[1].Disabled, items[2].Disabled = true, true, true
	}
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), qp.win.Canvas(), pos)
}

// queueList is the list of one queue tab. It skips refreshes while its tab
// is hidden, and Show refreshes it: AppTabs refreshes the content of every
// tab whenever a title changes, and the titles carry the counts, which
// change with nearly every rebuild during a transfer burst. Refreshing the
// two hidden lists as well tripled the text shaping of a rebuild.
type queueList struct{ widget.List }

func (l *queueList) Refresh() {
	if l.Visible() {
		l.List.Refresh()
	}
}

// openFolder shows dir in the system's file manager. The stat runs in the
// background: the folder may be on a slow or gone network mount.
func openFolder(a fyne.App, dir string) {
	go func() {
		if _, err := os.Stat(dir); err != nil {
			return
		}
		if u, err := url.Parse(storage.NewFileURI(dir).String()); err == nil {
			do(func() { _ = a.OpenURL(u) })
		}
	}()
}

// queueRow is one transfer: direction, paths, size, progress, speed, time
// left and status or the server's reason.
type queueRow struct {
	widget.BaseWidget
	qp     *queuePane
	item   TransferItem
	dir    *widget.Icon
	local  *widget.Label
	remote *widget.Label
	size   *widget.Label
	bar    *widget.ProgressBar
	info   *widget.Label
}

func newQueueRow(qp *queuePane) *queueRow {
	r := &queueRow{qp: qp, dir: widget.NewIcon(theme.DownloadIcon()), local: widget.NewLabel(""), remote: widget.NewLabel(""),
		size: widget.NewLabel(""), bar: widget.NewProgressBar(), info: widget.NewLabel("")}
	for _, l := range []*widget.Label{r.local, r.remote, r.info} {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	r.ExtendBaseWidget(r)
	return r
}

func (r *queueRow) CreateRenderer() fyne.WidgetRenderer {
	grid := container.NewGridWithColumns(5, r.local, r.remote, r.size, r.bar, r.info)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, r.dir, nil, grid))
}

func (r *queueRow) set(it TransferItem) {
	r.item = it
	if it.Upload {
		r.dir.SetResource(theme.UploadIcon())
		r.local.SetText(it.Local + "  →")
	} else {
		r.dir.SetResource(theme.DownloadIcon())
		r.local.SetText(it.Local + "  ←")
	}
	r.remote.SetText(it.Host + it.Remote)
	if it.Size >= 0 {
		r.size.SetText(humanSize(it.Size))
	} else {
		r.size.SetText("")
	}
	switch {
	case it.Size > 0:
		r.bar.SetValue(float64(it.Done) / float64(it.Size))
	case it.State == Done:
		r.bar.SetValue(1)
	default:
		r.bar.SetValue(0)
	}
	r.info.Importance = widget.MediumImportance
	switch it.State {
	case Running:
		r.info.SetText(humanSpeed(it.Speed) + "  " + humanDuration(it.Left))
	case Failed:
		r.info.Importance = widget.DangerImportance
		r.info.SetText(it.Reason)
	case Paused:
		if it.Waiting { // "waiting for ftp://… (connect to it)"
			r.info.SetText(it.Reason)
			break
		}
		fallthrough
	default:
		if it.Reason != "" {
			r.info.SetText(it.State.String() + ": " + it.Reason)
		} else {
			r.info.SetText(it.State.String())
		}
	}
	if it.Always != "" && isOpen(it.State) {
		r.info.SetText(r.info.Text + " · always: " + it.Always)
	}
}

func (r *queueRow) TappedSecondary(e *fyne.PointEvent) { r.qp.menu(r.item, e.AbsolutePosition) }
