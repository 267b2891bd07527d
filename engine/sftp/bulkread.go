package sftp

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"golang.org/x/crypto/ssh"

	"github.com/skiff-ftp/skiff/engine"
)

// Downloads go over a second sftp channel of the session's SSH connection,
// spoken here directly (SFTP v3: INIT, OPEN, FSTAT, READ, CLOSE) rather
// than through pkg/sftp. pkg/sftp's client allocates a new buffer of the
// request size for every reply, copies it once more into File.WriteTo's
// buffer and hands it across three goroutines: a 1 GiB download made 4 GiB
// of garbage at 255 KiB requests. Here each reply's header is read off the
// channel and its data goes straight to the writer when it is the next
// offset due, or into one of a fixed set of buffers until it is.

// SFTP v3 packet types and flags the download channel needs beyond
// trace.go's (draft-ietf-secsh-filexfer-02).
const (
	fxpHandle = 102
	fxpData   = 103
	fxpAttrs  = 105

	fxfRead       = 0x1 // SSH_FXF_READ
	attrSize      = 0x1 // SSH_FILEXFER_ATTR_SIZE
	sftpVersion   = 3
	maxSmallReply = 64 << 10 // budget of a reply that is not DATA (a status message, a handle)
)

// bulkReader downloads files on an sftp channel of its own. It is not safe
// for concurrent use; a broken one (a reply left unread, a request unsent)
// is closed and not used again.
type bulkReader struct {
	ch     io.Closer     // the channel; closing it ends the server's sftp process
	w      io.Writer     // requests
	r      *bufio.Reader // replies
	size   int           // bytes per READ
	slots  []slot        // one per READ in flight, each with its buffer
	req    []byte        // the request being built
	small  []byte        // the body of the last reply that is not DATA
	hdr    [13]byte      // length, type, id and a DATA reply's data length
	handle []byte        // the open file's
	id     uint32        // the last request's id
	nreads int           // READs sent for the open file
	asked  int64         // bytes they asked for
	broken bool
	tr     tracer // TraceDebug lines
}

// slot is one range of the file being read: [off, end), of which filled
// bytes from off are in buf and the rest, while busy, asked for by READ id.
type slot struct {
	buf    []byte
	id     uint32
	off    int64 // first byte not yet written to w
	end    int64
	filled int
	busy   bool // a READ for [off+filled, end) is in flight
	used   bool // the range is not all written yet
}

// openBulk opens the download channel on conn: a session channel with the
// sftp subsystem, INIT and VERSION.
func openBulk(conn *ssh.Client, size, requests int, tr tracer) (*bulkReader, error) {
	sess, err := conn.NewSession()
	if err != nil {
		return nil, err
	}
	w, r, err := startSFTP(sess)
	if err != nil {
		sess.Close()
		return nil, err
	}
	b, err := newBulkReader(sess, w, r, size, requests, tr)
	if err != nil {
		sess.Close()
		return nil, err
	}
	return b, nil
}

// newBulkReader starts SFTP on a channel: INIT, and the server's VERSION.
func newBulkReader(ch io.Closer, w io.Writer, r io.Reader, size, requests int, tr tracer) (*bulkReader, error) {
	tr.level = engine.TraceDebug
	b := &bulkReader{ch: ch, w: w, r: bufio.NewReaderSize(r, size+maxSmallReply), size: size,
		slots: make([]slot, requests), req: make([]byte, 0, 1024), small: make([]byte, 0, 1024)}
	for i := range b.slots {
		b.slots[i].buf = make([]byte, size)
	}
	b.tr = tr
	tr.command("SFTP INIT (download channel)")
	b.req = append(b.req[:0], 0, 0, 0, 0, fxpInit, 0, 0, 0, sftpVersion)
	if err := b.send(); err != nil {
		return nil, err
	}
	typ, _, err := b.reply()
	if err != nil {
		return nil, err
	}
	if typ != fxpVersion {
		return nil, fmt.Errorf("sftp download channel: reply type %d to INIT", typ)
	}
	tr.status("SFTP download channel open")
	return b, nil
}

func (b *bulkReader) close() error {
	b.broken = true
	return b.ch.Close()
}

// lost is the error of a channel that could not be read or written.
func lost(err error) error {
	return fmt.Errorf("%w: sftp download channel: %w", engine.ErrClosed, err)
}

// begin starts a request of type typ with a new id; send frames and sends it.
func (b *bulkReader) begin(typ byte) {
	b.id++
	b.req = append(b.req[:0], 0, 0, 0, 0, typ)
	b.req = binary.BigEndian.AppendUint32(b.req, b.id)
}

func (b *bulkReader) appendString(s []byte) {
	b.req = binary.BigEndian.AppendUint32(b.req, uint32(len(s)))
	b.req = append(b.req, s...)
}

func (b *bulkReader) send() error {
	binary.BigEndian.PutUint32(b.req, uint32(len(b.req)-4))
	if _, err := b.w.Write(b.req); err != nil {
		b.broken = true
		return lost(err)
	}
	return nil
}

// header reads the next reply's length, type and id (VERSION has no id:
// its first field is read as one). rest is the bytes of it still to come.
func (b *bulkReader) header() (typ byte, id uint32, rest int, err error) {
	if _, err := io.ReadFull(b.r, b.hdr[:9]); err != nil {
		b.broken = true
		return 0, 0, 0, lost(err)
	}
	n := binary.BigEndian.Uint32(b.hdr[:4])
	if n < 5 || n > uint32(b.size+maxSmallReply) {
		b.broken = true
		return 0, 0, 0, fmt.Errorf("sftp download channel: reply of %d bytes", n)
	}
	return b.hdr[4], binary.BigEndian.Uint32(b.hdr[5:9]), int(n) - 5, nil
}

// body reads the rest of a reply that is not DATA into b.small.
func (b *bulkReader) body(rest int) error {
	if rest > maxSmallReply {
		b.broken = true
		return fmt.Errorf("sftp download channel: reply of %d bytes", rest)
	}
	if cap(b.small) < rest {
		b.small = make([]byte, rest)
	}
	b.small = b.small[:rest]
	if _, err := io.ReadFull(b.r, b.small); err != nil {
		b.broken = true
		return lost(err)
	}
	return nil
}

// reply reads a whole reply that is not DATA: its body (after the id) is
// in b.small.
func (b *bulkReader) reply() (typ byte, id uint32, err error) {
	typ, id, rest, err := b.header()
	if err != nil {
		return 0, 0, err
	}
	return typ, id, b.body(rest)
}

// status reads b.small as a STATUS reply's code and message.
func (b *bulkReader) status() *Status { return parseStatus(b.small) }

// traceStatus logs a status the way requestTrace does: a failure in every
// log, the rest at TraceDebug.
func (b *bulkReader) traceStatus(st *Status, what string) {
	t := b.tr
	if st.Code != fxOK && st.Code != fxEOF {
		t.level = engine.TraceNormal
	}
	t.reply(fmt.Sprintf("STATUS %d %s (%s)", st.Code, st.Message, what))
}

// call sends the request built in b.req and reads its reply, which must be
// of type want or a STATUS (returned as an error unless it is OK).
func (b *bulkReader) call(want byte, what string) error {
	id := b.id
	if err := b.send(); err != nil {
		return err
	}
	typ, rid, err := b.reply()
	if err != nil {
		return err
	}
	if rid != id {
		b.broken = true
		return fmt.Errorf("sftp download channel: reply to request %d, want %d", rid, id)
	}
	switch {
	case typ == fxpStatus:
		st := b.status()
		b.traceStatus(st, what)
		if st.Code == fxOK && want == fxpStatus {
			return nil
		}
		return st
	case typ != want:
		b.broken = true
		return fmt.Errorf("sftp download channel: reply type %d to %s", typ, what)
	}
	return nil
}

// read copies the file p from offset to w in order, and returns the bytes
// written and the size the server stated (-1 when it stated none).
// accepted is called once the file is open.
func (b *bulkReader) read(p string, offset int64, w io.Writer, accepted func()) (n, size int64, err error) {
	b.nreads, b.asked = 0, 0
	b.begin(fxpOpen)
	b.req = binary.BigEndian.AppendUint32(b.req, uint32(len(p)))
	b.req = append(b.req, p...)
	b.req = binary.BigEndian.AppendUint32(b.req, fxfRead)
	b.req = binary.BigEndian.AppendUint32(b.req, 0) // no attributes
	b.tr.command(fmt.Sprintf("OPEN %s (read)", p))
	if err := b.call(fxpHandle, "OPEN"); err != nil {
		return 0, -1, err
	}
	r := reader(b.small)
	h := r.u32()
	if int(h) > len(r) {
		b.broken = true
		return 0, -1, errors.New("sftp download channel: truncated HANDLE")
	}
	b.handle = append(b.handle[:0], r[:h]...)

	size, err = b.fstat()
	if err == nil {
		accepted()
		n, err = b.reads(offset, size, w)
	}
	if b.broken {
		return n, size, err
	}
	if cerr := b.closeHandle(); err == nil {
		err = cerr
	}
	return n, size, err
}

func (b *bulkReader) fstat() (int64, error) {
	b.begin(fxpFstat)
	b.appendString(b.handle)
	b.tr.command(fmt.Sprintf("FSTAT %x", b.handle))
	if err := b.call(fxpAttrs, "FSTAT"); err != nil {
		return -1, err
	}
	r := reader(b.small)
	if r.u32()&attrSize == 0 {
		return -1, nil
	}
	if size := int64(r.u64()); size >= 0 {
		return size, nil
	}
	return -1, nil // past int64: unknown
}

// closeHandle sends CLOSE, naming the READs sent for the handle.
func (b *bulkReader) closeHandle() error {
	b.begin(fxpClose)
	b.appendString(b.handle)
	line := fmt.Sprintf("CLOSE %x", b.handle)
	if b.nreads > 0 {
		line += fmt.Sprintf(" (%d READ requests, %d bytes asked)", b.nreads, b.asked)
	}
	b.tr.command(line)
	return b.call(fxpStatus, "CLOSE")
}

// reads keeps len(b.slots) READs in flight from offset and writes their
// data to w in offset order until the server says EOF. A new range is
// asked for while it starts at or before the file's stated size (the one
// starting past it finds EOF) or past data that arrived beyond it.
func (b *bulkReader) reads(offset, size int64, w io.Writer) (int64, error) {
	next := offset                  // first byte not yet written to w
	sent := offset                  // first byte not yet asked for
	eof := int64(math.MaxInt64)     // where the file ended, once a READ said so
	horizon := int64(math.MaxInt64) // the last offset a new range may start at
	if size >= 0 {
		horizon = size
	}
	b.nreads, b.asked = 0, 0
	ask := func(s *slot) error {
		b.begin(fxpRead)
		b.appendString(b.handle)
		from := s.off + int64(s.filled)
		b.req = binary.BigEndian.AppendUint64(b.req, uint64(from))
		b.req = binary.BigEndian.AppendUint32(b.req, uint32(s.end-from))
		if b.nreads == 0 {
			b.tr.command(fmt.Sprintf("READ %x from offset %d (%d bytes; more follow)", b.handle, from, s.end-from))
		}
		b.nreads++
		b.asked += s.end - from
		s.id, s.busy = b.id, true
		return b.send()
	}
	// advance writes whatever is due, frees the slots that are done and
	// gives them new ranges.
	advance := func() error {
		for progressed := true; progressed; {
			progressed = false
			for i := range b.slots {
				s := &b.slots[i]
				if s.used && s.filled > 0 && s.off == next {
					if _, err := w.Write(s.buf[:s.filled]); err != nil {
						b.broken = true
						return err
					}
					next += int64(s.filled)
					s.off += int64(s.filled)
					s.filled = 0
					progressed = true
				}
				if s.used && !s.busy && s.filled == 0 && s.off >= s.end {
					s.used = false
				}
				if !s.used && sent < eof && sent <= horizon {
					s.off, s.end, s.filled, s.used = sent, sent+int64(b.size), 0, true
					sent = s.end
					if err := ask(s); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	for i := range b.slots {
		b.slots[i].used, b.slots[i].busy = false, false
	}
	if err := advance(); err != nil {
		return next - offset, err
	}
	for {
		s := b.busySlot()
		if s == nil {
			break
		}
		typ, id, rest, err := b.header()
		if err != nil {
			return next - offset, err
		}
		if s = b.slotOf(id); s == nil {
			b.broken = true
			return next - offset, fmt.Errorf("sftp download channel: reply to unknown request %d", id)
		}
		switch typ {
		case fxpData:
			if err := b.data(s, rest, &next, w); err != nil {
				return next - offset, err
			}
			if from := s.off + int64(s.filled); from < s.end {
				if err := ask(s); err != nil { // a short read: ask again for the rest
					return next - offset, err
				}
			} else {
				s.busy = false
			}
			horizon = max(horizon, s.off+int64(s.filled))
		case fxpStatus:
			if err := b.body(rest); err != nil {
				return next - offset, err
			}
			st := b.status()
			if st.Code != fxEOF {
				b.traceStatus(st, "READ")
				b.broken = true // the other READs' replies are still to come
				return next - offset, st
			}
			s.busy = false
			s.end = s.off + int64(s.filled)
			eof = min(eof, s.end)
		default:
			b.broken = true
			return next - offset, fmt.Errorf("sftp download channel: reply type %d to READ", typ)
		}
		if err := advance(); err != nil {
			return next - offset, err
		}
	}
	for i := range b.slots {
		if s := &b.slots[i]; s.used && s.filled > 0 {
			return next - offset, fmt.Errorf("%w: no data for offset %d, but some for %d", engine.ErrShort, next, s.off)
		}
	}
	return next - offset, nil
}

// data reads a DATA reply's data for s: straight to w when it is the next
// offset due, else into s's buffer.
func (b *bulkReader) data(s *slot, rest int, next *int64, w io.Writer) error {
	if rest < 4 {
		b.broken = true
		return errors.New("sftp download channel: truncated DATA")
	}
	if _, err := io.ReadFull(b.r, b.hdr[9:13]); err != nil {
		b.broken = true
		return lost(err)
	}
	n := int(binary.BigEndian.Uint32(b.hdr[9:13]))
	if n != rest-4 || n == 0 || int64(n) > s.end-s.off-int64(s.filled) {
		b.broken = true
		return fmt.Errorf("sftp download channel: DATA of %d bytes in a reply of %d to a READ of %d", n, rest, s.end-s.off-int64(s.filled))
	}
	if s.filled > 0 || s.off != *next {
		if _, err := io.ReadFull(b.r, s.buf[s.filled:s.filled+n]); err != nil {
			b.broken = true
			return lost(err)
		}
		s.filled += n
		return nil
	}
	for n > 0 {
		p, err := b.r.Peek(min(n, b.r.Size()))
		if err != nil {
			b.broken = true
			return lost(err)
		}
		if _, err := w.Write(p); err != nil {
			b.broken = true
			return err
		}
		b.r.Discard(len(p))
		n -= len(p)
		*next += int64(len(p))
		s.off += int64(len(p))
	}
	return nil
}

func (b *bulkReader) busySlot() *slot {
	for i := range b.slots {
		if b.slots[i].busy {
			return &b.slots[i]
		}
	}
	return nil
}

func (b *bulkReader) slotOf(id uint32) *slot {
	for i := range b.slots {
		if s := &b.slots[i]; s.busy && s.id == id {
			return s
		}
	}
	return nil
}
