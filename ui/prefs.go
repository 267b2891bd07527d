package ui

import (
	"fyne.io/fyne/v2"
)

// Preference keys (Fyne preferences, per user).
const (
	prefLocalDir    = "local.dir"
	prefWidth       = "window.width"
	prefHeight      = "window.height"
	prefSplitMain   = "split.main"
	prefSplitPanes  = "split.panes"
	prefSplitLog    = "split.log"
	prefSplitTrees  = "split.trees" // tree above table, in both panes
	prefSortCol     = "sort.column"
	prefSortDesc    = "sort.desc"
	defaultWidth    = 1200
	defaultHeight   = 780
	minSplitOffset  = 0.05
	maxSplitOffsets = 0.95
)

// The default layout gives the height to the folder trees and the file
// tables: the message log and the queue keep a few lines each, in pixels,
// whatever the window's height (a user drags them larger when needed), and
// the tree takes defaultTreeShare of its pane. At 1280×800 that is 5 tree
// rows and 7 table rows; at 1920×1080, 9 and 12 (TestDefaultLayout).
const (
	defaultLogHeight   = 88  // three lines of the message log
	defaultQueueHeight = 150 // the queue's tabs and four transfers
	defaultTreeShare   = 0.4
)

// defaultSplits returns the offsets of the main split (panes and log above,
// queue below) and of the log split (log above the panes) that give the log
// and the queue their default heights in a window height tall.
func (w *Window) defaultSplits(height float32) (main, log float64) {
	// What is not the main split: the toolbar, the quick-connect bar and
	// the status bar, as the window's border layout sizes them.
	chrome := w.win.Content().MinSize().Height - w.mainSplit.MinSize().Height
	total := float64(height - chrome)
	if total < 2*(defaultLogHeight+defaultQueueHeight) {
		return 0.75, 0.15 // a small window: shares, not pixels
	}
	upper := total - defaultQueueHeight
	return upper / total, defaultLogHeight / upper
}

// restorePrefs applies the remembered window size, split positions, sort
// order and local folder.
func (w *Window) restorePrefs() {
	p := w.app.Preferences()
	height := float32(p.FloatWithFallback(prefHeight, defaultHeight))
	w.win.Resize(fyne.NewSize(float32(p.FloatWithFallback(prefWidth, defaultWidth)), height))
	split := func(s interface{ SetOffset(float64) }, key string, def float64) {
		v := p.FloatWithFallback(key, def)
		if v < minSplitOffset || v > maxSplitOffsets {
			v = def
		}
		s.SetOffset(v)
	}
	main, log := w.defaultSplits(height)
	split(w.mainSplit, prefSplitMain, main)
	split(w.panesSplit, prefSplitPanes, 0.5)
	split(w.logSplit, prefSplitLog, log)
	split(w.local.split, prefSplitTrees, defaultTreeShare)
	split(w.remote.split, prefSplitTrees, defaultTreeShare)
	col := column(p.IntWithFallback(prefSortCol, int(colName)))
	if col < 0 || col >= numColumns {
		col = colName
	}
	desc := p.Bool(prefSortDesc)
	for _, pn := range []*pane{w.local, w.remote} {
		pn.table.sortCol, pn.table.sortDesc = col, desc
		pn.table.OnSort = w.sortChanged
	}
	w.startLocal(p.String(prefLocalDir))
}

// sortChanged keeps both panes sorted alike and remembers the order.
func (w *Window) sortChanged(col column, desc bool) {
	for _, pn := range []*pane{w.local, w.remote} {
		if pn.table.sortCol != col || pn.table.sortDesc != desc {
			pn.table.SortBy(col, desc)
		}
	}
	p := w.app.Preferences()
	p.SetInt(prefSortCol, int(col))
	p.SetBool(prefSortDesc, desc)
}

// savePrefs remembers the window size and split positions.
func (w *Window) savePrefs() {
	p := w.app.Preferences()
	s := w.win.Canvas().Size()
	if s.Width > 100 && s.Height > 100 {
		p.SetFloat(prefWidth, float64(s.Width))
		p.SetFloat(prefHeight, float64(s.Height))
	}
	p.SetFloat(prefSplitMain, w.mainSplit.Offset)
	p.SetFloat(prefSplitPanes, w.panesSplit.Offset)
	p.SetFloat(prefSplitLog, w.logSplit.Offset)
	p.SetFloat(prefSplitTrees, w.remote.split.Offset)
}
