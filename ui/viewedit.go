package ui

import (
	"context"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2/storage"

	"github.com/skiff-ftp/skiff/engine/listing"
)

// watchEvery is how often an opened file is checked for changes.
const watchEvery = time.Second

// viewEdit downloads a remote file to a temporary folder, opens it with the
// system's application and watches it: when it changes, Skiff offers to
// upload it back.
func (w *Window) viewEdit(e *listing.Entry) {
	r := w.conn
	if r == nil || e == nil || e.IsDir() {
		return
	}
	remotePath := path.Join(w.remote.cwd, e.Name)
	cfg := w.cfg
	go func() {
		dir, err := os.MkdirTemp("", "skiff-edit-")
		if err == nil {
			var f *os.File
			local := filepath.Join(dir, filepath.Base(e.Name))
			if f, err = os.Create(local); err == nil {
				ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
				err = r.retrieve(ctx, remotePath, f)
				cancel()
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
			if err == nil {
				fi, _ := os.Stat(local)
				do(func() {
					if u, perr := url.Parse(storage.NewFileURI(local).String()); perr == nil {
						_ = w.app.OpenURL(u)
					}
					w.msgs.Status("Opened " + remotePath + " as " + local)
				})
				w.watch(local, remotePath, fi.ModTime(), func() {
					if w.opts.Transfers != nil {
						fi, _ := os.Stat(local)
						w.opts.Transfers.Upload(cfg, local, remotePath, false, fi.Size())
					}
				})
				return
			}
		}
		do(func() { w.showError("View/Edit "+remotePath, err) })
	}()
}

// watch polls local until the window closes; each change asks once whether
// to upload it back.
func (w *Window) watch(local, remotePath string, last time.Time, upload func()) {
	t := time.NewTicker(watchEvery)
	defer t.Stop()
	for {
		select {
		case <-w.queue.stop:
			return
		case <-t.C:
		}
		fi, err := os.Stat(local)
		if err != nil {
			return
		}
		if !fi.ModTime().After(last) {
			continue
		}
		last = fi.ModTime()
		do(func() {
			w.confirm("File has changed", "A file previously opened has been changed:\n"+local+"\nUpload it back to "+remotePath+"?", upload)
		})
	}
}

func statLocal(p string) (os.FileInfo, error) { return os.Stat(p) }
