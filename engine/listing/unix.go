package listing

import (
	"io/fs"
	"strings"
)

// This file parses `ls -l` output and the servers that imitate it (vsftpd,
// pure-ftpd, ProFTPD, goftp, NetPresenz, VShell, Cygwin, BusyBox):
//
//	[blocks] perm[+@.] [links] owner [group...] size|major, minor date name[ -> target]
//
// The date is found first — it is the only part with a fixed shape — and the
// size is the field just before it; the owner and group are what lies between
// the link count and the size. The name is everything after the one space that
// follows the date, so leading and trailing spaces in names survive.

// parsePerm parses a Unix permission field: a type letter (or Go's
// fs.FileMode letters, as goftp prints them) and nine rwx letters, with an
// optional ACL or extended-attribute marker (+ @ .) after it.
func parsePerm(tok string) (t Type, mode fs.FileMode, perm string, ok bool) {
	if n := len(tok); n > 10 && (tok[n-1] == '+' || tok[n-1] == '@' || tok[n-1] == '.') {
		tok = tok[:n-1]
	}
	if len(tok) < 10 || len(tok) > 14 {
		return 0, 0, "", false
	}
	perm = tok[len(tok)-9:]
	kind := tok[:len(tok)-9]
	for i := 0; i < 9; i++ {
		c := perm[i]
		switch {
		case c == '-':
		case c == "rwxrwxrwx"[i]:
			mode |= 1 << (8 - i)
		case i%3 == 2 && (c == 's' || c == 't'):
			mode |= 1 << (8 - i)
			fallthrough
		case i%3 == 2 && (c == 'S' || c == 'T' || (i == 5 && c == 'l') || (i == 5 && c == 'L')):
			switch i {
			case 2:
				mode |= fs.ModeSetuid
			case 5:
				if c != 'l' && c != 'L' {
					mode |= fs.ModeSetgid
				}
			case 8:
				mode |= fs.ModeSticky
			}
		default:
			return 0, 0, "", false
		}
	}
	if len(kind) == 1 {
		if kt, km, ok := unixKind(kind[0]); ok {
			return kt, mode | km, perm, true
		}
	}
	// Go's fs.FileMode.String: one letter per type bit, from "dalTLDpSugct?".
	for i := 0; i < len(kind); i++ {
		switch kind[i] {
		case 'd':
			t, mode = Dir, mode|fs.ModeDir
		case 'L':
			t, mode = Link, mode|fs.ModeSymlink
		case 'a':
			mode |= fs.ModeAppend
		case 'l':
			mode |= fs.ModeExclusive
		case 'T':
			mode |= fs.ModeTemporary
		case 'D':
			mode |= fs.ModeDevice
		case 'c':
			mode |= fs.ModeCharDevice
		case 'p':
			mode |= fs.ModeNamedPipe
		case 'S':
			mode |= fs.ModeSocket
		case 'u':
			mode |= fs.ModeSetuid
		case 'g':
			mode |= fs.ModeSetgid
		case 't':
			mode |= fs.ModeSticky
		case '?':
			mode |= fs.ModeIrregular
		default:
			return 0, 0, "", false
		}
	}
	return t, mode, perm, true
}

// parseLoosePerm accepts the permission strings of Unix-like servers that
// use letters other than rwx- (an upper-case X, an attribute letter, AIX's
// trailing "-"): FileZilla looks only at the type letter. The nine letters
// after it are kept as Perm; only the standard ones set mode bits.
func parseLoosePerm(tok string) (t Type, mode fs.FileMode, perm string, ok bool) {
	if len(tok) != 10 && len(tok) != 11 {
		return 0, 0, "", false
	}
	switch tok[0] {
	case '-', 'd', 'l', 'b', 'c', 'p', 's':
	default:
		return 0, 0, "", false
	}
	perm = tok[1:10]
	for i := 0; i < 9; i++ {
		c := perm[i]
		switch {
		case c == "rwxrwxrwx"[i]:
			mode |= 1 << (8 - i)
		case c == '-' || 'a' <= c|0x20 && c|0x20 <= 'z':
		default:
			return 0, 0, "", false
		}
	}
	if len(tok) == 11 {
		if c := tok[10]; c != '-' && (c|0x20 < 'a' || c|0x20 > 'z') {
			return 0, 0, "", false
		}
	}
	t, km, _ := unixKind(tok[0])
	return t, mode | km, perm, true
}

// unixKind maps the type letter of ls -l to a Type and mode bits.
func unixKind(c byte) (Type, fs.FileMode, bool) {
	switch c {
	case '-', 'f':
		return File, 0, true
	case 'd':
		return Dir, fs.ModeDir, true
	case 'l':
		return Link, fs.ModeSymlink, true
	case 'b':
		return File, fs.ModeDevice, true
	case 'c':
		return File, fs.ModeDevice | fs.ModeCharDevice, true
	case 'p':
		return File, fs.ModeNamedPipe, true
	case 's':
		return File, fs.ModeSocket, true
	case 'D', 'n', 'w', 'm', 'M', 'e': // door, network, whiteout, multiplexed, ...
		return File, fs.ModeIrregular, true
	}
	return File, 0, false
}

// parseUnix parses one ls -l line.
func parseUnix(p *Parser, line string, e *Entry) result {
	var f fields
	f.split(line)
	if f.n < 4 {
		return failed
	}
	i := 0
	if isDigits(f.at(0)) { // block count (ls -s)
		i = 1
	}
	typ, mode, perm, ok := parsePerm(f.at(i))
	if !ok {
		if typ, mode, perm, ok = parseLoosePerm(f.at(i)); !ok {
			return failed
		}
	}
	owners := i + 1 // first field after the permissions
	if a := f.at(owners); a == "+" || a == "@" {
		owners++ // an ACL marker set apart by a space
	}
	u := unixLine{owners: owners, typ: typ, mode: mode, perm: perm}
	// Find the date: the first field that starts a date and follows a size.
	// Most servers date in English ("Mar 29"), so the first English month
	// after a number is tried before the general search, which would try
	// the owner, group and size as dates first.
	first := -1
	for di := owners + 2; di < f.n; di++ {
		if t := f.at(di); len(t) == 3 && t[0] >= 'A' && month(t) != 0 && f.at(di - 1)[0]-'0' <= 9 {
			first = di
			break
		}
	}
	if first > 0 {
		if r, done := u.at(p, &f, first, e); done {
			return r
		}
	}
	for di := owners + 1; di < f.n; di++ {
		if di == first {
			continue
		}
		if r, done := u.at(p, &f, di, e); done {
			return r
		}
	}
	return parseUndated(&f, owners, typ, mode, perm, e)
}

// unixLine is what is known of an ls -l line while its date is sought.
// (The fields are passed beside it: held in it, they would move to the heap.)
type unixLine struct {
	owners int // the first field after the permissions
	typ    Type
	mode   fs.FileMode
	perm   string
}

// at reads the line with its date starting at field di. done is false when
// no date (after a size) starts there, and the search goes on.
func (u *unixLine) at(p *Parser, f *fields, di int, e *Entry) (r result, done bool) {
	owners := u.owners
	if t := f.at(di); len(t) > 2 && len(t) != 4 && t[0]-'0' <= 9 && isDigits(t) {
		return failed, false // a number of 3 or more digits, other than a year, starts no date
	}
	sizeTok := f.at(di - 1)
	device := false
	size, glued := int64(-1), ""
	if !isDigits(sizeTok) {
		switch n, group, ok := oddSize(sizeTok); {
		case isDevice(sizeTok):
			device = true
		case ok && (group == "" || di-2 > owners):
			size, glued = n, group
		default:
			return failed, false
		}
	}
	var d date
	if !parseDate(f, di, &d) {
		return failed, false
	}
	sizeEnd := di - 1 // fields of the owner part end before this
	switch {
	case device, size >= 0:
	case di-2 >= owners && strings.HasSuffix(f.at(di-2), ",") && isDigits(strings.TrimSuffix(f.at(di-2), ",")):
		sizeEnd = di - 2 // a device: "major, minor"
	default:
		n, ok := parseSize(sizeTok)
		if !ok {
			return failed, false
		}
		size = n
	}
	name, ok := f.after(d.last)
	if !ok || !p.setTime(e, d) {
		return failed, true
	}
	if d.padded && len(name) > 1 && name[0] == ' ' {
		name = name[1:]
	}
	e.Type, e.Mode, e.Perm, e.Size, e.Raw = u.typ, u.mode, u.perm, size, f.line
	setOwners(f, owners, sizeEnd, e)
	if glued != "" {
		e.Group = glued
	}
	if u.typ == Link {
		if j := strings.Index(name, " -> "); j > 0 {
			name, e.Target = name[:j], name[j+4:]
		}
	}
	e.Name = trimMarker(e, name)
	return matched, true
}

// trimMarker removes the mark ls -F and some servers put after a name, as
// FileZilla does: "/" on a directory (a plain file listed with one is a
// directory), "*" on an executable, "|" on a FIFO. A name that is only the
// mark is kept.
func trimMarker(e *Entry, name string) string {
	n := len(name)
	if n < 2 {
		return name
	}
	switch name[n-1] {
	case '/':
		if e.Type == Dir || e.Type == File && e.Mode&fs.ModeType == 0 {
			e.Type, e.Mode = Dir, e.Mode|fs.ModeDir
			return name[:n-1]
		}
	case '*':
		if e.Type == File && e.Mode&0o111 != 0 {
			return name[:n-1]
		}
	case '|':
		if e.Mode&fs.ModeNamedPipe != 0 {
			return name[:n-1]
		}
	}
	return name
}

// parseUndated reads an ls -l line without a date, FileZilla's last resort
// for a line that starts with permissions: owner and group, the size, then
// the name. A clock or a year among the fields after the size means a date
// Skiff could not read, not part of a name: such a line stays unparsed (the
// line is kept) rather than getting a name with a date in it, where
// FileZilla would show "Xyz 29 12:00 name".
func parseUndated(f *fields, owners int, typ Type, mode fs.FileMode, perm string, e *Entry) result {
	from := owners
	if isDigits(f.at(from)) && f.n > from+3 {
		from++ // link count
	}
	// FileZilla tries the longest owner part first: owner, group and one more.
	for k := min(3, f.n-from-2); k >= 1; k-- {
		si := from + k
		size, ok := parseSize(f.at(si))
		if !ok || !isDigits(f.at(si)) {
			var group string
			if size, group, ok = oddSize(f.at(si)); !ok || group != "" {
				continue
			}
		}
		for j := si + 1; j <= si+3 && j < f.n; j++ {
			if _, ok := parseClock(f.at(j)); ok {
				return failed
			}
			if y, ok := atoi(f.at(j), 4); ok && len(f.at(j)) == 4 && y >= 1970 && y < 2100 {
				return failed
			}
		}
		name, ok := f.afterTrim(si)
		if !ok {
			continue
		}
		e.Type, e.Mode, e.Perm, e.Size, e.Raw = typ, mode, perm, size, f.line
		setOwners(f, owners, si, e)
		e.Name = trimMarker(e, name)
		return matched
	}
	return failed
}

// oddSize parses the size fields FileZilla accepts besides plain digits: a
// size with a unit and maybe decimals ("1.5K", "12M", "100B"; K = 1024), and
// a long group name run into the size ("domainusers4096", when the group
// column overflows): then group is the name and the size the trailing digits.
func oddSize(t string) (size int64, group string, ok bool) {
	n := len(t)
	if n == 0 || n > 32 {
		return 0, "", false
	}
	if c := t[n-1]; c-'0' <= 9 {
		i := n
		for i > 0 && t[i-1]-'0' <= 9 {
			i--
		}
		if i == 0 || n-i > 18 || t[i-1] == ',' || t[i-1] == '.' || t[i-1]-'0' <= 9 {
			return 0, "", false
		}
		v, _ := parseSize(t[i:])
		return v, t[:i], true
	}
	if n > 2 && t[n-1]|0x20 == 'b' && t[n-2]-'0' > 9 {
		n-- // "12KB", "1.5GB": FileZilla reads the unit before a B
	}
	shift := 0
	switch t[n-1] | 0x20 {
	case 'b':
	case 'k':
		shift = 10
	case 'm':
		shift = 20
	case 'g':
		shift = 30
	case 't':
		shift = 40
	default:
		return 0, "", false
	}
	whole, frac, _ := strings.Cut(t[:n-1], ".")
	if !isDigits(whole) || whole == "" || len(whole) > 15 || frac != "" && (!isDigits(frac) || len(frac) > 6 || shift == 0) {
		return 0, "", false
	}
	w, _ := parseSize(whole)
	if w > (1<<62)>>shift {
		return 0, "", false
	}
	size = w << shift
	if frac != "" {
		f, _ := parseSize(frac)
		scale := int64(1)
		for range len(frac) {
			scale *= 10
		}
		size += f << shift / scale
	}
	return size, "", true
}

// isDevice reports whether t is "major,minor" written without a space.
func isDevice(t string) bool {
	maj, min, ok := strings.Cut(t, ",")
	return ok && isDigits(maj) && isDigits(min)
}

// setOwners fills Owner and Group from the fields [from, to): an optional link
// count, the owner, and the group (which may contain spaces, as in Cygwin's
// "Domain Users").
func setOwners(f *fields, from, to int, e *Entry) {
	if from < to && isDigits(f.at(from)) && to-from > 1 {
		from++ // link count
	}
	switch {
	case to-from == 1:
		e.Owner = f.at(from)
		if e.Owner == "folder" && e.Type == Dir {
			// NetPresenz: "drwxrwxr-x  folder  2 May 10  1996 name": 2 is an item count.
			e.Owner, e.Size = "", -1
		}
	case to-from > 1:
		e.Owner, e.Group = f.at(from), f.join(from+1, to-1)
	}
}
