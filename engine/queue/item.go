package queue

import (
	"fmt"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

// ID names an item for the life of the queue's store (IDs are not reused).
type ID uint64

// Direction is download (server → here) or upload (here → server).
type Direction uint8

const (
	Download Direction = iota
	Upload
)

func (d Direction) String() string {
	if d == Upload {
		return "upload"
	}
	return "download"
}

// State is where an item is in its life.
//
//	Queued → Running → Done | Failed | Skipped
//	Queued/Running → Paused → Queued (Resume)
//	Failed → Queued (Retry)
//
// A Running item that hits a temporary error stays Running while it waits to
// retry (Attempts counts the tries). Done, Failed and Skipped are final until
// Retry or Remove.
type State uint8

const (
	Queued State = iota
	Running
	Paused
	Done
	Failed
	Skipped
)

var stateNames = [...]string{"queued", "running", "paused", "done", "failed", "skipped"}

func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", s)
}

// Finished reports whether the state is final (done, failed or skipped).
func (s State) Finished() bool { return s == Done || s == Failed || s == Skipped }

// Priority orders queued items: higher first, then queue order.
type Priority int8

const (
	Low    Priority = -1
	Normal Priority = 0
	High   Priority = 1
)

// Overwrite says what to do when the target of a transfer already exists.
type Overwrite uint8

const (
	Ask                  Overwrite = iota // call Options.Ask; with no Ask callback, skip
	Replace                               // overwrite
	IfNewer                               // overwrite when the source is newer
	IfSizeDiffers                         // overwrite when the sizes differ
	IfSizeDiffersOrNewer                  // overwrite when the sizes differ or the source is newer
	Resume                                // continue a shorter target; skip an equal one; overwrite a longer one
	Rename                                // write to "name (1).ext" instead
	Skip                                  // leave the target alone
)

var overwriteNames = [...]string{"ask", "overwrite", "newer", "size", "size-or-newer", "resume", "rename", "skip"}

// String returns the --overwrite flag spelling.
func (o Overwrite) String() string {
	if int(o) < len(overwriteNames) {
		return overwriteNames[o]
	}
	return fmt.Sprintf("Overwrite(%d)", o)
}

// ParseOverwrite parses the --overwrite flag spelling: ask, overwrite, newer,
// size, size-or-newer, resume, rename, skip.
func ParseOverwrite(s string) (Overwrite, error) {
	for i, n := range overwriteNames {
		if n == s {
			return Overwrite(i), nil
		}
	}
	return 0, fmt.Errorf("unknown overwrite policy %q (want one of ask, overwrite, newer, size, size-or-newer, resume, rename, skip)", s)
}

// Job is what a caller adds: one file or one folder, in one direction.
type Job struct {
	Direction Direction
	// Site identifies the server; SiteRef is the caller's own reference to it
	// (a bookmark ID, a URL without password, ...). Both are persisted; the
	// password never is: Options.Config turns them into an engine.Config.
	Site    engine.SiteKey
	SiteRef string
	// Remote is the absolute remote path of the file or folder.
	Remote string
	// Local is the local file or folder path. For a download with Name set
	// it is the folder the user chose; otherwise the target itself. Nothing
	// is ever written outside that folder (or, for a file without Name,
	// outside its parent folder).
	Local string
	// Name, for a download, is the target's name inside Local as the server
	// sent it: one path element, never joined to a path by the caller. The
	// queue alone checks it (SafeName): an unsafe one ("../x", "/abs/x",
	// "a\\b", NUL) adds the item Skipped with the reason, and nothing is
	// written anywhere.
	Name     string
	Dir      bool      // a folder: expanded as it is walked
	Size     int64     // the source file's size when known; 0 or -1: found out when it runs
	ModTime  time.Time // the source's modification time, when known
	Priority Priority
	Policy   Overwrite
	// With, when set, is the ID Add returned for an earlier job queued
	// together with this one (one selection of files): they share one job,
	// so one "always use this action" answer covers the selection.
	With ID
	// Restart starts over a ".part" file that this job did not write itself
	// (left by an earlier, forgotten run, perhaps of another version of the
	// file). By default such a file is continued.
	Restart bool
	// Exclude, for a folder, are globs (see Excluded) naming what its walk
	// leaves out: saved filters such as ".git" or "dir:node_modules". The
	// folders found in it keep them, so a walk restored after a restart
	// leaves out the same.
	Exclude []string
}

// Item is one row of the queue: a file to transfer or a folder to walk. It is
// a snapshot; the queue hands out copies.
type Item struct {
	ID     ID
	Parent ID // the folder item this one was found in; 0 for a job's top item
	Job    ID // the job's top item (its own ID for a top item)

	Direction Direction
	Dir       bool // a folder to walk: Done once its entries are queued
	Site      engine.SiteKey
	SiteRef   string
	Remote    string
	Local     string // absolute local path
	Root      string // the local folder nothing may be written outside of
	Size      int64  // -1 when unknown
	ModTime   time.Time
	Priority  Priority
	Policy    Overwrite
	Restart   bool     // see Job.Restart
	Exclude   []string `json:",omitempty"` // see Job.Exclude

	State     State
	Bytes     int64         // bytes transferred so far (including a resumed offset)
	Speed     float64       // bytes per second, smoothed; 0 when not running
	Remaining time.Duration // estimated time left; -1 when unknown
	Attempts  int           // tries so far
	Reason    string        // why it failed or was skipped (the server's reply), or a note ("name made safe")
	// Waiting marks an item paused because its site was not available
	// (Options.Config returned ErrSiteUnavailable); ResumeSite continues
	// these and leaves the ones the user paused alone.
	Waiting bool `json:",omitempty"`
	// Always is the "always use this action" answer given for this item's
	// job (Ask: none). It is kept on every item of the job, so it outlives
	// the job's top item, and applies to no other job.
	Always Overwrite `json:",omitempty"`
	Code   int       // the server's reply code when it failed, else 0
	Added  time.Time
}

// EventKind says what happened to an item.
type EventKind uint8

const (
	Added EventKind = iota
	Changed
	Removed
)

func (k EventKind) String() string {
	return [...]string{"added", "changed", "removed"}[k]
}

// Event reports a change; Item is the snapshot after it (before it, for Removed).
type Event struct {
	Kind EventKind
	Item Item
}

// Conflict describes an existing target for Options.Ask.
type Conflict struct {
	Item         Item
	SourceSize   int64
	SourceTime   time.Time
	TargetSize   int64
	TargetTime   time.Time
	TargetRemote bool // the target is on the server (an upload)
}

// Answer is the reply to a Conflict: a policy other than Ask, and whether to
// apply it to every later conflict of the same job (the folder or file the
// caller added; SetAlways changes or clears it).
type Answer struct {
	Policy Overwrite
	All    bool
}
