package ftpserver

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // TestTimesAreUTC needs Asia/Kolkata on any machine

	ftp "goftp.io/server/v2"
)

// client is a minimal FTP client over textproto for these tests.
type client struct {
	t    *testing.T
	conn net.Conn
	tp   *textproto.Conn
	tls  *tls.Config // set after AUTH TLS
}

func dial(t *testing.T, s *Server) *client {
	t.Helper()
	c, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	cl := &client{t: t, conn: c, tp: textproto.NewConn(c)}
	t.Cleanup(func() { cl.conn.Close() })
	cl.expect(220)
	return cl
}

func (c *client) expect(code int) string {
	c.t.Helper()
	_, msg, err := c.tp.ReadResponse(code)
	if err != nil {
		c.t.Fatalf("want %d: %v", code, err)
	}
	return msg
}

// send sends a command and returns the reply code and text.
func (c *client) send(format string, args ...any) (int, string) {
	c.t.Helper()
	if err := c.tp.PrintfLine(format, args...); err != nil {
		c.t.Fatal(err)
	}
	code, msg, _ := c.tp.ReadResponse(0)
	return code, msg
}

func (c *client) must(code int, format string, args ...any) string {
	c.t.Helper()
	got, msg := c.send(format, args...)
	if got != code {
		c.t.Fatalf("%s: got %d %q, want %d", strings.Fields(format)[0], got, msg, code)
	}
	return msg
}

func (c *client) authTLS(certPEM []byte) {
	c.t.Helper()
	c.must(234, "AUTH TLS")
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(certPEM) {
		c.t.Fatal("CertPEM holds no certificate")
	}
	c.tls = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", ClientSessionCache: tls.NewLRUClientSessionCache(2)}
	tc := tls.Client(c.conn, c.tls)
	if err := tc.Handshake(); err != nil {
		c.t.Fatalf("handshake (verifying CertPEM): %v", err)
	}
	c.conn, c.tp = tc, textproto.NewConn(tc)
}

func (c *client) login(user, pass string) {
	c.t.Helper()
	c.must(331, "USER %s", user)
	c.must(230, "PASS %s", pass)
	if c.tls != nil {
		c.must(200, "PBSZ 0")
		c.must(200, "PROT P")
	}
}

// transfer opens an EPSV data connection, optionally sends REST, runs
// command and returns the data received (or sends upload) and the final
// reply code.
func (c *client) transfer(rest int64, command string, upload []byte) (string, int) {
	c.t.Helper()
	msg := c.must(229, "EPSV")
	port, err := strconv.Atoi(strings.TrimSuffix(msg[strings.Index(msg, "|||")+3:], "|)"))
	if err != nil {
		c.t.Fatalf("EPSV %q: %v", msg, err)
	}
	dc, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), 5*time.Second)
	if err != nil {
		c.t.Fatal(err)
	}
	if rest > 0 {
		c.must(350, "REST %d", rest)
	}
	code, text := c.send("%s", command)
	if code != 150 && code != 125 {
		dc.Close()
		return text, code
	}
	var rw io.ReadWriteCloser = dc
	if c.tls != nil {
		tc := tls.Client(dc, c.tls)
		if err := tc.Handshake(); err != nil {
			c.t.Fatalf("data handshake: %v", err)
		}
		rw = tc
	}
	var got []byte
	if upload != nil {
		_, err = rw.Write(upload)
	} else {
		got, err = io.ReadAll(rw)
	}
	if err != nil {
		c.t.Fatal(err)
	}
	rw.Close()
	code, _, _ = c.tp.ReadResponse(0)
	return string(got), code
}

// serve starts a server on a fresh root holding "a.txt" and "sub/".
func serve(t *testing.T, c Config) *Server {
	t.Helper()
	if c.Root == "" {
		c.Root = t.TempDir()
		if err := os.WriteFile(filepath.Join(c.Root, "a.txt"), []byte("hello"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(filepath.Join(c.Root, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Start(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStartRejects(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		c    Config
	}{
		{"empty root", Config{User: "u", Password: "p"}},
		{"missing root", Config{Root: filepath.Join(dir, "nope"), User: "u", Password: "p"}},
		{"root is a file", Config{Root: file, User: "u", Password: "p"}},
		{"no user and no anonymous", Config{Root: dir}},
		{"addr without port", Config{Root: dir, User: "u", Password: "p", Addr: "127.0.0.1"}},
		{"addr with bad port", Config{Root: dir, User: "u", Password: "p", Addr: "127.0.0.1:ftp"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if s, err := Start(context.Background(), tc.c); err == nil {
				s.Close()
				t.Fatal("Start succeeded")
			}
		})
	}
}

func TestLoginListRetrStor(t *testing.T) {
	s := serve(t, Config{User: "u", Password: "secret"})
	if s.Host != "127.0.0.1" || s.Port == 0 {
		t.Fatalf("listening on %s", s.Addr())
	}
	c := dial(t, s)
	c.login("u", "secret")
	c.must(200, "TYPE I")

	listing, code := c.transfer(0, "LIST", nil)
	if code != 226 || !strings.Contains(listing, "a.txt") || !strings.Contains(listing, "sub") {
		t.Errorf("LIST = %d %q", code, listing)
	}
	if got, code := c.transfer(0, "RETR a.txt", nil); code != 226 || got != "hello" {
		t.Errorf("RETR = %d %q", code, got)
	}
	if got, code := c.transfer(2, "RETR a.txt", nil); code != 226 || got != "llo" {
		t.Errorf("EPSV, REST 2, RETR = %d %q; want the tail", code, got)
	}
	if _, code := c.transfer(0, "STOR new file.txt", []byte("uploaded")); code != 226 {
		t.Errorf("STOR: %d", code)
	}
	if b, err := os.ReadFile(filepath.Join(s.Root, "new file.txt")); err != nil || string(b) != "uploaded" {
		t.Errorf("stored file = %q, %v", b, err)
	}
	if msg := c.must(213, "SIZE a.txt"); msg != "5" {
		t.Errorf("SIZE = %q", msg)
	}
	c.must(221, "QUIT")
}

func TestWrongPasswordIsRefused(t *testing.T) {
	s := serve(t, Config{User: "u", Password: "secret"})
	for _, tc := range []struct{ user, pass string }{
		{"u", "wrong"},
		{"u", ""},
		{"other", "secret"},
		{"anonymous", "a@example.com"}, // anonymous not enabled
	} {
		t.Run(tc.user+"/"+tc.pass, func(t *testing.T) {
			c := dial(t, s)
			c.must(331, "USER %s", tc.user)
			// 530; an empty PASS gets 553 (goftp requires a parameter).
			if code, msg := c.send("PASS %s", tc.pass); code != 530 && code != 553 {
				t.Errorf("PASS: %d %q; want a refusal", code, msg)
			}
		})
	}
}

func TestExplicitTLS(t *testing.T) {
	s := serve(t, Config{User: "u", Password: "secret", TLS: TLSExplicit})
	if len(s.CertPEM) == 0 {
		t.Fatal("no CertPEM")
	}
	c := dial(t, s)
	c.authTLS(s.CertPEM)
	c.login("u", "secret")
	if listing, code := c.transfer(0, "LIST", nil); code != 226 || !strings.Contains(listing, "a.txt") {
		t.Errorf("LIST over TLS = %d %q", code, listing)
	}
}

func TestRequireTLSRefusesCommandsBeforeAuth(t *testing.T) {
	s := serve(t, Config{User: "u", Password: "secret", TLS: TLSExplicit, RequireTLS: true})
	c := dial(t, s)
	if code, _ := c.send("USER u"); code != 534 {
		t.Errorf("USER before AUTH TLS: %d, want 534", code)
	}
	c.authTLS(s.CertPEM)
	c.login("u", "secret")
}

func TestAnonymousIsReadOnly(t *testing.T) {
	s := serve(t, Config{Anonymous: true})
	for _, write := range []string{"DELE a.txt", "MKD newdir", "RMD sub", "STOR x.txt", "RNFR+RNTO a.txt b.txt"} {
		t.Run(write, func(t *testing.T) {
			c := dial(t, s)
			c.login("anonymous", "a@example.com")
			var code int
			switch verb := strings.Fields(write)[0]; verb {
			case "STOR":
				_, code = c.transfer(0, write, []byte("x"))
			case "RNFR+RNTO":
				c.send("RNFR a.txt")
				code, _ = c.send("RNTO b.txt")
			default:
				code, _ = c.send("%s", write)
			}
			if code/100 == 2 {
				t.Errorf("anonymous %s accepted with %d", write, code)
			}
		})
	}
	for _, name := range []string{"a.txt", "sub"} {
		if _, err := os.Stat(filepath.Join(s.Root, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, name := range []string{"newdir", "x.txt", "b.txt"} {
		if _, err := os.Stat(filepath.Join(s.Root, name)); err == nil {
			t.Errorf("anonymous session created %s", name)
		}
	}
	// Reading works.
	c := dial(t, s)
	c.login("ftp", "guest@")
	if got, code := c.transfer(0, "RETR a.txt", nil); code != 226 || got != "hello" {
		t.Errorf("anonymous RETR = %d %q", code, got)
	}
}

func TestPasswordIsNeverLogged(t *testing.T) {
	var buf lockedBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	const pass = "hunter2-very-secret"
	s := serve(t, Config{User: "u", Password: pass, Logger: logger})
	logger.Info("config", "config", Config{User: "u", Password: pass})
	c := dial(t, s)
	c.login("u", pass)
	c.must(221, "QUIT")
	time.Sleep(50 * time.Millisecond) // the session logs asynchronously
	if strings.Contains(buf.String(), pass) {
		t.Errorf("password in log:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), "PASS") {
		t.Errorf("log has no PASS command at all; is the logger wired?\n%s", buf.String())
	}
}

// lockedBuffer is a bytes.Buffer for a logger written by server goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestContextCancelStopsServer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s, err := Start(ctx, Config{Root: t.TempDir(), User: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", s.Addr(), time.Second)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s still accepts after ctx was cancelled", s.Addr())
}

func TestCloseTwice(t *testing.T) {
	s := serve(t, Config{User: "u", Password: "p"})
	s.Close()
	s.Close()
}

// TestTimesAreUTC: MDTM and MLSD report UTC (RFC 3659) whatever the server's
// local zone.
// It re-runs itself with TZ set (changing time.Local in-process would race
// with other goroutines).
func TestTimesAreUTC(t *testing.T) {
	if os.Getenv("FTPSERVER_TZ_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTimesAreUTC$", "-test.v")
		cmd.Env = append(os.Environ(), "FTPSERVER_TZ_CHILD=1", "TZ=Asia/Kolkata")
		out, err := cmd.CombinedOutput()
		if err != nil || !bytes.Contains(out, []byte("--- PASS: TestTimesAreUTC")) {
			t.Fatalf("with TZ=Asia/Kolkata: %v\n%s", err, out)
		}
		return
	}
	if _, off := time.Now().Zone(); off == 0 {
		t.Fatal("TZ=Asia/Kolkata did not change the local zone")
	}

	s := serve(t, Config{User: "u", Password: "p"})
	when := time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(s.Root, "a.txt"), when, when); err != nil {
		t.Fatal(err)
	}
	c := dial(t, s)
	c.login("u", "p")
	if got := c.must(213, "MDTM a.txt"); got != "20210304050607" {
		t.Errorf("MDTM = %q, want 20210304050607", got)
	}
	mlsd, code := c.transfer(0, "MLSD", nil)
	if code != 226 || !strings.Contains(mlsd, "Modify=20210304050607;Size=5; a.txt") {
		t.Errorf("MLSD = %d %q", code, mlsd)
	}
}

func TestActiveModeGuards(t *testing.T) {
	s := serve(t, Config{User: "u", Password: "p", TLS: TLSExplicit})

	t.Run("plain active LIST works", func(t *testing.T) {
		c := dial(t, s)
		c.login("u", "p")
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		c.must(200, "EPRT |1|127.0.0.1|%d|", l.Addr().(*net.TCPAddr).Port)
		accepted := make(chan string, 1)
		go func() {
			dc, err := l.Accept()
			if err != nil {
				accepted <- err.Error()
				return
			}
			b, _ := io.ReadAll(dc)
			dc.Close()
			accepted <- string(b)
		}()
		c.must(150, "LIST")
		if got := <-accepted; !strings.Contains(got, "a.txt") {
			t.Errorf("active LIST = %q", got)
		}
		c.expect(226)
	})

	for _, tc := range []struct{ name, cmd string }{
		{"PORT to a third host cannot bounce", "PORT 192,0,2,1,0,80"},
		{"EPRT to a third host cannot bounce", "EPRT |1|192.0.2.1|80|"},
		{"EPRT to another loopback address cannot bounce", "EPRT |1|127.0.0.2|80|"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t, s)
			c.login("u", "p")
			c.must(504, "%s", tc.cmd)
		})
	}
	for _, param := range []string{"PORT 1,2", "PORT a,b,c,d,e,f", "PORT 127,0,0,1,0,0", "PORT 127,0,0,1,300,1", "EPRT |1|::1|80|", "EPRT |3|127.0.0.1|80|", "EPRT |1|127.0.0.1|", "EPRT x"} {
		t.Run("malformed "+param, func(t *testing.T) {
			c := dial(t, s)
			c.login("u", "p")
			c.must(501, "%s", param)
		})
	}
	t.Run("LPRT is not offered", func(t *testing.T) {
		c := dial(t, s)
		c.login("u", "p")
		if code, _ := c.send("LPRT 4,4,127,0,0,1,2,0,80"); code/100 != 5 {
			t.Errorf("LPRT: %d", code)
		}
	})
	t.Run("active mode over TLS is refused", func(t *testing.T) {
		c := dial(t, s)
		c.authTLS(s.CertPEM)
		c.login("u", "p")
		c.must(534, "EPRT |1|127.0.0.1|1024|")
		c.must(534, "PORT 127,0,0,1,4,0")
	})
}

// TestCommandsLeaveLibraryDefaultsAlone: building one server's command table
// must not change the library's shared defaults, which other servers read.
func TestCommandsLeaveLibraryDefaultsAlone(t *testing.T) {
	before := fmt.Sprintf("%T", ftp.DefaultCommands()["AUTH"])
	_, hadLPRT := ftp.DefaultCommands()["LPRT"]
	commands(true)
	commands(false)
	if after := fmt.Sprintf("%T", ftp.DefaultCommands()["AUTH"]); after != before {
		t.Fatalf("library AUTH command changed from %s to %s", before, after)
	}
	if _, has := ftp.DefaultCommands()["LPRT"]; has != hadLPRT {
		t.Fatal("library LPRT entry changed")
	}
	if _, ok := commands(true)["AUTH"].(authMarker); !ok {
		t.Fatal("our table lacks the AUTH marker")
	}
	if a := commands(true)["AUTH"].(authMarker); fmt.Sprintf("%T", a.Command) == "ftpserver.authMarker" {
		t.Fatal("AUTH marker wraps another marker")
	}
}

// A passive data listener (the library's, patched in
// third_party/goftp-server) listens on the control connection's address
// only, and hands the transfer to nobody but the client: a connection from
// another address (here 127.0.0.2, still loopback) is closed unread, and the
// client's own still gets the file.
func TestPassiveDataOnlyFromTheClient(t *testing.T) {
	s := serve(t, Config{User: "u", Password: "secret"})
	c := dial(t, s)
	c.login("u", "secret")
	c.must(200, "TYPE I")
	msg := c.must(229, "EPSV")
	port, err := strconv.Atoi(strings.TrimSuffix(msg[strings.Index(msg, "|||")+3:], "|)"))
	if err != nil {
		t.Fatalf("EPSV %q: %v", msg, err)
	}
	addr := func(ip string) string { return net.JoinHostPort(ip, strconv.Itoa(port)) }

	if dc, err := net.DialTimeout("tcp", addr("127.0.0.2"), 2*time.Second); err == nil {
		dc.Close()
		t.Fatal("the data port answers on 127.0.0.2: it listens on every address")
	}
	thief := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}, Timeout: 2 * time.Second}
	tc, err := thief.Dial("tcp", addr("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	tc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := tc.Read(make([]byte, 16)); err != io.EOF {
		t.Fatalf("a connection from 127.0.0.2 read %d bytes, %v; want it closed", n, err)
	}

	dc, err := net.DialTimeout("tcp", addr("127.0.0.1"), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.must(150, "RETR a.txt")
	got, err := io.ReadAll(dc)
	dc.Close()
	if err != nil || string(got) != "hello" {
		t.Fatalf("the client's own data connection got %q, %v", got, err)
	}
	if code, _, _ := c.tp.ReadResponse(0); code != 226 {
		t.Fatalf("after the transfer: %d", code)
	}
}

// TestAppendAndRestStoreAreResumes: APPE appends (it used to replace), and
// REST n before STOR keeps the first n bytes and writes after them (it used
// to append at the end whatever n was), with REST STREAM in FEAT — so resume
// tests against this server exercise what real servers do.
func TestAppendAndRestStoreAreResumes(t *testing.T) {
	s := serve(t, Config{User: "u", Password: "secret"})
	c := dial(t, s)
	c.login("u", "secret")
	c.must(200, "TYPE I")
	if feat := c.must(211, "FEAT"); !strings.Contains(feat, "REST STREAM") {
		t.Errorf("FEAT lacks REST STREAM: %q", feat)
	}
	for _, tt := range []struct {
		name, start string
		rest        int64
		cmd, data   string
		want        string
	}{
		{"APPE appends", "hello", 0, "APPE f1", " world", "hello world"},
		{"APPE creates", "", 0, "APPE f2", "new", "new"},
		{"REST STOR shorter", "0123456789", 4, "STOR f3", "abcdef", "0123abcdef"},
		{"REST STOR inside a longer file", "0123456789", 4, "STOR f4", "ab", "0123ab"},
		{"STOR replaces", "0123456789", 0, "STOR f5", "xy", "xy"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			name := strings.Fields(tt.cmd)[1]
			if tt.start != "" {
				os.WriteFile(filepath.Join(s.Root, name), []byte(tt.start), 0o644)
			}
			if _, code := c.transfer(tt.rest, tt.cmd, []byte(tt.data)); code != 226 {
				t.Fatalf("%s: %d", tt.cmd, code)
			}
			if b, err := os.ReadFile(filepath.Join(s.Root, name)); string(b) != tt.want {
				t.Fatalf("file holds %q (%v), want %q", b, err, tt.want)
			}
		})
	}
}
