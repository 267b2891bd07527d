package queue

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// maxIdleRoots is how many folder handles stay open while unused, and
// rootIdle how long one is trusted unused: a folder the user renamed and
// made again meanwhile must not receive files through an old handle.
const (
	maxIdleRoots = 16
	rootIdle     = 2 * time.Second
)

// roots hands out os.Root handles on the folders downloads write into, each
// opened through the job's root (so confined to it) and shared by the files
// of a folder: a small file then costs one openat, one renameat, and no
// path walk per operation. Safe for concurrent use.
type roots struct {
	mu   sync.Mutex
	open map[string]*dirRoot // by absolute folder path
}

type dirRoot struct {
	*os.Root
	refs  int
	since time.Time // unused since
}

// get returns a handle on dir (slash-separated, relative to the job root
// top; "." for top itself), creating the folder inside top if missing.
// Release it with put.
func (rs *roots) get(top, dir string) (*dirRoot, error) {
	key := filepath.Join(top, filepath.FromSlash(dir))
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if r := rs.open[key]; r != nil {
		if r.refs > 0 || time.Since(r.since) < rootIdle {
			r.refs++
			return r, nil
		}
		r.Close()
		delete(rs.open, key)
	}
	jr, err := os.OpenRoot(top)
	if err != nil {
		return nil, err
	}
	defer jr.Close()
	r := jr
	if dir != "." {
		name := filepath.FromSlash(dir)
		r, err = jr.OpenRoot(name)
		if errors.Is(err, fs.ErrNotExist) {
			// The folder walk made it; only a top-level item or a folder
			// removed meanwhile gets here.
			if err = jr.MkdirAll(name, 0o755); err == nil {
				r, err = jr.OpenRoot(name)
			}
		}
		if err != nil {
			return nil, err
		}
	} else if r, err = os.OpenRoot(top); err != nil {
		return nil, err
	}
	if rs.open == nil {
		rs.open = map[string]*dirRoot{}
	}
	d := &dirRoot{Root: r, refs: 1}
	rs.open[key] = d
	return d, nil
}

// put releases a handle; unused ones beyond maxIdleRoots are closed.
func (rs *roots) put(d *dirRoot) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	d.refs--
	if d.refs == 0 {
		d.since = time.Now()
		if !keepIdleRoots {
			d.Close()
			for k, r := range rs.open {
				if r == d {
					delete(rs.open, k)
				}
			}
			return
		}
	}
	if len(rs.open) <= maxIdleRoots {
		return
	}
	for k, r := range rs.open {
		if r.refs == 0 {
			r.Close()
			delete(rs.open, k)
		}
	}
}

// closeAll closes every handle (the queue is closing).
func (rs *roots) closeAll() {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for k, r := range rs.open {
		r.Close()
		delete(rs.open, k)
	}
}
