// Package mirror synchronizes a local folder and a remote one in one
// direction: it scans both sides, plans what to do with a pure function, and
// runs the plan through engine/queue. It imports no Fyne.
//
// # Scan
//
// ScanLocal walks a local folder; ScanRemote lists a remote one over several
// sessions of an engine.Pool at once (MLSD where the server offers it, which
// the session decides). Both return a Tree: every file and folder by its
// slash-separated path below the root, with its size and its time. A Tree
// that is not Complete (a folder could not be listed, a name was unsafe)
// never lets the plan delete anything.
//
// # Times
//
// A Time carries where it came from (Source) and how precise it is: the
// local file system to the nanosecond, MLSD and MDTM to the second, LIST to
// the minute (or the day, for files older than about six months, whose LIST
// line shows a year instead of a time). Two times are equal when they differ
// by no more than the coarser of the two precisions plus Options.Tolerance.
// A LIST time never decides alone that a same-size file differs (LIST is in
// the server's time zone, and a day is too coarse): the plan lists such
// files as Undecided, Refine asks the server for just those files (MDTM,
// stat), and planning again decides them.
//
// # Plan
//
// Compare(src, dst, opts) is a pure function from two trees to actions
// (upload, download, delete, mkdir, keep), each with its reason. Criteria:
// time and size (default), size only, checksum. A target file newer than its
// source is a conflict, not overwritten. Excluded paths (glob on the path
// below the root or on the name; "dir:" and "file:" limit a glob to one
// kind, as queue.Excluded, the matcher folder transfers share) are neither
// copied nor deleted. Deletes only
// with Options.Delete, never when a scan was incomplete, and never more than
// MaxDeleteShare of the target's files unless ForceDelete.
//
// Where the target cannot keep the source's times (a server with neither
// MFMT, MDTM with a time, SITE UTIME nor setstat), a State records the sizes
// and times each side had after the last sync; a file whose source has not
// changed since and whose target still has the recorded size is kept.
//
// # Run
//
// A Syncer runs the whole: scan, plan, refine, then mkdirs, the transfers as
// queue items (so pause, retry, crash-resume and the overwrite machinery
// apply; each transfer sets the target's time to the source's), then the
// deletes, and it records the State.
package mirror
