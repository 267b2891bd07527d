package ftp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

// abortGrace bounds the wait for the second reply after ABOR when the first
// one already said the transfer completed; abortWait bounds the whole ABOR
// exchange (a cancelled call must return promptly).
const (
	abortGrace = 2 * time.Second
	abortWait  = 5 * time.Second
)

// Retrieve downloads path from offset on into w (REST before RETR, 350
// required) and returns the bytes written. Fewer bytes than the file has is
// engine.ErrShort: the size is the one the 150 reply states, else SIZE's.
func (c *Conn) Retrieve(ctx context.Context, path string, offset int64, w io.Writer) (int64, error) {
	if err := c.lock(); err != nil {
		return 0, c.opError("RETR", path, err)
	}
	defer c.unlock()
	n, err := c.retrieve(ctx, path, offset, w)
	if err != nil {
		return n, c.opError("RETR", path, err)
	}
	return n, nil
}

// retrieve costs one round trip less per file than asking SIZE first when
// the server states the size in its 150 reply (vsftpd, ProFTPD, and others:
// "(N bytes)"). The stated size is trusted only for a whole file: on a
// resume vsftpd states the file's size and ProFTPD the bytes it will send,
// so a resume asks SIZE first, as it did, which also finds a file that has
// nothing left. A server that states no size is asked SIZE after the
// transfer: it costs what asking first cost, and only those servers pay it.
func (c *Conn) retrieve(ctx context.Context, path string, offset int64, w io.Writer) (int64, error) {
	if offset > 0 && c.mem.Has(engine.NoRestart) {
		return 0, engine.ErrNoRestart
	}
	if offset > 0 && c.ascii {
		return 0, errASCIIResume
	}
	if err := c.setType(ctx); err != nil {
		return 0, err
	}
	var ascii *fromNetASCII
	if c.ascii {
		if a, ok := newFromNetASCII(w).(*fromNetASCII); ok {
			ascii, w = a, a
		}
	}
	size := int64(-1)
	if offset > 0 {
		var err error
		size, err = c.size(ctx, path)
		if err != nil && (errors.Is(err, engine.ErrNotFound) || !c.Alive()) {
			return 0, err
		}
		if size >= 0 && offset >= size {
			return 0, nil // nothing left; some servers refuse REST at the end
		}
	}
	dc, msg, err := c.startTransfer(ctx, offset, true, "RETR %s", path)
	if err != nil {
		return 0, err
	}
	var n int64
	if dc != nil {
		var local, remote error
		n, local, remote = c.download(ctx, dc, w)
		if local == nil && remote == nil && ascii != nil {
			local = ascii.flush()
		}
		if err := c.endTransfer(ctx, dc, true, local, remote); err != nil {
			return n, err
		}
	}
	if c.ascii {
		return n, nil // TYPE A changes line ends, so no size can judge
	}
	if offset == 0 && dc != nil {
		size = announcedSize(msg, path)
	}
	if size < 0 {
		var err error
		if size, err = c.size(ctx, path); err != nil && !c.Alive() {
			return n, err
		}
	}
	if size >= 0 && offset+n < size {
		return n, fmt.Errorf("%w: %d of %d bytes", engine.ErrShort, offset+n, size)
	}
	return n, nil
}

// announcedSize is the N of the last "(N bytes)" in a 1xx transfer reply
// (vsftpd: "150 Opening BINARY mode data connection for f (4096 bytes)."),
// or -1 when the reply states none. Servers name the file before the size,
// so only the text after the path (or its last element) counts: a file
// named "x (5 bytes)" states nothing, and a name found inside the number
// ("0") leaves none to trust. pure-ftpd's "4.0 kbytes to download" is
// rounded and does not count.
func announcedSize(msg, path string) int64 {
	base := path
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		base = path[i+1:]
	}
	for _, p := range []string{path, base} {
		if i := strings.LastIndex(msg, p); p != "" && i >= 0 {
			msg = msg[i+len(p):]
			break
		}
	}
	for msg != "" {
		open := strings.LastIndexByte(msg, '(')
		if open < 0 {
			return -1
		}
		inner, rest := msg[open+1:], msg[:open]
		msg = rest
		end := strings.IndexByte(inner, ')')
		if end < 0 {
			continue
		}
		num, unit, ok := strings.Cut(strings.TrimSpace(inner[:end]), " ")
		if !ok || !strings.EqualFold(strings.TrimSpace(unit), "bytes") {
			continue
		}
		v, err := strconv.ParseInt(num, 10, 64)
		if err != nil || v < 0 {
			continue
		}
		return v
	}
	return -1
}

// Store uploads r to path. With offset > 0 it resumes: REST+STOR when the
// server has REST STREAM, else APPE; r must start at offset. When the server
// reports SIZE afterwards, a size other than offset plus the bytes sent is
// engine.ErrShort.
func (c *Conn) Store(ctx context.Context, path string, offset int64, r io.Reader) (int64, error) {
	op := "STOR"
	if err := c.lock(); err != nil {
		return 0, c.opError(op, path, err)
	}
	defer c.unlock()
	if offset > 0 && (!c.feat.Rest || c.mem.Has(engine.NoRestart)) {
		op = "APPE"
		if c.mem.Has(engine.NoAppend) {
			return 0, c.opError(op, path, engine.ErrNoRestart)
		}
	}
	n, err := c.store(ctx, op, path, offset, r)
	if err != nil {
		return n, c.opError(op, path, err)
	}
	return n, nil
}

func (c *Conn) store(ctx context.Context, verb, path string, offset int64, r io.Reader) (int64, error) {
	if c.ascii {
		if offset > 0 {
			return 0, errASCIIResume
		}
		r = newToNetASCII(r)
	}
	if err := c.setType(ctx); err != nil {
		return 0, err
	}
	rest := offset
	if verb == "APPE" {
		rest = 0
	}
	dc, msg, err := c.startTransfer(ctx, rest, false, "%s %s", verb, path)
	var reply *textproto.Error
	if verb == "APPE" && errors.As(err, &reply) && unknownCommand(reply.Code) {
		if c.mem.Learn(engine.NoAppend) {
			c.status("Server refused APPE (%d %s): uploads to this site start from the beginning", reply.Code, firstLine(reply.Msg))
		}
		return 0, engine.WithReply(engine.ErrNoRestart, reply)
	}
	if err != nil {
		return 0, err
	}
	var n int64
	if dc == nil {
		// A 2xx without a 1xx: the server took no data. That is a
		// finished upload only when there was none to send (and SIZE
		// below agrees).
		if _, err := r.Read(make([]byte, 1)); err != io.EOF {
			return 0, fmt.Errorf("%w: the server answered %s without opening the data connection (%s)",
				engine.ErrShort, verb, msg)
		}
	} else if n, err = c.sendData(ctx, dc, r); err != nil {
		return n, err
	}
	if c.ascii {
		return n, nil // TYPE A changes line ends, so SIZE cannot judge
	}
	if size, err := c.size(ctx, path); err == nil && size != offset+n {
		return n, fmt.Errorf("%w: server has %d bytes, sent %d", engine.ErrShort, size, offset+n)
	} else if err != nil && !c.Alive() {
		return n, err
	}
	return n, nil
}

// sendData moves r over the data connection of an accepted upload and reads
// the server's verdict.
func (c *Conn) sendData(ctx context.Context, dc *dataConn, r io.Reader) (int64, error) {
	n, local, remote := c.upload(ctx, dc, r)
	if local == nil && remote == nil {
		remote = closeWrite(dc.Conn)
	}
	return n, c.endTransfer(ctx, dc, false, local, remote)
}

// closeWrite ends an upload: a TLS data connection sends close_notify
// first (servers have taken an abrupt TLS 1.3 close for a truncated upload),
// then the TCP write side is shut so the server sees the end of the file.
// The connection stays open for reading until the 226 has arrived.
func closeWrite(nc net.Conn) error {
	if tc, ok := nc.(*tls.Conn); ok {
		if err := tc.CloseWrite(); err != nil {
			return err
		}
		nc = tc.NetConn()
	}
	if cw, ok := nc.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// startTransfer opens the data connection of one transfer command:
// prepares it (passive or active), sends REST when offset > 0 (350
// required: a server that ignored it would send the whole file), sends the
// command and, while reading its 1xx reply, connects and runs the TLS
// handshake — after the command, which servers such as pure-ftpd wait for.
// A 2xx reply instead of 1xx means there is no data: dc is nil. msg is the
// text of the 1xx reply.
func (c *Conn) startTransfer(ctx context.Context, offset int64, download bool, format string, args ...any) (dc *dataConn, msg string, err error) {
	line := fmt.Sprintf(format, args...)
	if _, err := c.names.encode(line); err != nil {
		return nil, "", err // before a data connection is opened for it
	}
	then := line
	if offset > 0 {
		then = "" // REST's 350 must be seen before the command is sent
	}
	ds, sent, err := c.prepareData(ctx, then)
	if err != nil {
		return nil, "", err
	}
	if offset > 0 {
		code, msg, err := c.exchange(ctx, "REST %d", offset)
		if err == nil && code != codePendingFurther {
			reply := &textproto.Error{Code: code, Msg: msg}
			if unknownCommand(code) {
				if c.mem.Learn(engine.NoRestart) {
					c.status("Server refused REST (%d %s): transfers of this site start from the beginning", code, firstLine(msg))
				}
				err = engine.WithReply(engine.ErrNoRestart, reply)
			} else {
				err = fmt.Errorf("resume from %d: %w", offset, rejected(code, msg))
			}
		}
		if err != nil {
			ds.Close()
			return nil, "", err
		}
	}
	if !sent {
		if err := c.sendLines(ctx, line); err != nil {
			ds.Close()
			return nil, "", err
		}
	}
	ch := make(chan dataResult, 1)
	octx, cancel := context.WithCancel(ctx)
	defer cancel()
	if ds.conn != nil && !c.protP {
		ch <- dataResult{ds.conn, nil} // dialled already, nothing to wait for
	} else {
		go c.openData(octx, ds, download, ch)
	}
	code, msg, err := c.reply(ctx)
	if sent && err != nil && ctx.Err() == nil && isTimeout(err) {
		// The server may have dropped the command that came with EPSV
		// (some embedded servers read one command per packet).
		if c.mem.Learn(engine.NoPipeline) {
			c.status("No reply to a command sent along with EPSV; sending one command at a time to this site from now on")
		}
	}
	if err != nil || code/100 != 1 {
		cancel()
		ds.Close()
		if r := <-ch; r.nc != nil {
			r.nc.Close()
		}
		switch {
		case err != nil:
			return nil, "", err
		case code/100 == 2:
			return nil, fmt.Sprintf("%d %s", code, strings.TrimSpace(msg)), nil
		}
		return nil, "", rejected(code, msg)
	}
	r := <-ch
	if r.err != nil {
		// The server waits for a data connection that will not come;
		// only closing resynchronises the control connection.
		c.close()
		if ctx.Err() != nil {
			return nil, "", ctx.Err()
		}
		return nil, "", r.err
	}
	// The server said 1xx and the data connection is up: from here on the
	// remote file is this transfer's (an upload has replaced or continued
	// it), which is what the queue's resume decisions rest on.
	engine.ContextTransferTrace(ctx).TransferAccepted()
	return &dataConn{Conn: r.nc, timeout: c.timeout}, msg, nil
}

// openData completes a data connection in the background while the
// transfer command's reply is read: accepts it (active mode) and runs the
// TLS handshake (PROT P).
func (c *Conn) openData(ctx context.Context, ds *dataSource, download bool, ch chan<- dataResult) {
	nc, err := ds.open(ctx, c.timeout)
	if err == nil && c.protP {
		var tc net.Conn
		tc, err = c.dataTLS(ctx, nc, download)
		switch {
		case err == nil:
			nc = tc
		case download && (errors.Is(err, io.EOF) || engine.ConnReset(err)):
			// A server with nothing to send may close before the
			// handshake (Go's crypto/tls handshakes lazily, on the
			// first write; our ClientHello unread turns the close into
			// a reset). The final reply and SIZE still judge.
			c.status("Server closed the data connection without TLS handshake: no data")
			err = nil
		default:
			nc.Close()
			nc = nil
		}
	}
	ch <- dataResult{nc, err}
}

// dataResult is a data connection made ready by openData, or why not.
type dataResult struct {
	nc  net.Conn
	err error
}

// endTransfer closes the data connection and reads the transfer's final
// reply. A local failure or cancellation aborts the transfer (ABOR) first;
// a broken data connection leaves the verdict to the server's reply.
func (c *Conn) endTransfer(ctx context.Context, dc *dataConn, download bool, local, remote error) error {
	if download || local != nil || remote != nil || ctx.Err() != nil {
		// A download's close sends our close_notify, which vsftpd waits
		// for (a second SSL_shutdown) before it sends the 226.
		dc.Close()
	} else {
		// An upload's connection is closed only after the final reply:
		// closing with unread data (a TLS 1.3 session ticket, the server's
		// close_notify) sends a reset, and vsftpd then fails an upload it
		// had fully received with "426 Failure reading network stream".
		defer dc.Close()
	}
	if local != nil || ctx.Err() != nil {
		c.abort()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return local
	}
	if remote != nil {
		// The server notices the broken data connection and says so
		// (426/451) — or closes, which the reply reports. One that sent
		// no data for a whole timeout after its 150 is not waited for a
		// second timeout: a short grace, then the connection is closed.
		rctx := ctx
		var st *stalled
		if errors.As(remote, &st) {
			var cancel context.CancelFunc
			rctx, cancel = context.WithTimeout(ctx, abortGrace)
			defer cancel()
		}
		code, msg, err := c.reply(rctx)
		if err != nil && rctx != ctx && ctx.Err() == nil {
			return remote // the grace ran out; reply closed the Conn
		}
		if err != nil {
			return engine.Join(remote, err)
		}
		if code/100 == 2 {
			return remote
		}
		return engine.Join(remote, rejected(code, msg))
	}
	code, msg, err := c.reply(ctx)
	if err != nil {
		return err
	}
	if code/100 != 2 {
		return rejected(code, msg)
	}
	return nil
}

// abort sends ABOR after a transfer was cut short and reads what the
// server says: 426 for the transfer then 2xx for ABOR, or 226 for the
// transfer and 225 for ABOR. The Conn is closed when that goes wrong.
func (c *Conn) abort() {
	if !c.Alive() {
		return
	}
	// The caller has given up: bound the wait, and close rather than wedge.
	ctx, cancel := context.WithTimeout(context.Background(), min(c.timeout, abortWait))
	defer cancel()
	code, _, err := c.exchange(ctx, "ABOR")
	if err != nil {
		return
	}
	grace := abortGrace
	if code/100 != 2 {
		grace = abortWait // the ABOR answer is owed
	}
	gctx, gcancel := context.WithTimeout(ctx, grace)
	defer gcancel()
	// Whatever the second reply says (the Go server answers ABOR with 500),
	// both commands have their answer and the connection is in step; a
	// reply that does not come closes it (reply does that).
	c.reply(gctx)
}

// unknownCommand reports whether a reply code says the server does not
// know the command or that form of it (500, 502, 504), as opposed to
// refusing it for this file.
func unknownCommand(code int) bool { return code == 500 || code == 502 || code == 504 }

// size asks SIZE (in the current TYPE, I by default). A server that does
// not know the command is remembered and not asked again.
func (c *Conn) size(ctx context.Context, path string) (int64, error) {
	if c.noSize {
		return -1, engine.ErrUnsupported
	}
	code, msg, err := c.exchange(ctx, "SIZE %s", path)
	if err != nil {
		return -1, err
	}
	if code == 213 {
		n, err := strconv.ParseInt(strings.TrimSpace(msg), 10, 64)
		if err != nil {
			return -1, fmt.Errorf("malformed SIZE reply %q", msg)
		}
		if !c.feat.Size {
			c.feat.Size = true // learned by probing: FEAT did not say
			c.publishFeat()
		}
		return n, nil
	}
	if code == 500 || code == 502 {
		c.noSize = true
	}
	return -1, rejected(code, msg)
}
