package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
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

// queueMenu is the Queue menu: process queue on/off and the bulk actions.
func (w *Window) queueMenu() *fyne.Menu {
	b, ok := w.opts.Transfers.(bulkTransfers)
	if !ok {
		return fyne.NewMenu("Queue")
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
	return fyne.NewMenu("Queue",
		process,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Pause all", b.PauseAll),
		fyne.NewMenuItem("Resume all", b.ResumeAll),
		fyne.NewMenuItem("Retry all failed", b.RetryFailed),
		fyne.NewMenuItem("Remove all successful", b.RemoveFinished),
	)
}

// queueChanged shows the queue's progress in the window title and sends a
// desktop notification when a run of transfers has finished (UI goroutine,
// after each rebuild of the queue pane).
func (w *Window) queueChanged() {
	open, failed, done := w.queue.Counts()
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
		w.running = false
		w.app.SendNotification(fyne.NewNotification("Skiff: transfers finished",
			fmt.Sprintf("%d successful, %d failed", done-w.doneBefore, failed-w.failedBefore)))
		w.doneBefore, w.failedBefore = done, failed
	}
}
