package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/mirror"
	"github.com/skiff-ftp/skiff/engine/queue"
)

func init() {
	register("sync", "copy only what is new or changed: skiff sync [flags] SOURCE TARGET", runSync)
}

// syncFlags are sync's own flags.
type syncFlags struct {
	dryRun, del, forceDelete bool
	twoWay                   bool
	sizeOnly, checksum       bool
	excludes                 stringList
	parallel                 int
	json                     bool
	tolerance                time.Duration
	tzOffset                 string
	maxDelete                float64
	retries                  int
}

// syncAction is one line of --json.
type syncAction struct {
	Action string `json:"action"`
	Path   string `json:"path"`
	Reason string `json:"reason"`
	Size   int64  `json:"size"`
	// After a run (not --dry-run): what became of it.
	State string `json:"state,omitempty"`
	Error string `json:"error,omitempty"`
}

func runSync(ctx context.Context, env Env, args []string) int {
	fs := flag.NewFlagSet("skiff sync", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var f syncFlags
	fs.BoolVar(&f.dryRun, "dry-run", false, "show the plan, change nothing")
	fs.BoolVar(&f.del, "delete", false, "delete what the source does not have (never after an incomplete scan)")
	fs.BoolVar(&f.twoWay, "two-way", false, "copy each side's changes since the last two-way sync to the other; changes on both sides are conflicts, left alone")
	fs.BoolVar(&f.forceDelete, "force-delete", false, "delete even more than --max-delete of the target's files")
	fs.Float64Var(&f.maxDelete, "max-delete", mirror.DefaultMaxDeleteShare*100, "refuse to delete more than this `percent` of the target's files")
	fs.BoolVar(&f.sizeOnly, "size-only", false, "compare sizes only, not times")
	fs.BoolVar(&f.checksum, "checksum", false, "compare same-size files by the server's checksum (HASH, XSHA256, ...)")
	fs.Var(&f.excludes, "exclude", "leave out paths or names matching this `glob` (repeatable; dir:GLOB folders only, file:GLOB files only)")
	fs.IntVar(&f.parallel, "parallel", engine.DefaultTransferConns, "connections at once (1-10)")
	fs.BoolVar(&f.json, "json", false, `print one JSON object per action: {"action","path","reason","size"}`)
	fs.DurationVar(&f.tolerance, "tolerance", 0, "times that differ by no more than this plus their precision are equal")
	fs.IntVar(&f.retries, "retries", queue.DefaultRetries, "retries after a temporary error")
	fs.StringVar(&f.tzOffset, "tz-offset", "", "the server's LIST times are this far ahead of UTC (e.g. 5h30m, -4h); uploads find it out themselves")
	cf := addConnFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: skiff sync [flags] SOURCE TARGET")
		fmt.Fprintln(fs.Output(), "  One side is a local folder, the other a URL (ftp://, ftpes://, ftps://, sftp://),")
		fmt.Fprintln(fs.Output(), "  or with --site a remote path written :PATH. The target is made to match the source:")
		fmt.Fprintln(fs.Output(), "  new and changed files are copied (with their times), nothing is deleted unless --delete.")
		fmt.Fprintln(fs.Output(), "  Exit status 0 only when the target matches the source at the end.")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(env, fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if len(pos) != 2 {
		fs.Usage()
		return 2
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(env.Stderr, "skiff sync: "+format+"\n", a...)
		return 2
	}
	if f.parallel < engine.MinTransferConns || f.parallel > engine.MaxTransferConns {
		return usage("--parallel must be 1-10")
	}
	if f.sizeOnly && f.checksum {
		return usage("--size-only and --checksum exclude each other")
	}
	if f.twoWay && f.checksum {
		return usage("--two-way compares each side with the last sync: --checksum does not apply")
	}
	if f.maxDelete <= 0 || f.maxDelete > 100 {
		return usage("--max-delete must be a percentage above 0")
	}
	isRemote := func(s string) bool {
		if cf.site != "" {
			return strings.HasPrefix(s, ":")
		}
		return strings.Contains(s, "://")
	}
	o := mirror.Options{Tolerance: f.tolerance, Excludes: f.excludes, Delete: f.del,
		MaxDeleteShare: f.maxDelete / 100, ForceDelete: f.forceDelete, TwoWay: f.twoWay}
	var rawRemote, local string
	switch {
	case isRemote(pos[1]) && !isRemote(pos[0]):
		o.Direction, local, rawRemote = mirror.Up, pos[0], pos[1]
	case isRemote(pos[0]) && !isRemote(pos[1]):
		o.Direction, rawRemote, local = mirror.Down, pos[0], pos[1]
	default:
		return usage("one of SOURCE and TARGET must be a local folder and the other remote")
	}
	for _, g := range f.excludes {
		if _, err := filepath.Match(g, ""); err != nil {
			return usage("--exclude %q: %v", g, err)
		}
	}
	switch {
	case f.sizeOnly:
		o.Criteria = mirror.SizeOnly
	case f.checksum:
		o.Criteria = mirror.Checksum
	}
	if cf.site != "" {
		rawRemote = strings.TrimPrefix(rawRemote, ":")
	}
	cfg, remote, err := cf.target(env, rawRemote)
	if err != nil {
		return usage("%v", err)
	}
	if f.tzOffset != "" {
		d, err := time.ParseDuration(f.tzOffset)
		if err != nil || d.Abs() > 24*time.Hour {
			return usage("--tz-offset %q: want a duration such as 5h30m or -4h", f.tzOffset)
		}
		cfg.TZOffset = d
	}
	if cfg.Protocol != engine.ProtocolSFTP && !strings.HasPrefix(remote, "/") {
		remote = "/" + remote
	}
	local, err = filepath.Abs(local)
	if err != nil {
		return usage("%v", err)
	}
	if f.twoWay {
		o.Direction = mirror.Up // the State's source is the local side
	}
	if fi, err := os.Stat(local); o.Direction == mirror.Up && (err != nil || !fi.IsDir()) {
		if err == nil {
			err = errors.New("not a folder")
		}
		return usage("%s: %v", local, err)
	}
	r := &syncRun{env: env, flags: f, cfg: cfg, debug: cf.debug, ref: redacted(rawRemote, cf.site)}
	return r.run(ctx, mirror.Sync{Local: local, Options: o,
		Remote: mirror.Remote{Config: cfg, Root: remote, Parallel: f.parallel}})
}

// redacted names the remote side for the queue without a password.
func redacted(raw, site string) string {
	if site != "" {
		return "site:" + site
	}
	if i := strings.Index(raw, "://"); i >= 0 {
		if j := strings.Index(raw[i+3:], "@"); j >= 0 {
			return raw[:i+3] + raw[i+3+j+1:]
		}
	}
	return raw
}

// fewDownloads is the most downloads a sync fsyncs one by one rather than
// by one sync of the file system at the end.
const fewDownloads = 64

// syncRun is one run of skiff sync.
type syncRun struct {
	env   Env
	flags syncFlags
	cfg   engine.Config
	debug bool
	ref   string
}

func (r *syncRun) fail(err error) int {
	reportError(r.env, "sync", err)
	return 1
}

func (r *syncRun) run(ctx context.Context, s mirror.Sync) int {
	logger := slog.New(slog.DiscardHandler)
	if r.debug {
		logger = slog.New(slog.NewTextHandler(r.env.Stderr, nil))
	}
	pool := engine.NewPool(dialer, engine.PoolOptions{Transfers: r.flags.parallel, Logger: logger})
	defer pool.Close()
	pool.SetLimit(r.cfg.Key(), r.flags.parallel)
	s.Remote.Pool = pool
	state, err := stateFile(s, r.cfg)
	if err != nil {
		return r.fail(err)
	}
	s.StateFile = state
	s.MayWrite = !r.flags.dryRun

	p, err := s.Plan(ctx)
	if err != nil {
		return r.fail(err)
	}
	r.cfg = s.Remote.Config // with what the plan learned of the server's clock
	for _, why := range append(s.Source().Problems, s.Target().Problems...) {
		fmt.Fprintf(r.env.Stderr, "skiff sync: warning: %s\n", why)
	}
	if p.DeleteRefused != "" {
		fmt.Fprintf(r.env.Stderr, "skiff sync: %s\n", p.DeleteRefused)
	}
	if r.flags.dryRun {
		r.print(p, nil, nil)
		if !p.Converges() {
			return 1
		}
		return 0
	}

	o := queue.Options{
		Config:      func(context.Context, engine.SiteKey, string) (engine.Config, error) { return r.cfg, nil },
		Parallel:    s.Transfers(), // more only where they pay: s.Scale
		Retries:     r.flags.retries,
		KeepModTime: true,
		Logger:      logger,
		Hold:        true,
	}
	// The queue fsyncs nothing (each fsync would wait on its session's
	// way from one file to the next); the downloads are put on disk at the
	// end: a few by fsyncs all at once, which the file system commits
	// together; many by one sync of the file system (as get -r does), which
	// on a busy disk also waits for everyone else's dirty pages.
	downloads := p.Count(mirror.Download)
	o.NoSync = true
	if r.flags.retries == 0 {
		o.Retries = queue.NoRetries
	}
	q, err := queue.New(pool, o)
	if err != nil {
		return r.fail(err)
	}
	queued, err := s.Enqueue(ctx, q, p, r.ref)
	if err != nil {
		q.Close()
		return r.fail(err)
	}
	stopScale := s.Scale(q, queued, o.Parallel)
	stopBar := (&transfer{env: r.env, flags: transferFlags{json: r.flags.json}}).progress(q)
	q.Start()
	werr := q.Wait(ctx)
	stopBar()
	stopScale()
	items := map[string]queue.Item{}
	for _, qd := range queued {
		if it, ok := q.Get(qd.ID); ok {
			items[qd.Action.Path] = it
		}
	}
	q.Close()
	if werr != nil {
		fmt.Fprintln(r.env.Stderr, "skiff sync: interrupted; run it again to continue")
		return 1
	}
	failed := s.Delete(ctx, p)
	record := func() error { return s.Record(p, items) }
	if r.flags.twoWay {
		record = func() error { return s.RecordTwoWay(ctx, p, items) }
	}
	if err := record(); err != nil {
		fmt.Fprintf(r.env.Stderr, "skiff sync: saving the sync state: %v\n", err)
	}
	ok := r.print(p, items, failed)
	if downloads > 0 {
		flush := func() error { return syncLocal(s.Local) }
		if downloads <= fewDownloads {
			flush = func() error { return syncFiles(items) }
		}
		err := flush()
		if err != nil {
			fmt.Fprintf(r.env.Stderr, "skiff sync: writing the files to disk: %v\n", err)
			return 1
		}
	}
	if !ok || !p.Converges() {
		return 1
	}
	return 0
}

// syncFiles fsyncs the downloaded files of items, all at once. A variable
// so tests can see what it syncs.
var syncFiles = func(items map[string]queue.Item) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, it := range items {
		if it.Direction != queue.Download || it.State != queue.Done {
			continue
		}
		wg.Go(func() {
			f, err := os.Open(it.Local)
			if err == nil {
				err = f.Sync()
				f.Close()
			}
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// print shows the plan (dry run) or its outcome, and says whether every
// action succeeded.
func (r *syncRun) print(p mirror.Plan, items map[string]queue.Item, failed map[string]error) bool {
	ok := true
	enc := json.NewEncoder(r.env.Stdout)
	counts := map[mirror.Kind]int{}
	for _, a := range p.Actions {
		line := syncAction{Action: a.Kind.String(), Path: a.Path, Reason: a.Reason, Size: a.Size}
		if items != nil {
			line.State = "done"
			if it, queued := items[a.Path]; queued && (a.Kind == mirror.Upload || a.Kind == mirror.Download) {
				line.State = it.State.String()
				if it.State != queue.Done {
					line.Error = it.Reason
				}
			} else if err := failed[a.Path]; err != nil && a.Kind == mirror.Delete {
				line.State, line.Error = "failed", err.Error()
			}
			if line.State != "done" {
				ok = false
			}
		}
		if a.Conflict {
			line.State = "conflict"
			if r.flags.twoWay {
				line.Action = "conflict"
			}
		}
		counts[a.Kind]++
		switch {
		case r.flags.json:
			enc.Encode(line)
		case line.Error != "":
			fmt.Fprintf(r.env.Stderr, "skiff sync: %s %s: %s: %s\n", a.Kind, a.Path, line.State, line.Error)
		case a.Conflict:
			fmt.Fprintf(r.env.Stderr, "skiff sync: %s: %s\n", a.Path, a.Reason)
		case a.Kind != mirror.Keep && items == nil:
			fmt.Fprintf(r.env.Stdout, "%-8s %s (%s)\n", a.Kind, a.Path, a.Reason)
		}
	}
	for _, u := range p.Undecided {
		fmt.Fprintf(r.env.Stderr, "skiff sync: %s: could not be compared\n", u)
	}
	if !r.flags.json {
		names := map[mirror.Kind][2]string{ // plan, outcome
			mirror.Upload: {"to upload", "uploaded"}, mirror.Download: {"to download", "downloaded"},
			mirror.Mkdir: {"folders to create", "folders created"}, mirror.Delete: {"to delete", "deleted"},
		}
		var parts []string
		for _, k := range []mirror.Kind{mirror.Upload, mirror.Download, mirror.Mkdir, mirror.Delete} {
			if counts[k] > 0 {
				n := names[k][0]
				if items != nil {
					n = names[k][1]
				}
				parts = append(parts, fmt.Sprintf("%d %s", counts[k], n))
			}
		}
		if len(parts) == 0 {
			parts = []string{"nothing to do"}
		}
		fmt.Fprintf(r.env.Stdout, "%s; %d unchanged\n", strings.Join(parts, ", "), counts[mirror.Keep])
	}
	return ok
}

// stateFile is where the sync state of this folder pair and site lives.
func stateFile(s mirror.Sync, cfg engine.Config) (string, error) {
	return mirror.StateFile(s.Options.Direction, s.Options.TwoWay, cfg.Key(), s.Remote.Root, s.Local)
}
