package mirror

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// TwoWay plans a two-way sync of a local and a remote tree on top of the
// State the last two-way sync of the pair recorded (a Record's Src is the
// local side, its Dst the remote one). It is a pure function of its
// arguments, like Compare.
//
// A file is changed on a side when that side's size or time is not what
// the State recorded (or the State has no record of it): changed on one
// side only, it is copied that way; changed on both, it is a conflict,
// listed and not touched, never guessed. A file deleted on one side and
// unchanged on the other is deleted there too, only with Options.Delete
// (capped like a one-way delete). Without a record a file on one side only
// is new and copied; one on both sides with the same size and time is kept,
// else it is a conflict. Two-way syncs need no Refine: each side is
// compared with what the same side showed before.
func TwoWay(local, remote Tree, o Options) Plan {
	var p Plan
	paths := map[string]bool{}
	for q := range local.Files {
		paths[q] = true
	}
	for q := range remote.Files {
		paths[q] = true
	}
	var dels []Action
	gone := map[string]bool{} // folders deleted whole
	for _, q := range slices.Sorted(func(yield func(string) bool) {
		for q := range paths {
			if !yield(q) {
				return
			}
		}
	}) {
		if Excluded(o.Excludes, q) || under(gone, q) {
			continue
		}
		l, lok := local.Files[q]
		r, rok := remote.Files[q]
		add := func(a Action) {
			a.Path, a.Src, a.Dst = q, l, r
			if a.Kind == Download {
				a.Src, a.Dst = r, l // Src is where a copy comes from
			}
			if a.Kind == Delete {
				dels = append(dels, a)
				if a.Dir {
					gone[q] = true
				}
				return
			}
			p.Actions = append(p.Actions, a)
		}
		switch {
		case lok && rok && l.Dir && r.Dir:
			add(Action{Kind: Keep, Dir: true, Reason: "folder on both sides"})
		case lok && rok && l.Dir != r.Dir:
			add(Action{Kind: Keep, Dir: l.Dir, Reason: "a file on one side, a folder on the other: left alone", Conflict: true})
		case lok && l.Dir || rok && r.Dir:
			add(twoWayFolder(q, lok, o))
		default:
			add(twoWayFile(l, r, lok, rok, o))
		}
	}
	p.twoWayDeletes(dels, local, remote, o)
	slices.SortFunc(p.Actions, func(a, b Action) int { return strings.Compare(a.Path, b.Path) })
	return p
}

// twoWayFolder decides a folder on one side only: deleted on the other
// since the last sync when the State has files below it, else new.
func twoWayFolder(q string, here bool, o Options) Action {
	recorded := false
	for p := range o.State {
		if strings.HasPrefix(p, q+"/") {
			recorded = true
			break
		}
	}
	side := "remote"
	if here {
		side = "local"
	}
	switch {
	case !recorded && here:
		return Action{Kind: Mkdir, Dir: true, Reason: "new folder here"}
	case !recorded:
		return Action{Kind: Mkdir, Dir: true, Local: true, Reason: "new folder there"}
	case o.Delete:
		// Its files decide one by one whether it goes: see twoWayDeletes.
		return Action{Kind: Delete, Dir: true, Local: here, Reason: "deleted on the other side since the last sync"}
	}
	return Action{Kind: Keep, Dir: true, Reason: fmt.Sprintf("deleted on the other side since the last sync; kept on the %s side (no --delete)", side)}
}

// twoWayFile decides a file (l local, r remote; lok, rok: present).
func twoWayFile(l, r File, lok, rok bool, o Options) Action {
	rec, known := o.State[pathOf(l, r)]
	if !known {
		switch {
		case lok && !rok:
			return Action{Kind: Upload, Size: l.Size, Reason: "new here"}
		case rok && !lok:
			return Action{Kind: Download, Size: r.Size, Reason: "new there"}
		case same(l, r, o):
			return Action{Kind: Keep, Size: l.Size, Reason: "same on both sides"}
		}
		return Action{Kind: Keep, Size: l.Size, Conflict: true, Reason: "differs on both sides, and no sync recorded them: left alone"}
	}
	lChanged := !lok || l.Size != rec.SrcSize || !near(l.Time, rec.SrcTime, o.Tolerance)
	rChanged := !rok || r.Size != rec.DstSize || !rec.DstTime.IsZero() && !near(r.Time, rec.DstTime, o.Tolerance)
	switch {
	case !lChanged && !rChanged:
		return Action{Kind: Keep, Size: l.Size, Reason: reasonUnchanged}
	case lChanged && rChanged && lok && rok && same(l, r, o):
		return Action{Kind: Keep, Size: l.Size, Reason: "changed alike on both sides"}
	case lChanged && rChanged:
		return Action{Kind: Keep, Size: max(l.Size, r.Size, 0), Conflict: true, Reason: "changed on both sides since the last sync: left alone"}
	case lChanged && lok:
		return Action{Kind: Upload, Size: l.Size, Reason: "changed here since the last sync"}
	case lChanged && o.Delete:
		return Action{Kind: Delete, Size: max(r.Size, 0), Reason: "deleted here since the last sync"}
	case lChanged:
		return Action{Kind: Keep, Size: max(r.Size, 0), Reason: "deleted here since the last sync; kept there (no --delete)"}
	case rok:
		return Action{Kind: Download, Size: r.Size, Reason: "changed there since the last sync"}
	case o.Delete:
		return Action{Kind: Delete, Local: true, Size: max(l.Size, 0), Reason: "deleted there since the last sync"}
	}
	return Action{Kind: Keep, Size: max(l.Size, 0), Reason: "deleted there since the last sync; kept here (no --delete)"}
}

func pathOf(a, b File) string {
	if a.Path != "" {
		return a.Path
	}
	return b.Path
}

// near reports whether t is the recorded time, within t's precision.
func near(t Time, rec time.Time, tol time.Duration) bool {
	return t.Known() && t.T.Sub(rec).Abs() <= t.Precision+tol
}

// same reports whether two files never synced look alike: size, and time
// within the coarser precision unless the criteria ignore times.
func same(l, r File, o Options) bool {
	if l.Size < 0 || l.Size != r.Size {
		return false
	}
	if o.Criteria == SizeOnly {
		return true
	}
	return l.Time.Known() && r.Time.Known() &&
		l.Time.T.Sub(r.Time.T).Abs() <= max(l.Time.Precision, r.Time.Precision)+o.Tolerance
}

// twoWayDeletes adds the deletes when both scans are complete, a deleted
// folder has nothing changed below it, and each side's deletes stay within
// the cap; else they are kept and the plan says why.
func (p *Plan) twoWayDeletes(dels []Action, local, remote Tree, o Options) {
	if len(dels) == 0 {
		return
	}
	// A folder gone on one side goes on the other only when every file
	// below it there is as recorded.
	var ok []Action
	for _, d := range dels {
		if d.Dir && changedBelow(d.Path, d.Local, local, remote, o) {
			p.Actions = append(p.Actions, Action{Kind: Keep, Path: d.Path, Dir: true, Conflict: true,
				Reason: "deleted on one side, changed below on the other: left alone", Src: d.Src, Dst: d.Dst})
			continue
		}
		ok = append(ok, d)
	}
	share := o.MaxDeleteShare
	if share <= 0 {
		share = DefaultMaxDeleteShare
	}
	count := func(t Tree, localSide bool) (files, deleted int) {
		for q, f := range t.Files {
			if f.Dir || Excluded(o.Excludes, q) {
				continue
			}
			files++
			for _, d := range ok {
				if d.Local == localSide && (q == d.Path || strings.HasPrefix(q, d.Path+"/")) {
					deleted++
					break
				}
			}
		}
		return files, deleted
	}
	lf, ld := count(local, true)
	rf, rd := count(remote, false)
	switch {
	case len(ok) == 0:
		return
	case !local.Complete || !remote.Complete:
		p.DeleteRefused = "part of the scan failed, so nothing is deleted: " + strings.Join(append(local.Problems, remote.Problems...), "; ")
	case !o.ForceDelete && float64(ld) > share*float64(lf):
		p.TooManyDeletes = &TooManyDeletesError{Deletes: ld, TargetFiles: lf, MaxShare: share}
	case !o.ForceDelete && float64(rd) > share*float64(rf):
		p.TooManyDeletes = &TooManyDeletesError{Deletes: rd, TargetFiles: rf, MaxShare: share}
	default:
		p.Actions = append(p.Actions, ok...)
		return
	}
	if p.TooManyDeletes != nil {
		p.DeleteRefused = p.TooManyDeletes.Error()
	}
	for _, d := range ok {
		p.Actions = append(p.Actions, Action{Kind: Keep, Path: d.Path, Dir: d.Dir, Size: d.Size, Conflict: true,
			Reason: "not deleted: " + p.DeleteRefused, Src: d.Src, Dst: d.Dst})
	}
}

// changedBelow reports whether a file below folder q on the side that
// still has it is not as the State recorded it.
func changedBelow(q string, localSide bool, local, remote Tree, o Options) bool {
	t := remote
	if localSide {
		t = local
	}
	for p, f := range t.Files {
		if f.Dir || !strings.HasPrefix(p, q+"/") || Excluded(o.Excludes, p) {
			continue
		}
		rec, ok := o.State[p]
		if !ok {
			return true
		}
		if localSide && (f.Size != rec.SrcSize || !near(f.Time, rec.SrcTime, o.Tolerance)) ||
			!localSide && (f.Size != rec.DstSize || !rec.DstTime.IsZero() && !near(f.Time, rec.DstTime, o.Tolerance)) {
			return true
		}
	}
	return false
}

// RecordTwoWay saves the State after a two-way sync: for every file both
// sides now hold alike, the local and the remote size and time. The
// folders the sync uploaded into are listed again, so the remote times are
// recorded as a scan shows them and the next sync compares like with like.
// A conflict, a failed copy, a delete and a deletion left undone (no
// --delete) keep their old record, so they are decided the same way next
// time (a path gone from both sides is forgotten by the next sync).
func (s *Sync) RecordTwoWay(ctx context.Context, p Plan, items map[string]queue.Item) error {
	if s.StateFile == "" {
		return nil
	}
	done := func(a Action) bool {
		it, ok := items[a.Path]
		return ok && it.State == queue.Done
	}
	var dirs []string
	seen := map[string]bool{}
	for _, a := range p.Actions {
		if d := path.Dir(a.Path); a.Kind == Upload && done(a) && !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	listed, err := s.Remote.relist(ctx, dirs, s.remote.Source)
	if err != nil {
		return err
	}
	st := State{}
	for _, a := range p.Actions {
		old, hadOld := s.Options.State[a.Path]
		switch {
		case a.Dir && a.Kind == Delete:
			// Kept until a scan no longer finds them: a delete that
			// failed is tried again, not taken for a new file.
			for p, r := range s.Options.State {
				if strings.HasPrefix(p, a.Path+"/") {
					st[p] = r
				}
			}
		case a.Dir:
		case a.Kind == Keep && !a.Conflict && a.Src.Path != "" && a.Dst.Path != "":
			st[a.Path] = Record{SrcSize: a.Src.Size, SrcTime: a.Src.Time.T, DstSize: a.Dst.Size, DstTime: a.Dst.Time.T}
		case a.Kind == Upload && done(a):
			r := Record{SrcSize: a.Src.Size, SrcTime: a.Src.Time.T, DstSize: items[a.Path].Size}
			if f, ok := listed[a.Path]; ok {
				r.DstSize, r.DstTime = f.Size, f.Time.T
			}
			st[a.Path] = r
		case a.Kind == Download && done(a):
			fi, err := os.Stat(filepath.Join(s.Local, filepath.FromSlash(a.Path)))
			if err != nil {
				continue
			}
			st[a.Path] = Record{SrcSize: fi.Size(), SrcTime: fi.ModTime().UTC(), DstSize: a.Src.Size, DstTime: a.Src.Time.T}
		case hadOld: // a conflict, a failed copy, a delete (see above) or one left undone
			st[a.Path] = old
		}
	}
	return SaveState(s.StateFile, st)
}

// relist lists the remote folders dirs (below the root) again and returns
// their files by path.
func (r Remote) relist(ctx context.Context, dirs []string, src Source) (map[string]File, error) {
	out := map[string]File{}
	if len(dirs) == 0 {
		return out, nil
	}
	var mu sync.Mutex
	w := &crew{r: r, c: r.costsOf(), max: r.Parallel}
	w.do = func(ctx context.Context, sess engine.Session, dir string) ([]string, error) {
		entries, _, err := r.list(ctx, sess, dir)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		defer mu.Unlock()
		for _, e := range entries {
			if !e.IsDir() {
				out[path.Join(dir, e.Name)] = File{Path: path.Join(dir, e.Name), Size: e.Size, Time: RemoteTime(e, src)}
			}
		}
		return nil, nil
	}
	return out, w.run(ctx, dirs)
}
