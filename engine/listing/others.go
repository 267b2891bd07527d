package listing

import (
	"io/fs"
	"strings"
	"time"
)

// This file parses the rarer formats that still answer in the field:
//
//	+i8388621.48594,m825718503,r,s280,	djb.html                    (EPLF)
//	QSYS            77824 02/23/00 15:09:55 *DIR       QSYS/         (AS/400)
//	PROFILE  EXEC     V         71          6          1 2024-03-29 12:00:00 DIR191 (z/VM)
//	    1024    Mar 29 2024  12:00:00   name                         (VxWorks)
//	IARPA        101            5924  18-Jun-19 14:08:59   255,255 "oooo" (HP NonStop)
//	d [RWCEAFMS] Administrator    512 Mar 29 12:00 public              (NetWare)
//	100644 1000 1000 1234 1711713600 name                            (numeric Unix)
//	20.20 07/03/29 1026 d-ewrewr 2650 85920 name                      (OS-9)
//	name       1014196  06/03/04  Thur.   10:20:03                    (Nortel wfFTP)

// parseEPLF parses Easily Parsed LIST Format (cr.yp.to/ftp/list/eplf.html):
// "+" facts separated by "," then a tab and the name. Its times are Unix
// seconds, so they are UTC.
func parseEPLF(p *Parser, line string, e *Entry) result {
	if len(line) < 3 || line[0] != '+' {
		return failed
	}
	tab := strings.IndexByte(line, '\t')
	if tab < 0 || tab == len(line)-1 {
		return failed
	}
	e.Name, e.Size, e.Raw = line[tab+1:], -1, line
	for _, fact := range strings.Split(line[1:tab], ",") {
		if fact == "" {
			continue
		}
		v := fact[1:]
		switch fact[0] {
		case '/':
			e.Type = Dir
		case 's':
			if n, ok := parseSize(v); ok && isDigits(v) {
				e.Size = n
			}
		case 'm':
			if n, ok := parseSize(v); ok && isDigits(v) && n < 1<<40 {
				e.ModTime, e.Precision = time.Unix(n, 0).UTC(), PrecisionSecond
			}
		case 'u':
			if len(v) > 1 && v[0] == 'p' {
				if m, ok := parseOctalMode(v[1:]); ok {
					e.Mode, e.Perm = m, v[1:]
				}
			}
		}
	}
	return matched
}

// parseAS400 parses IBM i (OS/400) lines: owner, size, date, time, object
// type, name. Members of a file carry no size or date.
func parseAS400(p *Parser, line string, e *Entry) result {
	var f fields
	f.split(line)
	if f.n < 3 {
		return failed
	}
	e.Size, e.Raw, e.Owner = -1, line, f.at(0)
	i := 1
	if f.n >= 6 && isDigits(f.at(1)) {
		e.Size, _ = parseSize(f.at(1))
		y, m, d, ok := dosDate(f.at(2))
		if !ok {
			y, m, d, ok = as400Date(f.at(2))
		}
		if !ok {
			return failed
		}
		c, ok := parseClock(f.at(3))
		if !ok || c.prec != PrecisionSecond {
			return failed
		}
		e.ModTime, e.Precision = p.zone.utc(y, m, d, c), PrecisionSecond
		i = 4
	}
	kind := f.at(i)
	if len(kind) < 4 || kind[0] != '*' || !isUpperWord(kind[1:]) {
		return failed
	}
	name, ok := f.afterTrim(i)
	if !ok {
		return failed
	}
	switch kind {
	case "*DIR", "*LIB", "*FLR":
		e.Type = Dir
	case "*FILE":
		// A file object, as FileZilla shows it: a database file does hold
		// members, but the server refuses to CWD into QGPL/QCLSRC, so a
		// folder would only fail when opened (issue 16).
	}
	e.Perm = kind
	if n := len(name); n > 1 && name[n-1] == '/' {
		// FileZilla's only sign of a directory: it holds for *DDIR and
		// any other kind a server lists so.
		e.Type, name = Dir, name[:n-1]
	}
	if i := strings.LastIndexByte(name, '/'); i >= 0 && i < len(name)-1 {
		name = name[i+1:]
	}
	if name == "" {
		return failed
	}
	e.Name = name
	return matched
}

// as400Date parses "YY.MM.DD", the ISO-like form of some IBM i servers.
func as400Date(t string) (y, m, d int, ok bool) {
	if len(t) != 8 || t[2] != '.' || t[5] != '.' {
		return 0, 0, 0, false
	}
	yy, ok1 := atoi(t[:2], 2)
	m, ok2 := atoi(t[3:5], 2)
	d, ok3 := atoi(t[6:], 2)
	y = fullYear(yy, 2)
	return y, m, d, ok1 && ok2 && ok3 && validDate(y, m, d)
}

func isUpperWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < 'A' || s[i] > 'Z') && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return s != ""
}

// parseVM parses z/VM CMS minidisk lines: file name, file type, record
// format, record length, records, blocks, date, time, label. The file is
// "NAME.TYPE"; a file type of DIR is a directory (an SFS subdirectory).
func parseVM(p *Parser, line string, e *Entry) result {
	var f fields
	f.split(line)
	if f.n < 8 || f.n > 9 {
		return failed
	}
	recfm := f.at(2)
	if recfm != "F" && recfm != "V" && recfm != "-" {
		return failed
	}
	y, m, d, ok := isoDate(f.at(6))
	if !ok || y == 0 {
		if y, m, d, ok = yearFirstDate(f.at(6)); !ok {
			return failed
		}
	}
	c, ok := parseClock(f.at(7))
	if !ok {
		return failed
	}
	e.Name, e.Size, e.Raw = f.at(0)+"."+f.at(1), -1, line
	if f.at(1) == "DIR" {
		e.Type, e.Name = Dir, f.at(0)
	} else if lrecl, ok := atoi(f.at(3), 6); ok && recfm != "-" {
		// FileZilla's size for F and V records alike: for V, LRECL is the
		// longest record, so this is an upper bound of the bytes.
		if recs, ok := atoi(f.at(4), 10); ok {
			e.Size = int64(lrecl) * int64(recs)
		}
	}
	e.ModTime, e.Precision = p.zone.utc(y, m, d, c), c.prec
	return matched
}

// parseVxWorks parses the VxWorks FTP server: size, "Mon DD YYYY", time,
// name, with " <DIR>" after directory names.
func parseVxWorks(p *Parser, line string, e *Entry) result {
	var f fields
	f.split(line)
	if f.n < 6 || !isDigits(f.at(0)) {
		return failed
	}
	m := month(f.at(1))
	d, ok1 := dayNumber(f.at(2))
	y, ok2 := atoi(f.at(3), 4)
	c, ok3 := parseClock(f.at(4))
	if n := len(f.at(3)); n == 2 {
		y = fullYear(y, 2) // "Jul 10 06" (FileZilla reads 2-digit years here too)
	} else if n != 4 {
		ok2 = false
	}
	if m == 0 || !ok1 || !ok2 || !ok3 || !validDate(y, m, d) {
		return failed
	}
	name, ok := f.afterTrim(4)
	if !ok {
		return failed
	}
	e.Size, _ = parseSize(f.at(0))
	if n, ok := strings.CutSuffix(name, " <DIR>"); ok {
		e.Type, e.Size = Dir, -1
		name = strings.TrimRight(n, " ")
	} else if n := len(name); n > 1 && (name[n-1] == '/' || name[n-1] == '\\') {
		e.Type, name = Dir, name[:n-1] // VShell marks directories so
	}
	e.Name, e.Raw = name, line
	e.ModTime, e.Precision = p.zone.utc(y, m, d, c), c.prec
	return matched
}

// parseNonStop parses HP NonStop (Tandem) Guardian listings: name, file
// code, EOF (size), "DD-Mon-YY HH:MM:SS", owner "group,user", "RWEP".
func parseNonStop(p *Parser, line string, e *Entry) result {
	var f fields
	f.split(line)
	if f.n < 6 || line[0] == ' ' {
		return failed
	}
	code := strings.TrimSuffix(f.at(1), "O") // an "O" marks an open file
	if !isDigits(code) {
		return failed
	}
	size, ok := parseSize(f.at(2))
	if !ok || !isDigits(f.at(2)) {
		return failed
	}
	y, m, d, ok := vmsDate(f.at(3))
	if !ok {
		return failed
	}
	c, ok := parseClock(f.at(4))
	if !ok {
		return failed
	}
	e.Name, e.Size, e.Raw = f.at(0), size, line
	e.ModTime, e.Precision = p.zone.utc(y, m, d, c), c.prec
	// The owner may be written "255,255" or "255, 255".
	j := 5
	if strings.HasSuffix(f.at(j), ",") && j+1 < f.n {
		j++
	}
	e.Owner = f.join(5, j)
	if q := f.at(j + 1); len(q) >= 2 && q[0] == '"' && q[len(q)-1] == '"' {
		e.Perm = q[1 : len(q)-1]
	}
	return matched
}

// parseNetware parses Novell NetWare listings:
//
//	d [RWCEAFMS] Administrator    512 Mar 29 12:00 public
func parseNetware(p *Parser, line string, e *Entry) result {
	var f fields
	f.split(line)
	k, r := f.at(0), f.at(1)
	if f.n < 7 || len(k) != 1 || (k[0] != 'd' && k[0] != '-') || len(r) < 3 || r[0] != '[' || r[len(r)-1] != ']' {
		return failed
	}
	size, ok := parseSize(f.at(3))
	if !ok {
		return failed
	}
	var d date
	if !parseDate(&f, 4, &d) {
		return failed
	}
	name, ok := f.after(d.last)
	if !ok || !p.setTime(e, d) {
		return failed
	}
	if name = strings.TrimLeft(name, " "); name == "" {
		return failed
	}
	e.Name, e.Size, e.Perm, e.Owner, e.Raw = name, size, r, f.at(2), line
	if k[0] == 'd' {
		e.Type = Dir
	}
	return matched
}

// yearFirstDate parses the dates FileZilla reads in "sane field order":
// "YY/MM/DD" or "YY-MM-DD" (z/VM, OS-9), and four-digit years.
func yearFirstDate(t string) (y, m, d int, ok bool) {
	if y, m, d, ok := isoDate(t); ok && y != 0 {
		return y, m, d, true
	}
	if len(t) != 8 || t[2] != t[5] || (t[2] != '/' && t[2] != '-' && t[2] != '.') {
		return 0, 0, 0, false
	}
	yy, ok1 := atoi(t[:2], 2)
	m, ok2 := atoi(t[3:5], 2)
	d, ok3 := atoi(t[6:], 2)
	y = fullYear(yy, 2)
	return y, m, d, ok1 && ok2 && ok3 && validDate(y, m, d)
}

// parseNumericUnix parses the numeric Unix format FileZilla's ParseOther
// reads: octal mode, uid, gid, size, Unix seconds, name.
//
//	100644 1000 1000 1234 1711713600 name
func parseNumericUnix(p *Parser, line string, e *Entry) result {
	var f fields
	f.split(line)
	if f.n < 6 || line[0] == ' ' {
		return failed
	}
	mode := f.at(0)
	if len(mode) < 3 || len(mode) > 7 || !isDigits(f.at(1)) || !isDigits(f.at(2)) || !isDigits(f.at(3)) {
		return failed
	}
	bits, ok := octal(mode)
	secs, ok2 := atoi(f.at(4), 11)
	size, ok3 := parseSize(f.at(3))
	name, ok4 := f.after(4)
	if !ok || !ok2 || !ok3 || !ok4 || name == "" {
		return failed
	}
	e.Mode, _ = parseOctalMode(mode[max(0, len(mode)-4):])
	switch bits & 0o170000 { // S_IFMT
	case 0o040000:
		e.Type, e.Mode = Dir, e.Mode|fs.ModeDir
	case 0o120000:
		e.Type, e.Mode = Link, e.Mode|fs.ModeSymlink
	}
	e.Name, e.Size, e.Raw, e.Perm = name, size, line, mode
	e.Owner, e.Group = f.at(1), f.at(2)
	e.ModTime, e.Precision = time.Unix(int64(secs), 0).UTC(), PrecisionSecond
	return matched
}

// octal parses a string of octal digits.
func octal(s string) (uint32, bool) {
	var n uint32
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 7 {
			return 0, false
		}
		n = n<<3 | uint32(c)
	}
	return n, s != ""
}

// parseOS9 parses OS-9 listings: owner "group.user", date YY/MM/DD, time
// HHMM, attributes (a leading d marks a directory), sector, size, name.
//
//	20.20 07/03/29 1026 d-ewrewr 2650 85920 name
//
// FileZilla shows the date without the time; so does Skiff.
func parseOS9(p *Parser, line string, e *Entry) result {
	var f fields
	f.split(line)
	if f.n < 7 || line[0] == ' ' {
		return failed
	}
	g, u, ok := strings.Cut(f.at(0), ".")
	if !ok || !isDigits(g) || !isDigits(u) {
		return failed
	}
	y, m, d, ok := yearFirstDate(f.at(1))
	if !ok || !isDigits(f.at(2)) || !isDigits(f.at(4)) {
		return failed
	}
	size, ok := parseSize(f.at(5))
	name, ok2 := f.afterTrim(5)
	if !ok || !isDigits(f.at(5)) || !ok2 {
		return failed
	}
	perm := f.at(3)
	if perm[0] == 'd' {
		e.Type = Dir
	}
	e.Name, e.Size, e.Raw, e.Perm, e.Owner = name, size, line, perm, f.at(0)
	e.ModTime, e.Precision = p.zone.utc(y, m, d, clock{}), PrecisionDay
	return matched
}

// parseWfFTP parses the wfFTP server of Nortel routers: name, size, date
// MM/DD/YY, weekday with a dot, time.
//
//	nortel-wfftp-file       1014196  06/03/04  Thur.   10:20:03
func parseWfFTP(p *Parser, line string, e *Entry) result {
	var f fields
	f.split(line)
	if f.n != 5 || line[0] == ' ' {
		return failed
	}
	size, ok := parseSize(f.at(1))
	if !ok || !isDigits(f.at(1)) {
		return failed
	}
	y, m, d, ok := dosDate(f.at(2))
	if wd := f.at(3); !ok || len(wd) < 3 || wd[len(wd)-1] != '.' {
		return failed
	}
	c, ok := parseClock(f.at(4))
	if !ok {
		return failed
	}
	e.Name, e.Size, e.Raw = f.at(0), size, line
	e.ModTime, e.Precision = p.zone.utc(y, m, d, c), c.prec
	return matched
}
