package ui

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/internal/ftptest"
)

func TestSavedFiltersGlobs(t *testing.T) {
	fs := builtinFilters()
	if g := globs(fs); len(g) != 0 {
		t.Fatalf("built-ins are enabled by default: %q", g)
	}
	fs[1].Enabled, fs[3].Enabled = true, true // node_modules, temporary files
	fs = append(fs, savedFilter{Name: "logs", Patterns: []string{"*.log", "logs"}, Applies: appliesBoth, Enabled: true})
	want := []string{"dir:node_modules", "file:*.tmp", "file:*~", "file:*.swp", "file:*.bak", "*.log", "logs"}
	if g := globs(fs); !slices.Equal(g, want) {
		t.Fatalf("globs %q\nwant  %q", g, want)
	}
}

func TestSplitPatterns(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"*.log", []string{"*.log"}},
		{"*.log, cache  tmp;x", []string{"*.log", "cache", "tmp", "x"}},
		{"  ", nil},
		{"[a", nil},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, err := splitPatterns(tt.in)
			if !slices.Equal(got, tt.want) || (err != nil) != (tt.want == nil) {
				t.Fatalf("got %q, %v", got, err)
			}
		})
	}
}

// The saved filters survive a restart in filters.json; a built-in keeps
// its patterns from this version, only its switch comes from the file.
func TestFilterStoreKeepsFiltersAcrossARestart(t *testing.T) {
	p := filepath.Join(t.TempDir(), FiltersName)
	s := &filterStore{path: p}
	fs, err := s.load()
	if err != nil || len(fs) != len(builtinFilters()) {
		t.Fatalf("first load: %v, %v", fs, err)
	}
	fs[0].Enabled = true
	fs[0].Patterns = []string{"changed"}
	fs = append(fs, savedFilter{Name: "logs", Patterns: []string{"*.log"}, Applies: appliesFiles, Enabled: true})
	if err := s.save(fs); err != nil {
		t.Fatal(err)
	}
	got, err := (&filterStore{path: p}).load()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"dir:.git", "dir:.svn", "dir:.hg", "dir:CVS", "file:*.log"}; !slices.Equal(globs(got), want) {
		t.Fatalf("restored globs %q\nwant           %q", globs(got), want)
	}
	if err := os.WriteFile(p, []byte("{broken"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := (&filterStore{path: p}).load(); err == nil || len(globs(got)) != 0 {
		t.Fatalf("a broken file: %q, %v", globs(got), err)
	}
}

// filterCheck returns the check box of the saved filter called name in
// the Filename filters dialog.
func filterCheck(t *testing.T, w *Window, name string) *widget.Check {
	t.Helper()
	c, _ := inDialog(w, func(o fyne.CanvasObject) bool {
		c, ok := o.(*widget.Check)
		return ok && len(c.Text) > len(name) && c.Text[:len(name)+1] == name+" "
	}).(*widget.Check)
	if c == nil {
		t.Fatalf("no filter %q in the dialog", name)
	}
	return c
}

// localFiles lists the files under root, slash-separated and sorted.
func localFiles(t *testing.T, root string) []string {
	t.Helper()
	var got []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(got)
	return got
}

// TestEnablingAFilterHidesRowsAndWhatAFolderDownloadFetches: against a
// real server, the same folder downloaded before and after enabling two
// built-in filters in the dialog: the rows they name disappear from the
// remote pane, and the second download leaves them out, deep down too.
func TestEnablingAFilterHidesRowsAndWhatAFolderDownloadFetches(t *testing.T) {
	s := ftptest.Start(t, ftptest.KindGo, ftptest.Options{})
	for _, p := range []string{"proj/a.txt", "proj/b.tmp", "proj/node_modules/m.js", "proj/src/main.go", "proj/src/c.tmp", "proj/src/node_modules/x.js"} {
		s.WriteFile(t, p, []byte(p))
	}
	before, after := t.TempDir(), t.TempDir()
	w, b := realWindow(t, before, 0)
	onUI(func() { w.Connect(serverConfig(s), "/proj") })
	waitFor(t, "listing", func() bool { return w.remote.cwd == "/proj" && w.remote.table.rows() == 5 && w.local.cwd == before })
	downloadProj := func() {
		t.Helper()
		onUI(func() { w.remote.Open("/") })
		waitFor(t, "root", func() bool { return w.remote.cwd == "/" && rowOf(w.remote.table, "proj") >= 0 })
		onUI(func() {
			w.remote.table.SelectName("proj")
			w.download()
		})
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		time.Sleep(100 * time.Millisecond) // the bridge adds in the background
		if err := b.q.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	downloadProj()
	all := []string{"proj/a.txt", "proj/b.tmp", "proj/node_modules/m.js", "proj/src/c.tmp", "proj/src/main.go", "proj/src/node_modules/x.js"}
	if got := localFiles(t, before); !slices.Equal(got, all) {
		t.Fatalf("without filters: %q", got)
	}

	onUI(func() {
		w.remote.Open("/proj")
		w.showFilters()
	})
	waitFor(t, "back in proj", func() bool { return w.remote.cwd == "/proj" })
	onUI(func() {
		test.Tap(filterCheck(t, w, "node_modules"))
		test.Tap(filterCheck(t, w, "Temporary files"))
	})
	onUI(func() {
		if n := w.remote.table.rows(); n != 3 { // "..", a.txt, src
			t.Errorf("%d rows with the filters on", n)
		}
		if got := w.remote.status.Text; got != "2 of 4 shown" {
			t.Errorf("status %q", got)
		}
		if rowOf(w.remote.table, "node_modules") >= 0 || rowOf(w.remote.table, "b.tmp") >= 0 {
			t.Error("a filtered row is shown")
		}
		w.local.Open(after)
	})
	waitFor(t, "local folder", func() bool { return w.local.cwd == after })
	downloadProj()
	if got, want := localFiles(t, after), []string{"proj/a.txt", "proj/src/main.go"}; !slices.Equal(got, want) {
		t.Fatalf("with filters: %q, want %q", got, want)
	}

	onUI(func() { test.Tap(filterCheck(t, w, "node_modules")) })
	if got := w.filterGlobs(); !slices.Equal(got, []string{"file:*.tmp", "file:*~", "file:*.swp", "file:*.bak"}) {
		t.Fatalf("globs after turning node_modules off: %q", got)
	}
}

// The dialog's form adds a filter (enabled, for what the selector says)
// and its remove button takes it away again.
func TestFilterDialogAddsAndRemovesAFilter(t *testing.T) {
	w, _, _ := newTestWindow(t)
	waitFor(t, "first local listing", func() bool { return w.local.cwd != "" })
	dir := t.TempDir()
	for _, p := range []string{"a.log", "b.txt", "x.log/keep"} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), nil, 0o644)
	}
	onUI(func() { w.local.Open(dir) })
	waitFor(t, "local listing", func() bool { return w.local.cwd == dir && w.local.table.rows() == 4 })
	onUI(func() {
		w.showFilters()
		fd := w.filtersForm
		test.Type(fd.name, "Logs")
		test.Type(fd.globs, "*.log")
		fd.applies.SetSelected(appliesLabels[appliesFiles])
		test.Tap(fd.add)
	})
	onUI(func() {
		if rowOf(w.local.table, "a.log") >= 0 || rowOf(w.local.table, "x.log") < 0 || rowOf(w.local.table, "b.txt") < 0 {
			t.Errorf("with a files-only *.log filter: %d rows", w.local.table.rows())
		}
		if !filterCheck(t, w, "Logs").Checked {
			t.Error("a new filter is not enabled")
		}
		del, _ := inDialog(w, func(o fyne.CanvasObject) bool {
			b, ok := o.(*widget.Button)
			return ok && b.Text == "" && b.Icon != nil && strings.Contains(b.Icon.Name(), "delete")
		}).(*widget.Button)
		if del == nil {
			t.Fatal("no remove button for the user's filter")
		}
		test.Tap(del)
	})
	onUI(func() {
		if rowOf(w.local.table, "a.log") < 0 {
			t.Error("a.log still hidden after the filter was removed")
		}
		if len(w.filterGlobs()) != 0 {
			t.Errorf("globs %q after removing", w.filterGlobs())
		}
	})
}
