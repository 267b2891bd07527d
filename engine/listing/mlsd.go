package listing

import (
	"io/fs"
	"strings"
	"time"
)

// This file parses RFC 3659 MLSD/MLST lines: "fact=value;fact=value; name".
// Fact names and the values of type are case-insensitive; facts come in any
// order; the name is everything after the single space that ends the facts,
// so names with leading spaces and semicolons survive. Times are UTC.

// ErrNotFacts is returned by ParseMLST for a line that is not "facts; name".
var ErrNotFacts = errorString("listing: not an MLSx fact line")

type errorString string

func (e errorString) Error() string { return string(e) }

// ParseMLST parses one MLST/MLSD line: "fact=value;fact=value; name". The
// single leading space of an MLST reply line is accepted. For type=cdir/pdir
// it returns an entry with Name "." or "..".
func ParseMLST(line string) (Entry, error) {
	line = strings.TrimSuffix(line, "\r")
	var e Entry
	if len(line) > 1 && line[0] == ' ' && line[1] != ' ' && parseFacts(line[1:], &e) {
		e.Raw = line
		return e, nil
	}
	e = Entry{}
	if !parseFacts(line, &e) {
		return Entry{}, ErrNotFacts
	}
	return e, nil
}

// parseMLSxLine accepts MLSD lines in a LIST reply (a few servers answer LIST
// like MLSD). Only lines with a type or size fact count, so that a name-only
// line is not taken for a fact line without facts.
//
// As in FileZilla, the facts may also end without a ";" before the space, or
// with a TAB in place of the space ("type=file;size=1;modify=...\tname").
func parseMLSxLine(p *Parser, line string, e *Entry) result {
	sp := strings.IndexAny(line, " \t")
	if sp < 1 || sp+1 == len(line) || !strings.Contains(line[:sp], "=") {
		return failed
	}
	facts := strings.ToLower(line[:sp])
	if !strings.Contains(facts, "type=") && !strings.Contains(facts, "size=") && !strings.Contains(facts, "modify=") {
		return failed
	}
	e.Size, e.Raw = -1, line
	if !fillFacts(line[:sp], line[sp+1:], e) {
		return failed
	}
	return matched
}

// parseFacts fills e from one fact line. A line that starts with a space has
// no facts, only a name (RFC 3659 allows an empty fact list).
func parseFacts(line string, e *Entry) bool {
	e.Size, e.Raw = -1, line
	if line == "" {
		return false
	}
	if line[0] == ' ' {
		e.Name = line[1:]
		return e.Name != ""
	}
	// Facts contain no space (RFC 3659 RCHAR), so the first space ends them.
	sp := strings.IndexByte(line, ' ')
	if sp < 1 || line[sp-1] != ';' || sp+1 == len(line) {
		return false
	}
	return fillFacts(line[:sp], line[sp+1:], e)
}

// fillFacts fills e from a fact list ("k=v;k=v;", the last ";" optional) and
// the name after it.
func fillFacts(facts, name string, e *Entry) bool {
	e.Name = name
	modeSet := false
	slink := "" // UNIX.slink=<target>: whatever type says, the entry is a link
	for facts != "" {
		fact := facts
		facts = ""
		if semi := strings.IndexByte(fact, ';'); semi >= 0 {
			fact, facts = fact[:semi], fact[semi+1:]
		}
		eq := strings.IndexByte(fact, '=')
		if eq <= 0 {
			if fact == "" {
				continue
			}
			return false
		}
		k, v := fact[:eq], fact[eq+1:]
		switch {
		case foldEq(k, "type"):
			switch {
			case foldEq(v, "file"):
			case foldEq(v, "dir"):
				e.Type = Dir
			case foldEq(v, "cdir"):
				e.Type, e.Name = Dir, "."
			case foldEq(v, "pdir"):
				e.Type, e.Name = Dir, ".."
			case len(v) >= 13 && foldEq(v[:13], "os.unix=slink"):
				// "OS.unix=slink:/target" (ProFTPD, Serv-U) or just "OS.unix=slink".
				e.Type = Link
				if len(v) > 14 && v[13] == ':' {
					e.Target = v[14:]
				}
			case foldEq(v, "os.unix=symlink"), foldEq(v, "link"):
				e.Type = Link
			}
		case foldEq(k, "size"), foldEq(k, "sizd"):
			if n, ok := parseSize(v); ok && isDigits(v) {
				e.Size = n
			}
		case foldEq(k, "modify"):
			if t, ok := parseMLSxTime(v); ok && !t.IsZero() {
				e.ModTime, e.Precision = t, PrecisionSecond
			}
		case foldEq(k, "perm"):
			e.Perm = v
		case foldEq(k, "unix.mode"):
			if m, ok := parseOctalMode(v); ok {
				e.Mode, modeSet = m, true
			}
		case foldEq(k, "unix.owner"), foldEq(k, "unix.ownername"), foldEq(k, "unix.user"):
			e.Owner = v
		case foldEq(k, "unix.group"), foldEq(k, "unix.groupname"):
			e.Group = v
		case foldEq(k, "unix.slink"):
			slink = v
		case foldEq(k, "unix.uid"):
			if e.Owner == "" {
				e.Owner = v
			}
		case foldEq(k, "unix.gid"):
			if e.Group == "" {
				e.Group = v
			}
		}
	}
	if slink != "" {
		e.Type, e.Target = Link, slink
	}
	if modeSet {
		switch e.Type {
		case Dir:
			e.Mode |= fs.ModeDir
		case Link:
			e.Mode |= fs.ModeSymlink
		}
	}
	return true
}

// foldEq reports whether s equals the lower-case ASCII word lower, ignoring
// the case of s. It is strings.EqualFold without the Unicode cases.
func foldEq(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// parseMLSxTime parses "YYYYMMDDHHMMSS[.sss]" (UTC).
func parseMLSxTime(v string) (time.Time, bool) {
	if len(v) < 14 || !isDigits(v[:14]) {
		return time.Time{}, false
	}
	y, _ := atoi(v[0:4], 4)
	mo, _ := atoi(v[4:6], 2)
	d, _ := atoi(v[6:8], 2)
	h, _ := atoi(v[8:10], 2)
	mi, _ := atoi(v[10:12], 2)
	s, _ := atoi(v[12:14], 2)
	ns := 0
	if len(v) > 14 {
		if v[14] != '.' || len(v) == 15 || len(v) > 24 || !isDigits(v[15:]) {
			return time.Time{}, false
		}
		scale := 100000000
		for _, c := range v[15:] {
			ns += int(c-'0') * scale
			scale /= 10
		}
	}
	if !validDate(y, mo, d) || h > 23 || mi > 59 || s > 60 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, min(s, 59), ns, time.UTC), true
}

// parseOctalMode parses UNIX.mode ("0644", "755", "4755", "100644"): the
// permission, setuid, setgid and sticky bits.
func parseOctalMode(v string) (fs.FileMode, bool) {
	if v == "" || len(v) > 7 {
		return 0, false
	}
	var n uint32
	for i := 0; i < len(v); i++ {
		c := v[i] - '0'
		if c > 7 {
			return 0, false
		}
		n = n<<3 | uint32(c)
	}
	m := fs.FileMode(n & 0o777)
	if n&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if n&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if n&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	return m, true
}
