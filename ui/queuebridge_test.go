package ui

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// The window on the real queue and pool (over the in-memory session): a
// download and an upload reach Successful with identical bytes; a 550 lands
// in Failed with the server's reason.
// bridgedQueue is a queue over pool that asks the window for configs and
// answers through a bridge attached to it (o's Config and Ask are the
// bridge's), closed at the test's end.
func bridgedQueue(t *testing.T, pool *engine.Pool, o queue.Options) (*QueueBridge, *queue.Queue) {
	t.Helper()
	b := NewQueueBridge()
	o.Config, o.Ask = b.Config, b.Ask
	q, err := queue.New(pool, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	b.Attach(q)
	return b, q
}

func TestWindowOnRealQueue(t *testing.T) {
	a := test.NewTempApp(t)
	localDir := t.TempDir()
	a.Preferences().SetString(prefLocalDir, localDir)
	fs := newFakeFS()
	fs.addFile("/home/data.bin", strings.Repeat("0123456789", 1000))
	if err := os.WriteFile(filepath.Join(localDir, "up.txt"), []byte("uploaded bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Left by another program: the window never continues a .part it did
	// not write, or the download would be Done holding "XXXX56789…".
	if err := os.WriteFile(filepath.Join(localDir, "data.bin.part"), []byte("XXXX"), 0o644); err != nil {
		t.Fatal(err)
	}
	pool := engine.NewPool(fs, engine.PoolOptions{})
	defer pool.Close()
	b, _ := bridgedQueue(t, pool, queue.Options{RetryDelay: 1})
	var w *Window
	onUI(func() { w = New(a, Options{Pool: pool, Transfers: b}) })
	t.Cleanup(func() { w.queue.Close() })
	onUI(func() { w.Connect(engine.Config{Host: "h", User: "u", Password: "p"}, "/home") })
	waitFor(t, "panes", func() bool { return rowOf(w.remote.table, "data.bin") >= 0 && rowOf(w.local.table, "up.txt") >= 0 })

	downloadAndUpload(t, w, "data.bin", "up.txt")
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
		w.opts.Transfers.Download(w.cfg, "/home/missing.bin", localDir, "missing.bin", false, 10)
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

// TestWindowDownloadNeverWritesOutsideTheLocalFolder: a server lists names
// that point elsewhere; selecting everything and pressing Download writes
// nothing outside the local folder, downloads the harmless files (a control
// character made safe) and shows why the others were refused.
func TestWindowDownloadNeverWritesOutsideTheLocalFolder(t *testing.T) {
	a := test.NewTempApp(t)
	outer := t.TempDir()
	localDir := filepath.Join(outer, "local")
	os.MkdirAll(localDir, 0o755)
	a.Preferences().SetString(prefLocalDir, localDir)
	fs := newFakeFS()
	fs.addFile("/home/a.txt", "harmless a")
	fs.addFile("/home/b.txt", "harmless b")
	abs := filepath.Join(outer, "abs", "x")
	hostile := []string{"../x", `..\x`, abs, "ctl\x01name"}
	fs.raw = map[string][]listing.Entry{"/home": {{Name: "www", Type: listing.Link, Target: "public_html", Size: -1}}}
	for _, n := range hostile {
		// What an unguarded download would fetch. "..\\x" and the control
		// character are listed from files as they are; the names with "/"
		// cannot be, so they are listed raw.
		fs.files[path.Join("/home", n)] = []byte("EVIL " + n)
		if strings.Contains(n, "/") {
			fs.raw["/home"] = append(fs.raw["/home"], listing.Entry{Name: n, Type: listing.File, Size: int64(len("EVIL " + n))})
		}
	}
	w := realQueueWindow(t, a, fs)
	// The local pane too: Download refuses without a local folder.
	waitFor(t, "listing", func() bool {
		return rowOf(w.remote.table, "a.txt") >= 0 && rowOf(w.remote.table, "../x") >= 0 && w.local.cwd == localDir
	})
	onUI(func() {
		w.active = w.remote
		w.remote.table.SelectAll()
		w.download()
	})
	waitFor(t, "every item finished", func() bool {
		_, f, d := w.queue.Counts()
		return f+d == 7
	})
	for _, n := range []string{"a.txt", "b.txt"} {
		if got, err := os.ReadFile(filepath.Join(localDir, n)); err != nil || !strings.HasPrefix(string(got), "harmless") {
			t.Errorf("%s: %q %v", n, got, err)
		}
	}
	if got, err := os.ReadFile(filepath.Join(localDir, "ctl_name")); err != nil || string(got) != "EVIL ctl\x01name" {
		t.Errorf("the control character was not made safe: %q %v", got, err)
	}
	// Nothing outside: the parent holds only the local folder, and the
	// absolute name created nothing.
	if es, _ := os.ReadDir(outer); len(es) != 1 || es[0].Name() != "local" {
		t.Errorf("outside the local folder: %v", es)
	}
	var refused []string
	onUI(func() {
		for _, it := range w.queue.rows[1] {
			if strings.Contains(it.Reason, "unsafe file name refused") {
				refused = append(refused, it.Remote)
			}
		}
	})
	if len(refused) != 3 {
		t.Errorf("refused with a reason: %q, want the 3 unsafe names", refused)
	}
	onUI(func() { w.queue.tabs.SelectIndex(1) })
	shot(t, w, "hostile-names-download")
}

// TestWindowResumeAnswerKeepsTheUsersFile: the overwrite dialog's answers
// never cost the user the file already in the local folder — not "Resume"
// when the server then breaks the transfer, not Cancel.
func TestWindowResumeAnswerKeepsTheUsersFile(t *testing.T) {
	const mine = "the user's own 0123"
	for _, answer := range []string{"Resume", "Cancel"} {
		t.Run(answer, func(t *testing.T) {
			a := test.NewTempApp(t)
			localDir := t.TempDir()
			a.Preferences().SetString(prefLocalDir, localDir)
			target := filepath.Join(localDir, "data.bin")
			if err := os.WriteFile(target, []byte(mine), 0o644); err != nil {
				t.Fatal(err)
			}
			fs := newFakeFS()
			fs.addFile("/home/data.bin", strings.Repeat("0123456789", 1000))
			fs.dropAfter = 100
			w := realQueueWindow(t, a, fs)
			waitFor(t, "panes", func() bool { return rowOf(w.remote.table, "data.bin") >= 0 && rowOf(w.local.table, "data.bin") >= 0 })
			onUI(func() {
				w.remote.table.SelectName("data.bin")
				w.download()
			})
			waitFor(t, "overwrite dialog", func() bool { return dialogHasText(w, "already exists") })
			onUI(func() {
				if answer == "Cancel" {
					tapButton(t, w, "Cancel")
					return
				}
				dialogRadio(t, w).SetSelected(answer)
				tapButton(t, w, "OK")
			})
			waitFor(t, "the item ended", func() bool { _, f, d := w.queue.Counts(); return f+d == 1 })
			got, err := os.ReadFile(target)
			if err != nil || string(got) != mine {
				t.Fatalf("after %s the user's file holds %q, %v", answer, got, err)
			}
		})
	}
}

// dialogRadio finds the radio group of the top dialog.
func dialogRadio(t *testing.T, w *Window) *widget.RadioGroup {
	t.Helper()
	r, _ := inDialog(w, func(o fyne.CanvasObject) bool { _, ok := o.(*widget.RadioGroup); return ok }).(*widget.RadioGroup)
	if r == nil {
		t.Fatal("no choices in the dialog")
	}
	return r
}

// realQueueWindow is the window on the real queue and pool over fs (no
// retries), connected to /home; everything is closed when t ends.
func realQueueWindow(t *testing.T, a fyne.App, fs *fakeFS) *Window {
	t.Helper()
	pool := engine.NewPool(fs, engine.PoolOptions{})
	t.Cleanup(func() { pool.Close() })
	b, _ := bridgedQueue(t, pool, queue.Options{RetryDelay: 1, Retries: queue.NoRetries})
	var w *Window
	onUI(func() { w = New(a, Options{Pool: pool, Transfers: b}) })
	t.Cleanup(func() { w.queue.Close() })
	onUI(func() { w.Connect(engine.Config{Host: "h", User: "u", Password: "p"}, "/home") })
	return w
}
