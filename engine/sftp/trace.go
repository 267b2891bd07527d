package sftp

import (
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

// tracer sends a connection's lines to Config.Trace (which may be nil).
type tracer struct {
	fn    func(engine.TraceEvent)
	id    int
	level engine.TraceLevel // of its lines: the requests' are TraceDebug
}

func (t tracer) emit(kind engine.TraceKind, text string) {
	if t.fn != nil {
		t.fn(engine.TraceEvent{Time: time.Now(), Conn: t.id, Kind: kind, Text: text, Level: t.level})
	}
}

func (t tracer) status(text string)  { t.emit(engine.TraceStatus, text) }
func (t tracer) command(text string) { t.emit(engine.TraceCommand, text) }
func (t tracer) reply(text string)   { t.emit(engine.TraceReply, text) }
func (t tracer) error(text string)   { t.emit(engine.TraceError, text) }

// SFTP v3 packet types (draft-ietf-secsh-filexfer-02).
const (
	fxpInit     = 1
	fxpOpen     = 3
	fxpClose    = 4
	fxpRead     = 5
	fxpWrite    = 6
	fxpLstat    = 7
	fxpFstat    = 8
	fxpSetstat  = 9
	fxpFsetstat = 10
	fxpOpendir  = 11
	fxpReaddir  = 12
	fxpRemove   = 13
	fxpMkdir    = 14
	fxpRmdir    = 15
	fxpRealpath = 16
	fxpStat     = 17
	fxpRename   = 18
	fxpReadlink = 19
	fxpSymlink  = 20
	fxpExtended = 200

	fxpVersion       = 2
	fxpStatus        = 101
	fxpExtendedReply = 201

	fxOK  = 0
	fxEOF = 1
)

var requestNames = map[byte]string{
	fxpInit: "INIT", fxpOpen: "OPEN", fxpClose: "CLOSE", fxpRead: "READ", fxpWrite: "WRITE",
	fxpLstat: "LSTAT", fxpFstat: "FSTAT", fxpSetstat: "SETSTAT", fxpFsetstat: "FSETSTAT",
	fxpOpendir: "OPENDIR", fxpReaddir: "READDIR", fxpRemove: "REMOVE", fxpMkdir: "MKDIR",
	fxpRmdir: "RMDIR", fxpRealpath: "REALPATH", fxpStat: "STAT", fxpRename: "RENAME",
	fxpReadlink: "READLINK", fxpSymlink: "SYMLINK", fxpExtended: "EXTENDED",
}

// requestTrace logs the SFTP requests a client sends and the status
// replies it gets. Every request is one line except the data requests: a
// file's first READ or WRITE is shown with its offset, and its CLOSE counts
// them (a 1 GiB download is 32,768 READs).
type requestTrace struct {
	t  tracer
	mu sync.Mutex
	// pending maps the ids of requests in flight (other than READ and
	// WRITE) to their names, for their replies.
	pending map[uint32]string
	// data counts the READs and WRITEs per handle since its first.
	data map[string]*dataCount
}

type dataCount struct {
	verb  string
	n     int
	bytes int64
}

func newRequestTrace(t tracer) *requestTrace {
	t.level = engine.TraceDebug // a failed status is TraceNormal (see reply)
	return &requestTrace{t: t, pending: map[uint32]string{}, data: map[string]*dataCount{}}
}

// request is called with the start of each packet the client sends.
func (rt *requestTrace) request(p []byte) {
	if len(p) < 1 {
		return
	}
	typ := p[0]
	name := requestNames[typ]
	if name == "" {
		name = fmt.Sprintf("type %d", typ)
	}
	if typ == fxpInit {
		rt.t.command("SFTP INIT")
		return
	}
	if len(p) < 5 {
		return
	}
	id := binary.BigEndian.Uint32(p[1:5])
	r := reader(p[5:])
	rt.mu.Lock()
	defer rt.mu.Unlock()
	switch typ {
	case fxpRead, fxpWrite:
		h := r.str()
		off := r.u64()
		n := int64(r.u32()) // READ: length asked; WRITE: length of data
		dc := rt.data[h]
		if dc == nil {
			rt.data[h] = &dataCount{verb: name, n: 1, bytes: n}
			rt.t.command(fmt.Sprintf("%s %x from offset %d (%d bytes; more follow)", name, h, off, n))
			return
		}
		dc.n++
		dc.bytes += n
		return
	case fxpClose:
		h := r.str()
		line := fmt.Sprintf("CLOSE %x", h)
		if dc := rt.data[h]; dc != nil {
			delete(rt.data, h)
			what := "bytes asked"
			if dc.verb == "WRITE" {
				what = "bytes sent"
			}
			line += fmt.Sprintf(" (%d %s requests, %d %s)", dc.n, dc.verb, dc.bytes, what)
		}
		rt.pending[id] = "CLOSE"
		rt.t.command(line)
		return
	case fxpOpen:
		path := r.str()
		rt.t.command(fmt.Sprintf("OPEN %s (%s)", path, openFlags(r.u32())))
	case fxpRename, fxpSymlink:
		a := r.str()
		rt.t.command(fmt.Sprintf("%s %s %s", name, a, r.str()))
	case fxpExtended:
		ext := r.str()
		rt.t.command(fmt.Sprintf("EXTENDED %s %s", ext, r.str()))
	case fxpFstat, fxpFsetstat, fxpReaddir:
		rt.t.command(fmt.Sprintf("%s %x", name, r.str()))
	default:
		rt.t.command(fmt.Sprintf("%s %s", name, r.str()))
	}
	rt.pending[id] = name
}

// reply is called with the start of each packet the server sends: failed
// statuses are traced, and a request's status when it was traced.
func (rt *requestTrace) reply(p []byte) {
	if len(p) < 5 {
		return
	}
	id := binary.BigEndian.Uint32(p[1:5])
	rt.mu.Lock()
	name, traced := rt.pending[id]
	delete(rt.pending, id)
	rt.mu.Unlock()
	if p[0] != fxpStatus {
		return
	}
	st := parseStatus(p[5:])
	code, msg := st.Code, st.Message
	switch {
	case traced && code == fxOK:
		rt.t.reply(fmt.Sprintf("STATUS %d %s (%s)", code, msg, name))
	case traced || code != fxOK && code != fxEOF:
		what := name
		if !traced {
			what = "READ/WRITE"
		}
		t := rt.t
		if code != fxOK && code != fxEOF {
			t.level = engine.TraceNormal // a failure shows in every log
		}
		t.reply(fmt.Sprintf("STATUS %d %s (%s)", code, msg, what))
	}
}

func openFlags(f uint32) string {
	var out []string
	for _, b := range []struct {
		bit  uint32
		name string
	}{{1, "read"}, {2, "write"}, {4, "append"}, {8, "create"}, {16, "truncate"}, {32, "exclusive"}} {
		if f&b.bit != 0 {
			out = append(out, b.name)
		}
	}
	return strings.Join(out, ",")
}

// reader reads SFTP's big-endian fields from a (possibly truncated)
// packet; past the end it yields zeros and empty strings.
type reader []byte

func (r *reader) u32() uint32 {
	if len(*r) < 4 {
		*r = nil
		return 0
	}
	v := binary.BigEndian.Uint32(*r)
	*r = (*r)[4:]
	return v
}

func (r *reader) u64() uint64 {
	if len(*r) < 8 {
		*r = nil
		return 0
	}
	v := binary.BigEndian.Uint64(*r)
	*r = (*r)[8:]
	return v
}

func (r *reader) str() string {
	n := int(r.u32())
	if n > len(*r) {
		n = len(*r) // truncated: show what there is
	}
	s := string((*r)[:n])
	*r = (*r)[n:]
	return s
}

// headMax is how much of each packet the scanner keeps: enough for a path
// and a status message.
const headMax = 1024

// packetScanner splits a byte stream into SFTP packets (uint32 length,
// then the packet) and hands the first headMax bytes of each to on.
type packetScanner struct {
	on     func([]byte)
	lenBuf []byte
	head   []byte
	left   int64 // bytes of the current packet still to come
	inPkt  bool
}

func (s *packetScanner) feed(p []byte) {
	for len(p) > 0 {
		if !s.inPkt {
			n := min(4-len(s.lenBuf), len(p))
			s.lenBuf = append(s.lenBuf, p[:n]...)
			p = p[n:]
			if len(s.lenBuf) < 4 {
				return
			}
			s.left = int64(binary.BigEndian.Uint32(s.lenBuf))
			s.lenBuf, s.head, s.inPkt = s.lenBuf[:0], s.head[:0], true
			if s.left == 0 {
				s.inPkt = false
			}
			continue
		}
		n := min(int64(len(p)), s.left)
		if room := headMax - len(s.head); room > 0 {
			s.head = append(s.head, p[:min(n, int64(room))]...)
		}
		s.left -= n
		p = p[n:]
		if s.left == 0 {
			s.inPkt = false
			s.on(s.head)
		}
	}
}

// requestWriter hands the requests written to the sftp channel to its
// scanner.
type requestWriter struct {
	w  io.WriteCloser
	mu sync.Mutex
	s  packetScanner
}

func (w *requestWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.s.feed(p)
	w.mu.Unlock()
	return w.w.Write(p)
}

func (w *requestWriter) Close() error { return w.w.Close() }

// replyReader hands the replies read from the sftp channel to its scanner.
type replyReader struct {
	r io.Reader
	s packetScanner
}

func (r *replyReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.s.feed(p[:n])
	return n, err
}

// statusRecorder keeps the last failure status (other than EOF) the server
// sent, for wrap: the session resets it before each call.
type statusRecorder struct {
	last atomic.Pointer[Status]
}

func (s *statusRecorder) reply(p []byte) {
	if len(p) < 5 || p[0] != fxpStatus {
		return
	}
	// Every WRITE ends in an OK: only a failure's message is worth a copy.
	r := reader(p[5:])
	if code := r.u32(); code == fxOK || code == fxEOF {
		return
	}
	s.last.Store(parseStatus(p[5:]))
}

// parseStatus reads a STATUS reply's body after its id: the code and the
// server's message.
func parseStatus(body []byte) *Status {
	r := reader(body)
	code := r.u32()
	return &Status{Code: code, Message: r.str()}
}

func (s *statusRecorder) reset() {
	if s != nil {
		s.last.Store(nil)
	}
}

func (s *statusRecorder) take() *Status {
	if s == nil {
		return nil
	}
	return s.last.Swap(nil)
}
