package queue

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/skiff-ftp/skiff/engine"
)

// partSuffix marks a download that is not complete yet.
const partSuffix = ".part"

// syncFile flushes a finished download to the disk; a variable so tests can
// see that it happens before the rename.
var syncFile = (*os.File).Sync

// download fetches e.Remote into e.rel.part under e.Root and renames it to
// e.rel once whole. Every local write goes through an os.Root on the file's
// folder, opened through one on e.Root.
func (q *Queue) download(ctx context.Context, sess engine.Session, e *entry) result {
	unlock, err := q.targets.lock(ctx, targetKey(e.Root, e.rel))
	if err != nil {
		return result{err: err}
	}
	defer unlock()
	dir, name := path.Split(e.rel)
	dir = path.Clean("./" + dir)
	root, err := q.roots.get(e.Root, dir)
	if err != nil {
		return result{err: err}
	}
	defer q.roots.put(root)

	size, mtime := e.Size, e.ModTime
	changed := false // the remote file is not the one the .part was started from
	if size < 0 || (q.keepTime.Load() && mtime.IsZero()) || e.started {
		// A started item (a retry, or one restored after a crash) asks
		// again what its .part was started from: a file that changed
		// since is fetched anew, never continued into a mixed file.
		st, err := sess.Stat(ctx, e.Remote)
		if err != nil && size < 0 {
			return result{err: err}
		}
		if err == nil {
			changed = e.started && (st.Size < size ||
				!st.ModTime.IsZero() && !mtime.IsZero() && !st.ModTime.Equal(mtime))
			size, mtime = st.Size, st.ModTime
			q.mu.Lock()
			e.Size, e.ModTime = size, mtime
			q.save(e)
			q.mu.Unlock()
		}
	}
	if !e.decided && !e.started {
		if fi, err := root.Lstat(name); err == nil {
			if !fi.Mode().IsRegular() {
				return result{state: Skipped, reason: "target exists and is not a regular file"}
			}
			c := Conflict{Item: q.snapshot(e), SourceSize: size, SourceTime: mtime, TargetSize: fi.Size(), TargetTime: fi.ModTime()}
			switch decide(q.policy(ctx, e, c), size, mtime, fi.Size(), fi.ModTime()) {
			case actSkip:
				return result{state: Skipped, reason: "target exists"}
			case actResume:
				// Continued in a copy: the user's file stays as it is
				// until the whole file replaces it, whatever fails or is
				// cancelled meanwhile.
				if err := copyIn(root.Root, name, name+partSuffix); err != nil {
					return result{err: err}
				}
			case actRename:
				name = freeName(func(n string) bool { _, err := root.Lstat(n); return err == nil }, name)
				q.mu.Lock()
				e.rel = path.Join(dir, name)
				e.Local = filepath.Join(e.Root, filepath.FromSlash(e.rel))
				q.mu.Unlock()
			}
		}
		q.mu.Lock()
		e.decided = true
		q.save(e)
		q.mu.Unlock()
	}

	part := name + partSuffix
	f, err := root.OpenFile(part, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return result{err: err}
	}
	off, err := f.Seek(0, io.SeekEnd)
	if err == nil && (size >= 0 && off > size || off > 0 && e.Restart && !e.started || off > 0 && changed || off > 0 && e.ascii) {
		off, err = 0, f.Truncate(0)
		if err == nil {
			_, err = f.Seek(0, io.SeekStart)
		}
	}
	if err != nil {
		f.Close()
		return result{err: err}
	}
	e.live.Store(off)
	q.markStarted(e) // the .part is ours from here on, whatever the server says
	var notes []string
	dst := &writeBehind{f: f}
	if size < 0 || off < size || size == 0 {
		_, err = sess.Retrieve(ctx, e.Remote, off, meteredWriter{dst, meter{ctx, &e.live, &q.down}})
		if off > 0 && errors.Is(err, engine.ErrNoRestart) {
			// The server cannot continue it (REST refused, now or before
			// on this site): the .part is ours, so start it over.
			q.o.Logger.Info("server cannot resume; downloading from the start", "item", e.String(), "err", err)
			notes = append(notes, noteStartedOver)
			e.live.Store(0)
			if err = f.Truncate(0); err == nil {
				if _, err = f.Seek(0, io.SeekStart); err == nil {
					_, err = sess.Retrieve(ctx, e.Remote, 0, meteredWriter{dst, meter{ctx, &e.live, &q.down}})
				}
			}
		}
	}
	if werr := dst.wait(); err == nil {
		err = werr // a background sync failed: the disk did not take the file
	}
	if err == nil && !q.o.NoSync {
		// On disk before it is renamed Done: after a power cut a Done
		// file is whole, not a name over blocks never written. A NoSync
		// queue (the command line's) leaves that to its owner, who syncs
		// once at the end: 2,000 fsyncs doubled a small-files download.
		err = syncFile(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if e.live.Load() == 0 {
			root.Remove(part) // nothing arrived: leave no trace of a file that may never come
		}
		return result{err: err}
	}
	// Fewer bytes than the size known is short. More is a file that grew
	// since it was listed (a log being written): the session checked the
	// transfer against the server's own size and the server ended it
	// cleanly, so it is whole.
	if got := e.live.Load(); e.ascii {
		// TYPE A changed the line ends: no size can judge.
	} else if size >= 0 && got < size {
		return result{err: &engine.Error{Op: "RETR", Path: e.Remote,
			Err: fmt.Errorf("%w: %d of %d bytes", engine.ErrShort, got, size)}}
	} else if got > size {
		q.mu.Lock()
		e.Size = got
		q.mu.Unlock()
	}
	if q.verify.Load() && !e.ascii {
		note, err := verify(ctx, sess, e.Remote, func() (io.ReadCloser, error) { return root.Open(part) })
		if err != nil {
			if errors.Is(err, engine.ErrShort) {
				root.Remove(part) // a corrupt file is not resumable
			}
			return result{err: err}
		}
		notes = append(notes, note)
	}
	if err := root.Rename(part, name); err != nil {
		return result{err: err}
	}
	if q.keepTime.Load() && !mtime.IsZero() {
		root.Chtimes(name, mtime, mtime)
	}
	return result{state: Done, reason: joinNotes(notes)}
}

// upload sends e.Local to e.Remote, continuing a partial remote file that an
// earlier attempt of this item wrote.
func (q *Queue) upload(ctx context.Context, sess engine.Session, e *entry) result {
	f, err := os.Open(e.Local)
	if err != nil {
		return result{err: err}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return result{err: err}
	}
	size := fi.Size()
	q.mu.Lock()
	e.Size, e.ModTime = size, fi.ModTime()
	q.mu.Unlock()

	// The target's size and time decide every policy but Replace, and
	// where a started upload continues. Replace needs neither: STOR
	// replaces, so no round trip asks (a Stat of a missing file costs
	// several where the server has no MLST).
	var off int64
	if e.started || !e.decided && e.Policy != Replace {
		st, err := sess.Stat(ctx, e.Remote)
		switch {
		case err == nil && e.started:
			if st.Size > 0 && st.Size <= size {
				off = st.Size
			}
		case err == nil:
			c := Conflict{Item: q.snapshot(e), SourceSize: size, SourceTime: fi.ModTime(), TargetSize: st.Size, TargetTime: st.ModTime, TargetRemote: true}
			switch decide(q.policy(ctx, e, c), size, fi.ModTime(), st.Size, st.ModTime) {
			case actSkip:
				return result{state: Skipped, reason: "target exists"}
			case actResume:
				off = max(st.Size, 0)
			case actRename:
				name := freeName(func(n string) bool { _, err := sess.Stat(ctx, n); return err == nil }, e.Remote)
				q.mu.Lock()
				e.Remote = name
				q.mu.Unlock()
			}
		case errors.Is(err, engine.ErrNotFound), errors.Is(err, engine.ErrUnsupported):
		default:
			return result{err: err}
		}
	}
	q.mu.Lock()
	e.decided = true
	q.save(e)
	q.mu.Unlock()
	if e.ascii {
		off = 0 // TYPE A cannot continue a file: the server's bytes are not the local ones
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return result{err: err}
	}
	// Started — the remote file is ours to continue — only once the server
	// accepted the STOR (its 1xx): a 425 before that, or a crash, leaves
	// whatever was there, and continuing it would append to a stranger's
	// bytes.
	ctx = engine.WithTransferTrace(ctx, &engine.TransferTrace{Accepted: func() { q.markStarted(e) }})
	e.live.Store(off)
	_, err = sess.Store(ctx, e.Remote, off, meteredReader{f, meter{ctx, &e.live, &q.up}})
	var notes []string
	if off > 0 && errors.Is(err, engine.ErrNoRestart) {
		// The server cannot continue the remote file (REST or APPE
		// refused): STOR replaces it with the whole file.
		q.o.Logger.Info("server cannot resume; uploading from the start", "item", e.String(), "err", err)
		notes = append(notes, noteStartedOver)
		off = 0
		if _, err = f.Seek(0, io.SeekStart); err == nil {
			e.live.Store(0)
			_, err = sess.Store(ctx, e.Remote, 0, meteredReader{f, meter{ctx, &e.live, &q.up}})
		}
	}
	if err != nil && off == 0 && refused(err) {
		// The folder may not exist (`skiff put f ftp://h/new/f`): servers
		// refuse STOR there (vsftpd and pure-ftpd 553, the Go server 450,
		// others 550). Create it, as FileZilla does, and try once more —
		// only after a refusal, so a folder that exists costs no round trip.
		if dir := path.Dir(e.Remote); dir != "/" && dir != "." {
			if merr := sess.Mkdir(ctx, dir, true); merr == nil {
				if _, serr := f.Seek(0, io.SeekStart); serr != nil {
					return result{err: serr}
				}
				e.live.Store(0) // the Go server refuses only after the data
				_, err = sess.Store(ctx, e.Remote, 0, meteredReader{f, meter{ctx, &e.live, &q.up}})
			}
		}
	}
	if err != nil {
		return result{err: err}
	}
	if q.verify.Load() && !e.ascii {
		note, err := verify(ctx, sess, e.Remote, func() (io.ReadCloser, error) { return os.Open(e.Local) })
		if err != nil {
			return result{err: err}
		}
		notes = append(notes, note)
	}
	if q.keepTime.Load() {
		if err := sess.SetModTime(ctx, e.Remote, fi.ModTime()); err != nil && !errors.Is(err, engine.ErrUnsupported) {
			q.o.Logger.Info("could not set remote time", "path", e.Remote, "err", err)
		}
	}
	return result{state: Done, reason: joinNotes(notes)}
}

// noteStartedOver is the note of a transfer the server could not continue.
const noteStartedOver = "the server cannot resume transfers (no REST): started over from the beginning"

// joinNotes makes one line of an item's notes, leaving out empty ones.
func joinNotes(notes []string) string {
	return strings.Join(slices.DeleteFunc(notes, func(n string) bool { return n == "" }), "; ")
}

// copyIn copies the file from to the file to (created or truncated) inside root.
func copyIn(root *os.Root, from, to string) error {
	src, err := root.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := root.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// markStarted records that the item has written to its target, so retries
// continue it instead of asking or starting over.
func (q *Queue) markStarted(e *entry) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !e.started {
		e.started = true
		q.save(e)
	}
}

// refused reports whether the server refused a command with a reply that
// may mean "no such folder": 550, 553, or 450 "file unavailable" (the Go
// server, after its 150).
func refused(err error) bool {
	return errors.Is(err, engine.ErrNotFound) || errors.Is(err, engine.ErrPermission) || engine.ReplyCode(err) == 450
}

// notVerified is the note of a file --verify could not check.
const notVerified = "not verified: the server offers no checksum"

// verify compares the server's checksum of remote with the local file's.
// A server without checksums is not an error: the note says the file was
// not verified. Only a digest that differs is a bad file (ErrShort, so a
// retry downloads it again); a refused question never is.
func verify(ctx context.Context, sess engine.Session, remote string, open func() (io.ReadCloser, error)) (note string, err error) {
	alg, want, err := sess.Checksum(ctx, remote)
	if errors.Is(err, engine.ErrUnsupported) {
		return notVerified, nil
	}
	if err != nil {
		return "", err
	}
	h := engine.NewHash(alg)
	if h == nil {
		return "not verified: the server's checksum is " + alg + ", which Skiff cannot compute", nil
	}
	f, err := open()
	if err != nil {
		return "", err
	}
	defer f.Close()
	got, err := engine.HashReader(h, f)
	if err != nil {
		return "", err
	}
	if !engine.SameDigest(got, want) {
		// ErrShort keeps it temporary: a retry downloads it again.
		return "", &engine.Error{Op: "checksum", Path: remote, Err: fmt.Errorf("%w: %s mismatch (server %s, local %s)", engine.ErrShort, alg, want, got)}
	}
	return "", nil
}

// freeName returns "name (n).ext" for the smallest n ≥ 1 that does not exist
// (exists is asked for both the name and its .part).
func freeName(exists func(string) bool, name string) string {
	dir, base := path.Split(filepath.ToSlash(name))
	ext := path.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	for n := 1; ; n++ {
		c := fmt.Sprintf("%s%s (%d)%s", dir, stem, n, ext)
		if !exists(filepath.FromSlash(c)) && !exists(filepath.FromSlash(c)+partSuffix) {
			if filepath.Separator != '/' && !strings.HasPrefix(name, "/") {
				return filepath.FromSlash(c)
			}
			return c
		}
	}
}
