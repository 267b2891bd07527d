package ui

import (
	"cmp"
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// qcol is a column of the queue tables (FileZilla's queue columns).
type qcol int

const (
	qcLocal qcol = iota
	qcDir
	qcRemote
	qcSize
	qcProgress
	qcSpeed
	qcLeft
	qcStatus
	numQCols
)

var qcolTitles = [numQCols]string{"Local file", "Direction", "Remote file", "Size", "Progress", "Speed", "Time left", "Status"}
var qcolWidths = [numQCols]float32{280, 70, 280, 80, 110, 90, 80, 300}

// prefQueueColumns remembers the queue's column widths (a FloatList).
const prefQueueColumns = "queue.columns"

// minQColWidth keeps a dragged column wide enough to grab again.
const minQColWidth = 24

// queueTable is the table of one queue tab. It reads its tab's rows of the
// pane, so a rebuild costs the cells on screen only. It skips refreshes
// while its tab is hidden, and Show refreshes it: AppTabs refreshes the
// content of every tab whenever a title changes, and the titles carry the
// counts, which change with nearly every rebuild during a transfer burst.
// Refreshing the two hidden tables as well tripled the text shaping of a
// rebuild.
type queueTable struct {
	widget.Table
	qp      *queuePane
	tab     int
	headers []*queueHeader
	last    float32 // the Status column's width on screen: stretched to the table's
}

func newQueueTable(qp *queuePane, tab int) *queueTable {
	t := &queueTable{qp: qp, tab: tab}
	t.Length = func() (int, int) { return len(qp.rows[tab]), int(numQCols) }
	t.CreateCell = func() fyne.CanvasObject { return newQueueCell(qp) }
	t.UpdateCell = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < len(qp.rows[tab]) {
			o.(*queueCell).set(qcol(id.Col), qp.rows[tab][id.Row], id.Row)
		}
	}
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		h := newQueueHeader(qp)
		t.headers = append(t.headers, h)
		return h
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		h := o.(*queueHeader)
		h.col = qcol(id.Col)
		if title := qp.headerTitle(h.col); h.label.Text != title {
			h.label.SetText(title)
		}
	}
	t.ExtendBaseWidget(t)
	t.applyWidths()
	return t
}

// applyWidths sets the pane's column widths, the last (Status) stretched
// to fill the table, as FileZilla's does.
func (t *queueTable) applyWidths() {
	pad := t.Theme().Size(theme.SizeNamePadding)
	used := float32(0)
	for c, w := range t.qp.widths[:qcStatus] {
		t.SetColumnWidth(c, w)
		used += w + pad
	}
	// Room for the vertical scroll bar, so the last column never makes
	// the table scroll sideways.
	avail := t.Size().Width - used - t.Theme().Size(theme.SizeNameScrollBar) - pad
	t.last = max(t.qp.widths[qcStatus], avail)
	t.SetColumnWidth(int(qcStatus), t.last)
}

func (t *queueTable) Resize(s fyne.Size) {
	if s == t.Size() {
		return
	}
	t.Table.Resize(s)
	t.applyWidths()
}

func (t *queueTable) Refresh() {
	if t.Visible() {
		t.Table.Refresh()
	}
}

// DragEnd ends a drag of a column divider: the new widths apply to every
// tab and are remembered.
func (t *queueTable) DragEnd() {
	t.Table.DragEnd()
	t.qp.columnsDragged(t)
}

// columnsDragged reads the widths of the columns on screen from t's header
// cells (Fyne keeps the widths to itself) and makes them the pane's.
func (qp *queuePane) columnsDragged(t *queueTable) {
	changed := false
	for _, h := range t.headers {
		if !h.Visible() || h.col < 0 || h.col >= numQCols {
			continue
		}
		w := h.Size().Width
		if h.col == qcStatus && w == t.last {
			continue // stretched, not dragged
		}
		if w >= minQColWidth && w != qp.widths[h.col] {
			qp.widths[h.col] = w
			changed = true
		}
	}
	if !changed {
		return
	}
	for _, o := range qp.tables {
		o.applyWidths()
	}
	if qp.app != nil {
		ws := make([]float64, len(qp.widths))
		for i, w := range qp.widths {
			ws[i] = float64(w)
		}
		qp.app.Preferences().SetFloatList(prefQueueColumns, ws)
	}
}

// restoreWidths reads the remembered column widths; a list of another
// length (another version's columns) is ignored.
func (qp *queuePane) restoreWidths() {
	qp.widths = qcolWidths
	if qp.app == nil {
		return
	}
	ws := qp.app.Preferences().FloatList(prefQueueColumns)
	if len(ws) != int(numQCols) {
		return
	}
	for i, w := range ws {
		if w >= minQColWidth && w < 5000 {
			qp.widths[i] = float32(w)
		}
	}
}

// headerTitle is a column's title with the sort indicator.
func (qp *queuePane) headerTitle(c qcol) string {
	title := qcolTitles[c]
	if c == qp.sortCol {
		if qp.sortDesc {
			title += " ▼"
		} else {
			title += " ▲"
		}
	}
	return title
}

// sortBy sorts the tables by c (noSort: queue order) and shows it at once.
func (qp *queuePane) sortBy(c qcol, desc bool) {
	qp.sortCol, qp.sortDesc = c, desc
	qp.mu.Lock()
	qp.dirty = true
	qp.mu.Unlock()
	qp.rebuild()
	for _, t := range qp.tables {
		t.Refresh()
	}
}

// noSort is the sort column of the queue order.
const noSort qcol = -1

// sortRows orders rows by the pane's sort column; equal rows keep queue order.
func (qp *queuePane) sortRows(rows []TransferItem) {
	if qp.sortCol == noSort {
		return
	}
	c, desc := qp.sortCol, qp.sortDesc
	slices.SortStableFunc(rows, func(a, b TransferItem) int {
		r := compareItems(c, &a, &b)
		if desc {
			return -r
		}
		return r
	})
}

func compareItems(c qcol, a, b *TransferItem) int {
	switch c {
	case qcLocal:
		return compareFold(a.Local, b.Local)
	case qcDir:
		return cmpBool(a.Upload, b.Upload)
	case qcRemote:
		return cmp.Or(strings.Compare(a.Host, b.Host), compareFold(a.Remote, b.Remote))
	case qcSize:
		return cmp.Compare(a.Size, b.Size)
	case qcProgress:
		return cmp.Compare(progressOf(a), progressOf(b))
	case qcSpeed:
		return cmp.Compare(a.Speed, b.Speed)
	case qcLeft:
		return cmp.Compare(a.Left, b.Left)
	case qcStatus:
		return cmp.Or(cmp.Compare(a.State, b.State), strings.Compare(a.Reason, b.Reason))
	}
	return 0
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// progressOf is the part of an item done, 0 to 1.
func progressOf(it *TransferItem) float64 {
	switch {
	case it.Size > 0:
		return min(float64(it.Done)/float64(it.Size), 1)
	case it.State == Done:
		return 1
	}
	return 0
}

// statusText is the Status column: the state, or the server's reason.
func statusText(it *TransferItem) string {
	var s string
	switch it.State {
	case Running:
		s = it.State.String()
	case Failed:
		s = it.Reason
	case Paused:
		if it.Waiting { // "waiting for ftp://… (connect to it)"
			s = it.Reason
			break
		}
		fallthrough
	default:
		s = it.State.String()
		if it.Reason != "" {
			s += ": " + it.Reason
		}
	}
	if it.Always != "" && isOpen(it.State) {
		s += " · always: " + it.Always
	}
	return s
}

// queueCell is one cell of a queue table: a label, or the progress bar in
// the Progress column. It handles clicks itself so the table can
// multi-select (widget.Table selects one cell).
type queueCell struct {
	widget.BaseWidget
	qp   *queuePane
	row  int
	col  qcol
	item TransferItem
	// The last path fitted and its width (fit).
	fitIn    string
	fitWidth float32
	fitOut   string
	bg       *canvas.Rectangle
	label    *widget.Label
	bar      *widget.ProgressBar
}

func newQueueCell(qp *queuePane) *queueCell {
	c := &queueCell{qp: qp, bg: canvas.NewRectangle(color.Transparent), label: widget.NewLabel(""), bar: widget.NewProgressBar()}
	c.label.Truncation = fyne.TextTruncateEllipsis
	c.bar.Hide()
	c.ExtendBaseWidget(c)
	return c
}

func (c *queueCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(c.bg, c.label, c.bar))
}

func (c *queueCell) set(col qcol, it TransferItem, row int) {
	c.row, c.col, c.item = row, col, it
	fill := color.Color(color.Transparent)
	if c.qp.sel[it.ID] {
		fill = theme.Color(theme.ColorNameSelection)
	}
	if c.bg.FillColor != fill {
		c.bg.FillColor = fill
		c.bg.Refresh()
	}
	if col == qcProgress {
		c.label.Hide()
		c.bar.Show()
		if v := progressOf(&it); c.bar.Value != v {
			c.bar.SetValue(v)
		}
		return
	}
	c.bar.Hide()
	c.label.Show()
	imp := widget.MediumImportance
	var s string
	switch col {
	case qcLocal:
		s = c.fit(it.Local, col)
	case qcDir:
		s = "←"
		if it.Upload {
			s = "→"
		}
	case qcRemote:
		s = c.fit(it.Host+it.Remote, col)
	case qcSize:
		if it.Size >= 0 {
			s = humanSize(it.Size)
		}
	case qcSpeed:
		if it.State == Running {
			s = humanSpeed(it.Speed)
		}
	case qcLeft:
		if it.State == Running {
			s = humanDuration(it.Left)
		}
	case qcStatus:
		s = statusText(&it)
		if it.State == Failed {
			imp = widget.DangerImportance
		}
	}
	// Shaping text is what a refresh costs: a cell whose text and colour
	// stay (most of them between two ticks) is left alone.
	switch {
	case c.label.Importance != imp:
		c.label.Importance = imp
		c.label.Text = s
		c.label.Refresh()
	case c.label.Text != s:
		c.label.SetText(s)
	}
}

// fit shortens a path to the width of column col in the middle, so the
// file name stays readable ("/home/u/…/dl/ubuntu.iso"); the label's own
// ellipsis would cut the name off. The last result is kept: measuring text
// is what a refresh costs, and a path's cell keeps its path for many.
func (c *queueCell) fit(p string, col qcol) string {
	th := c.qp.tables[0].Theme()
	width := c.qp.widths[col] - 2*th.Size(theme.SizeNameInnerPadding)
	if p == c.fitIn && width == c.fitWidth {
		return c.fitOut
	}
	c.fitIn, c.fitWidth = p, width
	c.fitOut = fitPath(p, width, func(s string) float32 {
		return fyne.MeasureText(s, th.Size(theme.SizeNameText), fyne.TextStyle{}).Width
	})
	return c.fitOut
}

// fitPath returns p, or p with the end of its folder replaced by "…" so
// that it measures at most width; the name after the last slash is kept
// whole (the label's ellipsis cuts it when even "…/name" is too wide).
func fitPath(p string, width float32, measure func(string) float32) string {
	if measure(p) <= width {
		return p
	}
	cut := strings.LastIndexAny(p, `/\`)
	if cut <= 0 {
		return p
	}
	dir, name := []rune(p[:cut]), p[cut:]
	lo, hi := 0, len(dir) // the longest prefix of dir that fits
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if measure(string(dir[:mid])+"…"+name) <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(dir[:lo]) + "…" + name
}

func (c *queueCell) Tapped(*fyne.PointEvent) { c.qp.tap(c.row, currentModifiers(), false) }

func (c *queueCell) TappedSecondary(e *fyne.PointEvent) {
	c.qp.tap(c.row, 0, true)
	c.qp.menu(e.AbsolutePosition)
}

// queueHeader is a column title; tapping it sorts by the column
// (ascending), again reverses, a third time goes back to queue order.
type queueHeader struct {
	widget.BaseWidget
	qp    *queuePane
	col   qcol
	label *widget.Label
}

func newQueueHeader(qp *queuePane) *queueHeader {
	h := &queueHeader{qp: qp, col: -1, label: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	h.label.Truncation = fyne.TextTruncateEllipsis
	h.ExtendBaseWidget(h)
	return h
}

func (h *queueHeader) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(h.label) }

func (h *queueHeader) Tapped(*fyne.PointEvent) {
	qp := h.qp
	switch {
	case qp.sortCol != h.col:
		qp.sortBy(h.col, false)
	case !qp.sortDesc:
		qp.sortBy(h.col, true)
	default:
		qp.sortBy(noSort, false)
	}
}
