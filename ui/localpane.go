package ui

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/skiff-ftp/skiff/engine/listing"
)

// localList lists a local directory as listing entries, so both panes share
// one table. Links are followed for their type and size, as FileZilla does.
func localList(_ context.Context, dir string) ([]listing.Entry, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	es := make([]listing.Entry, 0, len(des))
	for _, de := range des {
		fi, err := de.Info()
		if err != nil {
			continue // vanished between ReadDir and Lstat
		}
		es = append(es, localEntry(filepath.Join(dir, de.Name()), fi))
	}
	return es, nil
}

func localEntry(full string, fi fs.FileInfo) listing.Entry {
	e := listing.Entry{
		Name:      fi.Name(),
		Size:      fi.Size(),
		ModTime:   fi.ModTime(),
		Precision: listing.PrecisionSecond,
		Mode:      fi.Mode().Perm(),
		Perm:      modeString(fi.Mode().Perm()),
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		if t, err := os.Stat(full); err == nil {
			fi = t
			e.Size = t.Size()
		}
	}
	if fi.IsDir() {
		e.Type = listing.Dir
		e.Size = -1
	}
	e.Owner, e.Group = owner(fi)
	return e
}

// localMkdir, localRename and localRemove are the local pane's actions; they
// run off the UI goroutine.
func localMkdir(dir string) error       { return os.Mkdir(dir, 0o755) }
func localRename(from, to string) error { return os.Rename(from, to) }
func localRemove(target string) error   { return os.RemoveAll(target) }
func localHome() string {
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	return "/"
}
