package ui

import (
	"context"
	"fmt"
	"image/color"
	"path"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
	"github.com/skiff-ftp/skiff/engine/mirror"
)

// The directory comparison (FileZilla's View ▸ Directory comparison): the
// rows of the two panes are coloured by how each file compares with the one
// of the same name on the other side. The decision is mirror.Compare's, the
// function `skiff sync` plans with, so the window and the command line never
// disagree about what differs. One level compares the two listings on
// screen; recursive scans both subtrees as a sync does (and asks the server
// where a listing is too coarse) and colours each folder by its contents.

// cmpState is how a row compares with the other side.
type cmpState uint8

const (
	cmpNone     cmpState = iota // not compared (a link, a folder in a one-level comparison)
	cmpSame                     // same size and time (or unchanged since the last sync)
	cmpOnlyHere                 // the other side has no such name
	cmpNewer                    // same size or not, this side's time is later
	cmpOlder                    // the other side's is later
	cmpDiffers                  // the sizes differ (a folder: something below differs)
)

var cmpNames = [...]string{"", "identical", "only here", "newer", "older", "different"}

func (s cmpState) String() string { return cmpNames[s] }

// cmpColors are the theme colours of the states: the row's background is
// the colour at cmpAlpha over the theme's background, so the text (the
// theme's foreground) stays readable in the light and the dark variant.
var cmpColors = map[cmpState]fyne.ThemeColorName{
	cmpOnlyHere: theme.ColorNameWarning,
	cmpNewer:    theme.ColorNameSuccess,
	cmpOlder:    theme.ColorNamePrimary,
	cmpDiffers:  theme.ColorNameError,
}

const cmpAlpha = 0x66

// cmpColor is the row background of a state; nil: none.
func cmpColor(s cmpState) color.Color {
	n, ok := cmpColors[s]
	if !ok {
		return nil
	}
	r, g, b, _ := theme.Color(n).RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: cmpAlpha}
}

// Sides of a comparison.
const (
	sideLocal = iota
	sideRemote
)

// cmpResult is one comparison: the two folders compared and each path's
// state on each side, by path below them.
type cmpResult struct {
	roots     [2]string
	states    [2]map[string]cmpState
	recursive bool
}

// stateOf is the state of name in the folders cwds show; cmpNone when the
// result does not cover them (the panes moved on, or one is disconnected).
func (r *cmpResult) stateOf(side int, cwds [2]string, name string) cmpState {
	if r == nil {
		return cmpNone
	}
	rel, ok := r.covers(cwds)
	if !ok {
		return cmpNone
	}
	return r.states[side][path.Join(rel, name)]
}

// covers says whether the panes' folders are the compared ones, or for a
// recursive comparison the same folder below each, and which.
func (r *cmpResult) covers(cwds [2]string) (rel string, ok bool) {
	l, ok0 := below(r.roots[sideLocal], cwds[sideLocal])
	rm, ok1 := below(r.roots[sideRemote], cwds[sideRemote])
	if !ok0 || !ok1 || l != rm || (!r.recursive && l != ".") {
		return "", false
	}
	return l, true
}

// below returns dir relative to root ("." for root itself) when dir is root
// or inside it.
func below(root, dir string) (string, bool) {
	if root == "" || dir == "" {
		return "", false
	}
	if dir == root {
		return ".", true
	}
	prefix := strings.TrimSuffix(root, "/") + "/"
	if rel, ok := strings.CutPrefix(dir, prefix); ok {
		return rel, true
	}
	return "", false
}

// cmpStates reads a plan from the local side (source) to the remote one
// (target), made without deletes, as the state of each path on each side.
// Folders on both sides are cmpSame here; foldStates decides them.
func cmpStates(p mirror.Plan) [2]map[string]cmpState {
	st := [2]map[string]cmpState{{}, {}}
	for _, a := range p.Actions {
		l, r := a.Src.Path != "", a.Dst.Path != ""
		set := func(ls, rs cmpState) { st[sideLocal][a.Path], st[sideRemote][a.Path] = ls, rs }
		switch {
		case l && !r:
			st[sideLocal][a.Path] = cmpOnlyHere
		case r && !l:
			st[sideRemote][a.Path] = cmpOnlyHere
		case !l && !r:
		case a.Src.Dir != a.Dst.Dir:
			set(cmpDiffers, cmpDiffers)
		case a.Src.Dir:
			set(cmpSame, cmpSame)
		case a.Kind == mirror.Keep && !a.Conflict:
			set(cmpSame, cmpSame)
		case a.Kind == mirror.Keep: // the target is newer: left alone
			set(cmpOlder, cmpNewer)
		case a.Src.Size >= 0 && a.Dst.Size >= 0 && a.Src.Size != a.Dst.Size:
			set(cmpDiffers, cmpDiffers)
		case a.Src.Time.Known() && a.Dst.Time.Known() && a.Src.Time.T.After(a.Dst.Time.T):
			set(cmpNewer, cmpOlder)
		default: // same size, a time missing: cannot say which
			set(cmpDiffers, cmpDiffers)
		}
	}
	return st
}

// foldStates makes each folder present on both sides cmpDiffers when
// anything below it is not identical.
func foldStates(st [2]map[string]cmpState) {
	for side := range st {
		for p, s := range st[side] {
			if s == cmpSame || s == cmpNone {
				continue
			}
			for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
				for k := range st {
					if st[k][d] == cmpSame {
						st[k][d] = cmpDiffers
					}
				}
			}
		}
	}
}

// compareTrees compares a local tree with a remote one as a sync from the
// local side would, without deletes, deciding what a listing cannot
// (Final).
func compareTrees(local, remote mirror.Tree, state mirror.State) mirror.Plan {
	return mirror.Compare(local, remote, mirror.Options{Direction: mirror.Up, Final: true, State: state})
}

// entryTree turns a listing into a Tree of its files and folders (links
// are not compared: a sync does not follow them).
func entryTree(es []listing.Entry, local bool) mirror.Tree {
	t := mirror.NewTree()
	for _, e := range es {
		if e.Type == listing.Link || e.Name == "" || e.Name == "." || e.Name == ".." {
			continue
		}
		f := mirror.File{Path: e.Name, Dir: e.IsDir(), Size: e.Size}
		switch {
		case f.Dir:
			f.Size = -1
		case local:
			f.Time = mirror.Time{T: e.ModTime.UTC(), Precision: mirror.PrecisionLocal, Source: mirror.SourceLocal}
		default:
			// With Final the plan decides by the precision alone, so the
			// source of a precise time does not matter here.
			f.Time = mirror.RemoteTime(e, mirror.SourceMLSD)
		}
		t.Add(f)
	}
	return t
}

// compareListings compares the two folders on screen, one level: a folder
// on both sides is not coloured (nothing is known of its contents) and
// never hidden.
func compareListings(local, remote []listing.Entry, cwds [2]string) *cmpResult {
	st := cmpStates(compareTrees(entryTree(local, true), entryTree(remote, false), nil))
	for _, e := range local {
		if e.IsDir() && st[sideRemote][e.Name] == cmpSame {
			st[sideLocal][e.Name], st[sideRemote][e.Name] = cmpNone, cmpNone
		}
	}
	return &cmpResult{roots: cwds, states: st}
}

// comparisonOf builds a recursive result from a sync's plan.
func comparisonOf(p mirror.Plan, cwds [2]string) *cmpResult {
	st := cmpStates(p)
	foldStates(st)
	return &cmpResult{roots: cwds, states: st, recursive: true}
}

// panePair is the local and the remote pane of one connection and what
// links them: the directory comparison and synchronized browsing.
type panePair struct {
	w             *Window
	local, remote *pane
	cmp           *comparison // nil: off
	follow        *follower   // nil: off
}

// pair returns the pair of the panes shown, made on first use: it then
// hooks both panes' OnChdir.
func (w *Window) pair() *panePair {
	if w.local.pair != nil {
		return w.local.pair
	}
	pp := &panePair{w: w, local: w.local, remote: w.remote}
	w.local.pair, w.remote.pair = pp, pp
	for _, p := range []*pane{w.local, w.remote} {
		prev := p.OnChdir
		p.OnChdir = func(dir string) {
			if prev != nil {
				prev(dir)
			}
			pp.shown(p, dir)
		}
	}
	return pp
}

func (pp *panePair) side(p *pane) int {
	if p == pp.remote {
		return sideRemote
	}
	return sideLocal
}

func (pp *panePair) cwds() [2]string { return [2]string{pp.local.cwd, pp.remote.cwd} }

// shown is called after a pane showed dir (a new folder or a refresh).
func (pp *panePair) shown(p *pane, dir string) {
	if pp.follow != nil {
		pp.follow.moved(p, dir)
	}
	if pp.cmp != nil {
		pp.cmp.shown(p, dir)
	}
}

// comparison is the directory comparison of a pair, while it is on.
type comparison struct {
	pp        *panePair
	hideSame  bool
	recursive bool
	res       *cmpResult
	last      [2]string // the folder each pane showed last
	gen       int       // of the recursive scans; stale results are dropped
	cancel    context.CancelFunc
	status    string
	// onStatus shows status changes (the comparison bar).
	onStatus func()
}

// shown recomputes after a pane moved: one level always (a refresh
// included); recursive when the panes left the compared trees, or a pane
// was refreshed (its folder shown again).
func (c *comparison) shown(p *pane, dir string) {
	side := c.pp.side(p)
	refreshed := c.last[side] == dir
	c.last[side] = dir
	if c.recursive && !refreshed && c.res != nil && c.res.recursive {
		if _, ok := c.res.covers(c.pp.cwds()); ok {
			c.apply()
			return
		}
	}
	c.update()
}

// update compares the folders the panes show.
func (c *comparison) update() {
	l, r := c.pp.local, c.pp.remote
	cwds := c.pp.cwds()
	c.last = cwds
	c.stop()
	switch {
	case l.list == nil || r.list == nil || cwds[0] == "" || cwds[1] == "":
		c.res = nil
		c.setStatus("Connect to a server to compare its folder with the local one.")
	case !c.recursive:
		c.res = compareListings(l.table.entries, r.table.entries, cwds)
		c.setStatus(c.summary())
	default:
		// Moving both panes (by hand, or by synchronized browsing) is
		// two moves: scan once, after the second.
		gen := c.gen
		c.res = nil
		c.setStatus("Comparing " + cwds[sideLocal] + " with " + cwds[sideRemote] + " and every folder below…")
		time.AfterFunc(scanDelay, func() {
			do(func() {
				if gen == c.gen && c.pp.cmp == c {
					c.scan(c.pp.cwds())
				}
			})
		})
	}
	c.apply()
}

// scanDelay is how long a recursive comparison waits for the other pane
// to move too.
const scanDelay = 300 * time.Millisecond

// scan compares the two subtrees in the background, as a sync would.
func (c *comparison) scan(cwds [2]string) {
	w := c.pp.w
	s, release, err := w.newSync(cwds[sideLocal], cwds[sideRemote], mirror.Options{Direction: mirror.Up})
	if err != nil {
		c.res = nil
		c.setStatus("Cannot compare: " + plainError(err))
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	c.gen++
	gen := c.gen
	go func() {
		defer release()
		p, err := s.Plan(ctx)
		do(func() {
			if gen != c.gen || c.pp.cmp != c {
				return
			}
			c.cancel = nil
			if err != nil {
				c.res = nil
				c.setStatus("Cannot compare: " + plainError(err))
				w.msgs.Error("Directory comparison: " + plainError(err))
			} else {
				c.res = comparisonOf(p, cwds)
				msg := c.summary()
				if probs := append(s.Source().Problems, s.Target().Problems...); len(probs) > 0 {
					msg += "; incomplete: " + strings.Join(probs, "; ")
				}
				c.setStatus(msg)
			}
			c.apply()
		})
	}()
}

// stop cancels a recursive scan under way.
func (c *comparison) stop() {
	c.gen++
	if c.cancel != nil {
		c.cancel()
		c.cancel = nil
	}
}

// summary counts the states of the folder on screen.
func (c *comparison) summary() string {
	n := map[cmpState]int{}
	cwds := c.pp.cwds()
	for side, p := range []*pane{c.pp.local, c.pp.remote} {
		for i := range p.table.entries {
			s := c.res.stateOf(side, cwds, p.table.entries[i].Name)
			if s == cmpSame && side == sideRemote {
				continue // counted on the local side
			}
			n[s]++
		}
	}
	if n[cmpOnlyHere]+n[cmpNewer]+n[cmpOlder]+n[cmpDiffers] == 0 {
		return fmt.Sprintf("The folders are identical (%d files).", n[cmpSame])
	}
	var parts []string
	for _, s := range []cmpState{cmpOnlyHere, cmpNewer, cmpDiffers, cmpSame} {
		if n[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[s], s))
		}
	}
	return strings.Join(parts, ", ")
}

func (c *comparison) setStatus(s string) {
	c.status = s
	if c.onStatus != nil {
		c.onStatus()
	}
}

// apply colours (and with hideSame filters) both tables.
func (c *comparison) apply() {
	for side, p := range []*pane{c.pp.local, c.pp.remote} {
		p.table.tint = func(e *listing.Entry) color.Color {
			return cmpColor(c.res.stateOf(side, c.pp.cwds(), e.Name))
		}
		p.table.hide = func(e *listing.Entry) bool {
			return c.hideSame && c.res.stateOf(side, c.pp.cwds(), e.Name) == cmpSame
		}
		p.table.SetEntries(p.table.entries, p.table.up)
	}
}

// setCompare turns the directory comparison on or off.
func (w *Window) setCompare(on bool) {
	pp := w.pair()
	if on == (pp.cmp != nil) {
		return
	}
	if on {
		c := &comparison{pp: pp, onStatus: func() { w.sv.showStatus() }}
		c.hideSame, c.recursive = w.sv.hideSame.Checked, w.sv.recursive.Checked
		pp.cmp = c
		w.sv.bar.Show()
		c.update()
	} else {
		pp.cmp.stop()
		pp.cmp = nil
		for _, p := range []*pane{pp.local, pp.remote} {
			p.table.tint, p.table.hide = nil, nil
			p.table.SetEntries(p.table.entries, p.table.up)
		}
		w.sv.bar.Hide()
	}
	w.sv.compareItem.Checked = on
	w.sv.refreshMenu(w)
}

// syncView holds the window's controls of the comparison, synchronized
// browsing and synchronization: the comparison bar above the panes and
// the menu items that show a state.
type syncView struct {
	bar                 *fyne.Container
	legend              []*canvas.Rectangle
	hideSame, recursive *widget.Check
	status              *widget.Label
	compareItem         *fyne.MenuItem
	browseItem          *fyne.MenuItem
	dialog              *syncDialog // the Synchronize… dialog shown last
	w                   *Window
}

// newSyncView builds the comparison bar (hidden until the comparison is
// turned on) and the menu items.
func newSyncView(w *Window) *syncView {
	sv := &syncView{w: w, status: widget.NewLabel("")}
	sv.status.Truncation = fyne.TextTruncateEllipsis
	sv.hideSame = widget.NewCheck("Hide identical", func(on bool) {
		if c := w.pair().cmp; c != nil {
			c.hideSame = on
			c.apply()
		}
	})
	sv.recursive = widget.NewCheck("Recursive", func(on bool) {
		if c := w.pair().cmp; c != nil {
			c.recursive = on
			c.res = nil
			c.update()
		}
	})
	items := []fyne.CanvasObject{widget.NewLabelWithStyle("Comparison:", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	for _, s := range []cmpState{cmpOnlyHere, cmpNewer, cmpOlder, cmpDiffers} {
		r := canvas.NewRectangle(cmpColor(s))
		r.SetMinSize(fyne.NewSize(14, 14))
		r.StrokeColor = theme.Color(theme.ColorNameForeground)
		r.StrokeWidth = 0.5
		sv.legend = append(sv.legend, r)
		items = append(items, container.NewCenter(r), widget.NewLabel(s.String()))
	}
	items = append(items, widget.NewSeparator(), sv.hideSame, sv.recursive)
	closeBtn := widget.NewButtonWithIcon("", theme.WindowCloseIcon(), func() { w.setCompare(false) })
	closeBtn.Importance = widget.LowImportance
	sv.bar = container.NewBorder(nil, nil, container.NewHBox(items...), closeBtn, sv.status)
	sv.bar.Hide()
	sv.compareItem = fyne.NewMenuItem("Directory comparison", func() { w.setCompare(w.pair().cmp == nil) })
	sv.browseItem = fyne.NewMenuItem("Synchronized browsing", func() { w.setFollow(w.pair().follow == nil) })
	return sv
}

// showStatus shows the comparison's status and refreshes the legend's
// colours (the theme may have changed).
func (sv *syncView) showStatus() {
	c := sv.w.pair().cmp
	if c == nil {
		return
	}
	sv.status.SetText(c.status)
	states := []cmpState{cmpOnlyHere, cmpNewer, cmpOlder, cmpDiffers}
	for i, r := range sv.legend {
		r.FillColor = cmpColor(states[i])
		r.Refresh()
	}
}

// showPair shows the state of the pair on screen: the comparison bar
// and its ticks, the menu items' checks. Call it when other panes come on
// screen (another tab).
func (sv *syncView) showPair() {
	pp := sv.w.pair()
	sv.compareItem.Checked = pp.cmp != nil
	sv.browseItem.Checked = pp.follow != nil
	if c := pp.cmp; c != nil {
		// Set without OnChanged: a recursive comparison would scan again.
		sv.hideSame.Checked, sv.recursive.Checked = c.hideSame, c.recursive
		sv.hideSame.Refresh()
		sv.recursive.Refresh()
		sv.bar.Show()
		sv.showStatus()
	} else {
		sv.bar.Hide()
	}
	sv.refreshMenu(sv.w)
}

func (sv *syncView) refreshMenu(w *Window) {
	if m := w.win.MainMenu(); m != nil {
		m.Refresh()
	}
}

// newSync makes a mirror.Sync of a local folder and a remote one on the
// window's connection, with the pool it needs (release returns it).
func (w *Window) newSync(local, remote string, o mirror.Options) (*mirror.Sync, func(), error) {
	if !w.connected {
		return nil, nil, fmt.Errorf("not connected")
	}
	pool, release := w.opts.Pool, func() {}
	if pool == nil {
		if w.opts.Dialer == nil {
			return nil, nil, fmt.Errorf("no FTP engine is available in this build")
		}
		pool = engine.NewPool(w.opts.Dialer, engine.PoolOptions{Logger: w.log})
		release = func() { pool.Close() }
	}
	s := &mirror.Sync{Local: local, Options: o,
		Remote: mirror.Remote{Pool: pool, Config: w.cfg, Root: remote, Parallel: w.currentSettings().SiteConnections}}
	if st, err := mirror.StateFile(o.Direction, o.TwoWay, w.cfg.Key(), remote, local); err == nil {
		s.StateFile = st
	}
	return s, release, nil
}
