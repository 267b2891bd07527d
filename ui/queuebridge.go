package ui

import (
	"context"
	"slices"
	"sync"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// QueueBridge ties engine/queue to the window. It is the Transfers the
// window drives, and it supplies the queue's Options.Config and Options.Ask:
// it remembers the configs (with passwords, in memory only) of the sites the
// window connected to, and asks the user about existing targets through the
// window. Build it before the queue, pass Config and Ask to queue.New, then
// Attach the queue.
//
// Calls that reach the queue's store (Add, Move) run in goroutines, so the
// UI goroutine never waits on the disk.
type QueueBridge struct {
	mu      sync.Mutex
	configs map[engine.SiteKey]engine.Config
	q       *queue.Queue
	ask     func(ctx context.Context, c queue.Conflict) queue.Answer
	fn      func(TransferEvent)
	onError func(error)
	batch   *[]queue.Job // jobs of the Batch being collected
	// From the settings: the default overwrite actions and the per-site
	// transfer limit (0: the pool's default).
	down, up  queue.Overwrite
	siteLimit int
	// A saved site's own "Maximum connections", which wins over siteLimit.
	siteOwn map[engine.SiteKey]int
	// exclude are the saved filters' globs, given to every folder job.
	exclude []string
}

// SetExclude makes folder jobs queued from now on leave out what globs
// name (queue.Job.Exclude): the window's enabled saved filters.
func (b *QueueBridge) SetExclude(globs []string) {
	b.mu.Lock()
	b.exclude = slices.Clone(globs)
	b.mu.Unlock()
}

// excludeFor returns the globs a job gets: a folder's the filters', a file none.
func (b *QueueBridge) excludeFor(dir bool) []string {
	if !dir {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.exclude
}

// NewQueueBridge returns a bridge with no queue attached yet.
func NewQueueBridge() *QueueBridge {
	return &QueueBridge{configs: map[engine.SiteKey]engine.Config{}, siteOwn: map[engine.SiteKey]int{}}
}

// Remember keeps cfg (with its password, in memory) for the queue's
// connections, and continues the site's transfers that waited for it.
func (b *QueueBridge) Remember(cfg engine.Config) {
	b.mu.Lock()
	b.configs[cfg.Key()] = cfg
	limit := b.limitOf(cfg.Key())
	b.mu.Unlock()
	b.do(func(q *queue.Queue) {
		if limit > 0 {
			q.SetSiteLimit(cfg.Key(), limit)
		}
		q.ResumeSite(cfg.Key())
		if alt, ok := portVariant(cfg.Key()); ok { // imported items (queuexml.go)
			q.ResumeSite(alt)
		}
	})
}

// LimitSite makes n (1–10) the number of transfers at once for the site,
// whatever the settings say: a saved site's "Maximum connections". 0 goes
// back to the settings.
func (b *QueueBridge) LimitSite(key engine.SiteKey, n int) {
	b.mu.Lock()
	if n > 0 {
		b.siteOwn[key] = n
	} else {
		delete(b.siteOwn, key)
	}
	limit := b.limitOf(key)
	b.mu.Unlock()
	if limit > 0 {
		b.do(func(q *queue.Queue) { q.SetSiteLimit(key, limit) })
	}
}

// limitOf is the site's transfer limit: its own, else the settings' (0:
// the pool's default). b.mu is held.
func (b *QueueBridge) limitOf(key engine.SiteKey) int {
	if n := b.siteOwn[key]; n > 0 {
		return n
	}
	return b.siteLimit
}

// ApplySettings applies the transfer settings to the queue now: limits,
// speed limits, default overwrite actions, checksums and timestamps.
func (b *QueueBridge) ApplySettings(s Settings) {
	b.mu.Lock()
	b.down, b.up = s.policies()
	b.siteLimit = s.SiteConnections
	sites := make([]engine.SiteKey, 0, len(b.configs))
	for k := range b.configs {
		sites = append(sites, k)
	}
	b.mu.Unlock()
	limits := make([]int, len(sites))
	b.mu.Lock()
	for i, k := range sites {
		limits[i] = b.limitOf(k)
	}
	b.mu.Unlock()
	b.do(func(q *queue.Queue) {
		q.SetParallel(s.Parallel)
		for i, k := range sites {
			if limits[i] > 0 {
				q.SetSiteLimit(k, limits[i])
			}
		}
		q.SetRate(s.rates())
		q.SetVerify(s.VerifyChecksum)
		q.SetKeepModTime(s.PreserveTimes)
		q.SetTransferType(s.typeRule())
	})
}

func (b *QueueBridge) policies() (down, up queue.Overwrite) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.down, b.up
}

// Config is queue.Options.Config: the remembered config of a site. Items
// restored from a previous run wait (queue.ErrSiteUnavailable) until the
// user connects to their site; Remember then continues them.
func (b *QueueBridge) Config(ctx context.Context, site engine.SiteKey, ref string) (engine.Config, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if cfg, ok := b.configs[site]; ok {
		return cfg, nil
	}
	if alt, ok := portVariant(site); ok {
		if cfg, ok := b.configs[alt]; ok {
			return cfg, nil
		}
	}
	// An anonymous site needs no password: items restored from the last run
	// continue at once.
	if cfg, _, err := engine.ParseURL(ref); err == nil && cfg.User == "" && cfg.Key() == (engine.SiteKey{Host: site.Host, Port: site.Port, Security: site.Security}) {
		cfg.User, cfg.Password = "anonymous", engine.AnonymousPassword
		if cfg.Key() == site {
			return cfg, nil
		}
	}
	return engine.Config{}, &siteWaitError{ref: ref}
}

// siteWaitError holds a site's transfers until the user connects to it.
type siteWaitError struct{ ref string }

func (e *siteWaitError) Error() string { return "waiting for " + e.ref + " (connect to it)" }
func (e *siteWaitError) Unwrap() error { return queue.ErrSiteUnavailable }

// Ask is queue.Options.Ask: it asks through the window, or skips before the
// window exists.
func (b *QueueBridge) Ask(ctx context.Context, c queue.Conflict) queue.Answer {
	b.mu.Lock()
	ask := b.ask
	b.mu.Unlock()
	if ask == nil {
		return queue.Answer{Policy: queue.Skip}
	}
	return ask(ctx, c)
}

// Attach connects the bridge to the queue and forwards its events.
func (b *QueueBridge) Attach(q *queue.Queue) {
	b.mu.Lock()
	b.q = q
	b.mu.Unlock()
	q.Subscribe(func(ev queue.Event) {
		b.mu.Lock()
		fn := b.fn
		b.mu.Unlock()
		if fn != nil {
			fn(TransferEvent{Item: transferItem(ev.Item), Removed: ev.Kind == queue.Removed})
		}
	})
}

// Subscribe implements Transfers; items already in the queue (restored from
// the last run) are reported at once.
func (b *QueueBridge) Subscribe(fn func(TransferEvent)) {
	b.mu.Lock()
	b.fn = fn
	q := b.q
	b.mu.Unlock()
	if q != nil {
		go func() {
			for _, it := range q.Items() {
				fn(TransferEvent{Item: transferItem(it)})
			}
		}()
	}
}

func transferItem(it queue.Item) TransferItem {
	left := it.Remaining
	if left < 0 {
		left = 0
	}
	t := TransferItem{
		ID: uint64(it.ID), Upload: it.Direction == queue.Upload, Local: it.Local, Remote: it.Remote,
		Host: it.Site.Host + ":", Size: it.Size, Done: it.Bytes, Speed: it.Speed, Left: left,
		State: TransferState(it.State), Reason: it.Reason, Dir: it.Dir, Job: uint64(it.Job), Waiting: it.Waiting,
	}
	if it.Always != queue.Ask {
		t.Always = overwriteNames[it.Always-1]
	}
	return t
}

func (b *QueueBridge) queue() *queue.Queue {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.q
}

func (b *QueueBridge) add(j queue.Job) {
	b.mu.Lock()
	if b.batch != nil {
		*b.batch = append(*b.batch, j)
		b.mu.Unlock()
		return
	}
	b.mu.Unlock()
	b.addAll([]queue.Job{j})
}

// Batch queues every transfer fn asks for as one selection: they share one
// "always use this action" answer (queue.Job.With). Called on the UI
// goroutine; fn must not block.
func (b *QueueBridge) Batch(fn func()) {
	var jobs []queue.Job
	b.mu.Lock()
	b.batch = &jobs
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		b.batch = nil
		b.mu.Unlock()
		b.addAll(jobs)
	}()
	fn()
}

// addAll adds jobs in order in the background, the later ones With the first.
func (b *QueueBridge) addAll(jobs []queue.Job) {
	q := b.queue()
	if q == nil || len(jobs) == 0 {
		return
	}
	go func() {
		var first queue.ID
		for _, j := range jobs {
			j.With = first
			id, err := q.Add(j)
			if first == 0 {
				first = id
			}
			if err != nil {
				b.mu.Lock()
				onErr := b.onError
				b.mu.Unlock()
				if onErr != nil {
					onErr(err)
				}
			}
		}
	}()
}

// Download implements Transfers.
// A ".part" file the window did not write (left by another program or
// an earlier, forgotten run) is started over, never continued: the
// window has no --resume.
func (b *QueueBridge) Download(cfg engine.Config, remote, localDir, name string, dir bool, size int64) {
	b.Remember(cfg)
	down, _ := b.policies()
	b.add(queue.Job{Direction: queue.Download, Site: cfg.Key(), SiteRef: cfg.URL(""), Remote: remote, Local: localDir, Name: name,
		Dir: dir, Size: size, Policy: down, Restart: true, Exclude: b.excludeFor(dir)})
}

// Upload implements Transfers.
func (b *QueueBridge) Upload(cfg engine.Config, local, remote string, dir bool, size int64) {
	b.Remember(cfg)
	_, up := b.policies()
	b.add(queue.Job{Direction: queue.Upload, Site: cfg.Key(), SiteRef: cfg.URL(""), Remote: remote, Local: local, Dir: dir, Size: size, Policy: up, Exclude: b.excludeFor(dir)})
}

func (b *QueueBridge) do(fn func(q *queue.Queue)) {
	if q := b.queue(); q != nil {
		go fn(q)
	}
}

func (b *QueueBridge) Pause(id uint64)  { b.do(func(q *queue.Queue) { q.Pause(queue.ID(id)) }) }
func (b *QueueBridge) Resume(id uint64) { b.do(func(q *queue.Queue) { q.Resume(queue.ID(id)) }) }
func (b *QueueBridge) Cancel(id uint64) { b.do(func(q *queue.Queue) { q.Cancel(queue.ID(id)) }) }
func (b *QueueBridge) Retry(id uint64)  { b.do(func(q *queue.Queue) { q.Retry(queue.ID(id)) }) }
func (b *QueueBridge) Remove(id uint64) { b.do(func(q *queue.Queue) { q.Cancel(queue.ID(id)) }) }

// ForgetAlways clears the "always use this action" answer of a job, so its
// next conflict is asked again.
func (b *QueueBridge) ForgetAlways(job uint64) {
	b.do(func(q *queue.Queue) { q.SetAlways(queue.ID(job), queue.Ask) })
}

// Move implements Transfers by moving the item delta places in queue order.
func (b *QueueBridge) Move(id uint64, delta int) {
	b.do(func(q *queue.Queue) {
		items := q.Items()
		i := slices.IndexFunc(items, func(it queue.Item) bool { return it.ID == queue.ID(id) })
		if i < 0 {
			return
		}
		q.Move(queue.ID(id), max(0, min(len(items)-1, i+delta)))
		b.reordered(q)
	})
}

// The queue's bulk actions (the Queue menu).
func (b *QueueBridge) RetryFailed()    { b.do(func(q *queue.Queue) { q.RetryFailed() }) }
func (b *QueueBridge) RemoveFinished() { b.do(func(q *queue.Queue) { q.RemoveFinished() }) }
func (b *QueueBridge) PauseAll()       { b.do(func(q *queue.Queue) { q.PauseAll() }) }
func (b *QueueBridge) ResumeAll()      { b.do(func(q *queue.Queue) { q.ResumeAll() }) }

// SetProcessing starts (on) or holds (off) the queue: held, running
// transfers finish and queued ones wait.
func (b *QueueBridge) SetProcessing(on bool) {
	b.do(func(q *queue.Queue) {
		if on {
			q.Start()
		} else {
			q.Hold()
		}
	})
}
