package listing

import (
	"fmt"
	"runtime"
	"testing"
	"unsafe"
)

func TestCollectorKeepsOrderAndCount(t *testing.T) {
	for _, n := range []int{0, 1, collectFirstChunk - 1, collectFirstChunk, collectFirstChunk + 1, 3 * collectMaxChunk, 100_000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var c Collector
			for i := range n {
				c.Add(Entry{Name: fmt.Sprint(i), Size: int64(i)})
			}
			if c.Len() != n {
				t.Fatalf("Len %d, want %d", c.Len(), n)
			}
			es := c.Entries()
			if len(es) != n || (n == 0) != (es == nil) {
				t.Fatalf("%d entries (nil %v), want %d", len(es), es == nil, n)
			}
			for i, e := range es {
				if e.Size != int64(i) || e.Name != fmt.Sprint(i) {
					t.Fatalf("entry %d is %q/%d", i, e.Name, e.Size)
				}
			}
			if n > collectFirstChunk && cap(es) != n {
				t.Errorf("cap %d for %d entries: the result should be of exact size", cap(es), n)
			}
			if c.Len() != 0 || c.Entries() != nil {
				t.Error("Entries did not empty the collector")
			}
		})
	}
}

// A 100,000-entry listing is collected without moving what it holds: the
// bytes allocated are the chunks plus the one exact copy, twice the result,
// where append's growth allocates about five times the result and copies
// all but one of them.
func TestCollectorAllocatesTheListingTwice(t *testing.T) {
	const n = 100_000
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var c Collector
	for range n {
		c.Add(Entry{Size: 1})
	}
	es := c.Entries()
	runtime.ReadMemStats(&after)
	size := float64(n) * float64(unsafe.Sizeof(Entry{}))
	if got := float64(after.TotalAlloc-before.TotalAlloc) / size; got > 2.1 {
		t.Errorf("allocated %.2f times the listing's %v bytes, want at most 2.1", got, size)
	}
	if len(es) != n {
		t.Fatal(len(es))
	}
}
