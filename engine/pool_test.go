package engine

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/textproto"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine/listing"
)

// poolSession is a Session that only knows whether it is alive.
type poolSession struct {
	alive   atomic.Bool
	closed  atomic.Bool
	noops   atomic.Int32
	onClose func() // called by Close when set (before the session counts as closed)
}

func (s *poolSession) List(context.Context, string) ([]listing.Entry, error) { return nil, nil }
func (s *poolSession) Stat(context.Context, string) (listing.Entry, error) {
	return listing.Entry{}, nil
}
func (s *poolSession) Retrieve(context.Context, string, int64, io.Writer) (int64, error) {
	return 0, nil
}
func (s *poolSession) Store(context.Context, string, int64, io.Reader) (int64, error) { return 0, nil }
func (s *poolSession) Mkdir(context.Context, string, bool) error                      { return nil }
func (s *poolSession) Rmdir(context.Context, string) error                            { return nil }
func (s *poolSession) Delete(context.Context, string) error                           { return nil }
func (s *poolSession) RemoveAll(context.Context, string) error                        { return nil }
func (s *poolSession) Rename(context.Context, string, string) error                   { return nil }
func (s *poolSession) Chmod(context.Context, string, fs.FileMode) error               { return nil }
func (s *poolSession) SetModTime(context.Context, string, time.Time) error            { return nil }
func (s *poolSession) Checksum(context.Context, string) (string, string, error) {
	return "", "", ErrUnsupported
}
func (s *poolSession) Getwd(context.Context) (string, error) { return "/", nil }
func (s *poolSession) Quote(context.Context, string) (int, string, error) {
	return 200, "", nil
}
func (s *poolSession) Noop(context.Context) error {
	s.noops.Add(1)
	if !s.alive.Load() {
		return ErrClosed
	}
	return nil
}
func (s *poolSession) Alive() bool        { return s.alive.Load() }
func (s *poolSession) Features() Features { return Features{} }
func (s *poolSession) Close() error {
	if s.onClose != nil {
		s.onClose()
	}
	s.closed.Store(true)
	s.alive.Store(false)
	return nil
}

type countingDialer struct {
	mu       sync.Mutex
	dials    int
	open     int // sessions dialled and not closed (approximate: counted at dial)
	tooMany  int // answer 421 to this many dials
	sessions []*poolSession
}

func (d *countingDialer) Dial(ctx context.Context, cfg Config) (Session, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.dials++
	if d.tooMany > 0 {
		d.tooMany--
		return nil, &Error{Op: "connect", Err: Classify("connect", &textproto.Error{Code: 421, Msg: "Too many connections"})}
	}
	s := &poolSession{}
	s.alive.Store(true)
	d.sessions = append(d.sessions, s)
	return s, nil
}

func (d *countingDialer) count() int { d.mu.Lock(); defer d.mu.Unlock(); return d.dials }

var testCfg = Config{Host: "h", User: "u", Password: "secret"}

func TestPoolReusesReleasedSession(t *testing.T) {
	d := &countingDialer{}
	p := NewPool(d, PoolOptions{})
	defer p.Close()
	ctx := context.Background()
	a, err := p.Acquire(ctx, testCfg, Transfer)
	if err != nil {
		t.Fatal(err)
	}
	p.Release(a)
	b, err := p.Acquire(ctx, testCfg, Browse)
	if err != nil {
		t.Fatal(err)
	}
	if a != b || d.count() != 1 {
		t.Fatalf("session not reused: dials=%d", d.count())
	}
	p.Release(b)
}

func TestPoolLimitBlocksUntilRelease(t *testing.T) {
	d := &countingDialer{}
	p := NewPool(d, PoolOptions{})
	defer p.Close()
	ctx := context.Background()
	var held []Session
	for range DefaultTransferConns {
		s, err := p.Acquire(ctx, testCfg, Transfer)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, s)
	}
	// The browsing slot is separate from the transfer slots.
	b, err := p.Acquire(ctx, testCfg, Browse)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := p.Acquire(short, testCfg, Transfer); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("third transfer: %v, want deadline exceeded", err)
	}
	got := make(chan Session)
	go func() {
		s, _ := p.Acquire(ctx, testCfg, Transfer)
		got <- s
	}()
	time.Sleep(20 * time.Millisecond)
	p.Release(held[0])
	if s := <-got; s != held[0] {
		t.Fatal("waiter did not get the released session")
	}
	if d.count() != 3 {
		t.Fatalf("dials=%d, want 3 (1 browse + 2 transfer)", d.count())
	}
	p.Release(b)
}

func TestPoolSetLimitClamps(t *testing.T) {
	p := NewPool(&countingDialer{}, PoolOptions{})
	defer p.Close()
	k := testCfg.Key()
	for _, tt := range []struct{ in, want int }{{0, 1}, {5, 5}, {11, 10}, {-3, 1}} {
		p.SetLimit(k, tt.in)
		if got := p.Limit(k); got != tt.want {
			t.Errorf("SetLimit(%d): Limit=%d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestPoolReplacesDeadSession(t *testing.T) {
	d := &countingDialer{}
	p := NewPool(d, PoolOptions{})
	defer p.Close()
	ctx := context.Background()
	a, _ := p.Acquire(ctx, testCfg, Transfer)
	a.(*poolSession).alive.Store(false) // broken during use
	p.Release(a)
	if !a.(*poolSession).closed.Load() {
		t.Fatal("dead session not closed on release")
	}
	b, _ := p.Acquire(ctx, testCfg, Transfer)
	if b == a {
		t.Fatal("dead session handed out again")
	}
	p.Release(b)
	b.(*poolSession).alive.Store(false) // broken while idle
	c, _ := p.Acquire(ctx, testCfg, Transfer)
	if c == b || !b.(*poolSession).closed.Load() || d.count() != 3 {
		t.Fatalf("idle dead session not replaced (dials=%d)", d.count())
	}
	p.Release(c)
}

func TestPoolNoopsStaleSession(t *testing.T) {
	now := time.Now()
	var mu sync.Mutex
	d := &countingDialer{}
	p := NewPool(d, PoolOptions{ReuseCheck: time.Second, nowForTests: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	defer p.Close()
	ctx := context.Background()
	a, _ := p.Acquire(ctx, testCfg, Transfer)
	p.Release(a)
	b, _ := p.Acquire(ctx, testCfg, Transfer)
	if n := a.(*poolSession).noops.Load(); n != 0 || b != a {
		t.Fatalf("fresh session NOOPed %d times", n)
	}
	p.Release(b)
	mu.Lock()
	now = now.Add(2 * time.Second)
	mu.Unlock()
	c, _ := p.Acquire(ctx, testCfg, Transfer)
	if n := a.(*poolSession).noops.Load(); n != 1 || c != a {
		t.Fatalf("stale session NOOPed %d times, want 1", n)
	}
	p.Release(c)
}

func TestPoolTooManyBacksOffAndLowersLimit(t *testing.T) {
	d := &countingDialer{}
	p := NewPool(d, PoolOptions{Backoff: 5 * time.Millisecond})
	defer p.Close()
	ctx := context.Background()
	a, err := p.Acquire(ctx, testCfg, Transfer)
	if err != nil {
		t.Fatal(err)
	}
	d.mu.Lock()
	d.tooMany = 2
	d.mu.Unlock()
	// The second transfer connection is refused with 421: the limit drops to
	// the one already open, so this Acquire waits for a to be released.
	got := make(chan error)
	go func() {
		s, err := p.Acquire(ctx, testCfg, Transfer)
		if err == nil {
			p.Release(s)
		}
		got <- err
	}()
	time.Sleep(50 * time.Millisecond)
	if l := p.Limit(testCfg.Key()); l != 1 {
		t.Fatalf("limit after 421 = %d, want 1", l)
	}
	p.Release(a)
	if err := <-got; err != nil {
		t.Fatalf("Acquire after 421: %v", err)
	}
}

func TestPoolClosesIdleSessions(t *testing.T) {
	d := &countingDialer{}
	p := NewPool(d, PoolOptions{IdleClose: 20 * time.Millisecond})
	defer p.Close()
	a, _ := p.Acquire(context.Background(), testCfg, Transfer)
	p.Release(a)
	deadline := time.Now().Add(2 * time.Second)
	for !a.(*poolSession).closed.Load() {
		if time.Now().After(deadline) {
			t.Fatal("idle session never closed")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestPoolClose(t *testing.T) {
	d := &countingDialer{}
	p := NewPool(d, PoolOptions{})
	a, _ := p.Acquire(context.Background(), testCfg, Transfer)
	b, _ := p.Acquire(context.Background(), testCfg, Transfer)
	p.Release(a)
	p.Close()
	if !a.(*poolSession).closed.Load() {
		t.Fatal("idle session survived Close")
	}
	if _, err := p.Acquire(context.Background(), testCfg, Transfer); !errors.Is(err, ErrClosed) {
		t.Fatalf("Acquire after Close: %v", err)
	}
	p.Release(b)
	if !b.(*poolSession).closed.Load() {
		t.Fatal("leased session not closed when released after Close")
	}
}

func TestPoolLimitRecoversAfterQuietPeriod(t *testing.T) {
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	d := &countingDialer{tooMany: 1}
	p := NewPool(d, PoolOptions{Backoff: time.Millisecond, RecoverAfter: time.Minute, nowForTests: clock})
	defer p.Close()
	k := testCfg.Key()
	s, err := p.Acquire(context.Background(), testCfg, Transfer) // 421, then succeeds
	if err != nil {
		t.Fatal(err)
	}
	p.Release(s)
	if l := p.Limit(k); l != 1 {
		t.Fatalf("limit after 421 = %d, want 1", l)
	}
	mu.Lock()
	now = now.Add(2 * time.Minute)
	mu.Unlock()
	s, _ = p.Acquire(context.Background(), testCfg, Transfer)
	p.Release(s)
	if l := p.Limit(k); l != 2 {
		t.Fatalf("limit after a quiet period = %d, want 2", l)
	}
}

// Disconnect in the UI: the browsing session goes now, not after IdleClose,
// and a transfer in progress keeps its session (FileZilla's queue keeps its
// own connections when the user disconnects).
func TestPoolCloseSite(t *testing.T) {
	d := &countingDialer{}
	p := NewPool(d, PoolOptions{})
	defer p.Close()
	ctx := context.Background()
	other := testCfg
	other.Host = "other.example.com"

	idle, _ := p.Acquire(ctx, testCfg, Transfer)
	browse, _ := p.Acquire(ctx, testCfg, Browse)
	xfer, _ := p.Acquire(ctx, testCfg, Transfer)
	elsewhere, _ := p.Acquire(ctx, other, Browse)
	p.Release(idle)
	p.Release(elsewhere)

	p.CloseSite(testCfg.Key())
	if !idle.(*poolSession).closed.Load() {
		t.Fatal("idle session survived CloseSite")
	}
	if browse.(*poolSession).closed.Load() || xfer.(*poolSession).closed.Load() {
		t.Fatal("CloseSite closed a session in use")
	}
	if elsewhere.(*poolSession).closed.Load() {
		t.Fatal("CloseSite closed another site's session")
	}

	p.Release(browse)
	if !browse.(*poolSession).closed.Load() {
		t.Fatal("browsing session in use during CloseSite became idle on Release")
	}
	p.Release(xfer)
	if xfer.(*poolSession).closed.Load() {
		t.Fatal("transfer session closed on Release after CloseSite")
	}

	// The site still works, with sessions acquired afterwards pooled as usual.
	again, err := p.Acquire(ctx, testCfg, Browse)
	if err != nil {
		t.Fatal(err)
	}
	if again != xfer {
		t.Fatal("idle transfer session not reused after CloseSite")
	}
	p.Release(again)
	if again.(*poolSession).closed.Load() {
		t.Fatal("session acquired after CloseSite closed on Release")
	}
	if b, _, idleN, _ := p.Stats(testCfg.Key()); b != 0 || idleN != 1 {
		t.Fatalf("Stats after CloseSite: browsing=%d idle=%d, want 0 and 1", b, idleN)
	}
}

// A browsing session still being dialled when the user disconnects is closed
// when it is released, not kept.
func TestPoolCloseSiteDuringDial(t *testing.T) {
	dialing, proceed := make(chan struct{}), make(chan struct{})
	sess := &poolSession{}
	sess.alive.Store(true)
	p := NewPool(DialerFunc(func(ctx context.Context, cfg Config) (Session, error) {
		close(dialing)
		<-proceed
		return sess, nil
	}), PoolOptions{})
	defer p.Close()
	got := make(chan Session)
	go func() {
		s, _ := p.Acquire(context.Background(), testCfg, Browse)
		got <- s
	}()
	<-dialing
	p.CloseSite(testCfg.Key())
	close(proceed)
	p.Release(<-got)
	if !sess.closed.Load() {
		t.Fatal("session dialled across CloseSite became idle")
	}
}

// Closing the pool says QUIT on every idle session at once: each Close
// waits here until all four are in progress, which closing one after
// another never reaches.
func TestCloseEndsIdleSessionsTogether(t *testing.T) {
	d := &countingDialer{}
	p := NewPool(d, PoolOptions{Transfers: 4})
	cfg := Config{Host: "h", User: "u"}
	var held []Session
	for range 4 {
		s, err := p.Acquire(context.Background(), cfg, Transfer)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, s)
	}
	var entered sync.WaitGroup
	entered.Add(4)
	all := make(chan struct{})
	go func() { entered.Wait(); close(all) }()
	var timedOut atomic.Bool
	for _, s := range d.sessions {
		s.onClose = func() {
			entered.Done()
			select {
			case <-all:
			case <-time.After(2 * time.Second):
				timedOut.Store(true)
			}
		}
	}
	for _, s := range held {
		p.Release(s)
	}
	p.Close()
	if timedOut.Load() {
		t.Fatal("idle sessions were closed one after another")
	}
	for i, s := range d.sessions {
		if !s.closed.Load() {
			t.Fatalf("session %d still open after Close", i)
		}
	}
}

// TestSessionsOfASiteShareItsMemory: what one session of a site learned
// (REST refused) every session the pool dials for the site knows; another
// site knows nothing of it.
func TestSessionsOfASiteShareItsMemory(t *testing.T) {
	var mu sync.Mutex
	var mems []*SiteMemory
	p := NewPool(DialerFunc(func(ctx context.Context, cfg Config) (Session, error) {
		mu.Lock()
		mems = append(mems, cfg.Memory)
		mu.Unlock()
		s := &poolSession{}
		s.alive.Store(true)
		return s, nil
	}), PoolOptions{Transfers: 2})
	defer p.Close()
	a, b := Config{Host: "a.example"}, Config{Host: "b.example"}
	s1, err := p.Acquire(context.Background(), a, Transfer)
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := p.Acquire(context.Background(), a, Transfer)
	s3, _ := p.Acquire(context.Background(), b, Transfer)
	defer p.Release(s1)
	defer p.Release(s2)
	defer p.Release(s3)
	if len(mems) != 3 || mems[0] == nil || mems[0] != mems[1] || mems[0] == mems[2] || mems[0] != p.Memory(a.Key()) {
		t.Fatalf("memories %p: want one per site, shared by its sessions", mems)
	}
	if !mems[0].Learn(NoRestart) || mems[0].Learn(NoRestart) {
		t.Fatal("Learn did not report news once")
	}
	if !p.Memory(a.Key()).Has(NoRestart) || p.Memory(b.Key()).Has(NoRestart) || p.Memory(a.Key()).Has(NoPipeline) {
		t.Fatal("the quirk is not the site's alone")
	}
	var none *SiteMemory
	if none.Learn(NoPipeline) || none.Has(NoPipeline) {
		t.Fatal("a nil memory learned")
	}
}
