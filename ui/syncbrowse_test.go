package ui

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"
)

func TestRelPath(t *testing.T) {
	for _, tc := range []struct{ base, dir, want string }{
		{"/a/b", "/a/b", "."},
		{"/a/b", "/a/b/c/d", "c/d"},
		{"/a/b", "/a", ".."},
		{"/a/b", "/a/x/y", "../x/y"},
		{"/", "/x", "x"},
		{"/a/b", "/", "../.."},
	} {
		if got := relPath(tc.base, tc.dir); got != tc.want {
			t.Errorf("relPath(%q, %q) = %q, want %q", tc.base, tc.dir, got, tc.want)
		}
	}
}

// TestSynchronizedBrowsing drives View ▸ Synchronized browsing: the other
// pane follows into a folder and back up; a folder missing on either side
// is offered for creation (created, both panes there); declined, the
// following stops.
func TestSynchronizedBrowsing(t *testing.T) {
	w, fs, _ := newTestWindow(t)
	local := w.app.Preferences().String(prefLocalDir)
	for _, d := range []string{"site", "only-local", "new-here"} {
		if err := os.MkdirAll(filepath.Join(local, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	connectFake(t, w, "site")
	waitFor(t, "both panes", func() bool { return rowOf(w.remote.table, "site") >= 0 })
	onUI(func() {
		menuItem(t, w, "View", "Synchronized browsing").Action()
		if !w.sv.browseItem.Checked {
			t.Error("the menu item is not checked")
		}
		w.local.Open(filepath.Join(local, "site"))
	})
	waitFor(t, "the remote pane following into site", func() bool { return w.remote.cwd == "/home/site" })

	// The server's img has no local twin: create it.
	onUI(func() { w.remote.Open("/home/site/img") })
	waitFor(t, "the offer to create img locally", func() bool { return w.win.Canvas().Overlays().Top() != nil })
	onUI(func() { tapButton(t, w, "Create folder") })
	waitFor(t, "the local pane in the new img", func() bool { return w.local.cwd == filepath.Join(local, "site", "img") })
	if fi, err := os.Stat(filepath.Join(local, "site", "img")); err != nil || !fi.IsDir() {
		t.Fatalf("local img not created: %v", err)
	}
	onUI(func() { w.local.Up() })
	waitFor(t, "the local pane in site", func() bool { return w.local.cwd == filepath.Join(local, "site") })
	onUI(func() { w.local.Up() })
	waitFor(t, "the remote pane following back up", func() bool { return w.remote.cwd == "/home" && w.local.cwd == local })

	// The server lacks new-here: create it there.
	onUI(func() { w.local.Open(filepath.Join(local, "new-here")) })
	waitFor(t, "the offer to create new-here on the server", func() bool { return w.win.Canvas().Overlays().Top() != nil })
	onUI(func() { tapButton(t, w, "Create folder") })
	waitFor(t, "the remote pane in the new folder", func() bool { return w.remote.cwd == "/home/new-here" })
	if !locked(func() bool { fs.mu.Lock(); defer fs.mu.Unlock(); return fs.dirs["/home/new-here"] }) {
		t.Fatal("the server has no /home/new-here")
	}

	// The server lacks only-local: decline, and the panes go their ways.
	onUI(func() { w.local.Open(filepath.Join(local, "only-local")) })
	waitFor(t, "the offer to create only-local on the server", func() bool { return w.win.Canvas().Overlays().Top() != nil })
	onUI(func() { tapButton(t, w, "Turn off") })
	waitFor(t, "synchronized browsing off", func() bool { return w.pair().follow == nil && !w.sv.browseItem.Checked })
	onUI(func() { w.local.Open(filepath.Join(local, "site")) })
	waitFor(t, "local site", func() bool { return w.local.cwd == filepath.Join(local, "site") })
	time.Sleep(200 * time.Millisecond)
	onUI(func() {
		if w.remote.cwd != "/home/new-here" {
			t.Errorf("the remote pane followed to %s after synchronized browsing was turned off", w.remote.cwd)
		}
		// The toolbar's button turns it on again.
		w.browseTool().(*widget.ToolbarAction).OnActivated()
		if w.pair().follow == nil || !w.sv.browseItem.Checked {
			t.Error("the toolbar button did not turn synchronized browsing on")
		}
	})
}
