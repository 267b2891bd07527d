package ui

import (
	"fmt"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/internal/version"
)

// Preference keys of the View menu's toggles.
const (
	prefShowLog   = "view.log"
	prefShowTrees = "view.trees"
	prefShowQueue = "view.queue"
)

// viewMenu is FileZilla's toolbar toggles as a menu: the message log, the
// folder trees and the transfer queue, each shown or hidden (remembered).
// A hidden part gives its room to the file tables.
func (w *Window) viewMenu() *fyne.Menu {
	p := w.app.Preferences()
	toggle := func(label, key string, show func(bool)) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, nil)
		it.Checked = p.BoolWithFallback(key, true)
		show(it.Checked)
		it.Action = func() {
			it.Checked = !it.Checked
			p.SetBool(key, it.Checked)
			show(it.Checked)
			if m := w.win.MainMenu(); m != nil {
				m.Refresh()
			}
		}
		return it
	}
	return fyne.NewMenu("View",
		toggle("Message log", prefShowLog, func(on bool) { setVisible(on, w.msgs.content); w.logSplit.Refresh() }),
		toggle("Folder trees", prefShowTrees, func(on bool) {
			for _, pn := range []*pane{w.local, w.remote} {
				setVisible(on, pn.tree.tree)
				pn.split.Refresh()
			}
		}),
		toggle("Transfer queue", prefShowQueue, func(on bool) { setVisible(on, w.queue.content); w.mainSplit.Refresh() }),
		fyne.NewMenuItemSeparator(),
		withShortcut(fyne.NewMenuItem("Filter names", w.focusFilter), ctrlKey(fyne.KeyI)),
		fyne.NewMenuItem("Filename filters…", w.showFilters),
	)
}

func setVisible(on bool, o fyne.CanvasObject) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// helpMenu holds About.
func (w *Window) helpMenu() *fyne.Menu {
	return fyne.NewMenu("Help", fyne.NewMenuItem("About Skiff", w.about))
}

// aboutText is what About says: the version, the licence, the toolkit.
func aboutText() string {
	v := version.Version()
	if v == "" {
		v = "development build"
	}
	return fmt.Sprintf("Skiff %s\nAn FTP, FTPS and SFTP client.\n\n"+
		"Licence: none has been chosen for Skiff yet; until one is, all rights are reserved by its authors.\n"+
		"Built with Go %s and Fyne (BSD 3-Clause licence).", v, runtime.Version())
}

func (w *Window) about() {
	l := widget.NewLabel(aboutText())
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("About Skiff", "Close", l, w.win)
	d.Resize(fyne.NewSize(480, 220))
	d.Show()
}

// ctrlKey is Ctrl+key (Cmd on macOS), as the menus show it.
func ctrlKey(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

// withShortcut sets the shortcut a menu item shows.
func withShortcut(it *fyne.MenuItem, s fyne.Shortcut) *fyne.MenuItem {
	it.Shortcut = s
	return it
}

// selectAll is Ctrl+A: all text of a focused entry (the path bar, the
// quick-connect fields), else every entry of the active pane. As a main
// menu shortcut it reaches the window before a focused table swallows it.
func (w *Window) selectAll() {
	if e, ok := w.win.Canvas().Focused().(*widget.Entry); ok {
		e.TypedShortcut(&fyne.ShortcutSelectAll{})
		return
	}
	if w.queue.active { // the queue was clicked last
		w.queue.SelectAll()
		return
	}
	w.active.table.SelectAll()
}
