package listing

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"time"
)

// MaxListingBytes bounds what ParseList, ParseMLSD and ParseNLST read (1 GiB):
// a server that streams without end makes them fail with ErrTooLarge instead
// of exhausting memory.
const MaxListingBytes = 1 << 30

// maxListing is MaxListingBytes, lowered by tests.
var maxListing = MaxListingBytes

// ErrTooLarge is returned for a listing longer than MaxListingBytes.
var ErrTooLarge = errors.New("listing: listing larger than MaxListingBytes")

// Options are the inputs a listing needs besides its text.
//
// LIST dates are the server's wall clock. TZOffset is the server clock's
// offset from UTC, as a user reads it off the server ("UTC+2" is 2h, "UTC-5"
// is -5h), so ModTime = wall clock − TZOffset. Location, when set, names the
// server's zone (daylight saving included) and replaces TZOffset. The same
// conversion, reversed, gives "now" on the server's clock for the year rule.
// MLSD/MLST times are UTC by definition (RFC 3659) and ignore both; so do
// EPLF's Unix times and ls --full-time dates, which carry their own zone.
type Options struct {
	System   string         // the SYST reply text, e.g. "UNIX Type: L8"; "" when unknown
	TZOffset time.Duration  // the server clock's offset from UTC (UTC+2: 2h): subtracted from LIST times to get UTC
	Location *time.Location // server time zone for LIST dates; when set, TZOffset is ignored
	Now      time.Time      // "now" for year inference; zero means time.Now()
}

// ParseList parses a LIST reply. It returns every line as an entry (unparsed
// ones marked) except blank lines, "total N" headers, the column headers and
// footers some systems print (MVS, VMS, VxWorks, HP NonStop) and "." / ".."
// entries, and the count of unparsed lines.
//
// The reply is read in large blocks, each one string that its entries' Name,
// Raw, Owner, Group, Perm and Target share (so the entries keep it alive); a
// listing costs a few allocations, not one per line.
func ParseList(r io.Reader, o Options) (entries []Entry, unparsed int, err error) {
	p := NewParser(o)
	err = readBlocks(r, func(block string) {
		entries = slices.Grow(entries, entriesFor(block))
		for len(block) > 0 {
			var line string
			line, block = nextLine(block)
			entries = p.Append(entries, line)
		}
	})
	entries = p.Flush(entries)
	return entries, p.Unparsed(), err
}

// ParseMLSD parses an MLSD reply (RFC 3659 facts). cdir and pdir entries are
// left out. A line that is not "facts; name" becomes an unparsed entry.
func ParseMLSD(r io.Reader) (entries []Entry, unparsed int, err error) {
	err = readBlocks(r, func(block string) {
		entries = slices.Grow(entries, entriesFor(block))
		for len(block) > 0 {
			var line string
			line, block = nextLine(block)
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
	})
	return entries, unparsed, err
}

// ParseNLST parses an NLST reply: one name per line, nothing else known.
func ParseNLST(r io.Reader) (entries []Entry, err error) {
	err = readBlocks(r, func(block string) {
		entries = slices.Grow(entries, entriesFor(block))
		for len(block) > 0 {
			var line string
			line, block = nextLine(block)
			if !isBlank(line) {
				entries = append(entries, Entry{Name: line, Size: -1, Raw: line})
			}
		}
	})
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

// Append parses one line, without its line terminator (CR LF or LF, as
// bufio.ScanLines strips it), and appends the entries it completes to dst:
// usually one, none for a header or a line that waits for its continuation,
// two when a waiting line turns out to have none.
func (p *Parser) Append(dst []Entry, line string) []Entry {
	if p.pending != "" {
		name := p.pending
		p.pending = ""
		if isContinuation(line) {
			joined := name + "\n" + line
			var e Entry
			if parseVMS(p, name+" "+line, &e) == matched {
				e.Raw = joined
				if e.ModTime.IsZero() {
					e.Precision = PrecisionNone
				}
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
		if e.ModTime.IsZero() {
			e.Precision = PrecisionNone // "1 Jan 0001 00:00" is the zero Time: no time
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
	if name == "" {
		name = line // only white space that isBlank does not skip, such as "\f"
	}
	return Entry{Name: name, Size: -1, Raw: line, Unparsed: true}
}

// blockBytes is how much of a listing of unknown length is read at a time
// (1 MiB). Each block of whole lines becomes one string that its entries
// share, so a listing is copied once and allocated once per block.
const blockBytes = 1 << 20

// readBlocks reads r and calls fn with blocks of whole lines (the last block
// may end without a newline). A reader that knows its length (strings.Reader,
// bytes.Reader, bytes.Buffer) is read as one block. After a read error, fn
// still gets what was read.
func readBlocks(r io.Reader, fn func(block string)) error {
	if l, ok := r.(interface{ Len() int }); ok && l.Len() <= maxListing {
		// One block, copied once (strings.Reader and bytes.Reader write
		// themselves into the builder).
		var b strings.Builder
		b.Grow(l.Len())
		_, err := io.Copy(&b, r)
		if b.Len() > maxListing {
			err = ErrTooLarge
		}
		fn(b.String())
		return err
	}
	buf := make([]byte, blockBytes)
	n, total := 0, 0
	for {
		m, err := io.ReadFull(r, buf[n:])
		n += m
		total += m
		if total > maxListing {
			// Deliver the whole lines that end within the limit.
			if end := bytes.LastIndexByte(buf[:n-(total-maxListing)], '\n'); end >= 0 {
				fn(string(buf[:end+1]))
			}
			return ErrTooLarge
		}
		if err != nil {
			if n > 0 {
				fn(string(buf[:n]))
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return nil
			}
			return err
		}
		end := bytes.LastIndexByte(buf, '\n') + 1
		if end == 0 { // a line longer than the buffer
			buf = append(buf, make([]byte, len(buf))...)
			continue
		}
		fn(string(buf[:end]))
		n = copy(buf, buf[end:])
	}
}

// minLineBytes is the line length below which ParseList stops reserving one
// entry per line up front: an entry is 136 bytes, so a reply of blank lines
// must not reserve 136 times its size. Most listing lines are longer; shorter
// ones just make the entries grow by append.
const minLineBytes = 64

// entriesFor returns the capacity to reserve for the entries of text: one
// per line, so that a normal listing costs a single allocation.
func entriesFor(text string) int {
	return min(strings.Count(text, "\n")+1, len(text)/minLineBytes+1)
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
