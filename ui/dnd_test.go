package ui

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"

	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// rowPos returns the middle of a cell of ft's row on screen (UI goroutine).
func rowPos(t *testing.T, w *Window, ft *fileTable, row int) fyne.Position {
	t.Helper()
	w.win.Canvas().Capture() // lays out and renders every widget
	for _, c := range ft.cells {
		if c.row != row || !c.Visible() {
			continue
		}
		at := fyne.CurrentApp().Driver().AbsolutePositionForObject(c)
		pos := at.Add(fyne.NewPos(c.Size().Width/2, c.Size().Height/2))
		if contains(ft.table, pos) && contains(c, pos) {
			return pos
		}
	}
	t.Fatalf("row %d is not on screen", row)
	return fyne.Position{}
}

// treePos returns the middle of the tree node showing dir.
func treePos(t *testing.T, w *Window, ft *folderTree, dir string) fyne.Position {
	t.Helper()
	w.win.Canvas().Capture()
	for o, d := range ft.nodes {
		if d != dir || !o.Visible() {
			continue
		}
		at := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
		pos := at.Add(fyne.NewPos(o.Size().Width/2, o.Size().Height/2))
		if contains(ft.tree, pos) && contains(o, pos) {
			return pos
		}
	}
	t.Fatalf("folder %s is not in the tree", dir)
	return fyne.Position{}
}

// dragRow drags ft's row (as the pointer does: Dragged on its cell, then
// DragEnd) to the absolute position to.
func dragRow(t *testing.T, w *Window, ft *fileTable, row int, to fyne.Position) {
	t.Helper()
	from := rowPos(t, w, ft, row)
	var cell *fileCell
	for _, c := range ft.cells {
		if c.row == row && contains(c, from) {
			cell = c
		}
	}
	mid := fyne.NewPos((from.X+to.X)/2, (from.Y+to.Y)/2)
	for _, p := range []fyne.Position{from.AddXY(5, 0), mid, to} {
		cell.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{AbsolutePosition: p}, Dragged: fyne.NewDelta(1, 1)})
	}
	cell.DragEnd()
}

func lastItem(t *testing.T, q *fakeQueue, n int) TransferItem {
	t.Helper()
	waitFor(t, strconv.Itoa(n)+" queued", func() bool { return len(q.items()) == n })
	return q.items()[n-1]
}

// TestDragBetweenPanes drags rows between the panes, both directions: onto
// a folder row (that folder), onto ".." (the parent), onto a tree folder,
// elsewhere in the pane (the folder shown); onto the pane dragged from,
// nothing. The pressed row is dragged when it was not selected; a
// selection is dragged whole.
func TestDragBetweenPanes(t *testing.T) {
	w, fs, q := connected(t)
	fs.addFile("/home/site/deep/x.txt", "x")
	local := w.app.Preferences().String(prefLocalDir)
	for _, f := range []string{"up.txt", "two.txt"} {
		if err := os.WriteFile(filepath.Join(local, f), []byte("12345"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(local, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	onUI(func() { w.local.Refresh() })
	waitFor(t, "local listing", func() bool { return rowOf(w.local.table, "sub") >= 0 && rowOf(w.local.table, "two.txt") >= 0 })

	// Remote file onto a local folder row: downloads into that folder.
	onUI(func() {
		dragRow(t, w, w.remote.table, rowOf(w.remote.table, "readme.txt"), rowPos(t, w, w.local.table, rowOf(w.local.table, "sub")))
	})
	if it := lastItem(t, q, 1); it.Upload || it.Remote != "/home/readme.txt" || it.Local != filepath.Join(local, "sub", "readme.txt") {
		t.Errorf("remote → local folder row queued %+v", it)
	}
	// … onto the local path bar: the folder shown.
	onUI(func() {
		bar := fyne.CurrentApp().Driver().AbsolutePositionForObject(w.local.pathEntry).AddXY(10, 10)
		dragRow(t, w, w.remote.table, rowOf(w.remote.table, "readme.txt"), bar)
	})
	if it := lastItem(t, q, 2); it.Local != filepath.Join(local, "readme.txt") {
		t.Errorf("remote → local pane queued %+v", it)
	}
	// Local file onto a remote folder row: uploads into it.
	onUI(func() {
		dragRow(t, w, w.local.table, rowOf(w.local.table, "up.txt"), rowPos(t, w, w.remote.table, rowOf(w.remote.table, "site")))
	})
	if it := lastItem(t, q, 3); !it.Upload || it.Local != filepath.Join(local, "up.txt") || it.Remote != "/home/site/up.txt" || it.Size != 5 {
		t.Errorf("local → remote folder row queued %+v", it)
	}
	// … onto "..": the parent folder.
	onUI(func() {
		dragRow(t, w, w.local.table, rowOf(w.local.table, "up.txt"), rowPos(t, w, w.remote.table, 0))
	})
	if it := lastItem(t, q, 4); it.Remote != "/up.txt" {
		t.Errorf("local → remote \"..\" queued %+v", it)
	}
	// … onto a folder of the remote tree.
	onUI(func() { w.remote.Open("/home/site") })
	waitFor(t, "site listed", func() bool { return w.remote.cwd == "/home/site" })
	onUI(func() { w.remote.Open("/home") })
	waitFor(t, "home again", func() bool { return w.remote.cwd == "/home" })
	onUI(func() {
		dragRow(t, w, w.local.table, rowOf(w.local.table, "up.txt"), treePos(t, w, w.remote.tree, "/home/site"))
	})
	if it := lastItem(t, q, 5); it.Remote != "/home/site/up.txt" {
		t.Errorf("local → remote tree folder queued %+v", it)
	}
	// A selection of two, dragged by one of its rows, onto the remote table
	// below the rows: both, into the folder shown.
	onUI(func() {
		w.local.table.SelectName("up.txt")
		w.local.table.tap(rowOf(w.local.table, "two.txt"), fyne.KeyModifierShortcutDefault, false)
		tbl := w.remote.table.table
		below := fyne.CurrentApp().Driver().AbsolutePositionForObject(tbl).Add(fyne.NewPos(40, tbl.Size().Height-10))
		dragRow(t, w, w.local.table, rowOf(w.local.table, "two.txt"), below)
	})
	waitFor(t, "7 queued", func() bool { return len(q.items()) == 7 })
	got := map[string]bool{}
	for _, it := range q.items()[5:] {
		got[it.Remote] = it.Upload
	}
	if !got["/home/up.txt"] || !got["/home/two.txt"] {
		t.Errorf("selection dragged onto the remote pane queued %v", got)
	}
	// Onto the pane it came from: nothing, and the tip says so.
	onUI(func() {
		dragRow(t, w, w.local.table, rowOf(w.local.table, "up.txt"), rowPos(t, w, w.local.table, rowOf(w.local.table, "sub")))
		if w.drag.msg.Text != "Drop onto the other pane" || w.drag.tip.Visible() {
			t.Errorf("tip %q shown %v after a drop on the same pane", w.drag.msg.Text, w.drag.tip.Visible())
		}
	})
	time.Sleep(50 * time.Millisecond)
	if n := len(q.items()); n != 7 {
		t.Errorf("a drop on the pane dragged from queued %d more", n-7)
	}
}

// TestDragTipSaysWhatADropDoes: while dragging, the tip under the pointer
// names the action and the target folder.
func TestDragTipSaysWhatADropDoes(t *testing.T) {
	w, _, q := connected(t)
	onUI(func() {
		ft := w.remote.table
		from := rowPos(t, w, ft, rowOf(ft, "readme.txt"))
		var cell *fileCell
		for _, c := range ft.cells {
			if c.row == rowOf(ft, "readme.txt") && contains(c, from) {
				cell = c
			}
		}
		bar := fyne.CurrentApp().Driver().AbsolutePositionForObject(w.local.pathEntry).AddXY(10, 10)
		cell.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{AbsolutePosition: bar}})
		if want := "Download 1 item to " + w.local.cwd; w.drag.msg.Text != want || !w.drag.tip.Visible() {
			t.Errorf("tip %q (shown %v), want %q", w.drag.msg.Text, w.drag.tip.Visible(), want)
		}
		cell.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{AbsolutePosition: fyne.NewPos(2, 2)}}) // the menu bar
		cell.DragEnd()
		if w.drag.tip.Visible() {
			t.Error("tip still shown after the drop")
		}
	})
	time.Sleep(50 * time.Millisecond)
	if len(q.items()) != 0 {
		t.Errorf("a drop outside the panes queued %v", q.items())
	}
}

// TestDropFromDesktopOntoAFolderRow: files dropped from the desktop onto a
// remote folder row upload into that folder.
func TestDropFromDesktopOntoAFolderRow(t *testing.T) {
	w, _, q := connected(t)
	f := filepath.Join(t.TempDir(), "dropped.txt")
	if err := os.WriteFile(f, []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	onUI(func() {
		w.dropped(rowPos(t, w, w.remote.table, rowOf(w.remote.table, "site")), []fyne.URI{storage.NewFileURI(f)})
	})
	if it := lastItem(t, q, 1); !it.Upload || it.Remote != "/home/site/dropped.txt" {
		t.Errorf("desktop drop on a folder row queued %+v", it)
	}
}

// TestDragQueueRowsBackToPanes runs on a real server and queue: a finished
// download dragged from the queue onto a local folder row downloads the
// file again into that folder; a failed upload dragged onto a remote
// folder row uploads there and leaves the failed list; a download dropped
// on the remote pane does nothing.
func TestDragQueueRowsBackToPanes(t *testing.T) {
	s := ftptest.Start(t, ftptest.KindGo, ftptest.Options{})
	data := make([]byte, 100_000)
	rand.Read(data)
	s.WriteFile(t, "data.bin", data)
	s.WriteFile(t, "incoming/.keep", nil)
	local := t.TempDir()
	if err := os.Mkdir(filepath.Join(local, "again"), 0o755); err != nil {
		t.Fatal(err)
	}
	up := []byte("upload me")
	if err := os.WriteFile(filepath.Join(local, "up.txt"), up, 0o644); err != nil {
		t.Fatal(err)
	}
	w, _ := realWindow(t, local, 0)
	typeQuickConnect(w, s)
	waitFor(t, "listing", func() bool { return hasRow(w.remote, "data.bin") && hasRow(w.local, "again") })
	onUI(func() {
		w.remote.table.SelectName("data.bin")
		w.download()
	})
	waitFor(t, "downloaded", func() bool { _, _, d := w.queue.Counts(); return d == 1 })

	row := func(it TransferItem) *queueCell { c := newQueueCell(w.queue); c.set(qcLocal, it, 0); return c }
	drag := func(r *queueCell, to fyne.Position) {
		r.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{AbsolutePosition: to}})
		r.DragEnd()
	}
	// A download onto the remote pane: nothing.
	onUI(func() {
		drag(row(w.queue.rows[2][0]), rowPos(t, w, w.remote.table, rowOf(w.remote.table, "incoming")))
	})
	time.Sleep(300 * time.Millisecond)
	onUI(func() {
		if n, _, d := w.queue.Counts(); n != 0 || d != 1 {
			t.Errorf("a download dropped on the remote pane queued something: %d queued, %d done", n, d)
		}
		drag(row(w.queue.rows[2][0]), rowPos(t, w, w.local.table, rowOf(w.local.table, "again")))
	})
	waitFor(t, "downloaded again", func() bool { _, _, d := w.queue.Counts(); return d == 2 })
	if got, err := os.ReadFile(filepath.Join(local, "again", "data.bin")); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("second download differs (%d bytes, %v)", len(got), err)
	}

	// A failed upload (into a "folder" that is a file) dragged onto the
	// remote folder row "incoming".
	onUI(func() {
		w.opts.Transfers.Upload(w.cfg, filepath.Join(local, "up.txt"), "/data.bin/up.txt", false, int64(len(up)))
	})
	waitFor(t, "upload failed", func() bool { _, f, _ := w.queue.Counts(); return f == 1 })
	onUI(func() {
		drag(row(w.queue.rows[1][0]), rowPos(t, w, w.remote.table, rowOf(w.remote.table, "incoming")))
	})
	waitFor(t, "uploaded into incoming, failed item replaced", func() bool {
		_, f, d := w.queue.Counts()
		return d == 3 && f == 0
	})
	if got, err := os.ReadFile(filepath.Join(s.Root, "incoming", "up.txt")); err != nil || !bytes.Equal(got, up) {
		t.Fatalf("re-queued upload: %q, %v", got, err)
	}
}
