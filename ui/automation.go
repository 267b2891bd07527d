package ui

import (
	"fmt"
	"os"
	"path"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
)

// processStart approximates when the process began, for SKIFF_BENCH timings:
// package variables are initialised before main runs.
var processStart = time.Now()

// Automation drives the window without a person, for bench/gui.sh and the
// screenshot in docs/ (AutomationFromEnv fills it from SKIFF_BENCH_*
// variables). The download goes through the same path as a click:
// Transfers, the queue, its events and the queue pane.
type Automation struct {
	// Download is a remote folder queued for download as soon as the first
	// remote listing is on screen.
	Download string
	// Into is the local folder it is downloaded into; "" means the local
	// pane's folder.
	Into string
	// OnQueueDone is called once, when after Download nothing is queued or
	// running any more, with the time since it was queued.
	OnQueueDone func(elapsed time.Duration, done, failed int)
	// ScrollToEnd scrolls the remote file table to its last row right after
	// the first listing and reports how long the scroll took to lay out.
	ScrollToEnd bool
	OnScrolled  func(rows int, took time.Duration)
	// OnFirstRows is called once when the first remote listing is on
	// screen, with its number of entries.
	OnFirstRows func(n int)
	// Rate limits downloads and uploads, in bytes per second (0: none);
	// main gives it to the queue.
	Rate int64
	// CPUProfile, when set, is a file that receives a CPU profile (go tool
	// pprof) of the process from queueing Download to OnQueueDone, or,
	// without a Download, from building the window to the first rows.
	CPUProfile string
	// HeapProfile, when set, is a file that receives a heap profile (go
	// tool pprof -sample_index=inuse_space) when the first rows are on
	// screen, or, with a Download, when it is done.
	HeapProfile string

	stopListingProfile func()
}

// AutomationFromEnv reads the variables bench/gui.sh and the screenshot
// script set, or returns nil when none is set:
//
//   - SKIFF_BENCH=1 prints "SKIFF_BENCH window-up" and "first-rows" lines
//     on stderr, with the time since the process started;
//   - SKIFF_BENCH_DOWNLOAD, a remote folder to queue for download once
//     connected, into SKIFF_BENCH_INTO (default: the local pane's folder);
//   - SKIFF_BENCH_SCROLL=1 scrolls the remote table to its end;
//   - SKIFF_BENCH_QUIT quits a: "rows" once the first listing is on screen
//     and scrolled, "queue" once the download is done, or after a duration
//     such as "3s";
//   - SKIFF_RATE_LIMIT, bytes per second for the queue (the screenshot shows
//     a download in progress);
//   - SKIFF_BENCH_CPUPROFILE, a file for a CPU profile of the download
//     or, without one, of the launch up to the first rows;
//   - SKIFF_BENCH_HEAPPROFILE, a file for a heap profile at the first rows
//     or at the end of the download;
//   - SKIFF_BENCH_MEMORY=1 samples the resident set 10 times a second and
//     prints a "memory-peak" line when quitting: the peak and how it
//     splits between the Go runtime and the rest (memwatch.go).
//
// It hooks a's start to report when the window is up.
func AutomationFromEnv(getenv func(string) string, a fyne.App) *Automation {
	bench, dl, quit := getenv("SKIFF_BENCH") != "", getenv("SKIFF_BENCH_DOWNLOAD"), getenv("SKIFF_BENCH_QUIT")
	scroll, rate := getenv("SKIFF_BENCH_SCROLL") != "", getenv("SKIFF_RATE_LIMIT")
	prof, heap := getenv("SKIFF_BENCH_CPUPROFILE"), getenv("SKIFF_BENCH_HEAPPROFILE")
	mem := getenv("SKIFF_BENCH_MEMORY") != ""
	if !bench && dl == "" && !scroll && quit == "" && rate == "" && prof == "" && heap == "" && !mem {
		return nil
	}
	report := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "SKIFF_BENCH "+format+"\n", args...)
	}
	var watch *memWatch
	if mem {
		watch = startMemWatch(100 * time.Millisecond)
	}
	doQuit := func() {
		if watch != nil {
			report("%s", watch.Stop())
		}
		a.Quit()
	}
	// quitSoon lets the frame with the new rows be drawn before quitting.
	quitSoon := func() { time.AfterFunc(200*time.Millisecond, func() { fyne.Do(doQuit) }) }
	auto := &Automation{Download: dl, Into: getenv("SKIFF_BENCH_INTO"), ScrollToEnd: scroll, CPUProfile: prof, HeapProfile: heap,
		OnScrolled: func(rows int, d time.Duration) {
			report("scrolled rows=%d took=%.3fs", rows, d.Seconds())
			if quit == "rows" {
				quitSoon()
			}
		},
		OnQueueDone: func(d time.Duration, done, failed int) {
			report("queue-done done=%d failed=%d elapsed=%.3fs", done, failed, d.Seconds())
			if quit == "queue" {
				quitSoon()
			}
		}}
	if bench {
		a.Lifecycle().SetOnStarted(func() {
			report("window-up after=%.3fs unix_ms=%d", time.Since(processStart).Seconds(), time.Now().UnixMilli())
		})
		auto.OnFirstRows = func(n int) {
			report("first-rows n=%d after=%.3fs unix_ms=%d", n, time.Since(processStart).Seconds(), time.Now().UnixMilli())
		}
	}
	if d, err := time.ParseDuration(quit); err == nil {
		time.AfterFunc(d, func() { fyne.Do(doQuit) })
	}
	if n, err := strconv.ParseInt(rate, 10, 64); err == nil && n > 0 {
		auto.Rate = n
	}
	return auto
}

// RateLimit is a's Rate, or 0 when a is nil.
func (a *Automation) RateLimit() int64 {
	if a == nil {
		return 0
	}
	return a.Rate
}

// automate hooks a into the window.
func (w *Window) automate(a *Automation) {
	if a.Download == "" {
		a.stopListingProfile = a.startProfile(w.msgs.Error)
	}
	first := w.remote.OnFirstRows
	w.remote.OnFirstRows = func(n int) {
		if first != nil {
			first(n)
		}
		if a.OnFirstRows != nil {
			a.OnFirstRows(n)
		}
		if a.stopListingProfile != nil {
			a.stopListingProfile()
			a.stopListingProfile = nil
		}
		if a.Download == "" {
			a.writeHeapProfile(w.msgs.Error)
		}
		if a.ScrollToEnd {
			t0 := time.Now()
			w.remote.table.table.ScrollToBottom()
			if a.OnScrolled != nil {
				a.OnScrolled(w.remote.table.rows(), time.Since(t0))
			}
		}
		if a.Download == "" || w.opts.Transfers == nil {
			return
		}
		into := a.Into
		if into == "" {
			into = w.local.cwd
		}
		stopProfile := a.startProfile(w.msgs.Error)
		started := time.Now()
		w.opts.Transfers.Download(w.cfg, a.Download, into, path.Base(a.Download), true, -1)
		w.msgs.Status("Queued " + a.Download + " for download (automation)")
		reported := false
		prev := w.queue.OnChange
		w.queue.OnChange = func() {
			if prev != nil {
				prev()
			}
			queued, failed, done := w.queue.Counts()
			if reported || queued > 0 || done+failed == 0 {
				return
			}
			reported = true
			stopProfile()
			a.writeHeapProfile(w.msgs.Error)
			if a.OnQueueDone != nil {
				a.OnQueueDone(time.Since(started), done, failed)
			}
		}
	}
}

// startProfile starts the CPU profile a asks for and returns what stops it;
// errors go to report.
func (a *Automation) startProfile(report func(string)) (stop func()) {
	if a.CPUProfile == "" {
		return func() {}
	}
	f, err := os.Create(a.CPUProfile)
	if err == nil {
		if err = pprof.StartCPUProfile(f); err != nil {
			f.Close()
		}
	}
	if err != nil {
		report("CPU profile: " + err.Error())
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			report("CPU profile: " + err.Error())
		}
	}
}

// writeHeapProfile writes the heap profile a asks for, after a collection
// (so it shows what the rows keep alive); errors go to report.
func (a *Automation) writeHeapProfile(report func(string)) {
	if a.HeapProfile == "" {
		return
	}
	runtime.GC()
	f, err := os.Create(a.HeapProfile)
	if err == nil {
		err = pprof.WriteHeapProfile(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		report("heap profile: " + err.Error())
	}
}
