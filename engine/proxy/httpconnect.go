package proxy

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// Budgets for an HTTP proxy's reply to CONNECT. Real replies are a status
// line and a few headers (tinyproxy: about 100 bytes); a proxy that sends
// more is broken or hostile and gets an error that names the budget.
const (
	maxReplyBytes = 16 << 10 // the status line and all headers
	maxLineBytes  = 4 << 10  // one line (bufio's buffer)
	maxShownBytes = 200      // of the status line, in errors
)

var (
	errReplyTooLong = fmt.Errorf("the reply to CONNECT is longer than %d KiB; the proxy is broken or hostile", maxReplyBytes>>10)
	errLineTooLong  = fmt.Errorf("a line of the reply to CONNECT is longer than %d KiB; the proxy is broken or hostile", maxLineBytes>>10)
)

// aLongTimeAgo is a deadline in the past: I/O waiting on it returns at once.
var aLongTimeAgo = time.Unix(1, 0)

// dialHTTP opens a tunnel with CONNECT host:port (RFC 9110 §9.3.6).
func (p Proxy) dialHTTP(ctx context.Context, forward *net.Dialer, network, addr string) (net.Conn, error) {
	if strings.ContainsAny(addr, "\r\n\x00 ") {
		return nil, p.fail(strconv.Quote(addr), errors.New("the destination contains a space or a line break"))
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, p.fail(addr, err)
	}
	nc, err := forward.DialContext(ctx, "tcp", p.Addr())
	if err != nil {
		return nil, p.fail(addr, err)
	}
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(aLongTimeAgo) })
	if d, ok := ctx.Deadline(); ok {
		nc.SetDeadline(d)
	}
	rest, err := p.connect(nc, addr)
	if !stop() {
		nc.Close()
		return nil, p.fail(addr, ctx.Err())
	}
	if err != nil {
		nc.Close()
		return nil, err
	}
	nc.SetDeadline(time.Time{})
	if len(rest) > 0 {
		return &prefixConn{Conn: nc, prefix: rest}, nil
	}
	return nc, nil
}

// connect sends CONNECT and reads the reply. rest is what the proxy sent
// after the reply's header: the server's first bytes (an FTP greeting can
// follow a 200 in the same segment).
func (p Proxy) connect(nc net.Conn, addr string) (rest []byte, err error) {
	var req strings.Builder
	fmt.Fprintf(&req, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n", addr, addr)
	if p.User != "" || p.Password != "" {
		cred := base64.StdEncoding.EncodeToString([]byte(p.User + ":" + p.Password))
		fmt.Fprintf(&req, "Proxy-Authorization: Basic %s\r\n", cred)
	}
	req.WriteString("\r\n")
	if _, err := io.WriteString(nc, req.String()); err != nil {
		return nil, p.fail(addr, err)
	}
	lr := &io.LimitedReader{R: nc, N: maxReplyBytes}
	br := bufio.NewReaderSize(lr, maxLineBytes)
	status, err := readReplyLine(br, lr)
	if err != nil {
		return nil, p.fail(addr, fmt.Errorf("reading the reply to CONNECT: %w", err))
	}
	code, err := parseStatus(status)
	if err != nil {
		return nil, p.fail(addr, err)
	}
	for {
		line, err := readReplyLine(br, lr)
		if err != nil {
			return nil, p.fail(addr, fmt.Errorf("reading the reply to CONNECT: %w", err))
		}
		if line == "" {
			break
		}
	}
	shown := printable(status)
	switch {
	case code == 407, code == 401:
		// 407 is the standard answer; tinyproxy 1.11 sends 407 when no
		// credentials came and 401 Unauthorized when they were wrong.
		e := p.fail(addr, ErrAuth)
		e.Code, e.Reason = code, shown
		return nil, e
	case code/100 != 2:
		e := p.fail(addr, ErrRefused)
		e.Code, e.Reason = code, shown
		return nil, e
	}
	if n := br.Buffered(); n > 0 {
		b, _ := br.Peek(n)
		rest = append([]byte(nil), b...)
	}
	return rest, nil
}

// readReplyLine reads one line without its CR LF within the budgets.
func readReplyLine(br *bufio.Reader, lr *io.LimitedReader) (string, error) {
	line, err := br.ReadSlice('\n')
	switch {
	case err == bufio.ErrBufferFull:
		return "", errLineTooLong
	case err == io.EOF && lr.N <= 0:
		return "", errReplyTooLong
	case err == io.EOF:
		return "", io.ErrUnexpectedEOF
	case err != nil:
		return "", err
	}
	return strings.TrimRight(string(line), "\r\n"), nil
}

// parseStatus reads "HTTP/1.1 200 Connection established".
func parseStatus(line string) (int, error) {
	proto, rest, _ := strings.Cut(line, " ")
	codeText, _, _ := strings.Cut(rest, " ")
	code, err := strconv.Atoi(codeText)
	if !strings.HasPrefix(proto, "HTTP/1.") || err != nil || len(codeText) != 3 || code < 100 {
		return 0, fmt.Errorf("not an HTTP proxy: it answered CONNECT with %q", printable(line))
	}
	return code, nil
}

// printable makes a proxy's line safe to show: at most maxShownBytes,
// control characters replaced.
func printable(s string) string {
	if len(s) > maxShownBytes {
		s = s[:maxShownBytes] + "..."
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}

// prefixConn returns prefix before reading from Conn.
type prefixConn struct {
	net.Conn
	prefix []byte
}

func (c *prefixConn) Read(b []byte) (int, error) {
	if len(c.prefix) > 0 {
		n := copy(b, c.prefix)
		c.prefix = c.prefix[n:]
		return n, nil
	}
	return c.Conn.Read(b)
}
