package listing

import (
	"io/fs"
	"time"
)

// Type is what an entry is on the server.
type Type uint8

const (
	File Type = iota
	Dir
	Link
)

// String returns "file", "dir" or "link", the names `skiff ls --json` prints.
func (t Type) String() string {
	switch t {
	case Dir:
		return "dir"
	case Link:
		return "link"
	default:
		return "file"
	}
}

// Precision says how much of ModTime the server actually told us.
type Precision uint8

const (
	// PrecisionNone means the server sent no usable time; ModTime is zero.
	PrecisionNone Precision = iota
	PrecisionDay
	PrecisionMinute
	PrecisionSecond
)

// String returns "", "day", "minute" or "second".
func (p Precision) String() string {
	switch p {
	case PrecisionDay:
		return "day"
	case PrecisionMinute:
		return "minute"
	case PrecisionSecond:
		return "second"
	default:
		return ""
	}
}

// Entry is one item of a directory listing.
//
// The fields are ordered so that Entry packs into 136 bytes on 64-bit
// systems (strings first, the small fields together at the end) rather than
// the 160 that declaration by topic costs: a listing of a million entries is
// one slice of a million Entries, and writing that fresh memory is most of
// what parsing a big listing costs.
type Entry struct {
	Name    string
	Target  string // link target, when the server said
	Perm    string // permissions as the server showed them ("rwxr-xr-x", MLSD "perm" fact, ...)
	Owner   string
	Group   string
	Raw     string    // the server's line, exactly, without CR LF (a VMS record split in two: both lines joined by "\n")
	ModTime time.Time // zero when unknown; always in UTC (see Options for how LIST times get there)
	Size    int64     // bytes; -1 when unknown

	Mode      fs.FileMode // Unix mode when known: permission, setuid/setgid/sticky and type bits (0 otherwise)
	Type      Type
	Precision Precision // how much of ModTime is real
	Unparsed  bool      // no parser understood Raw; Name is a best effort
}

// IsDir reports whether the entry is a directory.
func (e Entry) IsDir() bool { return e.Type == Dir }
