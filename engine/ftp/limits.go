package ftp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"strings"
	"sync/atomic"
	"time"
)

// Budgets for what a server may send. A server that exceeds one — broken,
// or hostile — gets an error that names the budget, and memory stays
// bounded whatever it sends.
const (
	maxReplyBytes     = 1 << 20 // one control reply, all its lines (a FEAT or a HELP is a few KiB)
	maxListingLine    = 1 << 20 // one line of a directory listing
	maxListEntries    = 2000000 // entries List collects; ListFunc streams any number
	replyCapPerTimout = 3       // a reply must be complete within this many inactivity timeouts
)

// errReplyTooLong and errNoReply name the control connection's budgets.
var (
	errReplyTooLong = fmt.Errorf("the server's reply is longer than %d MiB; it is broken or hostile", maxReplyBytes>>20)
	errLineTooLong  = fmt.Errorf("a listing line is longer than %d MiB; the server is broken or hostile", maxListingLine>>20)
)

// replyReader is what textproto reads the control connection through: each
// reply may read at most maxReplyBytes, the read deadline rolls forward with
// every read that brings bytes (Config.Timeout is an inactivity timeout),
// and the reply must be complete within replyCapPerTimout timeouts. It is
// used by one reply at a time (the Conn's lock).
type replyReader struct {
	conn    net.Conn
	timeout time.Duration
	ctx     context.Context
	left    int64     // bytes the current reply may still read
	cap     time.Time // the current reply's overall deadline
	waiting string    // what the reply answers, for the error: "LIST"
	capHit  atomic.Bool
	err     error // the last read error of this reply
	lastNL  bool  // the last byte read ended a line
}

// begin starts the budget of one reply to the command named waiting.
func (r *replyReader) begin(ctx context.Context, waiting string) {
	r.ctx, r.left, r.waiting = ctx, maxReplyBytes, waiting
	r.cap = time.Now().Add(replyCapPerTimout * r.timeout)
	r.capHit.Store(false)
	r.err = nil
	r.conn.SetReadDeadline(time.Now().Add(r.timeout))
}

// beginListing starts the budget of a reply that is a folder's listing
// (STAT path): as on a data connection, each line is bounded (the caller
// reads at most maxListingLine) and the entries are counted, but the whole
// is not, and only the inactivity timeout applies, not a deadline.
func (r *replyReader) beginListing(ctx context.Context, waiting string) {
	r.begin(ctx, waiting)
	r.left = math.MaxInt64
	r.cap = time.Now().AddDate(100, 0, 0)
}

// cut reports whether a reply that textproto accepted was cut off: the
// stream failed right after a line without its end. bufio's ReadLine hands
// such a fragment ("250 dele" of "250 deleted") over as a whole line and
// drops the error, and a half reply would pass for a whole one.
func (r *replyReader) cut() error {
	if r.err != nil && !r.lastNL {
		return r.err
	}
	return nil
}

func (r *replyReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, errReplyTooLong
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.conn.Read(p)
	r.left -= int64(n)
	if n > 0 {
		r.lastNL = p[n-1] == '\n'
	}
	if err != nil {
		r.err = err
	}
	if n > 0 && r.ctx != nil && r.ctx.Err() == nil {
		d := time.Now().Add(r.timeout)
		if d.After(r.cap) {
			d = r.cap
			r.capHit.Store(true)
		}
		r.conn.SetReadDeadline(d)
		if r.ctx.Err() != nil { // cancelled meanwhile: watch's deadline must win
			r.conn.SetReadDeadline(aLongTimeAgo)
		}
	}
	return n, err
}

func (r *replyReader) Write(p []byte) (int, error) { return r.conn.Write(p) }
func (r *replyReader) Close() error                { return r.conn.Close() }

// explain turns a read error of a reply into one that says what Skiff was
// waiting for and which budget ran out.
func (r *replyReader) explain(err error) error {
	var ne net.Error
	switch {
	case errors.Is(err, errReplyTooLong):
		return fmt.Errorf("%w (waiting for the reply to %s)", err, r.waiting)
	case errors.As(err, &ne) && ne.Timeout() && r.capHit.Load():
		return fmt.Errorf("the reply to %s was not complete after %s: %w", r.waiting, replyCapPerTimout*r.timeout, err)
	case errors.As(err, &ne) && ne.Timeout():
		return &stalled{fmt.Sprintf("no reply to %s after %s", r.waiting, r.timeout), err}
	}
	return err
}

// lineBlocks reads a listing line by line, in blocks: each read's whole
// lines become one string that the lines cut from it (and the entries
// parsed from them) share, so a listing costs an allocation per read, not
// one per line. A line may be at most max bytes without its line end; a
// longer one is errLineTooLong, and no more than max bytes of it are held.
type lineBlocks struct {
	r     io.Reader
	max   int
	buf   []byte // read, not yet in a block: the start of a line
	n     int    // bytes in buf
	block string // whole lines not yet returned
	err   error  // the read error that ends the listing (io.EOF at its end)
}

// lineBlockBytes is the first size of a lineBlocks buffer (64 KiB), doubled
// for a longer line up to the budget.
const lineBlockBytes = 64 << 10

func newLineBlocks(r io.Reader, max int) *lineBlocks {
	return &lineBlocks{r: r, max: max, buf: make([]byte, min(lineBlockBytes, max+2))}
}

// next returns the next line without its CR LF or LF. At the end of the
// listing (the last line may lack its line end) it returns the read error,
// io.EOF for a normal end, or errLineTooLong.
func (b *lineBlocks) next() (string, error) {
	for b.block == "" {
		if err := b.fill(); err != nil {
			return "", err
		}
	}
	line, rest, _ := strings.Cut(b.block, "\n")
	b.block = rest
	for len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, nil
}

// fill reads once more and moves the whole lines buffered into block.
func (b *lineBlocks) fill() error {
	if b.err != nil {
		if b.n > 0 { // the last line, without its line end
			b.block, b.n = string(b.buf[:b.n]), 0
			return nil
		}
		return b.err
	}
	if b.n == len(b.buf) { // no line end in a full buffer
		if len(b.buf) >= b.max+2 { // +2: the CR LF
			b.n, b.err = 0, errLineTooLong
			return b.err
		}
		b.buf = append(b.buf, make([]byte, min(len(b.buf), b.max+2-len(b.buf)))...)
	}
	m, err := b.r.Read(b.buf[b.n:])
	if end := bytes.LastIndexByte(b.buf[b.n:b.n+m], '\n'); end >= 0 {
		end += b.n + 1
		b.block = string(b.buf[:end])
		b.n = copy(b.buf, b.buf[end:b.n+m])
	} else {
		b.n += m
	}
	b.err = err
	return nil
}
