package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// layoutRows is how many whole rows the remote pane's tree and table show,
// and the heights of the log and the queue, as laid out now.
type layoutRows struct {
	tree, table int
	log, queue  float32
}

func (l layoutRows) String() string {
	return fmt.Sprintf("tree %d rows, table %d rows, log %.0f px, queue %.0f px", l.tree, l.table, l.log, l.queue)
}

func measureLayout(w *Window) layoutRows {
	pad := theme.Padding()
	treeRow := w.remote.tree.create(false).MinSize().Height + pad
	tableRow := newFileCell(w.remote.table).MinSize().Height + pad
	header := newHeaderCell(w.remote.table).MinSize().Height + pad
	return layoutRows{
		tree:  int(w.remote.tree.tree.Size().Height / treeRow),
		table: int((w.remote.table.table.Size().Height - header) / tableRow),
		log:   w.msgs.content.Size().Height,
		queue: w.queue.content.Size().Height,
	}
}

// layoutWindow is a window that opens at size, as one whose size was
// remembered at size.
func layoutWindow(t *testing.T, size fyne.Size) *Window {
	t.Helper()
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLocalDir, t.TempDir())
	a.Preferences().SetFloat(prefWidth, float64(size.Width))
	a.Preferences().SetFloat(prefHeight, float64(size.Height))
	var w *Window
	onUI(func() { w = New(a, Options{Dialer: newFakeFS(), Transfers: &fakeQueue{}}) })
	t.Cleanup(func() { w.queue.Close(); w.win.Close() })
	return w
}

// TestDefaultLayout: with no split dragged yet, the folder trees and the
// file tables get the height at both common screen sizes; the log and the
// queue keep a few lines each.
func TestDefaultLayout(t *testing.T) {
	for _, c := range []struct {
		size              fyne.Size
		treeRows, tblRows int
	}{
		{fyne.NewSize(1280, 800), 5, 7},
		{fyne.NewSize(1920, 1080), 8, 12},
	} {
		t.Run(fmt.Sprintf("%.0fx%.0f", c.size.Width, c.size.Height), func(t *testing.T) {
			w := layoutWindow(t, c.size)
			var got layoutRows
			onUI(func() { got = measureLayout(w) })
			t.Log(got)
			if got.tree < c.treeRows || got.table < c.tblRows {
				t.Errorf("%v, want at least %d tree rows and %d table rows", got, c.treeRows, c.tblRows)
			}
			if got.queue > 1.2*defaultQueueHeight || got.log > 1.2*defaultLogHeight {
				t.Errorf("%v: the log or the queue takes more than its few lines", got)
			}
		})
	}
}

// TestDraggedSplitsAreRemembered: splits the user dragged and the window's
// size come back in the next window (saved when the window closes).
func TestDraggedSplitsAreRemembered(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLocalDir, t.TempDir())
	var w *Window
	onUI(func() {
		w = New(a, Options{Dialer: newFakeFS(), Transfers: &fakeQueue{}})
		w.win.Resize(fyne.NewSize(1500, 900))
		w.mainSplit.SetOffset(0.6)
		w.logSplit.SetOffset(0.3)
		w.panesSplit.SetOffset(0.4)
		w.remote.split.SetOffset(0.55)
		w.win.Close() // through the close intercept, as the user closes it
	})
	w.queue.Close()
	var again *Window
	onUI(func() { again = New(a, Options{Dialer: newFakeFS(), Transfers: &fakeQueue{}}) })
	t.Cleanup(func() { again.queue.Close(); again.win.Close() })
	onUI(func() {
		for _, c := range []struct {
			name      string
			got, want float64
		}{
			{"main", again.mainSplit.Offset, 0.6}, {"log", again.logSplit.Offset, 0.3},
			{"panes", again.panesSplit.Offset, 0.4}, {"remote tree", again.remote.split.Offset, 0.55},
			{"local tree", again.local.split.Offset, 0.55},
		} {
			if c.got != c.want {
				t.Errorf("%s split at %v after a restart, want %v", c.name, c.got, c.want)
			}
		}
		if s := again.win.Canvas().Size(); s != fyne.NewSize(1500, 900) {
			t.Errorf("window size %v after a restart, want 1500x900", s)
		}
	})
}

// TestViewTogglesGiveTheRoomToTheTables: hiding the log, the trees and the
// queue from the View menu lets the file table show more rows; showing
// them again restores the default layout.
func TestViewTogglesGiveTheRoomToTheTables(t *testing.T) {
	w := layoutWindow(t, fyne.NewSize(1280, 800))
	var before, hidden, shown layoutRows
	var treeShown bool
	onUI(func() {
		before = measureLayout(w)
		for _, l := range []string{"Message log", "Folder trees", "Transfer queue"} {
			menuItem(t, w, "View", l).Action()
		}
		hidden, treeShown = measureLayout(w), w.remote.tree.tree.Visible()
		for _, l := range []string{"Message log", "Folder trees", "Transfer queue"} {
			menuItem(t, w, "View", l).Action()
		}
		shown = measureLayout(w)
	})
	// Everything that was the log's, the queue's and the tree's goes to
	// the table: more than twice its rows.
	if hidden.table < 2*before.table || treeShown {
		t.Errorf("hidden: %v; before: %v", hidden, before)
	}
	if shown != before {
		t.Errorf("shown again: %v; before: %v", shown, before)
	}
}
