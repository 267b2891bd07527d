package listing

import (
	"io/fs"
	"strings"
	"time"
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

// date is a parsed LIST date.
type date struct {
	y, m, d  int // y == 0: no year given
	c        clock
	prec     Precision
	last     int // index of the date's last field
	explicit bool
	hasZone  bool // the line named its zone: zone seconds east of UTC
	zone     int
	padded   bool // one more space may separate the date from the name
}

// parseDate reads a date starting at field i, in any of the forms ls and
// its imitators print:
//
//	Mar 29 12:00 | Mar 29  2024 | Mar 29 12:00:00 2024 (ls -T)
//	29 Mar 12:00 | 29. mars 2024            (day first, many locales)
//	2024-03-29 12:00[:05[.123456789] +0100] | 2024-03-29 | 03-29 12:00 (ls --time-style)
//	2024/03/29 [12:00]
//	3月 29 12:00 | 3月 29日 12:00 | 3月29日 12:00 | 2024年3月29日 | 2024年 3月29日 | 2024년 3월 29일
//	  (年月日 also in Shift-JIS, EUC-JP, GBK and Big5 bytes, 년월일 in EUC-KR)
//	3 29 12:00 | 03 29  2024 (numeric month) | 2024 Mar 29 | 2024 3 29 (year first, no time)
//	03-29 2024 | 03/29 2024 | 29-Mar-2024 | Mar-29-2024 | 29.03.2024 | Mar 29 12.00
func parseDate(f *fields, i int, d *date) bool {
	t := f.at(i)
	if t == "" {
		return false
	}
	if m := month(t); m != 0 {
		if t[0]-'0' <= 9 {
			// "3月 29日 12:00" / "3月 29 12:00"
			day, ok := cjkNumber(f.at(i+1), 'd')
			if !ok {
				return false
			}
			d.m, d.d = m, day
		} else {
			day, ok := dayNumber(f.at(i + 1))
			if !ok {
				return false
			}
			d.m, d.d = m, day
		}
		return yearOrClock(f, i+2, d)
	}
	if day, ok := dayNumber(t); ok {
		if m := month(f.at(i + 1)); m != 0 {
			d.m, d.d = m, day
			return yearOrClock(f, i+2, d)
		}
		if m, ok := atoi(t, 2); ok && m >= 1 && m <= 12 {
			// A numeric month: "3 29 12:00", "03 29  2023" (FileZilla's
			// month table holds the numbers too).
			if day, ok := dayNumber(f.at(i + 1)); ok {
				d.m, d.d = m, day
				return yearOrClock(f, i+2, d)
			}
		}
		return false
	}
	if len(t) == 4 && isDigits(t) {
		return yearFirst(f, i, d)
	}
	if t[0]-'0' > 9 {
		if y, m, day, ok := numericDate(t); ok { // "Mar-29-2023"
			d.y, d.m, d.d, d.explicit, d.prec, d.last = y, m, day, true, PrecisionDay, i
			if c, ok := parseClock(f.at(i + 1)); ok {
				d.c, d.prec, d.last = c, c.prec, i+1
			}
			return true
		}
		return false
	}
	// Numeric and East-Asian forms.
	if y, m, day, ok := isoDate(t); ok {
		d.y, d.m, d.d, d.explicit, d.prec, d.last = y, m, day, y != 0, PrecisionDay, i
		if c, ok := parseClock(f.at(i + 1)); ok {
			d.c, d.prec, d.last = c, c.prec, i+1
			if z := f.at(i + 2); len(z) == 5 && (z[0] == '+' || z[0] == '-') && isDigits(z[1:]) {
				// ls --full-time prints the server's zone: it wins over the site setting.
				h, _ := atoi(z[1:3], 2)
				m, _ := atoi(z[3:], 2)
				d.zone, d.hasZone, d.last = (h*60+m)*60, true, i+2
				if z[0] == '-' {
					d.zone = -d.zone
				}
			}
		} else if y == 0 {
			// "09-26 2000": month and day, then the year (FileZilla).
			yt := f.at(i + 1)
			if len(yt) != 4 || !isDigits(yt) {
				return false
			}
			d.y, _ = atoi(yt, 4)
			d.explicit, d.last = true, i+1
		} else {
			// ls --time-style=iso pads "2023-03-29" to the width of "03-29 12:00".
			d.padded = true
		}
		return true
	}
	if y, m, day, ok := numericDate(t); ok {
		d.y, d.m, d.d, d.explicit, d.prec, d.last = y, m, day, true, PrecisionDay, i
		if c, ok := parseClock(f.at(i + 1)); ok {
			d.c, d.prec, d.last = c, c.prec, i+1
		}
		return true
	}
	if y, m, day, n, ok := cjkDate(f, i); ok {
		d.y, d.m, d.d, d.explicit, d.prec, d.last = y, m, day, y != 0, PrecisionDay, i+n-1
		if y == 0 {
			c, ok := parseClock(f.at(i + n))
			if !ok {
				return false
			}
			d.c, d.prec, d.last = c, c.prec, i+n
		}
		return true
	}
	return false
}

// yearFirst reads "2023 Mar 29" and "2023 3 29": a year, a month (name or
// number) and a day, and no time (FileZilla reads these orders so). A clock
// or a year after them means the four digits were the size and the real
// date follows, as in "1000 2023 Mar 29 12:00" read one field too early.
func yearFirst(f *fields, i int, d *date) bool {
	y, _ := atoi(f.at(i), 4)
	if y < 1900 || y > 2999 {
		return false
	}
	mt := f.at(i + 1)
	m := month(mt)
	if m == 0 {
		if n, ok := atoi(mt, 2); ok {
			m = validMonth(n)
		}
	}
	day, ok := dayNumber(f.at(i + 2))
	if m == 0 || !ok {
		return false
	}
	if next := f.at(i + 3); next != "" {
		if _, ok := parseClock(next); ok || len(next) == 4 && isDigits(next) {
			return false
		}
	}
	d.y, d.m, d.d, d.explicit, d.prec, d.last = y, m, day, true, PrecisionDay, i+2
	return true
}

// yearOrClock reads the field after "month day": a year or a time, and for
// ls -T a time followed by a year.
func yearOrClock(f *fields, i int, d *date) bool {
	t := f.at(i)
	if len(t) == 4 && isDigits(t) {
		d.y, _ = atoi(t, 4)
		d.explicit, d.prec, d.last = true, PrecisionDay, i
		if c, ok := parseClock(f.at(i + 1)); ok {
			// "Mar 10 2023 12:00": a time after the year (FileZilla takes it).
			d.c, d.prec, d.last = c, c.prec, i+1
		}
		return d.y > 0
	}
	if t == "" {
		return false
	}
	if y, rest, ok := leadingInt(t, 4); ok && isCJKUnit(rest, 'y') && y > 0 {
		d.y, d.explicit, d.prec, d.last = y, true, PrecisionDay, i
		return true
	}
	c, ok := parseClock(t)
	if !ok {
		if c, ok = dotClock(t); !ok {
			return false
		}
	}
	d.c, d.prec, d.last = c, c.prec, i
	if y := f.at(i + 1); len(y) == 4 && isDigits(y) {
		d.y, _ = atoi(y, 4)
		d.explicit, d.last = true, i+1
	}
	return true
}

// dotClock parses "12.00", the time as ls prints it in Finnish and a few
// other locales (FileZilla accepts '.' and '-' between hour and minute).
func dotClock(t string) (clock, bool) {
	h, rest, ok := leadingInt(t, 2)
	if !ok || len(rest) != 3 || rest[0] != '.' || h > 23 {
		return clock{}, false
	}
	m, ok := atoi(rest[1:], 2)
	if !ok || m > 59 {
		return clock{}, false
	}
	return clock{h: h, m: m, prec: PrecisionMinute}, true
}

// dayNumber parses a day of the month: "29", "29." or "29,".
func dayNumber(t string) (int, bool) {
	if n := len(t); n > 1 && (t[n-1] == '.' || t[n-1] == ',') {
		t = t[:n-1]
	}
	d, ok := atoi(t, 2)
	return d, ok && d >= 1 && d <= 31
}

// cjkNumber parses "29" or 29 followed by the East-Asian suffix of unit.
func cjkNumber(t string, unit byte) (int, bool) {
	n, rest, ok := leadingInt(t, 2)
	if !ok || n < 1 || n > 31 {
		return 0, false
	}
	return n, rest == "" || isCJKUnit(rest, unit)
}

// isoDate parses "YYYY-MM-DD", "YYYY/MM/DD" and the year-less "MM-DD" that
// ls --time-style=iso prints for recent files (y == 0).
func isoDate(t string) (y, m, d int, ok bool) {
	switch {
	case len(t) == 10 && (t[4] == '-' || t[4] == '/') && t[7] == t[4]:
		y, ok1 := atoi(t[:4], 4)
		m, ok2 := atoi(t[5:7], 2)
		d, ok3 := atoi(t[8:], 2)
		return y, m, d, ok1 && ok2 && ok3 && y > 0 && validDate(y, m, d)
	case len(t) == 5 && (t[2] == '-' || t[2] == '/'):
		m, ok1 := atoi(t[:2], 2)
		d, ok2 := atoi(t[3:], 2)
		return 0, m, d, ok1 && ok2 && validDate(2000, m, d)
	}
	return 0, 0, 0, false
}

// numericDate parses the dates some ls imitators print in place of "Mar 29
// 2024", the way FileZilla's ParseShortDate reads them: three parts joined
// by one of "-", "." and "/", with a 2- or 4-digit year and a month that may
// be a name ("29-Mar-2024"). A 4-digit first part is the year (Y-M-D);
// otherwise the year is last, and the day comes first after a dot (D.M.Y)
// and second after "-" or "/" (M-D-Y), unless that month would exceed 12.
func numericDate(t string) (y, m, d int, ok bool) {
	if len(t) < 6 || len(t) > 17 {
		return 0, 0, 0, false
	}
	sep := byte(0)
	for i := 0; i < len(t); i++ {
		if c := t[i]; c == '-' || c == '.' || c == '/' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return 0, 0, 0, false
	}
	a, rest, ok1 := strings.Cut(t, string(sep))
	b, c, ok2 := strings.Cut(rest, string(sep))
	if !ok1 || !ok2 || a == "" || b == "" || c == "" {
		return 0, 0, 0, false
	}
	// part returns a number (and its digit count) or a month name's number (digits 0).
	part := func(s string) (v, digits int, ok bool) {
		if isDigits(s) {
			v, ok = atoi(s, 4)
			return v, len(s), ok
		}
		if v = month(s); v != 0 && s[0]-'0' > 9 {
			return v, 0, true
		}
		return 0, 0, false
	}
	av, ad, ok1 := part(a)
	bv, bd, ok2 := part(b)
	cv, cd, ok3 := part(c)
	if !ok1 || !ok2 || !ok3 {
		return 0, 0, 0, false
	}
	switch {
	case ad == 4 && cd > 0 && cd <= 2: // Y-M-D
		y, m, d = av, bv, cv
	case (cd == 4 || cd == 2) && ad > 0 && ad <= 2 && bd == 0: // D-Mon-Y
		y, m, d = fullYear(cv, cd), bv, av
	case (cd == 4 || cd == 2) && ad == 0 && bd > 0 && bd <= 2: // Mon-D-Y
		y, m, d = fullYear(cv, cd), av, bv
	case (cd == 4 || cd == 2) && ad > 0 && ad <= 2 && bd > 0 && bd <= 2:
		y, m, d = fullYear(cv, cd), av, bv
		if sep == '.' || m > 12 {
			m, d = d, m
		}
	default:
		return 0, 0, 0, false
	}
	return y, m, d, y > 0 && validDate(y, m, d)
}

// cjkDate parses the East-Asian forms that carry a year or "日": it returns
// how many fields it used. "2024年3月29日", "2024年 3月29日", "2024年 3月 29日",
// "3月29日" (no year: a clock follows), and the Korean equivalents.
func cjkDate(f *fields, i int) (y, m, d, n int, ok bool) {
	t := f.at(i)
	n = 1
	if v, rest, ok := leadingInt(t, 4); ok && v > 31 {
		u, l := cjkUnit(rest)
		if u != 'y' {
			return 0, 0, 0, 0, false
		}
		y = v
		t = rest[l:]
		if t == "" {
			t, n = f.at(i+1), 2
		}
	}
	m, rest, ok := leadingInt(t, 2)
	if !ok {
		return 0, 0, 0, 0, false
	}
	u, l := cjkUnit(rest)
	if u != 'm' {
		return 0, 0, 0, 0, false
	}
	rest = rest[l:]
	if rest == "" {
		rest = f.at(i + n)
		n++
	}
	d, ok = cjkNumber(rest, 'd')
	if !ok || isDigits(rest) {
		return 0, 0, 0, 0, false
	}
	if y != 0 && !validDate(y, m, d) || m < 1 || m > 12 {
		return 0, 0, 0, 0, false
	}
	return y, m, d, n, true
}

// setTime stores a parsed date in e, applying the year rule and the zone.
func (p *Parser) setTime(e *Entry, d date) bool {
	y := d.y
	if !d.explicit {
		var ok bool
		if y, ok = p.zone.inferYear(d.m, d.d, d.c); !ok {
			return false
		}
	} else if !validDate(y, d.m, d.d) {
		return false
	}
	if d.hasZone {
		e.ModTime = time.Date(y, time.Month(d.m), d.d, d.c.h, d.c.m, d.c.s, d.c.ns, time.UTC).Add(-time.Duration(d.zone) * time.Second)
	} else {
		e.ModTime = p.zone.utc(y, d.m, d.d, d.c)
	}
	e.Precision = d.prec
	return true
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
