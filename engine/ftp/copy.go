package ftp

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"os"
	"sync"
	"time"
)

// copyBufSize is the buffer of one transfer (bytes). Large buffers keep
// system calls per GiB low; one buffer per running transfer keeps memory
// bounded.
const copyBufSize = 512 << 10

var bufPool = sync.Pool{New: func() any { b := make([]byte, copyBufSize); return &b }}

// A TLS download gathers the records it reads into writes of tlsGather
// bytes, for at most gatherTime. crypto/tls returns one record (16 KiB) per
// Read, and a file write per record cost 11% more CPU than 64 KiB writes
// (bench/transfer.sh, FTPS download from vsftpd: 0.61 s against 0.54 s
// per 512 MiB, median of 7). Gathering the whole 512 KiB buffer doubled the
// CPU instead (1.49 s): the file write then copies from a buffer the
// decryption filled long before, out of the cache. gatherTime keeps the
// bytes of a slow or stalled link moving to the file.
const (
	tlsGather  = 64 << 10 // bytes
	gatherTime = 50 * time.Millisecond
)

// download copies the data connection into w. It reports a failure of w
// (or the context) apart from one of the data connection.
func (c *Conn) download(ctx context.Context, dc *dataConn, w io.Writer) (n int64, local, remote error) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	stop := dc.watch(ctx)
	defer stop()
	gather := false
	if _, ok := dc.Conn.(*tls.Conn); ok {
		buf, gather = buf[:tlsGather], true
	}
	for {
		m, rerr := fill(dc, buf, gather)
		if m > 0 {
			k, werr := w.Write(buf[:m])
			n += int64(k)
			if werr == nil && k < m {
				werr = io.ErrShortWrite
			}
			if werr != nil {
				return n, werr, nil
			}
		}
		if rerr == io.EOF {
			return n, nil, nil
		}
		if rerr != nil {
			return n, nil, rerr
		}
	}
}

// fill reads once into buf, or with gather set until buf is full or
// gatherTime has passed since the first bytes arrived: the reads after the
// first have a read deadline of their own, so bytes that arrived are
// written after gatherTime even when the server sends nothing more. The
// bytes read come with the error that ended the reading, which the caller
// handles after writing them.
func fill(d *dataConn, buf []byte, gather bool) (int, error) {
	m, err := d.Read(buf)
	if err != nil || !gather || m == 0 {
		return m, err
	}
	if err := d.readUntil(time.Now().Add(gatherTime)); err != nil {
		return m, err
	}
	// The inactivity deadline is set again by the next Read.
	defer func() { d.next = time.Time{} }()
	for m < len(buf) {
		k, err := d.Conn.Read(buf[m:])
		m += k
		if errors.Is(err, os.ErrDeadlineExceeded) && !d.isCancelled() {
			return m, nil // gatherTime is up
		}
		if err != nil {
			return m, err
		}
	}
	return m, nil
}

// readUntil sets the read deadline, unless the transfer was cancelled
// (watch set a deadline in the past that must stay).
func (d *dataConn) readUntil(t time.Time) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cancelled {
		return context.Canceled
	}
	return d.Conn.SetReadDeadline(t)
}

func (d *dataConn) isCancelled() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cancelled
}

// upload copies r into the data connection. It reports a failure of r (or
// the context) apart from one of the data connection.
func (c *Conn) upload(ctx context.Context, dc *dataConn, r io.Reader) (n int64, local, remote error) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	stop := dc.watch(ctx)
	defer stop()
	for {
		m, rerr := r.Read(buf)
		if m > 0 {
			k, werr := dc.Write(buf[:m])
			n += int64(k)
			if werr == nil && k < m {
				werr = io.ErrShortWrite
			}
			if werr != nil {
				return n, nil, werr
			}
		}
		if rerr == io.EOF {
			return n, nil, nil
		}
		if rerr != nil {
			return n, rerr, nil
		}
	}
}
