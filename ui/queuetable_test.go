package ui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// actionQueue is a fakeQueue that records the actions on items.
type actionQueue struct {
	fakeQueue
	mu    sync.Mutex
	calls []string
}

func (q *actionQueue) record(format string, args ...any) {
	q.mu.Lock()
	q.calls = append(q.calls, fmt.Sprintf(format, args...))
	q.mu.Unlock()
}

func (q *actionQueue) Pause(id uint64)       { q.record("pause %d", id) }
func (q *actionQueue) Resume(id uint64)      { q.record("resume %d", id) }
func (q *actionQueue) Retry(id uint64)       { q.record("retry %d", id) }
func (q *actionQueue) Remove(id uint64)      { q.record("remove %d", id) }
func (q *actionQueue) Move(id uint64, d int) { q.record("move %d %d", id, d) }
func (q *actionQueue) MoveBlock(ids []uint64, top bool) {
	q.record("block %v top=%v", ids, top)
}

func (q *actionQueue) took() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.calls
	q.calls = nil
	return out
}

// queueFixture is a queue pane on screen over q with items of the sizes
// given, their local names a, b, c, … in queue order.
func queueFixture(t *testing.T, q Transfers, add func(TransferItem), sizes ...int64) (*queuePane, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	var qp *queuePane
	var w fyne.Window
	onUI(func() {
		qp = newQueuePane(a, q)
		w = test.NewTempWindow(t, qp.content)
		w.Resize(fyne.NewSize(1280, 400))
		qp.win = w
	})
	t.Cleanup(qp.Close)
	qp.every = time.Hour
	for i, s := range sizes {
		add(TransferItem{Local: "/l/" + string(rune('a'+i)), Remote: "/r/" + string(rune('a'+i)), Host: "h:", Size: s})
	}
	onUI(qp.rebuild)
	return qp, w
}

func localNames(rows []TransferItem) string {
	var b strings.Builder
	for _, it := range rows {
		b.WriteString(strings.TrimPrefix(it.Local, "/l/"))
	}
	return b.String()
}

// header returns the header cell of column c of the tab on screen.
func header(t *testing.T, qp *queuePane, c qcol) *queueHeader {
	t.Helper()
	for _, h := range qp.tables[qp.tabs.SelectedIndex()].headers {
		if h.col == c && h.Visible() {
			return h
		}
	}
	t.Fatalf("no header for column %d", c)
	return nil
}

// TestQueueTableSortsByColumn: a click on a header sorts by its column
// (ascending, ▲), again descending (▼), a third time back to queue order;
// the order holds over the rebuilds of the refresh clock.
func TestQueueTableSortsByColumn(t *testing.T) {
	q := &fakeQueue{}
	qp, _ := queueFixture(t, q, q.add, 30, 10, 40, 20)
	onUI(func() {
		if got := localNames(qp.rows[0]); got != "abcd" {
			t.Fatalf("queue order %q", got)
		}
		size := header(t, qp, qcSize)
		steps := []struct{ order, title string }{
			{"bdac", "Size ▲"},
			{"cadb", "Size ▼"},
			{"abcd", "Size"},
		}
		for _, s := range steps {
			size.Tapped(&fyne.PointEvent{})
			if got := localNames(qp.rows[0]); got != s.order {
				t.Errorf("after a click: order %q, want %q", got, s.order)
			}
			if got := header(t, qp, qcSize).label.Text; got != s.title {
				t.Errorf("header %q, want %q", got, s.title)
			}
		}
		header(t, qp, qcLocal).Tapped(&fyne.PointEvent{})
		header(t, qp, qcLocal).Tapped(&fyne.PointEvent{})
	})
	q.add(TransferItem{Local: "/l/e", Remote: "/r/e", Size: 1})
	onUI(func() {
		qp.rebuild()
		if got := localNames(qp.rows[0]); got != "edcba" {
			t.Errorf("sorted by name descending after a rebuild: %q", got)
		}
	})
}

// TestQueueTableColumnWidthsAreRemembered: dragging a column divider in
// the header resizes the column in every tab, and the next queue pane
// (the next run) has the width.
func TestQueueTableColumnWidthsAreRemembered(t *testing.T) {
	q := &fakeQueue{}
	qp, _ := queueFixture(t, q, q.add, 1, 2)
	var headerH float32
	onUI(func() { headerH = header(t, qp, qcLocal).Size().Height })
	onUI(func() {
		tb := qp.tables[0]
		pad := tb.Theme().Size(theme.SizeNamePadding)
		at := fyne.NewPos(qcolWidths[qcLocal]+pad/2, headerH/2) // the divider after Local file
		tb.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: at}})
		tb.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: at}})
		tb.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: at.Add(fyne.NewDelta(-100, 0))}, Dragged: fyne.NewDelta(-100, 0)})
		tb.DragEnd()
	})
	want := qcolWidths[qcLocal] - 100
	onUI(func() {
		if got := header(t, qp, qcLocal).Size().Width; got != want {
			t.Fatalf("Local file is %v wide after the drag, want %v", got, want)
		}
		if qp.widths[qcLocal] != want {
			t.Errorf("pane width %v, want %v", qp.widths[qcLocal], want)
		}
		ws := qp.app.Preferences().FloatList(prefQueueColumns)
		if len(ws) != int(numQCols) || float32(ws[qcLocal]) != want || float32(ws[qcRemote]) != qcolWidths[qcRemote] {
			t.Errorf("remembered %v", ws)
		}
	})
	// The Status column fills a wide table, and is remembered at its own width.
	onUI(func() { qp.tables[0].Resize(fyne.NewSize(1900, 300)) })
	onUI(func() {
		st := header(t, qp, qcStatus)
		if right := st.Position().X + st.Size().Width; st.Size().Width <= qcolWidths[qcStatus] || right < 1800 {
			t.Errorf("Status column %v wide, ends at %v in a 1900 wide table", st.Size().Width, right)
		}
		qp.tables[0].DragEnd() // a drag elsewhere stores no stretched width
		if ws := qp.app.Preferences().FloatList(prefQueueColumns); float32(ws[qcStatus]) != qcolWidths[qcStatus] {
			t.Errorf("remembered Status width %v", ws[qcStatus])
		}
	})
	var next *queuePane
	onUI(func() { next = newQueuePane(qp.app, &fakeQueue{}) })
	defer next.Close()
	if next.widths[qcLocal] != want {
		t.Errorf("the next pane's Local file is %v wide, want %v", next.widths[qcLocal], want)
	}
}

// TestQueueMultiSelect: click, Ctrl+click, Shift+click and Ctrl+A select
// rows; the context menu's actions act on every selected item they apply
// to, and move to top/bottom moves the selection as one block.
func TestQueueMultiSelect(t *testing.T) {
	q := &actionQueue{}
	qp, _ := queueFixture(t, q, q.add, 1, 2, 3, 4, 5)
	ctrl, shift := fyne.KeyModifierShortcutDefault, fyne.KeyModifierShift
	selected := func() string { return localNames(qp.Selected()) }
	onUI(func() {
		steps := []struct {
			name string
			row  int
			mods fyne.KeyModifier
			want string
		}{
			{"click b", 1, 0, "b"},
			{"ctrl+click d", 3, ctrl, "bd"},
			{"ctrl+click b again", 1, ctrl, "d"},
			{"shift+click a: the range from b, the last ctrl+click", 0, shift, "ab"},
			{"click c", 2, 0, "c"},
			{"shift+click e", 4, shift, "cde"},
			{"ctrl+shift+click a", 0, ctrl | shift, "abcde"},
			{"click outside", 99, 0, ""},
		}
		for _, s := range steps {
			qp.tap(s.row, s.mods, false)
			if got := selected(); got != s.want {
				t.Errorf("%s: selected %q, want %q", s.name, got, s.want)
			}
		}
		qp.SelectAll()
		if got := selected(); got != "abcde" {
			t.Errorf("select all: %q", got)
		}
		// A selected row shows it.
		var shown int
		walkObjects(qp.content, func(o fyne.CanvasObject) {
			if c, ok := o.(*queueCell); ok && c.Visible() && c.item.ID != 0 && c.bg.FillColor == theme.Color(theme.ColorNameSelection) {
				shown++
			}
		})
		if shown != 5*int(numQCols) {
			t.Errorf("%d cells drawn selected, want %d", shown, 5*numQCols)
		}
		qp.tap(1, 0, false)
		qp.tap(3, ctrl, false)
		qp.tap(3, 0, true) // right click on a selected row keeps the selection
		if got := selected(); got != "bd" {
			t.Errorf("after a right click: %q", got)
		}
	})
	run := func(label string) {
		t.Helper()
		var items []*fyne.MenuItem
		onUI(func() { items = qp.menuItems(qp.Selected()) })
		for _, it := range items {
			if it.Label == label {
				if it.Disabled {
					t.Fatalf("%s is disabled", label)
				}
				onUI(it.Action)
				return
			}
		}
		t.Fatalf("no %q in the menu", label)
	}
	ids := q.items()
	b, d := ids[1].ID, ids[3].ID
	for _, s := range []struct{ label, want string }{
		{"Pause", fmt.Sprintf("pause %d,pause %d", b, d)},
		{"Remove", fmt.Sprintf("remove %d,remove %d", b, d)},
		{"Move to top", fmt.Sprintf("block [%d %d] top=true", b, d)},
		{"Move to bottom", fmt.Sprintf("block [%d %d] top=false", b, d)},
	} {
		run(s.label)
		if got := strings.Join(q.took(), ","); got != s.want {
			t.Errorf("%s: %q, want %q", s.label, got, s.want)
		}
	}
	// Resume and Retry apply to none of the queued items.
	onUI(func() {
		for _, it := range qp.menuItems(qp.Selected()) {
			if (it.Label == "Resume" || it.Label == "Retry") && !it.Disabled {
				t.Errorf("%s enabled for queued items", it.Label)
			}
		}
	})
	// A paused item among them: Resume resumes it alone.
	it := ids[3]
	it.State = Paused
	q.fn(TransferEvent{Item: it})
	onUI(qp.rebuild)
	run("Resume")
	if got := strings.Join(q.took(), ","); got != fmt.Sprintf("resume %d", d) {
		t.Errorf("Resume: %q", got)
	}
	// An item that failed leaves the queued tab, and the selection.
	it = ids[1]
	it.State = Failed
	q.fn(TransferEvent{Item: it})
	onUI(qp.rebuild)
	onUI(func() {
		if got := selected(); got != "d" {
			t.Errorf("selection after b failed: %q", got)
		}
	})
	if !slices.Equal(q.took(), nil) {
		t.Error("unexpected calls")
	}
}

// TestQueueMenuActsOnTheSelection: on the real queue, held, the Queue
// menu's selection actions are disabled until rows are selected; "Move
// selected to top" moves them as one block in the queue itself, "Pause
// selected" pauses them alone; Ctrl+A selects in the queue after a click
// there, in the file pane after a click there.
func TestQueueMenuActsOnTheSelection(t *testing.T) {
	fs := newFakeFS()
	for _, n := range []string{"a", "b", "c", "d"} {
		fs.addFile("/home/"+n+".bin", n)
	}
	w, _ := settingsWindow(t, fs, t.TempDir())
	connectHome(t, w)
	onUI(func() { menuItem(t, w, "Queue", "Process queue").Action() })
	time.Sleep(100 * time.Millisecond)
	onUI(func() {
		if !menuItem(t, w, "Queue", "Move selected to top").Disabled {
			t.Error("Move selected to top enabled with nothing selected")
		}
		for _, n := range []string{"a", "b", "c", "d"} {
			w.opts.Transfers.Download(w.cfg, "/home/"+n+".bin", w.local.cwd, n+".bin", false, 1)
			time.Sleep(20 * time.Millisecond) // queued in this order
		}
	})
	waitFor(t, "4 queued", func() bool { q, _, _ := w.queue.Counts(); return q == 4 })
	names := func(rows []TransferItem) string {
		var b strings.Builder
		for _, it := range rows {
			b.WriteString(strings.TrimSuffix(filepath.Base(it.Local), ".bin"))
		}
		return b.String()
	}
	onUI(func() {
		if got := names(w.queue.rows[0]); got != "abcd" {
			t.Fatalf("queued %q", got)
		}
		w.queue.tap(2, 0, false)
		w.queue.tap(3, fyne.KeyModifierShift, false)
		if menuItem(t, w, "Queue", "Move selected to top").Disabled || !menuItem(t, w, "Queue", "Resume selected").Disabled {
			t.Error("with c and d selected: Move to top disabled or Resume enabled")
		}
		menuItem(t, w, "Queue", "Move selected to top").Action()
	})
	q := w.opts.Transfers.(*QueueBridge).queue()
	engineOrder := func() string {
		var b strings.Builder
		for _, it := range q.Items() {
			b.WriteString(strings.TrimSuffix(filepath.Base(it.Local), ".bin"))
		}
		return b.String()
	}
	waitFor(t, "c d moved to the top of the queue", func() bool { return engineOrder() == "cdab" })
	waitFor(t, "the pane in queue order", func() bool { return names(w.queue.rows[0]) == "cdab" })
	onUI(func() {
		if got := names(w.queue.Selected()); got != "cd" {
			t.Errorf("selection after the move %q", got)
		}
		menuItem(t, w, "Queue", "Pause selected").Action()
	})
	waitFor(t, "c d paused", func() bool {
		var paused string
		for _, it := range w.queue.rows[0] {
			if it.State == Paused {
				paused += strings.TrimSuffix(filepath.Base(it.Local), ".bin")
			}
		}
		return paused == "cd"
	})
	onUI(func() {
		if menuItem(t, w, "Queue", "Resume selected").Disabled {
			t.Error("Resume selected disabled with paused items selected")
		}
		w.selectAll() // Ctrl+A: the queue was clicked last
		if got := names(w.queue.Selected()); got != "cdab" {
			t.Errorf("Ctrl+A in the queue selected %q", got)
		}
		w.remote.table.tap(1, 0, false)
		w.selectAll()
		if n := len(w.remote.table.Selected()); n != 4 {
			t.Errorf("Ctrl+A after a click in the remote pane selected %d entries", n)
		}
	})
	// Del after a click in the queue removes the selected transfers, not
	// the files selected in a pane.
	onUI(func() {
		w.queue.tap(0, 0, false) // c
		w.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyDelete})
	})
	waitFor(t, "c removed from the queue", func() bool { return names(w.queue.rows[0]) == "dab" })
	fs.mu.Lock()
	_, kept := fs.files["/home/c.bin"]
	fs.mu.Unlock()
	if !kept || locked(func() bool { return w.win.Canvas().Overlays().Top() != nil }) {
		t.Error("Del in the queue deleted a remote file or asked to")
	}
	onUI(func() { menuItem(t, w, "Queue", "Process queue").Action() })
	onUI(func() { w.queue.SelectAll(); menuItem(t, w, "Queue", "Resume selected").Action() })
	waitFor(t, "all done", func() bool { _, _, d := w.queue.Counts(); return d == 3 })
}

// fitPath keeps the file name and cuts the folder in the middle.
func TestFitPath(t *testing.T) {
	runes := func(s string) float32 { return float32(len([]rune(s))) }
	for _, tc := range []struct {
		path  string
		width float32
		want  string
	}{
		{"/home/u/dl/file.iso", 100, "/home/u/dl/file.iso"},
		{"/home/u/dl/file.iso", 19, "/home/u/dl/file.iso"},
		{"/home/u/dl/file.iso", 12, "/h…/file.iso"},
		{"/home/u/dl/file.iso", 5, "…/file.iso"},
		{"h:/pub/ü/über-long-name.txt", 22, "h:…/über-long-name.txt"},
		{`C:\Users\u\file.txt`, 12, `C:…\file.txt`},
		{"no-folder-at-all.txt", 5, "no-folder-at-all.txt"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			if got := fitPath(tc.path, tc.width, runes); got != tc.want {
				t.Errorf("fitPath(%q, %v) = %q, want %q", tc.path, tc.width, got, tc.want)
			}
		})
	}
}
