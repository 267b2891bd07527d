package ui

import (
	"errors"
	"net/url"
	"os"
	"path"
	"time"

	"fyne.io/fyne/v2/storage"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

// watchEvery is how often an opened file is checked for changes.
const watchEvery = time.Second

// viewEdit downloads a remote file to a fresh temporary folder through the
// queue, opens it with the system's application and watches it: when it
// changes, Skiff offers to upload it back. The queue does what it does for
// every download — retries from the bytes it has (REST) after a temporary
// error, a ".part" file renamed only when whole, no deadline, the user can
// cancel it in the queue — so a second attempt never appends to the first
// one's bytes, and a large file is not cut off part-way.
func (w *Window) viewEdit(e *listing.Entry) {
	if w.conn == nil || e == nil || e.IsDir() {
		return
	}
	if w.opts.Transfers == nil {
		w.showError("View/Edit", errors.New("no transfer queue is available"))
		return
	}
	remotePath := path.Join(w.remote.cwd, e.Name)
	cfg, q := w.cfg, w.opts.Transfers
	go func() {
		dir, err := os.MkdirTemp("", "skiff-edit-")
		if err != nil {
			do(func() { w.showError("View/Edit "+remotePath, err) })
			return
		}
		do(func() {
			w.queue.watchDir(dir, func(it TransferItem) {
				switch {
				case isOpen(it.State):
					w.msgs.Status("View/Edit of " + remotePath + " cancelled")
					return
				case it.State != Done:
					w.msgs.Error("View/Edit " + remotePath + ": " + it.Reason)
					return
				}
				w.opened(it.Local, remotePath, cfg)
			})
			q.Download(cfg, remotePath, dir, e.Name, false, e.Size)
		})
	}()
}

// opened shows a downloaded View/Edit file and watches it for changes.
func (w *Window) opened(local, remotePath string, cfg engine.Config) {
	if u, err := url.Parse(storage.NewFileURI(local).String()); err == nil {
		_ = w.app.OpenURL(u)
	}
	w.msgs.Status("Opened " + remotePath + " as " + local)
	go func() {
		fi, err := os.Stat(local)
		if err != nil {
			return
		}
		w.watch(local, remotePath, fi.ModTime(), func() {
			if w.opts.Transfers != nil {
				fi, _ := os.Stat(local)
				w.opts.Transfers.Upload(cfg, local, remotePath, false, fi.Size())
			}
		})
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
