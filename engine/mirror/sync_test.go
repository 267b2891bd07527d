package mirror

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

// fakeSession serves an in-memory remote tree: List, Stat and Checksum.
// Anything else panics (the embedded nil interface): the plan must not
// touch the server.
type fakeSession struct {
	engine.Session
	files    map[string][]byte // absolute path → content
	times    map[string]time.Time
	hash     bool // offers SHA-256
	mu       *sync.Mutex
	stats    *int
	checksum *int
}

func (f *fakeSession) List(_ context.Context, dir string) ([]listing.Entry, error) {
	seen := map[string]bool{}
	var out []listing.Entry
	for p, b := range f.files {
		rel, ok := strings.CutPrefix(p, dir+"/")
		if !ok {
			continue
		}
		name, rest, sub := strings.Cut(rel, "/")
		if seen[name] {
			continue
		}
		seen[name] = true
		if sub || rest != "" {
			out = append(out, listing.Entry{Name: name, Type: listing.Dir, Size: -1})
			continue
		}
		out = append(out, listing.Entry{Name: name, Size: int64(len(b)), ModTime: f.times[p], Precision: listing.PrecisionSecond})
	}
	if len(out) == 0 {
		return nil, &engine.Error{Op: "MLSD", Path: dir, Err: engine.ErrNotFound}
	}
	return out, nil
}

func (f *fakeSession) Stat(_ context.Context, p string) (listing.Entry, error) {
	f.mu.Lock()
	*f.stats++
	f.mu.Unlock()
	b, ok := f.files[p]
	if !ok {
		return listing.Entry{}, engine.ErrNotFound
	}
	return listing.Entry{Name: path.Base(p), Size: int64(len(b)), ModTime: f.times[p], Precision: listing.PrecisionSecond}, nil
}

func (f *fakeSession) Checksum(_ context.Context, p string) (string, string, error) {
	f.mu.Lock()
	*f.checksum++
	f.mu.Unlock()
	if !f.hash {
		return "", "", engine.ErrUnsupported
	}
	sum := sha256.Sum256(f.files[p])
	return "SHA-256", hex.EncodeToString(sum[:]), nil
}

func (f *fakeSession) Features() engine.Features {
	return engine.Features{MLSD: true, HiddenListed: true}
}
func (f *fakeSession) Alive() bool                { return true }
func (f *fakeSession) Noop(context.Context) error { return nil }
func (f *fakeSession) Close() error               { return nil }

// checksumSync builds a local folder and a remote tree with the same two
// files of the same size and time; "b.txt" differs in content.
func checksumSync(t *testing.T, hash bool) (*Sync, *int, *int) {
	t.Helper()
	when := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	for name, body := range map[string]string{"a.txt": "same", "sub/b.txt": "mine"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
		os.Chtimes(p, when, when)
	}
	var stats, sums int
	fs := &fakeSession{
		files: map[string][]byte{"/r/a.txt": []byte("same"), "/r/sub/b.txt": []byte("them")},
		times: map[string]time.Time{"/r/a.txt": when, "/r/sub/b.txt": when},
		hash:  hash, mu: &sync.Mutex{}, stats: &stats, checksum: &sums,
	}
	pool := engine.NewPool(engine.DialerFunc(func(context.Context, engine.Config) (engine.Session, error) { return fs, nil }), engine.PoolOptions{})
	t.Cleanup(func() { pool.Close() })
	return &Sync{Local: dir, Remote: Remote{Pool: pool, Config: engine.Config{Host: "fake"}, Root: "/r", Parallel: 2}}, &stats, &sums
}

func TestSyncPlanChecksum(t *testing.T) {
	s, stats, sums := checksumSync(t, true)
	s.Options.Criteria = Checksum
	p, err := s.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := line(p); got != "keep a.txt, keep sub, upload sub/b.txt" {
		t.Fatalf("plan %q", got)
	}
	if *sums != 2 || *stats != 0 {
		t.Fatalf("%d checksums, %d stats; want 2, 0", *sums, *stats)
	}

	// By time and size the two look the same: nothing asked, nothing copied.
	s, stats, sums = checksumSync(t, true)
	p, err = s.Plan(context.Background())
	if err != nil || line(p) != "keep a.txt, keep sub, keep sub/b.txt" || *sums+*stats != 0 {
		t.Fatalf("time and size: %q, %v, %d checksums, %d stats", line(p), err, *sums, *stats)
	}
}

func TestSyncPlanChecksumUnsupported(t *testing.T) {
	s, _, _ := checksumSync(t, false)
	s.Options.Criteria = Checksum
	if _, err := s.Plan(context.Background()); !errors.Is(err, ErrNoChecksum) {
		t.Fatalf("err %v, want ErrNoChecksum", err)
	}
}
