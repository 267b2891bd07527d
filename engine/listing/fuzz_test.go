package listing

import (
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// The fuzz targets prove that no input panics, loops or grows memory beyond
// its size: every entry comes from its own line (or, for a VMS record split
// in two, from two adjacent lines), so a listing of n lines gives at most n
// entries whose strings are slices of the input. CI runs each briefly:
//
//	go test -run='^$' -fuzz=FuzzParseList -fuzztime=20s ./engine/listing
//	go test -run='^$' -fuzz=FuzzParseMLSD -fuzztime=20s ./engine/listing

var fuzzNow = time.Date(2024, 2, 29, 23, 30, 0, 0, time.UTC)

func FuzzParseList(f *testing.F) {
	for _, g := range corpus {
		var all strings.Builder
		for _, w := range g.lines {
			f.Add(w.line, g.syst)
			all.WriteString(w.line + "\r\n")
		}
		f.Add(all.String(), g.syst)
	}
	f.Add("LONG.TXT;1\n  2/3  29-FEB-2024 12:00:00 [A,B] (RWED,,,)\nX;1\n", "VMS")
	f.Add("-rw-r--r-- 1 u g 1 Feb 29 23:59 f\n\n\r\n\x00\xff", "")
	f.Add("-rw-r--r-- 1 u g 1 Mar 29 12:00 name ending in CR\r\r\n", "")
	f.Fuzz(func(t *testing.T, listing, syst string) {
		var es []Entry
		var unparsed int
		var err error
		allocated := allocatedBy(func() {
			es, unparsed, err = ParseList(strings.NewReader(listing), Options{System: syst, Now: fuzzNow})
		})
		if err != nil {
			t.Fatal(err)
		}
		checkEntries(t, listing, es, unparsed)
		checkAllocated(t, len(listing)+len(syst), listing, es, allocated)

		// Streaming gives the same entries.
		p := NewParser(Options{System: syst, Now: fuzzNow})
		var got []Entry
		for text := listing; len(text) > 0; {
			var line string
			line, text = nextLine(text)
			got = p.Append(got, line)
		}
		got = p.Flush(got)
		if len(got) != len(es) || p.Unparsed() != unparsed {
			t.Fatalf("streaming gave %d entries (%d unparsed), ParseList %d (%d)", len(got), p.Unparsed(), len(es), unparsed)
		}
		for i := range got {
			if got[i] != es[i] {
				t.Fatalf("entry %d: streamed %+v, ParseList %+v", i, got[i], es[i])
			}
		}
	})
}

func FuzzParseMLSD(f *testing.F) {
	var all strings.Builder
	for _, w := range mlsdCorpus {
		f.Add(w.line)
		all.WriteString(w.line + "\r\n")
	}
	f.Add(all.String())
	f.Add("type=file;modify=20240229120000.999999999999;size=99999999999999999999; x\n;; \n=; \n")
	f.Fuzz(func(t *testing.T, listing string) {
		var es []Entry
		var unparsed int
		var err error
		allocated := allocatedBy(func() {
			es, unparsed, err = ParseMLSD(strings.NewReader(listing))
		})
		if err != nil {
			t.Fatal(err)
		}
		checkEntries(t, listing, es, unparsed)
		checkAllocated(t, len(listing), listing, es, allocated)
		for text := listing; len(text) > 0; {
			var line string
			line, text = nextLine(text)
			if e, err := ParseMLST(line); err == nil && e.Raw != line && e.Raw != strings.TrimSuffix(line, "\r") {
				t.Fatalf("ParseMLST(%q).Raw = %q", line, e.Raw)
			}
		}
	})
}

// checkEntries asserts the invariants every parse result keeps.
func checkEntries(t *testing.T, listing string, es []Entry, unparsed int) {
	t.Helper()
	lines := map[string]bool{}
	n := 0
	for text := listing; len(text) > 0; n++ {
		var line string
		line, text = nextLine(text)
		lines[line] = true
	}
	if len(es) > n {
		t.Fatalf("%d entries from %d lines", len(es), n)
	}
	u := 0
	for _, e := range es {
		if e.Unparsed {
			u++
		}
		if !lines[e.Raw] {
			first, second, ok := strings.Cut(e.Raw, "\n")
			if !ok || !lines[first] || !lines[second] {
				t.Fatalf("Raw %q is not a line of the input", e.Raw)
			}
		}
		if e.Name == "" {
			t.Fatalf("entry without a name: %+v", e)
		}
		if e.Size < -1 {
			t.Fatalf("size %d: %+v", e.Size, e)
		}
		if e.ModTime.IsZero() != (e.Precision == PrecisionNone) {
			t.Fatalf("ModTime %v with precision %v", e.ModTime, e.Precision)
		}
		if !e.ModTime.IsZero() && e.ModTime.Location() != time.UTC {
			t.Fatalf("ModTime %v is not UTC", e.ModTime)
		}
	}
	if u != unparsed {
		t.Fatalf("%d entries marked unparsed, count says %d", u, unparsed)
	}
}

// allocatedBy returns the bytes the process allocated while f ran: the
// least of three runs, since the counter is the process's and the fuzzing
// engine's own goroutines allocate now and then.
func allocatedBy(f func()) uint64 {
	least := uint64(1<<64 - 1)
	for range 3 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	return least
}

// checkAllocated bounds what parsing a listing allocated: one copy of the
// input and 3 bytes per input byte more (the race detector's builds keep more
// on the heap) for the few strings that are
// converted (a month name in another encoding), the entries (160 bytes each,
// at most one per line, with the room append leaves unused — the capacity is
// checked too — and twice that for the smaller slices append outgrew), and 4 KiB for the fixed costs of a call. An entry per line
// is the API's price — a 2-byte line costs one entry — so the bound is per
// byte plus per entry.
//
// input is the bytes the caller handed in: the listing, and the SYST text,
// which is read case-folded.
func checkAllocated(t *testing.T, input int, listing string, es []Entry, allocated uint64) {
	t.Helper()
	if cap(es) > 2*len(es)+len(listing)/minLineBytes+1 {
		t.Fatalf("%d entries reserve room for %d", len(es), cap(es))
	}
	entry := uint64(unsafe.Sizeof(Entry{}))
	// 2×: the slices append outgrew on the way sum to less than the last.
	bound := 4*uint64(input) + 2*entry*uint64(cap(es)) + 4096
	if allocated > bound {
		t.Fatalf("parsing %d bytes into %d entries allocated %d bytes, more than %d", input, len(es), allocated, bound)
	}
}
