package listing

import (
	"slices"
	"strings"
)

// This file decides which format parser reads a line: the SYST reply sets the
// order in which formats are tried, and the format that understood the
// previous line is tried first, so a listing costs one parser per line.

// system is the server family named by the SYST reply.
type system uint8

const (
	sysUnknown system = iota
	sysMVS            // IBM MVS / z/OS: datasets and PDS members
	sysVMS            // OpenVMS
	sysOS400          // IBM i (AS/400)
	sysVM             // IBM z/VM (CMS)
)

// systemOf classifies a SYST reply text such as "215 MVS is the operating
// system of this server. FTP Server is running on z/OS." (the reply code may
// or may not be included).
func systemOf(syst string) system {
	// ASCII case folding only: the names sought are ASCII, and
	// strings.ToUpper would turn each invalid byte of a garbled reply into
	// three (U+FFFD), allocating many times the reply's size.
	b := []byte(syst)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	s := string(b)
	switch {
	case strings.Contains(s, "MVS") || strings.Contains(s, "Z/OS"):
		return sysMVS
	case strings.Contains(s, "VMS"):
		return sysVMS
	case strings.Contains(s, "OS/400"):
		return sysOS400
	case strings.Contains(s, "VM/ESA") || strings.Contains(s, "Z/VM") || strings.HasPrefix(strings.TrimLeft(s, "0123456789 -"), "VM "):
		return sysVM
	}
	return sysUnknown
}

// format is one LIST format parser.
type format uint8

const (
	fmtNone format = iota
	fmtUnix
	fmtDOS
	fmtEPLF
	fmtOS2
	fmtVMS
	fmtNetware
	fmtAS400
	fmtVM
	fmtVxWorks
	fmtNonStop
	fmtMVSDataset
	fmtMVSMember
	fmtMLSx // MLSD lines sent in reply to LIST by a few servers
	fmtNumericUnix
	fmtOS9
	fmtWfFTP
	numFormats
)

// result is what a format parser made of a line.
type result uint8

const (
	failed  result = iota // not this format
	matched               // the entry is filled in
	skipped               // a header or footer of this format: no entry
	waiting               // the first half of a record split over two lines
)

// parsers are indexed by format.
var parsers = [numFormats]func(p *Parser, line string, e *Entry) result{
	fmtUnix:        parseUnix,
	fmtDOS:         parseDOS,
	fmtEPLF:        parseEPLF,
	fmtOS2:         parseOS2,
	fmtVMS:         parseVMS,
	fmtNetware:     parseNetware,
	fmtAS400:       parseAS400,
	fmtVM:          parseVM,
	fmtVxWorks:     parseVxWorks,
	fmtNonStop:     parseNonStop,
	fmtMVSDataset:  parseMVSDataset,
	fmtMVSMember:   parseMVSMember,
	fmtMLSx:        parseMLSxLine,
	fmtNumericUnix: parseNumericUnix,
	fmtOS9:         parseOS9,
	fmtWfFTP:       parseWfFTP,
}

// defaultOrder is the order formats are tried in when SYST says nothing
// special: the common ones first, and formats whose lines are least likely to
// be mistaken for another format's before the lenient ones.
var defaultOrder = []format{
	fmtUnix, fmtDOS, fmtEPLF, fmtVMS, fmtNetware, fmtOS2, fmtAS400, fmtVM,
	fmtNonStop, fmtVxWorks, fmtNumericUnix, fmtOS9, fmtWfFTP, fmtMVSDataset,
	fmtMVSMember, fmtMLSx,
}

// orders put the SYST-named family first.
var orders = [...][]format{
	sysUnknown: defaultOrder,
	sysMVS:     withFirst(fmtMVSDataset, fmtMVSMember),
	sysVMS:     withFirst(fmtVMS),
	sysOS400:   withFirst(fmtAS400),
	sysVM:      withFirst(fmtVM),
}

func withFirst(first ...format) []format {
	order := append([]format(nil), first...)
	for _, f := range defaultOrder {
		if !slices.Contains(first, f) {
			order = append(order, f)
		}
	}
	return order
}

// parse runs the learned format first, then the others in the system's order.
func (p *Parser) parse(line string, e *Entry) result {
	if p.last != fmtNone {
		if r := parsers[p.last](p, line, e); r != failed {
			return r
		}
	}
	for _, f := range orders[p.sys] {
		if f == p.last {
			continue
		}
		*e = Entry{}
		if r := parsers[f](p, line, e); r != failed {
			if r == matched {
				p.last = f
			}
			return r
		}
	}
	*e = Entry{}
	if isHeader(line) {
		return skipped
	}
	return failed
}

// totalWords are the words ls prints before the block count in its first
// line, in the common locales.
var totalWords = map[string]bool{
	"total": true, "insgesamt": true, "totale": true, "totalt": true, "razem": true,
	"celkem": true, "итого": true, "合計": true, "总用量": true, "總用量": true, "합계": true,
	"összesen": true, "yhteensä": true, "toplam": true, "totaal": true,
}

// isHeader recognises lines that describe the listing rather than an entry:
// "total 123" in its languages and the column headers of MVS, VxWorks and
// HP NonStop listings, and VMS directory headers and totals.
func isHeader(line string) bool {
	f := strings.Fields(line)
	if len(f) == 2 && totalWords[strings.ToLower(f[0])] && f[1] != "" && f[1][0]-'0' <= 9 {
		return true
	}
	if len(f) == 0 {
		return true
	}
	switch {
	case len(f) >= 4 && f[0] == "Volume" && f[1] == "Unit": // MVS datasets
		return true
	case len(f) >= 3 && f[0] == "Name" && (f[1] == "VV.MM" || f[1] == "Size"): // MVS members, load modules
		return true
	case len(f) == 4 && f[0] == "size" && f[1] == "date" && f[2] == "time" && f[3] == "name": // VxWorks
		return true
	case strings.Trim(line, "- ") == "": // VxWorks ruler
		return true
	case len(f) >= 3 && f[0] == "File" && f[1] == "Code" && f[2] == "EOF": // HP NonStop
		return true
	case f[0] == "Directory" && len(f) == 2 && strings.HasSuffix(f[1], "]"): // VMS
		return true
	case len(f) >= 3 && (f[0] == "Total" || f[0] == "Grand") && (f[1] == "of" || f[1] == "total"): // VMS
		return true
	}
	return false
}
