package queue

import (
	"os"
	"path/filepath"
	"slices"

	"github.com/skiff-ftp/skiff/engine"
)

// This file holds what the queue pane's buttons do: pause, resume, retry,
// cancel, remove, reorder, priorities and limits.

// Pause stops one item (a running transfer keeps its partial file) until
// Resume. A paused folder is not walked.
func (q *Queue) Pause(id ID) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if e := q.items[id]; e != nil {
		q.pause(e)
	}
}

func (q *Queue) pause(e *entry) {
	switch e.State {
	case Queued:
		q.setState(e, Paused)
	case Running:
		e.cancel(errPaused)
	}
}

// Resume queues a paused item again.
func (q *Queue) Resume(id ID) {
	q.mu.Lock()
	if e := q.items[id]; e != nil && e.State == Paused {
		e.Reason, e.Waiting = "", false // why it was held (a full disk) no longer holds
		q.setState(e, Queued)
		q.rebuildLane(e.Site)
	}
	q.mu.Unlock()
	q.poke()
}

// ResumeSite queues again the items of one site that wait for it (paused by
// ErrSiteUnavailable), after the user connected to it. Items the user
// paused stay paused.
func (q *Queue) ResumeSite(site engine.SiteKey) {
	q.mu.Lock()
	for _, id := range q.order {
		if e := q.items[id]; e.Site == site && e.State == Paused && e.Waiting {
			e.Reason, e.Waiting = "", false
			q.setState(e, Queued)
		}
	}
	q.rebuildLane(site)
	q.mu.Unlock()
	q.poke()
}

// PauseAll pauses every queued and running item.
func (q *Queue) PauseAll() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, id := range q.order {
		q.pause(q.items[id])
	}
}

// ResumeAll queues every paused item again.
func (q *Queue) ResumeAll() {
	q.mu.Lock()
	for _, id := range q.order {
		if e := q.items[id]; e.State == Paused {
			e.Reason, e.Waiting = "", false
			q.setState(e, Queued)
		}
	}
	q.rebuildLanes()
	q.mu.Unlock()
	q.poke()
}

// Retry queues a failed (or skipped) item again with its attempts reset.
func (q *Queue) Retry(id ID) {
	q.mu.Lock()
	// A refused name (or an unparsed listing line) has no target to retry.
	if e := q.items[id]; e != nil && (e.State == Failed || e.State == Skipped) && !(e.Direction == Download && e.rel == "") {
		q.requeue(e)
		q.rebuildLane(e.Site)
	}
	q.mu.Unlock()
	q.poke()
}

// RetryFailed queues every failed item again.
func (q *Queue) RetryFailed() {
	q.mu.Lock()
	for _, id := range q.order {
		if e := q.items[id]; e.State == Failed {
			q.requeue(e)
		}
	}
	q.rebuildLanes()
	q.mu.Unlock()
	q.poke()
}

func (q *Queue) requeue(e *entry) {
	e.Attempts, e.Reason, e.Code = 0, "", 0
	q.lane(e.Site).failing = 0 // the user asks for the retries again
	if !e.started {
		e.decided = false
	}
	q.setState(e, Queued)
}

// Cancel stops an item and removes it (with the items found in it, for a
// folder). A cancelled download's partial file is deleted.
func (q *Queue) Cancel(id ID) {
	q.mu.Lock()
	defer q.mu.Unlock()
	doomed := map[ID]bool{id: true}
	for _, oid := range q.order { // children come after their parents
		if e := q.items[oid]; doomed[e.Parent] {
			doomed[oid] = true
		}
	}
	for did := range doomed {
		if e := q.items[did]; e != nil {
			q.remove(e, true)
		}
	}
	q.compact()
}

// RemoveFinished removes done and skipped items (failed ones stay, to be
// retried or cancelled).
func (q *Queue) RemoveFinished() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, id := range q.order {
		if e := q.items[id]; e.State == Done || e.State == Skipped {
			q.remove(e, false)
		}
	}
	q.compact()
}

// compact drops removed items from the order; q.mu must be held.
func (q *Queue) compact() {
	q.order = slices.DeleteFunc(q.order, func(id ID) bool { return q.items[id] == nil })
}

// remove drops an item (the caller compacts the order); q.mu must be held.
func (q *Queue) remove(e *entry, deletePart bool) {
	if e.State == Running {
		e.cancel(errCanceled)
	} else if deletePart && e.Direction == Download && e.started && !e.Dir {
		go removePart(e.Root, e.rel)
	}
	if e.State == Queued || e.State == Running {
		q.active--
		q.signalIdle()
	}
	delete(q.items, e.ID)
	delete(q.running, e.ID)
	if q.st != nil {
		q.st.remove(e.ID)
	}
	q.ev.emit(Removed, e.Item)
}

func removePart(root, rel string) {
	if r, err := os.OpenRoot(root); err == nil {
		r.Remove(filepath.FromSlash(rel) + partSuffix)
		r.Close()
	}
}

// Move puts an item at position to (0 is the front) of the queue order.
func (q *Queue) Move(id ID, to int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	i := slices.Index(q.order, id)
	if i < 0 {
		return
	}
	q.order = slices.Delete(q.order, i, i+1)
	to = min(max(to, 0), len(q.order))
	q.order = slices.Insert(q.order, to, id)
	// A stored position between the neighbours', renumbering everything
	// only when they leave no room.
	e := q.items[id]
	var before, after int64 = 0, -1
	if to > 0 {
		before = q.items[q.order[to-1]].seq
	}
	if to+1 < len(q.order) {
		after = q.items[q.order[to+1]].seq
	} else {
		after = before + 2*seqGap
	}
	if after-before >= 2 {
		e.seq = before + (after-before)/2
		q.save(e)
	} else {
		for n, oid := range q.order {
			o := q.items[oid]
			o.seq = int64(n+1) * seqGap
			q.save(o)
		}
	}
	q.rebuildLanes()
	q.ev.emit(Changed, q.items[id].Item)
}

// SetPriority changes an item's priority.
func (q *Queue) SetPriority(id ID, p Priority) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if e := q.items[id]; e != nil {
		e.Priority = min(max(p, Low), High)
		q.save(e)
		q.rebuildLane(e.Site)
		q.ev.emit(Changed, e.Item)
	}
}

// SetSiteLimit sets how many transfers run at once for a site (1–10); the
// Pool keeps the number.
func (q *Queue) SetSiteLimit(site engine.SiteKey, n int) {
	q.pool.SetLimit(site, n)
	q.poke()
}

// SetParallel sets the global limit on running transfers.
func (q *Queue) SetParallel(n int) {
	q.mu.Lock()
	q.o.Parallel = max(n, 1)
	q.mu.Unlock()
	q.poke()
}

// SetRate sets the download and upload speed limits in bytes per second
// over all transfers; 0 removes a limit.
func (q *Queue) SetRate(down, up int64) {
	q.down.Store(newLimiter(down))
	q.up.Store(newLimiter(up))
}

// SetVerify turns checksum verification (Options.Verify) on or off for the
// transfers that finish from now on.
func (q *Queue) SetVerify(on bool) { q.verify.Store(on) }

// SetKeepModTime turns Options.KeepModTime on or off for the transfers that
// start from now on.
func (q *Queue) SetKeepModTime(on bool) { q.keepTime.Store(on) }

// Hold stops starting transfers (FileZilla's "process queue" off): running
// ones finish, queued ones wait for Start.
func (q *Queue) Hold() {
	q.mu.Lock()
	q.held = true
	q.mu.Unlock()
}
