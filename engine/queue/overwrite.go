package queue

import (
	"context"
	"io"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// action is what an overwrite policy decided for one existing target.
type action uint8

const (
	actReplace action = iota
	actSkip
	actResume
	actRename
)

// decide applies a policy (not Ask) to an existing target. Unknown sizes are
// -1 and unknown times zero; when the policy needs a fact that is unknown it
// replaces the target (as FileZilla does), except Resume, which never throws
// away a shorter target.
func decide(p Overwrite, srcSize int64, srcTime time.Time, dstSize int64, dstTime time.Time) action {
	newer := srcTime.IsZero() || dstTime.IsZero() || srcTime.After(dstTime)
	differs := srcSize < 0 || dstSize < 0 || srcSize != dstSize
	switch p {
	case Skip:
		return actSkip
	case Rename:
		return actRename
	case IfNewer:
		if newer {
			return actReplace
		}
		return actSkip
	case IfSizeDiffers:
		if differs {
			return actReplace
		}
		return actSkip
	case IfSizeDiffersOrNewer:
		if differs || newer {
			return actReplace
		}
		return actSkip
	case Resume:
		switch {
		case srcSize >= 0 && dstSize == srcSize:
			return actSkip
		case srcSize < 0 || dstSize < srcSize:
			return actResume
		}
		return actReplace
	}
	return actReplace
}

// policy returns the item's policy, asking the caller when it is Ask. An
// answer "for all" is kept on the item's job (SetAlways): other jobs, added
// before or after, are asked again.
func (q *Queue) policy(ctx context.Context, e *entry, c Conflict) Overwrite {
	if e.Policy != Ask {
		return e.Policy
	}
	// One question at a time: a second conflict of the job waits, and then
	// sees an "apply to all" answer given to the first.
	q.askMu.Lock()
	defer q.askMu.Unlock()
	q.mu.Lock()
	always, all := e.Always, q.answer
	q.mu.Unlock()
	if always != Ask {
		return always
	}
	if all != nil {
		return all.Policy
	}
	if q.o.Ask == nil {
		return Skip
	}
	a := q.o.Ask(ctx, c)
	if a.Policy == Ask {
		a.Policy = Skip
	}
	if a.All {
		q.SetAlways(e.Job, a.Policy)
	}
	return a.Policy
}

// SetAnswer sets (or with nil clears) an "apply to all" answer for every
// item of the queue whose policy is Ask, whatever its job (a job's own
// answer, SetAlways, comes first).
func (q *Queue) SetAnswer(a *Answer) {
	q.mu.Lock()
	q.answer = a
	q.mu.Unlock()
}

// SetAlways sets the "always use this action" answer of one job (the ID of
// its top item, Item.Job): its items whose policy is Ask, and those a
// folder walk still finds, use p instead of asking. Ask clears it, so the
// next conflict of the job is asked again.
func (q *Queue) SetAlways(job ID, p Overwrite) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, id := range q.order {
		if e := q.items[id]; e.Job == job && e.Always != p {
			e.Always = p
			q.save(e)
			q.ev.emit(Changed, e.Item)
		}
	}
}

// snapshot copies e's Item under q.mu: SetAlways (and the state changes)
// write it from other goroutines while a transfer runs.
func (q *Queue) snapshot(e *entry) Item {
	q.mu.Lock()
	defer q.mu.Unlock()
	return e.Item
}

// newLimiter returns a limiter for bps bytes per second, nil for unlimited.
func newLimiter(bps int64) *rate.Limiter {
	if bps <= 0 {
		return nil
	}
	return rate.NewLimiter(rate.Limit(bps), int(max(bps/20, 1024)))
}

// meter counts bytes into an item's live counter and applies a speed limit.
type meter struct {
	ctx context.Context
	n   *atomic.Int64
	lim *atomic.Pointer[rate.Limiter]
}

func (m meter) wait(n int) error {
	lim := m.lim.Load()
	if lim == nil {
		return nil
	}
	for n > 0 {
		c := min(n, lim.Burst())
		if err := lim.WaitN(m.ctx, c); err != nil {
			return err
		}
		n -= c
	}
	return nil
}

type meteredWriter struct {
	w io.Writer
	meter
}

// Write passes p on a burst at a time, each after the limiter allows it:
// engine/ftp hands over up to 512 KiB at once, and waiting for all of it
// before writing any made the bytes (and the speed the queue reports) jump
// a buffer at a time — at 200 kB/s every 2.6 s, the speed decaying to a few
// KiB/s in between.
func (w meteredWriter) Write(p []byte) (int, error) {
	var done int
	for len(p) > 0 {
		c := len(p)
		if lim := w.lim.Load(); lim != nil {
			c = min(c, lim.Burst())
		}
		if err := w.wait(c); err != nil {
			return done, err
		}
		n, err := w.w.Write(p[:c])
		done += n
		w.n.Add(int64(n))
		if err != nil {
			return done, err
		}
		p = p[c:]
	}
	return done, nil
}

type meteredReader struct {
	r io.Reader
	meter
}

func (r meteredReader) Read(p []byte) (int, error) {
	if lim := r.lim.Load(); lim != nil && len(p) > lim.Burst() {
		p = p[:lim.Burst()]
	}
	n, err := r.r.Read(p)
	r.n.Add(int64(n))
	if werr := r.wait(n); werr != nil && err == nil {
		err = werr
	}
	return n, err
}
