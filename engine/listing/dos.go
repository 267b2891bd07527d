package listing

import "strings"

// This file parses the DOS-style listings of Windows servers (IIS, FileZilla
// Server in DOS mode, Serv-U on request) and of OS/2:
//
//	03-29-24  12:00PM       <DIR>          folder
//	03-29-2024  14:05             1,234,567 file.txt
//	29.03.2024  14:05                 1.234 file.txt
//	2024-03-29  14:05    <JUNCTION>     link [\\?\C:\target]
//	     0           DIR   05-12-97   16:44  PSFONTS           (OS/2)
//	 36611      A    04-23-103   10:57  OS2 test1.file         (OS/2)

// dosDate parses a numeric date with "-", "/" or "." separators:
// MM-DD-YY[YY], DD.MM.YY[YY], YYYY-MM-DD; a first number above 12 is a day.
func dosDate(t string) (y, m, d int, ok bool) {
	a, rest, ok := leadingInt(t, 4)
	if !ok || len(rest) < 2 {
		return 0, 0, 0, false
	}
	aDigits := len(t) - len(rest)
	sep := rest[0]
	if sep != '-' && sep != '/' && sep != '.' {
		return 0, 0, 0, false
	}
	b, rest, ok := leadingInt(rest[1:], 2)
	if !ok || len(rest) < 2 || rest[0] != sep {
		return 0, 0, 0, false
	}
	cs := rest[1:]
	c, ok := atoi(cs, 4)
	if !ok {
		return 0, 0, 0, false
	}
	switch {
	case aDigits == 4:
		y, m, d = a, b, c
	case aDigits == 3:
		return 0, 0, 0, false
	case sep == '.' || a > 12:
		d, m, y = a, b, fullYear(c, len(cs))
	default:
		m, d, y = a, b, fullYear(c, len(cs))
	}
	return y, m, d, validDate(y, m, d)
}

// parseDOS parses one Windows/IIS line.
func parseDOS(p *Parser, line string, e *Entry) result {
	if line == "" || line[0]-'0' > 9 {
		return failed
	}
	var f fields
	f.split(line)
	if f.n < 4 {
		return failed
	}
	y, m, d, ok := dosDate(f.at(0))
	if !ok {
		return failed
	}
	c, ok := parseClock(f.at(1))
	if !ok {
		return failed
	}
	i := 2
	if c2, ok := ampm(c, f.at(2)); ok { // "12:00 PM"
		c, i = c2, 3
	}
	tok := f.at(i)
	var name string
	switch {
	case strings.EqualFold(tok, "<DIR>"):
		e.Type, e.Size = Dir, -1
		name, ok = f.afterTrim(i)
	case len(tok) > 2 && tok[0] == '<' && tok[len(tok)-1] == '>':
		// <JUNCTION>, <SYMLINK>, <SYMLINKD>: "name [target]"
		e.Type, e.Size = Link, -1
		name, ok = f.afterTrim(i)
		if j := strings.LastIndex(name, " ["); ok && j > 0 && strings.HasSuffix(name, "]") {
			name, e.Target = name[:j], name[j+2:len(name)-1]
		}
	default:
		e.Size, ok = parseSize(tok)
		if !ok {
			return failed
		}
		name, ok = f.after(i)
	}
	if !ok || name == "" {
		return failed
	}
	e.Name, e.Raw = name, line
	e.ModTime, e.Precision = p.zone.utc(y, m, d, c), c.prec
	return matched
}

// parseOS2 parses one OS/2 line: size, attributes (DIR, A, R, H, S), date,
// time, name.
func parseOS2(p *Parser, line string, e *Entry) result {
	var f fields
	f.split(line)
	if f.n < 4 {
		return failed
	}
	size, ok := parseSize(f.at(0))
	if !ok || !isDigits(f.at(0)) {
		return failed
	}
	i := 1
	for ; i < f.n && i < 5 && isOS2Attr(f.at(i)); i++ {
		if f.at(i) == "DIR" {
			e.Type = Dir
		}
	}
	y, m, d, ok := dosDate(f.at(i))
	if !ok {
		return failed
	}
	c, ok := parseClock(f.at(i + 1))
	if !ok || c.prec != PrecisionMinute {
		return failed
	}
	name, ok := f.afterTrim(i + 1)
	if !ok {
		return failed
	}
	e.Name, e.Size, e.Raw = name, size, line
	e.ModTime, e.Precision = p.zone.utc(y, m, d, c), PrecisionMinute
	return matched
}

func isOS2Attr(t string) bool {
	if t == "DIR" {
		return true
	}
	for i := 0; i < len(t); i++ {
		if !strings.ContainsRune("ARHS", rune(t[i])) {
			return false
		}
	}
	return t != ""
}
