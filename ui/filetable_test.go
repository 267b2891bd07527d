package ui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine/listing"
)

func sampleEntries() []listing.Entry {
	return []listing.Entry{
		{Name: "b.txt", Size: 300},
		{Name: "A.png", Size: 10},
		{Name: "docs", Type: listing.Dir, Size: -1},
		{Name: "c.zip", Size: 20},
	}
}

func names(ft *fileTable) []string {
	var out []string
	for r := range ft.rows() {
		if i := ft.entryAt(r); i >= 0 {
			out = append(out, ft.entries[i].Name)
		} else {
			out = append(out, "..")
		}
	}
	return out
}

func TestFileTableSortsFoldersFirstByAnyColumn(t *testing.T) {
	test.NewTempApp(t)
	onUI(func() { // Fyne's text caches are shared with other tests' goroutines
		ft := newFileTable()
		ft.SetEntries(sampleEntries(), true)
		if got, want := fmt.Sprint(names(ft)), "[.. docs A.png b.txt c.zip]"; got != want {
			t.Errorf("by name: %s, want %s", got, want)
		}
		ft.SortBy(colSize, false)
		if got, want := fmt.Sprint(names(ft)), "[.. docs A.png c.zip b.txt]"; got != want {
			t.Errorf("by size: %s, want %s", got, want)
		}
		ft.SortBy(colSize, true)
		if got, want := fmt.Sprint(names(ft)), "[.. docs b.txt c.zip A.png]"; got != want {
			t.Errorf("by size desc: %s, want %s", got, want)
		}
	})
}

func TestFileTableHeaderTapSortsAndReverses(t *testing.T) {
	test.NewTempApp(t)
	onUI(func() {
		ft := newFileTable()
		var sorted []column
		ft.OnSort = func(c column, desc bool) { sorted = append(sorted, c) }
		ft.SetEntries(sampleEntries(), false)
		h := newHeaderCell(ft)
		h.col = colType
		test.Tap(h)
		if ft.sortCol != colType || ft.sortDesc {
			t.Fatalf("after one tap: col %d desc %v", ft.sortCol, ft.sortDesc)
		}
		test.Tap(h)
		if !ft.sortDesc {
			t.Fatal("second tap did not reverse")
		}
		if len(sorted) != 2 {
			t.Errorf("OnSort called %d times", len(sorted))
		}
	})
}

func TestFileTableMultiSelect(t *testing.T) {
	test.NewTempApp(t)
	onUI(func() {
		ft := newFileTable()
		ft.SetEntries(sampleEntries(), true) // .. docs A.png b.txt c.zip
		ft.tap(2, 0, false)
		ft.tap(4, fyne.KeyModifierShift, false)
		if got := len(ft.Selected()); got != 3 {
			t.Fatalf("shift range selected %d, want 3", got)
		}
		ft.tap(3, fyne.KeyModifierShortcutDefault, false)
		if got := len(ft.Selected()); got != 2 {
			t.Fatalf("ctrl toggle left %d, want 2", got)
		}
		ft.tap(1, 0, true) // right click outside the selection selects that row
		if sel := ft.Selected(); len(sel) != 1 || sel[0].Name != "docs" {
			t.Fatalf("secondary tap selected %v", sel)
		}
	})
}

func TestFileTableDoubleClickActivates(t *testing.T) {
	test.NewTempApp(t)
	var opened []string
	var c *fileCell
	onUI(func() {
		ft := newFileTable()
		ft.OnActivate = func(e *listing.Entry) {
			if e == nil {
				opened = append(opened, "..")
			} else {
				opened = append(opened, e.Name)
			}
		}
		ft.SetEntries(sampleEntries(), true)
		w := test.NewTempWindow(t, ft.table)
		w.Resize(fyne.NewSize(900, 300))
		c = newFileCell(ft)
		c.row = 1
		test.Tap(c)
		test.Tap(c)
		c.row = 0
		test.Tap(c)
	})
	time.Sleep(doubleClick + 50*time.Millisecond)
	onUI(func() {
		test.Tap(c) // too late: a second single click
		if fmt.Sprint(opened) != "[docs]" {
			t.Fatalf("activated %v, want [docs]", opened)
		}
	})
}

// A 100,000-entry folder must load and scroll without stalling: one sort,
// cells bound only for visible rows.
func TestFileTableHundredThousandEntries(t *testing.T) {
	test.NewTempApp(t)
	const n = 100_000
	es := make([]listing.Entry, n)
	for i := range es {
		es[i] = listing.Entry{Name: fmt.Sprintf("file-%06d.dat", n-i), Size: int64(i), Perm: "rw-r--r--"}
	}
	onUI(func() {
		ft := newFileTable()
		w := test.NewTempWindow(t, ft.table)
		w.Resize(fyne.NewSize(1000, 700))
		start := time.Now()
		ft.SetEntries(es, true)
		load := time.Since(start)
		start = time.Now()
		ft.table.ScrollToBottom()
		ft.table.ScrollTo(widget.TableCellID{Row: n / 2})
		ft.table.ScrollToBottom()
		scroll := time.Since(start)
		t.Logf("set+sort %v, scroll %v", load, scroll)
		if budget := 3 * time.Second * raceSlowdown; load > budget || scroll > budget { // generous: CI shares two cores
			t.Errorf("too slow: set %v, scroll %v", load, scroll)
		}
		if i := ft.entryAt(n); ft.entries[i].Name != "file-100000.dat" {
			t.Errorf("last row %q", ft.entries[i].Name)
		}
	})
}

func TestFormatting(t *testing.T) {
	for in, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 5 << 20: "5.0 MiB", 3 << 30: "3.0 GiB"} {
		if got := humanSize(in); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", in, got, want)
		}
	}
	if got := fileType(&listing.Entry{Name: "photo.JPG"}); got != "JPG-file" {
		t.Errorf("fileType = %q", got)
	}
	if m, ok := parsePerm("drwxr-x---"); !ok || m != 0o750 {
		t.Errorf("parsePerm = %o %v", m, ok)
	}
	if got := modeString(0o640); got != "rw-r-----" {
		t.Errorf("modeString = %q", got)
	}
	if got := summary(sampleEntries()); got != "3 files and 1 directory. Total size: 330 B" {
		t.Errorf("summary = %q", got)
	}
}

func TestCompareFold(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"abc", "ABD", -1}, {"B", "a", 1}, {"same", "SAME", 0}, {"ab", "abc", -1},
		{"Äpfel", "äpfel", 0}, {"zebra", "Ära", -1}, {"ökö", "ÖKÖ", 0},
	} {
		if got := compareFold(tc.a, tc.b); got != tc.want {
			t.Errorf("compareFold(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
