package mirror

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
	"github.com/skiff-ftp/skiff/engine/queue"
)

func TestPays(t *testing.T) {
	for _, tt := range []struct {
		name                 string
		left, done           int
		elapsed, login, want time.Duration
	}{
		{"nothing left", 0, 5, time.Second, time.Millisecond, 0},
		{"nothing done yet", 5, 0, time.Second, time.Millisecond, 0},
		{"20 listings of 5 ms against a 500 ms login", 20, 1, 5 * time.Millisecond, 500 * time.Millisecond, 0},
		{"20 listings of 50 ms against a 500 ms login", 20, 1, 50 * time.Millisecond, 500 * time.Millisecond, 1},
		{"1,999 downloads of 10 ms against a 500 ms login", 1999, 1, 10 * time.Millisecond, 500 * time.Millisecond, 1},
		{"anything against no login", 1, 100, time.Millisecond, 0, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := pays(tt.left, tt.done, tt.elapsed, tt.login); got != (tt.want == 1) {
				t.Fatalf("got %v", got)
			}
		})
	}
}

// slowSession lists like fakeSession, taking list per folder.
type slowSession struct {
	*fakeSession
	list time.Duration
}

func (s slowSession) List(ctx context.Context, dir string) ([]listing.Entry, error) {
	time.Sleep(s.list)
	return s.fakeSession.List(ctx, dir)
}

// TestScanOpensSessionsWhereTheyPay: 20 folders over a server whose login
// takes login and each listing list; the scan may use 4 sessions.
func TestScanOpensSessionsWhereTheyPay(t *testing.T) {
	for _, tt := range []struct {
		name        string
		login, list time.Duration
		want        int32
	}{
		{"a login dearer than all the listings: one session", time.Second, time.Millisecond, 1},
		{"listings dearer than a login: four", 5 * time.Millisecond, 50 * time.Millisecond, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string][]byte{}
			when := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
			times := map[string]time.Time{}
			for d := range 20 {
				p := fmt.Sprintf("/r/dir%02d/f", d)
				files[p], times[p] = []byte("x"), when
			}
			var dials atomic.Int32
			var n int
			dial := func(context.Context, engine.Config) (engine.Session, error) {
				dials.Add(1)
				time.Sleep(tt.login)
				return slowSession{&fakeSession{files: files, times: times, mu: &sync.Mutex{}, stats: &n, checksum: &n}, tt.list}, nil
			}
			pool := engine.NewPool(engine.DialerFunc(dial), engine.PoolOptions{Transfers: 4})
			t.Cleanup(func() { pool.Close() })
			pool.SetLimit(engine.Config{Host: "fake"}.Key(), 4)
			r := Remote{Pool: pool, Config: engine.Config{Host: "fake"}, Root: "/r", Parallel: 4}
			tree, missing, err := r.Scan(context.Background())
			if err != nil || missing || !tree.Complete || len(tree.Files) != 40 {
				t.Fatalf("err %v, missing %v, complete %v, %d files %v", err, missing, tree.Complete, len(tree.Files), tree.Problems)
			}
			if got := dials.Load(); got != tt.want {
				t.Fatalf("%d logins, want %d", got, tt.want)
			}
		})
	}
}

// TestScanWhenTheServerTakesNoMoreSessions: the crew grows, the server
// answers every login after the first with "too many connections" (the
// pool backs off and waits for a slot): the scan still ends, complete, on
// the one session it has.
func TestScanWhenTheServerTakesNoMoreSessions(t *testing.T) {
	files := map[string][]byte{}
	times := map[string]time.Time{}
	for d := range 10 {
		p := fmt.Sprintf("/r/dir%02d/f", d)
		files[p], times[p] = []byte("x"), t0
	}
	var dials atomic.Int32
	var n int
	dial := func(context.Context, engine.Config) (engine.Session, error) {
		if dials.Add(1) > 1 {
			return nil, engine.ErrTooMany
		}
		return slowSession{&fakeSession{files: files, times: times, mu: &sync.Mutex{}, stats: &n, checksum: &n}, 20 * time.Millisecond}, nil
	}
	pool := engine.NewPool(engine.DialerFunc(dial), engine.PoolOptions{Transfers: 4, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})
	t.Cleanup(func() { pool.Close() })
	pool.SetLimit(engine.Config{Host: "fake"}.Key(), 4)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := Remote{Pool: pool, Config: engine.Config{Host: "fake"}, Root: "/r", Parallel: 4}
	tree, _, err := r.Scan(ctx)
	if err != nil || !tree.Complete || len(tree.Files) != 20 {
		t.Fatalf("err %v, complete %v, %d files %v", err, tree.Complete, len(tree.Files), tree.Problems)
	}
	if dials.Load() < 2 {
		t.Fatalf("%d logins: the crew never grew, so this tests nothing", dials.Load())
	}
}

// Retrieve sends the file's bytes, taking list as for a listing.
func (s slowSession) Retrieve(_ context.Context, p string, off int64, w io.Writer) (int64, error) {
	time.Sleep(s.list)
	n, err := w.Write(s.files[p][off:])
	return int64(n), err
}

// TestScaleOpensSessionsWhereTheyPay: a download sync of files whose
// transfers take per each, over a server whose login takes login; the
// queue may run 4 at once, and starts with the one session the scan used.
func TestScaleOpensSessionsWhereTheyPay(t *testing.T) {
	for _, tt := range []struct {
		name       string
		files      int
		login, per time.Duration
		want       int32
	}{
		{"20 quick files against a slow login: one session", 20, time.Second, time.Millisecond, 1},
		{"100 slow files against a quick login: four", 100, 5 * time.Millisecond, 20 * time.Millisecond, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string][]byte{}
			times := map[string]time.Time{}
			for i := range tt.files {
				p := fmt.Sprintf("/r/f%03d", i)
				files[p], times[p] = []byte(p), t0
			}
			var dials atomic.Int32
			var n int
			dial := func(context.Context, engine.Config) (engine.Session, error) {
				dials.Add(1)
				time.Sleep(tt.login)
				return slowSession{&fakeSession{files: files, times: times, mu: &sync.Mutex{}, stats: &n, checksum: &n}, tt.per}, nil
			}
			cfg := engine.Config{Host: "fake"}
			pool := engine.NewPool(engine.DialerFunc(dial), engine.PoolOptions{Transfers: 4})
			t.Cleanup(func() { pool.Close() })
			pool.SetLimit(cfg.Key(), 4)
			s := &Sync{Local: t.TempDir(), Options: Options{Direction: Down},
				Remote: Remote{Pool: pool, Config: cfg, Root: "/r", Parallel: 4}}
			ctx := context.Background()
			p, err := s.Plan(ctx)
			if err != nil || p.Count(Download) != tt.files {
				t.Fatalf("plan: %v, %d downloads", err, p.Count(Download))
			}
			q, err := queue.New(pool, queue.Options{Parallel: s.Transfers(), KeepModTime: true, NoSync: true, Hold: true,
				Config: func(context.Context, engine.SiteKey, string) (engine.Config, error) { return cfg, nil }})
			if err != nil {
				t.Fatal(err)
			}
			defer q.Close()
			queued, err := s.Enqueue(ctx, q, p, "fake")
			if err != nil {
				t.Fatal(err)
			}
			stop := s.Scale(q, queued, s.Transfers())
			q.Start()
			if err := q.Wait(ctx); err != nil {
				t.Fatal(err)
			}
			stop()
			for _, qd := range queued {
				if it, _ := q.Get(qd.ID); it.State != queue.Done {
					t.Fatalf("%s: %s %s", qd.Action.Path, it.State, it.Reason)
				}
			}
			if got := dials.Load(); got != tt.want {
				t.Fatalf("%d logins, want %d", got, tt.want)
			}
		})
	}
}
