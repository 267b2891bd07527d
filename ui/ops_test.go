package ui

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// TestViewEditAfterATemporaryErrorHasTheFileOnce: the server breaks the
// first download of a View/Edit part-way (426, connection closed); the file
// opened holds the remote file once — not the first attempt's bytes
// followed by the whole file.
func TestViewEditAfterATemporaryErrorHasTheFileOnce(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLocalDir, t.TempDir())
	fs := newFakeFS()
	content := strings.Repeat("0123456789", 1000)
	fs.addFile("/home/notes.txt", content)
	w := queueWindow(t, a, fs, queue.Options{RetryDelay: time.Millisecond})
	waitFor(t, "listing", func() bool { return rowOf(w.remote.table, "notes.txt") >= 0 })
	fs.mu.Lock()
	fs.dropOnce = 1234
	fs.mu.Unlock()
	onUI(func() {
		w.remote.table.SelectName("notes.txt")
		w.viewEdit(w.remote.table.Selected()[0])
	})
	opened := regexp.MustCompile(`Opened /home/notes.txt as (.*)`)
	var local string
	waitFor(t, "the file opened", func() bool {
		m := opened.FindStringSubmatch(w.msgs.Text())
		if m != nil {
			local = m[1]
		}
		return m != nil
	})
	got, err := os.ReadFile(local)
	if err != nil || string(got) != content {
		t.Fatalf("opened file holds %d bytes (want %d), starts %.20q: %v", len(got), len(content), got, err)
	}
}

// TestWindowOperationsHaveNoDeadlineAndCanBeCancelled: deleting a large
// folder runs without a fixed deadline, and the status bar's button
// cancels it.
func TestWindowOperationsHaveNoDeadlineAndCanBeCancelled(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLocalDir, t.TempDir())
	fs := newFakeFS()
	fs.addFile("/home/big/f1", "x")
	fs.holdRemove = make(chan ctxT, 1)
	w := realQueueWindow(t, a, fs)
	waitFor(t, "listing", func() bool { return rowOf(w.remote.table, "big") >= 0 })
	onUI(func() {
		w.remote.table.SelectName("big")
		w.deleteSelected(w.remote)
	})
	waitFor(t, "confirmation", func() bool { return dialogHasText(w, "big") })
	onUI(func() { tapButton(t, w, "Yes") })
	var ctx ctxT
	select {
	case ctx = <-fs.holdRemove:
	case <-time.After(5 * time.Second):
		t.Fatal("the delete did not start")
	}
	if d, ok := ctx.Deadline(); ok {
		t.Errorf("the delete must end by %s, %s from now", d.Format(time.TimeOnly), time.Until(d).Round(time.Second))
	}
	var stop *widget.Button
	onUI(func() {
		stop, _ = findObject(w.win.Content(), func(o fyne.CanvasObject) bool {
			b, ok := o.(*widget.Button)
			return ok && b.Visible() && strings.HasPrefix(b.Text, "Cancel: Delete")
		}).(*widget.Button)
	})
	if stop == nil {
		t.Fatal("no button to cancel the delete")
	}
	onUI(func() { test.Tap(stop) })
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the delete was not cancelled")
	}
	waitFor(t, "the cancel logged, the button gone", func() bool {
		return strings.Contains(w.msgs.Text(), "Delete: cancelled") && !stop.Visible()
	})
	onUI(func() {
		if top := w.win.Canvas().Overlays().Top(); top != nil {
			t.Error("a cancel by the user is shown as an error")
		}
	})
}

// findObject returns the first object under root that match accepts.
func findObject(root fyne.CanvasObject, match func(fyne.CanvasObject) bool) fyne.CanvasObject {
	if match(root) {
		return root
	}
	var kids []fyne.CanvasObject
	switch o := root.(type) {
	case *fyne.Container:
		kids = o.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(o).Objects()
	}
	for _, k := range kids {
		if f := findObject(k, match); f != nil {
			return f
		}
	}
	return nil
}

// queueWindow is the window on the real queue (with o's retries) and pool
// over fs, connected to /home; everything is closed when t ends.
func queueWindow(t *testing.T, a fyne.App, fs *fakeFS, o queue.Options) *Window {
	t.Helper()
	pool := engine.NewPool(fs, engine.PoolOptions{})
	t.Cleanup(func() { pool.Close() })
	b, _ := bridgedQueue(t, pool, o)
	var w *Window
	onUI(func() { w = New(a, Options{Pool: pool, Transfers: b}) })
	t.Cleanup(func() { w.queue.Close() })
	onUI(func() { w.Connect(engine.Config{Host: "h", User: "u", Password: "p"}, "/home") })
	return w
}
