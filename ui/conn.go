package ui

import (
	"context"
	"errors"
	"sync"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

// remote is the browsing connection. With a pool it borrows the site's
// browsing slot for each operation and gives it back afterwards, so the
// queue's folder walks (which use the same slot) are never starved, and the
// pool keeps the logged-in session for the next operation. Without a pool it
// keeps one session of its own. One operation runs at a time; methods block
// and must be called off the UI goroutine. Transfers go through the queue.
type remote struct {
	pool   *engine.Pool
	dialer engine.Dialer
	key    engine.SiteKey
	cfg    engine.Config // guarded by mu (setConfig)

	// life ends when the user disconnects: operations still running are
	// cancelled and new ones fail with engine.ErrClosed.
	life context.Context
	end  context.CancelFunc

	mu   sync.Mutex
	sess engine.Session // without a pool: the session kept between operations
}

func newRemote(p *engine.Pool, d engine.Dialer, cfg engine.Config) *remote {
	life, end := context.WithCancel(context.Background())
	return &remote{pool: p, dialer: d, key: cfg.Key(), cfg: cfg, life: life, end: end}
}

// setConfig replaces the config before the first connect.
func (r *remote) setConfig(cfg engine.Config) {
	r.mu.Lock()
	r.cfg = cfg
	r.mu.Unlock()
}

// connect logs in (or checks the pooled session) once.
func (r *remote) connect(ctx context.Context) error {
	return r.do(ctx, func(engine.Session) error { return nil })
}

func (r *remote) acquire(ctx context.Context) (engine.Session, error) {
	if r.pool != nil {
		return r.pool.Acquire(ctx, r.cfg, engine.Browse)
	}
	if r.sess != nil && r.sess.Alive() {
		return r.sess, nil
	}
	if r.sess != nil {
		r.sess.Close()
	}
	s, err := r.dialer.Dial(ctx, r.cfg)
	r.sess = s
	return s, err
}

func (r *remote) release(s engine.Session) {
	if r.pool != nil {
		r.pool.Release(s)
	}
}

// do runs fn on a session, once more on a fresh one when the connection died
// with a temporary error (FileZilla reconnects the same way).
func (r *remote) do(ctx context.Context, fn func(engine.Session) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.life.Err() != nil {
		return engine.ErrClosed
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(r.life, cancel)()
	s, err := r.acquire(ctx)
	if err != nil {
		return err
	}
	if r.life.Err() != nil {
		// Disconnected while acquiring, maybe after the pool's CloseSite:
		// this session must not go back to the pool as an idle one.
		s.Close()
		r.release(s)
		return engine.ErrClosed
	}
	err = fn(s)
	alive := s.Alive()
	r.release(s)
	if err != nil && !alive && engine.IsTemporary(err) && ctx.Err() == nil {
		if s, err2 := r.acquire(ctx); err2 != nil {
			return errors.Join(err, err2)
		} else {
			err = fn(s)
			r.release(s)
		}
	}
	return err
}

func (r *remote) list(ctx context.Context, dir string) (es []listing.Entry, err error) {
	err = r.do(ctx, func(s engine.Session) error {
		es, err = s.List(ctx, dir)
		return err
	})
	return es, err
}

func (r *remote) getwd(ctx context.Context) (dir string, err error) {
	err = r.do(ctx, func(s engine.Session) error {
		dir, err = s.Getwd(ctx)
		return err
	})
	return dir, err
}

// close ends the browsing connection now, not after the pool's idle
// timeout, as FileZilla's Disconnect does: a running operation is cancelled;
// with a pool, the site's idle sessions are closed and the session in use is
// closed when the operation returns it (the queue's transfer sessions are
// left alone); without one, the kept session is closed.
func (r *remote) close() {
	r.end()
	if r.pool != nil {
		r.pool.CloseSite(r.key)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sess != nil {
		r.sess.Close()
		r.sess = nil
	}
}

// features returns what the server can do, learned at login.
func (r *remote) features(ctx context.Context) (f engine.Features) {
	_ = r.do(ctx, func(s engine.Session) error { f = s.Features(); return nil })
	return f
}
