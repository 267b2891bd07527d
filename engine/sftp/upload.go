package sftp

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/pkg/sftp"

	"github.com/skiff-ftp/skiff/engine"
)

// writeAt is the one call upload makes per request: pkg/sftp's
// File.WriteAt, which sends one WRITE for a buffer of at most the client's
// packet size and is safe to call from several goroutines at once.
type writeAt func(b []byte, off int64) (int, error)

// upload writes r to the file from offset in requests of size bytes, as
// many in flight as p allows (see pacer). It returns the bytes written
// without a gap from offset: after a failed request, those before it.
func upload(w writeAt, r io.Reader, offset int64, size int, p *pacer) (int64, error) {
	type result struct {
		buf  []byte
		off  int64
		err  error
		took time.Duration
	}
	results := make(chan result, p.max)
	var free [][]byte
	inFlight := 0
	var werr, rerr error
	failedAt := int64(-1) // the lowest offset a request failed at
	next := offset
	collect := func() {
		res := <-results
		inFlight--
		free = append(free, res.buf)
		if res.err != nil {
			if werr == nil {
				werr = res.err
			}
			if failedAt < 0 || res.off < failedAt {
				failedAt = res.off
			}
			return
		}
		p.reply(res.took)
	}
	for werr == nil && rerr == nil {
		for inFlight >= p.allowed() {
			collect()
		}
		if werr != nil {
			break
		}
		var buf []byte
		if n := len(free); n > 0 {
			buf, free = free[n-1], free[:n-1]
		} else {
			buf = make([]byte, size)
		}
		n, err := io.ReadFull(r, buf)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = io.EOF
		}
		if n > 0 {
			inFlight++
			go func(b []byte, off int64) {
				began := time.Now()
				_, err := w(b, off)
				results <- result{buf: b[:cap(b)], off: off, err: err, took: time.Since(began)}
			}(buf[:n], next)
			next += int64(n)
		} else {
			free = append(free, buf)
		}
		if err != nil {
			rerr = err
		}
	}
	for inFlight > 0 {
		collect()
	}
	if werr != nil {
		return failedAt - offset, werr
	}
	if rerr != io.EOF {
		return next - offset, rerr
	}
	return next - offset, nil
}

// store uploads r to f from offset and traces, beside the requests, how
// many were in flight.
func (s *Session) store(f *sftp.File, r io.Reader, offset int64) (int64, error) {
	p := newPacer(2, s.requests)
	n, err := upload(f.WriteAt, r, offset, s.size, p)
	tr := s.tr
	tr.level = engine.TraceDebug
	tr.status(fmt.Sprintf("Upload of %d bytes: up to %d WRITE requests of %d bytes in flight (%d at the end)",
		n, p.peak, s.size, p.allowed()))
	return n, err
}
