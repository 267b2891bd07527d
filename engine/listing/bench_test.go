package listing

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// benchLines is the size of the benchmark listings (the target is
// 2,000,000 lines per second on one core for both).
const benchLines = 1_000_000

var (
	benchOnce            sync.Once
	benchUnix, benchMLSD string
)

// benchListings returns the benchmark listings, built once.
func benchListings() (string, string) {
	benchOnce.Do(func() { benchUnix, benchMLSD = genListings(benchLines) })
	return benchUnix, benchMLSD
}

// genListings builds a vsftpd-style LIST and a pure-ftpd-style MLSD reply of
// n lines with varied names, sizes and dates (recent ones with a time, old
// ones with a year), CR LF terminated as servers send them.
func genListings(n int) (unix, mlsd string) {
	months := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	var u, m strings.Builder
	u.Grow(n * 72)
	m.Grow(n * 130)
	u.WriteString("total 4000000\r\n")
	for i := range n {
		size := int64(i) * 7919 % 10_000_000_000
		mon, day := months[i%12], 1+i%28
		perm, kind := "-rw-r--r--", "file"
		if i%10 == 0 {
			perm, kind = "drwxr-xr-x", "dir"
		}
		if i%3 == 0 {
			fmt.Fprintf(&u, "%s    1 1000     1000     %8d %s %2d  %d file-%07d.dat\r\n", perm, size, mon, day, 2000+i%24, i)
		} else {
			fmt.Fprintf(&u, "%s    1 1000     1000     %8d %s %2d %02d:%02d file-%07d.dat\r\n", perm, size, mon, day, i%24, i%60, i)
		}
		fmt.Fprintf(&m, "type=%s;size=%d;modify=2024%02d%02d%02d%02d%02d;UNIX.mode=0644;UNIX.uid=1000;UNIX.gid=1000;unique=803g%x; file-%07d.dat\r\n",
			kind, size, 1+i%12, day, i%24, i%60, i%60, i, i)
	}
	return u.String(), m.String()
}

func BenchmarkParseList(b *testing.B) {
	text, _ := benchListings()
	o := Options{Now: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)}
	bench(b, text, func() (int, int) {
		es, u, err := ParseList(strings.NewReader(text), o)
		if err != nil {
			b.Fatal(err)
		}
		return len(es), u
	})
}

func BenchmarkParseMLSD(b *testing.B) {
	_, text := benchListings()
	bench(b, text, func() (int, int) {
		es, u, err := ParseMLSD(strings.NewReader(text))
		if err != nil {
			b.Fatal(err)
		}
		return len(es), u
	})
}

// BenchmarkParserStream parses the Unix listing line by line into a reused
// batch, as `skiff ls` streams a listing: the parsing alone, without the
// million-entry slice ParseList returns (whose first touch of fresh memory
// and GC scanning are most of BenchmarkParseList's time on a busy machine).
func BenchmarkParserStream(b *testing.B) {
	text, _ := benchListings()
	o := Options{Now: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)}
	bench(b, text, func() (int, int) {
		p := NewParser(o)
		var batch []Entry
		n := 0
		for rest := text; len(rest) > 0; {
			var line string
			line, rest = nextLine(rest)
			batch = p.Append(batch[:0], line)
			n += len(batch)
		}
		return n, p.Unparsed()
	})
}

// BenchmarkMLSTStream parses the MLSD listing line by line with ParseMLST,
// as engine/ftp streams an MLSD reply.
func BenchmarkMLSTStream(b *testing.B) {
	_, text := benchListings()
	bench(b, text, func() (int, int) {
		n, u := 0, 0
		for rest := text; len(rest) > 0; {
			var line string
			line, rest = nextLine(rest)
			if _, err := ParseMLST(line); err != nil {
				u++
			}
			n++
		}
		return n, u
	})
}

// bench runs parse and reports lines/s, ns/line, allocs/line, B/line and
// the CPU time per line.
func bench(b *testing.B, text string, parse func() (entries, unparsed int)) {
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	user0, sys0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		n, u := parse()
		if n != benchLines || u != 0 {
			b.Fatalf("%d entries, %d unparsed; want %d, 0", n, u, benchLines)
		}
	}
	b.StopTimer()
	user1, sys1 := cpuTime()
	user, sys := user1-user0, sys1-sys0
	runtime.ReadMemStats(&after)
	lines := float64(b.N) * benchLines
	b.ReportMetric(lines/b.Elapsed().Seconds(), "lines/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/lines, "ns/line")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/lines, "allocs/line")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/lines, "B/line")
	if user+sys > 0 {
		// CPU time (all threads, GC included) per line: wall time is unreliable
		// while other jobs share the cores. lines/cpu-s is the rate on one
		// core; sys-ns/line is the kernel's share, nearly all of it page
		// faults on the fresh memory the entries and the text are written to.
		b.ReportMetric(float64(user+sys)/lines, "cpu-ns/line")
		b.ReportMetric(float64(sys)/lines, "sys-ns/line")
		b.ReportMetric(lines/(float64(user+sys)/1e9), "lines/cpu-s")
	}
}
