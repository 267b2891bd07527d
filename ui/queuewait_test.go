package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// TestRestoredTransfersWaitForTheirSite: a download queued in the last run
// comes back waiting for its site (the window has no password for it yet),
// not failed, and starts when the user connects to the site.
func TestRestoredTransfersWaitForTheirSite(t *testing.T) {
	a := test.NewTempApp(t)
	localDir := t.TempDir()
	a.Preferences().SetString(prefLocalDir, localDir)
	fs := newFakeFS()
	content := strings.Repeat("restored ", 500)
	fs.addFile("/home/data.bin", content)
	pool := engine.NewPool(fs, engine.PoolOptions{})
	t.Cleanup(func() { pool.Close() })
	db := filepath.Join(t.TempDir(), "queue.db")
	site := engine.Config{Host: "h", User: "u", Password: "p"}

	// The last run: queued, then the window closed before it ran.
	last, err := queue.New(pool, queue.Options{Path: db, Hold: true, Config: NewQueueBridge().Config})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := last.Add(queue.Job{Direction: queue.Download, Site: site.Key(), SiteRef: site.URL(""), Remote: "/home/data.bin",
		Local: localDir, Name: "data.bin", Size: int64(len(content)), Policy: queue.Ask, Restart: true}); err != nil {
		t.Fatal(err)
	}
	last.Close()

	// This run.
	b, _ := bridgedQueue(t, pool, queue.Options{Path: db, RetryDelay: 1})
	var w *Window
	onUI(func() { w = New(a, Options{Pool: pool, Transfers: b}) })
	t.Cleanup(func() { w.queue.Close() })
	waitFor(t, "the restored item to settle", func() bool {
		q, f, _ := w.queue.Counts()
		return f > 0 || q == 1 && w.queue.rows[0][0].State == Paused
	})
	onUI(func() {
		if _, f, _ := w.queue.Counts(); f > 0 {
			t.Fatalf("the restored item failed: %q", w.queue.rows[1][0].Reason)
		}
		if r := w.queue.rows[0][0].Reason; !strings.Contains(r, "waiting for ftp://u@h") {
			t.Errorf("reason %q does not say which site it waits for", r)
		}
	})
	onUI(func() { w.win.Resize(fyne.NewSize(1280, 800)) })
	waitFor(t, "the local pane", func() bool { return w.local.cwd == localDir })
	shot(t, w, "restored-queue-waiting")

	onUI(func() { w.Connect(site, "/home") })
	waitFor(t, "the download after connecting", func() bool { _, _, d := w.queue.Counts(); return d == 1 })
	if got, err := os.ReadFile(filepath.Join(localDir, "data.bin")); err != nil || string(got) != content {
		t.Fatalf("downloaded %d bytes, %v", len(got), err)
	}
}

// TestAlwaysAnswerStaysWithTheSelection: "always use this action" given for
// a selection of two files decides both, and the next download (another
// job) is asked about again; the queue shows the answer and can forget it.
func TestAlwaysAnswerStaysWithTheSelection(t *testing.T) {
	a := test.NewTempApp(t)
	localDir := t.TempDir()
	a.Preferences().SetString(prefLocalDir, localDir)
	fs := newFakeFS()
	for _, n := range []string{"a.txt", "b.txt", "c.txt"} {
		fs.addFile("/home/"+n, "server's "+n)
		if err := os.WriteFile(filepath.Join(localDir, n), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w := realQueueWindow(t, a, fs)
	waitFor(t, "panes", func() bool { return rowOf(w.remote.table, "c.txt") >= 0 && rowOf(w.local.table, "c.txt") >= 0 })
	onUI(func() {
		w.remote.table.SelectName("a.txt")
		w.remote.table.tap(rowOf(w.remote.table, "b.txt"), fyne.KeyModifierShortcutDefault, false)
		if n := len(w.remote.table.Selected()); n != 2 {
			t.Fatalf("%d selected", n)
		}
		w.download()
	})
	waitFor(t, "overwrite dialog", func() bool { return dialogHasText(w, "already exists") })
	onUI(func() {
		dialogRadio(t, w).SetSelected("Overwrite")
		c, _ := inDialog(w, func(o fyne.CanvasObject) bool { _, ok := o.(*widget.Check); return ok }).(*widget.Check)
		if c == nil {
			t.Fatal("no \"always\" check box")
		}
		c.SetChecked(true)
		tapButton(t, w, "OK")
	})
	waitFor(t, "both files", func() bool { _, _, d := w.queue.Counts(); return d == 2 })
	for _, n := range []string{"a.txt", "b.txt"} {
		if got, _ := os.ReadFile(filepath.Join(localDir, n)); string(got) != "server's "+n {
			t.Errorf("%s holds %q", n, got)
		}
	}
	onUI(func() {
		w.remote.table.SelectName("c.txt")
		w.download()
	})
	waitFor(t, "the question for c.txt, another job", func() bool { return dialogHasText(w, "c.txt") })
	onUI(func() { tapButton(t, w, "Cancel") })
	waitFor(t, "c.txt skipped", func() bool { _, f, _ := w.queue.Counts(); return f == 1 })
	if got, _ := os.ReadFile(filepath.Join(localDir, "c.txt")); string(got) != "mine" {
		t.Errorf("c.txt holds %q", got)
	}
}
