package ui

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

// searchCriteria is what a remote search looks for. Every criterion given
// must hold; a folder is found by its name and date only (a size
// criterion finds files alone).
type searchCriteria struct {
	Pattern       string // substring of the name, or a glob on it when it has * or ?; "": any
	CaseSensitive bool
	MinSize       int64     // bytes; -1: none
	MaxSize       int64     // bytes; -1: none
	Newer         time.Time // modified at or after; zero: none
	Older         time.Time // modified before; zero: none
}

// match reports whether e meets the criteria.
func (c searchCriteria) match(e *listing.Entry) bool {
	if c.Pattern != "" {
		name, pat := e.Name, c.Pattern
		if !c.CaseSensitive {
			name, pat = strings.ToLower(name), strings.ToLower(pat)
		}
		if strings.ContainsAny(pat, "*?") {
			if ok, _ := path.Match(pat, name); !ok {
				return false
			}
		} else if !strings.Contains(name, pat) {
			return false
		}
	}
	if c.MinSize >= 0 || c.MaxSize >= 0 {
		if e.IsDir() || e.Size < 0 || c.MinSize >= 0 && e.Size < c.MinSize || c.MaxSize >= 0 && e.Size > c.MaxSize {
			return false
		}
	}
	if !c.Newer.IsZero() && (e.ModTime.IsZero() || e.ModTime.Before(c.Newer)) {
		return false
	}
	if !c.Older.IsZero() && (e.ModTime.IsZero() || !e.ModTime.Before(c.Older)) {
		return false
	}
	return true
}

// searchParallel is how many folders a search lists at once when the
// site's transfer limit is not known.
const searchParallel = 2

// searchStats counts what a search did.
type searchStats struct {
	Folders int      // folders listed
	Failed  []string // folders that could not be listed, with why
}

// searchRemote lists root and every folder below it, parallel folders at
// a time (as engine/mirror's scan does), and reports the entries that
// match c as it goes: found gets each folder's matches, their Name the
// path below root, from the lister's goroutines one call at a time. Links
// are not followed (a link to a folder above would never end). A folder
// that cannot be listed is counted and the search goes on; the root's
// failure, or ctx's end, is the error.
func searchRemote(ctx context.Context, list lister, root string, parallel int, c searchCriteria, found func([]listing.Entry)) (searchStats, error) {
	var (
		st  searchStats
		mu  sync.Mutex // st, found
		wg  sync.WaitGroup
		sem = make(chan struct{}, max(parallel, 1))
	)
	var visit func(rel string) error
	visit = func(rel string) error {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		es, err := list(ctx, path.Join(root, rel))
		<-sem
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if ctx.Err() == nil {
				st.Failed = append(st.Failed, fmt.Sprintf("%s: %v", path.Join(root, rel), plainError(err)))
			}
			return err
		}
		st.Folders++
		var hits []listing.Entry
		for _, e := range es {
			if e.Name == "." || e.Name == ".." || strings.ContainsRune(e.Name, '/') {
				continue
			}
			p := path.Join(rel, e.Name)
			if c.match(&e) {
				e.Name = p
				hits = append(hits, e)
			}
			if e.Type == listing.Dir {
				wg.Go(func() { visit(p) })
			}
		}
		if len(hits) > 0 && ctx.Err() == nil {
			found(hits)
		}
		return nil
	}
	err := visit(".")
	wg.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return st, err
}

// parseSize reads "1500", "10K", "2.5 MB", "1 GiB" as bytes (K = 1024);
// "" is -1 (no limit).
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(strings.ToUpper(s))
	if s == "" {
		return -1, nil
	}
	mult := int64(1)
	s = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(s, "B"), "I"), " ")
	for i, u := range "KMGT" {
		if rest, ok := strings.CutSuffix(s, string(u)); ok {
			s, mult = strings.TrimSpace(rest), int64(1)<<(10*(i+1))
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("not a size: %q (say 1500, 10K, 2.5M or 1G)", s)
	}
	return int64(f * float64(mult)), nil
}

// parseDay reads "2026-01-02" (local time); "" is the zero time.
func parseDay(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, time.Local)
	if err != nil {
		return t, fmt.Errorf("not a date: %q (say 2026-01-31)", s)
	}
	return t, nil
}

// searchDialog is Server ▸ Search remote files… (FileZilla's binoculars):
// the criteria, Search/Stop, the results as they stream in with a count,
// and Download and Open folder for the selected results.
type searchDialog struct {
	w    *Window
	root string // the remote folder searched below
	list lister // lists a remote folder, over the pool's transfer connections when there is one
	par  int    // folders listed at once

	pattern    *widget.Entry
	caseSens   *widget.Check
	minSize    *widget.Entry
	maxSize    *widget.Entry
	newer      *widget.Entry
	older      *widget.Entry
	start      *widget.Button
	stop       *widget.Button
	download   *widget.Button
	openFolder *widget.Button
	count      *widget.Label
	results    *fileTable
	d          dialog.Dialog

	cancel  context.CancelFunc // of the running search; nil when none
	gen     int                // search generation: a stopped search's late results are dropped
	pending []listing.Entry    // results not on screen yet (guarded by pendMu)
	pendMu  sync.Mutex
	found   int
	running bool
	// done is closed when the running search has ended (tests).
	done chan struct{}
}

// showSearch opens the search dialog below the remote folder shown.
func (w *Window) showSearch() {
	if !w.connected || w.remote.cwd == "" {
		w.showError("Search remote files", errNotConnected)
		return
	}
	sd := &searchDialog{w: w, root: w.remote.cwd, list: w.conn.list, par: 1}
	if pool := w.opts.Pool; pool != nil {
		// Transfer connections, as engine/mirror's scan: the browsing
		// connection stays the user's while the search runs.
		cfg := w.cfg
		sd.par = max(pool.Limit(cfg.Key()), searchParallel)
		sd.list = func(ctx context.Context, dir string) ([]listing.Entry, error) {
			sess, err := pool.Acquire(ctx, cfg, engine.Transfer)
			if err != nil {
				return nil, err
			}
			defer pool.Release(sess)
			return sess.List(ctx, dir)
		}
	}
	sd.build()
	w.search = sd
	sd.d.Show()
	w.win.Canvas().Focus(sd.pattern)
}

func (sd *searchDialog) build() {
	sd.pattern = widget.NewEntry()
	sd.pattern.SetPlaceHolder("Part of the name, or a glob: *.log")
	sd.pattern.OnSubmitted = func(string) { sd.run() }
	sd.caseSens = widget.NewCheck("Case sensitive", nil)
	sd.minSize, sd.maxSize = widget.NewEntry(), widget.NewEntry()
	sd.minSize.SetPlaceHolder("e.g. 10K")
	sd.maxSize.SetPlaceHolder("e.g. 2M")
	sd.newer, sd.older = widget.NewEntry(), widget.NewEntry()
	sd.newer.SetPlaceHolder("YYYY-MM-DD")
	sd.older.SetPlaceHolder("YYYY-MM-DD")
	sd.start = widget.NewButtonWithIcon("Search", theme.SearchIcon(), sd.run)
	sd.start.Importance = widget.HighImportance
	sd.stop = widget.NewButtonWithIcon("Stop", theme.MediaStopIcon(), sd.Stop)
	sd.stop.Disable()
	sd.download = widget.NewButtonWithIcon("Download", theme.DownloadIcon(), sd.downloadSelected)
	sd.openFolder = widget.NewButtonWithIcon("Open folder", theme.FolderOpenIcon(), sd.openSelected)
	sd.count = widget.NewLabel("Searching below " + sd.root)
	sd.count.Truncation = fyne.TextTruncateEllipsis
	sd.results = newFileTable()
	sd.results.table.SetColumnWidth(int(colName), 420)
	sd.results.table.SetColumnWidth(int(colModified), 170)
	sd.results.OnActivate = func(e *listing.Entry) {
		if e != nil {
			sd.open(e)
		}
	}
	sd.results.OnSelect = sd.updateButtons
	sd.updateButtons()

	label := func(s string) *widget.Label { return widget.NewLabel(s) }
	criteria := container.NewVBox(
		container.NewBorder(nil, nil, label("Name:"), sd.caseSens, sd.pattern),
		container.NewGridWithColumns(4,
			container.NewBorder(nil, nil, label("Size at least:"), nil, sd.minSize),
			container.NewBorder(nil, nil, label("at most:"), nil, sd.maxSize),
			container.NewBorder(nil, nil, label("Modified from:"), nil, sd.newer),
			container.NewBorder(nil, nil, label("before:"), nil, sd.older)),
		container.NewBorder(nil, nil, nil, container.NewHBox(sd.start, sd.stop), sd.count),
	)
	actions := container.NewHBox(sd.download, sd.openFolder)
	content := container.NewBorder(criteria, actions, nil, nil, sd.results.table)
	sd.d = dialog.NewCustom("Search below "+sd.root, "Close", content, sd.w.win)
	sd.d.SetOnClosed(sd.Stop)
	sz := sd.w.win.Canvas().Size()
	sd.d.Resize(fyne.NewSize(max(sz.Width*0.85, 700), max(sz.Height*0.8, 480)))
}

// criteria reads the form.
func (sd *searchDialog) criteria() (searchCriteria, error) {
	c := searchCriteria{Pattern: strings.TrimSpace(sd.pattern.Text), CaseSensitive: sd.caseSens.Checked}
	var errs []error
	var err error
	c.MinSize, err = parseSize(sd.minSize.Text)
	errs = append(errs, err)
	c.MaxSize, err = parseSize(sd.maxSize.Text)
	errs = append(errs, err)
	c.Newer, err = parseDay(sd.newer.Text)
	errs = append(errs, err)
	c.Older, err = parseDay(sd.older.Text)
	errs = append(errs, err)
	return c, errors.Join(errs...)
}

// run starts a search with the form's criteria; a running one is stopped.
func (sd *searchDialog) run() {
	c, err := sd.criteria()
	if err != nil {
		dialog.ShowError(err, sd.w.win)
		return
	}
	sd.Stop()
	ctx, cancel := context.WithCancel(context.Background())
	sd.cancel, sd.running, sd.found = cancel, true, 0
	sd.gen++
	gen := sd.gen
	done := make(chan struct{})
	sd.done = done
	sd.results.SetEntries(nil, false)
	sd.start.Disable()
	sd.stop.Enable()
	sd.count.SetText("Searching below " + sd.root + "…")
	flush := func() {
		sd.pendMu.Lock()
		batch := sd.pending
		sd.pending = nil
		sd.pendMu.Unlock()
		if gen != sd.gen || len(batch) == 0 {
			return
		}
		sd.found += len(batch)
		sd.results.appendEntries(batch)
		sd.count.SetText(fmt.Sprintf("%s found so far…", thousands(sd.found)))
	}
	// Results are put on screen on the refresh clock, not per folder: a
	// tree of 10,000 folders would otherwise queue 10,000 redraws.
	stopTick := make(chan struct{})
	go func() {
		for {
			select {
			case <-stopTick:
				return
			case <-time.After(refreshTick(refreshEvery)):
				do(flush)
			}
		}
	}()
	go func() {
		defer close(done)
		st, err := searchRemote(ctx, sd.list, sd.root, sd.par, c, func(es []listing.Entry) {
			sd.pendMu.Lock()
			sd.pending = append(sd.pending, es...)
			sd.pendMu.Unlock()
		})
		close(stopTick)
		do(func() {
			if gen != sd.gen {
				return
			}
			flush()
			sd.finished(st, err)
		})
	}()
}

// finished says how the search ended. UI goroutine.
func (sd *searchDialog) finished(st searchStats, err error) {
	sd.running, sd.cancel = false, nil
	sd.start.Enable()
	sd.stop.Disable()
	folders := "folders"
	if st.Folders == 1 {
		folders = "folder"
	}
	msg := fmt.Sprintf("%s found in %s %s", thousands(sd.found), thousands(st.Folders), folders)
	switch {
	case errors.Is(err, context.Canceled):
		msg = "Stopped: " + msg
	case err != nil && st.Folders == 0:
		msg = "Search failed: " + plainError(err)
	}
	if len(st.Failed) > 0 {
		msg += fmt.Sprintf("; %d could not be listed (%s)", len(st.Failed), st.Failed[0])
		for _, f := range st.Failed {
			sd.w.msgs.Error("Search: cannot list " + f)
		}
	}
	sd.count.SetText(msg)
}

// Stop cancels the running search; what it found stays.
func (sd *searchDialog) Stop() {
	if sd.cancel != nil {
		sd.cancel()
	}
}

func (sd *searchDialog) updateButtons() {
	n := len(sd.results.Selected())
	if n > 0 {
		sd.download.Enable()
	} else {
		sd.download.Disable()
	}
	if n == 1 {
		sd.openFolder.Enable()
	} else {
		sd.openFolder.Disable()
	}
}

// downloadSelected queues the selected results into the local folder
// shown, each under its own name (a folder as a folder job).
func (sd *searchDialog) downloadSelected() {
	sel := sd.results.Selected()
	w := sd.w
	if !w.connected || w.opts.Transfers == nil || w.local.cwd == "" {
		w.showError("Download", errNotConnected)
		return
	}
	w.batch(func() {
		for _, e := range sel {
			full := path.Join(sd.root, e.Name)
			w.opts.Transfers.Download(w.cfg, full, w.local.cwd, path.Base(full), e.IsDir(), e.Size)
		}
	})
	w.msgs.Status(fmt.Sprintf("Queued %d search result(s) for download to %s", len(sel), w.local.cwd))
}

// openSelected is Open folder: the remote pane shows the result's folder
// with the result selected, and the dialog closes.
func (sd *searchDialog) openSelected() {
	if sel := sd.results.Selected(); len(sel) == 1 {
		sd.open(sel[0])
	}
}

func (sd *searchDialog) open(e *listing.Entry) {
	full := path.Join(sd.root, e.Name)
	dir, name := path.Dir(full), path.Base(full)
	p := sd.w.remote
	prev := p.OnChdir
	p.OnChdir = func(d string) {
		p.OnChdir = prev
		if d == dir {
			p.table.SelectName(name)
		}
		if prev != nil {
			prev(d)
		}
	}
	sd.d.Hide()
	p.Open(dir)
}

// appendEntries adds es to the table, keeping the sort order and the
// selection (search results arriving while the user selects).
func (ft *fileTable) appendEntries(es []listing.Entry) {
	n := len(ft.entries)
	ft.entries = append(ft.entries, es...)
	for i := range es {
		ft.all = append(ft.all, int32(n+i))
	}
	ft.sortRows()
	ft.table.Refresh()
}
