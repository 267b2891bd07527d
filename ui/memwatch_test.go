package ui

import (
	"regexp"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// The watch reports the highest resident set it sampled, and splits it
// with the Go heap as it was then: a 64 MiB buffer alive at every sample
// is in the Go heap's objects. (In a test process that already had a
// bigger peak, the buffer may reuse freed memory: no growth is asserted.)
func TestMemWatchReportsThePeak(t *testing.T) {
	buf := make([]byte, 64<<20)
	for i := 0; i < len(buf); i += 4096 {
		buf[i] = 1
	}
	m := startMemWatch(time.Hour) // samples at once, and again in Stop
	seen := statmRSS()
	if seen == 0 {
		t.Fatal("no resident set from /proc/self/statm")
	}
	line := m.Stop()
	runtime.KeepAlive(buf)
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
	if rss, want := field("rss"), float64(seen)/(1<<20)-0.1; rss < want {
		t.Errorf("peak rss %.1f MiB, want at least the %.1f MiB seen meanwhile", rss, want)
	}
	if heap := field("go:heap/objects"); heap < 64 {
		t.Errorf("Go heap objects at the peak %.1f MiB, want the 64 MiB buffer in them", heap)
	}
}
