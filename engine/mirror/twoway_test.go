package mirror

import (
	"testing"
	"time"
)

func TestTwoWay(t *testing.T) {
	later := t0.Add(2 * time.Minute)
	rec := func(size int64) Record {
		return Record{SrcSize: size, SrcTime: t0, DstSize: size, DstTime: t0.Truncate(time.Second)}
	}
	// a, b and c are on both sides as the last sync left them, so one
	// delete stays below the cap.
	abc := []File{local("a", 1, t0), local("b", 1, t0), local("c", 1, t0)}
	rabc := []File{mlsd("a", 1, t0), mlsd("b", 1, t0), mlsd("c", 1, t0)}
	st := func(more State) State {
		s := State{"a": rec(1), "b": rec(1), "c": rec(1)}
		for k, v := range more {
			s[k] = v
		}
		return s
	}
	with := func(base []File, fs ...File) Tree { return tree(append(append([]File{}, base...), fs...)...) }
	incomplete := with(abc)
	incomplete.Problem("x: permission denied")
	for _, tt := range []struct {
		name          string
		local, remote Tree
		o             Options
		want          string
	}{
		{"new on each side", tree(local("a", 1, t0)), tree(mlsd("b", 2, t0)), Options{}, "upload a, download b"},
		{"same on both sides, never synced", tree(local("f", 3, t0)), tree(mlsd("f", 3, t0)), Options{}, "keep f"},
		{"different on both sides, never synced", tree(local("f", 3, t0)), tree(mlsd("f", 4, t0)), Options{}, "keep f (conflict)"},
		{"same size, never synced, size only", tree(local("f", 3, t0)), tree(mlsd("f", 3, later)), Options{Criteria: SizeOnly}, "keep f"},
		{"unchanged", with(abc), with(rabc), Options{State: st(nil)}, "keep a, keep b, keep c"},
		{"unchanged against LIST minutes", tree(local("f", 3, t0)), tree(list("f", 3, t0, time.Minute)),
			Options{State: State{"f": rec(3)}}, "keep f"},
		{"changed here", tree(local("f", 3, later)), tree(mlsd("f", 3, t0)), Options{State: State{"f": rec(3)}}, "upload f"},
		{"changed there", tree(local("f", 3, t0)), tree(mlsd("f", 3, later)), Options{State: State{"f": rec(3)}}, "download f"},
		{"changed there by size only", tree(local("f", 3, t0)), tree(mlsd("f", 5, t0)), Options{State: State{"f": rec(3)}}, "download f"},
		{"changed on both sides", tree(local("f", 3, later)), tree(mlsd("f", 4, later)), Options{State: State{"f": rec(3)}}, "keep f (conflict)"},
		{"changed alike on both sides", tree(local("f", 4, later)), tree(mlsd("f", 4, later)), Options{State: State{"f": rec(3)}}, "keep f"},
		{"changed there, the server's time unknown before", tree(local("f", 3, t0)), tree(mlsd("f", 3, later)),
			Options{State: State{"f": {SrcSize: 3, SrcTime: t0, DstSize: 3}}}, "keep f"},
		{"deleted here without --delete", with(abc), with(rabc, mlsd("f", 3, t0)), Options{State: st(State{"f": rec(3)})},
			"keep a, keep b, keep c, keep f"},
		{"deleted here with --delete", with(abc), with(rabc, mlsd("f", 3, t0)), Options{Delete: true, State: st(State{"f": rec(3)})},
			"keep a, keep b, keep c, delete f"},
		{"deleted there with --delete", with(abc, local("f", 3, t0)), with(rabc), Options{Delete: true, State: st(State{"f": rec(3)})},
			"keep a, keep b, keep c, delete f (local)"},
		{"deleted here, changed there", with(abc), with(rabc, mlsd("f", 3, later)), Options{Delete: true, State: st(State{"f": rec(3)})},
			"keep a, keep b, keep c, keep f (conflict)"},
		{"deleted on both sides: forgotten", with(abc), with(rabc), Options{Delete: true, State: st(State{"f": rec(3)})},
			"keep a, keep b, keep c"},
		{"new folder here", tree(dir("d"), local("d/x", 1, t0)), tree(), Options{}, "mkdir d, upload d/x"},
		{"new folder there", tree(), tree(dir("d"), mlsd("d/x", 1, t0)), Options{}, "mkdir d (local), download d/x"},
		{"folder deleted there with --delete", with(abc, dir("d"), local("d/x", 1, t0)), with(rabc),
			Options{Delete: true, State: st(State{"d/x": rec(1)})}, "keep a, keep b, keep c, delete d (local)"},
		{"folder deleted there, changed below here", with(abc, dir("d"), local("d/x", 1, later)), with(rabc),
			Options{Delete: true, State: st(State{"d/x": rec(1)})}, "keep a, keep b, keep c, keep d (conflict)"},
		{"deletes over the cap", tree(local("a", 1, t0)), tree(mlsd("a", 1, t0), mlsd("f", 3, t0), mlsd("g", 3, t0)),
			Options{Delete: true, State: State{"a": rec(1), "f": rec(3), "g": rec(3)}},
			"keep a, keep f (conflict), keep g (conflict), ! deletes refused"},
		{"deletes over the cap forced", tree(local("a", 1, t0)), tree(mlsd("a", 1, t0), mlsd("f", 3, t0), mlsd("g", 3, t0)),
			Options{Delete: true, ForceDelete: true, State: State{"a": rec(1), "f": rec(3), "g": rec(3)}}, "keep a, delete f, delete g"},
		{"deletes after an incomplete scan", incomplete, with(rabc, mlsd("f", 3, t0)), Options{Delete: true, State: st(State{"f": rec(3)})},
			"keep a, keep b, keep c, keep f (conflict), ! deletes refused"},
		{"excluded", tree(local("x.tmp", 1, t0)), tree(mlsd("y.tmp", 1, t0)), Options{Excludes: []string{"*.tmp"}}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.o.TwoWay = true
			if got := line(TwoWay(tt.local, tt.remote, tt.o)); got != tt.want {
				t.Fatalf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
