package ui

import (
	"image/color"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
	"github.com/skiff-ftp/skiff/engine/mirror"
)

var cmpWhen = time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC) // the fake server's time of every file

func localFile(name string, size int64, t time.Time) listing.Entry {
	return listing.Entry{Name: name, Size: size, ModTime: t, Precision: listing.PrecisionSecond}
}

func remoteFile(name string, size int64, t time.Time, p listing.Precision) listing.Entry {
	return listing.Entry{Name: name, Size: size, ModTime: t, Precision: p}
}

func dirEntry(name string) listing.Entry {
	return listing.Entry{Name: name, Type: listing.Dir, Size: -1}
}

// TestCompareListingStates: the state of each row on each side, one level.
func TestCompareListingStates(t *testing.T) {
	none := listing.Entry{}
	for _, tc := range []struct {
		name          string
		local, remote listing.Entry
		want          [2]cmpState // local, remote
	}{
		{"same size and time", localFile("f", 5, cmpWhen), remoteFile("f", 5, cmpWhen, listing.PrecisionMinute), [2]cmpState{cmpSame, cmpSame}},
		{"same size, local 30 s later within LIST's minute", localFile("f", 5, cmpWhen.Add(30*time.Second)), remoteFile("f", 5, cmpWhen, listing.PrecisionMinute), [2]cmpState{cmpSame, cmpSame}},
		{"same size, local an hour later", localFile("f", 5, cmpWhen.Add(time.Hour)), remoteFile("f", 5, cmpWhen, listing.PrecisionMinute), [2]cmpState{cmpNewer, cmpOlder}},
		{"same size, remote an hour later", localFile("f", 5, cmpWhen), remoteFile("f", 5, cmpWhen.Add(time.Hour), listing.PrecisionSecond), [2]cmpState{cmpOlder, cmpNewer}},
		{"sizes differ, local newer", localFile("f", 6, cmpWhen.Add(time.Hour)), remoteFile("f", 5, cmpWhen, listing.PrecisionSecond), [2]cmpState{cmpDiffers, cmpDiffers}},
		{"sizes differ, same time", localFile("f", 6, cmpWhen), remoteFile("f", 5, cmpWhen, listing.PrecisionSecond), [2]cmpState{cmpDiffers, cmpDiffers}},
		{"same size, remote year-only time within the day", localFile("f", 5, cmpWhen.Add(5*time.Hour)), remoteFile("f", 5, cmpWhen.Truncate(24*time.Hour), listing.PrecisionDay), [2]cmpState{cmpSame, cmpSame}},
		{"only local", localFile("f", 5, cmpWhen), none, [2]cmpState{cmpOnlyHere, cmpNone}},
		{"only remote", none, remoteFile("f", 5, cmpWhen, listing.PrecisionMinute), [2]cmpState{cmpNone, cmpOnlyHere}},
		{"folder only local", dirEntry("f"), none, [2]cmpState{cmpOnlyHere, cmpNone}},
		{"folder on both sides: not coloured", dirEntry("f"), dirEntry("f"), [2]cmpState{cmpNone, cmpNone}},
		{"file here, folder there", localFile("f", 5, cmpWhen), dirEntry("f"), [2]cmpState{cmpDiffers, cmpDiffers}},
		{"a link is not compared", listing.Entry{Name: "f", Type: listing.Link}, remoteFile("f", 5, cmpWhen, listing.PrecisionMinute), [2]cmpState{cmpNone, cmpOnlyHere}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l, r []listing.Entry
			if tc.local.Name != "" {
				l = append(l, tc.local)
			}
			if tc.remote.Name != "" {
				r = append(r, tc.remote)
			}
			cwds := [2]string{"/l", "/r"}
			res := compareListings(l, r, cwds)
			got := [2]cmpState{res.stateOf(sideLocal, cwds, "f"), res.stateOf(sideRemote, cwds, "f")}
			if got != tc.want {
				t.Fatalf("got local %q, remote %q; want %q, %q", got[0], got[1], tc.want[0], tc.want[1])
			}
			// Another folder on either side is not this comparison.
			if s := res.stateOf(sideLocal, [2]string{"/l/sub", "/r"}, "f"); s != cmpNone {
				t.Fatalf("another local folder: %q", s)
			}
		})
	}
}

// TestCompareRecursiveFoldsFolders: a folder on both sides is identical
// only when everything below it is; a difference deep down colours every
// folder above it; the result covers the same folder below both roots.
func TestCompareRecursiveFoldsFolders(t *testing.T) {
	lt, rt := mirror.NewTree(), mirror.NewTree()
	add := func(t *mirror.Tree, p string, dir bool, size int64, when time.Time, prec time.Duration, src mirror.Source) {
		f := mirror.File{Path: p, Dir: dir, Size: size}
		if !dir {
			f.Time = mirror.Time{T: when, Precision: prec, Source: src}
		} else {
			f.Size = -1
		}
		t.Add(f)
	}
	for _, d := range []string{"same", "deep", "deep/er"} {
		add(&lt, d, true, 0, time.Time{}, 0, 0)
		add(&rt, d, true, 0, time.Time{}, 0, 0)
	}
	add(&lt, "same/a", false, 3, cmpWhen, mirror.PrecisionLocal, mirror.SourceLocal)
	add(&rt, "same/a", false, 3, cmpWhen, mirror.PrecisionSecond, mirror.SourceMLSD)
	add(&lt, "deep/er/b", false, 4, cmpWhen, mirror.PrecisionLocal, mirror.SourceLocal)
	add(&rt, "deep/er/b", false, 5, cmpWhen, mirror.PrecisionSecond, mirror.SourceMLSD)
	add(&rt, "deep/c", false, 1, cmpWhen, mirror.PrecisionSecond, mirror.SourceMLSD)
	cwds := [2]string{"/l", "/r"}
	res := comparisonOf(compareTrees(lt, rt, nil), cwds)
	for _, tc := range []struct {
		cwds [2]string
		name string
		want [2]cmpState
	}{
		{cwds, "same", [2]cmpState{cmpSame, cmpSame}},
		{cwds, "deep", [2]cmpState{cmpDiffers, cmpDiffers}},
		{[2]string{"/l/deep", "/r/deep"}, "er", [2]cmpState{cmpDiffers, cmpDiffers}},
		{[2]string{"/l/deep", "/r/deep"}, "c", [2]cmpState{cmpNone, cmpOnlyHere}},
		{[2]string{"/l/deep/er", "/r/deep/er"}, "b", [2]cmpState{cmpDiffers, cmpDiffers}},
		{[2]string{"/l/same", "/r/same"}, "a", [2]cmpState{cmpSame, cmpSame}},
		{[2]string{"/l/same", "/r/deep"}, "a", [2]cmpState{cmpNone, cmpNone}}, // not the same place
	} {
		got := [2]cmpState{res.stateOf(sideLocal, tc.cwds, tc.name), res.stateOf(sideRemote, tc.cwds, tc.name)}
		if got != tc.want {
			t.Errorf("%v %s: got %q, %q; want %q, %q", tc.cwds, tc.name, got[0], got[1], tc.want[0], tc.want[1])
		}
	}
}

// TestCompareColoursAreDistinctAndTranslucent: each coloured state has its
// own colour in both theme variants, translucent so the text stays
// readable; identical rows are not coloured.
func TestCompareColoursAreDistinctAndTranslucent(t *testing.T) {
	a := test.NewTempApp(t)
	for _, variant := range []string{"light", "dark"} {
		a.Settings().SetTheme(themeFor(variant))
		seen := map[color.Color]cmpState{}
		for _, s := range []cmpState{cmpOnlyHere, cmpNewer, cmpOlder, cmpDiffers} {
			c := cmpColor(s)
			if c == nil {
				t.Fatalf("%s: %q has no colour", variant, s)
			}
			if _, _, _, al := c.RGBA(); al == 0xffff || al == 0 {
				t.Errorf("%s: %q is not translucent", variant, s)
			}
			if o, dup := seen[c]; dup {
				t.Errorf("%s: %q and %q share a colour", variant, s, o)
			}
			seen[c] = s
		}
		if cmpColor(cmpSame) != nil || cmpColor(cmpNone) != nil {
			t.Errorf("%s: identical rows are coloured", variant)
		}
	}
}

// rowColour is the background the table gives a row of name (nil: none).
func rowColour(p *pane, name string) color.Color {
	for i := range p.table.entries {
		if p.table.entries[i].Name == name && p.table.tint != nil {
			return p.table.tint(&p.table.entries[i])
		}
	}
	return nil
}

// connectFake shows the local folder again once the pane opened it (the
// test wrote files meanwhile) until it lists name, then connects to the
// fake server in /home.
func connectFake(t *testing.T, w *Window, name string) {
	t.Helper()
	waitFor(t, "the local pane", func() bool { return w.local.cwd != "" })
	onUI(func() { w.local.Refresh() })
	waitFor(t, "the local pane listing "+name, func() bool { return rowOf(w.local.table, name) >= 0 })
	onUI(func() { w.Connect(engine.Config{Host: "h", User: "u", Password: "p"}, "/home") })
}

// writeLocal writes a local file with a modification time.
func writeLocal(t *testing.T, name, body string, when time.Time) {
	t.Helper()
	os.MkdirAll(filepath.Dir(name), 0o755)
	if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(name, when, when); err != nil {
		t.Fatal(err)
	}
}

// TestWindowComparison drives the View menu's Directory comparison: rows
// coloured by state on both sides, Hide identical hides the identical
// ones, moving both panes to other folders compares those, and turning it
// off clears the colours.
func TestWindowComparison(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	w, fs, _ := newTestWindow(t)
	local := w.app.Preferences().String(prefLocalDir)
	fs.addFile("/home/newer.txt", "abc")
	fs.addFile("/home/older.txt", "abc")
	fs.addFile("/home/size.txt", "abc")
	fs.addFile("/home/remote-only.txt", "abc")
	writeLocal(t, filepath.Join(local, "readme.txt"), "hello", cmpWhen)
	writeLocal(t, filepath.Join(local, "newer.txt"), "abc", cmpWhen.Add(2*time.Hour))
	writeLocal(t, filepath.Join(local, "older.txt"), "abc", cmpWhen.Add(-48*time.Hour))
	writeLocal(t, filepath.Join(local, "size.txt"), "abcdef", cmpWhen)
	writeLocal(t, filepath.Join(local, "local-only.txt"), "x", cmpWhen)
	writeLocal(t, filepath.Join(local, "site", "index.html"), "<html>", cmpWhen)
	writeLocal(t, filepath.Join(local, "site", "extra.css"), "body", cmpWhen)

	connectFake(t, w, "local-only.txt")
	waitFor(t, "the remote pane", func() bool { return rowOf(w.remote.table, "remote-only.txt") >= 0 })
	onUI(func() {
		if w.sv.bar.Visible() {
			t.Error("the comparison bar shows before the comparison is on")
		}
		menuItem(t, w, "View", "Directory comparison").Action()
		if !w.sv.compareItem.Checked || !w.sv.bar.Visible() {
			t.Error("the menu item is not checked or the bar not shown")
		}
	})
	check := func(p *pane, name string, want cmpState) {
		t.Helper()
		if got := rowColour(p, name); got != cmpColor(want) {
			t.Errorf("%s %s: colour %v, want %v (%s)", p.name, name, got, cmpColor(want), want)
		}
	}
	onUI(func() {
		check(w.local, "readme.txt", cmpSame)
		check(w.remote, "readme.txt", cmpSame)
		check(w.local, "newer.txt", cmpNewer)
		check(w.remote, "newer.txt", cmpOlder)
		check(w.local, "older.txt", cmpOlder)
		check(w.remote, "older.txt", cmpNewer)
		check(w.local, "size.txt", cmpDiffers)
		check(w.remote, "size.txt", cmpDiffers)
		check(w.local, "local-only.txt", cmpOnlyHere)
		check(w.remote, "remote-only.txt", cmpOnlyHere)
		check(w.local, "site", cmpNone)
		if rowColour(w.local, "newer.txt") == rowColour(w.local, "local-only.txt") {
			t.Error("newer and only-here look the same")
		}

		test.Tap(w.sv.hideSame)
		for _, p := range []*pane{w.local, w.remote} {
			if rowOf(p.table, "readme.txt") >= 0 {
				t.Errorf("%s: Hide identical left readme.txt", p.name)
			}
			if rowOf(p.table, "size.txt") < 0 || rowOf(p.table, "site") < 0 {
				t.Errorf("%s: Hide identical hid a difference or a folder", p.name)
			}
		}
		test.Tap(w.sv.hideSame)
		if rowOf(w.local.table, "readme.txt") < 0 {
			t.Error("readme.txt stays hidden after Hide identical was unticked")
		}
		w.local.Open(filepath.Join(local, "site"))
		w.remote.Open("/home/site")
	})
	waitFor(t, "both in site", func() bool {
		return rowOf(w.remote.table, "index.html") >= 0 && rowOf(w.local.table, "extra.css") >= 0
	})
	onUI(func() {
		check(w.local, "index.html", cmpSame)
		check(w.local, "extra.css", cmpOnlyHere)
		check(w.remote, "img", cmpOnlyHere)
		if got := w.sv.status.Text; got == "" {
			t.Errorf("status %q", got)
		}
		w.compareTool().(*widget.ToolbarAction).OnActivated() // off
		if w.sv.bar.Visible() || rowColour(w.local, "extra.css") != nil {
			t.Error("turning the comparison off left the bar or the colours")
		}
	})
}

// TestWindowComparisonRecursive: Recursive scans both subtrees as a sync
// does: a folder whose contents differ deep down is coloured, one whose
// contents are identical is hidden by Hide identical.
func TestWindowComparisonRecursive(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	w, fs, _ := newTestWindow(t)
	local := w.app.Preferences().String(prefLocalDir)
	fs.addFile("/home/same/a.txt", "aaa")
	fs.addFile("/home/deep/er/b.txt", "bbb")
	writeLocal(t, filepath.Join(local, "readme.txt"), "hello", cmpWhen)
	writeLocal(t, filepath.Join(local, "same", "a.txt"), "aaa", cmpWhen)
	writeLocal(t, filepath.Join(local, "deep", "er", "b.txt"), "bbbb", cmpWhen)
	writeLocal(t, filepath.Join(local, "site", "index.html"), "<html>", cmpWhen)
	writeLocal(t, filepath.Join(local, "site", "img", "logo.png"), "PNG", cmpWhen)

	connectFake(t, w, "deep")
	waitFor(t, "the remote pane", func() bool { return rowOf(w.remote.table, "deep") >= 0 })
	onUI(func() {
		w.setCompare(true)
		test.Tap(w.sv.recursive)
	})
	waitFor(t, "the recursive comparison", func() bool { return rowColour(w.local, "deep") != nil })
	onUI(func() {
		if got := rowColour(w.local, "deep"); got != cmpColor(cmpDiffers) {
			t.Errorf("deep: %v, want different", got)
		}
		if got := rowColour(w.remote, "site"); got != nil {
			t.Errorf("site, identical below: %v", got)
		}
		test.Tap(w.sv.hideSame)
		if rowOf(w.local.table, "site") >= 0 || rowOf(w.local.table, "same") >= 0 {
			t.Error("Hide identical kept a folder whose contents are identical")
		}
		if rowOf(w.local.table, "deep") < 0 {
			t.Error("Hide identical hid a folder with a difference inside")
		}
		w.local.Open(filepath.Join(local, "deep", "er"))
		w.remote.Open("/home/deep/er")
	})
	waitFor(t, "deep/er compared", func() bool { return rowColour(w.local, "b.txt") == cmpColor(cmpDiffers) })
	onUI(func() {
		if got := rowColour(w.remote, "b.txt"); got != cmpColor(cmpDiffers) {
			t.Errorf("remote deep/er/b.txt: %v, want different", got)
		}
	})
}

// TestComparisonBarFollowsThePanesShown: each pair of panes (a tab) has
// its own comparison and synchronized browsing; when other panes come on
// screen, the bar and the menu checks show theirs.
func TestComparisonBarFollowsThePanesShown(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	w, _, _ := newTestWindow(t)
	waitFor(t, "the local pane", func() bool { return w.local.cwd != "" })
	onUI(func() { w.Connect(engine.Config{Host: "h", User: "u", Password: "p"}, "/home") })
	waitFor(t, "the remote pane", func() bool { return rowOf(w.remote.table, "site") >= 0 })
	onUI(func() {
		w.setCompare(true)
		test.Tap(w.sv.hideSame)
		w.setFollow(true)
		first := [2]*pane{w.local, w.remote}
		// Another tab's panes come on screen.
		w.local, w.remote = newPane("Local site"), newPane("Remote site")
		w.sv.showPair()
		if w.sv.bar.Visible() || w.sv.compareItem.Checked || w.sv.browseItem.Checked {
			t.Error("the new panes show the first pair's comparison or browsing")
		}
		w.local, w.remote = first[0], first[1]
		w.sv.showPair()
		if !w.sv.bar.Visible() || !w.sv.compareItem.Checked || !w.sv.browseItem.Checked || !w.sv.hideSame.Checked {
			t.Error("back on the first panes, their comparison and browsing are not shown")
		}
	})
}
