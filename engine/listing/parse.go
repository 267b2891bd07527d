package listing

import (
	"errors"
	"io"
	"strings"
	"time"
)

// MaxListingBytes bounds what ParseList, ParseMLSD and ParseNLST read (1 GiB):
// a server that streams without end makes them fail with ErrTooLarge instead
// of exhausting memory.
const MaxListingBytes = 1 << 30

// ErrTooLarge is returned for a listing longer than MaxListingBytes.
var ErrTooLarge = errors.New("listing: listing larger than MaxListingBytes")

// Options are the inputs a listing needs besides its text.
//
// LIST dates are the server's wall clock. They are converted to UTC like
// this: the wall clock is read in Location (UTC when nil), then TZOffset is
// added. So a site whose server runs on UTC+2 without a known zone uses
// TZOffset = -2h; with Location set, TZOffset is normally zero and serves only
// as a manual correction. The same conversion, reversed, gives "now" on the
// server's clock for the year rule. MLSD/MLST times are UTC by definition
// (RFC 3659) and ignore both.
type Options struct {
	System   string         // the SYST reply text, e.g. "UNIX Type: L8"; "" when unknown
	TZOffset time.Duration  // the site's server time-zone offset (added to LIST times to get UTC)
	Location *time.Location // server time zone for LIST dates; nil means UTC shifted by TZOffset
	Now      time.Time      // "now" for year inference; zero means time.Now()
}

// ParseList parses a LIST reply. It returns every line as an entry (unparsed
// ones marked) except blank lines, "total N" headers, the column headers and
// footers some systems print (MVS, VMS, VxWorks, HP NonStop) and "." / ".."
// entries, and the count of unparsed lines.
//
// The whole reply is read into one string that the entries' Name, Raw, Owner,
// Group, Perm and Target share, so the entries keep it alive; a listing costs
// about one allocation, not one per line.
func ParseList(r io.Reader, o Options) (entries []Entry, unparsed int, err error) {
	text, err := readAll(r)
	p := NewParser(o)
	entries = make([]Entry, 0, countLines(text))
	for len(text) > 0 {
		var line string
		line, text = nextLine(text)
		entries = p.Append(entries, line)
	}
	entries = p.Flush(entries)
	return entries, p.Unparsed(), err
}

// ParseMLSD parses an MLSD reply (RFC 3659 facts). cdir and pdir entries are
// left out. A line that is not "facts; name" becomes an unparsed entry.
func ParseMLSD(r io.Reader) (entries []Entry, unparsed int, err error) {
	text, err := readAll(r)
	entries = make([]Entry, 0, countLines(text))
	for len(text) > 0 {
		var line string
		line, text = nextLine(text)
		if isBlank(line) {
			continue
		}
		entries = append(entries, Entry{})
		e := &entries[len(entries)-1]
		if !parseFacts(line, e) {
			*e = unparsedEntry(line)
			unparsed++
			continue
		}
		if e.Name == "." || e.Name == ".." {
			entries = entries[:len(entries)-1]
		}
	}
	return entries, unparsed, err
}

// ParseNLST parses an NLST reply: one name per line, nothing else known.
func ParseNLST(r io.Reader) ([]Entry, error) {
	text, err := readAll(r)
	entries := make([]Entry, 0, countLines(text))
	for len(text) > 0 {
		var line string
		line, text = nextLine(text)
		if isBlank(line) {
			continue
		}
		entries = append(entries, Entry{Name: line, Size: -1, Raw: line})
	}
	return entries, err
}

// Parser parses a LIST reply line by line, for callers that stream. It learns
// the format from the lines it understood (the last format that matched is
// tried first) and joins VMS records that the server split over two lines.
// A Parser is not safe for concurrent use.
type Parser struct {
	zone     clockZone
	sys      system
	last     format // the format of the last parsed line; tried first
	pending  string // a VMS name line waiting for its continuation
	unparsed int
}

// NewParser returns a Parser for one LIST reply.
func NewParser(o Options) *Parser {
	return &Parser{zone: newClockZone(o), sys: systemOf(o.System)}
}

// Unparsed returns the number of unparsed entries the Parser has produced.
func (p *Parser) Unparsed() int { return p.unparsed }

// Append parses one line (without its line terminator; a trailing CR is
// removed) and appends the entries it completes to dst: usually one, none for
// a header or a line that waits for its continuation, two when a waiting line
// turns out to have none.
func (p *Parser) Append(dst []Entry, line string) []Entry {
	line = strings.TrimSuffix(line, "\r")
	if p.pending != "" {
		name := p.pending
		p.pending = ""
		if isContinuation(line) {
			joined := name + "\n" + line
			var e Entry
			if parseVMS(p, name+" "+line, &e) == matched {
				e.Raw = joined
				return append(dst, e)
			}
		}
		dst = p.appendVMSName(dst, name)
	}
	if isBlank(line) {
		return dst
	}
	dst = append(dst, Entry{})
	e := &dst[len(dst)-1]
	switch p.parse(line, e) {
	case matched:
		if e.Name == "." || e.Name == ".." {
			return dst[:len(dst)-1]
		}
		return dst
	case skipped:
		return dst[:len(dst)-1]
	case waiting:
		p.pending = line
		return dst[:len(dst)-1]
	}
	if !strings.ContainsAny(strings.TrimSpace(line), " \t") {
		// A bare name: NLST-style output, or an MVS member without statistics.
		*e = Entry{Name: line, Size: -1, Raw: line}
		return dst
	}
	*e = unparsedEntry(line)
	p.unparsed++
	return dst
}

// Flush appends what the Parser still holds at the end of the listing (a VMS
// name line whose continuation never came).
func (p *Parser) Flush(dst []Entry) []Entry {
	if p.pending == "" {
		return dst
	}
	name := p.pending
	p.pending = ""
	return p.appendVMSName(dst, name)
}

// appendVMSName appends a VMS line that carried only a name.
func (p *Parser) appendVMSName(dst []Entry, line string) []Entry {
	e := Entry{Size: -1, Raw: line}
	setVMSName(&e, strings.TrimRight(line, " \t"))
	return append(dst, e)
}

// unparsedEntry keeps a line no parser understood. The best-effort name is
// the last whitespace-separated field: in nearly every format the name comes
// last, and it is what the user needs to download the file.
func unparsedEntry(line string) Entry {
	name := strings.TrimSpace(line)
	if i := strings.LastIndexAny(name, " \t"); i >= 0 {
		name = name[i+1:]
	}
	return Entry{Name: name, Size: -1, Raw: line, Unparsed: true}
}

// readAll reads a listing into one string without copying it a second time.
func readAll(r io.Reader) (string, error) {
	var b strings.Builder
	n, err := io.Copy(&b, io.LimitReader(r, MaxListingBytes+1))
	if err == nil && n > MaxListingBytes {
		err = ErrTooLarge
	}
	return b.String(), err
}

// countLines returns an upper bound of the entries in text.
func countLines(text string) int {
	return strings.Count(text, "\n") + 1
}

// nextLine splits the first line off text and strips its CR LF or LF.
func nextLine(text string) (line, rest string) {
	i := strings.IndexByte(text, '\n')
	if i < 0 {
		line, rest = text, ""
	} else {
		line, rest = text[:i], text[i+1:]
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, rest
}

func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' && s[i] != '\r' {
			return false
		}
	}
	return true
}
