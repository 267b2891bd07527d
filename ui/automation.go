package ui

import (
	"path"
	"path/filepath"
	"time"
)

// Automation drives the window without a person, for bench/gui.sh and the
// screenshot in docs/ (main fills it from SKIFF_BENCH_* variables). The
// download goes through the same path as a click: Transfers, the queue, its
// events and the queue pane.
type Automation struct {
	// Download is a remote folder queued for download as soon as the first
	// remote listing is on screen.
	Download string
	// Into is the local folder it is downloaded into; "" means the local
	// pane's folder.
	Into string
	// OnQueueDone is called once, when after Download nothing is queued or
	// running any more, with the time since it was queued.
	OnQueueDone func(elapsed time.Duration, done, failed int)
	// ScrollToEnd scrolls the remote file table to its last row right after
	// the first listing and reports how long the scroll took to lay out.
	ScrollToEnd bool
	OnScrolled  func(rows int, took time.Duration)
}

// automate hooks a into the window.
func (w *Window) automate(a *Automation) {
	first := w.remote.OnFirstRows
	w.remote.OnFirstRows = func(n int) {
		if first != nil {
			first(n)
		}
		if a.ScrollToEnd {
			t0 := time.Now()
			w.remote.table.table.ScrollToBottom()
			if a.OnScrolled != nil {
				a.OnScrolled(w.remote.table.rows(), time.Since(t0))
			}
		}
		if a.Download == "" || w.opts.Transfers == nil {
			return
		}
		into := a.Into
		if into == "" {
			into = w.local.cwd
		}
		started := time.Now()
		w.opts.Transfers.Download(w.cfg, a.Download, filepath.Join(into, path.Base(a.Download)), true, -1)
		w.msgs.Status("Queued " + a.Download + " for download (automation)")
		reported := false
		prev := w.queue.OnChange
		w.queue.OnChange = func() {
			if prev != nil {
				prev()
			}
			queued, failed, done := w.queue.Counts()
			if reported || queued > 0 || done+failed == 0 {
				return
			}
			reported = true
			if a.OnQueueDone != nil {
				a.OnQueueDone(time.Since(started), done, failed)
			}
		}
	}
}
