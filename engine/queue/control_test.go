package queue

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

func TestOverwritePolicies(t *testing.T) {
	for _, tt := range []struct {
		policy  Overwrite
		local   string
		want    string
		state   State
		renamed bool
	}{
		{Replace, "old", "remote data", Done, false},
		{Skip, "old", "old", Skipped, false},
		{IfSizeDiffers, "remote xxxx", "remote xxxx", Skipped, false},
		{IfSizeDiffers, "old", "remote data", Done, false},
		{Resume, "remote", "remote data", Done, false},
		{Rename, "old", "old", Done, true},
	} {
		t.Run(tt.policy.String()+"/"+tt.local, func(t *testing.T) {
			srv := newFakeServer()
			srv.put("/f.txt", []byte("remote data"))
			q, _ := newTestQueue(t, srv, Options{})
			dst := t.TempDir()
			os.WriteFile(filepath.Join(dst, "f.txt"), []byte(tt.local), 0o644)
			id, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/f.txt", Local: filepath.Join(dst, "f.txt"), Policy: tt.policy})
			wait(t, q)
			it, _ := q.Get(id)
			got, _ := os.ReadFile(filepath.Join(dst, "f.txt"))
			if it.State != tt.state || string(got) != tt.want {
				t.Fatalf("state %s content %q (%s)", it.State, got, it.Reason)
			}
			if tt.renamed {
				if b, _ := os.ReadFile(filepath.Join(dst, "f (1).txt")); string(b) != "remote data" || it.Local != filepath.Join(dst, "f (1).txt") {
					t.Fatalf("renamed copy %q at %s", b, it.Local)
				}
			}
		})
	}
}

func TestAskApplyToAll(t *testing.T) {
	srv := newFakeServer()
	srv.put("/d/a", []byte("A"))
	srv.put("/d/b", []byte("B"))
	dst := t.TempDir()
	os.WriteFile(filepath.Join(dst, "a"), []byte("old"), 0o644)
	os.WriteFile(filepath.Join(dst, "b"), []byte("old"), 0o644)
	var asked int
	q, _ := newTestQueue(t, srv, Options{Ask: func(ctx context.Context, c Conflict) Answer {
		asked++
		return Answer{Policy: Replace, All: true}
	}})
	q.SetSiteLimit(testSite.Key(), 1)
	q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/d", Local: dst, Dir: true})
	wait(t, q)
	a, _ := os.ReadFile(filepath.Join(dst, "a"))
	b, _ := os.ReadFile(filepath.Join(dst, "b"))
	if asked != 1 || string(a) != "A" || string(b) != "B" {
		t.Fatalf("asked %d, a=%q b=%q", asked, a, b)
	}
}

func TestPauseResumeCancel(t *testing.T) {
	srv := newFakeServer()
	srv.put("/slow", randBytes(200_000))
	srv.put("/other", randBytes(10))
	q, _ := newTestQueue(t, srv, Options{DownloadRate: 100_000})
	dst := t.TempDir()
	id, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/slow", Local: filepath.Join(dst, "slow")})
	waitState(t, q, id, Running)
	time.Sleep(300 * time.Millisecond)
	q.Pause(id)
	waitState(t, q, id, Paused)
	fi, err := os.Stat(filepath.Join(dst, "slow"+partSuffix))
	if err != nil || fi.Size() == 0 {
		t.Fatalf("paused download has no partial file: %v", err)
	}
	q.SetRate(0, 0)
	q.Resume(id)
	wait(t, q)
	if it, _ := q.Get(id); it.State != Done || srv.rests.Load() != 1 {
		t.Fatalf("after resume: %s, %d resumes", it.State, srv.rests.Load())
	}

	q.SetRate(1000, 0)
	id2, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/slow", Local: filepath.Join(dst, "slow2")})
	waitState(t, q, id2, Running)
	time.Sleep(200 * time.Millisecond)
	q.Cancel(id2)
	wait(t, q)
	if _, ok := q.Get(id2); ok {
		t.Fatal("cancelled item still queued")
	}
	time.Sleep(100 * time.Millisecond)
	if _, err := os.Stat(filepath.Join(dst, "slow2"+partSuffix)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("cancelled download left its partial file: %v", err)
	}
}

func waitState(t *testing.T, q *Queue, id ID, s State) {
	t.Helper()
	for range 500 {
		if it, _ := q.Get(id); it.State == s {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	it, _ := q.Get(id)
	t.Fatalf("item %d is %s, want %s", id, it.State, s)
}

func TestPriorityAndMove(t *testing.T) {
	srv := newFakeServer()
	for _, n := range []string{"a", "b", "c", "d"} {
		srv.put("/"+n, []byte(n))
	}
	q, _ := newTestQueue(t, srv, Options{Hold: true})
	q.SetSiteLimit(testSite.Key(), 1)
	dst := t.TempDir()
	ids := map[string]ID{}
	for _, n := range []string{"a", "b", "c", "d"} {
		ids[n], _ = q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/" + n, Local: filepath.Join(dst, n)})
	}
	q.SetPriority(ids["d"], High)
	q.Move(ids["c"], 0)
	var mu sync.Mutex
	var order []string
	started := map[ID]bool{}
	q.Subscribe(func(ev Event) {
		// Only the first: a transfer longer than ProgressInterval (under
		// -race on a busy machine) also reports progress as Running.
		mu.Lock()
		defer mu.Unlock()
		if ev.Kind == Changed && ev.Item.State == Running && !started[ev.Item.ID] {
			started[ev.Item.ID] = true
			order = append(order, filepath.Base(ev.Item.Local))
		}
	})
	q.Start()
	wait(t, q)
	time.Sleep(50 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(order, ""); got != "dcab" {
		t.Fatalf("start order %q, want dcab", got)
	}
}

func TestProgressEventsAreCoalesced(t *testing.T) {
	srv := newFakeServer()
	srv.put("/f", randBytes(300_000))
	q, _ := newTestQueue(t, srv, Options{DownloadRate: 300_000})
	var mu sync.Mutex
	var n int
	q.Subscribe(func(ev Event) {
		if ev.Kind == Changed && ev.Item.State == Running && ev.Item.Bytes > 0 {
			mu.Lock()
			n++
			mu.Unlock()
		}
	})
	start := time.Now()
	q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/f", Local: filepath.Join(t.TempDir(), "f")})
	wait(t, q)
	secs := time.Since(start).Seconds()
	mu.Lock()
	defer mu.Unlock()
	if n == 0 || float64(n) > 11*secs+1 {
		t.Fatalf("%d progress events in %.1fs", n, secs)
	}
}

func TestUploadPolicyAgainstExistingRemote(t *testing.T) {
	srv := newFakeServer()
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "same"), []byte("same size"), 0o644)
	os.WriteFile(filepath.Join(src, "differs"), []byte("new content, longer"), 0o644)
	os.WriteFile(filepath.Join(src, "new"), []byte("new"), 0o644)
	srv.put("/up/same", []byte("SAME SIZE"))
	srv.put("/up/differs", []byte("old"))
	q, _ := newTestQueue(t, srv, Options{})
	q.Add(Job{Direction: Upload, Site: testSite.Key(), Remote: "/up", Local: src, Dir: true, Policy: IfSizeDiffers})
	wait(t, q)
	for name, want := range map[string]string{"same": "SAME SIZE", "differs": "new content, longer", "new": "new"} {
		if got, _ := srv.get("/up/" + name); string(got) != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if n := states(q); n[Skipped] != 1 || n[Done] != 3 {
		t.Fatalf("states %v", n)
	}
}

func TestRateLimit(t *testing.T) {
	for _, dir := range []Direction{Download, Upload} {
		t.Run(dir.String(), func(t *testing.T) {
			srv := newFakeServer()
			data := randBytes(150_000)
			srv.put("/f", data)
			local := filepath.Join(t.TempDir(), "f")
			os.WriteFile(local, data, 0o644)
			q, _ := newTestQueue(t, srv, Options{DownloadRate: 100_000, UploadRate: 100_000})
			start := time.Now()
			q.Add(Job{Direction: dir, Site: testSite.Key(), Remote: "/f", Local: local, Policy: Replace})
			wait(t, q)
			if el := time.Since(start); el < time.Second || el > 5*time.Second {
				t.Fatalf("150 kB at 100 kB/s took %v", el)
			}
		})
	}
}

// TestRateLimitIsSteady measures a limited download as the queue pane sees
// it: engine/ftp hands the writer 512 KiB at a time, and both the bytes
// that arrive and the speed the events report must follow the limit, not
// jump a buffer at a time and decay in between (the pane showed 3 KiB/s
// under a 200 kB/s limit).
func TestRateLimitIsSteady(t *testing.T) {
	const limit = 512 << 10 // bytes per second
	srv := newFakeServer()
	srv.chunk = 512 << 10 // engine/ftp's copy buffer
	srv.put("/f", randBytes(8*limit))
	q, _ := newTestQueue(t, srv, Options{DownloadRate: limit})
	var mu sync.Mutex
	var speeds []float64
	var start time.Time
	q.Subscribe(func(ev Event) {
		if ev.Kind == Changed && ev.Item.State == Running && ev.Item.Bytes > 0 {
			mu.Lock()
			if el := time.Since(start); el > 500*time.Millisecond && el < 2*time.Second {
				speeds = append(speeds, ev.Item.Speed)
			}
			mu.Unlock()
		}
	})
	mu.Lock()
	start = time.Now()
	mu.Unlock()
	id, err := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/f", Local: filepath.Join(t.TempDir(), "f")})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	var got int64
	for _, it := range q.Items() {
		if it.ID == id {
			got = it.Bytes
		}
	}
	q.Pause(id)
	if want := int64(2 * limit); got < want/2 || got > want*3/2 {
		t.Errorf("%d bytes in 2 s at %d bytes/s, want about %d", got, limit, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(speeds) < 5 {
		t.Fatalf("only %d progress events between 0.5 and 2 s", len(speeds))
	}
	sort.Float64s(speeds)
	if med := speeds[len(speeds)/2]; med < limit/2 || med > limit*3/2 {
		t.Errorf("median reported speed %.0f bytes/s at a limit of %d (all: %.0f)", med, limit, speeds)
	}
}

func TestSiteUnavailablePausesUntilResumeSite(t *testing.T) {
	srv := newFakeServer()
	tree(srv, 1, 5)
	var mu sync.Mutex
	known := false
	q, _ := newTestQueue(t, srv, Options{Hold: true, Config: func(context.Context, engine.SiteKey, string) (engine.Config, error) {
		mu.Lock()
		defer mu.Unlock()
		if !known {
			return engine.Config{}, fmt.Errorf("connect to the site again: %w", ErrSiteUnavailable)
		}
		return testSite, nil
	}})
	for i := range 5 {
		q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: fmt.Sprintf("/tree/d00/f%03d.bin", i), Local: filepath.Join(t.TempDir(), "f")})
	}
	q.Start()
	wait(t, q)
	if n := states(q); n[Paused] != 5 {
		t.Fatalf("states %v, want all paused", n)
	}
	mu.Lock()
	known = true
	mu.Unlock()
	q.ResumeSite(testSite.Key())
	wait(t, q)
	if n := states(q); n[Done] != 5 {
		t.Fatalf("states %v, want all done", n)
	}
}

// TestAlwaysAnswerStaysInItsJob: "always use this action" answered for one
// job decides that job's later conflicts, not another job's; SetAlways sets
// a job's answer, and with Ask clears it, so the next conflict is asked.
func TestAlwaysAnswerStaysInItsJob(t *testing.T) {
	srv := newFakeServer()
	for _, p := range []string{"/d/a", "/d/b", "/e/c", "/f/x", "/f/y"} {
		srv.put(p, []byte("new "+p))
	}
	dst := t.TempDir()
	for _, n := range []string{"a", "b", "c", "x", "y"} {
		os.WriteFile(filepath.Join(dst, n), []byte("old"), 0o644)
	}
	var mu sync.Mutex
	var asked []string
	ask := func(ctx context.Context, c Conflict) Answer {
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, c.Item.Remote)
		return Answer{Policy: Replace, All: true}
	}
	q, _ := newTestQueue(t, srv, Options{Ask: ask, Hold: true})
	q.SetSiteLimit(testSite.Key(), 1)
	job, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/d", Local: dst, Dir: true})
	q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/e/c", Local: filepath.Join(dst, "c")})
	q.Start()
	wait(t, q)
	if len(asked) != 2 || !slices.Contains(asked, "/e/c") {
		t.Fatalf("asked about %q, want one question per job (/d/a or /d/b, and /e/c)", asked)
	}
	for _, it := range q.Items() {
		if it.Job == job && it.Always != Replace {
			t.Errorf("item %s of the answered job shows Always %s", it.Remote, it.Always)
		}
		if it.Job != job && it.Always != Replace {
			t.Errorf("item %s answered for itself shows Always %s", it.Remote, it.Always)
		}
	}
	for _, n := range []string{"a", "b", "c"} {
		if b, _ := os.ReadFile(filepath.Join(dst, n)); !strings.HasPrefix(string(b), "new") {
			t.Errorf("%s: %q, want replaced", n, b)
		}
	}

	// Set before the job runs: x is skipped without a question. Set and
	// cleared: y is asked.
	asked = nil
	q2, _ := newTestQueue(t, srv, Options{Ask: ask, Hold: true})
	x, _ := q2.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/f/x", Local: filepath.Join(dst, "x")})
	y, _ := q2.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/f/y", Local: filepath.Join(dst, "y")})
	q2.SetAlways(x, Skip)
	q2.SetAlways(y, Skip)
	q2.SetAlways(y, Ask)
	q2.Start()
	wait(t, q2)
	if it, _ := q2.Get(x); it.State != Skipped || len(asked) != 1 || asked[0] != "/f/y" {
		t.Fatalf("x %s, asked about %q; want x skipped unasked and y asked", it.State, asked)
	}
}

// TestResumeSiteLeavesUserPausedItems: connecting to a site continues the
// items that waited for it, not the ones the user paused.
func TestResumeSiteLeavesUserPausedItems(t *testing.T) {
	srv := newFakeServer()
	srv.put("/a", []byte("A"))
	srv.put("/b", []byte("B"))
	var mu sync.Mutex
	known := false
	q, _ := newTestQueue(t, srv, Options{Hold: true, Config: func(context.Context, engine.SiteKey, string) (engine.Config, error) {
		mu.Lock()
		defer mu.Unlock()
		if !known {
			return engine.Config{}, fmt.Errorf("waiting: %w", ErrSiteUnavailable)
		}
		return testSite, nil
	}})
	dst := t.TempDir()
	a, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/a", Local: filepath.Join(dst, "a")})
	b, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/b", Local: filepath.Join(dst, "b")})
	q.Pause(b)
	q.Start()
	wait(t, q)
	if it, _ := q.Get(a); it.State != Paused || !it.Waiting {
		t.Fatalf("a: %s waiting=%v, want paused waiting for its site", it.State, it.Waiting)
	}
	if it, _ := q.Get(b); it.Waiting {
		t.Fatal("b, paused by the user, is marked waiting for its site")
	}
	mu.Lock()
	known = true
	mu.Unlock()
	q.ResumeSite(testSite.Key())
	wait(t, q)
	if it, _ := q.Get(a); it.State != Done {
		t.Errorf("a: %s after ResumeSite", it.State)
	}
	if it, _ := q.Get(b); it.State != Paused {
		t.Errorf("b: %s after ResumeSite, want still paused", it.State)
	}
}

// TestAlwaysAnswerCoversASelection: files queued together (Job.With) share
// one "always" answer; a file queued alone is asked about again.
func TestAlwaysAnswerCoversASelection(t *testing.T) {
	srv := newFakeServer()
	dst := t.TempDir()
	for _, n := range []string{"a", "b", "c"} {
		srv.put("/"+n, []byte("new"))
		os.WriteFile(filepath.Join(dst, n), []byte("old"), 0o644)
	}
	var mu sync.Mutex
	var asked []string
	q, _ := newTestQueue(t, srv, Options{Hold: true, Ask: func(ctx context.Context, c Conflict) Answer {
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, c.Item.Remote)
		return Answer{Policy: Replace, All: true}
	}})
	q.SetSiteLimit(testSite.Key(), 1)
	a, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/a", Local: filepath.Join(dst, "a")})
	q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/b", Local: filepath.Join(dst, "b"), With: a})
	q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/c", Local: filepath.Join(dst, "c")})
	q.Start()
	wait(t, q)
	if len(asked) != 2 || slices.Contains(asked, "/a") == slices.Contains(asked, "/b") || !slices.Contains(asked, "/c") {
		t.Fatalf("asked about %q, want one of /a and /b, and /c", asked)
	}
}
