package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// TestFilterScreenshots: the filter bar and a saved filter applied in both
// panes, at both sizes (docs/filter-*.png with SKIFF_SHOTS=docs).
func TestFilterScreenshots(t *testing.T) {
	w, _, s := searchWindow(t)
	for i := range 40 {
		s.WriteFile(t, fmt.Sprintf("src/lib/module_%02d.go", i), make([]byte, 1000+i*37))
		s.WriteFile(t, fmt.Sprintf("src/lib/module_%02d_test.go", i), make([]byte, 500+i*11))
	}
	s.WriteFile(t, "src/lib/node_modules/pkg.json", []byte("{}"))
	s.WriteFile(t, "src/lib/build.tmp", []byte("x"))
	local := t.TempDir()
	for i := range 30 {
		os.WriteFile(filepath.Join(local, fmt.Sprintf("photo_%03d.jpg", i)), make([]byte, 20000+i), 0o644)
		os.WriteFile(filepath.Join(local, fmt.Sprintf("notes_%02d.txt", i)), []byte("n"), 0o644)
	}
	os.WriteFile(filepath.Join(local, "Thumbs.db"), []byte("x"), 0o644)
	onUI(func() {
		w.remote.Open("/src/lib")
		w.local.Open(local)
	})
	waitFor(t, "folders", func() bool { return w.remote.cwd == "/src/lib" && w.local.cwd == local })
	onUI(func() {
		w.showFilters()
		test.Tap(filterCheck(t, w, "node_modules"))
		test.Tap(filterCheck(t, w, "Temporary files"))
		test.Tap(filterCheck(t, w, "System files"))
		w.win.Canvas().Overlays().Top().Hide()
		test.Type(w.remote.filterEntry, "_test")
		test.Type(w.local.filterEntry, "*.jpg")
	})
	for _, sz := range shotSizes {
		onUI(func() { w.win.Resize(sz) })
		time.Sleep(200 * time.Millisecond)
		onUI(func() {
			w.local.table.table.Refresh()
			w.remote.table.table.Refresh()
		})
		time.Sleep(200 * time.Millisecond)
		shot(t, w, "filter-"+sizeName(sz))
	}
	onUI(func() {
		if got := w.remote.status.Text; got != "40 of 84 shown" {
			t.Errorf("remote status %q", got)
		}
	})
}

// TestSearchScreenshots: search results below the root, at both sizes
// (docs/search-*.png with SKIFF_SHOTS=docs).
func TestSearchScreenshots(t *testing.T) {
	w, _, s := searchWindow(t)
	for d := range 6 {
		for f := range 8 {
			s.WriteFile(t, fmt.Sprintf("projects/p%d/src/file_%02d.go", d, f), make([]byte, 800+d*100+f*13))
		}
	}
	for _, sz := range shotSizes {
		onUI(func() {
			w.win.Resize(sz)
			w.search = nil
			w.win.Canvas().Overlays().Remove(w.win.Canvas().Overlays().Top())
		})
		got := runSearch(t, w, map[string]string{"name": "*.go", "min": "1K"}, false)
		if len(got) < 20 {
			t.Fatalf("found %d", len(got))
		}
		onUI(func() { w.search.results.SelectName(got[3]) })
		time.Sleep(100 * time.Millisecond)
		shot(t, w, "search-"+sizeName(sz))
	}
}
