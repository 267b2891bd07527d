package ui

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

// remote is the browsing connection: one Session, used by one operation at
// a time, reopened when it died. Its methods block and must be called off
// the UI goroutine. Transfers do not use it; they go through the queue.
type remote struct {
	open    func(ctx context.Context, cfg engine.Config) (engine.Session, error)
	release func(engine.Session)
	cfg     engine.Config

	mu   sync.Mutex
	sess engine.Session
}

// newRemote browses cfg's site with sessions from the pool (its browsing
// slot) when there is one, else straight from the dialer.
func newRemote(p *engine.Pool, d engine.Dialer, cfg engine.Config) *remote {
	r := &remote{cfg: cfg}
	if p != nil {
		r.open = func(ctx context.Context, cfg engine.Config) (engine.Session, error) {
			return p.Acquire(ctx, cfg, engine.Browse)
		}
		r.release = p.Release
	} else {
		r.open = d.Dial
		r.release = func(s engine.Session) { s.Close() }
	}
	return r
}

// connect opens the session if it is not open yet.
func (r *remote) connect(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ensure(ctx)
}

func (r *remote) ensure(ctx context.Context) error {
	if r.sess != nil && r.sess.Alive() {
		return nil
	}
	if r.sess != nil {
		r.release(r.sess)
		r.sess = nil
	}
	s, err := r.open(ctx, r.cfg)
	if err != nil {
		return err
	}
	r.sess = s
	return nil
}

// do runs fn on the session, reconnecting once when the connection had died
// or failed with a temporary error (FileZilla reconnects the same way).
func (r *remote) do(ctx context.Context, fn func(engine.Session) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.ensure(ctx); err != nil {
		return err
	}
	err := fn(r.sess)
	if err != nil && !r.sess.Alive() && engine.IsTemporary(err) && ctx.Err() == nil {
		if err2 := r.ensure(ctx); err2 != nil {
			return errors.Join(err, err2)
		}
		err = fn(r.sess)
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

func (r *remote) retrieve(ctx context.Context, p string, w io.Writer) error {
	return r.do(ctx, func(s engine.Session) error {
		_, err := s.Retrieve(ctx, p, 0, w)
		return err
	})
}

func (r *remote) features() engine.Features {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sess == nil {
		return engine.Features{}
	}
	return r.sess.Features()
}

// close logs out and frees the browsing slot; safe to call twice.
func (r *remote) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sess != nil {
		r.sess.Close()
		r.release(r.sess)
		r.sess = nil
	}
}
