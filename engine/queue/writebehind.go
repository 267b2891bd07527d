package queue

import (
	"io"
	"os"
)

// writeBehindBytes is how much of a download is written before the disk is
// asked to start writing it out; flushBehindBytes, how much before the
// .part file is synced in the background.
const (
	writeBehindBytes = 8 << 20
	flushBehindBytes = 64 << 20
)

// writeBehind passes a download's bytes to its .part file and, every
// writeBehindBytes, asks the kernel to start writing the file's dirty
// pages to disk without waiting for them (startWriteback). A finished
// download is synced before it is Done (syncFile, or the command line's
// one syncfs); without this, all of it was still in memory then: with 24
// GiB of RAM the kernel starts writing back only past 2.4 GiB dirty, and
// the command line's syncfs after a 1 GiB SFTP download took 1.2-1.3 s, the
// network idle all that time. Started early, the disk writes while the
// network delivers, and the sync waited 0.25-0.6 s.
//
// That wait was the disk's cache flush: written back is not yet on disk,
// and the flush at the end had a whole file's worth to make durable. So
// every flushBehindBytes a sync of the file runs in the background
// (flushBehind), one at a time, while the next bytes arrive; the sync at
// the end has at most the last flushBehindBytes left, and a 1 GiB download
// waited 0.001 s for it instead of 0.5 s (bench/sftp.sh's machine). A
// background sync that fails fails the download at its next Write, and
// wait reports it: the error is not left to the final sync, which on Linux
// would not see an error the same file already reported.
type writeBehind struct {
	f         *os.File
	pending   int64      // bytes written since the last startWriteback
	unflushed int64      // bytes written since the last background sync started
	flushing  chan error // the background sync in flight, nil when none
	flushErr  error      // the first background sync that failed
}

func (w *writeBehind) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.pending += int64(n)
	w.unflushed += int64(n)
	if w.pending >= writeBehindBytes {
		w.pending = 0
		startWriteback(w.f) // a hint: if it fails, the final sync still writes it all
	}
	if w.unflushed >= flushBehindBytes && flushesBehind && w.reap(false) {
		w.unflushed = 0
		done := make(chan error, 1)
		w.flushing = done
		go func(f *os.File) { done <- flushBehind(f) }(w.f)
	}
	if err == nil {
		err = w.flushErr
	}
	return n, err
}

// reap collects the background sync in flight, waiting for it if block;
// it reports whether none is in flight now.
func (w *writeBehind) reap(block bool) bool {
	if w.flushing == nil {
		return true
	}
	var err error
	if block {
		err = <-w.flushing
	} else {
		select {
		case err = <-w.flushing:
		default:
			return false
		}
	}
	if err != nil && w.flushErr == nil {
		w.flushErr = err
	}
	w.flushing = nil
	return true
}

// wait waits for the background sync in flight and returns the first
// error a background sync had. It must be called before the file is
// synced or closed.
func (w *writeBehind) wait() error {
	w.reap(true)
	return w.flushErr
}

var _ io.Writer = (*writeBehind)(nil)
