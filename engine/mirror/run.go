package mirror

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// Sync is one synchronization of a local folder and a remote one.
type Sync struct {
	Remote  Remote
	Local   string // absolute local folder
	Options Options
	// StateFile keeps the State between syncs (and what was learned about
	// the server's clock); "" keeps none.
	StateFile string
	// MayWrite allows Plan to write to the target: not for a dry run.
	MayWrite bool

	local, remote Tree
	rootMissing   bool // the target's remote root does not exist yet
}

// Source and Target return the trees the last Plan scanned (refined); for
// a two-way sync the local and the remote one.
func (s *Sync) Source() Tree {
	if s.Options.Direction == Up || s.Options.TwoWay {
		return s.local
	}
	return s.remote
}

// Target: see Source.
func (s *Sync) Target() Tree {
	if s.Options.Direction == Up || s.Options.TwoWay {
		return s.remote
	}
	return s.local
}

// Plan scans both sides at once, compares them, asks the server about the
// files the scans cannot decide, and compares again.
func (s *Sync) Plan(ctx context.Context) (Plan, error) {
	if s.Remote.costs == nil {
		s.Remote.costs = &costs{}
	}
	if s.StateFile != "" && s.Options.State == nil {
		st, err := LoadState(s.StateFile)
		if err != nil {
			return Plan{}, fmt.Errorf("reading the sync state: %w", err)
		}
		s.Options.State = st
	}
	var lerr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.local, lerr = ScanLocal(ctx, s.Local)
	}()
	var rerr error
	s.remote, s.rootMissing, rerr = s.Remote.Scan(ctx)
	<-done
	if err := errors.Join(rerr, lerr); err != nil {
		return Plan{}, err
	}
	if s.rootMissing && s.Options.Direction == Down && !s.Options.TwoWay {
		return Plan{}, &engine.Error{Op: "LIST", Path: s.Remote.Root, Err: engine.ErrNotFound}
	}
	if err := s.learnZone(ctx); err != nil {
		return Plan{}, fmt.Errorf("learning the server's time zone: %w", err)
	}
	if s.Options.TwoWay {
		return TwoWay(s.local, s.remote, s.Options), nil // each side against its own record: nothing to refine
	}
	src, dst := s.Source(), s.Target()
	p := Compare(src, dst, s.Options)
	if len(p.Undecided) > 0 {
		if err := s.Remote.Refine(ctx, &s.remote, &s.local, s.Local, p.Undecided, s.Options.Criteria); err != nil {
			return p, err
		}
	}
	o := s.Options
	o.Final = true
	return Compare(s.Source(), s.Target(), o), nil
}

// Queued ties a queue item to the action it carries out.
type Queued struct {
	ID     queue.ID
	Action Action
}

// Enqueue carries out the plan's mkdirs and queues its transfers (each
// setting the target's time: the queue's Options.KeepModTime must be on).
// site and ref are the queue's names for the remote site.
func (s *Sync) Enqueue(ctx context.Context, q *queue.Queue, p Plan, ref string) ([]Queued, error) {
	if err := s.mkdirs(ctx, p); err != nil {
		return nil, err
	}
	var out []Queued
	for _, a := range p.Actions {
		if a.Kind != Upload && a.Kind != Download {
			continue
		}
		j := queue.Job{Site: s.Remote.Config.Key(), SiteRef: ref, Remote: s.Remote.abs(a.Path),
			Size: a.Src.Size, Policy: queue.Replace, Restart: true}
		if a.Kind == Upload {
			j.Direction = queue.Upload
			j.Local = filepath.Join(s.Local, filepath.FromSlash(a.Path))
			j.ModTime = a.Src.Time.T
		} else {
			dir, name := path.Split(a.Path)
			j.Direction = queue.Download
			j.Local = filepath.Join(s.Local, filepath.FromSlash(dir))
			j.Name = name
			if a.Src.Time.Precision <= PrecisionSecond && a.Src.Time.Source != SourceList {
				j.ModTime = a.Src.Time.T // else zero: the queue asks the exact time (MDTM)
			}
		}
		id, err := q.Add(j)
		if err != nil {
			return out, err
		}
		out = append(out, Queued{id, a})
	}
	return out, nil
}

// onLocal reports whether a Mkdir or Delete changes the local side.
func (s *Sync) onLocal(a Action) bool {
	if s.Options.TwoWay {
		return a.Local
	}
	return s.Options.Direction == Down
}

// mkdirs creates the new folders, parents first.
func (s *Sync) mkdirs(ctx context.Context, p Plan) error {
	var dirs, localDirs []string
	downloads := s.Options.Direction == Down && !s.Options.TwoWay // the local root, also for nothing
	for _, a := range p.Actions {
		switch {
		case a.Kind == Mkdir && s.onLocal(a):
			localDirs = append(localDirs, a.Path)
		case a.Kind == Mkdir:
			dirs = append(dirs, a.Path)
		case a.Kind == Download:
			downloads = true
		}
	}
	if err := s.mkdirsLocal(localDirs, downloads); err != nil {
		return err
	}
	return s.mkdirsRemote(ctx, dirs)
}

// mkdirsLocal creates the local folders, and the local root where
// something is to come down into it.
func (s *Sync) mkdirsLocal(dirs []string, downloads bool) error {
	if len(dirs) == 0 && !downloads {
		return nil
	}
	if err := os.MkdirAll(s.Local, 0o755); err != nil || len(dirs) == 0 {
		return err
	}
	root, err := os.OpenRoot(s.Local)
	if err != nil {
		return err
	}
	defer root.Close()
	for _, d := range dirs {
		if err := root.MkdirAll(filepath.FromSlash(d), 0o755); err != nil {
			return err
		}
	}
	return nil
}

// mkdirsRemote creates the remote folders, and the remote root where it
// is missing.
func (s *Sync) mkdirsRemote(ctx context.Context, dirs []string) error {
	if !s.rootMissing && len(dirs) == 0 {
		return nil
	}
	return s.Remote.session(ctx, func(sess engine.Session) error {
		if s.rootMissing {
			if err := sess.Mkdir(ctx, s.Remote.Root, true); err != nil {
				return err
			}
			s.rootMissing = false
		}
		for _, d := range dirs {
			if err := sess.Mkdir(ctx, s.Remote.abs(d), false); err != nil {
				return err
			}
		}
		return nil
	})
}

// Delete carries out the plan's deletes and returns one error per delete
// that failed, by path.
func (s *Sync) Delete(ctx context.Context, p Plan) map[string]error {
	failed := map[string]error{}
	var dels, localDels []Action
	for _, a := range p.Actions {
		switch {
		case a.Kind == Delete && s.onLocal(a):
			localDels = append(localDels, a)
		case a.Kind == Delete:
			dels = append(dels, a)
		}
	}
	s.deleteLocal(localDels, failed)
	s.deleteRemote(ctx, dels, failed)
	return failed
}

// deleteLocal deletes local files and folders, noting failures in failed.
func (s *Sync) deleteLocal(dels []Action, failed map[string]error) {
	if len(dels) == 0 {
		return
	}
	root, err := os.OpenRoot(s.Local)
	if err != nil {
		for _, a := range dels {
			failed[a.Path] = err
		}
		return
	}
	defer root.Close()
	for _, a := range dels {
		if err := root.RemoveAll(filepath.FromSlash(a.Path)); err != nil {
			failed[a.Path] = err
		}
	}
}

// deleteRemote deletes remote files and folders, noting failures in failed.
func (s *Sync) deleteRemote(ctx context.Context, dels []Action, failed map[string]error) {
	if len(dels) == 0 {
		return
	}
	err := s.Remote.session(ctx, func(sess engine.Session) error {
		for _, a := range dels {
			var err error
			if a.Dir {
				err = sess.RemoveAll(ctx, s.Remote.abs(a.Path))
			} else {
				err = sess.Delete(ctx, s.Remote.abs(a.Path))
			}
			if err != nil {
				failed[a.Path] = err
				if !sess.Alive() {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		for _, a := range dels {
			if _, ok := failed[a.Path]; !ok {
				failed[a.Path] = err
			}
		}
	}
}

// Record saves the State after an upload: for every file the target now
// holds (copied, items says which queue item did it, or kept), the sizes and
// the source's time. A file that is not in the plan is forgotten. A download
// records nothing: a local target always takes the source's times.
//
// A two-way sync records with RecordTwoWay.
func (s *Sync) Record(p Plan, items map[string]queue.Item) error {
	if s.Options.TwoWay {
		return errors.New("mirror: a two-way sync records with RecordTwoWay")
	}
	if s.StateFile == "" || s.Options.Direction == Down {
		return nil // a local target always takes the source's times
	}
	st := State{}
	for _, a := range p.Actions {
		if a.Dir || a.Conflict {
			continue
		}
		switch a.Kind {
		case Keep:
			if a.Src.Path == "" {
				continue // only at the target
			}
			if old, ok := s.Options.State[a.Path]; ok && a.Reason == reasonUnchanged {
				st[a.Path] = old
				continue
			}
			st[a.Path] = Record{SrcSize: a.Src.Size, SrcTime: a.Src.Time.T, DstSize: a.Dst.Size}
		case Upload, Download:
			it, ok := items[a.Path]
			if !ok || it.State != queue.Done {
				continue
			}
			r := Record{SrcSize: it.Size, SrcTime: a.Src.Time.T, DstSize: it.Size}
			if a.Kind == Upload {
				r.SrcTime = it.ModTime
			}
			st[a.Path] = r
		}
	}
	return SaveState(s.StateFile, st)
}
