package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/skiff-ftp/skiff/engine"
)

// Defaults.
const (
	DefaultParallel         = 10                     // transfers running at once across all sites
	DefaultRetries          = 2                      // retries after a temporary error
	DefaultRetryDelay       = 2 * time.Second        // first back-off; doubles per retry
	DefaultProgressInterval = 100 * time.Millisecond // progress events per item at most this often
	FlushInterval           = 100 * time.Millisecond // batched persistence delay
	NoRetries               = -1                     // Options.Retries value for "never retry"
)

// Options configure a Queue. Config is required.
type Options struct {
	// Path is the bbolt file the queue lives in; "" keeps it in memory only.
	Path string
	// Config returns the connection settings (with the password) for a
	// site. It is called whenever the queue connects, from queue goroutines.
	// An error fails the site's queued items, except one wrapping
	// ErrSiteUnavailable, which pauses them.
	Config func(ctx context.Context, site engine.SiteKey, ref string) (engine.Config, error)
	// Ask decides a conflict for items whose policy is Ask. It is called
	// from a transfer goroutine, one call at a time, and may block (the item
	// waits; its context ends if the item is paused or cancelled). nil: skip.
	Ask func(ctx context.Context, c Conflict) Answer

	Parallel   int           // global limit on running transfers; 0: DefaultParallel
	Retries    int           // retries after a temporary error; 0: DefaultRetries; NoRetries: none
	RetryDelay time.Duration // first back-off; 0: DefaultRetryDelay

	Verify      bool // compare a server checksum (HASH/X*) after each transfer when the server offers one
	KeepModTime bool // set the local file's time from the server's (downloads) and MFMT (uploads)

	DownloadRate, UploadRate int64 // bytes per second over all transfers; 0: unlimited

	// TransferType picks TYPE A or I for each FTP transfer by the remote
	// name (SFTP has no ASCII mode). An ASCII transfer is never resumed,
	// its size not compared and its checksum not verified: line ends
	// change on the way. The zero value sends everything binary.
	TransferType engine.TypeRule

	// NoSync skips the fsync after each save, when creating the file, and
	// of each finished download (the caller syncs once when it is done):
	// the queue still survives the process being killed (SIGKILL), not the
	// machine losing power. For short-lived queues such as the command
	// line's.
	NoSync bool

	Hold             bool          // do not start transfers until Start
	ProgressInterval time.Duration // 0: DefaultProgressInterval
	Logger           *slog.Logger  // nil: slog.Default()
}

// Queue runs transfers. See the package doc for its contracts.
type Queue struct {
	pool *engine.Pool
	o    Options
	st   *store // nil when in memory

	mu      sync.Mutex
	items   map[ID]*entry
	order   []ID // every item, in queue order
	nextID  ID
	lanes   map[engine.SiteKey]*lane
	running map[ID]*entry // running items (transfers and walks), for the progress ticker
	nrun    int           // transfers running, all sites
	active  int           // items queued or running
	idle    chan struct{}
	answer  *Answer    // an Ask answer "for all"
	askMu   sync.Mutex // serialises Options.Ask calls
	held    bool
	closing bool

	roots    roots   // folder handles shared by downloads
	targets  targets // local files being written, one item each
	ev       *events
	down     atomic.Pointer[rate.Limiter]
	up       atomic.Pointer[rate.Limiter]
	verify   atomic.Bool // Options.Verify, SetVerify
	keepTime atomic.Bool // Options.KeepModTime, SetKeepModTime
	kick     chan struct{}
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup

	ttype atomic.Pointer[engine.TypeRule] // Options.TransferType, SetTransferType
}

// entry is an item plus what only the queue sees.
type entry struct {
	Item
	rel     string // download: the target path under Root, slash-separated
	below   string // the path below the job's top folder ("" for the top), for Exclude
	started bool   // we have written to the target (.part or remote): resume, do not ask
	decided bool   // the overwrite question is settled for this item
	seq     int64  // persisted queue position

	ctx       context.Context         // set while running
	cancel    context.CancelCauseFunc // set while running
	live      atomic.Int64            // bytes, updated by the transfer
	lastBytes int64
	ascii     bool // the running attempt is TYPE A (set by attempt)
	lastTick  time.Time
}

// ErrSiteUnavailable, returned (wrapped) by Options.Config, pauses the
// site's items instead of failing them: for items restored from a previous
// run whose site the user has not connected to (given the password) yet.
// ResumeSite continues them.
var ErrSiteUnavailable = errors.New("site not available yet")

// seqGap spaces stored queue positions so that Move usually renumbers
// nothing but the moved item.
const seqGap = 1 << 10

// Why a running item stopped early.
var (
	errPaused   = errors.New("paused")
	errCanceled = errors.New("canceled")
	errClosing  = errors.New("queue closing")
)

// New opens the queue, restoring unfinished items from o.Path, and starts it
// (unless o.Hold). Close it when done.
func New(pool *engine.Pool, o Options) (*Queue, error) {
	if o.Config == nil {
		return nil, errors.New("queue: Options.Config is required")
	}
	if o.Parallel <= 0 {
		o.Parallel = DefaultParallel
	}
	if o.Retries == 0 {
		o.Retries = DefaultRetries
	} else if o.Retries < 0 {
		o.Retries = 0
	}
	if o.RetryDelay <= 0 {
		o.RetryDelay = DefaultRetryDelay
	}
	if o.ProgressInterval <= 0 {
		o.ProgressInterval = DefaultProgressInterval
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	q := &Queue{pool: pool, o: o, items: map[ID]*entry{}, lanes: map[engine.SiteKey]*lane{}, running: map[ID]*entry{},
		nextID: 1, held: o.Hold, ev: newEvents(), kick: make(chan struct{}, 1), idle: make(chan struct{})}
	q.SetRate(o.DownloadRate, o.UploadRate)
	q.SetVerify(o.Verify)
	q.SetKeepModTime(o.KeepModTime)
	q.SetTransferType(o.TransferType)
	q.ctx, q.cancel = context.WithCancel(context.Background())
	if o.Path != "" {
		st, recs, err := openStore(o.Path, o.NoSync, o.Logger)
		if err != nil {
			return nil, err
		}
		q.st = st
		q.restore(recs)
	}
	q.wg.Add(2)
	go q.scheduler()
	go q.ticker()
	q.poke()
	return q, nil
}

// Add queues a job and returns its top item's ID. The item is persisted
// before Add returns.
func (q *Queue) Add(j Job) (ID, error) {
	if j.Remote == "" || j.Local == "" {
		return 0, errors.New("queue: a job needs a remote and a local path")
	}
	local, err := filepath.Abs(j.Local)
	if err != nil {
		return 0, err
	}
	size := j.Size
	if size == 0 && (j.Dir || j.Direction == Download) {
		size = -1 // unknown: asked when the item runs
	}
	it := Item{
		Direction: j.Direction, Dir: j.Dir, Site: j.Site, SiteRef: j.SiteRef,
		Remote: path.Clean(j.Remote), Local: local, Size: size, ModTime: j.ModTime,
		Priority: j.Priority, Policy: j.Policy, Restart: j.Restart, Remaining: -1, Added: time.Now(),
	}
	if j.Dir {
		it.Exclude = slices.Clone(j.Exclude)
	}
	rel := "."
	if j.Direction == Download {
		it.Root = local
		switch {
		case j.Name != "":
			// The one gate for a name a server sent: the window never
			// joins it to a path itself.
			name, err := SafeName(j.Name)
			if err != nil {
				it.State, it.Reason = Skipped, reasonUnsafe+": "+err.Error()
				it.Local = local
				q.o.Logger.Warn("refused unsafe name from server", "remote", j.Remote, "name", j.Name)
				break
			}
			if name != j.Name {
				it.Reason = fmt.Sprintf("saved as %q", name)
			}
			rel, it.Local = name, filepath.Join(local, name)
		case !j.Dir:
			it.Root, rel = filepath.Dir(local), filepath.Base(local)
		}
		if err := os.MkdirAll(it.Root, 0o755); err != nil {
			return 0, err
		}
	}
	q.mu.Lock()
	if q.closing {
		q.mu.Unlock()
		return 0, engine.ErrClosed
	}
	if w := q.items[j.With]; w != nil {
		it.Job, it.Always = w.Job, w.Always
	}
	e := q.insert(it, rel)
	q.save(e)
	q.mu.Unlock()
	if err := q.flush(); err != nil {
		return e.ID, err
	}
	q.poke()
	return e.ID, nil
}

// insert adds an item at the end of the queue; q.mu must be held.
func (q *Queue) insert(it Item, rel string) *entry {
	it.ID = q.nextID
	q.nextID++
	if it.Job == 0 {
		it.Job = it.ID // a job's top item
	}
	e := &entry{Item: it, rel: filepath.ToSlash(rel)}
	e.seq = seqGap
	if n := len(q.order); n > 0 {
		e.seq = q.items[q.order[n-1]].seq + seqGap
	}
	q.items[e.ID] = e
	q.order = append(q.order, e.ID)
	if e.State == Queued || e.State == Running {
		q.active++
	}
	if e.State == Queued {
		q.lane(e.Site).push(e)
	}
	q.ev.emit(Added, e.Item)
	return e
}

// Items returns a snapshot of every item in queue order.
func (q *Queue) Items() []Item {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Item, 0, len(q.order))
	for _, id := range q.order {
		out = append(out, q.items[id].Item)
	}
	return out
}

// Get returns one item.
func (q *Queue) Get(id ID) (Item, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	e, ok := q.items[id]
	if !ok {
		return Item{}, false
	}
	return e.Item, true
}

// Subscribe calls fn for every event from now on, in order, on a goroutine
// owned by the queue (never the caller's or the UI's). It returns a function
// that stops the calls.
func (q *Queue) Subscribe(fn func(Event)) (unsubscribe func()) { return q.ev.subscribe(fn) }

// Start lets a queue created with Options.Hold run.
func (q *Queue) Start() {
	q.mu.Lock()
	q.held = false
	q.mu.Unlock()
	q.poke()
}

// Wait blocks until no item is queued or running (paused, done, failed and
// skipped items may remain) or ctx ends.
func (q *Queue) Wait(ctx context.Context) error {
	for {
		q.mu.Lock()
		n, ch := q.active, q.idle
		q.mu.Unlock()
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}

// Close stops running transfers (they stay queued, their partial files kept,
// and continue after the next New), saves the queue and closes its file. It
// does not close the Pool.
func (q *Queue) Close() error {
	q.mu.Lock()
	if q.closing {
		q.mu.Unlock()
		return nil
	}
	q.closing = true
	for _, e := range q.items {
		if e.State == Running {
			e.cancel(errClosing)
		}
	}
	q.mu.Unlock()
	q.cancel()
	q.wg.Wait()
	q.roots.closeAll()
	q.ev.close()
	if q.st == nil {
		return nil
	}
	err := q.flush()
	if cerr := q.st.close(); err == nil {
		err = cerr
	}
	return err
}

// setState moves an item to s, keeping the counters, persisting and
// reporting it; q.mu must be held.
func (q *Queue) setState(e *entry, s State) {
	wasActive := e.State == Queued || e.State == Running
	isActive := s == Queued || s == Running
	e.State = s
	if s == Running {
		q.running[e.ID] = e
	} else {
		delete(q.running, e.ID)
	}
	if s != Running {
		e.Speed, e.Remaining = 0, -1
	}
	switch {
	case wasActive && !isActive:
		q.active--
		q.signalIdle()
	case !wasActive && isActive:
		q.active++
	}
	if s != Running { // stored as queued anyway: a restart continues it
		q.save(e)
	}
	q.ev.emit(Changed, e.Item)
}

func (q *Queue) signalIdle() {
	if q.active == 0 {
		close(q.idle)
		q.idle = make(chan struct{})
	}
}

// save marks an item for the next batched commit; q.mu must be held.
func (q *Queue) save(e *entry) {
	if q.st != nil {
		q.st.put(recordOf(e))
	}
}

// flush commits pending changes now.
func (q *Queue) flush() error {
	if q.st == nil {
		return nil
	}
	return q.st.flush()
}

func (q *Queue) poke() {
	select {
	case q.kick <- struct{}{}:
	default:
	}
}

func (e *entry) String() string { return fmt.Sprintf("%d %s %s", e.ID, e.Direction, e.Remote) }
