// Package listing turns an FTP server's directory listing into entries.
//
// It understands MLSD/MLST facts (RFC 3659) and the LIST formats servers
// actually send. Every function is pure: the inputs are the listing text, the
// server's system type (SYST), the site's time-zone offset and "now", so tests
// can pin all of them. A line no parser understands is never dropped: it
// becomes an Entry with Unparsed set, a best-effort Name and the Raw line.
//
// The package imports nothing of Skiff's.
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
	ModTime   time.Time   // zero when unknown; UTC for MLSD, else server time corrected by the site's offset
	Precision Precision   // how much of ModTime is real
	Perm      string      // permissions as the server showed them ("rwxr-xr-x", MLSD "perm" fact, ...)
	Mode      fs.FileMode // Unix permission bits when known (0 otherwise)
	Owner     string
	Group     string
	Raw       string // the server's line, exactly
	Unparsed  bool   // no parser understood Raw; Name is a best effort
}

// IsDir reports whether the entry is a directory.
func (e Entry) IsDir() bool { return e.Type == Dir }
