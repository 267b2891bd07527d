package queue

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

// TestMoveBlock: a selection moved to the top or the bottom keeps its own
// order, lands side by side, and the order survives a restart — also after
// moves that used up the room between stored positions.
func TestMoveBlock(t *testing.T) {
	db := filepath.Join(t.TempDir(), "q.db")
	srv := newFakeServer()
	q, pool := newTestQueue(t, srv, Options{Path: db, Hold: true})
	var ids []ID
	for i := range 6 {
		id, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: fmt.Sprint("/f", i), Local: filepath.Join(t.TempDir(), "f")})
		ids = append(ids, id)
	}
	f := func(n ...int) []ID {
		var out []ID
		for _, i := range n {
			out = append(out, ids[i])
		}
		return out
	}
	steps := []struct {
		name  string
		block []ID
		to    int
		want  []ID
	}{
		{"f4 f1 to the top", f(4, 1), 0, f(1, 4, 0, 2, 3, 5)},
		{"f0 f2 to the bottom", f(2, 0), 1 << 30, f(1, 4, 3, 5, 0, 2)},
		{"f5 and an unknown id after the first", append(f(5), 9999), 1, f(1, 5, 4, 3, 0, 2)},
		{"nothing known", []ID{9999}, 0, f(1, 5, 4, 3, 0, 2)},
	}
	for _, s := range steps {
		q.MoveBlock(s.block, s.to)
		if got := idsOf(q.Items()); !slices.Equal(got, s.want) {
			t.Fatalf("%s: order %v, want %v", s.name, got, s.want)
		}
		if got := q.Order(); !slices.Equal(got, s.want) {
			t.Fatalf("%s: Order() %v, want %v", s.name, got, s.want)
		}
	}
	for range 40 { // exhaust the room between the first two: renumbering
		q.MoveBlock(f(3, 0), 1)
		q.MoveBlock(f(5, 4), 1)
	}
	want := idsOf(q.Items())
	if !slices.Equal(want, f(1, 5, 4, 3, 0, 2)) {
		t.Fatalf("after repeated moves: %v", want)
	}
	q.MoveBlock(f(2), 0)
	want = idsOf(q.Items())
	q.Close()
	pool.Close()
	q2, _ := newTestQueue(t, srv, Options{Path: db, Hold: true})
	if got := idsOf(q2.Items()); !slices.Equal(got, want) {
		t.Fatalf("restored order %v, want %v", got, want)
	}
}
