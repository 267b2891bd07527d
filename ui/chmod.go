package ui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

// chmodForm is the permissions editor: nine checkboxes and an octal field
// kept in step with each other.
type chmodForm struct {
	checks [9]*widget.Check
	octal  *widget.Entry
	sync   bool
}

func newChmodForm(mode fs.FileMode) *chmodForm {
	f := &chmodForm{octal: widget.NewEntry()}
	for i := range f.checks {
		f.checks[i] = widget.NewCheck([]string{"Read", "Write", "Execute"}[i%3], func(bool) { f.fromChecks() })
	}
	f.octal.OnChanged = func(s string) { f.fromOctal(s) }
	f.set(mode)
	return f
}

func (f *chmodForm) set(m fs.FileMode) {
	f.sync = true
	for i := range f.checks {
		f.checks[i].SetChecked(m&(1<<uint(8-i)) != 0)
	}
	f.octal.SetText(fmt.Sprintf("%03o", m.Perm()))
	f.sync = false
}

func (f *chmodForm) mode() fs.FileMode {
	var m fs.FileMode
	for i, c := range f.checks {
		if c.Checked {
			m |= 1 << uint(8-i)
		}
	}
	return m
}

func (f *chmodForm) fromChecks() {
	if f.sync {
		return
	}
	f.sync = true
	f.octal.SetText(fmt.Sprintf("%03o", f.mode()))
	f.sync = false
}

func (f *chmodForm) fromOctal(s string) {
	if f.sync {
		return
	}
	n, err := strconv.ParseUint(s, 8, 32)
	if err != nil || n > 0o777 || len(s) < 3 {
		return
	}
	f.sync = true
	for i := range f.checks {
		f.checks[i].SetChecked(n&(1<<uint(8-i)) != 0)
	}
	f.sync = false
}

func (f *chmodForm) content() fyne.CanvasObject {
	g := container.NewGridWithColumns(4)
	for r, who := range []string{"Owner", "Group", "Public"} {
		g.Add(widget.NewLabel(who))
		for c := range 3 {
			g.Add(f.checks[r*3+c])
		}
	}
	return container.NewVBox(g, container.NewBorder(nil, nil, widget.NewLabel("Numeric value:"), nil, f.octal))
}

// chmod asks for new permissions of the selected remote entries.
func (w *Window) chmod(sel []*listing.Entry) {
	if len(sel) == 0 || w.conn == nil {
		return
	}
	m := sel[0].Mode
	if m == 0 {
		m, _ = parsePerm(sel[0].Perm)
	}
	f := newChmodForm(m)
	title := fmt.Sprintf("Permissions of %q", sel[0].Name)
	if len(sel) > 1 {
		title = fmt.Sprintf("Permissions of %d items", len(sel))
	}
	dir := w.remote.cwd
	var names []string
	for _, e := range sel {
		names = append(names, e.Name)
	}
	d := dialog.NewCustomConfirm(title, "OK", "Cancel", f.content(), func(ok bool) {
		if !ok {
			return
		}
		mode := f.mode()
		w.remoteOp("Change permissions", func(ctx context.Context, s engine.Session) error {
			var errs []error
			for _, n := range names {
				errs = append(errs, s.Chmod(ctx, path.Join(dir, n), mode))
			}
			return errors.Join(errs...)
		})
	}, w.win)
	d.Show()
}
