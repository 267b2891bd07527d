package queue

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

// walk expands a folder item: it queues one item per entry and marks the
// folder Done in one step, persisted together (one store batch), so a crash
// either loses the whole expansion (the folder is walked again) or none of it.
func (q *Queue) walk(ctx context.Context, e *entry) result {
	return q.retry(ctx, e, func() result {
		var kids []*pending
		var err error
		excluded := 0 // entries the job's Exclude leaves out
		if e.Direction == Download {
			kids, err = q.listRemote(ctx, e, &excluded)
		} else {
			kids, err = q.listLocal(ctx, e, &excluded)
		}
		if err != nil {
			return result{err: err}
		}
		q.mu.Lock()
		if ctx.Err() != nil { // paused or cancelled meanwhile: walk again later
			q.mu.Unlock()
			return result{err: context.Cause(ctx)}
		}
		var recs []record
		for _, k := range kids {
			k.Always = e.Always // under q.mu: SetAlways may change it while the folder is listed
			c := q.insert(k.Item, k.rel)
			c.decided, c.below = k.decided, k.below
			if q.st != nil {
				recs = append(recs, recordOf(c))
			}
		}
		// Not setState: the folder's new state must reach the store in the
		// same batch as its children.
		e.State, e.Speed, e.Remaining = Done, 0, -1
		e.noteExcluded(excluded)
		q.active--
		q.signalIdle()
		q.ev.emit(Changed, e.Item)
		if q.st != nil {
			// One batch: the store commits it whole or not at all. Not
			// waited for: the walk holds a transfer slot.
			q.st.putAll(append(recs, recordOf(e)))
		}
		q.mu.Unlock()
		return result{state: Done}
	})
}

// pending is a child item before it has an ID.
type pending struct {
	Item
	rel     string
	below   string
	decided bool // known not to exist at the target: no overwrite question
}

func (e *entry) child(dir bool) *pending {
	k := &pending{Item: Item{
		Parent: e.ID, Job: e.Job, Direction: e.Direction, Dir: dir, Site: e.Site, SiteRef: e.SiteRef,
		Root: e.Root, Size: -1, Priority: e.Priority, Policy: e.Policy, Restart: e.Restart, Remaining: -1, Added: time.Now(),
	}}
	if dir {
		k.Exclude = e.Exclude // walked in turn; a file has nothing to leave out
	}
	return k
}

// excluded reports whether the folder's entry name is left out by the
// job's Exclude globs, and counts it in n when it is.
// The path tried is the one below the job's top folder.
func (e *entry) excluded(name string, dir bool, n *int) bool {
	if !Excluded(e.Exclude, path.Join(e.below, name), dir) {
		return false
	}
	*n++
	return true
}

// noteExcluded says in the folder's Reason how many entries its walk left
// out; q.mu is held.
func (e *entry) noteExcluded(n int) {
	if n > 0 {
		e.Reason = fmt.Sprintf("%d excluded by filters", n)
	}
}

// listRemote lists a remote folder on a transfer connection and creates its
// local folder. It counts the entries the job's Exclude leaves out.
func (q *Queue) listRemote(ctx context.Context, e *entry, excluded *int) ([]*pending, error) {
	root, err := os.OpenRoot(e.Root)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	if e.rel != "." {
		if err := root.MkdirAll(filepath.FromSlash(e.rel), 0o755); err != nil {
			return nil, err
		}
	}
	sess, err := q.session(ctx, e, engine.Transfer)
	if err != nil {
		return nil, err
	}
	entries, err := sess.List(ctx, e.Remote)
	if err == nil {
		err = q.resolveLinks(ctx, sess, e.Remote, entries)
	}
	q.pool.Release(sess)
	if err != nil {
		return nil, err
	}
	kids := make([]*pending, 0, len(entries))
	taken := map[string]bool{} // local names given out in this folder, and their .part names
	for _, le := range entries {
		if e.excluded(le.Name, le.IsDir(), excluded) {
			continue
		}
		k := e.child(le.IsDir())
		k.below = path.Join(e.below, le.Name)
		k.Size, k.ModTime = le.Size, le.ModTime
		k.Remote = e.Remote + "/" + le.Name
		if e.Remote == "/" {
			k.Remote = "/" + le.Name
		}
		name, err := SafeName(le.Name)
		switch {
		case le.Type == listing.Link:
			k.State, k.Reason = Skipped, "link not followed: "+linkWhy(le)
		case err != nil:
			k.State, k.Reason = Skipped, reasonUnsafe+": "+err.Error()
			q.o.Logger.Warn("refused unsafe name from server", "folder", e.Remote, "name", le.Name)
		case le.Unparsed:
			k.State, k.Reason = Skipped, "listing line not understood: "+le.Raw
		default:
			// Two server names may map to one local name ("a\x01" and
			// "a\x02" are both "a_"; "x" and "x.part" share "x.part"):
			// each gets its own, or they would write into one file.
			if claimed(taken, name, le.IsDir()) {
				name = freeName(func(n string) bool { return taken[nameKey(n)] }, name)
				claimed(taken, name, le.IsDir())
			}
			if name != le.Name {
				k.Reason = fmt.Sprintf("name made safe: %q saved as %q", le.Name, name)
			}
			k.rel = path.Join(e.rel, name)
			k.Local = filepath.Join(e.Root, filepath.FromSlash(k.rel))
		}
		kids = append(kids, k)
	}
	return kids, nil
}

// resolveLinks decides what each symbolic link in a folder listing is, so
// that a folder download follows "www -> public_html" as a folder (hosting
// accounts are full of them) instead of failing a RETR of it: the server
// says by Stat (MLST, else CWD). A link whose target is the folder itself
// or one above it would be walked forever and stays a link (Skipped). A
// link Stat cannot describe stays a link too; other errors end the walk.
func (q *Queue) resolveLinks(ctx context.Context, sess engine.Session, dir string, entries []listing.Entry) error {
	for i := range entries {
		le := &entries[i]
		if le.Type != listing.Link {
			continue
		}
		p := path.Join(dir, le.Name)
		if t := le.Target; t != "" {
			if !path.IsAbs(t) {
				t = path.Join(dir, t)
			}
			if t = path.Clean(t); dir == t || strings.HasPrefix(dir+"/", strings.TrimSuffix(t, "/")+"/") {
				continue // a loop: linkWhy says so
			}
		}
		st, err := sess.Stat(ctx, p)
		switch {
		case err == nil && (st.Type == listing.Dir || st.Type == listing.File):
			le.Type = st.Type
			if st.Type == listing.File {
				le.Size, le.ModTime = st.Size, st.ModTime
			}
		case err == nil, errors.Is(err, engine.ErrNotFound), errors.Is(err, engine.ErrPermission), errors.Is(err, engine.ErrUnsupported):
		default:
			return err
		}
	}
	return nil
}

// linkWhy says why a link from a listing was not followed.
func linkWhy(le listing.Entry) string {
	if le.Target != "" {
		return fmt.Sprintf("%s -> %s points to a folder above it, or nowhere the server would say", le.Name, le.Target)
	}
	return le.Name + " points nowhere the server would say"
}

// listLocal reads a local folder and creates its remote folder. It counts
// the entries the job's Exclude leaves out.
func (q *Queue) listLocal(ctx context.Context, e *entry, excluded *int) ([]*pending, error) {
	entries, err := os.ReadDir(e.Local)
	if err != nil {
		return nil, err
	}
	sess, err := q.session(ctx, e, engine.Transfer)
	if err != nil {
		return nil, err
	}
	err = sess.Mkdir(ctx, e.Remote, true)
	var there map[string]bool
	hidden := sess.Features().HiddenListed // else a dot file missing from the listing may still be there
	if err == nil {
		// One listing tells which children already exist, so that new
		// files need no per-file stat (a SIZE, a CWD and a parent listing
		// on servers without MLST) before they are sent.
		if entries, lerr := sess.List(ctx, e.Remote); lerr == nil {
			there = make(map[string]bool, len(entries))
			for _, re := range entries {
				there[re.Name] = true
			}
		}
	}
	q.pool.Release(sess)
	if err != nil {
		return nil, err
	}
	kids := make([]*pending, 0, len(entries))
	for _, de := range entries {
		local := filepath.Join(e.Local, de.Name())
		fi, err := os.Stat(local) // follows links, as the user would expect
		if err != nil || !fi.IsDir() && !fi.Mode().IsRegular() {
			continue // dangling links, sockets, devices: nothing to send
		}
		if e.excluded(de.Name(), fi.IsDir(), excluded) {
			continue
		}
		k := e.child(fi.IsDir())
		k.below = path.Join(e.below, de.Name())
		k.Local, k.Remote = local, path.Join(e.Remote, de.Name())
		if !fi.IsDir() {
			k.Size, k.ModTime = fi.Size(), fi.ModTime()
			k.decided = there != nil && !there[de.Name()] && (hidden || !strings.HasPrefix(de.Name(), "."))
		}
		kids = append(kids, k)
	}
	return kids, nil
}

// claimed reports whether name (or, for a file, its .part) is already taken
// in a folder, and takes both when not.
func claimed(taken map[string]bool, name string, dir bool) bool {
	if taken[nameKey(name)] || !dir && taken[nameKey(name+partSuffix)] {
		return true
	}
	taken[nameKey(name)] = true
	if !dir {
		taken[nameKey(name+partSuffix)] = true
	}
	return false
}

// nameKey folds case where the local file system usually does.
func nameKey(n string) string {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return strings.ToLower(n)
	}
	return n
}
