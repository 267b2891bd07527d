package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine/listing"
)

func TestQuickFilterMatch(t *testing.T) {
	for _, tt := range []struct {
		filter, name string
		want         bool
	}{
		{"", "anything", true},
		{"read", "README.md", true},
		{"READ", "readme.md", true},
		{"me.m", "README.md", true},
		{"xyz", "README.md", false},
		{"*.md", "README.MD", true},
		{"*.md", "README.md.bak", false},
		{"r?adme*", "Readme.txt", true},
		{"ÜBER", "über-uns.html", true},
		{"über", "ÜBER.txt", true},
		{" log ", "syslog.1", true},
	} {
		t.Run(tt.filter+"/"+tt.name, func(t *testing.T) {
			if got := newQuickFilter(tt.filter).match(tt.name); got != tt.want {
				t.Fatalf("got %v", got)
			}
		})
	}
}

func TestThousands(t *testing.T) {
	for in, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 3400: "3,400", 100000: "100,000", 1234567: "1,234,567"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%d) = %q, want %q", in, got, want)
		}
	}
}

// The filter bar filters a 100,000-row folder as the user types, in one
// pass (no sort), and the status line counts what it shows.
func TestFilterBarOnHundredThousandRows(t *testing.T) {
	test.NewTempApp(t)
	const n = 100_000
	es := make([]listing.Entry, n)
	for i := range es {
		es[i] = listing.Entry{Name: fmt.Sprintf("file-%06d.dat", i+1), Size: int64(i)}
	}
	var p *pane
	onUI(func() {
		p = newPane("Remote site")
		w := test.NewTempWindow(t, p.content)
		w.Resize(fyne.NewSize(1000, 700))
		p.SetLister(func(ctxT, string) ([]listing.Entry, error) { return es, nil }, "/")
		p.Open("/big")
	})
	waitFor(t, "listing", func() bool { return p.table.rows() == n+1 })
	for _, tt := range []struct {
		text   string
		rows   int // without ".."
		status string
	}{
		{"FILE-0012", 100, "100 of 100,000 shown"}, // file-001200 … file-001299
		{"*5.dat", 10_000, "10,000 of 100,000 shown"},
		{"nothing", 0, "0 of 100,000 shown"},
		{"", n, "100000 files and 0 directories. Total size: 4.7 GiB"},
	} {
		var took time.Duration
		onUI(func() {
			start := time.Now()
			p.filterEntry.SetText(tt.text)
			took = time.Since(start)
		})
		t.Logf("%q: %v", tt.text, took)
		if budget := 3 * time.Second * raceSlowdown; took > budget { // generous: CI shares two cores
			t.Errorf("%q took %v", tt.text, took)
		}
		onUI(func() {
			if got := p.table.rows() - 1; got != tt.rows {
				t.Errorf("%q: %d rows, want %d", tt.text, got, tt.rows)
			}
			if got := p.status.Text; got != tt.status {
				t.Errorf("%q: status %q, want %q", tt.text, got, tt.status)
			}
		})
	}
	// The order stays the sort's: the filter never sorts again.
	onUI(func() {
		p.filterEntry.SetText("*5.dat")
		if first := p.table.entries[p.table.entryAt(1)].Name; first != "file-000005.dat" {
			t.Errorf("first row %q", first)
		}
	})
}

// Ctrl+A selects the shown rows only, a download takes only those, and Esc
// brings every row back.
func TestFilterLimitsSelectionAndDownload(t *testing.T) {
	w, _, q := connected(t)
	key := func(k fyne.KeyName) { w.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k}) }
	onUI(func() {
		if w.remote.filterRow.Visible() {
			t.Error("the filter bar takes the table's room before it is asked for")
		}
		w.focusFilter()
		if !w.remote.filterRow.Visible() {
			t.Error("Ctrl+I did not show the filter bar")
		}
		if w.win.Canvas().Focused() != w.remote.filterEntry {
			t.Error("Ctrl+I did not focus the remote pane's filter bar")
		}
		test.Type(w.remote.filterEntry, "READ")
	})
	waitFor(t, "filtered", func() bool { return w.remote.table.rows() == 2 }) // "..", readme.txt
	onUI(func() {
		if got := w.remote.status.Text; got != "1 of 2 shown" {
			t.Errorf("status %q", got)
		}
		w.win.Canvas().Unfocus()
		w.selectAll()
		w.download()
	})
	waitFor(t, "queued", func() bool { return len(q.items()) > 0 })
	time.Sleep(50 * time.Millisecond)
	if its := q.items(); len(its) != 1 || !strings.HasSuffix(its[0].Remote, "/readme.txt") {
		t.Fatalf("queued %+v", its)
	}
	onUI(func() { key(fyne.KeyEscape) })
	waitFor(t, "cleared", func() bool { return w.remote.table.rows() == 3 && w.remote.filterEntry.Text == "" })
	onUI(func() {
		if w.remote.filterRow.Visible() {
			t.Error("Esc left the empty filter bar on screen")
		}
	})
	onUI(func() {
		if sel := w.remote.table.Selected(); len(sel) != 1 {
			t.Errorf("selection after Esc: %d entries", len(sel))
		}
	})
}

// A cell the table reuses for another column (as it does when a filter
// shrinks the rows) lays its icon and label out again: the size column's
// text does not keep the name column's icon room, nor a name its icon
// over the text.
func TestFileCellReusedAcrossColumnsIsLaidOutAgain(t *testing.T) {
	test.NewTempApp(t)
	// Widgets are driven on the UI goroutine: text shaping shares a
	// font cache with whatever an earlier test's window still draws.
	onUI(func() {
		ft := newFileTable()
		ft.SetEntries([]listing.Entry{{Name: "photo.jpg", Size: 20000}}, false)
		c := ft.createCell().(*fileCell)
		test.WidgetRenderer(c)
		c.Resize(fyne.NewSize(200, 30))
		ft.updateCell(widgetCell(0, colSize), c)
		sizeX := c.label.Position().X
		ft.updateCell(widgetCell(0, colName), c)
		if nameX := c.label.Position().X; nameX <= sizeX {
			t.Errorf("name label at x=%v, over the icon (size label at x=%v)", nameX, sizeX)
		}
		ft.updateCell(widgetCell(0, colSize), c)
		if x := c.label.Position().X; x != sizeX {
			t.Errorf("size label at x=%v after a name, want %v", x, sizeX)
		}
	})
}

func widgetCell(row int, col column) widget.TableCellID {
	return widget.TableCellID{Row: row, Col: int(col)}
}
