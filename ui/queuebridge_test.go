package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// The window on the real queue and pool (over the in-memory session): a
// download and an upload reach Successful with identical bytes; a 550 lands
// in Failed with the server's reason.
func TestWindowOnRealQueue(t *testing.T) {
	a := test.NewTempApp(t)
	localDir := t.TempDir()
	a.Preferences().SetString(prefLocalDir, localDir)
	fs := newFakeFS()
	fs.addFile("/home/data.bin", strings.Repeat("0123456789", 1000))
	if err := os.WriteFile(filepath.Join(localDir, "up.txt"), []byte("uploaded bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	pool := engine.NewPool(fs, engine.PoolOptions{})
	defer pool.Close()
	b := NewQueueBridge()
	q, err := queue.New(pool, queue.Options{Config: b.Config, Ask: b.Ask, RetryDelay: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	b.Attach(q)
	var w *Window
	onUI(func() { w = New(a, Options{Pool: pool, Transfers: b}) })
	t.Cleanup(func() { w.queue.Close() })
	onUI(func() { w.Connect(engine.Config{Host: "h", User: "u", Password: "p"}, "/home") })
	waitFor(t, "panes", func() bool { return rowOf(w.remote.table, "data.bin") >= 0 && rowOf(w.local.table, "up.txt") >= 0 })

	onUI(func() {
		w.remote.table.SelectName("data.bin")
		w.download()
		w.local.table.SelectName("up.txt")
		w.upload()
	})
	waitFor(t, "2 successful", func() bool { _, _, d := w.queue.Counts(); return d == 2 })
	got, err := os.ReadFile(filepath.Join(localDir, "data.bin"))
	if err != nil || string(got) != strings.Repeat("0123456789", 1000) {
		t.Fatalf("downloaded %d bytes, %v", len(got), err)
	}
	// the panes show what arrived
	waitFor(t, "panes refreshed", func() bool {
		return rowOf(w.local.table, "data.bin") >= 0 && rowOf(w.remote.table, "up.txt") >= 0
	})
	fs.mu.Lock()
	up := string(fs.files["/home/up.txt"])
	fs.mu.Unlock()
	if up != "uploaded bytes" {
		t.Fatalf("uploaded %q", up)
	}

	// a file the server refuses
	onUI(func() {
		w.opts.Transfers.Download(w.cfg, "/home/missing.bin", filepath.Join(localDir, "missing.bin"), false, 10)
	})
	waitFor(t, "1 failed", func() bool { _, f, _ := w.queue.Counts(); return f == 1 })
	onUI(func() {
		if r := w.queue.rows[1][0].Reason; !strings.Contains(r, "No such file") {
			t.Errorf("failed reason %q", r)
		}
	})
}

func TestBridgeConfigForRestoredItems(t *testing.T) {
	b := NewQueueBridge()
	anon := engine.Config{Host: "h", Port: 2121, User: "anonymous", Password: engine.AnonymousPassword}
	cfg, err := b.Config(context.Background(), anon.Key(), anon.URL(""))
	if err != nil || cfg.Password != engine.AnonymousPassword {
		t.Errorf("anonymous: %v %v", cfg, err)
	}
	bob := engine.Config{Host: "h", User: "bob", Password: "pw"}
	if _, err := b.Config(context.Background(), bob.Key(), bob.URL("")); err == nil {
		t.Error("a site with a password was configured without one")
	}
	b.Remember(bob)
	if cfg, err := b.Config(context.Background(), bob.Key(), bob.URL("")); err != nil || cfg.Password != "pw" {
		t.Errorf("remembered: %v %v", cfg, err)
	}
}
