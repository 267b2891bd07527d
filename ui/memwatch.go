package ui

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"
)

// memWatch samples the process's resident set (Linux /proc/self) while the
// window runs under SKIFF_BENCH_MEMORY, and at each new peak records where
// the memory is: the Go runtime's share (runtime/metrics) and the kernel's
// split of the resident set (smaps_rollup: anonymous memory, which holds
// the Go heap, C's malloc arena and, under Xvfb, the software GL's
// textures; file-backed pages, the binary and shared libraries). bench/gui.sh
// prints the breakdown beside the peak /usr/bin/time reports.
type memWatch struct {
	mu   sync.Mutex
	peak memSample
	stop chan struct{}
	once sync.Once
}

// memSample is the process's memory at one moment, in bytes.
type memSample struct {
	at               time.Duration // since the process started
	rss, anon, shmem uint64        // smaps_rollup: Rss, Anonymous, Pss_Shmem (X shared memory)
	gc               uint64        // the live heap at the last collection
	classes          []uint64      // memClasses' values
}

// memClasses are the Go runtime's classes of memory it mapped
// (runtime/metrics); released pages are mapped but not resident.
var memClasses = []string{
	"total", "heap/objects", "heap/unused", "heap/free", "heap/released", "heap/stacks", "os-stacks",
	"metadata/mspan/inuse", "metadata/mspan/free", "metadata/mcache/inuse", "metadata/mcache/free",
	"metadata/other", "profiling/buckets", "other",
}

// startMemWatch samples every period until stop.
func startMemWatch(period time.Duration) *memWatch {
	m := &memWatch{stop: make(chan struct{})}
	go func() {
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			m.sample()
			select {
			case <-t.C:
			case <-m.stop:
				return
			}
		}
	}()
	return m
}

// sample reads the resident set cheaply (statm) and the breakdown only
// when it is a new peak.
func (m *memWatch) sample() {
	rss := statmRSS()
	m.mu.Lock()
	defer m.mu.Unlock()
	if rss <= m.peak.rss {
		return
	}
	s := memSample{at: time.Since(processStart), rss: rss}
	s.anon, s.shmem = smapsRollup()
	vals := make([]metrics.Sample, len(memClasses)+1)
	for i, name := range memClasses {
		vals[i].Name = "/memory/classes/" + name + ":bytes"
	}
	vals[len(memClasses)].Name = "/gc/heap/live:bytes"
	metrics.Read(vals)
	s.classes = make([]uint64, len(memClasses))
	for i, v := range vals {
		if v.Value.Kind() != metrics.KindUint64 {
			continue
		}
		if i == len(memClasses) {
			s.gc = v.Value.Uint64()
		} else {
			s.classes[i] = v.Value.Uint64()
		}
	}
	m.peak = s
}

// Stop ends the sampling and returns the peak line for SKIFF_BENCH.
func (m *memWatch) Stop() string {
	m.once.Do(func() { close(m.stop) })
	m.sample()
	cpu := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/cpu/classes/total:cpu-seconds"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(cpu)
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.peak
	if p.classes == nil || cpu[0].Value.Kind() != metrics.KindFloat64 || cpu[2].Value.Kind() != metrics.KindUint64 {
		return "memory-peak unknown"
	}
	mib := func(b uint64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64) }
	// Go's resident share is at most what it mapped minus what it
	// released; the rest of the anonymous memory is C's (Mesa, fontconfig,
	// X).
	goRes := p.classes[0] - p.classes[4]
	var b strings.Builder
	// The collector's CPU time (an estimate, runtime/metrics) says what a
	// tighter heap costs.
	fmt.Fprintf(&b, "memory-peak gc_cpu=%.2fs gc_cycles=%d go_cpu=%.2fs at=%.1fs rss=%s anon=%s shmem=%s file=%s go_resident=%s non_go_anon=%s go_live=%s",
		cpu[0].Value.Float64(), cpu[2].Value.Uint64(), cpu[1].Value.Float64(), p.at.Seconds(), mib(p.rss), mib(p.anon), mib(p.shmem), mib(p.rss-min(p.rss, p.anon+p.shmem)),
		mib(goRes), mib(p.anon-min(p.anon, goRes)), mib(p.gc))
	for i, name := range memClasses[1:] {
		if i+1 != 4 { // released: not resident
			fmt.Fprintf(&b, " go:%s=%s", name, mib(p.classes[i+1]))
		}
	}
	fmt.Fprintf(&b, " at_end:%s", mapsAtEnd())
	return b.String()
}

// mapsAtEnd sums the resident set by kind of mapping (smaps): C's malloc
// heap ([heap]), other anonymous mappings (Go's arenas, thread stacks,
// Mesa's large allocations) by size, and the threads.
func mapsAtEnd() string {
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return "unknown"
	}
	var heap, anonBig, anonSmall, rss uint64
	var name string
	var size uint64
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if strings.Contains(f[0], "-") && len(f) >= 5 {
			name = ""
			if len(f) >= 6 {
				name = f[5]
			}
			var lo, hi uint64
			if r := strings.SplitN(f[0], "-", 2); len(r) == 2 {
				lo, _ = strconv.ParseUint(r[0], 16, 64)
				hi, _ = strconv.ParseUint(r[1], 16, 64)
			}
			size = hi - lo
			continue
		}
		if f[0] != "Rss:" || len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseUint(f[1], 10, 64)
		rss += kb
		switch {
		case name == "[heap]":
			heap += kb
		case name == "" && size >= 32<<20:
			anonBig += kb
		case name == "":
			anonSmall += kb
		}
	}
	threads := "?"
	if st, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, l := range strings.Split(string(st), "\n") {
			if v, ok := strings.CutPrefix(l, "Threads:"); ok {
				threads = strings.TrimSpace(v)
			}
		}
	}
	mib := func(kb uint64) string { return strconv.FormatFloat(float64(kb)/1024, 'f', 1, 64) }
	return fmt.Sprintf("rss=%s c_heap=%s anon_maps_ge32MiB=%s anon_maps_small=%s threads=%s", mib(rss), mib(heap), mib(anonBig), mib(anonSmall), threads)
}

// statmRSS is the resident set in bytes, 0 when unknown.
func statmRSS() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(f[1], 10, 64)
	return pages * uint64(os.Getpagesize())
}

// smapsRollup returns the anonymous and the shared-memory resident bytes.
func smapsRollup() (anon, shmem uint64) {
	b, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		return 0, 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseUint(f[1], 10, 64)
		switch f[0] {
		case "Anonymous:":
			anon = kb << 10
		case "Pss_Shmem:":
			shmem = kb << 10
		}
	}
	return anon, shmem
}
