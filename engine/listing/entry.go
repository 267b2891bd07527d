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
type Entry struct {
	Name      string
	Type      Type
	Target    string      // link target, when the server said
	Size      int64       // bytes; -1 when unknown
	ModTime   time.Time   // zero when unknown; always in UTC (see Options for how LIST times get there)
	Precision Precision   // how much of ModTime is real
	Perm      string      // permissions as the server showed them ("rwxr-xr-x", MLSD "perm" fact, ...)
	Mode      fs.FileMode // Unix mode when known: permission, setuid/setgid/sticky and type bits (0 otherwise)
	Owner     string
	Group     string
	Raw       string // the server's line, exactly, without CR LF (a VMS record split in two: both lines joined by "\n")
	Unparsed  bool   // no parser understood Raw; Name is a best effort
}

// IsDir reports whether the entry is a directory.
func (e Entry) IsDir() bool { return e.Type == Dir }
