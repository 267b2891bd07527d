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
	"fyne.io/fyne/v2/widget"
)

// queuePane shows the transfer queue in three tabs. Events land in a map
// under a mutex on any goroutine; the first event after a rebuild schedules
// the next one on the window's refresh clock (refreshTick), so 10,000 items
// or a flood of progress events cost one rebuild per refreshEvery and share
// their frame with the message log's lines. The event that empties the queue
// (its last queued, running or paused item ends) is shown at once: "Queue:
// empty" and the panes' new files should not wait for the clock.
//
// Rows leave "Queued files" when their items end, and a burst of small
// files would show new rows at every rebuild: each path drawn is a text
// texture Fyne keeps for a minute (under Xvfb, in the process's memory:
// the 2,000-file download of bench/gui.sh grew it by 14 MiB outside the Go
// heap, 5 of them gone with this rule). So the rows turn over at most once
// per turnover (a second, on the wall clock): a rebuild due while items
// ended since the last one waits for the next whole second, while progress
// of the rows on screen still shows every refreshEvery. A user's own
// changes (sorting) apply at once.
type queuePane struct {
	q       Transfers
	tabs    *container.AppTabs
	tables  [3]*queueTable
	rows    [3][]TransferItem // queued (+running, paused), failed (+skipped), successful; sorted
	status  *widget.Label
	content fyne.CanvasObject
	win     fyne.Window
	app     fyne.App

	every    time.Duration // refreshEvery; tests stretch it
	turnover time.Duration // turnoverEvery; tests stretch it

	// The tables' columns (queuetable.go): widths, shared by the tabs and
	// remembered, and the sort column (noSort: queue order).
	widths   [numQCols]float32
	sortCol  qcol
	sortDesc bool
	// The selection (UI goroutine): item IDs of the tab on screen, and the
	// anchor of Shift+click ranges. active: the user clicked the queue last,
	// so Ctrl+A selects in it.
	sel    map[uint64]bool
	anchor uint64
	active bool

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
	// runDone and runFailed count the items that finished (done; failed
	// or skipped) since the last takeRun: the desktop notification's
	// counts, whatever left the tabs meanwhile.
	runDone, runFailed int
	// busy: an item was open since the last rebuild, which may not have
	// seen it (a run shorter than refreshEvery). ran is its copy for the
	// UI goroutine, set by each rebuild.
	busy, ran bool
	// turned: an item ended or was removed since the last rebuild, so its
	// row leaves the tab. nextTurnover is when the rows may turn over
	// again; now: the queue emptied, the next rebuild does not wait.
	turned, now  bool
	nextTurnover time.Time

	// OnChange is called (on the UI goroutine) after the rows were rebuilt.
	OnChange func()
	// OnSelect is called (on the UI goroutine) when the selection changed.
	OnSelect func()
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

// turnoverEvery is how often the queue's rows may turn over (see queuePane).
const turnoverEvery = time.Second

var tabTitles = [3]string{"Queued files", "Failed transfers", "Successful transfers"}

func newQueuePane(a fyne.App, q Transfers) *queuePane {
	qp := &queuePane{q: q, app: a, every: refreshEvery, turnover: turnoverEvery, items: map[uint64]TransferItem{}, stop: make(chan struct{}),
		finishedLocal: map[string]bool{}, finishedRemote: map[string]bool{}, watchers: map[string]func(TransferItem){},
		sortCol: noSort, sel: map[uint64]bool{}}
	qp.restoreWidths()
	var tabItems []*container.TabItem
	for t := range qp.tables {
		qp.tables[t] = newQueueTable(qp, t)
		tabItems = append(tabItems, container.NewTabItem(tabTitles[t], qp.tables[t]))
	}
	qp.tabs = container.NewAppTabs(tabItems...)
	qp.tabs.OnSelected = func(*container.TabItem) {
		// The selection belongs to the tab it was made in.
		if len(qp.sel) > 0 {
			clear(qp.sel)
			qp.selectionChanged()
		}
		qp.tables[qp.tabs.SelectedIndex()].Refresh()
	}
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
	if ev.Order != nil {
		qp.reorder(ev.Order)
		qp.schedule(false)
		return
	}
	id := ev.Item.ID
	old, had := qp.items[id]
	wasOpen := had && isOpen(old.State)
	if wasOpen {
		qp.open--
	}
	if wasOpen && (ev.Removed || !isOpen(ev.Item.State)) {
		qp.turned = true
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
		if wasOpen {
			switch ev.Item.State {
			case Done:
				qp.runDone++
			case Failed, Skipped:
				qp.runFailed++
			}
		}
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
	qp.schedule(wasOpen && qp.open == 0)
}

// schedule marks the view out of date and schedules a rebuild on the
// refresh clock, or at once when the queue just emptied. qp.mu is held.
func (qp *queuePane) schedule(emptied bool) {
	qp.dirty = true
	if emptied {
		qp.now = true
	}
	if qp.closed || (qp.scheduled && !emptied) {
		return
	}
	qp.scheduled = true
	wait := refreshTick(qp.every)
	if emptied {
		wait = 0
	}
	time.AfterFunc(wait, func() { do(qp.tick) })
}

// tick is a scheduled rebuild (UI goroutine): it waits for nextTurnover
// when rows would turn over before it, unless the queue emptied.
func (qp *queuePane) tick() {
	qp.mu.Lock()
	if wait := time.Until(qp.nextTurnover); qp.turned && !qp.now && !qp.closed && wait > 0 {
		qp.mu.Unlock()
		time.AfterFunc(wait, func() { do(qp.tick) })
		return
	}
	qp.mu.Unlock()
	qp.rebuild()
}

// reorder puts the known items in the queue's order; items the order does
// not name yet (added since) stay behind them. qp.mu is held.
func (qp *queuePane) reorder(order []uint64) {
	next := make([]uint64, 0, len(qp.order))
	in := make(map[uint64]bool, len(order))
	for _, id := range order {
		if _, ok := qp.items[id]; ok && !in[id] {
			next = append(next, id)
			in[id] = true
		}
	}
	for _, id := range qp.order {
		if !in[id] {
			next = append(next, id)
		}
	}
	qp.order = next
}

// rebuild applies the pending events to the view now (UI goroutine).
func (qp *queuePane) rebuild() {
	qp.mu.Lock()
	qp.scheduled = false
	if !qp.dirty || qp.closed {
		qp.mu.Unlock()
		return
	}
	qp.dirty, qp.now = false, false
	if qp.turned {
		qp.turned = false
		qp.nextTurnover = time.Now().Add(refreshTick(qp.turnover))
	}
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
	for t := range rows {
		qp.sortRows(rows[t])
	}
	qp.rows = rows
	qp.pruneSelection()
	// Text shaping is the costly part of a redraw: refresh only the tab on
	// screen (queueTable), and titles and the status line only when their
	// text changed. Refreshing the tabs refreshes the list on screen too.
	titles := false
	for t := range qp.tables {
		title := fmt.Sprintf("%s (%d)", tabTitles[t], len(rows[t]))
		if qp.tabs.Items[t].Text != title {
			qp.tabs.Items[t].Text = title
			titles = true
		}
	}
	if titles {
		qp.tabs.Refresh()
	} else {
		qp.tables[qp.tabs.SelectedIndex()].Refresh()
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
	// The selected items' states changed: what the actions apply to too.
	if len(qp.sel) > 0 && qp.OnSelect != nil {
		qp.OnSelect()
	}
}

// watchDir calls fn once when an item whose local file is in dir has
// finished (its State says how) or was removed (its State is still open).
func (qp *queuePane) watchDir(dir string, fn func(TransferItem)) {
	qp.mu.Lock()
	qp.watchers[dir] = fn
	qp.mu.Unlock()
}

// takeRun returns how many items finished done and failed since the last
// call.
func (qp *queuePane) takeRun() (done, failed int) {
	qp.mu.Lock()
	defer qp.mu.Unlock()
	done, failed = qp.runDone, qp.runFailed
	qp.runDone, qp.runFailed = 0, 0
	return done, failed
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

// tap applies a click on row of the tab on screen with the keyboard
// modifiers held: a plain click selects the row alone, Ctrl toggles it,
// Shift selects the range from the last plain or Ctrl click (adding to the
// selection with Ctrl too); a right click on an unselected row selects it
// alone, on a selected one keeps the selection for the menu.
func (qp *queuePane) tap(row int, mods fyne.KeyModifier, secondary bool) {
	qp.active = true
	rows := qp.rows[qp.tabs.SelectedIndex()]
	if row < 0 || row >= len(rows) {
		clear(qp.sel)
		qp.selectionChanged()
		return
	}
	id := rows[row].ID
	switch {
	case secondary:
		if !qp.sel[id] {
			clear(qp.sel)
			qp.sel[id] = true
			qp.anchor = id
		}
	case mods&fyne.KeyModifierShift != 0 && qp.anchor != 0:
		from := slices.IndexFunc(rows, func(it TransferItem) bool { return it.ID == qp.anchor })
		if from < 0 {
			from = row
		}
		if mods&fyne.KeyModifierShortcutDefault == 0 {
			clear(qp.sel)
		}
		for _, it := range rows[min(from, row) : max(from, row)+1] {
			qp.sel[it.ID] = true
		}
	case mods&fyne.KeyModifierShortcutDefault != 0:
		if qp.sel[id] {
			delete(qp.sel, id)
		} else {
			qp.sel[id] = true
		}
		qp.anchor = id
	default:
		clear(qp.sel)
		qp.sel[id] = true
		qp.anchor = id
	}
	qp.selectionChanged()
}

// SelectAll selects every row of the tab on screen (Ctrl+A in the queue).
func (qp *queuePane) SelectAll() {
	for _, it := range qp.rows[qp.tabs.SelectedIndex()] {
		qp.sel[it.ID] = true
	}
	qp.selectionChanged()
}

// Selected returns the selected items in the order on screen.
func (qp *queuePane) Selected() []TransferItem {
	if len(qp.sel) == 0 {
		return nil
	}
	var out []TransferItem
	for _, it := range qp.rows[qp.tabs.SelectedIndex()] {
		if qp.sel[it.ID] {
			out = append(out, it)
		}
	}
	return out
}

func (qp *queuePane) selectionChanged() {
	qp.tables[qp.tabs.SelectedIndex()].Refresh()
	if qp.OnSelect != nil {
		qp.OnSelect()
	}
}

// pruneSelection drops the selected items that left the tab on screen
// (finished, failed or removed) after a rebuild.
func (qp *queuePane) pruneSelection() {
	if len(qp.sel) == 0 {
		return
	}
	n := 0
	for _, it := range qp.rows[qp.tabs.SelectedIndex()] {
		if qp.sel[it.ID] {
			n++
		}
	}
	if n == len(qp.sel) {
		return
	}
	keep := make(map[uint64]bool, n)
	for _, it := range qp.rows[qp.tabs.SelectedIndex()] {
		if qp.sel[it.ID] {
			keep[it.ID] = true
		}
	}
	qp.sel = keep
	if qp.OnSelect != nil {
		qp.OnSelect()
	}
}

// blockMover is a Transfers that moves several items to the top or the
// bottom of the queue at once, keeping their order (the QueueBridge).
type blockMover interface{ MoveBlock(ids []uint64, top bool) }

// The actions on the selection, shared by the context menu and the Queue
// menu. Each acts on the selected items it applies to.
func (qp *queuePane) pauseSelected() {
	qp.eachSelected(canPause, func(q Transfers, id uint64) { q.Pause(id) })
}
func (qp *queuePane) resumeSelected() {
	qp.eachSelected(canResume, func(q Transfers, id uint64) { q.Resume(id) })
}
func (qp *queuePane) retrySelected() {
	qp.eachSelected(canRetry, func(q Transfers, id uint64) { q.Retry(id) })
}
func (qp *queuePane) removeSelected() {
	qp.eachSelected(func(TransferItem) bool { return true }, func(q Transfers, id uint64) { q.Remove(id) })
}

func canPause(it TransferItem) bool  { return it.State == Running || it.State == Queued }
func canResume(it TransferItem) bool { return it.State == Paused }
func canRetry(it TransferItem) bool  { return it.State == Failed || it.State == Skipped }

func (qp *queuePane) eachSelected(ok func(TransferItem) bool, fn func(Transfers, uint64)) {
	if qp.q == nil {
		return
	}
	for _, it := range qp.Selected() {
		if ok(it) {
			fn(qp.q, it.ID)
		}
	}
}

// moveSelected moves the selection to the top or the bottom of the queue,
// in its queue order.
func (qp *queuePane) moveSelected(top bool) {
	sel := qp.Selected()
	if qp.q == nil || len(sel) == 0 {
		return
	}
	ids := make([]uint64, len(sel))
	for i, it := range sel {
		ids[i] = it.ID
	}
	if m, ok := qp.q.(blockMover); ok {
		m.MoveBlock(ids, top)
		return
	}
	if top {
		slices.Reverse(ids)
	}
	for _, id := range ids {
		if top {
			qp.q.Move(id, -moveAll)
		} else {
			qp.q.Move(id, moveAll)
		}
	}
}

// menu shows the context menu of the selection.
func (qp *queuePane) menu(pos fyne.Position) {
	sel := qp.Selected()
	if qp.win == nil || qp.q == nil || len(sel) == 0 {
		return
	}
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", qp.menuItems(sel)...), qp.win.Canvas(), pos)
}

// menuItems are the context menu's actions on sel, enabled when they apply
// to one of its items at least.
func (qp *queuePane) menuItems(sel []TransferItem) []*fyne.MenuItem {
	any := func(ok func(TransferItem) bool) bool { return slices.ContainsFunc(sel, ok) }
	item := func(label string, enabled bool, fn func()) *fyne.MenuItem {
		m := fyne.NewMenuItem(label, fn)
		m.Disabled = !enabled
		return m
	}
	open := any(isOpenItem)
	items := []*fyne.MenuItem{
		item("Pause", any(canPause), qp.pauseSelected),
		item("Resume", any(canResume), qp.resumeSelected),
		item("Cancel", any(func(it TransferItem) bool { return it.State != Done }), qp.removeSelected),
		item("Retry", any(canRetry), qp.retrySelected),
		fyne.NewMenuItemSeparator(),
	}
	q := qp.q
	if len(sel) == 1 {
		it := sel[0]
		items = append(items,
			item("Move up", open, func() { q.Move(it.ID, -1) }),
			item("Move down", open, func() { q.Move(it.ID, 1) }))
	}
	items = append(items,
		item("Move to top", open, func() { qp.moveSelected(true) }),
		item("Move to bottom", open, func() { qp.moveSelected(false) }),
		item("Remove", true, qp.removeSelected))
	if len(sel) == 1 {
		it := sel[0]
		items = append(items, fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem("Open containing folder", func() { openFolder(qp.app, filepath.Dir(it.Local)) }))
		if f, ok := q.(alwaysForgetter); ok && it.Always != "" {
			items = append(items, fyne.NewMenuItem("Ask again when a file exists (now: always "+it.Always+")", func() { f.ForgetAlways(it.Job) }))
		}
	}
	return items
}

func isOpenItem(it TransferItem) bool { return isOpen(it.State) }
