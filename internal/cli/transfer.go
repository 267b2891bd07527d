package cli

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/skiff-ftp/skiff/engine"
	enginedialer "github.com/skiff-ftp/skiff/engine/dialer"
	"github.com/skiff-ftp/skiff/engine/listing"
	"github.com/skiff-ftp/skiff/engine/queue"
)

func init() {
	register("get", "download a file or (with -r) a folder: skiff get [flags] URL [LOCAL]", runGet)
	register("put", "upload a file or (with -r) a folder: skiff put [flags] LOCAL URL", runPut)
}

// dialer opens the CLI's sessions; tests may replace it.
var dialer engine.Dialer = enginedialer.Dialer{}

func runGet(ctx context.Context, env Env, args []string) int {
	return runTransfer(ctx, env, queue.Download, args)
}

func runPut(ctx context.Context, env Env, args []string) int {
	return runTransfer(ctx, env, queue.Upload, args)
}

// transferFlags are get's and put's own flags.
type transferFlags struct {
	recursive bool
	parallel  int
	resume    bool
	overwrite string
	limitRate string
	json      bool
	retries   int
	verify    bool
	keepTime  bool
	ttype     string // --type
	ascii     bool   // --ascii: --type ascii
}

func runTransfer(ctx context.Context, env Env, dir queue.Direction, args []string) int {
	name := "get"
	if dir == queue.Upload {
		name = "put"
	}
	fs := flag.NewFlagSet("skiff "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var f transferFlags
	fs.BoolVar(&f.recursive, "r", false, "transfer a folder and everything in it")
	fs.IntVar(&f.parallel, "parallel", engine.DefaultTransferConns, "transfers at once (1-10)")
	fs.BoolVar(&f.resume, "resume", false, "continue an interrupted run: its partial (.part) files and the rest of its queue; without it a leftover .part is started over")
	fs.StringVar(&f.overwrite, "overwrite", "", "when the target exists: overwrite, newer, size, size-or-newer, resume, rename, skip, ask (default overwrite; resume with --resume)")
	fs.StringVar(&f.limitRate, "limit-rate", "", "maximum speed in bytes per second, with K, M or G suffix (e.g. 500K)")
	fs.BoolVar(&f.json, "json", false, "print one JSON object per file with its result")
	fs.IntVar(&f.retries, "retries", queue.DefaultRetries, "retries after a temporary error")
	fs.BoolVar(&f.verify, "verify", false, "compare the server's checksum (HASH, XSHA256, ...) when it offers one")
	fs.BoolVar(&f.keepTime, "keep-time", false, "keep the modification time (downloads; MFMT on uploads)")
	fs.StringVar(&f.ttype, "type", "binary", "FTP transfer type: binary (i), ascii (a: line ends converted, no resume) or auto (ascii for\n"+
		"text files by extension: "+strings.Join(engine.DefaultASCIIExtensions, " ")+"); SFTP is always binary")
	fs.BoolVar(&f.ascii, "ascii", false, "FTP: transfer in ASCII mode (--type ascii)")
	cf := addConnFlags(fs)
	fs.Usage = func() {
		if dir == queue.Download {
			fmt.Fprintln(fs.Output(), "Usage: skiff get [flags] URL [LOCAL]")
			fmt.Fprintln(fs.Output(), "  A file goes into LOCAL when it is a folder, else becomes LOCAL (default: its name here).")
			fmt.Fprintln(fs.Output(), "  With -r the folder's contents go into LOCAL (default: a folder of its name here).")
		} else {
			fmt.Fprintln(fs.Output(), "Usage: skiff put [flags] LOCAL URL")
			fmt.Fprintln(fs.Output(), "  A file goes into URL's folder when URL ends in / or names a folder, else becomes it.")
			fmt.Fprintln(fs.Output(), "  With -r the folder's contents go into URL's path.")
		}
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(env, fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	var rawURL, local string
	switch {
	case dir == queue.Download && (len(pos) == 1 || len(pos) == 2):
		rawURL = pos[0]
		if len(pos) == 2 {
			local = pos[1]
		}
	case dir == queue.Upload && len(pos) == 2:
		local, rawURL = pos[0], pos[1]
	default:
		fs.Usage()
		return 2
	}
	if f.parallel < engine.MinTransferConns || f.parallel > engine.MaxTransferConns {
		fmt.Fprintf(env.Stderr, "skiff %s: --parallel must be 1-10\n", name)
		return 2
	}
	rateBPS, err := parseRate(f.limitRate)
	if err != nil {
		fmt.Fprintf(env.Stderr, "skiff %s: %v\n", name, err)
		return 2
	}
	if f.overwrite == "" {
		f.overwrite = "overwrite"
		if f.resume {
			f.overwrite = "resume"
		}
	}
	policy, err := queue.ParseOverwrite(f.overwrite)
	if err != nil {
		fmt.Fprintf(env.Stderr, "skiff %s: %v\n", name, err)
		return 2
	}
	if policy == queue.Ask && !env.StdinIsTerminal {
		fmt.Fprintf(env.Stderr, "skiff %s: --overwrite=ask needs a terminal\n", name)
		return 2
	}
	if f.ascii {
		f.ttype = "ascii"
	}
	if _, err := engine.ParseTransferType(f.ttype); err != nil {
		fmt.Fprintf(env.Stderr, "skiff %s: --type: %v\n", name, err)
		return 2
	}
	cfg, remote, err := cf.target(env, rawURL)
	if err != nil {
		fmt.Fprintf(env.Stderr, "skiff %s: %v\n", name, err)
		return 2
	}
	t := &transfer{env: env, name: name, dir: dir, flags: f, policy: policy, rate: rateBPS, cfg: cfg, debug: cf.debug}
	return t.run(ctx, remote, local)
}

// transfer is one run of get or put.
type transfer struct {
	env    Env
	name   string
	dir    queue.Direction
	flags  transferFlags
	policy queue.Overwrite
	rate   int64
	cfg    engine.Config
	debug  bool
	askMu  sync.Mutex
	stdin  *bufio.Reader // answers to --overwrite=ask
}

func (t *transfer) fail(err error) int {
	reportError(t.env, t.name, err)
	return 1
}

func (t *transfer) run(ctx context.Context, remote, local string) int {
	// Thousands of small files allocate briskly: a lazier collector saves
	// CPU (GOGC 400), and a soft memory limit keeps peak RSS far under 64 MiB.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(32 << 20))
	logger := slog.New(slog.DiscardHandler)
	if t.debug {
		logger = slog.New(slog.NewTextHandler(t.env.Stderr, nil))
	}
	pool := engine.NewPool(dialer, engine.PoolOptions{Transfers: t.flags.parallel, Logger: logger})
	defer pool.Close()
	pool.SetLimit(t.cfg.Key(), t.flags.parallel)

	job, err := t.job(ctx, pool, remote, local)
	if err != nil {
		return t.fail(err)
	}
	dbPath, err := runDB(job)
	if err != nil {
		return t.fail(err)
	}
	if !t.flags.resume {
		os.Remove(dbPath)
	}
	o := queue.Options{
		Path:        dbPath,
		Config:      func(context.Context, engine.SiteKey, string) (engine.Config, error) { return t.cfg, nil },
		Parallel:    t.flags.parallel,
		Retries:     t.flags.retries,
		Verify:      t.flags.verify,
		KeepModTime: t.flags.keepTime,
		Logger:      logger,
		Hold:        true,
		NoSync:      true, // a run's queue must survive a kill, not a power cut
		Ask:         t.ask,
	}
	o.TransferType.Type, _ = engine.ParseTransferType(t.flags.ttype)
	o.TransferType.ASCIIExtensions = engine.DefaultASCIIExtensions
	if t.flags.retries == 0 {
		o.Retries = queue.NoRetries
	}
	if t.dir == queue.Download {
		o.DownloadRate = t.rate
	} else {
		o.UploadRate = t.rate
	}
	q, err := queue.New(pool, o)
	if err != nil {
		return t.fail(err)
	}
	if len(q.Items()) == 0 {
		if _, err := q.Add(job); err != nil {
			q.Close()
			return t.fail(err)
		}
	} else {
		q.RetryFailed()
		q.ResumeAll()
	}
	stopBar := t.progress(q)
	q.Start()
	werr := q.Wait(ctx)
	stopBar()
	items := q.Items()
	if cerr := q.Close(); cerr != nil {
		fmt.Fprintf(t.env.Stderr, "skiff %s: saving the queue: %v\n", t.name, cerr)
	}
	ok := t.report(items)
	if werr != nil {
		fmt.Fprintf(t.env.Stderr, "skiff %s: interrupted; run again with --resume to continue\n", t.name)
		return 1
	}
	if !ok {
		return 1
	}
	if t.dir == queue.Download {
		// The queue does not fsync each file (NoSync): one sync of the
		// file system puts them all on disk before exit 0 says done.
		if err := syncLocal(job.Local); err != nil {
			fmt.Fprintf(t.env.Stderr, "skiff %s: writing the files to disk: %v\n", t.name, err)
			return 1
		}
	}
	os.Remove(dbPath)
	return 0
}

// job works out what to transfer: a file or a folder, and where to.
func (t *transfer) job(ctx context.Context, pool *engine.Pool, remote, local string) (queue.Job, error) {
	// Without --resume a leftover .part may belong to another version of
	// the file: start it over rather than risk a mixed file.
	j := queue.Job{Direction: t.dir, Site: t.cfg.Key(), Policy: t.policy, Remote: remote, Local: local, Restart: !t.flags.resume}
	if t.dir == queue.Download {
		var st listing.Entry
		err := t.browse(ctx, pool, func(sess engine.Session) (err error) {
			st, err = sess.Stat(ctx, remote)
			if err == nil && !st.IsDir() && t.flags.recursive && !sess.Features().MLSD {
				st = t.parentSays(ctx, sess, remote, st)
			}
			return err
		})
		if err != nil && (!t.flags.recursive || !errors.Is(err, engine.ErrNotFound)) {
			return j, err
		}
		// A trailing slash means a folder whatever the server says of the
		// path: servers answer SIZE of a folder 213 4096 (or, hostile,
		// 213 1), and a folder taken for a file is a RETR that fails or
		// hangs. Without one, Stat decides by MLST or CWD, never by SIZE.
		j.Dir = err != nil || st.IsDir() || strings.HasSuffix(remote, "/")
		if j.Dir && !t.flags.recursive {
			return j, fmt.Errorf("%s is a folder (use -r)", remote)
		}
		if !j.Dir {
			j.Size, j.ModTime = st.Size, st.ModTime
		}
		// A folder's contents go into LOCAL, like lftp's mirror, so that the
		// target does not change once it exists (--resume finds its queue).
		// A file goes into LOCAL when that is a folder, else becomes LOCAL.
		base := path.Base(strings.TrimRight(remote, "/"))
		if local == "" || !j.Dir && isDirArg(local) {
			if base == "/" || base == "." {
				base = t.cfg.Host
			}
			if local == "" {
				local = "."
			}
			// The queue checks the name (the one gate for names from a
			// server or a URL) and writes inside LOCAL only.
			j.Local, j.Name = local, base
		}
		return j, nil
	}
	fi, err := os.Stat(local)
	if err != nil {
		return j, err
	}
	j.Dir = fi.IsDir()
	if j.Dir && !t.flags.recursive {
		return j, fmt.Errorf("%s is a folder (use -r)", local)
	}
	// A folder's contents go into the remote path (mirror -R); a file goes
	// into it when it names a folder.
	if j.Dir {
		return j, nil
	}
	if strings.HasSuffix(remote, "/") {
		j.Remote = path.Join(remote, filepath.Base(local))
		return j, nil
	}
	var st listing.Entry
	var serr error
	err = t.browse(ctx, pool, func(sess engine.Session) error {
		st, serr = sess.Stat(ctx, remote)
		if engine.IsTemporary(serr) {
			return serr
		}
		return nil // a missing target is what an upload usually meets
	})
	if err != nil {
		return j, err
	}
	if serr == nil && st.IsDir() {
		j.Remote = path.Join(remote, filepath.Base(local))
	}
	return j, nil
}

// parentSays is the verdict on a path that -r names and Stat called a
// file without MLST, that is by SIZE after a refused CWD: the parent's
// listing decides. -r means a folder, and SIZE alone (213 4096, or a
// hostile 213 1) never overrides it; a parent that lists the name as a
// file, or cannot be listed, leaves Stat's verdict.
func (t *transfer) parentSays(ctx context.Context, sess engine.Session, remote string, st listing.Entry) listing.Entry {
	entries, err := sess.List(ctx, path.Dir(remote))
	if err != nil {
		return st
	}
	for _, e := range entries {
		if e.Name == path.Base(remote) {
			if e.IsDir() {
				st.Type = listing.Dir
			}
			return st
		}
	}
	return st
}

// firstRetryDelay is the first wait before the run's first connection is
// tried again (doubling, as the queue's retries do).
var firstRetryDelay = queue.DefaultRetryDelay

// browse runs f on a browsing session: the run's first contact with the
// server. A temporary failure (a connection refused or reset, a TLS
// handshake cut short, 421) is tried again up to --retries times with
// doubling back-off, as the queue does for each file; a refused login and
// anything else permanent is not.
func (t *transfer) browse(ctx context.Context, pool *engine.Pool, f func(engine.Session) error) error {
	delay := firstRetryDelay
	for n := 0; ; n++ {
		sess, err := pool.Acquire(ctx, t.cfg, engine.Browse)
		if err == nil {
			err = f(sess)
			pool.Release(sess)
		}
		if err == nil || ctx.Err() != nil || !engine.IsTemporary(err) || n >= t.flags.retries {
			return err
		}
		if t.debug {
			fmt.Fprintf(t.env.Stderr, "skiff %s: %v; trying again in %s\n", t.name, err, delay)
		}
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
		delay *= 2
	}
}

// isDirArg reports whether a LOCAL argument names a folder: an existing one,
// or one written with a trailing separator.
func isDirArg(local string) bool {
	if strings.HasSuffix(local, string(filepath.Separator)) || strings.HasSuffix(local, "/") {
		return true
	}
	fi, err := os.Stat(local)
	return err == nil && fi.IsDir()
}

// runDB is the queue file of one run, named after what it transfers, so
// that --resume finds it again and separate runs never share one.
func runDB(j queue.Job) (string, error) {
	dir, err := queue.DataDir()
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(j.Local)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(fmt.Appendf(nil, "%s\x00%+v\x00%s\x00%s", j.Direction, j.Site, j.Remote, abs))
	return filepath.Join(dir, "cli", hex.EncodeToString(h[:8])+".db"), nil
}

// ask prompts on the terminal for --overwrite=ask.
func (t *transfer) ask(ctx context.Context, c queue.Conflict) queue.Answer {
	t.askMu.Lock()
	defer t.askMu.Unlock()
	target := c.Item.Local
	if c.TargetRemote {
		target = c.Item.Remote
	}
	fmt.Fprintf(t.env.Stderr, "%s exists (%d bytes, source %d bytes). [o]verwrite [s]kip [r]esume re[n]ame (upper case: for all)? ", target, c.TargetSize, c.SourceSize)
	if t.stdin == nil {
		t.stdin = bufio.NewReader(t.env.Stdin)
	}
	line, _ := t.stdin.ReadString('\n')
	line = strings.TrimSpace(line)
	a := queue.Answer{Policy: queue.Skip}
	if line == "" {
		return a
	}
	a.All = strings.ToUpper(line) == line
	switch strings.ToLower(line)[0] {
	case 'o':
		a.Policy = queue.Replace
	case 'r':
		a.Policy = queue.Resume
	case 'n':
		a.Policy = queue.Rename
	}
	return a
}

// result is one line of --json output.
type result struct {
	Direction string `json:"direction"`
	Remote    string `json:"remote"`
	Local     string `json:"local"`
	State     string `json:"state"`
	Size      int64  `json:"size"`
	Bytes     int64  `json:"bytes"`
	Attempts  int    `json:"attempts"`
	Reason    string `json:"reason,omitempty"`
	Code      int    `json:"code,omitempty"`
}

// report prints the outcome and says whether every file was transferred
// (skipped by the overwrite policy counts as fine, a refused name does not).
func (t *transfer) report(items []queue.Item) bool {
	ok := true
	enc := json.NewEncoder(t.env.Stdout)
	paused := map[string]int{} // items held for one reason (a full disk): one line each
	for _, it := range items {
		bad := it.State == queue.Failed || it.State == queue.Queued || it.State == queue.Running || it.State == queue.Paused ||
			it.State == queue.Skipped && it.Reason != "target exists"
		if bad {
			ok = false
		}
		switch {
		case t.flags.json && !it.Dir:
			enc.Encode(result{it.Direction.String(), it.Remote, it.Local, it.State.String(), it.Size, it.Bytes, it.Attempts, it.Reason, it.Code})
		case it.State == queue.Paused:
			paused[it.Reason]++
		case bad && it.State != queue.Queued && it.State != queue.Running:
			printError(t.env.Stderr, fmt.Sprintf("skiff %s: %s %s: ", t.name, it.State, it.Remote), it.Reason)
		case it.State == queue.Done && it.Reason != "" && !it.Dir:
			// Done, with something to know: started over because the
			// server cannot resume, not verified, saved under a safe name.
			printError(t.env.Stderr, fmt.Sprintf("skiff %s: note: %s: ", t.name, it.Remote), it.Reason)
		}
	}
	for _, reason := range slices.Sorted(maps.Keys(paused)) {
		n, noun := paused[reason], "items"
		if n == 1 {
			noun = "item"
		}
		fmt.Fprintf(t.env.Stderr, "skiff %s: %d %s not transferred: %s\n", t.name, n, noun, reason)
	}
	if len(paused) > 0 {
		fmt.Fprintf(t.env.Stderr, "skiff %s: run the same command with --resume to continue\n", t.name)
	}
	return ok
}

// progress shows a bar on a terminal; it returns the function that stops it.
func (t *transfer) progress(q *queue.Queue) func() {
	if !t.env.StdoutIsTerminal || t.flags.json {
		return func() {}
	}
	bar := progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(t.env.Stdout),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			var total, bytes int64
			var files, finished int
			for _, it := range q.Items() {
				if it.Dir {
					continue
				}
				files++
				if it.State.Finished() {
					finished++
				}
				total += max(it.Size, 0)
				bytes += it.Bytes
				if it.State == queue.Done {
					bytes += max(it.Size, 0) - it.Bytes
				}
			}
			bar.ChangeMax64(max(total, 1))
			bar.Describe(fmt.Sprintf("%d/%d files", finished, files))
			bar.Set64(bytes)
			select {
			case <-done:
				bar.Finish()
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); <-stopped }
}

// parseInterleaved parses flags that may come before, between or after the
// positional arguments, and returns the positional ones.
func parseInterleaved(env Env, fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(env, fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// parseRate parses curl's --limit-rate: bytes per second with an optional
// K, M or G suffix (powers of 1024). "" and "0" mean unlimited.
func parseRate(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	mult := 1.0
	switch strings.ToUpper(s[len(s)-1:]) {
	case "K":
		mult = 1 << 10
	case "M":
		mult = 1 << 20
	case "G":
		mult = 1 << 30
	}
	num := s
	if mult != 1 {
		num = s[:len(s)-1]
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("bad --limit-rate %q (want e.g. 500K, 2M)", s)
	}
	return int64(v * mult), nil
}
