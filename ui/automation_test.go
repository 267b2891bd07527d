package ui

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestAutomationFromEnv(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	a := test.NewTempApp(t)
	if auto := AutomationFromEnv(env(nil), a); auto != nil || auto.RateLimit() != 0 {
		t.Fatalf("no variables: %+v, want nil", auto)
	}
	auto := AutomationFromEnv(env(map[string]string{
		"SKIFF_BENCH": "1", "SKIFF_BENCH_DOWNLOAD": "/tree", "SKIFF_BENCH_INTO": "/tmp/dst",
		"SKIFF_BENCH_SCROLL": "1", "SKIFF_RATE_LIMIT": "65536",
	}), a)
	if auto == nil || auto.Download != "/tree" || auto.Into != "/tmp/dst" || !auto.ScrollToEnd ||
		auto.RateLimit() != 65536 || auto.OnFirstRows == nil || auto.OnQueueDone == nil {
		t.Fatalf("got %+v", auto)
	}
	if auto := AutomationFromEnv(env(map[string]string{"SKIFF_RATE_LIMIT": "fast"}), a); auto == nil || auto.Rate != 0 {
		t.Fatalf("a bad rate: %+v, want no limit", auto)
	}
	if auto := AutomationFromEnv(env(map[string]string{"SKIFF_BENCH_CPUPROFILE": "/tmp/cpu.pprof"}), a); auto == nil || auto.CPUProfile != "/tmp/cpu.pprof" {
		t.Fatalf("a CPU profile alone: %+v", auto)
	}
}

// The profile covers the download: it starts when asked and its file is a
// complete pprof profile once stopped.
func TestAutomationCPUProfile(t *testing.T) {
	var errs []string
	report := func(s string) { errs = append(errs, s) }
	(&Automation{}).startProfile(report)() // no file asked: nothing to do
	file := filepath.Join(t.TempDir(), "cpu.pprof")
	stop := (&Automation{CPUProfile: file}).startProfile(report)
	stop()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	b, err := os.ReadFile(file)
	if err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b { // pprof files are gzipped
		t.Fatalf("profile %q: %d bytes, %v", file, len(b), err)
	}
	(&Automation{CPUProfile: filepath.Join(file, "no", "such")}).startProfile(report)()
	if len(errs) != 1 {
		t.Errorf("an unwritable profile reported %q", errs)
	}
}

// Without a download, the CPU profile covers building the window up to the
// first rows, and the heap profile is written there.
func TestAutomationProfilesTheFirstListing(t *testing.T) {
	w, _, _ := newTestWindow(t)
	dir := t.TempDir()
	a := &Automation{CPUProfile: filepath.Join(dir, "cpu.pprof"), HeapProfile: filepath.Join(dir, "heap.pprof")}
	onUI(func() { w.automate(a) })
	connectHome(t, w)
	for _, f := range []string{a.CPUProfile, a.HeapProfile} {
		b, err := os.ReadFile(f)
		if err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
			t.Errorf("profile %q: %d bytes, %v", f, len(b), err)
		}
	}
}
