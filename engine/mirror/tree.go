package mirror

import (
	"path"
	"strings"
	"time"

	"github.com/skiff-ftp/skiff/engine/listing"
)

// Source says where a time came from.
type Source uint8

const (
	SourceNone  Source = iota // no time known
	SourceLocal               // the local file system
	SourceList                // a LIST line: the server's zone, a minute or a day
	SourceMLSD                // MLSD/MLST modify fact: UTC, a second
	SourceMDTM                // MDTM, or an SFTP stat: UTC, a second
)

var sourceNames = [...]string{"none", "local", "LIST", "MLSD", "MDTM"}

func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return "?"
}

// Precisions of the sources.
const (
	PrecisionLocal  = time.Nanosecond
	PrecisionFAT    = 2 * time.Second // FAT file systems keep even seconds
	PrecisionSecond = time.Second     // MLSD, MDTM, SFTP
	PrecisionMinute = time.Minute     // LIST with a time
	PrecisionDay    = 24 * time.Hour  // LIST with a year instead of a time
)

// Time is a modification time with its precision and source.
type Time struct {
	T         time.Time // UTC; zero when unknown
	Precision time.Duration
	Source    Source
}

// Known reports whether there is a time.
func (t Time) Known() bool { return !t.T.IsZero() && t.Source != SourceNone }

// RemoteTime turns a listing entry's time into a Time.
func RemoteTime(e listing.Entry, src Source) Time {
	if e.ModTime.IsZero() {
		return Time{}
	}
	switch e.Precision {
	case listing.PrecisionSecond:
		if src == SourceList {
			// ls --full-iso or ls -T: still the server's zone.
			return Time{e.ModTime, PrecisionSecond, SourceList}
		}
		return Time{e.ModTime, PrecisionSecond, src}
	case listing.PrecisionMinute:
		return Time{e.ModTime, PrecisionMinute, SourceList}
	case listing.PrecisionDay:
		return Time{e.ModTime, PrecisionDay, SourceList}
	}
	return Time{}
}

// File is one file or folder of a Tree.
type File struct {
	Path string // slash-separated, below the tree's root, never "" or "."
	Dir  bool
	Size int64 // -1 when unknown
	Time Time
	Hash string // "ALG:hex" when known (checksum criteria)
}

// Tree is what a scan found below one root.
type Tree struct {
	Files map[string]File
	// Complete is false when part of the scan failed (a folder that could
	// not be listed, a name that is not safe here): then nothing is deleted.
	Complete bool
	// Problems says what made the tree incomplete, one line each.
	Problems []string
	// Source is where a remote tree's times come from (SourceList: LIST
	// only); SourceNone when the folder does not exist.
	Source Source
	// HidesDotFiles: the listing does not show names starting with a dot
	// (a server whose LIST ignores -a), so such a name missing from it
	// may well exist.
	HidesDotFiles bool
}

// unseen reports whether p may exist in t although t does not list it.
func (t Tree) unseen(p string) bool {
	return t.HidesDotFiles && strings.HasPrefix(path.Base(p), ".")
}

// NewTree returns an empty, complete tree.
func NewTree() Tree { return Tree{Files: map[string]File{}, Complete: true} }

// Add puts a file in the tree.
func (t *Tree) Add(f File) { t.Files[f.Path] = f }

// Problem marks the tree incomplete, saying why.
func (t *Tree) Problem(why string) {
	t.Complete = false
	t.Problems = append(t.Problems, why)
}
