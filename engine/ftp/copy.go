package ftp

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"sync"
	"syscall"
)

// copyBufSize is the buffer of one transfer (bytes). Large buffers keep
// system calls per GiB low; one buffer per running transfer keeps memory
// bounded.
const copyBufSize = 512 << 10

var bufPool = sync.Pool{New: func() any { b := make([]byte, copyBufSize); return &b }}

// A TLS download gathers the records it reads into writes of up to
// tlsGather bytes. crypto/tls returns one record (16 KiB) per Read, and a
// file write per record cost 11% more CPU than 64 KiB writes (bench/transfer.sh,
// FTPS download from vsftpd: 0.61 s against 0.54 s per 512 MiB, median of
// 7). Gathering the whole 512 KiB buffer doubled the CPU instead (1.49 s):
// the file write then copies from a buffer the decryption filled long
// before, out of the cache.
const tlsGather = 64 << 10 // bytes

// maxWireRecord is the most bytes one TLS record takes on the wire (header
// and the largest ciphertext TLS 1.2 allows; TLS 1.3's is smaller). With
// that many bytes received and unread, the next Read of a tls.Conn
// completes a record without waiting for the network.
const maxWireRecord = 5 + 16384 + 2048

// download copies the data connection into w. It reports a failure of w
// (or the context) apart from one of the data connection.
func (c *Conn) download(ctx context.Context, dc *dataConn, w io.Writer) (n int64, local, remote error) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	stop := dc.watch(ctx)
	defer stop()
	var g *gauge
	if tc, ok := dc.Conn.(*tls.Conn); ok {
		if g, ok = tc.NetConn().(*gauge); ok {
			buf = buf[:tlsGather]
		}
	}
	for {
		m, rerr := fill(dc, buf, g)
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
			return n, nil, dc.explain(rerr, true)
		}
	}
}

// fill reads once into buf, and then, with a gauge, goes on reading while
// the gauge knows a whole record to have arrived: it gathers what has
// arrived and never waits for more, so the bytes of a slow or stalled link
// go to the file at once. Nor does it touch the read deadline: a deadline
// per gather (an earlier version waited up to 50 ms for more) is a runtime
// timer that, being the earliest, wakes a second thread of the Go
// scheduler every 64 KiB (31,000 thread switches per GiB against 17,000
// without), and on two cores that time is the server's. FTPS download of
// 1 GiB from vsftpd on loopback, three A/B runs interleaved with curl and
// lftp (medians of 7, 9, 9): 1.64 -> 1.49 s, 1.98 -> 1.63 s and
// 1.89 -> 1.54 s; the client's CPU fell in one run (1.47 -> 1.11 s) and was
// flat in the other two. The bytes read come with the error that ended the
// reading, which the caller handles after writing them.
func fill(d *dataConn, buf []byte, g *gauge) (int, error) {
	m, err := d.Read(buf)
	if err != nil || g == nil || m == 0 {
		return m, err
	}
	for m < len(buf) && g.whole() {
		k, err := d.Conn.Read(buf[m:])
		m += k
		if err != nil {
			return m, err
		}
	}
	return m, nil
}

// A gauge sits under the tls.Conn of a download and tells whether a whole
// record has arrived, so that reading it does not wait for the network.
// It asks the socket for the bytes received and unread (SIOCINQ, a system
// call) only when it cannot tell otherwise: a read of the socket that
// returned less than it asked for emptied it, so until the next read
// nothing is known to be there; and after a query it counts down the
// bytes crypto/tls reads, asking again only when they are used up. A
// client that keeps up with its server (the socket holds a record or less
// at each read) asked once per record before, 57,000-63,000 times per GiB
// at 1.5 us each on this VM; now 16,000-21,000 times (FTPS download of
// 1 GiB from vsftpd, perf stat).
//
// Bytes crypto/tls has read ahead into its own buffer are not counted, so
// the gauge errs on the side of reporting less than has arrived.
type gauge struct {
	net.Conn
	received func() int // asks the socket for its bytes received and unread
	known    int        // bytes received and not read, at least
	drained  bool       // the last read found the socket empty
}

// newGauge returns a gauge over nc, or nil when nc cannot be asked for
// its received bytes (not a socket, or a system without the query).
func newGauge(nc net.Conn) *gauge {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	if _, ok := backlog(rc); !ok {
		return nil
	}
	return &gauge{Conn: nc, received: func() int {
		n, _ := backlog(rc)
		return n
	}}
}

func (g *gauge) Read(p []byte) (int, error) {
	n, err := g.Conn.Read(p)
	g.drained = n < len(p)
	g.known -= n
	return n, err
}

// whole reports whether a whole record can be read without waiting.
func (g *gauge) whole() bool {
	if g.known >= maxWireRecord {
		return true
	}
	if g.drained {
		return false
	}
	g.known = g.received()
	g.drained = g.known == 0
	return g.known >= maxWireRecord
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
				return n, nil, dc.explain(werr, false)
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
