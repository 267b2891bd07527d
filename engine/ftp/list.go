package ftp

import (
	"context"
	"errors"
	"fmt"
	"io"
	pathpkg "path"
	"strings"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

// List returns the entries of a directory ("" is the current one), by MLSD
// when the server offers it, else by LIST parsed for the server's system
// and the site's time-zone offset. Lines no parser understands are kept as
// unparsed entries and counted in the trace.
func (c *Conn) List(ctx context.Context, path string) ([]listing.Entry, error) {
	if err := c.lock(); err != nil {
		return nil, c.opError("LIST", path, err)
	}
	defer c.unlock()
	entries, err := c.list(ctx, path)
	if err != nil {
		return nil, c.opError(c.listVerb(), path, err)
	}
	return entries, nil
}

func (c *Conn) listVerb() string {
	if c.feat.MLSD {
		return "MLSD"
	}
	return "LIST"
}

// openListing sends the listing command for path and opens its data
// connection (nil with no error: the server had nothing to send). A 5xx to
// "LIST -a" is asked again without -a; when that works, the server took -a
// for a name and is sent plain LIST from then on.
func (c *Conn) openListing(ctx context.Context, path string) (*dataConn, error) {
	line := func(a bool) string {
		l := c.listVerb()
		if a {
			l += " -a"
		}
		if path != "" {
			l += " " + path
		}
		return l
	}
	dc, _, err := c.startTransfer(ctx, 0, true, "%s", line(c.listA))
	if err == nil || !c.listA || engine.ReplyCode(err)/100 != 5 || !c.Alive() {
		return dc, err
	}
	dc, _, perr := c.startTransfer(ctx, 0, true, "%s", line(false))
	if perr != nil {
		// Both failed: -a was not the trouble (a missing folder), and the
		// first reply says what was.
		return nil, err
	}
	c.listA, c.feat.HiddenListed = false, false
	c.publishFeat()
	c.status("Server refused LIST -a; listing without it (dot files may be missing)")
	return dc, nil
}

// list lists path; an empty listing of a missing path is engine.ErrNotFound
// (see checkEmpty).
func (c *Conn) list(ctx context.Context, path string) ([]listing.Entry, error) {
	entries, err := c.listing(ctx, path)
	if err == nil && len(entries) == 0 {
		err = c.checkEmpty(ctx, path)
	}
	return entries, err
}

// listing lists path as the server answers: empty may also mean missing.
// For callers that know path is a directory, or to whom an empty directory
// and a missing one mean the same. It collects from the streaming path, so
// one reader with one set of budgets reads every listing; more than
// maxListEntries entries is an error (ListFunc streams any number).
func (c *Conn) listing(ctx context.Context, path string) ([]listing.Entry, error) {
	statable := c.statListable(path)
	if statable && c.statOK {
		entries, ok, err := c.statList(ctx, path)
		if err != nil || ok {
			return entries, err
		}
	}
	entries, err := c.listByLIST(ctx, path)
	switch {
	case err != nil || !statable || !c.Alive() || c.mem.Has(engine.NoStatList):
	case c.statOK && len(entries) > 0:
		// STAT found nothing where LIST finds entries.
		c.learnNoStat("the server's STAT listing of %s is empty, its LIST is not", path)
	case !c.statOK && len(entries) > 0 && len(entries) <= statCheckMax:
		c.checkStat(ctx, path, entries)
	}
	return entries, err
}

// listByLIST lists path by LIST (or MLSD) on a data connection.
func (c *Conn) listByLIST(ctx context.Context, path string) ([]listing.Entry, error) {
	var got listing.Collector
	err := c.stream(ctx, path, func(e listing.Entry) error {
		if got.Len() == maxListEntries {
			return fmt.Errorf("the folder has more than %d entries; list it with skiff ls, which streams", maxListEntries)
		}
		got.Add(e)
		return nil
	})
	var fnErr *callbackError
	if errors.As(err, &fnErr) {
		err = fnErr.err
	}
	return got.Entries(), err
}

// checkEmpty tells an empty directory from a missing one: vsftpd and
// others answer LIST of a missing path with an empty listing and 226.
func (c *Conn) checkEmpty(ctx context.Context, path string) error {
	if path == "" || path == "/" {
		return nil
	}
	ok, err := c.isDir(ctx, path)
	switch {
	case err != nil && c.Alive():
		return nil // no PWD/CWD to tell by: the listing stands
	case err == nil && !ok:
		return engine.ErrNotFound
	}
	return err
}

// ListFunc streams the entries of a directory to fn as they arrive,
// without holding the listing in memory (`skiff ls` of a huge directory).
// An error from fn aborts the listing and is returned as is.
func (c *Conn) ListFunc(ctx context.Context, path string, fn func(listing.Entry) error) error {
	if err := c.lock(); err != nil {
		return c.opError("LIST", path, err)
	}
	defer c.unlock()
	err := c.listFunc(ctx, path, fn)
	var fnErr *callbackError
	if errors.As(err, &fnErr) {
		return fnErr.err
	}
	if err != nil {
		return c.opError(c.listVerb(), path, err)
	}
	return nil
}

// callbackError carries ListFunc's callback error past the wrapping.
type callbackError struct{ err error }

func (e *callbackError) Error() string { return e.err.Error() }

func (c *Conn) listFunc(ctx context.Context, path string, fn func(listing.Entry) error) error {
	n := 0
	err := c.stream(ctx, path, func(e listing.Entry) error { n++; return fn(e) })
	if err != nil || n > 0 {
		return err
	}
	return c.checkEmpty(ctx, path)
}

// stream runs one listing command and hands each entry to fn as its line
// arrives: lines of at most maxListingLine bytes, the data connection's
// inactivity timeout between reads. The entries' strings share the blocks
// the listing was read in (see lineBlocks): an entry kept keeps its block. An error from fn aborts the listing and
// comes back as a *callbackError.
func (c *Conn) stream(ctx context.Context, path string, fn func(listing.Entry) error) (err error) {
	if !c.feat.MLSD && strings.ContainsAny(path, " \t") {
		// Servers that hand "LIST path" to /bin/ls split a path with a
		// space into two names and send ls's complaints about both as the
		// listing. Listed from inside the folder (CWD, bare LIST, CWD
		// back), as lftp does, the path is never split.
		back, ok, err := c.enter(ctx, path)
		if err != nil {
			return err
		}
		if ok {
			path = ""
			defer func() {
				if !c.Alive() {
					return
				}
				if _, _, berr := c.cmd(ctx, 2, "CWD %s", back); berr != nil {
					c.close() // not back where it was: relative paths would go astray
					if err == nil {
						err = berr
					}
				}
			}()
		}
	}
	dc, err := c.openListing(ctx, path)
	if err != nil || dc == nil {
		return err
	}
	stop := dc.watch(ctx)
	src := &errReader{r: dc}
	lines := newLineBlocks(src, maxListingLine)
	mlsd := c.feat.MLSD
	rawTrace := c.cfg.Trace != nil && c.cfg.TraceLevel >= engine.TraceDebug // the listing's lines, as they came
	p := listing.NewParser(listing.Options{System: c.feat.System, TZOffset: c.cfg.TZOffset})
	var batch []listing.Entry
	var fnErr error
	n, unparsed := 0, 0
	var complaints int
	var complaint *complaintError // the first error message in the listing
	emit := func(es []listing.Entry) {
		for _, e := range es {
			if fnErr == nil {
				n++
				if e.Unparsed {
					unparsed++
				}
				fnErr = fn(e)
			}
		}
	}
	var lerr error
	for fnErr == nil {
		l, rerr := lines.next()
		if rerr == errLineTooLong {
			lerr = rerr
			break
		}
		if rerr != nil {
			break
		}
		l = c.names.decode(l)
		if rawTrace {
			c.traceAt(engine.TraceDebug, engine.TraceReply, l)
		}
		if strings.TrimSpace(l) != "" {
			if k := listing.ParseComplaint(l); k != listing.NoComplaint {
				complaints++
				if complaint == nil {
					complaint = newComplaint(k, l)
				}
			} else if mlsd {
				e, err := listing.ParseMLST(l)
				if err != nil {
					e = listing.Entry{Name: l, Size: -1, Raw: l, Unparsed: true}
				}
				if e.Name != "." && e.Name != ".." {
					emit([]listing.Entry{e})
				}
			} else {
				batch = p.Append(batch[:0], l)
				emit(batch)
			}
		}
	}
	if !mlsd && fnErr == nil && lerr == nil {
		emit(p.Flush(batch[:0]))
	}
	stop()
	if fnErr != nil || lerr != nil {
		local := fnErr
		if local == nil {
			local = lerr
		}
		c.endTransfer(ctx, dc, true, local, nil) // aborts the transfer
		if fnErr != nil {
			return &callbackError{fnErr}
		}
		return lerr
	}
	if err := c.endTransfer(ctx, dc, true, nil, dc.explain(src.err, true)); err != nil {
		return err
	}
	if unparsed > 0 {
		c.status("%d of %d listing lines were not understood; kept as unparsed entries", unparsed, n)
	}
	if complaints > 0 {
		c.status("%d listing lines were error messages, not entries: %s", complaints, complaint.text)
		if n == 0 {
			return complaint
		}
	}
	return nil
}

// complaintError is an error message a server sent in place of a listing
// (ls's "No such file or directory" on the data connection, then 226). It
// is engine.ErrNotFound or engine.ErrPermission, with the server's words.
type complaintError struct {
	sentinel error
	text     string
}

func newComplaint(k listing.Complaint, line string) *complaintError {
	e := &complaintError{sentinel: engine.ErrNotFound, text: strings.TrimSpace(line)}
	if k == listing.ComplaintPermission {
		e.sentinel = engine.ErrPermission
	}
	return e
}

func (e *complaintError) Error() string { return "the server listed an error: " + e.text }
func (e *complaintError) Unwrap() error { return e.sentinel }

// errReader remembers the error of the data connection, so a failed
// listing is told apart from a parser's complaint.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

// Stat describes one path: MLST when offered, else a successful CWD for a
// directory (whatever SIZE said: 213 4096 for a folder is common), SIZE and
// MDTM for a file, and as a last resort the parent's listing. A missing
// path is engine.ErrNotFound.
func (c *Conn) Stat(ctx context.Context, path string) (listing.Entry, error) {
	if err := c.lock(); err != nil {
		return listing.Entry{}, c.opError("stat", path, err)
	}
	defer c.unlock()
	e, err := c.stat(ctx, path)
	if err != nil {
		return e, c.opError("stat", path, err)
	}
	return e, nil
}

func (c *Conn) stat(ctx context.Context, path string) (listing.Entry, error) {
	name := pathpkg.Base(strings.TrimRight(path, "/"))
	if c.feat.MLSD {
		code, msg, err := c.exchange(ctx, "MLST %s", path)
		if err != nil {
			return listing.Entry{}, err
		}
		if code/100 == 2 {
			for _, l := range strings.Split(msg, "\n")[1:] {
				if !strings.HasPrefix(l, " ") {
					continue
				}
				if e, err := listing.ParseMLST(l[1:]); err == nil {
					e.Name = name
					return e, nil
				}
			}
		} else if code != 500 && code != 502 {
			return listing.Entry{}, rejected(code, msg)
		}
	}
	size, err := c.size(ctx, path)
	if err == nil {
		// Several servers answer SIZE of a folder (or of a symlink to one)
		// 213 4096: only CWD tells a folder from a file.
		if ok, err := c.isDir(ctx, path); err != nil || ok {
			return listing.Entry{Name: name, Type: listing.Dir, Size: -1}, err
		}
		e := listing.Entry{Name: name, Type: listing.File, Size: size}
		if t, err := c.mdtm(ctx, path); err == nil {
			e.ModTime, e.Precision = t, listing.PrecisionSecond
		}
		return e, nil
	} else if !c.Alive() {
		return listing.Entry{}, err
	}
	// vsftpd answers SIZE of a missing path (and of a directory) 550; that
	// reply is what a missing path returns in the end, so the caller sees
	// the server's words, not a bare ErrNotFound from the listing below.
	var notFound error
	if errors.Is(err, engine.ErrNotFound) && engine.ReplyCode(err) != 0 {
		notFound = err
	}
	if ok, err := c.isDir(ctx, path); err != nil || ok {
		return listing.Entry{Name: name, Type: listing.Dir, Size: -1}, err
	}
	// Whether the parent is empty or missing, path is not in it.
	entries, err := c.listing(ctx, pathpkg.Dir(path))
	if err != nil {
		// The parent's listing is the last resort: its refusal, whatever
		// the code (ftp-srv answers a missing folder 451), does not
		// overrule what SIZE and CWD said about the path itself.
		if notFound != nil && (errors.Is(err, engine.ErrNotFound) || engine.ReplyCode(err) != 0) {
			return listing.Entry{}, notFound
		}
		return listing.Entry{}, err
	}
	for _, e := range entries {
		if e.Name == name {
			return e, nil
		}
	}
	if notFound != nil {
		return listing.Entry{}, notFound
	}
	return listing.Entry{}, engine.ErrNotFound
}

// mdtm asks the modification time (RFC 3659: UTC, optional fraction).
func (c *Conn) mdtm(ctx context.Context, path string) (time.Time, error) {
	if c.noMDTM {
		return time.Time{}, engine.ErrUnsupported
	}
	code, msg, err := c.exchange(ctx, "MDTM %s", path)
	if err != nil {
		return time.Time{}, err
	}
	if code != 213 {
		if code == 500 || code == 502 {
			c.noMDTM = true
		}
		return time.Time{}, rejected(code, msg)
	}
	if !c.feat.MDTM {
		c.feat.MDTM = true // learned by probing: FEAT did not say
		c.publishFeat()
	}
	v, _, _ := strings.Cut(strings.TrimSpace(msg), ".")
	t, err := time.Parse("20060102150405", v)
	if err != nil {
		return time.Time{}, errors.New("malformed MDTM reply " + msg)
	}
	if c.cfg.MDTMLocal {
		t = t.Add(-c.cfg.TZOffset)
	}
	return t, nil
}

// enter changes into the directory path and returns where it was, so the
// caller can go back; ok is false (and nothing changed) when CWD refused.
func (c *Conn) enter(ctx context.Context, path string) (back string, ok bool, err error) {
	wd, err := c.getwd(ctx)
	if err != nil {
		if !c.Alive() {
			return "", false, err
		}
		return "", false, nil // no PWD: no way back, so no way in
	}
	code, _, err := c.exchange(ctx, "CWD %s", path)
	if err != nil || code/100 != 2 {
		return "", false, err
	}
	return wd, true, nil
}

// isDir reports whether CWD into path works, and returns to where it was.
func (c *Conn) isDir(ctx context.Context, path string) (bool, error) {
	wd, err := c.getwd(ctx)
	if err != nil {
		return false, err
	}
	code, _, err := c.exchange(ctx, "CWD %s", path)
	if err != nil || code/100 != 2 {
		return false, err
	}
	if _, _, err := c.cmd(ctx, 2, "CWD %s", wd); err != nil {
		return true, err
	}
	return true, nil
}

// ModTime asks MDTM alone: the time to the second, in UTC (or, with
// Config.MDTMLocal, the server's zone corrected). One round trip where Stat
// may take four (SIZE, PWD, CWD, MDTM) on a server without MLST; for a
// caller that knows the path is a file (a sync comparing a listed file).
// ErrUnsupported when the server has no MDTM.
func (c *Conn) ModTime(ctx context.Context, path string) (time.Time, error) {
	if err := c.lock(); err != nil {
		return time.Time{}, c.opError("MDTM", path, err)
	}
	defer c.unlock()
	t, err := c.mdtm(ctx, path)
	if err != nil {
		return t, c.opError("MDTM", path, err)
	}
	return t, nil
}
