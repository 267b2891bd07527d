package ui

import (
	"regexp"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// The peak the watch reports covers memory that was resident only between
// two of the caller's looks, and its split puts a Go allocation in the Go
// heap.
func TestMemWatchReportsThePeak(t *testing.T) {
	m := startMemWatch(5 * time.Millisecond)
	before := statmRSS()
	if before == 0 {
		t.Fatal("no resident set from /proc/self/statm")
	}
	buf := make([]byte, 64<<20)
	for i := 0; i < len(buf); i += 4096 {
		buf[i] = 1
	}
	time.Sleep(50 * time.Millisecond) // sampled while resident
	runtime.KeepAlive(buf)
	line := m.Stop()
	t.Log(line)
	field := func(name string) float64 {
		t.Helper()
		sm := regexp.MustCompile(`(?:^| )` + regexp.QuoteMeta(name) + `=([0-9.]+)`).FindStringSubmatch(line)
		if sm == nil {
			t.Fatalf("no %s in %q", name, line)
		}
		v, _ := strconv.ParseFloat(sm[1], 64)
		return v
	}
	if rss, want := field("rss"), float64(before)/(1<<20)+60; rss < want {
		t.Errorf("peak rss %.1f MiB, want at least %.1f (64 MiB touched)", rss, want)
	}
	if heap := field("go:heap/objects"); heap < 64 {
		t.Errorf("Go heap objects at the peak %.1f MiB, want the 64 MiB buffer in them", heap)
	}
}
