package mirror

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

// ErrNoChecksum: the checksum criteria need a server that hashes files.
var ErrNoChecksum = errors.New("the server offers no checksum (HASH, XSHA256, XMD5, ...)")

// Refine asks the server about just the paths a plan left undecided: their
// exact time (MDTM, MLST, stat: UTC to the second) and, with the Checksum
// criteria, their hash, which it then computes for the local file too. rt is
// the remote tree, lt the local one, whose files live under localRoot. The
// paths are spread over the sessions the pool holds, more (up to Parallel)
// only where that pays (see crew).
func (r Remote) Refine(ctx context.Context, rt, lt *Tree, localRoot string, paths []string, c Criteria) error {
	if len(paths) == 0 {
		return nil
	}
	var mu sync.Mutex
	w := &crew{r: r, c: r.costsOf(), max: r.Parallel}
	w.do = func(ctx context.Context, sess engine.Session, p string) ([]string, error) {
		return nil, r.refineOne(ctx, sess, &mu, rt, lt, localRoot, p, c)
	}
	return w.run(ctx, slices.Clone(paths))
}

func (r Remote) refineOne(ctx context.Context, sess engine.Session, mu *sync.Mutex, rt, lt *Tree, localRoot, p string, c Criteria) error {
	if c == Checksum {
		alg, sum, err := sess.Checksum(ctx, r.abs(p))
		if errors.Is(err, engine.ErrUnsupported) {
			return ErrNoChecksum
		}
		if err != nil {
			return err
		}
		local, err := hashFile(filepath.Join(localRoot, filepath.FromSlash(p)), alg)
		if err != nil {
			return err
		}
		mu.Lock()
		setHash(rt, p, alg+":"+strings.ToLower(strings.TrimLeft(sum, "0")))
		setHash(lt, p, alg+":"+strings.TrimLeft(local, "0"))
		mu.Unlock()
		return nil
	}
	if mt, ok := sess.(modTimer); ok {
		mu.Lock()
		f, listed := rt.Files[p]
		mu.Unlock()
		if listed && !f.Dir {
			t, err := mt.ModTime(ctx, r.abs(p))
			if err == nil {
				mu.Lock()
				f.Time = Time{t.UTC(), PrecisionSecond, SourceMDTM}
				rt.Files[p] = f
				mu.Unlock()
				return nil
			}
			if !sess.Alive() {
				return err
			}
		}
	}
	e, err := sess.Stat(ctx, r.abs(p))
	if err != nil {
		if !sess.Alive() {
			return err
		}
		return nil // left as it was: the final plan decides without it
	}
	mu.Lock()
	defer mu.Unlock()
	f, ok := rt.Files[p]
	if !ok { // a dot file the listing hid
		f = File{Path: p, Dir: e.IsDir(), Size: -1}
	}
	if e.Precision == listing.PrecisionSecond && !e.ModTime.IsZero() {
		f.Time = Time{e.ModTime.UTC(), PrecisionSecond, SourceMDTM}
	}
	if e.Size >= 0 {
		f.Size = e.Size
	}
	rt.Files[p] = f
	return nil
}

// modTimer is a session that can ask a file's time alone (engine/ftp's MDTM).
type modTimer interface {
	ModTime(ctx context.Context, path string) (time.Time, error)
}

func setHash(t *Tree, p, h string) {
	f := t.Files[p]
	f.Hash = h
	t.Files[p] = f
}

// hashFile hashes a local file with the server's algorithm.
func hashFile(name, alg string) (string, error) {
	h := engine.NewHash(alg)
	if h == nil {
		return "", fmt.Errorf("%w: cannot compute %s here", ErrNoChecksum, alg)
	}
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return engine.HashReader(h, f)
}
