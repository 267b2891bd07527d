package ftptest

import (
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rawConn is the few lines of FTP client the smoke tests need before the
// engine exists: login, optional explicit TLS, EPSV and one data command.
type rawConn struct {
	t    testing.TB
	c    net.Conn
	tp   *textproto.Conn
	conf *tls.Config // non-nil after AUTH TLS; shared with data connections
	// resumed records, per data connection, whether TLS resumed the control
	// session.
	resumed []bool
	// restNext, when > 0, is sent as REST right before the next data command.
	restNext int64
}

func dialRaw(t testing.TB, s *Server, implicit bool) *rawConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", s.Addr(), err)
	}
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	r := &rawConn{t: t, c: c}
	t.Cleanup(func() { r.c.Close() })
	if implicit {
		r.conf = s.ClientTLSConfig()
		tc := tls.Client(c, r.conf)
		if err := tc.Handshake(); err != nil {
			t.Fatalf("implicit TLS handshake: %v", err)
		}
		r.c = tc
	}
	r.tp = textproto.NewConn(r.c)
	r.expect(220)
	return r
}

// cmd sends one command and returns the reply, failing unless its code is
// expect (0 accepts any code).
func (r *rawConn) cmd(expect int, format string, args ...any) (int, string) {
	r.t.Helper()
	if err := r.tp.PrintfLine(format, args...); err != nil {
		r.t.Fatalf("send %q: %v", fmt.Sprintf(format, args...), err)
	}
	return r.expect(expect)
}

func (r *rawConn) expect(expect int) (int, string) {
	r.t.Helper()
	code, msg, err := r.tp.ReadResponse(expect)
	if err != nil && expect != 0 {
		r.t.Fatalf("want %d: %v", expect, err)
	}
	return code, msg
}

func (r *rawConn) authTLS(s *Server) {
	r.t.Helper()
	r.cmd(234, "AUTH TLS")
	r.conf = s.ClientTLSConfig()
	tc := tls.Client(r.c, r.conf)
	if err := tc.Handshake(); err != nil {
		r.t.Fatalf("TLS handshake: %v", err)
	}
	r.c = tc
	r.tp = textproto.NewConn(tc)
}

func (r *rawConn) login(user, pass string) {
	r.t.Helper()
	code, _ := r.cmd(0, "USER %s", user)
	if code == 331 {
		r.cmd(230, "PASS %s", pass)
	} else if code != 230 {
		r.t.Fatalf("USER %s: %d", user, code)
	}
	if r.conf != nil {
		r.cmd(200, "PBSZ 0")
		r.cmd(200, "PROT P")
	}
	r.cmd(200, "TYPE I")
}

// data runs one data command over EPSV: for STOR/APPE it sends upload,
// otherwise (LIST, MLSD, RETR …) it returns what the server sent. It returns
// the final reply code too.
func (r *rawConn) data(command string, upload ...byte) (string, int) {
	r.t.Helper()
	_, msg := r.cmd(229, "EPSV")
	// 229 Entering Extended Passive Mode (|||port|)
	i := strings.Index(msg, "(|||")
	j := strings.LastIndex(msg, "|)")
	if i < 0 || j < i {
		r.t.Fatalf("EPSV reply %q", msg)
	}
	port, err := strconv.Atoi(msg[i+4 : j])
	if err != nil {
		r.t.Fatalf("EPSV reply %q", msg)
	}
	host, _, _ := net.SplitHostPort(r.c.RemoteAddr().String())
	dc, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(port)), 5*time.Second)
	if err != nil {
		r.t.Fatalf("data dial: %v", err)
	}
	defer dc.Close()
	_ = dc.SetDeadline(time.Now().Add(30 * time.Second))
	if r.restNext > 0 {
		r.cmd(350, "REST %d", r.restNext)
	}
	if err := r.tp.PrintfLine("%s", command); err != nil {
		r.t.Fatal(err)
	}
	code, msg, err := r.tp.ReadResponse(1)
	if err != nil {
		return "", code
	}
	var rw io.ReadWriteCloser = dc
	if r.conf != nil {
		// Handshake after the command: pure-ftpd waits for it first.
		tc := tls.Client(dc, r.conf)
		if err := tc.Handshake(); err != nil {
			r.t.Fatalf("data TLS handshake: %v", err)
		}
		r.resumed = append(r.resumed, tc.ConnectionState().DidResume)
		rw = tc
	}
	var body []byte
	if verb := strings.ToUpper(strings.Fields(command)[0]); verb == "STOR" || verb == "APPE" {
		if _, err := rw.Write(upload); err != nil {
			r.t.Logf("%s: writing data: %v", command, err)
		}
	} else if body, err = io.ReadAll(rw); err != nil {
		r.t.Logf("%s: reading data: %v", command, err)
	}
	// Close (close_notify, then FIN) before waiting for the final reply:
	// vsftpd and pure-ftpd over TLS send 226 only after the client closed its
	// side; waiting first deadlocks until a timeout.
	rw.Close()
	_ = msg
	code, _, _ = r.tp.ReadResponse(2)
	return string(body), code
}

// dataRest is data with REST offset sent between EPSV and the command, the
// order RFC 3659 and strict servers (go) want.
func (r *rawConn) dataRest(offset int64, command string) (string, int) {
	r.t.Helper()
	r.restNext = offset
	defer func() { r.restNext = 0 }()
	return r.data(command)
}

// dataActive is data in active mode: the client listens on 127.0.0.1, sends
// EPRT and accepts the server's connection (and is still the TLS client,
// RFC 4217).
func (r *rawConn) dataActive(command string) (string, int) {
	r.t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		r.t.Fatal(err)
	}
	defer l.Close()
	r.cmd(200, "EPRT |1|127.0.0.1|%d|", l.Addr().(*net.TCPAddr).Port)
	if err := r.tp.PrintfLine("%s", command); err != nil {
		r.t.Fatal(err)
	}
	code, _, err := r.tp.ReadResponse(1)
	if err != nil {
		return "", code
	}
	_ = l.(*net.TCPListener).SetDeadline(time.Now().Add(10 * time.Second))
	dc, err := l.Accept()
	if err != nil {
		r.t.Fatalf("accept the server's data connection: %v", err)
	}
	_ = dc.SetDeadline(time.Now().Add(30 * time.Second))
	var rw io.ReadWriteCloser = dc
	if r.conf != nil {
		tc := tls.Client(dc, r.conf)
		if err := tc.Handshake(); err != nil {
			r.t.Fatalf("active data TLS handshake: %v", err)
		}
		r.resumed = append(r.resumed, tc.ConnectionState().DidResume)
		rw = tc
	}
	body, err := io.ReadAll(rw)
	if err != nil {
		r.t.Logf("%s: reading data: %v", command, err)
	}
	rw.Close()
	code, _, _ = r.tp.ReadResponse(2)
	return string(body), code
}
