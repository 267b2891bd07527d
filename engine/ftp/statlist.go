package ftp

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

// Listing a folder over the control connection: "STAT -a path" makes
// vsftpd, ProFTPD and pure-ftpd send the folder's LIST lines as a
// multi-line reply. That needs no data connection: one round trip instead
// of three (EPSV, LIST and its data connection, the 226), and no TLS
// handshake on FTPS. A sync scanning many folders is that much faster.
//
// STAT is trusted on a Conn only once a STAT listing of a folder matched
// its LIST listing there (names, types, sizes): a server that answers STAT
// with its own status, ignores -a, or lists differently is listed by LIST,
// and the site learns engine.NoStatList. Until then every listing is a
// LIST, followed by a STAT of the same folder when it is small (at most
// statCheckMax entries), to compare.
//
// A trusted STAT listing that comes back empty, or holds a line no parser
// understands or an error message, is asked again by LIST, which decides;
// an empty STAT where LIST finds entries teaches NoStatList.
//
// Names with line breaks: the reply's lines end in CR LF, so a bare LF
// inside a name (vsftpd sends names as they are) stays in the name. A name
// holding CR LF could end the reply early, and the rest of the listing
// would be taken for the replies of later commands. So a NOOP goes out in
// the same write as the STAT, and its reply must come right after the
// listing's last line. When it does not, the listing is thrown away, the
// lines up to the NOOP's reply are read and dropped (the Conn is in step
// again), the site learns NoStatList and the folder is listed by LIST.

// statCheckMax is the largest LIST listing that is listed again by STAT
// to decide whether this Conn may list by STAT.
const statCheckMax = 2000

// statListable reports whether path may be listed by STAT on this Conn:
// a LIST server (MLSD is better) that takes pipelined commands and has
// not been seen to list wrongly by STAT; path names a folder explicitly
// (a bare STAT is the server's status) and cannot be taken for options or
// split at a space.
func (c *Conn) statListable(path string) bool {
	return !c.feat.MLSD && !c.mem.Has(engine.NoStatList) && !c.mem.Has(engine.NoPipeline) &&
		!oneAtATime(c.feat.Welcome) &&
		path != "" && !strings.HasPrefix(path, "-") && !strings.ContainsAny(path, " \t")
}

// checkStat lists path by STAT after LIST listed it (entries) and trusts
// STAT on this Conn when both agree. It never fails the listing: an error
// here is the next command's to report.
func (c *Conn) checkStat(ctx context.Context, path string, entries []listing.Entry) {
	st, ok, err := c.statList(ctx, path)
	switch {
	case err != nil || c.mem.Has(engine.NoStatList):
		return
	case !ok:
		c.learnNoStat("the server's STAT of %s is no listing of it", path)
	case sameListing(st, entries):
		c.statOK = true
		c.traceAt(engine.TraceVerbose, engine.TraceStatus, "STAT lists folders as LIST does: listing by STAT on this connection")
	default:
		c.learnNoStat("the server's STAT listing of %s differs from its LIST", path)
	}
}

func (c *Conn) learnNoStat(format string, args ...any) {
	if c.mem.Learn(engine.NoStatList) {
		c.status("Listing by LIST from now on: "+format, args...)
	}
	c.statOK = false
}

// sameListing reports whether two listings of a folder hold the same
// names with the same types and sizes, in any order.
func sameListing(a, b []listing.Entry) bool {
	if len(a) != len(b) {
		return false
	}
	type key struct {
		name string
		typ  listing.Type
		size int64
	}
	seen := make(map[key]int, len(a))
	for _, e := range a {
		seen[key{e.Name, e.Type, e.Size}]++
	}
	for _, e := range b {
		k := key{e.Name, e.Type, e.Size}
		if seen[k] == 0 {
			return false
		}
		seen[k]--
	}
	return true
}

// statList lists path by STAT. ok is false, with no error, when the reply
// is not a listing to use as it is (empty, refused, lines no parser
// understands, error messages, or out of step); the Conn is then in step
// and the caller lists by LIST. An error is the connection's: it is closed.
func (c *Conn) statList(ctx context.Context, path string) (entries []listing.Entry, ok bool, err error) {
	line := "STAT "
	if c.listA {
		line += "-a "
	}
	line += path
	if err := c.sendLines(ctx, line, "NOOP"); err != nil {
		return nil, false, err
	}
	c.rr.beginListing(ctx, "STAT")
	stop := watch(ctx, c.conn)
	r := statReader{c: c}
	entries, usable, err := r.listing()
	if err == nil {
		err = r.noop(path)
	}
	if stop() {
		err = ctx.Err()
	}
	if err != nil {
		return nil, false, c.fail(ctx, c.rr.explain(err))
	}
	if !r.inStep {
		c.learnNoStat("a name in the STAT listing of %s held a line break", path)
		return nil, false, nil
	}
	if r.tooMany {
		return nil, false, fmt.Errorf("the folder has more than %d entries; list it with skiff ls, which streams", maxListEntries)
	}
	return entries, usable && len(entries) > 0, nil
}

// statReader reads STAT's reply and the NOOP's after it, line by line from
// the control connection (budgets: replyReader.beginListing).
type statReader struct {
	c       *Conn
	buf     []byte
	code    string // the STAT reply's code, "213"
	crlf    bool   // the reply's first line ended in CR LF: a bare LF is part of a name
	inStep  bool   // the NOOP's reply came right after the listing
	tooMany bool   // more than maxListEntries entries
}

// line reads one line without its line end; crlf says whether it ended
// in CR LF. A line longer than maxListingLine is errLineTooLong.
func (r *statReader) line() (string, bool, error) {
	r.buf = r.buf[:0]
	for {
		frag, err := r.c.text.R.ReadSlice('\n')
		if len(r.buf)+len(frag) > maxListingLine+2 {
			return "", false, errLineTooLong
		}
		r.buf = append(r.buf, frag...)
		if err == nil {
			break
		}
		if err != bufio.ErrBufferFull {
			return "", false, err
		}
	}
	b := r.buf[:len(r.buf)-1]
	crlf := len(b) > 0 && b[len(b)-1] == '\r'
	if crlf {
		b = b[:len(b)-1]
	}
	return string(b), crlf, nil
}

// replyCode returns l's code and separator ('-' or ' ') when l starts a
// reply line: three digits and one of those.
func replyCode(l string) (string, byte, bool) {
	if len(l) < 4 || (l[3] != '-' && l[3] != ' ') {
		return "", 0, false
	}
	for i := 0; i < 3; i++ {
		if l[i] < '0' || l[i] > '9' {
			return "", 0, false
		}
	}
	return l[:3], l[3], true
}

// listing reads the STAT reply and parses its lines; usable is false when
// it is not a 21x listing every line of which parsed as an entry.
func (r *statReader) listing() (entries []listing.Entry, usable bool, err error) {
	c := r.c
	first, crlf, err := r.line()
	if err != nil {
		return nil, false, err
	}
	code, sep, ok := replyCode(first)
	if !ok {
		return nil, false, fmt.Errorf("malformed reply to STAT: %.80q", first)
	}
	c.trace(engine.TraceReply, c.names.decode(first))
	r.code, r.crlf = code, crlf
	usable = code[:2] == "21"
	if code == "500" || code == "501" || code == "502" || code == "504" {
		c.learnNoStat("the server refused %s", "STAT")
	}
	if sep == ' ' {
		return nil, usable, nil
	}
	rawTrace := c.cfg.Trace != nil && c.cfg.TraceLevel >= engine.TraceDebug
	p := listing.NewParser(listing.Options{System: c.feat.System, TZOffset: c.cfg.TZOffset})
	var batch []listing.Entry
	var got listing.Collector
	add := func(es []listing.Entry) {
		for _, e := range es {
			switch {
			case e.Unparsed:
				usable = false
			case e.Name == "." || e.Name == "..":
			case got.Len() == maxListEntries:
				r.tooMany = true
			default:
				got.Add(e)
			}
		}
	}
	held := "" // a line cut at a bare LF, waiting for the rest of its name
	for {
		l, crlf, err := r.line()
		if err != nil {
			return nil, false, err
		}
		if r.crlf && !crlf {
			if len(held)+len(l) > maxListingLine {
				return nil, false, errLineTooLong
			}
			held += l + "\n"
			continue
		}
		l, held = held+l, ""
		if strings.HasPrefix(l, code+" ") {
			c.trace(engine.TraceReply, c.names.decode(l))
			break
		}
		// RFC 959 lets a server indent a line that starts with digits;
		// a Unix listing line never starts with a space.
		l = c.names.decode(strings.TrimPrefix(l, " "))
		if rawTrace {
			c.traceAt(engine.TraceDebug, engine.TraceReply, l)
		}
		switch {
		case strings.TrimSpace(l) == "":
		case listing.ParseComplaint(l) != listing.NoComplaint:
			usable = false // LIST, asked next, reports it as it does
		default:
			batch = p.Append(batch[:0], l)
			add(batch)
		}
	}
	add(p.Flush(batch[:0]))
	return got.Entries(), usable, nil
}

// noop reads the reply to the NOOP sent with the STAT. Anything before it
// means the listing ended early (a name with CR LF in it): the lines up to
// the STAT reply's real end and the NOOP's reply after it are dropped, and
// inStep stays false.
func (r *statReader) noop(path string) error {
	l, _, err := r.line()
	if err != nil {
		return err
	}
	if code, sep, ok := replyCode(l); ok {
		r.inStep = true
		r.c.trace(engine.TraceReply, l)
		if code == "421" {
			r.c.close()
			return fmt.Errorf("%w: %s", engine.ErrClosed, l)
		}
		for sep == '-' {
			if l, _, err = r.line(); err != nil {
				return err
			}
			if strings.HasPrefix(l, code+" ") {
				break
			}
		}
		return nil
	}
	r.c.status("The STAT listing of %s ended early; reading on to the NOOP's reply", path)
	for n := 0; ; n++ {
		if n == maxListEntries {
			return fmt.Errorf("the reply to STAT %s does not end", path)
		}
		if l, _, err = r.line(); err != nil {
			return err
		}
		if strings.HasPrefix(l, r.code+" ") {
			break
		}
	}
	l, _, err = r.line()
	if err != nil {
		return err
	}
	if _, _, ok := replyCode(l); !ok {
		return fmt.Errorf("the replies are out of step after STAT %s: %.80q", path, l)
	}
	return nil
}
