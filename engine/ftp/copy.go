package ftp

import (
	"context"
	"io"
	"sync"
)

// copyBufSize is the buffer of one transfer (bytes). Large buffers keep
// system calls per GiB low; one buffer per running transfer keeps memory
// bounded.
const copyBufSize = 512 << 10

var bufPool = sync.Pool{New: func() any { b := make([]byte, copyBufSize); return &b }}

// copy moves the data of a transfer with a large pooled buffer. It reports
// a failure of the local side (the caller's reader or writer, or the
// context) apart from one of the data connection.
func (c *Conn) copy(ctx context.Context, dc *dataConn, dst io.Writer, src io.Reader) (n int64, local, remote error) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	stop := dc.watch(ctx)
	defer stop()
	_, download := src.(*dataConn)
	for {
		m, rerr := src.Read(buf)
		if m > 0 {
			w, werr := dst.Write(buf[:m])
			n += int64(w)
			if werr == nil && w < m {
				werr = io.ErrShortWrite
			}
			if werr != nil {
				if download {
					return n, werr, nil
				}
				return n, nil, werr
			}
		}
		if rerr == io.EOF {
			return n, nil, nil
		}
		if rerr != nil {
			if download {
				return n, nil, rerr
			}
			return n, rerr, nil
		}
	}
}
