package mirror

import (
	"context"
	"sync"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// A login can cost far more than the work a sync has for its session:
// vsftpd's PAM hashes the password (a quarter of a second of CPU on a busy
// machine), a TLS handshake adds round trips, and a re-sync that finds 20
// changes in 2,000 files has perhaps 50 ms of listings and transfers in all.
// So a sync does not log in Parallel sessions up front: it starts with the
// sessions the pool already holds (at least one) and opens another only
// while the work left would keep the open ones busy for longer than a login
// takes. The scan, Refine and the queue's transfers (Sync.Scale) decide by
// the same rule, with the same measurements.

// costs is what a sync measured of a server: how long a login takes (the
// slowest Acquire seen, which is one that had to dial).
type costs struct {
	mu    sync.Mutex
	login time.Duration
}

func (c *costs) sawLogin(d time.Duration) {
	c.mu.Lock()
	c.login = max(c.login, d)
	c.mu.Unlock()
}

func (c *costs) loginTime() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.login
}

// pays reports whether another session pays: left units of work, done of
// which took elapsed on the sessions open, would keep those busy for longer
// than a login takes.
func pays[N int | int64](left, done N, elapsed, login time.Duration) bool {
	if left <= 0 || done <= 0 {
		return false
	}
	return float64(left)*float64(elapsed)/float64(done) > float64(login)
}

// costsOf returns r's measurements, or fresh ones for a Remote used alone.
func (r Remote) costsOf() *costs {
	if r.costs != nil {
		return r.costs
	}
	return &costs{}
}

// open returns how many idle sessions the pool holds for r's site: they
// cost no login.
func (r Remote) open() int {
	_, _, idle, _ := r.Pool.Stats(r.Config.Key())
	return idle
}

// crew runs jobs (paths) over sessions of r's pool, each worker holding one
// session; a job may add jobs (a folder's subfolders). After every job it
// starts another worker when pays says so, up to max.
type crew struct {
	r   Remote
	c   *costs
	max int
	// do runs one job; more are jobs it found. An error ends the crew.
	do func(ctx context.Context, sess engine.Session, job string) (more []string, err error)

	mu      sync.Mutex
	cond    *sync.Cond
	pending []string
	busy    int // jobs running
	workers int
	done    int
	worked  time.Duration // summed over the jobs done
	err     error
	wg      sync.WaitGroup
}

// run does jobs (and the jobs they add) with at first as many workers as
// the pool has idle sessions for the site (at least one, at most w.max), and
// returns the first error.
func (w *crew) run(ctx context.Context, jobs []string) error {
	w.cond = sync.NewCond(&w.mu)
	w.pending = jobs
	w.max = max(w.max, 1)
	w.mu.Lock()
	for range min(max(w.r.open(), 1), w.max, max(len(jobs), 1)) {
		w.spawn(ctx)
	}
	w.mu.Unlock()
	w.wg.Wait()
	return w.err
}

// spawn starts a worker; w.mu is held.
func (w *crew) spawn(ctx context.Context) {
	w.workers++
	w.wg.Go(func() { w.work(ctx) })
}

// next waits for a job; false when there are none left (or the crew failed).
func (w *crew) next() (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for len(w.pending) == 0 && w.busy > 0 && w.err == nil {
		w.cond.Wait()
	}
	if len(w.pending) == 0 || w.err != nil {
		return "", false
	}
	job := w.pending[len(w.pending)-1]
	w.pending = w.pending[:len(w.pending)-1]
	w.busy++
	return job, true
}

func (w *crew) work(ctx context.Context) {
	defer w.cond.Broadcast()
	var sess engine.Session
	defer func() {
		if sess != nil {
			w.r.Pool.Release(sess)
		}
	}()
	for {
		// The session first, then a job: a worker waiting for a session
		// (a server that took no more, the pool backing off) holds no job
		// the others would wait for while they hold theirs.
		if sess == nil {
			t0 := time.Now()
			s, err := w.r.Pool.Acquire(ctx, w.r.Config, engine.Transfer)
			if err != nil {
				w.mu.Lock()
				w.workers--
				w.max = max(w.workers, 1) // the server takes no more: do not ask again
				if w.workers == 0 && w.err == nil {
					w.err = err
				}
				w.mu.Unlock()
				return
			}
			w.c.sawLogin(time.Since(t0))
			sess = s
		}
		job, ok := w.next()
		if !ok {
			return
		}
		t0 := time.Now()
		more, err := w.do(ctx, sess, job)
		took := time.Since(t0)
		if !sess.Alive() {
			w.r.Pool.Release(sess)
			sess = nil
		}
		w.mu.Lock()
		w.busy--
		w.done++
		w.worked += took
		w.pending = append(w.pending, more...)
		if err != nil && w.err == nil {
			w.err = err
		}
		// The work left, at the pace the open workers keep.
		if w.err == nil && w.workers < w.max &&
			pays(len(w.pending), w.done, w.worked/time.Duration(w.workers), w.c.loginTime()) {
			w.spawn(ctx)
		}
		w.mu.Unlock()
		w.cond.Broadcast()
	}
}

// Transfers is how many transfers a queue should run at first: the idle
// sessions the pool holds for the site (those the scan logged in), which
// cost no login (at least one, at most Parallel). Scale adds more where
// they pay.
func (s *Sync) Transfers() int {
	return min(max(s.Remote.open(), 1), max(s.Remote.Parallel, 1))
}

// Scale raises q's parallel transfers (SetParallel), one at a time from n
// up to Parallel, while the queued transfers left would keep the running
// ones busy for longer than a login takes, at the pace so far: by items
// (small files, where each costs round trips) or by bytes (large ones). It
// follows q's events until stop is called.
func (s *Sync) Scale(q *queue.Queue, queued []Queued, n int) (stop func()) {
	maxN := max(s.Remote.Parallel, 1)
	if n >= maxN || len(queued) <= n {
		return func() {}
	}
	login := s.Remote.costsOf().loginTime()
	size := map[queue.ID]int64{}
	var totalBytes int64
	for _, qd := range queued {
		size[qd.ID] = max(qd.Action.Size, 0)
		totalBytes += max(qd.Action.Size, 0)
	}
	var (
		mu        sync.Mutex
		start     = time.Now()
		bytes     = map[queue.ID]int64{}
		finished  = map[queue.ID]bool{}
		doneBytes int64
	)
	return q.Subscribe(func(ev queue.Event) {
		it := ev.Item
		if _, ours := size[it.ID]; !ours || ev.Kind != queue.Changed {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if n >= maxN || finished[it.ID] {
			return
		}
		b := it.Bytes
		if it.State.Finished() {
			finished[it.ID] = true
			b = size[it.ID]
		}
		doneBytes += b - bytes[it.ID]
		bytes[it.ID] = b
		elapsed := time.Since(start)
		if pays(len(queued)-len(finished), len(finished), elapsed, login) ||
			pays(totalBytes-doneBytes, doneBytes, elapsed, login) {
			n++
			q.SetParallel(n)
		}
	})
}
