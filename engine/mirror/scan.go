package mirror

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// ScanLocal walks the folder root; its times are as precise as the file
// system keeps them (FAT: 2 s). A root that does not exist is an empty,
// complete tree (a download into a new folder); a folder that cannot be
// read makes the tree incomplete. Symlinks to files count as the files;
// symlinks to folders are not followed.
func ScanLocal(ctx context.Context, root string) (Tree, error) {
	t := NewTree()
	if _, err := os.Stat(root); errors.Is(err, fs.ErrNotExist) {
		return t, nil
	}
	prec := localPrecision(root)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if p == root {
			return err // an unreadable root is an error, not an empty tree
		}
		rel, rerr := filepath.Rel(root, p)
		if rerr != nil {
			return rerr
		}
		rel = filepath.ToSlash(rel)
		if err != nil {
			t.Problem(fmt.Sprintf("%s: %v", rel, err))
			return nil
		}
		fi, err := d.Info()
		if err == nil && d.Type()&fs.ModeSymlink != 0 {
			fi, err = os.Stat(p)
			if err == nil && fi.IsDir() {
				t.Problem(rel + ": a symlink to a folder is not followed")
				return nil
			}
		}
		if err != nil {
			t.Problem(fmt.Sprintf("%s: %v", rel, err))
			return nil
		}
		f := File{Path: rel, Dir: fi.IsDir(), Size: fi.Size()}
		if f.Dir {
			f.Size = -1
		} else if !fi.Mode().IsRegular() {
			return nil // a device or socket: nothing to transfer
		}
		f.Time = Time{fi.ModTime().UTC(), prec, SourceLocal}
		t.Add(f)
		return nil
	})
	return t, err
}

// Remote names a remote folder and how to reach it.
type Remote struct {
	Pool   *engine.Pool
	Config engine.Config
	Root   string // absolute remote path of the folder
	// Parallel is the most sessions that list at once (0: 1); they are
	// the pool's transfer sessions, which the queue then reuses. Fewer are
	// opened where a login costs more than they would save (see crew).
	Parallel int

	costs *costs // what Sync measured of the server; nil: measured per call
}

func (r Remote) abs(rel string) string { return path.Join(r.Root, rel) }

// session runs f on a transfer session of the pool.
func (r Remote) session(ctx context.Context, f func(engine.Session) error) error {
	sess, err := r.Pool.Acquire(ctx, r.Config, engine.Transfer)
	if err != nil {
		return err
	}
	defer r.Pool.Release(sess)
	return f(sess)
}

// Scan lists the remote folder and everything in it. Each folder is listed
// as soon as a session is free, by a crew that grows to Parallel sessions
// only while the folders left would take longer than a login (see crew). A
// root that does not exist is an empty tree with missing set (an upload into
// a new folder); a folder below it that cannot be listed makes the tree
// incomplete. An error (the root cannot be listed, the login failed) ends
// the scan.
func (r Remote) Scan(ctx context.Context) (t Tree, missing bool, err error) {
	t = NewTree()
	var mu sync.Mutex // guards t
	w := &crew{r: r, c: r.costsOf(), max: r.Parallel}
	w.do = func(ctx context.Context, sess engine.Session, dir string) ([]string, error) {
		entries, src, err := r.list(ctx, sess, dir)
		mu.Lock()
		defer mu.Unlock()
		if dir == "." {
			if err != nil {
				return nil, err
			}
			t.Source = src
			t.HidesDotFiles = !sess.Features().HiddenListed
		} else if err != nil {
			t.Problem(fmt.Sprintf("%s: %v", dir, err))
			return nil, nil
		}
		return t.addListed(dir, entries), nil
	}
	err = w.run(ctx, []string{"."})
	if errors.Is(err, engine.ErrNotFound) {
		return NewTree(), true, nil
	}
	if err == nil {
		err = ctx.Err()
	}
	return t, false, err
}

// addListed adds the entries of folder dir (below the root) and returns
// its subfolders.
func (t *Tree) addListed(dir string, entries []listing.Entry) (dirs []string) {
	for _, e := range entries {
		if _, err := queue.SafeName(e.Name); err != nil || e.Unparsed {
			t.Problem(fmt.Sprintf("%s: %q cannot be synchronized safely", dir, e.Name))
			continue
		}
		if name, _ := queue.SafeName(e.Name); name != e.Name {
			t.Problem(fmt.Sprintf("%s: %q cannot have the same name here", dir, e.Name))
			continue
		}
		if e.Type == listing.Link {
			continue // not followed: a link is the server's business
		}
		rel := path.Join(dir, e.Name)
		f := File{Path: rel, Dir: e.IsDir(), Size: e.Size, Time: RemoteTime(e, t.Source)}
		if f.Dir {
			f.Size = -1
			dirs = append(dirs, rel)
		}
		t.Add(f)
	}
	return dirs
}

// list lists one folder below the root and says where its times come from.
func (r Remote) list(ctx context.Context, sess engine.Session, rel string) ([]listing.Entry, Source, error) {
	entries, err := sess.List(ctx, r.abs(rel))
	src := SourceList
	if r.Config.Protocol == engine.ProtocolSFTP {
		src = SourceMDTM
	} else if sess.Features().MLSD {
		src = SourceMLSD
	}
	return entries, src, err
}
