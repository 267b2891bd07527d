package sftp

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/ssh"
)

// Request sizes. SFTP guarantees 32 KiB reads and writes (maxPacket);
// OpenSSH since 8.7 states larger ones in its limits@openssh.com extension
// (255 KiB), and its own sftp client uses them: 8 times fewer requests for
// both sides to handle. pkg/sftp cannot ask, so packetSize does, on an sftp
// channel of its own, before the session's channel is opened.
const (
	// maxLargePacket caps what a server's limits may raise requests to.
	maxLargePacket = 256 << 10
	// inFlightBytes is what the requests in flight per file add up to at
	// most, so larger requests mean fewer of them (and the buffers pkg/sftp
	// allocates per request stay a few MiB).
	inFlightBytes = 4 << 20
)

// packetSize returns the read/write request size to use on conn and how
// many requests to keep in flight: the server's limits@openssh.com
// lengths when it states them, else SFTP's guaranteed 32 KiB. closed is
// closed once the server has closed the channel it asked on.
func packetSize(ctx context.Context, conn *ssh.Client, tr tracer) (size, requests int, closed <-chan struct{}) {
	size, requests = maxPacket, maxRequests
	read, write, closed, err := queryLimits(ctx, conn)
	if err != nil {
		tr.error("limits@openssh.com: " + err.Error())
		return size, requests, closed
	}
	if read == 0 || write == 0 {
		return size, requests, closed
	}
	n := min(read, write, maxLargePacket)
	if n <= maxPacket {
		return size, requests, closed
	}
	size = int(n)
	requests = max(8, min(maxRequests, inFlightBytes/size))
	tr.status(fmt.Sprintf("Server limits: read %d, write %d bytes per request; using %d with up to %d in flight", read, write, size, requests))
	return size, requests, closed
}

// queryLimits opens an sftp channel, reads the server's extensions from its
// VERSION and, when limits@openssh.com is among them, asks for the limits.
// Zero lengths mean none were stated. closed is closed when the server has
// closed the channel too: OpenSSH counts it against MaxSessions until its
// sftp process has exited, so with MaxSessions 1 the session's own channel
// is refused if opened before.
func queryLimits(ctx context.Context, conn *ssh.Client) (read, write uint64, closed <-chan struct{}, err error) {
	done := make(chan struct{})
	sess, err := conn.NewSession()
	if err != nil {
		close(done)
		return 0, 0, done, err
	}
	var r io.Reader
	defer func() {
		sess.Close()
		if r == nil {
			close(done)
			return
		}
		go func() { // the channel's reads end with the server's close
			io.Copy(io.Discard, r)
			close(done)
		}()
	}()
	stop := context.AfterFunc(ctx, func() { sess.Close() })
	defer stop()
	w, out, err := startSFTP(sess)
	if err != nil {
		return 0, 0, done, err
	}
	r = out
	if _, err := w.Write(framed([]byte{fxpInit, 0, 0, 0, 3})); err != nil {
		return 0, 0, done, err
	}
	p, err := readPacket(r)
	if err != nil {
		return 0, 0, done, err
	}
	if len(p) < 5 || p[0] != fxpVersion {
		return 0, 0, done, errors.New("no VERSION reply")
	}
	rd := reader(p[5:])
	offered := false
	for len(rd) > 0 {
		name := rd.str()
		rd.str() // its data
		offered = offered || name == "limits@openssh.com"
	}
	if !offered {
		return 0, 0, done, nil
	}
	req := []byte{fxpExtended, 0, 0, 0, 1}
	req = binary.BigEndian.AppendUint32(req, uint32(len("limits@openssh.com")))
	req = append(req, "limits@openssh.com"...)
	if _, err := w.Write(framed(req)); err != nil {
		return 0, 0, done, err
	}
	p, err = readPacket(r)
	if err != nil {
		return 0, 0, done, err
	}
	if len(p) < 5+32 || p[0] != fxpExtendedReply {
		return 0, 0, done, fmt.Errorf("unexpected reply type %d", p[0])
	}
	rd = reader(p[5:])
	rd.u64() // max packet length
	read, write = rd.u64(), rd.u64()
	return read, write, done, nil
}

// startSFTP starts the sftp subsystem on sess and returns its input and
// output (the pipes are taken before the subsystem starts, as x/crypto/ssh
// requires). The caller closes sess on error.
func startSFTP(sess *ssh.Session) (io.WriteCloser, io.Reader, error) {
	w, err := sess.StdinPipe()
	if err != nil {
		return nil, nil, err
	}
	r, err := sess.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := sess.RequestSubsystem("sftp"); err != nil {
		return nil, nil, err
	}
	return w, r, nil
}

// framed prefixes an SFTP packet with its length.
func framed(body []byte) []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...)
}

// readPacket reads one length-prefixed SFTP packet (at most 64 KiB: the
// replies queryLimits reads are small).
func readPacket(r io.Reader) ([]byte, error) {
	var l [4]byte
	if _, err := io.ReadFull(r, l[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(l[:])
	if n > 64<<10 {
		return nil, fmt.Errorf("reply of %d bytes", n)
	}
	p := make([]byte, n)
	_, err := io.ReadFull(r, p)
	return p, err
}
