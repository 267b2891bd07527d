package queue

import (
	"context"
	"errors"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

// lane holds one site's queued items in start order, so picking the next
// item costs O(1) however long the queue is. Entries that stopped being
// queued are dropped lazily when popped.
type lane struct {
	files   [3][]ID // by priority: Low, Normal, High
	folders []ID
	running int // items running (transfers and walks), each on a transfer slot
	walking int // folder walks running (at most one per site)
	// failing is the reply code of a temporary error that outlasted an
	// item's retries, until an item of the site succeeds: other items that
	// meet it fail without retrying (see retry).
	failing int
}

func (q *Queue) lane(k engine.SiteKey) *lane {
	l := q.lanes[k]
	if l == nil {
		l = &lane{}
		q.lanes[k] = l
	}
	return l
}

func (l *lane) push(e *entry) {
	if e.Dir {
		l.folders = append(l.folders, e.ID)
		return
	}
	p := min(max(e.Priority, Low), High) - Low
	l.files[p] = append(l.files[p], e.ID)
}

// next pops the next queued folder (dirs) or file; q.mu must be held.
func (q *Queue) next(l *lane, dirs bool) *entry {
	if dirs {
		for len(l.folders) > 0 {
			id := l.folders[0]
			l.folders = l.folders[1:]
			if e := q.items[id]; e != nil && e.State == Queued {
				return e
			}
		}
		return nil
	}
	for p := len(l.files) - 1; p >= 0; p-- {
		for len(l.files[p]) > 0 {
			id := l.files[p][0]
			l.files[p] = l.files[p][1:]
			if e := q.items[id]; e != nil && e.State == Queued {
				return e
			}
		}
	}
	return nil
}

// rebuildLane refills a site's lane from the queue order; q.mu must be held.
func (q *Queue) rebuildLane(k engine.SiteKey) {
	l := q.lane(k)
	l.files, l.folders = [3][]ID{}, nil
	for _, id := range q.order {
		if e := q.items[id]; e.Site == k && e.State == Queued {
			l.push(e)
		}
	}
}

func (q *Queue) rebuildLanes() {
	for k := range q.lanes {
		q.rebuildLane(k)
	}
}

// scheduler starts items whenever something may have freed a slot.
func (q *Queue) scheduler() {
	defer q.wg.Done()
	for {
		select {
		case <-q.ctx.Done():
			return
		case <-q.kick:
		}
		q.dispatch()
	}
}

func (q *Queue) dispatch() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.held || q.closing {
		return
	}
	for k, l := range q.lanes {
		limit := q.pool.Limit(k)
		// Walks first: a walk queues files for every slot, and finished
		// files leave their slot here while a walk waits (follow).
		for l.walking < 1 && l.running < limit && q.nrun < q.o.Parallel {
			e := q.next(l, true)
			if e == nil {
				break
			}
			l.walking++
			l.running++
			q.nrun++
			q.start(e)
		}
		for l.running < limit && q.nrun < q.o.Parallel {
			e := q.next(l, false)
			if e == nil {
				break
			}
			l.running++
			q.nrun++
			q.start(e)
		}
	}
}

// start runs an item in a goroutine of its own; q.mu must be held. When a
// file ends, that goroutine starts the site's next queued file itself (see
// finish) instead of handing the slot back to the scheduler: a tree of small
// files then costs no goroutine start and no scheduler round trip per file.
func (q *Queue) start(e *entry) {
	ctx, cancel := q.begin(e)
	q.wg.Add(1)
	go func() {
		defer q.wg.Done()
		for e != nil {
			var res result
			if e.Dir {
				res = q.walk(ctx, e)
			} else {
				res = q.transfer(ctx, e)
			}
			next := q.finish(ctx, e, res)
			cancel(nil)
			if e = next; e != nil {
				ctx, cancel = next.ctx, next.cancel
			}
		}
	}()
}

// begin marks e running and gives it a context of its own; q.mu must be held.
func (q *Queue) begin(e *entry) (context.Context, context.CancelCauseFunc) {
	ctx, cancel := context.WithCancelCause(q.ctx)
	e.ctx, e.cancel = ctx, cancel
	e.Reason, e.Code = "", 0
	e.lastTick, e.lastBytes = time.Now(), e.Bytes
	e.live.Store(e.Bytes)
	q.setState(e, Running)
	return ctx, cancel
}

// follow picks the file to run next in the goroutine of a file of lane l
// that just ended, or nil to leave the slot to the scheduler: when the queue
// is held or closing, when the site's limit has shrunk, when a folder of the
// site waits to be walked, or when another site waits for a slot (the
// scheduler shares the global limit out fairly); q.mu must be held.
func (q *Queue) follow(k engine.SiteKey, l *lane) *entry {
	if q.held || q.closing || l.running >= q.pool.Limit(k) || q.nrun >= q.o.Parallel {
		return nil
	}
	if l.walking == 0 && len(l.folders) > 0 {
		return nil
	}
	for ok, ol := range q.lanes {
		if ok != k && ol.pending() {
			return nil
		}
	}
	e := q.next(l, false)
	if e != nil {
		l.running++
		q.nrun++
		q.begin(e)
	}
	return e
}

// pending reports whether the lane may have queued files (entries that
// stopped being queued are only dropped when popped).
func (l *lane) pending() bool {
	return len(l.files[0])+len(l.files[1])+len(l.files[2]) > 0
}

// result is how an item's run ended.
type result struct {
	state  State // Done or Skipped; Failed when err is set
	reason string
	err    error
}

// finish records how e's run ended and returns the file that this
// goroutine runs next (follow), already marked running, or nil.
func (q *Queue) finish(ctx context.Context, e *entry, res result) (next *entry) {
	q.mu.Lock()
	defer func() {
		if !e.Dir && next == nil {
			next = q.follow(e.Site, q.lane(e.Site))
		}
		q.mu.Unlock()
		if next == nil {
			q.poke()
		}
	}()
	l := q.lane(e.Site)
	if e.Dir {
		l.walking--
	}
	l.running--
	q.nrun--
	e.ctx, e.cancel = nil, nil
	e.Bytes = e.live.Load()
	if q.items[e.ID] != e { // cancelled (removed) while running
		if e.Direction == Download && e.started && !e.Dir {
			go removePart(e.Root, e.rel)
		}
		return
	}
	if e.State.Finished() { // a walked folder
		return
	}
	cause := context.Cause(ctx)
	switch {
	case errors.Is(cause, errPaused):
		q.setState(e, Paused)
		return
	case errors.Is(cause, errClosing), errors.Is(cause, errCanceled):
		e.State = Queued // persisted as queued, continued after a restart
		delete(q.running, e.ID)
		q.save(e)
		return
	}
	if errors.Is(res.err, ErrSiteUnavailable) {
		// No credentials yet (items restored before the user reconnected):
		// hold the site's items rather than fail them; ResumeSite continues.
		e.Reason, e.Waiting = res.err.Error(), true
		q.setState(e, Paused)
		for _, id := range q.order {
			if o := q.items[id]; o.Site == e.Site && o.State == Queued {
				o.Reason, o.Waiting = e.Reason, true
				q.setState(o, Paused)
			}
		}
		return
	}
	if e.Direction == Download && diskFull(res.err) {
		// Every download into this folder would meet it: hold them (with
		// their partial files) instead of failing them one by one, until
		// the user has made room and resumes.
		e.Reason = reasonDiskFull + ": " + res.err.Error()
		q.o.Logger.Warn("local disk full: holding the folder's downloads", "item", e.String(), "err", res.err)
		q.setState(e, Paused)
		for _, id := range q.order {
			if o := q.items[id]; o.Direction == Download && o.Root == e.Root && o.State == Queued {
				o.Reason = e.Reason
				q.setState(o, Paused)
			}
		}
		return
	}
	if res.err != nil {
		e.Reason, e.Code = res.err.Error(), engine.ReplyCode(res.err)
		q.o.Logger.Info("transfer failed", "item", e.String(), "err", res.err)
		if e.Code != 0 && engine.IsTemporary(res.err) {
			l.failing = e.Code
		}
		q.setState(e, Failed)
		var ce *connectError
		if errors.As(res.err, &ce) {
			// A refused login (or certificate, or missing TLS) would be
			// refused for every item of the site: fail them now instead of
			// logging in again and again. RetryFailed brings them back.
			for _, id := range q.order {
				if o := q.items[id]; o.Site == e.Site && o.State == Queued {
					o.Reason, o.Code = e.Reason, e.Code
					q.setState(o, Failed)
				}
			}
		}
		return
	}
	if res.reason != "" {
		e.Reason = res.reason
	}
	if res.state == Done {
		l.failing = 0 // the site works again
	}
	q.setState(e, res.state)
	return nil
}

// transfer runs a file item with retries.
func (q *Queue) transfer(ctx context.Context, e *entry) result {
	return q.retry(ctx, e, func() result { return q.attempt(ctx, e) })
}

// retry runs try until it succeeds, fails permanently or runs out of retries,
// waiting with doubling back-off in between. A temporary error is not
// retried when an earlier item of the site ran out of retries on the same
// reply and nothing of the site has succeeded since: a server whose disk is
// full answers every upload "451 Failure writing to local file", and
// retrying each of 2,000 files for 6 s would take 50 minutes to fail them.
func (q *Queue) retry(ctx context.Context, e *entry, try func() result) result {
	delay := q.o.RetryDelay
	q.mu.Lock()
	note := e.Reason // a note from the walk ("name made safe"), kept past the retries' messages
	q.mu.Unlock()
	for n := 0; ; n++ {
		q.mu.Lock()
		e.Attempts++ // stored with the outcome
		if n > 0 {
			e.Reason = note // "retrying: ..." no longer holds
		}
		q.mu.Unlock()
		res := try()
		if res.err == nil || ctx.Err() != nil || !engine.IsTemporary(res.err) || n >= q.o.Retries {
			return res
		}
		q.mu.Lock()
		failing := q.lane(e.Site).failing
		q.mu.Unlock()
		if code := engine.ReplyCode(res.err); code != 0 && code == failing {
			q.o.Logger.Info("not retrying: the site's last item failed the same way", "item", e.String(), "err", res.err)
			return res
		}
		q.o.Logger.Info("retrying", "item", e.String(), "err", res.err, "in", delay)
		q.mu.Lock()
		e.Reason = "retrying: " + res.err.Error()
		q.ev.emit(Changed, e.Item)
		q.mu.Unlock()
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return result{err: context.Cause(ctx)}
		case <-t.C:
		}
		delay *= 2
	}
}

// attempt is one try of a file item on a pooled session.
func (q *Queue) attempt(ctx context.Context, e *entry) result {
	sess, err := q.session(ctx, e, engine.Transfer)
	if err != nil {
		return result{err: err}
	}
	defer q.pool.Release(sess)
	e.ascii = q.setASCII(sess, e.Remote)
	if e.Direction == Download {
		return q.download(ctx, sess, e)
	}
	return q.upload(ctx, sess, e)
}

func (q *Queue) session(ctx context.Context, e *entry, p engine.Purpose) (engine.Session, error) {
	cfg, err := q.o.Config(ctx, e.Site, e.SiteRef)
	if err != nil {
		return nil, &connectError{err}
	}
	sess, err := q.pool.Acquire(ctx, cfg, p)
	if err != nil && !engine.IsTemporary(err) && ctx.Err() == nil {
		return nil, &connectError{err}
	}
	return sess, err
}

// connectError marks a permanent failure to get a session for a site (login
// refused, untrusted certificate, no credentials): every item of the site
// would meet it.
type connectError struct{ err error }

func (e *connectError) Error() string { return e.err.Error() }
func (e *connectError) Unwrap() error { return e.err }

// ticker turns running items' byte counts into coalesced progress events.
func (q *Queue) ticker() {
	defer q.wg.Done()
	t := time.NewTicker(q.o.ProgressInterval)
	defer t.Stop()
	for {
		select {
		case <-q.ctx.Done():
			return
		case now := <-t.C:
			q.progress(now)
		}
	}
}

func (q *Queue) progress(now time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, e := range q.running {
		if e.Dir {
			continue
		}
		b := e.live.Load()
		dt := now.Sub(e.lastTick).Seconds()
		if b == e.Bytes && e.Speed == 0 || dt <= 0 {
			continue
		}
		inst := float64(b-e.lastBytes) / dt
		if e.Speed == 0 {
			e.Speed = inst
		} else {
			e.Speed = 0.7*e.Speed + 0.3*inst // smooth over about a second
		}
		if e.Speed < 1 {
			e.Speed = 0
		}
		e.lastBytes, e.lastTick, e.Bytes = b, now, b
		e.Remaining = -1
		if e.Speed > 0 && e.Size >= 0 {
			e.Remaining = time.Duration(float64(e.Size-b) / e.Speed * float64(time.Second))
		}
		q.ev.emit(Changed, e.Item)
	}
}
