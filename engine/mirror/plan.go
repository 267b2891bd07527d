package mirror

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/skiff-ftp/skiff/engine/queue"
)

// Kind is what an action does.
type Kind uint8

const (
	Keep Kind = iota
	Upload
	Download
	Delete
	Mkdir
)

var kindNames = [...]string{"keep", "upload", "download", "delete", "mkdir"}

// String returns the name `skiff sync --json` prints.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Direction says which side is the source.
type Direction uint8

const (
	Up   Direction = iota // local → remote
	Down                  // remote → local
)

// Criteria decide when two files of the same path differ.
type Criteria uint8

const (
	TimeSize Criteria = iota // size, then time (the default)
	SizeOnly                 // size alone
	Checksum                 // size, then the server's checksum against the local file's
)

// DefaultMaxDeleteShare is the largest share of the target's files a sync
// deletes without ForceDelete.
const DefaultMaxDeleteShare = 0.5

// Options configure Plan.
type Options struct {
	Direction Direction
	Criteria  Criteria
	// Tolerance is added to the coarser precision of two times before they
	// count as different.
	Tolerance time.Duration
	// Excludes are globs (path.Match) tried on the path below the root and
	// on the name; an excluded folder excludes everything in it. A glob
	// prefixed "dir:" matches folders only, "file:" files only
	// (queue.Excluded).
	Excludes []string
	// Delete removes what the source does not have; MaxDeleteShare (0:
	// DefaultMaxDeleteShare) caps it unless ForceDelete.
	Delete         bool
	MaxDeleteShare float64
	ForceDelete    bool
	// Final: no more refining; a time or checksum the plan cannot decide
	// counts as a difference.
	Final bool
	// State is what the last sync of the same pair recorded.
	State State
	// TwoWay: each side's changes since the last sync (the State) go to
	// the other side; see TwoWay. Direction is then ignored.
	TwoWay bool
}

// Action is one step of a plan.
type Action struct {
	Kind   Kind
	Path   string // below the roots, slash-separated
	Dir    bool
	Size   int64 // bytes the action concerns: the source's for a copy or keep, the target's for a delete
	Reason string
	// Conflict marks a Keep that leaves the target different from the
	// source (a newer target, a folder where the source has a file).
	Conflict bool
	// Local marks a Delete or Mkdir of the local side in a two-way plan
	// (one-way plans change the target, which Options.Direction names).
	Local bool
	// Src and Dst are the files as scanned, zero when missing: the
	// source's and the target's, or in a two-way plan the local and the
	// remote one (for a download the remote and the local one).
	Src, Dst File
}

// Plan is what a sync will do.
type Plan struct {
	Actions []Action // by path
	// Undecided are same-size files whose times (or checksums) the scans
	// cannot decide: Refine asks for them, then plan again.
	Undecided []string
	// DeleteRefused says why deletes were left out, when they were.
	DeleteRefused string
	// TooManyDeletes is set when the deletes were left out only because
	// they exceed Options.MaxDeleteShare: the counts to ask the user
	// about. Planning again with ForceDelete includes them.
	TooManyDeletes *TooManyDeletesError
}

// TooManyDeletesError says that a plan would delete more than
// Options.MaxDeleteShare of the target's files: the CLI refuses without
// --force-delete, the window asks.
type TooManyDeletesError struct {
	Deletes     int     // files the plan would delete (those in deleted folders too)
	TargetFiles int     // files the target has (not excluded)
	MaxShare    float64 // the cap, 0.5 for 50%
}

func (e *TooManyDeletesError) Error() string {
	return fmt.Sprintf("would delete %d of the target's %d files, more than %.0f%%; use --force-delete",
		e.Deletes, e.TargetFiles, e.MaxShare*100)
}

// Count returns how many actions are of kind k.
func (p Plan) Count(k Kind) int {
	n := 0
	for _, a := range p.Actions {
		if a.Kind == k {
			n++
		}
	}
	return n
}

// Converges reports whether running the plan leaves the target matching the
// source: no conflicts, nothing undecided, no refused deletes.
func (p Plan) Converges() bool {
	if len(p.Undecided) > 0 || p.DeleteRefused != "" {
		return false
	}
	return !slices.ContainsFunc(p.Actions, func(a Action) bool { return a.Conflict })
}

// Excluded reports whether the file p (slash-separated, below the root) or
// one of its folders matches a glob: queue.Excluded, the one matcher of
// sync and folder transfers.
func Excluded(globs []string, p string) bool { return queue.Excluded(globs, p, false) }

// Compare plans how to make dst match src. It is a pure function of its
// arguments.
func Compare(src, dst Tree, o Options) Plan {
	var p Plan
	copyKind := Upload
	if o.Direction == Down {
		copyKind = Download
	}
	for _, s := range sorted(src) {
		if queue.Excluded(o.Excludes, s.Path, s.Dir) {
			continue
		}
		d, ok := dst.Files[s.Path]
		switch {
		case !ok && s.Dir:
			p.Actions = append(p.Actions, Action{Kind: Mkdir, Path: s.Path, Dir: true, Reason: "new folder", Src: s})
		case !ok && dst.unseen(s.Path) && !o.Final:
			p.Undecided = append(p.Undecided, s.Path) // the target's listing hides it: ask
		case !ok:
			p.Actions = append(p.Actions, Action{Kind: copyKind, Path: s.Path, Size: s.Size, Reason: "new", Src: s})
		case s.Dir && d.Dir:
			p.Actions = append(p.Actions, Action{Kind: Keep, Path: s.Path, Dir: true, Reason: "folder exists", Src: s, Dst: d})
		case s.Dir != d.Dir:
			what := "a file at the target where the source has a folder"
			if d.Dir {
				what = "a folder at the target where the source has a file"
			}
			p.Actions = append(p.Actions, Action{Kind: Keep, Path: s.Path, Dir: s.Dir, Size: s.Size, Reason: what + ": left alone", Conflict: true, Src: s, Dst: d})
		default:
			a, undecided := compare(s, d, o)
			if undecided {
				p.Undecided = append(p.Undecided, s.Path)
				continue
			}
			if a.Kind == Upload {
				a.Kind = copyKind
			}
			p.Actions = append(p.Actions, a)
		}
	}
	p.deletes(src, dst, o)
	slices.SortFunc(p.Actions, func(a, b Action) int { return strings.Compare(a.Path, b.Path) })
	return p
}

// compare decides one file present on both sides; Upload stands for a copy.
func compare(s, d File, o Options) (Action, bool) {
	a := Action{Path: s.Path, Size: s.Size, Src: s, Dst: d}
	copyIt := func(why string) (Action, bool) { a.Kind, a.Reason = Upload, why; return a, false }
	keep := func(why string) (Action, bool) { a.Kind, a.Reason = Keep, why; return a, false }
	if s.Size >= 0 && d.Size >= 0 && s.Size != d.Size {
		if r, ok := o.State[s.Path]; ok && r.unchanged(s, d, o.Tolerance) {
			return keep(reasonUnchanged)
		}
		return copyIt(fmt.Sprintf("size differs (%d, target %d)", s.Size, d.Size))
	}
	switch o.Criteria {
	case SizeOnly:
		if s.Size < 0 || d.Size < 0 {
			return copyIt("size unknown")
		}
		return keep("same size")
	case Checksum:
		switch {
		case s.Hash != "" && d.Hash != "" && strings.EqualFold(s.Hash, d.Hash):
			return keep("same checksum")
		case s.Hash != "" && d.Hash != "":
			return copyIt("checksum differs")
		case !o.Final:
			return a, true
		}
		return copyIt("checksum unknown")
	}
	st, dt := s.Time, d.Time
	// The State vouches for a file whose source time is exact (the local
	// side of an upload): the source is as recorded, or it changed since,
	// and the target still has the size the last sync gave it. No need to
	// ask the server about the target's coarse time.
	if r, ok := o.State[s.Path]; ok && st.Known() && st.Source != SourceList && r.DstSize == d.Size {
		if r.unchanged(s, d, o.Tolerance) {
			return keep(reasonUnchanged)
		}
		if st.T.After(r.SrcTime) {
			return copyIt("changed since the last sync")
		}
	}
	coarse := st.Source == SourceList || dt.Source == SourceList || !st.Known() || !dt.Known()
	if !o.Final && coarse && (!st.Known() || !dt.Known() || max(st.Precision, dt.Precision) >= PrecisionDay) {
		return a, true // a day (or nothing) cannot tell
	}
	if st.Known() && dt.Known() {
		diff := st.T.Sub(dt.T)
		if diff.Abs() <= max(st.Precision, dt.Precision)+o.Tolerance {
			return keep("same size and time")
		}
		if !o.Final && coarse {
			// A LIST time is in the server's zone, perhaps an hour off
			// after a DST change: MDTM decides.
			return a, true
		}
		if r, ok := o.State[s.Path]; ok && r.unchanged(s, d, o.Tolerance) {
			return keep(reasonUnchanged)
		} else if ok && r.DstSize == d.Size {
			// The target's time is its own (the server could not take
			// the source's); the source changed since the last sync.
			return copyIt("changed since the last sync")
		}
		if diff > 0 {
			return copyIt(fmt.Sprintf("newer by %s", round(diff)))
		}
		a.Kind, a.Conflict = Keep, true
		a.Reason = fmt.Sprintf("target newer by %s: left alone", round(-diff))
		return a, false
	}
	if r, ok := o.State[s.Path]; ok && r.unchanged(s, d, o.Tolerance) {
		return keep(reasonUnchanged)
	}
	return copyIt("time unknown")
}

func round(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(time.Second)
	}
	return d
}

// deletes adds what the target has and the source does not, when asked,
// safe and within the cap.
func (p *Plan) deletes(src, dst Tree, o Options) {
	var dels []Action
	targetFiles, deleted := 0, 0
	gone := map[string]bool{} // folders being deleted whole
	dirHasExcluded := excludedBelow(dst, o.Excludes)
	for _, d := range sorted(dst) {
		if queue.Excluded(o.Excludes, d.Path, d.Dir) {
			continue
		}
		if !d.Dir {
			targetFiles++
		}
		if _, ok := src.Files[d.Path]; ok {
			continue
		}
		if src.unseen(d.Path) {
			p.Actions = append(p.Actions, Action{Kind: Keep, Path: d.Path, Dir: d.Dir, Size: max(d.Size, 0),
				Reason: "perhaps at the source, whose listing hides dot files: never deleted", Dst: d})
			continue
		}
		if under(gone, d.Path) {
			if !d.Dir {
				deleted++
			}
			continue
		}
		if d.Dir && dirHasExcluded[d.Path] {
			continue // its other contents are deleted one by one
		}
		if d.Dir {
			gone[d.Path] = true
		} else {
			deleted++
		}
		dels = append(dels, Action{Kind: Delete, Path: d.Path, Dir: d.Dir, Size: max(d.Size, 0), Reason: "not at the source", Dst: d})
	}
	if len(dels) == 0 {
		return
	}
	share := o.MaxDeleteShare
	if share <= 0 {
		share = DefaultMaxDeleteShare
	}
	switch {
	case !o.Delete:
		for _, d := range dels {
			p.Actions = append(p.Actions, Action{Kind: Keep, Path: d.Path, Dir: d.Dir, Size: d.Size, Reason: "only at the target (no --delete)", Dst: d.Dst})
		}
		return
	case !src.Complete || !dst.Complete:
		p.DeleteRefused = "part of the scan failed, so nothing is deleted: " + strings.Join(append(src.Problems, dst.Problems...), "; ")
	case !o.ForceDelete && float64(deleted) > share*float64(targetFiles):
		p.TooManyDeletes = &TooManyDeletesError{Deletes: deleted, TargetFiles: targetFiles, MaxShare: share}
		p.DeleteRefused = p.TooManyDeletes.Error()
	default:
		p.Actions = append(p.Actions, dels...)
		return
	}
	for _, d := range dels {
		p.Actions = append(p.Actions, Action{Kind: Keep, Path: d.Path, Dir: d.Dir, Size: d.Size, Reason: "not deleted: " + p.DeleteRefused, Conflict: true, Dst: d.Dst})
	}
}

// excludedBelow marks the folders of t that hold an excluded path.
func excludedBelow(t Tree, globs []string) map[string]bool {
	m := map[string]bool{}
	if len(globs) == 0 {
		return m
	}
	for p, f := range t.Files {
		if !queue.Excluded(globs, p, f.Dir) {
			continue
		}
		for q := path.Dir(p); q != "." && q != "/"; q = path.Dir(q) {
			m[q] = true
		}
	}
	return m
}

// sorted returns a tree's files by path, so a folder comes before its contents.
func sorted(t Tree) []File {
	out := make([]File, 0, len(t.Files))
	for _, f := range t.Files {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// under reports whether one of p's folders is in dirs.
func under(dirs map[string]bool, p string) bool {
	for q := path.Dir(p); q != "." && q != "/"; q = path.Dir(q) {
		if dirs[q] {
			return true
		}
	}
	return false
}

// reasonUnchanged keeps a file by the State.
const reasonUnchanged = "unchanged since the last sync"
