package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// shortcuts binds the keys FileZilla users know: F5 refresh, F2 rename, Del
// delete, Enter open, Backspace parent folder, Ctrl+A select all, Ctrl+S site
// manager, Ctrl+D disconnect, Ctrl+R reconnect, Ctrl+Q quick-connect bar,
// Ctrl+I the filter bar (Esc clears it), Ctrl+F remote search.
func (w *Window) shortcuts() {
	c := w.win.Canvas()
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyDelete && w.queue.active { // the queue was clicked last
			w.queue.removeSelected()
			return
		}
		p := w.active
		switch k.Name {
		case fyne.KeyF5:
			p.Refresh()
		case fyne.KeyF2:
			w.rename(p)
		case fyne.KeyDelete:
			w.deleteSelected(p)
		case fyne.KeyReturn, fyne.KeyEnter:
			p.table.ActivateSelection()
		case fyne.KeyBackspace:
			p.Up()
		case fyne.KeyEscape:
			p.filterEntry.SetText("")
			p.showFilter(false)
		case fyne.KeyUp, fyne.KeyDown, fyne.KeyPageUp, fyne.KeyPageDown, fyne.KeyHome, fyne.KeyEnd:
			p.table.MoveCursor(cursorStep(k.Name, p.table), currentModifiers()&fyne.KeyModifierShift != 0)
		}
	})
	ctrl := func(k fyne.KeyName, fn func()) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { fn() })
	}
	ctrl(fyne.KeyA, w.selectAll)
	ctrl(fyne.KeyS, w.showSiteManager)
	ctrl(fyne.KeyD, w.Disconnect)
	ctrl(fyne.KeyR, w.Reconnect)
	ctrl(fyne.KeyQ, func() { c.Focus(w.qc.host) })
	ctrl(fyne.KeyI, w.focusFilter)
	ctrl(fyne.KeyF, w.showSearch)
	w.tabShortcuts()
}

func (w *Window) mainMenu() *fyne.MainMenu {
	file := fyne.NewMenu("File", append(w.tabMenuItems(),
		withShortcut(fyne.NewMenuItem("Site Manager…", w.showSiteManager), ctrlKey(fyne.KeyS)),
		fyne.NewMenuItem("Import from FileZilla…", w.importFileZilla),
		fyne.NewMenuItem("Proxy…", w.showProxyDialog),
	)...)
	file.Items = append(file.Items, w.queueFileItems()...)
	edit := fyne.NewMenu("Edit",
		withShortcut(fyne.NewMenuItem("Select all", w.selectAll), ctrlKey(fyne.KeyA)),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Settings…", w.showSettings),
	)
	server := fyne.NewMenu("Server",
		withShortcut(fyne.NewMenuItem("Disconnect", w.Disconnect), ctrlKey(fyne.KeyD)),
		withShortcut(fyne.NewMenuItem("Reconnect", w.Reconnect), ctrlKey(fyne.KeyR)),
		fyne.NewMenuItem("Enter custom command…", w.customCommand),
		fyne.NewMenuItem("Refresh", w.refreshActive),
		withShortcut(fyne.NewMenuItem("Search remote files…", w.showSearch), ctrlKey(fyne.KeyF)),
	)
	server.Items = append(server.Items, w.serverItems()...)
	transfer := fyne.NewMenu("Transfer",
		fyne.NewMenuItem("Download selected", w.download),
		fyne.NewMenuItem("Upload selected", w.upload),
	)
	transfer.Items = append(transfer.Items, w.syncTransferItems()...)
	view := w.viewMenu()
	view.Items = append(view.Items, w.syncViewItems()...)
	return fyne.NewMainMenu(file, edit, view, server, transfer, w.queueMenu(), w.helpMenu())
}
