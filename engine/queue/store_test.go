package queue

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

func TestRestoreAfterClose(t *testing.T) {
	db := filepath.Join(t.TempDir(), "q.db")
	srv := newFakeServer()
	tree(srv, 2, 3)
	dst := t.TempDir()
	q, pool := newTestQueue(t, srv, Options{Path: db, Hold: true})
	q.Add(Job{Direction: Download, Site: testSite.Key(), SiteRef: "bookmark-7", Remote: "/tree", Local: dst, Dir: true})
	f, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/tree/d00/f000.bin", Local: filepath.Join(dst, "one"), Priority: High})
	q.Pause(f)
	q.Close()
	pool.Close()

	var mu sync.Mutex
	var refs []string
	q2, _ := newTestQueue(t, srv, Options{Path: db, Hold: true, Config: func(_ context.Context, k engine.SiteKey, ref string) (engine.Config, error) {
		mu.Lock()
		refs = append(refs, ref)
		mu.Unlock()
		return testSite, nil
	}})
	items := q2.Items()
	if len(items) != 2 || items[0].SiteRef != "bookmark-7" || items[1].State != Paused || items[1].Priority != High {
		t.Fatalf("restored %+v", items)
	}
	raw, _ := os.ReadFile(db)
	if bytes.Contains(raw, []byte(testSite.Password)) {
		t.Fatal("the password is in the queue file")
	}
	q2.ResumeAll()
	q2.Start()
	wait(t, q2)
	if n := states(q2); n[Done] != 2+6+2 {
		t.Fatalf("states %v", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Contains(refs, "bookmark-7") {
		t.Fatalf("Config called with %q", refs)
	}
}

// killTree is the content both the killed child and the parent serve.
func killTree() *fakeServer {
	srv := newFakeServer()
	r := rand.New(rand.NewPCG(1, 2))
	for d := range 3 {
		for f := range 10 {
			b := make([]byte, 20_000+r.IntN(20_000))
			for i := range b {
				b[i] = byte(r.UintN(256))
			}
			srv.put(fmt.Sprintf("/k/d%d/f%d", d, f), b)
		}
	}
	big := make([]byte, 2_000_000)
	for i := range big {
		big[i] = byte(r.UintN(256))
	}
	srv.put("/k/big", big)
	return srv
}

// TestKillChild is the process the SIGKILL test kills; it only runs when
// re-executed by TestSIGKILLRestoresQueue.
func TestKillChild(t *testing.T) {
	dir := os.Getenv("SKIFF_QUEUE_KILL_DIR")
	if dir == "" {
		t.Skip("helper process")
	}
	srv := killTree()
	q, _ := newTestQueue(t, srv, Options{Path: filepath.Join(dir, "q.db"), DownloadRate: 400_000})
	if len(q.Items()) == 0 {
		q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/k", Local: filepath.Join(dir, "out"), Dir: true})
	}
	time.Sleep(time.Minute) // killed long before
}

func TestSIGKILLRestoresQueue(t *testing.T) {
	if testing.Short() {
		t.Skip("subprocess")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.v")
	cmd.Env = append(os.Environ(), "SKIFF_QUEUE_KILL_DIR="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	part := filepath.Join(dir, "out", "big"+partSuffix)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if fi, err := os.Stat(part); err == nil && fi.Size() > 100_000 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("child never started the big download")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(2 * FlushInterval)
	cmd.Process.Kill() // SIGKILL: no clean shutdown
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(dir, "out", "big")); !os.IsNotExist(err) {
		t.Fatalf("unfinished download exists under its final name: %v", err)
	}

	srv := killTree()
	q, _ := newTestQueue(t, srv, Options{Path: filepath.Join(dir, "q.db"), Hold: true})
	unfinished := 0
	for _, it := range q.Items() {
		if !it.State.Finished() {
			unfinished++
		}
	}
	if unfinished == 0 {
		t.Fatal("no unfinished item restored")
	}
	q.Start()
	wait(t, q)
	for p, want := range srv.files {
		got, err := os.ReadFile(filepath.Join(dir, "out", filepath.FromSlash(p[len("/k/"):])))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s differs after restart: %v", p, err)
		}
	}
	if srv.rests.Load() == 0 {
		t.Fatal("nothing was resumed from its partial file")
	}
	for _, it := range q.Items() {
		if it.State != Done {
			t.Fatalf("%s: %s %s", it.Remote, it.State, it.Reason)
		}
	}
	assertNoPart(t, filepath.Join(dir, "out"))
}

func TestMoveIsRestoredInOrder(t *testing.T) {
	db := filepath.Join(t.TempDir(), "q.db")
	srv := newFakeServer()
	q, pool := newTestQueue(t, srv, Options{Path: db, Hold: true})
	var ids []ID
	for i := range 6 {
		id, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: fmt.Sprint("/f", i), Local: filepath.Join(t.TempDir(), "f")})
		ids = append(ids, id)
	}
	q.Move(ids[5], 0)
	q.Move(ids[0], 3)
	for range 12 { // exhaust the gap between two neighbours: renumbering
		q.Move(ids[2], 1)
		q.Move(ids[1], 1)
	}
	want := q.Items()
	q.Close()
	pool.Close()
	q2, _ := newTestQueue(t, srv, Options{Path: db, Hold: true})
	got := q2.Items()
	for i := range want {
		if got[i].ID != want[i].ID {
			t.Fatalf("restored order %v, want %v", idsOf(got), idsOf(want))
		}
	}
}

func idsOf(items []Item) []ID {
	var out []ID
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}
