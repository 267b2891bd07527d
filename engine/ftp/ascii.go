package ftp

import (
	"bytes"
	"fmt"
	"io"
	"runtime"

	"github.com/skiff-ftp/skiff/engine"
)

// TYPE A (RFC 959 3.1.1.1): on the wire every line ends with CRLF. A
// download turns CRLF into the local line end (LF; Windows keeps CRLF), an
// upload turns a bare LF into CRLF. The file's size changes on the way, so
// an ASCII transfer is never resumed and never judged by size (SIZE counts
// the server's bytes) or by a checksum.

// errASCIIResume refuses a resume in ASCII mode: REST counts bytes on the
// wire, which match no offset in the local file. It is ErrNoRestart, which
// callers answer by starting the file over.
var errASCIIResume = fmt.Errorf("%w: ASCII transfers cannot resume", engine.ErrNoRestart)

// localCRLF: the local line end is CRLF, which the wire already has.
var localCRLF = runtime.GOOS == "windows"

// fromNetASCII writes a TYPE A download to w with local line ends. A CR at
// the end of one write is held until the next shows whether LF follows.
type fromNetASCII struct {
	w  io.Writer
	cr bool // a CR is held back
	b  []byte
}

func newFromNetASCII(w io.Writer) io.Writer {
	if localCRLF {
		return w
	}
	return &fromNetASCII{w: w}
}

// Write returns len(p) when every converted byte was written.
func (a *fromNetASCII) Write(p []byte) (int, error) {
	n := len(p)
	b := a.b[:0]
	if a.cr {
		a.cr = false
		if len(p) == 0 || p[0] != '\n' {
			b = append(b, '\r')
		}
	}
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\r')
		if i < 0 {
			b = append(b, p...)
			p = nil
			break
		}
		b = append(b, p[:i]...)
		p = p[i+1:]
		switch {
		case len(p) == 0:
			a.cr = true
		case p[0] != '\n':
			b = append(b, '\r') // a lone CR is data
		}
	}
	a.b = b
	if _, err := a.w.Write(b); err != nil {
		return 0, err
	}
	return n, nil
}

// flush writes a CR held back at the end of the download.
func (a *fromNetASCII) flush() error {
	if !a.cr {
		return nil
	}
	a.cr = false
	_, err := a.w.Write([]byte{'\r'})
	return err
}

// toNetASCII reads a local file for a TYPE A upload: a LF not preceded by
// CR goes out as CRLF.
type toNetASCII struct {
	r      io.Reader
	prevCR bool // the last byte read from r was CR
	in     []byte
	out    []byte // converted bytes; out[pos:] not read yet
	pos    int
	err    error // r's error, returned once out is drained
}

func newToNetASCII(r io.Reader) io.Reader { return &toNetASCII{r: r, in: make([]byte, 32<<10)} }

func (a *toNetASCII) Read(p []byte) (int, error) {
	for a.pos == len(a.out) {
		if a.err != nil {
			return 0, a.err
		}
		n, err := a.r.Read(a.in)
		a.out, a.pos, a.err = a.out[:0], 0, err
		for _, c := range a.in[:n] {
			if c == '\n' && !a.prevCR {
				a.out = append(a.out, '\r')
			}
			a.out = append(a.out, c)
			a.prevCR = c == '\r'
		}
	}
	n := copy(p, a.out[a.pos:])
	a.pos += n
	return n, nil
}
