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

// restorePrefs applies the remembered window size, split positions, sort
// order and local folder.
func (w *Window) restorePrefs() {
	p := w.app.Preferences()
	w.win.Resize(fyne.NewSize(
		float32(p.FloatWithFallback(prefWidth, defaultWidth)),
		float32(p.FloatWithFallback(prefHeight, defaultHeight))))
	split := func(s interface{ SetOffset(float64) }, key string, def float64) {
		v := p.FloatWithFallback(key, def)
		if v < minSplitOffset || v > maxSplitOffsets {
			v = def
		}
		s.SetOffset(v)
	}
	// The file tables and trees get the height; the log and the queue
	// keep a few lines each (a user drags them larger when needed).
	split(w.mainSplit, prefSplitMain, 0.8)
	split(w.panesSplit, prefSplitPanes, 0.5)
	split(w.logSplit, prefSplitLog, 0.14)
	split(w.local.split, prefSplitTrees, 0.35)
	split(w.remote.split, prefSplitTrees, 0.35)
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
