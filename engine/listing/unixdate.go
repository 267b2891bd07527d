package listing

import (
	"strings"
	"time"
)

// This file reads the dates of ls -l lines and of the servers that imitate
// them: month names and numbers in every order FileZilla reads, numeric and
// East-Asian dates, and the year rule and zone applied to what was read.

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
