// Command skiff is a desktop FTP/FTPS client with a command line.
//
// main only wires: it parses the arguments (internal/cli), runs a subcommand
// or builds the app, the stores, the engine and the window, and exits.
package main

import (
	"context"
	_ "embed"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"syscall"
	"time"

	"fyne.io/fyne/v2/app"

	"github.com/skiff-ftp/skiff/assets"
	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
	enginedialer "github.com/skiff-ftp/skiff/engine/dialer"
	"github.com/skiff-ftp/skiff/engine/queue"
	"github.com/skiff-ftp/skiff/internal/cli"
	"github.com/skiff-ftp/skiff/internal/quietlocale"
	"github.com/skiff-ftp/skiff/internal/version"
	"github.com/skiff-ftp/skiff/ui"
)

//go:embed FyneApp.toml
var metadata []byte

func main() {
	quietlocale.Restore()
	version.Set(metadata)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	w, done, status := cli.Parse(ctx, os.Args[1:], cli.OSEnv())
	if done {
		stop()
		os.Exit(status)
	}
	os.Exit(runWindow(w))
}

// runWindow builds the app, the engine, the queue and the stores, opens the
// window as w says and returns the exit status when it closes.
func runWindow(w cli.Window) int {
	tuneGC()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a := app.NewWithID(version.AppID())
	a.SetIcon(assets.Icon)
	auto := ui.AutomationFromEnv(os.Getenv, a) // nil unless bench/gui.sh or the screenshot script runs

	dialer := enginedialer.Dialer{}
	pool := engine.NewPool(dialer, engine.PoolOptions{Logger: logger})
	defer pool.Close()

	bridge := ui.NewQueueBridge()
	// The window's queue keeps fsync (no NoSync, unlike the command line's
	// one-run queue): it lives for days and holds the user's work, so a
	// power cut should not lose it. It costs the transfers nothing measurable:
	// a 2,000-file download (bench/gui.sh) fsyncs ~160 times, 0.1 s in all
	// (median 0.4 ms), on the store's own goroutine; only Add and folder
	// expansions wait for a commit. With and without NoSync the benchmark ran
	// the same.
	qopts := queue.Options{Config: bridge.Config, Ask: bridge.Ask, Logger: logger,
		DownloadRate: auto.RateLimit(), UploadRate: auto.RateLimit()}
	if p, err := queue.DefaultPath(); err == nil && os.MkdirAll(filepath.Dir(p), 0o700) == nil {
		qopts.Path = p
	}
	q, err := queue.New(pool, qopts)
	if err != nil && qopts.Path != "" {
		// Another Skiff holds the queue file: keep this window's queue in memory.
		logger.Warn("transfer queue not persisted", "path", qopts.Path, "err", err)
		qopts.Path = ""
		q, err = queue.New(pool, qopts)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "skiff:", err)
		return 1
	}
	defer q.Close()
	bridge.Attach(q)

	opts := ui.Options{Dialer: dialer, Pool: pool, Transfers: bridge, URL: w.URL, Site: w.Site, Logger: logger, Auto: auto}
	if dir, err := bookmarks.DirFromEnv(os.Getenv); err == nil {
		if st, err := bookmarks.Open(dir); err == nil {
			st.Secrets = bookmarks.NewKeychain()
			opts.Sites = st
		} else {
			logger.Warn("site manager unavailable", "err", err)
		}
	}
	if w.Demo {
		stopDemo, servers, err := ui.StartDemo(context.Background())
		if err != nil {
			fmt.Fprintln(os.Stderr, "skiff: demo server:", err)
			return 1
		}
		defer stopDemo()
		opts.Connect, opts.Servers = &servers[0].Config, servers
	}
	ui.New(a, opts).ShowAndRun()
	return 0
}

// Memory tuning for the window (bench/gui.sh). A 100,000-entry listing is
// parsed, sorted and cached in one burst; with the default GOGC=100 its
// garbage lifts peak RSS by a third on top of Fyne's GL baseline. GOGC=40
// (25 since, below) and a soft limit of 64 MiB (or twice the live heap, for
// folders far bigger than that, so the collector never thrashes) kept the
// window within 1.2x of FileZilla's peak: 222 → 190 MiB. Environment
// settings win.
//
// The 64 MiB floor was the peak itself: at the 100,000 rows the Go runtime
// held 62-64 MiB, 14 of them freed spans kept resident (runtime/metrics,
// SKIFF_BENCH_MEMORY), with 32-42 MiB live. A 48 MiB floor returns them
// during the burst: peak RSS 185-188 → 174-180 MiB, for 0.05-0.1 s more of
// the collector's CPU (/cpu/classes/gc) and no more cycles (41-45).
//
// GOGC=25: most of what the window keeps live is static — Fyne's parsed
// fonts alone are 9-10 MB of the 15-17 MB live during a queued download
// (the system font for the user's language, which Fyne always loads, 6-7
// of them) — and GOGC's headroom is a share of all of it. 25 instead of 40
// took 3-5 MiB off the peak during bench/gui.sh's download and 2-4 MiB off
// the peak with 100,000 rows, with no change in either one's time.
const (
	windowGOGC     = 25
	softLimitFloor = 48 << 20 // bytes
)

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(windowGOGC)
	}
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(softLimit(0))
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for range time.Tick(2 * time.Second) {
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 {
				debug.SetMemoryLimit(softLimit(sample[0].Value.Uint64()))
			}
		}
	}()
}

// softLimit is the window's soft memory limit for a live heap of live bytes.
func softLimit(live uint64) int64 { return max(softLimitFloor, 2*int64(live)) }
