package queue

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// targets makes two downloads into one local file impossible at once: each
// holds its target (the chosen folder plus the relative name) while it
// runs, and a second item for the same target waits until the first is
// finished — then its overwrite policy meets the file the first wrote,
// instead of both writing into one ".part" and one ending Done with the
// other's bytes. Safe for concurrent use.
type targets struct {
	mu   sync.Mutex
	held map[string]chan struct{} // closed when released
}

// targetKey names a target; case-folded where the file system usually is
// case-insensitive (Windows, macOS), so "A.txt" and "a.txt" are one file.
func targetKey(root, rel string) string {
	k := filepath.Join(root, filepath.FromSlash(rel))
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		k = strings.ToLower(k)
	}
	return k
}

// lock waits until no other item holds key, then holds it; release with
// the returned func. It fails only when ctx ends (the item was paused or
// cancelled while waiting).
func (t *targets) lock(ctx context.Context, key string) (func(), error) {
	for {
		t.mu.Lock()
		ch, busy := t.held[key]
		if !busy {
			if t.held == nil {
				t.held = map[string]chan struct{}{}
			}
			ch = make(chan struct{})
			t.held[key] = ch
			t.mu.Unlock()
			return func() {
				t.mu.Lock()
				delete(t.held, key)
				t.mu.Unlock()
				close(ch)
			}, nil
		}
		t.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
	}
}
