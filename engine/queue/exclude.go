package queue

import (
	"path"
	"strings"
)

// Prefixes of an exclude glob that limit it to one kind of entry.
const (
	ExcludeDirs  = "dir:"  // "dir:node_modules": folders only
	ExcludeFiles = "file:" // "file:*.tmp": files only
)

// Excluded reports whether p (slash-separated, below the folder being
// transferred or synchronized) or one of the folders above it matches one
// of globs. A glob (path.Match, case-sensitive) is tried on the path and on
// the name; one prefixed ExcludeDirs matches folders only, one prefixed
// ExcludeFiles files only (dir says which p is; the folders above it are
// folders). An excluded folder excludes everything in it.
//
// It is the one matcher of folder transfers (Job.Exclude) and of
// engine/mirror's Options.Excludes, so a filter excludes the same names
// from a download and from a sync.
func Excluded(globs []string, p string, dir bool) bool {
	if len(globs) == 0 {
		return false
	}
	for q := p; q != "." && q != "/" && q != ""; q = path.Dir(q) {
		for _, g := range globs {
			if excludes(g, q, dir) {
				return true
			}
		}
		dir = true // the folders above p
	}
	return false
}

// excludes reports whether glob g matches p, a folder when dir.
func excludes(g, p string, dir bool) bool {
	if rest, ok := strings.CutPrefix(g, ExcludeDirs); ok {
		if !dir {
			return false
		}
		g = rest
	} else if rest, ok := strings.CutPrefix(g, ExcludeFiles); ok {
		if dir {
			return false
		}
		g = rest
	}
	if ok, _ := path.Match(g, p); ok {
		return true
	}
	ok, _ := path.Match(g, path.Base(p))
	return ok
}
