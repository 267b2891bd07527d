package ui

import (
	"cmp"
	"image/color"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine/listing"
)

// column is a file table column.
type column int

const (
	colName column = iota
	colSize
	colType
	colModified
	colPerm
	colOwner
	numColumns
)

var columnTitles = [numColumns]string{"Filename", "Filesize", "Filetype", "Last modified", "Permissions", "Owner/Group"}
var columnWidths = [numColumns]float32{260, 90, 90, 140, 100, 110}

// doubleClick is how close two taps on one row must be to open it.
const doubleClick = 450 * time.Millisecond

// fileTable is a sortable, multi-selecting table of directory entries with a
// ".." row. It reads a sorted index slice over the listing, so a 100,000-entry
// folder costs one sort and no per-row allocations beyond the visible cells.
type fileTable struct {
	table   *widget.Table
	entries []listing.Entry
	order   []int32 // row (after the ".." row) → index into entries: the rows shown
	all     []int32 // every entry not hidden by hideDot, sorted; order is its filtered subset
	up      bool    // show ".." as row 0
	// filter, when set, says which entries are shown (the filter bar and
	// the saved filters, ui/filter.go); nil shows all.
	filter func(e *listing.Entry) bool

	sortCol  column
	sortDesc bool
	hideDot  bool // hide names starting with a dot (Settings.ShowHidden off)
	// tint, when set, colours the background of an entry's row (nil: none);
	// hide, when set, leaves entries out. The directory comparison sets both.
	tint func(e *listing.Entry) color.Color
	hide func(e *listing.Entry) bool

	selected map[int32]bool // entry indexes; -1 is ".."
	anchor   int            // row of the last plain or ctrl click, for shift ranges
	cursor   int            // row of the last click or arrow key (tablefocus.go)
	active   bool           // keyboard actions apply to this table

	lastTapRow  int
	lastTapTime time.Time

	// OnActivate is called for a double click or Enter on an entry (nil for "..").
	OnActivate func(e *listing.Entry)
	// OnMenu is called for a right click; the selection is already updated.
	OnMenu func(pos fyne.Position)
	// OnSort is called after the user changed the sort order.
	OnSort func(col column, desc bool)
	// OnSelect is called when the selection changes.
	OnSelect func()
	// OnDrag is called while rows are dragged from row, OnDragEnd at the
	// drop (dnd.go); cells are the cells made, for the drop's hit test.
	OnDrag    func(row int, ev *fyne.DragEvent)
	OnDragEnd func()
	cells     []*fileCell
}

func newFileTable() *fileTable {
	ft := &fileTable{selected: map[int32]bool{}, lastTapRow: -2, cursor: -1}
	ft.table = widget.NewTableWithHeaders(ft.length, ft.createCell, ft.updateCell)
	ft.table.ShowHeaderColumn = false
	ft.table.CreateHeader = func() fyne.CanvasObject { return newHeaderCell(ft) }
	ft.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		h := o.(*headerCell)
		h.col = column(id.Col)
		title := columnTitles[id.Col]
		if column(id.Col) == ft.sortCol {
			if ft.sortDesc {
				title += " ▼"
			} else {
				title += " ▲"
			}
		}
		h.label.SetText(title)
	}
	for c, w := range columnWidths {
		ft.table.SetColumnWidth(c, w)
	}
	return ft
}

func (ft *fileTable) length() (int, int) { return ft.rows(), int(numColumns) }

func (ft *fileTable) rows() int {
	n := len(ft.order)
	if ft.up {
		n++
	}
	return n
}

// entryAt returns the entry index of a row, or -1 for "..", or -2 outside.
func (ft *fileTable) entryAt(row int) int32 {
	if ft.up {
		if row == 0 {
			return -1
		}
		row--
	}
	if row < 0 || row >= len(ft.order) {
		return -2
	}
	return ft.order[row]
}

// SetEntries replaces the listing and keeps the sort order; the selection is cleared.
func (ft *fileTable) SetEntries(entries []listing.Entry, up bool) {
	ft.entries, ft.up = entries, up
	ft.all = make([]int32, 0, len(entries))
	for i := range entries {
		if (!ft.hideDot || !strings.HasPrefix(entries[i].Name, ".")) && (ft.hide == nil || !ft.hide(&entries[i])) {
			ft.all = append(ft.all, int32(i))
		}
	}
	ft.sortRows()
	clear(ft.selected)
	ft.anchor, ft.cursor = -1, -1
	ft.table.Refresh()
	ft.table.ScrollToTop()
}

// SetShowHidden shows or hides the entries whose name starts with a dot
// (the setting "show hidden files"); the selection is cleared.
func (ft *fileTable) SetShowHidden(show bool) {
	if ft.hideDot == !show {
		return
	}
	ft.hideDot = !show
	ft.SetEntries(ft.entries, ft.up)
}

// SortBy sorts by col; desc reverses. Directories always come first.
func (ft *fileTable) SortBy(col column, desc bool) {
	ft.sortCol, ft.sortDesc = col, desc
	ft.sortRows()
	ft.table.Refresh()
}

func (ft *fileTable) sortRows() {
	defer ft.filterRows()
	es := ft.entries
	col, desc := ft.sortCol, ft.sortDesc
	slices.SortFunc(ft.all, func(a, b int32) int {
		x, y := &es[a], &es[b]
		if dx, dy := x.IsDir(), y.IsDir(); dx != dy {
			if dx {
				return -1
			}
			return 1
		}
		c := compareBy(col, x, y)
		if c == 0 && col != colName {
			c = compareBy(colName, x, y)
		}
		if desc {
			c = -c
		}
		return c
	})
}

func compareBy(col column, x, y *listing.Entry) int {
	switch col {
	case colSize:
		return cmp.Compare(x.Size, y.Size)
	case colType:
		return strings.Compare(fileType(x), fileType(y))
	case colModified:
		return x.ModTime.Compare(y.ModTime)
	case colPerm:
		return strings.Compare(x.Perm, y.Perm)
	case colOwner:
		return cmp.Or(strings.Compare(x.Owner, y.Owner), strings.Compare(x.Group, y.Group))
	}
	if c := compareFold(x.Name, y.Name); c != 0 {
		return c
	}
	return strings.Compare(x.Name, y.Name)
}

// compareFold compares case-insensitively without allocating (sorting
// 100,000 names calls it about two million times).
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := a[i], b[i]
		if ca >= utf8.RuneSelf || cb >= utf8.RuneSelf {
			return compareFoldRunes(a[i:], b[i:])
		}
		if 'A' <= ca && ca <= 'Z' {
			ca += 'a' - 'A'
		}
		if 'A' <= cb && cb <= 'Z' {
			cb += 'a' - 'A'
		}
		if ca != cb {
			return cmp.Compare(ca, cb)
		}
	}
	return cmp.Compare(len(a), len(b))
}

func compareFoldRunes(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		ra, rb = unicode.ToLower(ra), unicode.ToLower(rb)
		if ra != rb {
			return cmp.Compare(ra, rb)
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

// Selected returns the selected entries ("..": never).
func (ft *fileTable) Selected() []*listing.Entry {
	var out []*listing.Entry
	for _, i := range ft.order {
		if ft.selected[i] {
			out = append(out, &ft.entries[i])
		}
	}
	return out
}

// SelectName selects the entry called name, if present, and scrolls to it.
func (ft *fileTable) SelectName(name string) bool {
	for row := range ft.rows() {
		i := ft.entryAt(row)
		if i >= 0 && ft.entries[i].Name == name {
			clear(ft.selected)
			ft.selected[i] = true
			ft.anchor = row
			ft.table.Refresh()
			ft.table.ScrollTo(widget.TableCellID{Row: row})
			ft.changed()
			return true
		}
	}
	return false
}

func (ft *fileTable) changed() {
	if ft.OnSelect != nil {
		ft.OnSelect()
	}
}

// tap applies a click on row with the keyboard modifiers held.
func (ft *fileTable) tap(row int, mods fyne.KeyModifier, secondary bool) {
	i := ft.entryAt(row)
	if i == -2 {
		clear(ft.selected)
		ft.table.Refresh()
		ft.changed()
		return
	}
	ft.cursor = row
	switch {
	case secondary:
		if !ft.selected[i] {
			clear(ft.selected)
			ft.selected[i] = true
			ft.anchor = row
		}
	case mods&fyne.KeyModifierShift != 0 && ft.anchor >= 0:
		if mods&fyne.KeyModifierShortcutDefault == 0 {
			clear(ft.selected)
		}
		lo, hi := min(ft.anchor, row), max(ft.anchor, row)
		for r := lo; r <= hi; r++ {
			if j := ft.entryAt(r); j >= 0 {
				ft.selected[j] = true
			}
		}
	case mods&fyne.KeyModifierShortcutDefault != 0:
		if ft.selected[i] {
			delete(ft.selected, i)
		} else {
			ft.selected[i] = true
		}
		ft.anchor = row
	default:
		clear(ft.selected)
		ft.selected[i] = true
		ft.anchor = row
		now := time.Now()
		if row == ft.lastTapRow && now.Sub(ft.lastTapTime) < doubleClick {
			ft.lastTapRow = -2
			ft.table.Refresh()
			ft.changed() // a double click selects (and makes its pane active) too
			ft.activate(i)
			return
		}
		ft.lastTapRow, ft.lastTapTime = row, now
	}
	ft.table.Refresh()
	ft.changed()
}

func (ft *fileTable) activate(i int32) {
	if ft.OnActivate == nil {
		return
	}
	if i < 0 {
		ft.OnActivate(nil)
		return
	}
	ft.OnActivate(&ft.entries[i])
}

// ActivateSelection opens the single selected entry (Enter).
func (ft *fileTable) ActivateSelection() {
	sel := ft.Selected()
	if len(sel) == 1 {
		ft.OnActivate(sel[0])
	} else if ft.selected[-1] {
		ft.OnActivate(nil)
	}
}

// SelectAll selects every entry (Ctrl+A).
func (ft *fileTable) SelectAll() {
	for _, i := range ft.order {
		ft.selected[i] = true
	}
	ft.table.Refresh()
	ft.changed()
}

func (ft *fileTable) createCell() fyne.CanvasObject { return newFileCell(ft) }

func (ft *fileTable) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	c := o.(*fileCell)
	c.row = id.Row
	i := ft.entryAt(id.Row)
	sel := i != -2 && ft.selected[i]
	c.bg.FillColor, c.bg.StrokeColor = ft.cellLook(id.Row, sel)
	if !sel && i >= 0 && ft.tint != nil {
		if tint := ft.tint(&ft.entries[i]); tint != nil {
			c.bg.FillColor = tint // the directory comparison's colour
		}
	}
	c.bg.Refresh()
	col := column(id.Col)
	if show := col == colName; show != c.icon.Visible() {
		// The table reuses cells across columns: without a new layout a
		// size keeps the icon's room, or a name's icon covers its text.
		setVisible(show, c.icon)
		c.box.Refresh()
	}
	if i == -1 {
		if col == colName {
			c.icon.SetResource(theme.FolderIcon())
			c.label.SetText("..")
		} else {
			c.label.SetText("")
		}
		return
	}
	if i < 0 {
		c.label.SetText("")
		return
	}
	e := &ft.entries[i]
	switch col {
	case colName:
		c.icon.SetResource(entryIcon(e))
		c.label.SetText(e.Name)
	case colSize:
		if e.IsDir() || e.Size < 0 {
			c.label.SetText("")
		} else {
			c.label.SetText(humanSize(e.Size))
		}
	case colType:
		c.label.SetText(fileType(e))
	case colModified:
		c.label.SetText(formatTime(e.ModTime, e.Precision))
	case colPerm:
		c.label.SetText(e.Perm)
	case colOwner:
		if e.Owner == "" && e.Group == "" {
			c.label.SetText("")
		} else {
			c.label.SetText(e.Owner + " " + e.Group)
		}
	}
}

// fileCell is one table cell; it handles clicks itself so the table can
// multi-select and recognise double clicks without the driver's delay.
type fileCell struct {
	widget.BaseWidget
	ft    *fileTable
	row   int
	bg    *canvas.Rectangle
	icon  *widget.Icon
	label *widget.Label
	box   *fyne.Container // icon and label
}

func newFileCell(ft *fileTable) *fileCell {
	c := &fileCell{ft: ft, bg: canvas.NewRectangle(color.Transparent), icon: widget.NewIcon(nil), label: widget.NewLabel("")}
	c.bg.StrokeWidth = 1
	c.label.Truncation = fyne.TextTruncateEllipsis
	c.box = container.NewBorder(nil, nil, c.icon, nil, c.label)
	c.ExtendBaseWidget(c)
	ft.cells = append(ft.cells, c)
	return c
}

func (c *fileCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(c.bg, c.box))
}

func (c *fileCell) Tapped(*fyne.PointEvent) { c.ft.tap(c.row, currentModifiers(), false) }

func (c *fileCell) TappedSecondary(e *fyne.PointEvent) {
	c.ft.tap(c.row, 0, true)
	if c.ft.OnMenu != nil {
		c.ft.OnMenu(e.AbsolutePosition)
	}
}

func currentModifiers() fyne.KeyModifier {
	if d, ok := fyne.CurrentApp().Driver().(desktop.Driver); ok {
		return d.CurrentKeyModifiers()
	}
	return 0
}

// headerCell is a column title; tapping it sorts by the column, again reverses.
type headerCell struct {
	widget.BaseWidget
	ft    *fileTable
	col   column
	label *widget.Label
}

func newHeaderCell(ft *fileTable) *headerCell {
	h := &headerCell{ft: ft, label: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	h.label.Truncation = fyne.TextTruncateEllipsis
	h.ExtendBaseWidget(h)
	return h
}

func (h *headerCell) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(h.label) }

func (h *headerCell) Tapped(*fyne.PointEvent) {
	ft := h.ft
	desc := false
	if ft.sortCol == h.col {
		desc = !ft.sortDesc
	}
	ft.SortBy(h.col, desc)
	if ft.OnSort != nil {
		ft.OnSort(h.col, desc)
	}
}
