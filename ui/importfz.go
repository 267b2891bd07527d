package ui

import (
	"errors"

	"fyne.io/fyne/v2/dialog"
)

// importFileZilla asks for FileZilla's sitemanager.xml and imports it.
func (w *Window) importFileZilla() {
	if w.sites == nil {
		w.showError("Import from FileZilla", errors.New("no site store is available"))
		return
	}
	dialog.ShowInformation("Import from FileZilla", "Import is not available in this build yet.", w.win)
}
