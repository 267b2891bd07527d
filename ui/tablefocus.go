package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Keyboard focus in the file tables. Keys that are not typed into a field
// act on the active pane (the one clicked last), so the window shows which
// one that is, as FileZilla does: the active table's selection has the
// selection colour and its cursor row (where Up and Down move from) is
// outlined in the focus colour; the other table's selection is grey and it
// shows no cursor.

// setActive makes p the pane keyboard actions apply to.
func (t *tab) setActive(p *pane) {
	t.active = p
	for _, o := range []*pane{t.local, t.remote} {
		o.table.SetActive(o == p)
	}
}

// SetActive shows or hides the table's focus: its cursor and the colour
// of its selection.
func (ft *fileTable) SetActive(on bool) {
	if ft.active == on {
		return
	}
	ft.active = on
	ft.table.Refresh()
}

// cellLook is the fill and the outline of the cells of row.
func (ft *fileTable) cellLook(row int, selected bool) (fill, outline color.Color) {
	fill, outline = color.Transparent, color.Transparent
	switch {
	case selected && ft.active:
		fill = theme.Color(theme.ColorNameSelection)
	case selected:
		fill = theme.Color(theme.ColorNameDisabledButton)
	}
	if ft.active && row == ft.cursor {
		outline = theme.Color(theme.ColorNameFocus)
	}
	return fill, outline
}

// MoveCursor moves the cursor by delta rows (clamped to the table) and
// selects the row it lands on; extend (Shift) selects from the anchor to it
// instead, as a Shift+click does.
func (ft *fileTable) MoveCursor(delta int, extend bool) {
	n := ft.rows()
	if n == 0 {
		return
	}
	row := max(0, min(n-1, ft.cursor+delta))
	if ft.cursor < 0 {
		row = 0
	}
	var mods fyne.KeyModifier
	if extend {
		mods = fyne.KeyModifierShift
	}
	ft.lastTapRow = -2 // a key press is not half of a double click
	ft.tap(row, mods, false)
	ft.lastTapRow = -2
	ft.table.ScrollTo(widget.TableCellID{Row: row})
}

// pageRows is how many rows Page Up and Page Down move: the rows in view.
func (ft *fileTable) pageRows() int {
	h := newFileCell(ft).MinSize().Height + theme.Padding()
	return max(1, int(ft.table.Size().Height/h)-1)
}

// cursorStep is how far key moves the cursor in ft.
func cursorStep(key fyne.KeyName, ft *fileTable) int {
	switch key {
	case fyne.KeyUp:
		return -1
	case fyne.KeyDown:
		return 1
	case fyne.KeyPageUp:
		return -ft.pageRows()
	case fyne.KeyPageDown:
		return ft.pageRows()
	case fyne.KeyHome:
		return -ft.rows()
	case fyne.KeyEnd:
		return ft.rows()
	}
	return 0
}
