package mirror

import (
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2025, 6, 1, 12, 30, 45, 123456789, time.UTC)

func local(p string, size int64, t time.Time) File {
	return File{Path: p, Size: size, Time: Time{t, PrecisionLocal, SourceLocal}}
}

func mlsd(p string, size int64, t time.Time) File {
	return File{Path: p, Size: size, Time: Time{t.Truncate(time.Second), PrecisionSecond, SourceMLSD}}
}

func list(p string, size int64, t time.Time, prec time.Duration) File {
	return File{Path: p, Size: size, Time: Time{t.Truncate(prec), prec, SourceList}}
}

func dir(p string) File { return File{Path: p, Dir: true, Size: -1} }

func tree(fs ...File) Tree {
	t := NewTree()
	for _, f := range fs {
		t.Add(f)
	}
	return t
}

// line renders a plan for comparison: "kind path" per action, "? path" per
// undecided one, "! why" for refused deletes.
func line(p Plan) string {
	var b []string
	for _, a := range p.Actions {
		s := a.Kind.String() + " " + a.Path
		if a.Conflict {
			s += " (conflict)"
		}
		if a.Local {
			s += " (local)"
		}
		b = append(b, s)
	}
	for _, u := range p.Undecided {
		b = append(b, "? "+u)
	}
	if p.DeleteRefused != "" {
		b = append(b, "! deletes refused")
	}
	return strings.Join(b, ", ")
}

func TestCompare(t *testing.T) {
	incomplete := tree(local("a", 1, t0), local("b", 1, t0))
	incomplete.Problem("x: permission denied")
	for _, tt := range []struct {
		name     string
		src, dst Tree
		o        Options
		want     string
	}{
		{"new file and folder", tree(dir("d"), local("d/f", 3, t0)), tree(), Options{}, "mkdir d, upload d/f"},
		{"download direction", tree(mlsd("f", 3, t0)), tree(), Options{Direction: Down}, "download f"},
		{"same size, local ns against MLSD second", tree(local("f", 3, t0)), tree(mlsd("f", 3, t0)), Options{}, "keep f"},
		{"same size, 2 minutes newer", tree(local("f", 3, t0.Add(2*time.Minute))), tree(mlsd("f", 3, t0)), Options{}, "upload f"},
		{"same size, 1.5 s newer against a second", tree(local("f", 3, t0.Add(1500*time.Millisecond))), tree(mlsd("f", 3, t0)), Options{}, "upload f"},
		{"same size, 1.5 s newer with 1 s tolerance", tree(local("f", 3, t0.Add(1500*time.Millisecond))), tree(mlsd("f", 3, t0)), Options{Tolerance: time.Second}, "keep f"},
		{"size differs, target newer", tree(local("f", 3, t0)), tree(mlsd("f", 4, t0.Add(time.Hour))), Options{}, "upload f"},
		{"target newer, same size", tree(local("f", 3, t0)), tree(mlsd("f", 3, t0.Add(time.Hour))), Options{}, "keep f (conflict)"},
		{"LIST minute within the minute", tree(local("f", 3, t0)), tree(list("f", 3, t0, time.Minute)), Options{}, "keep f"},
		{"LIST minute 2 minutes off asks", tree(local("f", 3, t0.Add(2*time.Minute))), tree(list("f", 3, t0, time.Minute)), Options{}, "? f"},
		{"LIST in another zone asks", tree(local("f", 3, t0)), tree(list("f", 3, t0.Add(-5*time.Hour), time.Minute)), Options{}, "? f"},
		{"LIST day asks even on the same day", tree(local("f", 3, t0)), tree(list("f", 3, t0, PrecisionDay)), Options{}, "? f"},
		{"LIST day final keeps within a day", tree(local("f", 3, t0)), tree(list("f", 3, t0, PrecisionDay)), Options{Final: true}, "keep f"},
		{"LIST minute final and newer copies", tree(local("f", 3, t0.Add(2*time.Minute))), tree(list("f", 3, t0, time.Minute)), Options{Final: true}, "upload f"},
		{"LIST size differs needs no time", tree(local("f", 3, t0)), tree(list("f", 5, t0, PrecisionDay)), Options{}, "upload f"},
		{"time unknown asks", tree(local("f", 3, t0)), tree(File{Path: "f", Size: 3}), Options{}, "? f"},
		{"time unknown final copies", tree(local("f", 3, t0)), tree(File{Path: "f", Size: 3}), Options{Final: true}, "upload f"},
		{"size only ignores time", tree(local("f", 3, t0)), tree(mlsd("f", 3, t0.Add(-time.Hour))), Options{Criteria: SizeOnly}, "keep f"},
		{"checksum asks", tree(local("f", 3, t0)), tree(mlsd("f", 3, t0)), Options{Criteria: Checksum}, "? f"},
		{"checksum differs", tree(File{Path: "f", Size: 3, Hash: "MD5:aa"}), tree(File{Path: "f", Size: 3, Hash: "MD5:bb"}), Options{Criteria: Checksum}, "upload f"},
		{"checksum equal", tree(File{Path: "f", Size: 3, Hash: "MD5:aa"}), tree(File{Path: "f", Size: 3, Hash: "md5:AA"}), Options{Criteria: Checksum}, "keep f"},
		{"only at target without delete", tree(), tree(mlsd("f", 3, t0)), Options{}, "keep f"},
		{"only at target with delete", tree(local("a", 1, t0)), tree(mlsd("a", 1, t0), mlsd("f", 3, t0)), Options{Delete: true}, "keep a, delete f"},
		{"a folder deleted whole", tree(local("a", 1, t0), local("b", 1, t0), local("c", 1, t0)),
			tree(mlsd("a", 1, t0), mlsd("b", 1, t0), mlsd("c", 1, t0), dir("d"), mlsd("d/x", 1, t0), dir("d b"), dir("d/e"), mlsd("d/e/y", 1, t0)),
			Options{Delete: true, ForceDelete: true}, "keep a, keep b, keep c, delete d, delete d b"},
		{"delete over the cap refused", tree(local("a", 1, t0)), tree(mlsd("a", 1, t0), mlsd("f", 3, t0), mlsd("g", 3, t0)),
			Options{Delete: true}, "keep a, keep f (conflict), keep g (conflict), ! deletes refused"},
		{"delete over the cap forced", tree(local("a", 1, t0)), tree(mlsd("a", 1, t0), mlsd("f", 3, t0), mlsd("g", 3, t0)),
			Options{Delete: true, ForceDelete: true}, "keep a, delete f, delete g"},
		{"delete after an incomplete scan refused", incomplete, tree(mlsd("a", 1, t0), mlsd("b", 1, t0), mlsd("z", 1, t0)),
			Options{Delete: true}, "keep a, keep b, keep z (conflict), ! deletes refused"},
		{"excluded name neither copied nor deleted", tree(local("a.tmp", 1, t0), local("b", 1, t0)), tree(mlsd("c.tmp", 1, t0), mlsd("b", 1, t0)),
			Options{Delete: true, Excludes: []string{"*.tmp"}}, "keep b"},
		{"excluded folder keeps its parent", tree(local("x", 1, t0), local("y", 1, t0)),
			tree(mlsd("x", 1, t0), mlsd("y", 1, t0), dir("d"), dir("d/cache"), mlsd("d/cache/z", 1, t0), mlsd("d/f", 1, t0)),
			Options{Delete: true, ForceDelete: true, Excludes: []string{"cache"}}, "delete d/f, keep x, keep y"},
		{"folder against file", tree(local("f", 1, t0)), tree(dir("f")), Options{}, "keep f (conflict)"},
		{"state keeps a file the server could not time", tree(local("f", 3, t0)), tree(mlsd("f", 3, t0.Add(time.Hour))),
			Options{State: State{"f": {SrcSize: 3, SrcTime: t0, DstSize: 3}}}, "keep f"},
		{"state does not keep a changed source", tree(local("f", 3, t0.Add(2*time.Minute))), tree(mlsd("f", 3, t0.Add(time.Hour))),
			Options{State: State{"f": {SrcSize: 3, SrcTime: t0, DstSize: 3}}}, "upload f"},
		{"state keeps an unchanged file against a LIST time without asking", tree(local("f", 3, t0)), tree(list("f", 3, t0.Add(time.Hour), time.Minute)),
			Options{State: State{"f": {SrcSize: 3, SrcTime: t0, DstSize: 3}}}, "keep f"},
		{"state copies a changed file against a LIST time without asking", tree(local("f", 3, t0.Add(2*time.Minute))), tree(list("f", 3, t0, time.Minute)),
			Options{State: State{"f": {SrcSize: 3, SrcTime: t0, DstSize: 3}}}, "upload f"},
		{"state of another target size still asks", tree(local("f", 3, t0.Add(2*time.Minute))), tree(list("f", 3, t0, time.Minute)),
			Options{State: State{"f": {SrcSize: 3, SrcTime: t0, DstSize: 4}}}, "? f"},
		{"state of an older source still asks", tree(local("f", 3, t0.Add(-2*time.Minute))), tree(list("f", 3, t0, time.Minute)),
			Options{State: State{"f": {SrcSize: 3, SrcTime: t0, DstSize: 3}}}, "? f"},
		{"state does not keep a target of another size", tree(local("f", 3, t0)), tree(mlsd("f", 4, t0.Add(time.Hour))),
			Options{State: State{"f": {SrcSize: 3, SrcTime: t0, DstSize: 3}}}, "upload f"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := line(Compare(tt.src, tt.dst, tt.o)); got != tt.want {
				t.Fatalf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestExcluded(t *testing.T) {
	for _, tt := range []struct {
		path string
		want bool
	}{
		{"a.tmp", true}, {"d/a.tmp", true}, {"cache/x", true}, {"d/cache/x", true}, {"d/x", false}, {"tmp", false}, {"logs/today/x", true},
	} {
		t.Run(tt.path, func(t *testing.T) {
			if got := Excluded([]string{"*.tmp", "cache", "logs/*"}, tt.path); got != tt.want {
				t.Fatalf("got %v", got)
			}
		})
	}
}

func TestPrecisionOfFileSystem(t *testing.T) {
	for _, tt := range []struct {
		name string
		typ  int64
		want time.Duration
	}{{"vfat", 0x4d44, PrecisionFAT}, {"exfat", 0x2011bab0, PrecisionFAT}, {"ext4", 0xef53, PrecisionLocal}} {
		t.Run(tt.name, func(t *testing.T) {
			if got := precisionOf(tt.typ); got != tt.want {
				t.Fatalf("got %v", got)
			}
		})
	}
}

func TestCompareWithAListingThatHidesDotFiles(t *testing.T) {
	hiding := tree(mlsd("a", 1, t0))
	hiding.HidesDotFiles = true
	for _, tt := range []struct {
		name     string
		src, dst Tree
		o        Options
		want     string
	}{
		{"a dot file missing from a hiding target is asked", tree(local("a", 1, t0), local(".htaccess", 1, t0)), hiding, Options{}, "keep a, ? .htaccess"},
		{"final: uploaded", tree(local("a", 1, t0), local(".htaccess", 1, t0)), hiding, Options{Final: true}, "upload .htaccess, keep a"},
		{"a dot file missing from a hiding source is never deleted", hiding, tree(mlsd("a", 1, t0), mlsd(".env", 1, t0)),
			Options{Direction: Down, Delete: true, ForceDelete: true}, "keep .env, keep a"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := line(Compare(tt.src, tt.dst, tt.o)); got != tt.want {
				t.Fatalf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestTooManyDeletes: a plan whose deletes exceed the cap carries the
// counts the window asks about; a forced plan, one within the cap and one
// refused for an incomplete scan carry none.
func TestTooManyDeletes(t *testing.T) {
	incomplete := tree(local("a", 1, t0))
	incomplete.Problem("x: permission denied")
	target := tree(mlsd("a", 1, t0), mlsd("f", 3, t0), dir("d"), mlsd("d/x", 1, t0), mlsd("d/y", 1, t0))
	for _, tt := range []struct {
		name string
		src  Tree
		o    Options
		want *TooManyDeletesError
	}{
		{"4 of 5 over the default half", tree(local("a", 1, t0)), Options{Delete: true},
			&TooManyDeletesError{Deletes: 3, TargetFiles: 4, MaxShare: DefaultMaxDeleteShare}},
		{"4 of 5 over a 60% cap", tree(local("a", 1, t0)), Options{Delete: true, MaxDeleteShare: 0.6},
			&TooManyDeletesError{Deletes: 3, TargetFiles: 4, MaxShare: 0.6}},
		{"within an 80% cap", tree(local("a", 1, t0)), Options{Delete: true, MaxDeleteShare: 0.8}, nil},
		{"forced", tree(local("a", 1, t0)), Options{Delete: true, ForceDelete: true}, nil},
		{"incomplete scan", incomplete, Options{Delete: true}, nil},
		{"no --delete", tree(local("a", 1, t0)), Options{}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := Compare(tt.src, target, tt.o)
			got := p.TooManyDeletes
			switch {
			case tt.want == nil && got != nil:
				t.Fatalf("got %+v, want none", *got)
			case tt.want != nil && (got == nil || *got != *tt.want):
				t.Fatalf("got %+v, want %+v", got, *tt.want)
			case tt.want != nil && p.DeleteRefused != got.Error():
				t.Fatalf("DeleteRefused %q, want the error's %q", p.DeleteRefused, got.Error())
			case tt.want != nil && p.Count(Delete) != 0:
				t.Fatalf("%d deletes planned", p.Count(Delete))
			}
		})
	}
}

// TestExcludedByKind: "dir:" and "file:" globs exclude one kind of entry
// from the plan, as they do from a folder transfer.
func TestExcludedByKind(t *testing.T) {
	src := tree(File{Path: "node_modules", Dir: true, Size: -1}, File{Path: "node_modules/m.js", Size: 1},
		File{Path: "docs", Dir: true, Size: -1}, File{Path: "docs/node_modules", Size: 2}, File{Path: "core", Size: 3})
	got := line(Compare(src, NewTree(), Options{Excludes: []string{"dir:node_modules", "file:core"}}))
	if want := "mkdir docs, upload docs/node_modules"; got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}
