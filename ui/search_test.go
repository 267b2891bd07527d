package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/ftp"
	"github.com/skiff-ftp/skiff/engine/listing"
	"github.com/skiff-ftp/skiff/internal/ftptest"
)

func TestSearchCriteriaMatch(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	file := listing.Entry{Name: "Report.PDF", Size: 5000, ModTime: day("2025-03-01")}
	folder := listing.Entry{Name: "reports", Type: listing.Dir, Size: -1, ModTime: day("2025-03-01")}
	none := searchCriteria{MinSize: -1, MaxSize: -1}
	with := func(f func(*searchCriteria)) searchCriteria { c := none; f(&c); return c }
	for _, tt := range []struct {
		name string
		c    searchCriteria
		e    listing.Entry
		want bool
	}{
		{"nothing asked", none, file, true},
		{"substring any case", with(func(c *searchCriteria) { c.Pattern = "report" }), file, true},
		{"substring case-sensitive", with(func(c *searchCriteria) { c.Pattern = "report"; c.CaseSensitive = true }), file, false},
		{"glob", with(func(c *searchCriteria) { c.Pattern = "*.pdf" }), file, true},
		{"glob is the whole name", with(func(c *searchCriteria) { c.Pattern = "*.pd" }), file, false},
		{"at least", with(func(c *searchCriteria) { c.MinSize = 5000 }), file, true},
		{"too small", with(func(c *searchCriteria) { c.MinSize = 5001 }), file, false},
		{"too big", with(func(c *searchCriteria) { c.MaxSize = 4999 }), file, false},
		{"size never finds a folder", with(func(c *searchCriteria) { c.MaxSize = 1 << 40 }), folder, false},
		{"folder by name", with(func(c *searchCriteria) { c.Pattern = "report" }), folder, true},
		{"newer", with(func(c *searchCriteria) { c.Newer = day("2025-03-01") }), file, true},
		{"not newer", with(func(c *searchCriteria) { c.Newer = day("2025-03-02") }), file, false},
		{"older", with(func(c *searchCriteria) { c.Older = day("2025-03-02") }), file, true},
		{"not older", with(func(c *searchCriteria) { c.Older = day("2025-03-01") }), file, false},
		{"no time", with(func(c *searchCriteria) { c.Older = day("2025-03-01") }), listing.Entry{Name: "x"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.match(&tt.e); got != tt.want {
				t.Fatalf("got %v", got)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"": -1, "1500": 1500, "10K": 10240, "10 KiB": 10240, "2.5M": 5 << 19, "1 GB": 1 << 30, "0": 0} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"x", "-5", "10Q"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
}

// searchTree is the known tree of the search tests: path, size, day.
var searchTree = []struct {
	path string
	size int
	day  string
}{
	{"README", 10, "2025-03-01"},
	{"big.bin", 200_000, "2025-03-01"},
	{"docs/readme.TXT", 100, "2020-06-01"},
	{"docs/guide.md", 5000, "2025-03-01"},
	{"src/main.go", 2000, "2025-03-01"},
	{"src/lib/util.go", 300, "2020-06-01"},
	{"src/lib/deep/more/x.go", 40_000, "2025-03-01"},
}

// searchWindow connects a window to a real server holding searchTree,
// with the pool (the search lists on its transfer connections) and a
// fake queue.
func searchWindow(t *testing.T) (*Window, *fakeQueue, *ftptest.Server) {
	s := ftptest.Start(t, ftptest.KindGo, ftptest.Options{})
	for _, f := range searchTree {
		p := s.WriteFile(t, f.path, make([]byte, f.size))
		d, _ := time.ParseInLocation(time.DateOnly, f.day, time.Local)
		if err := os.Chtimes(p, d.Add(12*time.Hour), d.Add(12*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLocalDir, t.TempDir())
	pool := engine.NewPool(ftp.Dialer{}, engine.PoolOptions{})
	t.Cleanup(func() { pool.Close() })
	q := &fakeQueue{}
	var w *Window
	onUI(func() {
		w = New(a, Options{Dialer: ftp.Dialer{}, Pool: pool, Transfers: q})
		w.win.Resize(fyne.NewSize(1280, 800))
		w.Connect(serverConfig(s), "/")
	})
	t.Cleanup(func() { w.queue.Close() })
	waitFor(t, "root listing", func() bool { return w.remote.cwd == "/" && rowOf(w.remote.table, "src") >= 0 && w.local.cwd != "" })
	return w, q, s
}

// runSearch fills the dialog's form, taps Search and returns the paths
// found, sorted, once the search ended.
func runSearch(t *testing.T, w *Window, form map[string]string, caseSensitive bool) []string {
	t.Helper()
	var sd *searchDialog
	onUI(func() {
		if w.search == nil {
			w.showSearch()
		}
		sd = w.search
		for e, v := range map[*widget.Entry]string{sd.pattern: form["name"], sd.minSize: form["min"], sd.maxSize: form["max"], sd.newer: form["newer"], sd.older: form["older"]} {
			e.SetText(v)
		}
		sd.caseSens.SetChecked(caseSensitive)
		test.Tap(sd.start)
	})
	var done chan struct{}
	onUI(func() { done = sd.done })
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("search did not end")
	}
	waitFor(t, "results on screen", func() bool { return !sd.running })
	var got []string
	onUI(func() {
		for _, i := range sd.results.order {
			got = append(got, sd.results.entries[i].Name)
		}
		if !strings.Contains(sd.count.Text, thousands(len(got))+" found in ") {
			t.Errorf("count %q for %d results", sd.count.Text, len(got))
		}
	})
	slices.Sort(got)
	return got
}

// TestSearchFindsExactlyTheMatchingPaths searches a known tree on a real
// server by name, case, size and date; each finds exactly its paths.
func TestSearchFindsExactlyTheMatchingPaths(t *testing.T) {
	w, _, _ := searchWindow(t)
	for _, tt := range []struct {
		name string
		form map[string]string
		cs   bool
		want []string
	}{
		{"glob", map[string]string{"name": "*.go"}, false, []string{"src/lib/deep/more/x.go", "src/lib/util.go", "src/main.go"}},
		{"substring", map[string]string{"name": "read"}, false, []string{"README", "docs/readme.TXT"}},
		{"case-sensitive", map[string]string{"name": "READ"}, true, []string{"README"}},
		{"a folder by name", map[string]string{"name": "lib"}, false, []string{"src/lib"}},
		{"size range", map[string]string{"min": "1K", "max": "50K"}, false, []string{"docs/guide.md", "src/lib/deep/more/x.go", "src/main.go"}},
		{"older than", map[string]string{"older": "2024-01-01"}, false, []string{"docs/readme.TXT", "src/lib/util.go"}},
		{"newer and name", map[string]string{"name": "*.go", "newer": "2024-01-01"}, false, []string{"src/lib/deep/more/x.go", "src/main.go"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := runSearch(t, w, tt.form, tt.cs); !slices.Equal(got, tt.want) {
				t.Fatalf("found %q\nwant  %q", got, tt.want)
			}
		})
	}
}

// From the results: Download queues the selected files and folders from
// their own paths into the local folder; Open folder shows the result's
// folder in the remote pane with it selected.
func TestSearchResultsDownloadAndOpenFolder(t *testing.T) {
	w, q, _ := searchWindow(t)
	if got := runSearch(t, w, map[string]string{"name": "*l*"}, false); !slices.Equal(got, []string{"src/lib", "src/lib/util.go"}) {
		t.Fatalf("found %q", got)
	}
	sd := w.search
	onUI(func() {
		sd.results.SelectAll()
		test.Tap(sd.download)
	})
	waitFor(t, "queued", func() bool { return len(q.items()) == 2 })
	its := q.items()
	slices.SortFunc(its, func(a, b TransferItem) int { return strings.Compare(a.Remote, b.Remote) })
	local := w.local.cwd
	if its[0].Remote != "/src/lib" || !its[0].Dir || its[0].Local != filepath.Join(local, "lib") ||
		its[1].Remote != "/src/lib/util.go" || its[1].Dir || its[1].Local != filepath.Join(local, "util.go") || its[1].Size != 300 {
		t.Fatalf("queued %+v", its)
	}
	onUI(func() {
		sd.results.SelectName("src/lib/util.go")
		test.Tap(sd.openFolder)
	})
	waitFor(t, "folder opened", func() bool {
		sel := w.remote.table.Selected()
		return w.remote.cwd == "/src/lib" && len(sel) == 1 && sel[0].Name == "util.go"
	})
	if locked(func() bool { return w.win.Canvas().Overlays().Top() != nil }) {
		t.Error("the search dialog is still open")
	}
}

// Stop ends a running search at once; what was found stays on screen.
func TestSearchStop(t *testing.T) {
	w, _, _ := connected(t)
	var lists atomic.Int32
	onUI(func() {
		w.showSearch()
		sd := w.search
		sd.pattern.SetText("hit")
		sd.list = func(ctx context.Context, dir string) ([]listing.Entry, error) {
			if lists.Add(1) == 1 {
				return []listing.Entry{{Name: "a", Type: listing.Dir}, {Name: "b", Type: listing.Dir}, {Name: "hit.txt", Size: 1}}, nil
			}
			<-ctx.Done() // a very slow server
			return nil, ctx.Err()
		}
		test.Tap(sd.start)
	})
	sd := w.search
	waitFor(t, "the slow folders are being listed", func() bool { return lists.Load() >= 2 && sd.running })
	onUI(func() { test.Tap(sd.stop) })
	var done chan struct{}
	onUI(func() { done = sd.done })
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Stop did not end the search")
	}
	waitFor(t, "stopped", func() bool { return !sd.running })
	onUI(func() {
		if !strings.HasPrefix(sd.count.Text, "Stopped: 1 found") {
			t.Errorf("count %q", sd.count.Text)
		}
		if sd.results.rows() != 1 || sd.results.entries[0].Name != "hit.txt" {
			t.Errorf("results %v", sd.results.entries)
		}
		if sd.start.Disabled() || !sd.stop.Disabled() {
			t.Error("Search/Stop buttons not reset")
		}
	})
}

// The menus reach the filter bar, the saved filters and the search, and
// show their shortcuts.
func TestMenusOpenFiltersAndSearch(t *testing.T) {
	w, _, _ := connected(t)
	onUI(func() {
		it := menuItem(t, w, "Server", "Search remote files…")
		if it.Shortcut == nil {
			t.Error("Search remote files… shows no shortcut")
		}
		it.Action()
		if w.search == nil || w.search.root != "/home" {
			t.Error("Search remote files… opened no search below the remote folder")
		}
		w.win.Canvas().Overlays().Remove(w.win.Canvas().Overlays().Top())
		menuItem(t, w, "View", "Filename filters…").Action()
		if w.filtersForm == nil || w.win.Canvas().Overlays().Top() == nil {
			t.Error("Filename filters… opened no dialog")
		}
		w.win.Canvas().Overlays().Remove(w.win.Canvas().Overlays().Top())
		menuItem(t, w, "View", "Filter names").Action()
		if w.win.Canvas().Focused() != w.active.filterEntry {
			t.Error("Filter names did not focus the active pane's filter bar")
		}
		// The toolbar's binoculars.
		w.search = nil
		var tb *widget.Toolbar
		var walk func(o fyne.CanvasObject)
		walk = func(o fyne.CanvasObject) {
			if b, ok := o.(*widget.Toolbar); ok && tb == nil {
				tb = b
			}
			if c, ok := o.(*fyne.Container); ok {
				for _, o := range c.Objects {
					walk(o)
				}
			}
		}
		walk(w.win.Content())
		if tb == nil {
			t.Fatal("no toolbar")
		}
		for _, it := range tb.Items {
			if a, ok := it.(*widget.ToolbarAction); ok && a.Icon.Name() == theme.SearchIcon().Name() {
				a.OnActivated()
			}
		}
		if w.search == nil {
			t.Error("the toolbar's search button opened no search")
		}
	})
}
