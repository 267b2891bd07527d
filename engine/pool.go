package engine

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// Purpose says what a pooled session is for. Each site has one browsing slot
// (listing, the UI's remote pane, folder walks) and Limit transfer slots, like
// FileZilla's "1 browsing + N transfer connections".
type Purpose uint8

const (
	Browse Purpose = iota
	Transfer
)

func (p Purpose) String() string {
	if p == Browse {
		return "browse"
	}
	return "transfer"
}

// Pool limits and tunables.
const (
	MinTransferConns = 1
	MaxTransferConns = 10

	DefaultReuseCheck   = 10 * time.Second // a session idle longer than this is NOOPed before reuse
	DefaultBackoff      = 1 * time.Second  // first wait after a 421 at connect
	DefaultMaxBackoff   = 30 * time.Second // longest wait between 421 retries
	DefaultIdleInterval = 5 * time.Second  // how often the janitor looks for idle sessions to close
	DefaultRecoverAfter = 60 * time.Second // a limit lowered by 421 regains one slot after this long without 421
)

// PoolOptions tune a Pool. The zero value means the defaults.
type PoolOptions struct {
	Transfers  int           // transfer slots per site unless SetLimit says otherwise; 0: DefaultTransferConns
	IdleClose  time.Duration // idle sessions are closed after this; 0: DefaultIdleClose
	ReuseCheck time.Duration // NOOP a session idle longer than this before handing it out; 0: DefaultReuseCheck
	Backoff    time.Duration // first wait after 421; 0: DefaultBackoff
	MaxBackoff time.Duration // 0: DefaultMaxBackoff
	// RecoverAfter: a transfer limit lowered by 421 regains one slot after
	// this long without another 421 (the server's other clients may have
	// gone); 0: DefaultRecoverAfter.
	RecoverAfter time.Duration
	Logger       *slog.Logger // nil: slog.Default()
	nowForTests  func() time.Time
}

// Pool reuses logged-in sessions per site (SiteKey) and is the one component
// that owns the per-site connection limit: one browsing slot plus Limit(key)
// transfer slots (default 2, 1–10). It is safe for concurrent use.
//
// Acquire blocks (honouring its context) until a slot for the purpose is
// free, then hands out an idle session of that site or dials a new one. An
// idle session is checked before reuse: Alive always, and a NOOP when it has
// been idle longer than ReuseCheck; a broken one is closed and replaced.
// Release returns a session: a live one becomes idle, a dead one is closed and
// its slot freed. Idle sessions are closed after IdleClose.
//
// A server answering 421 (ErrTooMany) at connect does not fail Acquire: the
// pool lowers the site's effective transfer limit to the number of transfer
// sessions it already has open (at least 1), waits with exponential back-off
// and tries again until the context ends. The limit regains one slot per
// RecoverAfter without a 421; SetLimit restores it at once.
//
// What one session learns about its site (REST refused, no pipelining:
// SiteMemory) every later session of the site knows: the pool hands the
// site's memory to each session it dials, unless Config.Memory is set.
//
// CloseSite is the UI's Disconnect: it ends a site's browsing without waiting
// for the idle timeout, and leaves the transfer queue's sessions alone.
type Pool struct {
	d Dialer
	o PoolOptions

	mu     sync.Mutex
	sites  map[SiteKey]*site
	leases map[Session]lease
	closed bool
	stop   chan struct{}
	done   chan struct{}
}

type lease struct {
	key     SiteKey
	purpose Purpose
	gen     uint64 // the site's gen when Acquire began; CloseSite makes it stale
}

type idleSession struct {
	s     Session
	since time.Time
}

// site is the pool's state for one SiteKey; guarded by Pool.mu.
type site struct {
	limit     int           // transfer slots as configured
	effective int           // transfer slots after 421s lowered it
	lowered   time.Time     // when a 421 last lowered effective, or it last regained a slot
	busy      [2]int        // slots in use (including dials in progress) by purpose
	idle      []idleSession // most recently released last
	wake      chan struct{} // closed and replaced whenever a slot frees up
	gen       uint64        // incremented by CloseSite
	memory    SiteMemory    // what the site's sessions learned, shared by all of them
}

// NewPool returns a pool that opens sessions with d.
func NewPool(d Dialer, o PoolOptions) *Pool {
	if o.Transfers == 0 {
		o.Transfers = DefaultTransferConns
	}
	o.Transfers = clampConns(o.Transfers)
	if o.IdleClose <= 0 {
		o.IdleClose = DefaultIdleClose
	}
	if o.ReuseCheck <= 0 {
		o.ReuseCheck = DefaultReuseCheck
	}
	if o.Backoff <= 0 {
		o.Backoff = DefaultBackoff
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	if o.RecoverAfter <= 0 {
		o.RecoverAfter = DefaultRecoverAfter
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.nowForTests == nil {
		o.nowForTests = time.Now
	}
	p := &Pool{d: d, o: o, sites: map[SiteKey]*site{}, leases: map[Session]lease{},
		stop: make(chan struct{}), done: make(chan struct{})}
	go p.janitor()
	return p
}

func clampConns(n int) int { return min(max(n, MinTransferConns), MaxTransferConns) }

// site returns the state for key, creating it; p.mu must be held.
func (p *Pool) site(key SiteKey) *site {
	s := p.sites[key]
	if s == nil {
		s = &site{limit: p.o.Transfers, effective: p.o.Transfers, wake: make(chan struct{})}
		p.sites[key] = s
	}
	return s
}

// SetLimit sets the number of transfer connections for a site (clamped to
// 1–10) and resets any lowering caused by 421 replies.
func (p *Pool) SetLimit(key SiteKey, transfers int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.site(key)
	s.limit = clampConns(transfers)
	s.effective = s.limit
	s.broadcast()
}

// Memory returns what the site's sessions have learned about it; the
// sessions the pool dials share it (Config.Memory).
func (p *Pool) Memory(key SiteKey) *SiteMemory {
	p.mu.Lock()
	defer p.mu.Unlock()
	return &p.site(key).memory
}

// Limit returns the site's effective number of transfer slots: the
// configured limit, or less after the server answered 421.
func (p *Pool) Limit(key SiteKey) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.site(key).effective
}

func (s *site) capacity(purpose Purpose) int {
	if purpose == Browse {
		return 1
	}
	return s.effective
}

func (s *site) broadcast() {
	close(s.wake)
	s.wake = make(chan struct{})
}

// Acquire returns a logged-in session for cfg's site, waiting for a free slot
// of the given purpose. The caller must Release it. Errors: the context's,
// ErrClosed after Close, and the dialer's (ErrTooMany is retried, not returned).
func (p *Pool) Acquire(ctx context.Context, cfg Config, purpose Purpose) (Session, error) {
	key := cfg.Key()
	backoff := p.o.Backoff
	p.mu.Lock()
	gen := p.site(key).gen
	if cfg.Memory == nil {
		cfg.Memory = &p.site(key).memory
	}
	p.mu.Unlock()
	for {
		sess, reserved, err := p.take(ctx, key, purpose, gen)
		if err != nil {
			return nil, err
		}
		if sess != nil {
			return sess, nil
		}
		if !reserved {
			continue
		}
		sess, err = p.d.Dial(ctx, cfg)
		if err == nil {
			p.mu.Lock()
			closed := p.closed
			if !closed {
				p.leases[sess] = lease{key, purpose, gen}
			}
			p.mu.Unlock()
			if closed {
				sess.Close()
				p.free(key, purpose)
				return nil, ErrClosed
			}
			return sess, nil
		}
		p.free(key, purpose)
		if !errors.Is(err, ErrTooMany) && ReplyCode(err) != 421 {
			return nil, err
		}
		p.tooMany(key, purpose)
		p.o.Logger.Info("server has too many connections; backing off", "site", key.Host, "wait", backoff)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, context.Cause(ctx)
		case <-t.C:
		}
		backoff = min(backoff*2, p.o.MaxBackoff)
	}
}

// take waits for a slot. It returns a checked idle session, or reserved=true
// when the caller holds a slot and must dial, or neither when an idle session
// failed its check and the caller should try again.
func (p *Pool) take(ctx context.Context, key SiteKey, purpose Purpose, gen uint64) (Session, bool, error) {
	p.mu.Lock()
	for {
		if p.closed {
			p.mu.Unlock()
			return nil, false, ErrClosed
		}
		s := p.site(key)
		if s.effective < s.limit && p.o.nowForTests().Sub(s.lowered) >= p.o.RecoverAfter {
			s.effective++
			s.lowered = p.o.nowForTests()
		}
		if s.busy[purpose] < s.capacity(purpose) {
			s.busy[purpose]++
			var is idleSession
			if n := len(s.idle); n > 0 {
				is = s.idle[n-1]
				s.idle = s.idle[:n-1]
			}
			p.mu.Unlock()
			if is.s == nil {
				return nil, true, nil
			}
			if p.check(ctx, is) {
				p.mu.Lock()
				p.leases[is.s] = lease{key, purpose, gen}
				p.mu.Unlock()
				return is.s, false, nil
			}
			// Broken while idle: drop it, and dial in its place with the slot we hold.
			is.s.Close()
			return nil, true, nil
		}
		wake := s.wake
		p.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, false, context.Cause(ctx)
		case <-wake:
		}
		p.mu.Lock()
	}
}

// check reports whether an idle session may be handed out.
func (p *Pool) check(ctx context.Context, is idleSession) bool {
	if !is.s.Alive() {
		return false
	}
	if p.o.nowForTests().Sub(is.since) < p.o.ReuseCheck {
		return true
	}
	return is.s.Noop(ctx) == nil && is.s.Alive()
}

// free gives back a reserved slot whose dial failed.
func (p *Pool) free(key SiteKey, purpose Purpose) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.site(key)
	s.busy[purpose]--
	s.broadcast()
}

// tooMany lowers the effective transfer limit to what is open now.
func (p *Pool) tooMany(key SiteKey, purpose Purpose) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.site(key)
	open := s.busy[Transfer] + len(s.idle)
	s.lowered = p.o.nowForTests()
	if purpose == Transfer && open < s.effective {
		s.effective = max(open, MinTransferConns)
		p.o.Logger.Info("lowering transfer connections after 421", "site", key.Host, "limit", s.effective)
	}
}

// Release gives a session back. A session that is no longer Alive is closed
// and its slot freed, and so is a browsing session acquired before CloseSite.
// Releasing a session the pool did not hand out closes it.
func (p *Pool) Release(sess Session) {
	if sess == nil {
		return
	}
	p.mu.Lock()
	l, ok := p.leases[sess]
	delete(p.leases, sess)
	if !ok || p.closed || !sess.Alive() || l.purpose == Browse && l.gen != p.site(l.key).gen {
		if ok {
			s := p.site(l.key)
			s.busy[l.purpose]--
			s.broadcast()
		}
		p.mu.Unlock()
		sess.Close()
		return
	}
	s := p.site(l.key)
	s.busy[l.purpose]--
	s.idle = append(s.idle, idleSession{sess, p.o.nowForTests()})
	s.broadcast()
	p.mu.Unlock()
}

// Stats reports a site's sessions: in use (by purpose), idle, and the
// effective transfer limit. For the UI's status line and tests.
func (p *Pool) Stats(key SiteKey) (browsing, transferring, idle, limit int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.site(key)
	return s.busy[Browse], s.busy[Transfer], len(s.idle), s.effective
}

// CloseSite ends browsing on a site, as FileZilla's Disconnect does: the
// site's idle sessions are closed now (before CloseSite returns), and every
// browsing session handed out by an Acquire that began before the call
// (including one still dialling or waiting for the slot) is closed when it
// is released instead of becoming idle. An operation running on it is not
// interrupted; the caller cancels its context to stop it.
//
// Transfer sessions in use are not touched: like FileZilla's queue, which
// keeps its own connections when the user disconnects, they finish their
// transfers and return to the pool as usual. Cancel the transfers to stop
// them. Acquire keeps working for the site; later sessions are new ones.
func (p *Pool) CloseSite(key SiteKey) {
	p.mu.Lock()
	s := p.sites[key]
	if s == nil {
		p.mu.Unlock()
		return
	}
	s.gen++
	idle := make([]Session, len(s.idle))
	for i, is := range s.idle {
		idle[i] = is.s
	}
	s.idle = nil
	p.mu.Unlock()
	closeAll(idle)
}

// Close closes every idle session and makes Acquire fail with ErrClosed.
// Sessions still leased are closed when released.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	var idle []Session
	for _, s := range p.sites {
		for _, is := range s.idle {
			idle = append(idle, is.s)
		}
		s.idle = nil
		s.broadcast()
	}
	p.mu.Unlock()
	close(p.stop)
	<-p.done
	closeAll(idle)
	return nil
}

// closeAll closes sessions at once rather than one after another: each
// Close waits for the server's answer to QUIT, a round trip apiece, which
// on a distant server made ending a run with N connections take N of them.
func closeAll(ss []Session) {
	var wg sync.WaitGroup
	for _, s := range ss {
		wg.Go(func() { s.Close() })
	}
	wg.Wait()
}

// janitor closes sessions idle longer than IdleClose.
func (p *Pool) janitor() {
	defer close(p.done)
	tick := time.NewTicker(min(DefaultIdleInterval, p.o.IdleClose/2))
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
		}
		p.closeIdle()
	}
}

func (p *Pool) closeIdle() {
	now := p.o.nowForTests()
	var old []Session
	p.mu.Lock()
	for _, s := range p.sites {
		keep := s.idle[:0]
		for _, is := range s.idle {
			if now.Sub(is.since) >= p.o.IdleClose {
				old = append(old, is.s)
			} else {
				keep = append(keep, is)
			}
		}
		s.idle = keep
	}
	p.mu.Unlock()
	closeAll(old)
}
