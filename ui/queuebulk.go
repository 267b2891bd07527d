package ui

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2"

	"github.com/skiff-ftp/skiff/engine/queue"
)

// bulkTransfers is a Transfers with the queue-wide actions of the Queue
// menu (the QueueBridge).
type bulkTransfers interface {
	RetryFailed()    // every failed item again
	RemoveFinished() // done and skipped items leave the queue
	PauseAll()
	ResumeAll()
	SetProcessing(on bool) // "process queue": off holds what has not started
}

// queueMenu is the Queue menu: process queue on/off, the actions on the
// selection in the queue pane, and the bulk actions.
func (w *Window) queueMenu() *fyne.Menu {
	selection := w.selectionItems()
	b, ok := w.opts.Transfers.(bulkTransfers)
	if !ok {
		return fyne.NewMenu("Queue", selection...)
	}
	process := fyne.NewMenuItem("Process queue", nil)
	process.Checked = true
	process.Action = func() {
		process.Checked = !process.Checked
		b.SetProcessing(process.Checked)
		w.msgs.Status(map[bool]string{true: "Processing the queue", false: "Queue held: running transfers finish, queued ones wait"}[process.Checked])
		w.win.MainMenu().Refresh()
	}
	w.processItem = process
	items := []*fyne.MenuItem{process, fyne.NewMenuItemSeparator()}
	items = append(items, selection...)
	items = append(items,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Pause all", b.PauseAll),
		fyne.NewMenuItem("Resume all", b.ResumeAll),
		fyne.NewMenuItem("Retry all failed", b.RetryFailed),
		fyne.NewMenuItem("Remove all successful", b.RemoveFinished),
	)
	return fyne.NewMenu("Queue", items...)
}

// selectionItems are the Queue menu's actions on the items selected in the
// queue pane, enabled while the selection has items they apply to.
func (w *Window) selectionItems() []*fyne.MenuItem {
	qp := w.queue
	type action struct {
		item *fyne.MenuItem
		ok   func(TransferItem) bool
	}
	always := func(TransferItem) bool { return true }
	actions := []action{
		{fyne.NewMenuItem("Pause selected", qp.pauseSelected), canPause},
		{fyne.NewMenuItem("Resume selected", qp.resumeSelected), canResume},
		{fyne.NewMenuItem("Retry selected", qp.retrySelected), canRetry},
		{fyne.NewMenuItem("Remove selected", qp.removeSelected), always},
		{fyne.NewMenuItem("Move selected to top", func() { qp.moveSelected(true) }), isOpenItem},
		{fyne.NewMenuItem("Move selected to bottom", func() { qp.moveSelected(false) }), isOpenItem},
	}
	items := make([]*fyne.MenuItem, len(actions))
	update := func() {
		sel := qp.Selected()
		changed := false
		for _, a := range actions {
			off := !slices.ContainsFunc(sel, a.ok)
			changed = changed || a.item.Disabled != off
			a.item.Disabled = off
		}
		if changed && w.win.MainMenu() != nil {
			w.win.MainMenu().Refresh()
		}
	}
	for i, a := range actions {
		a.item.Disabled = true
		items[i] = a.item
	}
	qp.OnSelect = update
	return items
}

// MoveBlock moves the items to the top (or the bottom) of the queue, side
// by side in their queue order, as one change.
func (b *QueueBridge) MoveBlock(ids []uint64, top bool) {
	qids := make([]queue.ID, len(ids))
	for i, id := range ids {
		qids[i] = queue.ID(id)
	}
	to := 0
	if !top {
		to = moveAll
	}
	b.do(func(q *queue.Queue) {
		q.MoveBlock(qids, to)
		b.reordered(q)
	})
}

// reordered tells the window the queue's order after a move: item events
// carry no position.
func (b *QueueBridge) reordered(q *queue.Queue) {
	b.mu.Lock()
	fn := b.fn
	b.mu.Unlock()
	if fn == nil {
		return
	}
	ids := q.Order()
	order := make([]uint64, len(ids))
	for i, id := range ids {
		order[i] = uint64(id)
	}
	fn(TransferEvent{Order: order})
}

// queueChanged shows the queue's progress in the window title and sends a
// desktop notification when a run of transfers has finished (UI goroutine,
// after each rebuild of the queue pane).
func (w *Window) queueChanged() {
	open, _, _ := w.queue.Counts()
	var total, sent int64
	for _, it := range w.queue.rows[0] {
		if it.Size > 0 {
			total += it.Size
			sent += min(it.Done, it.Size)
		}
	}
	progress := ""
	if open > 0 {
		progress = fmt.Sprintf("%d left", open)
		if total > 0 {
			progress = fmt.Sprintf("%d%%, %s", sent*100/total, progress)
		}
	}
	if open > 0 || w.queue.ran {
		w.running = true
	}
	if progress != w.progress {
		w.progress = progress
		w.setTitle()
	}
	if open == 0 && w.running {
		// Counted as they finished: the tabs' counts change with removals
		// and retries too ("Remove all successful" made them negative).
		w.running = false
		done, failed := w.queue.takeRun()
		w.app.SendNotification(fyne.NewNotification("Skiff: transfers finished",
			fmt.Sprintf("%d successful, %d failed", done, failed)))
	}
}
