package listing

import (
	"strings"
	"time"
)

// This file holds what every LIST format shares: month names in the
// languages servers print them in, small number and clock parsers, the year
// rule for dates without a year, and the conversion of a server's wall clock
// to UTC.

// futureSlack is how far in the future a year-less LIST date may lie and still
// belong to this year: servers and clients disagree by up to a day because of
// time zones (a server east of the client lists a file written "tomorrow").
const futureSlack = 24 * time.Hour

// monthNames maps lower-case month names and abbreviations, as ls prints them
// in the common locales, to month numbers. English three-letter names are
// handled by a switch in month and are not repeated here.
var monthNames = map[string]int{
	// English, long forms (BSD ls -T, some embedded servers)
	"january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7,
	"august": 8, "september": 9, "sept": 9, "october": 10, "november": 11, "december": 12,
	// German (Austrian "Jän")
	"jän": 1, "j\xe4n": 1, "mär": 3, "mrz": 3, "märz": 3, "maerz": 3, "juni": 6, "juli": 7, "mai": 5, "okt": 10, "dez": 12, "januar": 1, "februar": 2,
	// French
	"janv": 1, "fév": 2, "févr": 2, "fev": 2, "fevr": 2, "mars": 3, "avr": 4, "juin": 6,
	"juil": 7, "aoû": 8, "aou": 8, "août": 8, "aout": 8, "déc": 12,
	// Spanish
	"ene": 1, "abr": 4, "ago": 8, "dic": 12,
	// Italian
	"gen": 1, "mag": 5, "giu": 6, "lug": 7, "set": 9, "ott": 10,
	// Dutch
	"mrt": 3, "mei": 5,
	// Portuguese
	"out": 10,
	// Scandinavian
	"maj": 5, "des": 12,
	// Polish
	"sty": 1, "lut": 2, "kwi": 4, "cze": 6, "lip": 7, "sie": 8, "wrz": 9, "paź": 10, "paz": 10,
	"lis": 11, "gru": 12,
	// Czech
	"led": 1, "úno": 2, "bře": 3, "dub": 4, "kvě": 5, "čer": 6, "čvc": 7, "srp": 8, "zář": 9,
	"říj": 10, "pro": 12,
	// Hungarian
	"febr": 2, "márc": 3, "ápr": 4, "máj": 5, "jún": 6, "júl": 7, "szept": 9,
	// Turkish
	"oca": 1, "şub": 2, "nis": 4, "haz": 6, "tem": 7, "ağu": 8, "eyl": 9, "eki": 10, "kas": 11, "ara": 12,
	// Finnish (ls prints "maalis" or "maaliskuu")
	"tammi": 1, "helmi": 2, "maalis": 3, "huhti": 4, "touko": 5, "kesä": 6, "heinä": 7, "elo": 8,
	"syys": 9, "loka": 10, "marras": 11, "joulu": 12,
	"tammikuu": 1, "helmikuu": 2, "maaliskuu": 3, "huhtikuu": 4, "toukokuu": 5, "kesäkuu": 6,
	"heinäkuu": 7, "elokuu": 8, "syyskuu": 9, "lokakuu": 10, "marraskuu": 11, "joulukuu": 12,
	// Russian (and the genitive "мая")
	"янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "июн": 6, "июл": 7, "авг": 8,
	"сен": 9, "окт": 10, "ноя": 11, "дек": 12,
	// Latin-1 encoded German and French names from servers that do not speak UTF-8.
	"m\xe4r": 3, "f\xe9v": 2, "f\xe9vr": 2, "ao\xfb": 8, "ao\xfbt": 8, "d\xe9c": 12,
}

// East-Asian dates mark the year, month and day with a character after the
// number ("2024年 3月29日", Korean "2024년 3월 29일"). Servers that do not speak
// UTF-8 send that character in their legacy encoding; FileZilla reads the
// number and drops whatever non-ASCII suffix follows. Skiff knows the bytes of
// 年月日 (년월일 for Korean) in the five encodings such servers use, so a
// suffix is recognised exactly and a number followed by other bytes is not
// taken for a date.
var cjkUnits = [...]struct {
	s    string
	unit byte // 'y', 'm' or 'd'
}{
	{"年", 'y'}, {"月", 'm'}, {"日", 'd'}, // UTF-8 Chinese and Japanese
	{"년", 'y'}, {"월", 'm'}, {"일", 'd'}, // UTF-8 Korean
	{"\x94N", 'y'}, {"\x8c\x8e", 'm'}, {"\x93\xfa", 'd'}, // Shift-JIS
	{"\xc7\xaf", 'y'}, {"\xb7\xee", 'm'}, {"\xc6\xfc", 'd'}, // EUC-JP
	{"\xc4\xea", 'y'}, {"\xd4\xc2", 'm'}, {"\xc8\xd5", 'd'}, // GBK (GB 2312)
	{"\xa6~", 'y'}, {"\xa4\xeb", 'm'}, {"\xa4\xe9", 'd'}, // Big5
	{"\xb3\xe2", 'y'}, {"\xbf\xf9", 'm'}, {"\xc0\xcf", 'd'}, // EUC-KR
}

// cjkUnit returns the unit ('y', 'm', 'd') of the East-Asian date suffix s
// begins with and the suffix's length, or 0.
func cjkUnit(s string) (unit byte, n int) {
	if s == "" || s[0] < 0x80 {
		return 0, 0
	}
	for _, u := range cjkUnits {
		if strings.HasPrefix(s, u.s) {
			return u.unit, len(u.s)
		}
	}
	return 0, 0
}

// isCJKUnit reports whether s is exactly one suffix of the given unit.
func isCJKUnit(s string, unit byte) bool {
	u, n := cjkUnit(s)
	return u == unit && n == len(s)
}

// month returns the month (1–12) a token names, or 0. It accepts English
// names in any case, the names in monthNames with or without a trailing dot,
// and East-Asian numeric months ("3月", "3월").
func month(tok string) int {
	if len(tok) == 3 {
		// The hot path: English abbreviations, folded to lower case.
		switch uint32(tok[0]|0x20)<<16 | uint32(tok[1]|0x20)<<8 | uint32(tok[2]|0x20) {
		case 'j'<<16 | 'a'<<8 | 'n':
			return 1
		case 'f'<<16 | 'e'<<8 | 'b':
			return 2
		case 'm'<<16 | 'a'<<8 | 'r':
			return 3
		case 'a'<<16 | 'p'<<8 | 'r':
			return 4
		case 'm'<<16 | 'a'<<8 | 'y':
			return 5
		case 'j'<<16 | 'u'<<8 | 'n':
			return 6
		case 'j'<<16 | 'u'<<8 | 'l':
			return 7
		case 'a'<<16 | 'u'<<8 | 'g':
			return 8
		case 's'<<16 | 'e'<<8 | 'p':
			return 9
		case 'o'<<16 | 'c'<<8 | 't':
			return 10
		case 'n'<<16 | 'o'<<8 | 'v':
			return 11
		case 'd'<<16 | 'e'<<8 | 'c':
			return 12
		}
	}
	if tok == "" || tok[0]-'0' <= 9 {
		if m, rest, ok := leadingInt(tok, 2); ok && isCJKUnit(rest, 'm') {
			return validMonth(m)
		}
		return 0
	}
	if n := len(tok); n == 4 && tok[3] == '.' {
		return month(tok[:3]) // "oct.", "Dez.": an abbreviation with its dot
	}
	tok = strings.TrimSuffix(tok, ".")
	if len(tok) < 3 || len(tok) > 12 {
		return 0
	}
	var buf [12]byte
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	if m, ok := monthNames[string(buf[:len(tok)])]; ok {
		return m
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] >= 0x80 {
			return monthNames[strings.ToLower(tok)] // "MÄR", "ДЕК"
		}
	}
	return 0
}

func validMonth(m int) int {
	if m < 1 || m > 12 {
		return 0
	}
	return m
}

// atoi parses a string of 1..max ASCII digits.
func atoi(s string, max int) (int, bool) {
	if len(s) == 0 || len(s) > max {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + int(c)
	}
	return n, true
}

// leadingInt parses 1..max leading digits of s and returns the rest.
func leadingInt(s string, max int) (n int, rest string, ok bool) {
	i := 0
	for i < len(s) && i < max && s[i]-'0' <= 9 {
		n = n*10 + int(s[i]-'0')
		i++
	}
	if i == 0 || (i < len(s) && s[i]-'0' <= 9) {
		return 0, s, false
	}
	return n, s[i:], true
}

// isDigits reports whether s is a non-empty string of ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i]-'0' > 9 {
			return false
		}
	}
	return true
}

// parseSize parses a byte count. Thousands separators ("1,234,567" from IIS,
// "1.234.567" from European Windows) are accepted when grouped by three.
func parseSize(s string) (int64, bool) {
	if s == "" || len(s) > 26 {
		return 0, false
	}
	var n int64
	group := -1 // digits since the last separator; -1 before the first one
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ',' || c == '.' {
			if i == 0 || (group >= 0 && group != 3) || (group < 0 && i > 3) {
				return 0, false
			}
			group = 0
			continue
		}
		if c-'0' > 9 {
			return 0, false
		}
		if n > (1<<63-1-9)/10 {
			return 0, false
		}
		n = n*10 + int64(c-'0')
		if group >= 0 {
			group++
		}
	}
	if group >= 0 && group != 3 {
		return 0, false
	}
	return n, true
}

// clock is a parsed time of day.
type clock struct {
	h, m, s, ns int
	prec        Precision
}

// parseClock parses "H:MM", "HH:MM", "HH:MM:SS" and "HH:MM:SS.fff…". A
// trailing AM/PM (any case, attached) is applied.
func parseClock(s string) (clock, bool) {
	var c clock
	h, rest, ok := leadingInt(s, 2)
	if !ok || len(rest) < 3 || rest[0] != ':' {
		return c, false
	}
	m, rest, ok := leadingInt(rest[1:], 2)
	if !ok || m > 59 {
		return c, false
	}
	c.h, c.m, c.prec = h, m, PrecisionMinute
	if len(rest) > 0 && rest[0] == ':' {
		sec, r, ok := leadingInt(rest[1:], 2)
		if !ok || sec > 60 {
			return c, false
		}
		c.s, c.prec, rest = min(sec, 59), PrecisionSecond, r
		if len(rest) > 1 && (rest[0] == '.' || rest[0] == ',') {
			i, ns, scale := 1, 0, 100000000
			for i < len(rest) && rest[i]-'0' <= 9 {
				ns += int(rest[i]-'0') * scale
				scale /= 10
				i++
			}
			c.ns, rest = ns, rest[i:]
		}
	}
	switch {
	case rest == "":
	case len(rest) == 2 && (rest[1]|0x20) == 'm' && ((rest[0]|0x20) == 'a' || (rest[0]|0x20) == 'p'):
		if h < 1 || h > 12 {
			return c, false
		}
		c.h = h % 12
		if rest[0]|0x20 == 'p' {
			c.h += 12
		}
	default:
		return c, false
	}
	if c.h > 23 && (c.h != 24 || c.m != 0 || c.s != 0 || c.ns != 0) {
		// "24:00" is the end of the day, as some servers write midnight:
		// time.Date carries it to 00:00 of the next day.
		return c, false
	}
	return c, true
}

// ampm applies a separate "AM"/"PM" token to a 12-hour clock.
func ampm(c clock, tok string) (clock, bool) {
	if len(tok) != 2 || (tok[1]|0x20) != 'm' || c.h < 1 || c.h > 12 {
		return c, false
	}
	switch tok[0] | 0x20 {
	case 'a':
		c.h %= 12
	case 'p':
		c.h = c.h%12 + 12
	default:
		return c, false
	}
	return c, true
}

// fullYear turns a 2- or 3-digit year into a 4-digit one: two digits are
// 1970–2069 (POSIX), three digits count from 1900 (OS/2 prints 2003 as 103).
func fullYear(y, digits int) int {
	switch {
	case digits == 2 && y < 70:
		return 2000 + y
	case digits == 2, digits == 3:
		return 1900 + y
	}
	return y
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// daysIn returns the number of days in month m of year y.
func daysIn(m, y int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func validDate(y, m, d int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(m, y)
}

// clockZone converts wall-clock times of the server to UTC (see Options).
type clockZone struct {
	loc    *time.Location // the server's zone; nil: UTC+offset
	offset time.Duration  // the server clock's offset from UTC when loc is nil
	nowW   time.Time      // "now" on the server's wall clock, as a UTC time
	limit  wallTime       // nowW + futureSlack: the latest a year-less date may be
}

// wallTime is a wall-clock time as comparable fields, so the year rule
// compares a date with its limit without building a time.Time per line.
type wallTime struct{ y, m, d, h, min, s, ns int }

// notAfter reports whether month m, day d, clock c of year w.y is not
// later than w. A 24:00 clock compares as the end of its day.
func (w wallTime) notAfter(m, d int, c clock) bool {
	for _, p := range [...][2]int{{m, w.m}, {d, w.d}, {c.h, w.h}, {c.m, w.min}, {c.s, w.s}, {c.ns, w.ns}} {
		if p[0] != p[1] {
			return p[0] < p[1]
		}
	}
	return true
}

func newClockZone(o Options) clockZone {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	z := clockZone{loc: o.Location, offset: o.TZOffset}
	w := now.UTC().Add(o.TZOffset)
	if o.Location != nil {
		z.offset = 0
		w = now.In(o.Location)
	}
	z.nowW = time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), time.UTC)
	l := z.nowW.Add(futureSlack)
	z.limit = wallTime{l.Year(), int(l.Month()), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond()}
	return z
}

// utc converts a server wall-clock time to UTC.
func (z *clockZone) utc(y, m, d int, c clock) time.Time {
	if z.loc == nil {
		return time.Date(y, time.Month(m), d, c.h, c.m, c.s, c.ns, time.UTC).Add(-z.offset)
	}
	return time.Date(y, time.Month(m), d, c.h, c.m, c.s, c.ns, z.loc).UTC()
}

// inferYear implements the rule for dates listed without a year: the date
// belongs to the most recent year in which it is not more than a day in the
// future of "now" on the server's clock. 29 February goes back to the most
// recent leap year that satisfies the rule.
func (z *clockZone) inferYear(m, d int, c clock) (int, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, false
	}
	y := z.limit.y // on 31 December, "tomorrow" is next year
	for range 9 {
		if d <= daysIn(m, y) && (y < z.limit.y || z.limit.notAfter(m, d, c)) {
			return y, true
		}
		y--
	}
	return 0, false
}
