package sftp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
)

// fakeServer answers the download channel's requests (INIT, OPEN, FSTAT,
// READ, CLOSE) for one file, misbehaving as told. It allocates nothing per
// READ, so the allocation test measures the client alone.
type fakeServer struct {
	data   []byte
	stated int64 // the size FSTAT states; 0: len(data)
	short  int   // most bytes per DATA reply (0: as asked)
	batch  int   // answer the READs queued, up to batch of them, last first
	failAt int64 // a READ at or past it gets SSH_FX_PERMISSION_DENIED (0: none)
	dropAt int64 // the channel is closed at a READ at or past it (0: never)

	reordered *atomic.Int64 // replies sent before one of a lower offset
}

type fakeRequest struct {
	typ  byte
	id   uint32
	off  int64
	n    uint32
	path string
}

// start serves f on one end of a pipe and returns the other.
func (f *fakeServer) start(t *testing.T) net.Conn {
	c, s := net.Pipe()
	f.reordered = new(atomic.Int64)
	reqs := make(chan fakeRequest, 1024)
	go func() { // reads requests as they come, so the client's writes never wait
		defer close(reqs)
		r := bufio.NewReader(s)
		var buf []byte
		var l [4]byte
		for {
			if _, err := io.ReadFull(r, l[:]); err != nil {
				return
			}
			n := binary.BigEndian.Uint32(l[:])
			if cap(buf) < int(n) {
				buf = make([]byte, n)
			}
			buf = buf[:n]
			if _, err := io.ReadFull(r, buf); err != nil {
				return
			}
			q := fakeRequest{typ: buf[0]}
			if q.typ == fxpInit {
				reqs <- q
				continue
			}
			q.id = binary.BigEndian.Uint32(buf[1:5])
			rd := reader(buf[5:])
			switch q.typ {
			case fxpOpen:
				q.path = rd.str()
			case fxpRead:
				h := rd.u32()
				rd = rd[h:] // the handle, unread: a string would allocate
				q.off = int64(rd.u64())
				q.n = rd.u32()
			}
			reqs <- q
		}
	}()
	go func() {
		defer s.Close()
		w := bufio.NewWriterSize(s, 64<<10)
		var hdr []byte
		put := func(typ byte, id uint32, body ...[]byte) error {
			n := 5
			for _, b := range body {
				n += len(b)
			}
			hdr = binary.BigEndian.AppendUint32(hdr[:0], uint32(n))
			hdr = append(hdr, typ)
			hdr = binary.BigEndian.AppendUint32(hdr, id)
			w.Write(hdr)
			for _, b := range body {
				w.Write(b)
			}
			return w.Flush()
		}
		var status [512]byte
		statusBody := func(code uint32, msg string) []byte {
			b := binary.BigEndian.AppendUint32(status[:0], code)
			b = binary.BigEndian.AppendUint32(b, uint32(len(msg)))
			b = append(b, msg...)
			return binary.BigEndian.AppendUint32(b, 0) // language tag
		}
		var dlen [4]byte
		var batch []fakeRequest
		lastOff := int64(-1)
		answer := func(q fakeRequest) error {
			switch q.typ {
			case fxpInit:
				hdr = binary.BigEndian.AppendUint32(hdr[:0], 5)
				hdr = append(hdr, fxpVersion, 0, 0, 0, 3)
				w.Write(hdr)
				return w.Flush()
			case fxpOpen:
				if q.path == "missing" {
					return put(fxpStatus, q.id, statusBody(2, "No such file"))
				}
				return put(fxpHandle, q.id, []byte{0, 0, 0, 1, 'h'})
			case fxpFstat:
				size := f.stated
				if size == 0 {
					size = int64(len(f.data))
				}
				var a [12]byte
				binary.BigEndian.PutUint32(a[:], attrSize)
				binary.BigEndian.PutUint64(a[4:], uint64(size))
				return put(fxpAttrs, q.id, a[:])
			case fxpClose:
				return put(fxpStatus, q.id, statusBody(fxOK, "Success"))
			case fxpRead:
				if f.dropAt > 0 && q.off >= f.dropAt {
					return io.ErrClosedPipe
				}
				if f.failAt > 0 && q.off >= f.failAt {
					return put(fxpStatus, q.id, statusBody(3, "Permission denied (injected)"))
				}
				if q.off >= int64(len(f.data)) {
					return put(fxpStatus, q.id, statusBody(fxEOF, "End of file"))
				}
				if q.off < lastOff {
					f.reordered.Add(1)
				}
				lastOff = q.off
				n := min(int64(q.n), int64(len(f.data))-q.off)
				if f.short > 0 {
					n = min(n, int64(f.short))
				}
				binary.BigEndian.PutUint32(dlen[:], uint32(n))
				return put(fxpData, q.id, dlen[:], f.data[q.off:q.off+n])
			}
			return fmt.Errorf("fake: request type %d", q.typ)
		}
		for q := range reqs {
			if q.typ != fxpRead || f.batch < 2 {
				if answer(q) != nil {
					return
				}
				continue
			}
			// The READs already queued, up to batch, answered last first.
			batch = append(batch[:0], q)
		more:
			for len(batch) < f.batch {
				select {
				case q2, ok := <-reqs:
					if !ok {
						break more
					}
					batch = append(batch, q2)
				default:
					break more
				}
			}
			for i := len(batch) - 1; i >= 0; i-- {
				if answer(batch[i]) != nil {
					return
				}
			}
		}
	}()
	return c
}

// fakeSession is a Session whose download channel is a fakeServer's.
func fakeSession(t *testing.T, f *fakeServer, size, requests int) *Session {
	t.Helper()
	c := f.start(t)
	t.Cleanup(func() { c.Close() })
	b, err := newBulkReader(c, c, c, size, requests, tracer{})
	if err != nil {
		t.Fatal(err)
	}
	return &Session{bulk: b, status: &statusRecorder{}, size: size, requests: requests}
}

// pattern is n bytes that differ at every offset a misplaced range could
// land on.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>8 + i>>16)
	}
	return b
}

// TestDownloadChannelAgainstFaultyServer: short DATA replies, replies out
// of order, a failure status and a dropped channel mid-file give identical
// bytes or the right engine error, with what reached w always a prefix of
// the file (never a hole, never silent truncation).
func TestDownloadChannelAgainstFaultyServer(t *testing.T) {
	const size, requests = 1000, 8
	data := pattern(100_003)
	for _, tc := range []struct {
		name   string
		f      fakeServer
		offset int64
		want   error // nil: the whole file from offset
	}{
		{name: "replies as asked", f: fakeServer{}},
		{name: "short replies of 777 bytes", f: fakeServer{short: 777}},
		{name: "short replies of 1 byte from offset 1500", f: fakeServer{short: 1}, offset: 1500},
		{name: "replies last first in batches of 8", f: fakeServer{batch: 8}},
		{name: "short replies of 333 bytes last first in batches of 5 from offset 2", f: fakeServer{short: 333, batch: 5}, offset: 2},
		{name: "permission denied at offset 50000", f: fakeServer{failAt: 50_000}, want: engine.ErrPermission},
		{name: "permission denied at offset 50000 last first", f: fakeServer{failAt: 50_000, batch: 8}, want: engine.ErrPermission},
		{name: "channel dropped at offset 50000", f: fakeServer{dropAt: 50_000}, want: engine.ErrClosed},
		{name: "channel dropped at offset 50000 after short replies", f: fakeServer{dropAt: 50_000, short: 600}, want: engine.ErrClosed},
		{name: "file 10 bytes shorter than stated", f: fakeServer{stated: 100_013}, want: engine.ErrShort},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			f.data = data
			s := fakeSession(t, &f, size, requests)
			var got bytes.Buffer
			n, err := s.Retrieve(context.Background(), "f", tc.offset, &got)
			if int64(got.Len()) != n {
				t.Fatalf("n = %d but %d bytes written", n, got.Len())
			}
			if !bytes.Equal(got.Bytes(), data[tc.offset:tc.offset+n]) {
				t.Fatalf("the %d bytes written are not the file's from %d", n, tc.offset)
			}
			if tc.want == nil {
				if err != nil || n != int64(len(data))-tc.offset {
					t.Fatalf("Retrieve = %d, %v; want %d", n, err, int64(len(data))-tc.offset)
				}
				if f.batch > 1 && f.reordered.Load() == 0 {
					t.Fatal("the server answered nothing out of order")
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("Retrieve = %d, %v; want %v", n, err, tc.want)
			}
			var st *Status
			if tc.want == engine.ErrPermission && (!errors.As(err, &st) || !strings.Contains(st.Message, "injected")) {
				t.Fatalf("err = %v: the server's status is not in the chain", err)
			}
		})
	}
}

// TestDownloadChannelStaysInStepAfterRefusedOpen: a missing file is
// ErrNotFound with the server's message, and the channel serves the next
// file.
func TestDownloadChannelStaysInStepAfterRefusedOpen(t *testing.T) {
	data := pattern(5000)
	s := fakeSession(t, &fakeServer{data: data}, 1000, 4)
	b := s.bulk
	_, err := s.Retrieve(context.Background(), "missing", 0, io.Discard)
	var st *Status
	if !errors.Is(err, engine.ErrNotFound) || !errors.As(err, &st) || st.Message != "No such file" {
		t.Fatalf("err = %v, want ErrNotFound with the server's status", err)
	}
	var got bytes.Buffer
	if n, err := s.Retrieve(context.Background(), "f", 0, &got); err != nil || !bytes.Equal(got.Bytes(), data) {
		t.Fatalf("next Retrieve = %d, %v", n, err)
	}
	if s.bulk != b {
		t.Fatal("a refused OPEN replaced the download channel")
	}
}

// countingWriter counts bytes, as the queue's progress meter does.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// TestDownloadAllocatesPerFileNotPerReply: a 64 MiB download in 2,048
// replies of 32 KiB allocates a few hundred bytes, not a buffer per reply.
// (Measured against the fake server, which allocates nothing per READ: the
// in-process SSH server and x/crypto/ssh under it copy every 32 KiB packet
// into a new buffer on both sides.)
func TestDownloadAllocatesPerFileNotPerReply(t *testing.T) {
	const size, requests = 32 << 10, 64
	data := pattern(64 << 20)
	s := fakeSession(t, &fakeServer{data: data}, size, requests)
	var w countingWriter
	download := func() {
		w.n = 0
		if n, err := s.Retrieve(context.Background(), "f", 0, &w); err != nil || n != int64(len(data)) || w.n != n {
			t.Fatalf("Retrieve = %d, %v (%d written)", n, err, w.n)
		}
	}
	download() // the first one grows what is reused
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	download()
	runtime.ReadMemStats(&after)
	allocs, bytes := after.Mallocs-before.Mallocs, after.TotalAlloc-before.TotalAlloc
	t.Logf("one 64 MiB download: %d allocations, %d bytes", allocs, bytes)
	if replies := len(data) / size; allocs > 100 || bytes > 64<<10 {
		t.Fatalf("%d allocations (%d bytes) for %d replies: want O(1)", allocs, bytes, replies)
	}
}
