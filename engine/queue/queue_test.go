package queue

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

var testSite = engine.Config{Host: "fake", User: "u", Password: "pw"}

func newTestQueue(t *testing.T, srv *fakeServer, o Options) (*Queue, *engine.Pool) {
	t.Helper()
	pool := engine.NewPool(srv, engine.PoolOptions{})
	if o.Config == nil {
		o.Config = func(context.Context, engine.SiteKey, string) (engine.Config, error) { return testSite, nil }
	}
	if o.RetryDelay == 0 {
		o.RetryDelay = time.Millisecond
	}
	q, err := New(pool, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close(); pool.Close() })
	return q, pool
}

func wait(t *testing.T, q *Queue) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := q.Wait(ctx); err != nil {
		for _, it := range q.Items() {
			t.Logf("%d %s %s %s", it.ID, it.State, it.Remote, it.Reason)
		}
		t.Fatal(err)
	}
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rand.IntN(256))
	}
	return b
}

// tree puts dirs×files random files under /tree on srv and returns them.
func tree(srv *fakeServer, dirs, files int) map[string][]byte {
	want := map[string][]byte{}
	for d := range dirs {
		for f := range files {
			p := fmt.Sprintf("/tree/d%02d/f%03d.bin", d, f)
			want[p] = randBytes(rand.IntN(20000))
			srv.put(p, want[p])
		}
	}
	return want
}

func states(q *Queue) map[State]int {
	n := map[State]int{}
	for _, it := range q.Items() {
		n[it.State]++
	}
	return n
}

func TestDownloadFolderParallel(t *testing.T) {
	srv := newFakeServer()
	want := tree(srv, 10, 50)
	srv.delay = time.Millisecond // files still run while folders are walked
	q, pool := newTestQueue(t, srv, Options{})
	q.SetSiteLimit(testSite.Key(), 4)
	dst := t.TempDir()
	if _, err := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/tree", Local: filepath.Join(dst, "tree"), Dir: true}); err != nil {
		t.Fatal(err)
	}
	wait(t, q)
	for p, b := range want {
		got, err := os.ReadFile(filepath.Join(dst, filepath.FromSlash(p)))
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("%s: differs (%v)", p, err)
		}
	}
	if n := states(q); n[Done] != 500+11 || len(n) != 1 {
		t.Fatalf("states %v", n)
	}
	// Walks take a transfer slot: four connections in all, logged in once each.
	if m, d := srv.maxOpen.Load(), srv.dials.Load(); m > 4 || d > 4 {
		t.Fatalf("%d connections open at once, %d logins; the limit is 4", m, d)
	}
	_, _, _, limit := pool.Stats(testSite.Key())
	if limit != 4 {
		t.Fatalf("limit %d", limit)
	}
	assertNoPart(t, dst)
}

// A folder added while files run gets the next free slot before the files
// already queued, so its tree shows in the queue (and fills every slot) at
// once instead of after the earlier files have all run.
func TestFolderAddedLaterIsWalkedBeforeQueuedFiles(t *testing.T) {
	srv := newFakeServer()
	tree(srv, 2, 40)
	srv.delay = 5 * time.Millisecond
	q, _ := newTestQueue(t, srv, Options{})
	q.SetSiteLimit(testSite.Key(), 2)
	key := testSite.Key()
	var mu sync.Mutex
	doneFiles, doneWhenWalked := 0, -1
	stop := q.Subscribe(func(ev Event) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case ev.Kind != Changed || ev.Item.State != Done:
		case !ev.Item.Dir:
			doneFiles++
		case ev.Item.Remote == "/tree/d01":
			doneWhenWalked = doneFiles
		}
	})
	defer stop()
	if _, err := q.Add(Job{Direction: Download, Site: key, Remote: "/tree/d00", Local: t.TempDir(), Dir: true}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for states(q)[Done] < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if _, err := q.Add(Job{Direction: Download, Site: key, Remote: "/tree/d01", Local: t.TempDir(), Dir: true}); err != nil {
		t.Fatal(err)
	}
	wait(t, q)
	mu.Lock()
	defer mu.Unlock()
	if doneWhenWalked < 0 || doneWhenWalked > 15 {
		t.Fatalf("%d of d00's 40 files were done when d01, added after 2, had been walked", doneWhenWalked)
	}
}

// One transfer slot is enough for a tree: the walk and the files take turns,
// and the browsing connection stays with the user (held here throughout).
func TestTreeWithOneSlotLeavesBrowsingAlone(t *testing.T) {
	srv := newFakeServer()
	want := tree(srv, 3, 5)
	q, pool := newTestQueue(t, srv, Options{Parallel: 1})
	q.SetSiteLimit(testSite.Key(), 1)
	browse, err := pool.Acquire(context.Background(), testSite, engine.Browse)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Release(browse)
	dst := t.TempDir()
	if _, err := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/tree", Local: dst, Dir: true}); err != nil {
		t.Fatal(err)
	}
	wait(t, q)
	if n := states(q); n[Done] != len(want)+4 || len(n) != 1 {
		t.Fatalf("states %v", n)
	}
	if m := srv.maxOpen.Load(); m != 2 {
		t.Fatalf("%d connections open at once with one slot and the browsing one", m)
	}
}

// A full disk holds every download into the folder, with the reason and
// without retrying (each retry would wait and fail again): nothing failed,
// nothing reported done that did not arrive, and all of it completes once
// there is room and the user resumes.
func TestFullDiskPausesTheFolderUntilResumed(t *testing.T) {
	srv := newFakeServer()
	want := tree(srv, 3, 10)
	srv.delay = time.Millisecond
	q, _ := newTestQueue(t, srv, Options{RetryDelay: time.Hour}) // a retry would outlast the test
	q.SetSiteLimit(testSite.Key(), 2)
	dst := t.TempDir()
	var fill sync.Once
	stop := q.Subscribe(func(ev Event) {
		if ev.Kind == Changed && ev.Item.State == Done && !ev.Item.Dir {
			fill.Do(func() { srv.diskFull.Store(true) }) // the disk fills after the first file
		}
	})
	defer stop()
	if _, err := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/tree", Local: dst, Dir: true}); err != nil {
		t.Fatal(err)
	}
	wait(t, q)
	n := states(q)
	if n[Failed] != 0 || n[Paused] == 0 || n[Running] != 0 || n[Queued] != 0 {
		t.Fatalf("after the disk filled: %v", n)
	}
	for _, it := range q.Items() {
		if it.State == Paused && !strings.HasPrefix(it.Reason, reasonDiskFull+": ") {
			t.Fatalf("%s paused with reason %q", it.Remote, it.Reason)
		}
		if it.State == Done && !it.Dir {
			got, err := os.ReadFile(it.Local)
			if err != nil || !bytes.Equal(got, want[it.Remote]) {
				t.Fatalf("%s done but differs (%v)", it.Remote, err)
			}
		}
		if it.Attempts > 1 {
			t.Fatalf("%s tried %d times on a full disk", it.Remote, it.Attempts)
		}
	}
	srv.diskFull.Store(false)
	q.ResumeAll()
	wait(t, q)
	if n := states(q); n[Done] != len(want)+4 || len(n) != 1 {
		t.Fatalf("after resuming: %v", n)
	}
	for p, b := range want {
		got, err := os.ReadFile(filepath.Join(dst, filepath.FromSlash(strings.TrimPrefix(p, "/tree/"))))
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("%s: differs after resuming (%v)", p, err)
		}
	}
	assertNoPart(t, dst)
}

func assertNoPart(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if strings.HasSuffix(p, partSuffix) {
			t.Errorf("partial file left: %s", p)
		}
		return nil
	})
}

func TestUploadFolder(t *testing.T) {
	srv := newFakeServer()
	src := t.TempDir()
	want := map[string][]byte{}
	for d := range 5 {
		for f := range 20 {
			rel := fmt.Sprintf("d%d/f%d", d, f)
			want[rel] = randBytes(rand.IntN(10000))
			os.MkdirAll(filepath.Join(src, fmt.Sprint("d", d)), 0o755)
			os.WriteFile(filepath.Join(src, filepath.FromSlash(rel)), want[rel], 0o644)
		}
	}
	q, _ := newTestQueue(t, srv, Options{})
	q.SetSiteLimit(testSite.Key(), 4)
	if _, err := q.Add(Job{Direction: Upload, Site: testSite.Key(), Remote: "/up", Local: src, Dir: true}); err != nil {
		t.Fatal(err)
	}
	wait(t, q)
	for rel, b := range want {
		got, ok := srv.get("/up/" + rel)
		if !ok || !bytes.Equal(got, b) {
			t.Fatalf("%s differs", rel)
		}
	}
}

func TestPermanentErrorFailsOneItemOnly(t *testing.T) {
	srv := newFakeServer()
	tree(srv, 2, 10)
	srv.denied["/tree/d01/f003.bin"] = true
	q, _ := newTestQueue(t, srv, Options{})
	dst := t.TempDir()
	q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/tree", Local: dst, Dir: true})
	wait(t, q)
	var failed []Item
	for _, it := range q.Items() {
		if it.State == Failed {
			failed = append(failed, it)
		}
	}
	if len(failed) != 1 || failed[0].Code != 550 || !strings.Contains(failed[0].Reason, "Permission denied") || failed[0].Attempts != 1 {
		t.Fatalf("failed items: %+v", failed)
	}
	if n := states(q); n[Done] != 19+3 {
		t.Fatalf("states %v", n)
	}
	if _, err := os.Stat(filepath.Join(dst, "d01", "f003.bin")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("failed download left a file under its final name")
	}
}

func TestDroppedDataConnectionIsResumed(t *testing.T) {
	srv := newFakeServer()
	data := randBytes(100_000)
	srv.put("/big.bin", data)
	srv.retrieveFault = dropOnce(30_000)
	q, _ := newTestQueue(t, srv, Options{})
	dst := t.TempDir()
	id, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/big.bin", Local: filepath.Join(dst, "big.bin")})
	wait(t, q)
	it, _ := q.Get(id)
	got, _ := os.ReadFile(filepath.Join(dst, "big.bin"))
	if it.State != Done || it.Attempts != 2 || !bytes.Equal(got, data) {
		t.Fatalf("state %s attempts %d identical %v (%s)", it.State, it.Attempts, bytes.Equal(got, data), it.Reason)
	}
	if srv.rests.Load() != 1 {
		t.Fatalf("resumed %d times, want 1 (REST from 30000)", srv.rests.Load())
	}
}

func TestRetriesRunOut(t *testing.T) {
	srv := newFakeServer()
	srv.put("/x", randBytes(1000))
	srv.retrieveFault = func(string, int64) (int64, error) { return 10, reply(421, "Timeout") }
	q, _ := newTestQueue(t, srv, Options{Retries: 3})
	id, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/x", Local: filepath.Join(t.TempDir(), "x")})
	wait(t, q)
	if it, _ := q.Get(id); it.State != Failed || it.Attempts != 4 || it.Code != 421 {
		t.Fatalf("%+v", it)
	}
}

// A server that answers every upload "451 Failure writing to local file"
// (vsftpd with a full disk): the first file runs out of its retries, the
// others fail at their first try instead of each waiting out the back-off;
// one success makes retries count again.
func TestRepeatedTemporaryFailureIsNotRetriedForEveryItem(t *testing.T) {
	srv := newFakeServer()
	var full atomic.Bool
	full.Store(true)
	srv.storeFault = func(string, int64) (int64, error) {
		if full.Load() {
			return 0, reply(451, "Failure writing to local file.")
		}
		return 0, nil
	}
	q, _ := newTestQueue(t, srv, Options{Retries: 2, RetryDelay: 20 * time.Millisecond})
	q.SetSiteLimit(testSite.Key(), 2)
	src := t.TempDir()
	for i := range 20 {
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("f%02d", i)), randBytes(100), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := q.Add(Job{Direction: Upload, Site: testSite.Key(), Local: src, Remote: "/up", Dir: true}); err != nil {
		t.Fatal(err)
	}
	wait(t, q)
	attempts := 0
	for _, it := range q.Items() {
		if it.Dir {
			continue
		}
		if it.State != Failed || it.Code != 451 {
			t.Fatalf("%s: %s %d %q", it.Remote, it.State, it.Code, it.Reason)
		}
		attempts += it.Attempts
	}
	// Retrying every file would take 60 tries; the first file takes 3, and
	// the one running beside it at most 3 more.
	if attempts > 3+3+18 {
		t.Fatalf("%d tries for 20 files on a server that fails them all", attempts)
	}

	// The user retries: f00 meets one more 451, which is retried again.
	var once atomic.Bool
	srv.storeFault = func(p string, _ int64) (int64, error) {
		if strings.HasSuffix(p, "f00") && once.CompareAndSwap(false, true) {
			return 0, reply(451, "Failure writing to local file.")
		}
		return 0, nil
	}
	q.RetryFailed()
	wait(t, q)
	if n := states(q); n[Done] != 21 {
		t.Fatalf("after the server recovered: %v", n)
	}
}

func TestHostileListingWritesNothingOutside(t *testing.T) {
	srv := newFakeServer()
	srv.put("/h/ok.txt", []byte("fine"))
	for _, n := range []string{"../escape", "/etc/x", "a/../../b", "nul\x00", "..", ".", "a\\..\\..\\b"} {
		srv.extra["/h"] = append(srv.extra["/h"], listing.Entry{Name: n, Type: listing.File, Size: 4})
	}
	srv.put("/h/con", []byte("evil"))
	srv.put("/h/bell\x07", []byte("evil"))
	srv.extra["/h"] = append(srv.extra["/h"], listing.Entry{Name: "..", Type: listing.Dir, Size: -1})
	outer := t.TempDir()
	dst := filepath.Join(outer, "inside")
	q, _ := newTestQueue(t, srv, Options{})
	q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/h", Local: dst, Dir: true})
	wait(t, q)
	var names []string
	filepath.WalkDir(outer, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(outer, p)
		names = append(names, rel)
		return nil
	})
	for _, n := range names {
		if n != "." && n != "inside" && !strings.HasPrefix(n, "inside"+string(filepath.Separator)) {
			t.Errorf("written outside the target: %s", n)
		}
	}
	refused := 0
	for _, it := range q.Items() {
		if it.State == Skipped && strings.HasPrefix(it.Reason, reasonUnsafe) {
			refused++
		}
	}
	if refused != 8 {
		t.Errorf("%d names refused, want 8", refused)
	}
	for _, it := range q.Items() {
		if strings.HasPrefix(it.Reason, reasonUnsafe) {
			q.Retry(it.ID)
			if again, _ := q.Get(it.ID); again.State != Skipped {
				t.Fatalf("a refused name was retried: %+v", again)
			}
		}
	}
	if b, err := os.ReadFile(filepath.Join(dst, "bell_")); err != nil || string(b) != "evil" {
		t.Errorf("control character not made safe: %v", err)
	}
}

func TestNamesThatCollideGetTheirOwnFile(t *testing.T) {
	srv := newFakeServer()
	srv.put("/c/a\x01", []byte("one"))
	srv.put("/c/a\x02", []byte("two"))
	srv.put("/c/x", []byte("x"))
	srv.put("/c/x.part", []byte("x.part"))
	dst := t.TempDir()
	q, _ := newTestQueue(t, srv, Options{})
	q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/c", Local: dst, Dir: true})
	wait(t, q)
	got := map[string]string{}
	entries, _ := os.ReadDir(dst)
	for _, de := range entries {
		b, _ := os.ReadFile(filepath.Join(dst, de.Name()))
		got[string(b)] = de.Name()
	}
	if len(got) != 4 {
		t.Fatalf("contents %v, want 4 distinct files", got)
	}
	if n := states(q); n[Done] != 5 {
		t.Fatalf("states %v", n)
	}
}

func TestLoginFailureFailsTheSiteOnce(t *testing.T) {
	srv := newFakeServer()
	tree(srv, 1, 20)
	srv.loginErr = &engine.Error{Op: "login", Err: reply(530, "Login incorrect.")}
	q, _ := newTestQueue(t, srv, Options{Hold: true})
	for i := range 20 {
		q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: fmt.Sprintf("/tree/d00/f%03d.bin", i), Local: filepath.Join(t.TempDir(), "f")})
	}
	q.Start()
	wait(t, q)
	if n := states(q); n[Failed] != 20 {
		t.Fatalf("states %v", n)
	}
	if d := srv.dials.Load(); d > 3 {
		t.Fatalf("logged in %d times with a refused password", d)
	}
	for _, it := range q.Items() {
		if it.Code != 530 || !strings.Contains(it.Reason, "Login incorrect") {
			t.Fatalf("%+v", it)
		}
	}
}

func TestChecksumMismatchIsRetried(t *testing.T) {
	srv := newFakeServer()
	data := randBytes(50_000)
	srv.put("/f", data)
	srv.hash = true
	srv.corruptOnce["/f"] = true
	q, _ := newTestQueue(t, srv, Options{Verify: true})
	dst := filepath.Join(t.TempDir(), "f")
	id, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/f", Local: dst})
	wait(t, q)
	got, _ := os.ReadFile(dst)
	if it, _ := q.Get(id); it.State != Done || it.Attempts != 2 || !bytes.Equal(got, data) {
		t.Fatalf("%s after %d attempts, identical %v", it.State, it.Attempts, bytes.Equal(got, data))
	}
}

func TestKeepModTime(t *testing.T) {
	srv := newFakeServer()
	srv.put("/m/f", []byte("data"))
	srv.mtime = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	dst := t.TempDir()
	q, _ := newTestQueue(t, srv, Options{KeepModTime: true})
	q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/m", Local: dst, Dir: true})
	wait(t, q)
	fi, err := os.Stat(filepath.Join(dst, "f"))
	if err != nil || !fi.ModTime().Equal(srv.mtime) {
		t.Fatalf("mtime %v, want %v (%v)", fi.ModTime(), srv.mtime, err)
	}
}

func TestSymlinkInTargetCannotLeadOutside(t *testing.T) {
	srv := newFakeServer()
	srv.put("/s/link/x", []byte("evil"))
	outer := t.TempDir()
	dst := filepath.Join(outer, "target")
	os.MkdirAll(dst, 0o755)
	elsewhere := t.TempDir()
	if err := os.Symlink(elsewhere, filepath.Join(dst, "link")); err != nil {
		t.Skip(err)
	}
	q, _ := newTestQueue(t, srv, Options{})
	q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/s", Local: dst, Dir: true, Policy: Replace})
	wait(t, q)
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Fatalf("written through a symlink out of the target: %v", entries)
	}
}

func TestInterruptedUploadIsResumed(t *testing.T) {
	for _, policy := range []Overwrite{Ask, Replace} {
		t.Run(policy.String(), func(t *testing.T) {
			srv := newFakeServer()
			data := randBytes(100_000)
			local := filepath.Join(t.TempDir(), "up.bin")
			os.WriteFile(local, data, 0o644)
			srv.storeFault = dropOnce(40_000)
			q, _ := newTestQueue(t, srv, Options{})
			id, _ := q.Add(Job{Direction: Upload, Site: testSite.Key(), Remote: "/up.bin", Local: local, Policy: policy})
			wait(t, q)
			got, _ := srv.get("/up.bin")
			if it, _ := q.Get(id); it.State != Done || it.Attempts != 2 || !bytes.Equal(got, data) || srv.rests.Load() != 1 {
				t.Fatalf("%s after %d attempts, %d resumes, identical %v", it.State, it.Attempts, srv.rests.Load(), bytes.Equal(got, data))
			}
		})
	}
}

// TestARetriedUploadNeverContinuesAFileItDidNotStart: the first STOR is
// refused with 425 before any byte moved, while an older file is on the
// server; the retry must replace it, not resume after its bytes — for a
// longer local file and for one of the same size.
func TestARetriedUploadNeverContinuesAFileItDidNotStart(t *testing.T) {
	for _, tt := range []struct {
		name string
		old  int
	}{{"longer", 40_000}, {"same size", 100_000}} {
		for _, policy := range []Overwrite{Replace, Ask} {
			t.Run(tt.name+"/"+policy.String(), func(t *testing.T) {
				srv := newFakeServer()
				srv.put("/up.bin", randBytes(tt.old))
				data := randBytes(100_000)
				local := filepath.Join(t.TempDir(), "up.bin")
				os.WriteFile(local, data, 0o644)
				var once atomic.Bool
				srv.storeFault = func(string, int64) (int64, error) {
					if once.CompareAndSwap(false, true) {
						return -1, reply(425, "Can't open data connection.")
					}
					return 0, nil
				}
				q, _ := newTestQueue(t, srv, Options{Ask: func(context.Context, Conflict) Answer { return Answer{Policy: Replace} }})
				id, _ := q.Add(Job{Direction: Upload, Site: testSite.Key(), Remote: "/up.bin", Local: local, Policy: policy})
				wait(t, q)
				got, _ := srv.get("/up.bin")
				if it, _ := q.Get(id); it.State != Done || !bytes.Equal(got, data) || srv.rests.Load() != 0 {
					t.Fatalf("%s after %d attempts, %d resumes, server has %d bytes, identical %v", it.State, it.Attempts, srv.rests.Load(), len(got), bytes.Equal(got, data))
				}
			})
		}
	}
}

func TestRestartStartsOverAForeignPart(t *testing.T) {
	for _, restart := range []bool{false, true} {
		t.Run(fmt.Sprint("restart=", restart), func(t *testing.T) {
			srv := newFakeServer()
			srv.put("/f", []byte("0123456789"))
			dst := t.TempDir()
			os.WriteFile(filepath.Join(dst, "f"+partSuffix), []byte("XYZ"), 0o644) // not ours
			q, _ := newTestQueue(t, srv, Options{})
			q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/f", Local: filepath.Join(dst, "f"), Restart: restart})
			wait(t, q)
			got, _ := os.ReadFile(filepath.Join(dst, "f"))
			want := "0123456789"
			if !restart {
				want = "XYZ3456789" // continued, as asked
			}
			if string(got) != want {
				t.Fatalf("got %q, want %q", got, want)
			}
		})
	}
}

// TestUploadStatsTheTargetOnlyWhenItDecides: Replace overwrites without
// asking the server about the target; Skip must ask, and keeps it.
func TestUploadStatsTheTargetOnlyWhenItDecides(t *testing.T) {
	for _, tc := range []struct {
		policy   Overwrite
		stats    int32
		replaced bool
	}{
		{Replace, 0, true},
		{Skip, 1, false},
		{IfSizeDiffers, 1, true},
	} {
		t.Run(tc.policy.String(), func(t *testing.T) {
			srv := newFakeServer()
			srv.put("/up.bin", []byte("old"))
			data := randBytes(10_000)
			local := filepath.Join(t.TempDir(), "up.bin")
			os.WriteFile(local, data, 0o644)
			q, _ := newTestQueue(t, srv, Options{})
			if _, err := q.Add(Job{Direction: Upload, Site: testSite.Key(), Remote: "/up.bin", Local: local, Policy: tc.policy}); err != nil {
				t.Fatal(err)
			}
			wait(t, q)
			got, _ := srv.get("/up.bin")
			if replaced := bytes.Equal(got, data); replaced != tc.replaced || srv.stats.Load() != tc.stats {
				t.Fatalf("replaced %v after %d Stat calls, want %v after %d; states %v", replaced, srv.stats.Load(), tc.replaced, tc.stats, states(q))
			}
		})
	}
}

// TestUploadCreatesMissingFolders: a file sent into a remote folder that
// does not exist creates it (and its parents) instead of failing.
func TestUploadCreatesMissingFolders(t *testing.T) {
	srv := newFakeServer()
	data := randBytes(10_000)
	local := filepath.Join(t.TempDir(), "f")
	os.WriteFile(local, data, 0o644)
	q, _ := newTestQueue(t, srv, Options{})
	if _, err := q.Add(Job{Direction: Upload, Site: testSite.Key(), Remote: "/new/deeper/f", Local: local}); err != nil {
		t.Fatal(err)
	}
	wait(t, q)
	if got, ok := srv.get("/new/deeper/f"); !ok || !bytes.Equal(got, data) {
		t.Fatalf("uploaded %d bytes (%v); states %v", len(got), ok, states(q))
	}
}

// A file that ends starts the site's next file in its own goroutine
// (follow); that must still obey a site limit lowered while files run, and
// a PauseAll.
func TestChainedFilesObeyALoweredLimitAndPauseAll(t *testing.T) {
	srv := newFakeServer()
	tree(srv, 1, 60)
	srv.delay = 20 * time.Millisecond
	q, _ := newTestQueue(t, srv, Options{})
	q.SetSiteLimit(testSite.Key(), 4)
	if _, err := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/tree", Local: t.TempDir(), Dir: true}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for srv.maxBusy.Load() < 4 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if m := srv.maxBusy.Load(); m != 4 {
		t.Fatalf("%d transfers at once, want the limit 4", m)
	}
	q.SetSiteLimit(testSite.Key(), 1)
	running := func() int {
		n := 0
		for _, it := range q.Items() {
			if it.State == Running && !it.Dir {
				n++
			}
		}
		return n
	}
	// The four running files end (on a loaded machine that takes longer
	// than their delay); none may take their place beyond the limit.
	for deadline := time.Now().Add(10 * time.Second); running() > 1 || srv.busy.Load() > 1; {
		if time.Now().After(deadline) {
			t.Fatalf("%d files still running 10 s after the limit went down to 1", running())
		}
		time.Sleep(time.Millisecond)
	}
	srv.maxBusy.Store(srv.busy.Load())
	for range 10 {
		time.Sleep(srv.delay)
		if n := running(); n > 1 {
			t.Fatalf("%d files running after the limit went down to 1", n)
		}
	}
	if m := srv.maxBusy.Load(); m > 1 {
		t.Fatalf("%d transfers at once after the limit went down to 1", m)
	}
	q.PauseAll()
	time.Sleep(2 * srv.delay)
	done := states(q)[Done]
	time.Sleep(5 * srv.delay)
	if n := states(q)[Done]; n != done || srv.busy.Load() != 0 {
		t.Fatalf("after PauseAll: %d then %d done, %d transferring", done, n, srv.busy.Load())
	}
}

// TestADownloadIsOnDiskBeforeItIsDone: the .part is fsynced before it is
// renamed to its name, so a power cut cannot leave a Done item whose file
// is short.
func TestADownloadIsOnDiskBeforeItIsDone(t *testing.T) {
	srv := newFakeServer()
	srv.put("/f", []byte("0123456789"))
	dst := t.TempDir()
	var synced []string
	old := syncFile
	syncFile = func(f *os.File) error {
		_, err := os.Stat(filepath.Join(dst, "f"))
		synced = append(synced, fmt.Sprintf("%s renamed=%v", filepath.Base(f.Name()), err == nil))
		return old(f)
	}
	t.Cleanup(func() { syncFile = old })
	q, _ := newTestQueue(t, srv, Options{})
	id, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/f", Local: filepath.Join(dst, "f")})
	wait(t, q)
	if it, _ := q.Get(id); it.State != Done || len(synced) != 1 || synced[0] != "f.part renamed=false" {
		t.Fatalf("%s, synced %q", it.State, synced)
	}
	// A NoSync queue leaves it to its owner (the command line syncs the
	// file system once before exit 0).
	synced = nil
	q2, _ := newTestQueue(t, srv, Options{NoSync: true})
	id, _ = q2.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/f", Local: t.TempDir(), Name: "g"})
	wait(t, q2)
	if it, _ := q2.Get(id); it.State != Done || len(synced) != 0 {
		t.Fatalf("NoSync: %s, synced %q", it.State, synced)
	}
}

// TestResumeNeverRenamesTheUsersFile: answering Resume to an existing,
// shorter local file continues it without touching it: a failed transfer
// and a Cancel both leave the user's file as it was; a finished one
// replaces it with the whole file.
func TestResumeNeverRenamesTheUsersFile(t *testing.T) {
	for _, end := range []string{"failure", "cancel", "success"} {
		t.Run(end, func(t *testing.T) {
			srv := newFakeServer()
			srv.put("/f", []byte("0123456789"))
			if end != "success" {
				srv.retrieveFault = func(string, int64) (int64, error) { return 2, reply(550, "Gone") }
			}
			dst := t.TempDir()
			mine := filepath.Join(dst, "f")
			os.WriteFile(mine, []byte("0123"), 0o644)
			q, _ := newTestQueue(t, srv, Options{Ask: func(context.Context, Conflict) Answer { return Answer{Policy: Resume} }})
			id, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/f", Local: mine, Policy: Ask})
			wait(t, q)
			if end == "cancel" {
				q.Cancel(id)
			}
			got, err := os.ReadFile(mine)
			want := "0123"
			if end == "success" {
				want = "0123456789"
			}
			if err != nil || string(got) != want {
				t.Fatalf("user's file: %q (%v), want %q", got, err, want)
			}
		})
	}
}

// TestSkipNeverOverwritesAFileTheListingHid: a folder upload with policy
// skip onto a server whose listing hides dot files must not take a
// .htaccess missing from the listing for one that does not exist.
func TestSkipNeverOverwritesAFileTheListingHid(t *testing.T) {
	srv := newFakeServer()
	srv.hideDots = true
	srv.put("/www/.htaccess", []byte("server's own rules"))
	local := t.TempDir()
	os.WriteFile(filepath.Join(local, ".htaccess"), []byte("local rules"), 0o644)
	os.WriteFile(filepath.Join(local, "index.html"), []byte("<html>"), 0o644)
	q, _ := newTestQueue(t, srv, Options{})
	q.Add(Job{Direction: Upload, Site: testSite.Key(), Remote: "/www", Local: local, Dir: true, Policy: Skip})
	wait(t, q)
	if got, _ := srv.get("/www/.htaccess"); string(got) != "server's own rules" {
		t.Fatalf("remote .htaccess is now %q", got)
	}
	if got, _ := srv.get("/www/index.html"); string(got) != "<html>" {
		t.Fatalf("index.html %q", got)
	}
}

// TestTwoJobsForOneTargetNeverShareAPart: two downloads of different files
// into one local name run one after the other, so the file ends as one of
// them whole, never a mix, and neither is Done holding the other's bytes.
func TestTwoJobsForOneTargetNeverShareAPart(t *testing.T) {
	srv := newFakeServer()
	a, b := bytes.Repeat([]byte("A"), 30_000), bytes.Repeat([]byte("B"), 50_000)
	srv.put("/a", a)
	srv.put("/b", b)
	srv.delay = 50 * time.Millisecond // both would be in flight at once
	dst := t.TempDir()
	var mu sync.Mutex
	var seen [][]byte // the target's content as each item finished
	q, _ := newTestQueue(t, srv, Options{Parallel: 4})
	q.Subscribe(func(ev Event) {
		if ev.Kind == Changed && ev.Item.State == Done {
			got, _ := os.ReadFile(filepath.Join(dst, "f"))
			mu.Lock()
			seen = append(seen, got)
			mu.Unlock()
		}
	})
	q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/a", Local: dst, Name: "f", Policy: Replace})
	q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/b", Local: dst, Name: "f", Policy: Replace})
	wait(t, q)
	for _, it := range q.Items() {
		if it.State != Done {
			t.Errorf("%s: %s %s", it.Remote, it.State, it.Reason)
		}
	}
	got, _ := os.ReadFile(filepath.Join(dst, "f"))
	if !bytes.Equal(got, a) && !bytes.Equal(got, b) {
		t.Fatalf("target holds %d bytes, a mix of both", len(got))
	}
	mu.Lock()
	defer mu.Unlock()
	for _, s := range seen {
		if !bytes.Equal(s, a) && !bytes.Equal(s, b) {
			t.Fatalf("an item was Done with %d mixed bytes", len(s))
		}
	}
}
