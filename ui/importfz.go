package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/bookmarks"
)

// importTimeout bounds an import (it stores each password in the keychain).
const importTimeout = 2 * time.Minute

// importFileZilla asks for FileZilla's sitemanager.xml (it starts in
// ~/.config/filezilla when that exists), imports it into the site manager
// and shows the summary: what was imported, what was skipped and why.
func (w *Window) importFileZilla() {
	if w.sites == nil {
		w.showError("Import from FileZilla", errors.New("no site store is available"))
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		w.importFileZillaFrom(path)
	}, w.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xml"}))
	if home, err := os.UserHomeDir(); err == nil {
		if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Join(home, ".config", "filezilla"))); err == nil {
			d.SetLocation(l)
		}
	}
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// importFileZillaFrom imports path in the background and shows the summary.
func (w *Window) importFileZillaFrom(path string) {
	st := w.opts.Sites
	go func() {
		var sum *bookmarks.ImportSummary
		f, err := os.Open(path)
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), importTimeout)
			sum, err = st.ImportFileZilla(ctx, f, bookmarks.RootID)
			cancel()
			f.Close()
		}
		do(func() {
			if err != nil {
				w.showError("Import from FileZilla", err)
				return
			}
			txt := widget.NewLabel(sum.String())
			txt.Wrapping = fyne.TextWrapWord
			txt.Selectable = true
			d := dialog.NewCustom("Imported from FileZilla", "OK", container.NewVScroll(txt), w.win)
			d.Resize(fyne.NewSize(640, 420))
			d.Show()
			w.lastImport = sum
			w.loadSitesCount()
			if w.sites.dlg != nil {
				w.sites.reload(nil)
			}
		})
	}()
}
