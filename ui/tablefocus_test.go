package ui

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// cellAt renders row's name cell of ft as the table draws it.
func cellAt(ft *fileTable, row int) *fileCell {
	c := ft.createCell().(*fileCell)
	ft.updateCell(widget.TableCellID{Row: row, Col: int(colName)}, c)
	return c
}

// TestKeyboardFocusIsVisible: Down and Up move a cursor in the active
// pane's table and select its row; the active table outlines the cursor
// row and shows its selection in the selection colour, the other table
// shows its selection grey and no cursor; clicking the other table moves
// the focus there.
func TestKeyboardFocusIsVisible(t *testing.T) {
	w, _, _ := newTestWindow(t)
	connectHome(t, w)
	waitFor(t, "the local listing", func() bool { return w.local.table.rows() > 0 })
	key := func(k fyne.KeyName) { w.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k}) }
	onUI(func() {
		w.local.table.tap(0, 0, false)  // the local pane: active
		w.remote.table.tap(0, 0, false) // the remote pane: active, ".." selected
		key(fyne.KeyDown)
		key(fyne.KeyDown)
		key(fyne.KeyUp)
		rt := w.remote.table
		if rt.cursor != 1 || len(rt.Selected()) != 1 || rt.Selected()[0] != &rt.entries[rt.entryAt(1)] {
			t.Fatalf("after Down, Down, Up from row 0: cursor %d, %d selected", rt.cursor, len(rt.Selected()))
		}
		c := cellAt(rt, 1)
		if c.bg.StrokeColor != theme.Color(theme.ColorNameFocus) || c.bg.FillColor != theme.Color(theme.ColorNameSelection) {
			t.Errorf("the active table's cursor row: fill %v, outline %v", c.bg.FillColor, c.bg.StrokeColor)
		}
		if c := cellAt(rt, 2); c.bg.StrokeColor != color.Transparent || c.bg.FillColor != color.Transparent {
			t.Errorf("a row left by the cursor: fill %v, outline %v", c.bg.FillColor, c.bg.StrokeColor)
		}
		lc := cellAt(w.local.table, 0)
		if lc.bg.StrokeColor != color.Transparent || lc.bg.FillColor != theme.Color(theme.ColorNameDisabledButton) {
			t.Errorf("the inactive table's selected row: fill %v, outline %v", lc.bg.FillColor, lc.bg.StrokeColor)
		}
		key(fyne.KeyEnd)
		if rt.cursor != rt.rows()-1 {
			t.Errorf("End put the cursor on row %d of %d", rt.cursor, rt.rows())
		}
		w.local.table.tap(0, 0, false)
		if w.active != w.local || cellAt(rt, rt.cursor).bg.StrokeColor != color.Transparent {
			t.Error("clicking the local table did not move the focus there")
		}
	})
}
