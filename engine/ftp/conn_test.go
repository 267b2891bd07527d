package ftp

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/textproto"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

// traceLog collects TraceEvents.
type traceLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *traceLog) add(e engine.TraceEvent) {
	l.mu.Lock()
	l.lines = append(l.lines, e.Text)
	l.mu.Unlock()
}

func (l *traceLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func TestLoginSequence(t *testing.T) {
	s := newFakeServer(t, "UTF8", "SIZE", "MDTM", "REST STREAM", "EPSV")
	var tl traceLog
	c := dialFake(t, s, func(cfg *engine.Config) { cfg.Trace = tl.add })
	want := []string{"USER u", "PASS secret", "SYST", "FEAT", "OPTS UTF8 ON", "TYPE I"}
	if got := s.commands(); !reflect.DeepEqual(got, want) {
		t.Fatalf("commands %q, want %q", got, want)
	}
	f := c.Features()
	if !f.UTF8 || !f.Size || !f.MDTM || !f.Rest || !f.EPSV || f.MLSD || f.System != "UNIX Type: L8" {
		t.Errorf("features %+v", f)
	}
	if strings.Contains(tl.String(), "secret") || !strings.Contains(tl.String(), "PASS ****") {
		t.Errorf("trace does not mask PASS:\n%s", tl.String())
	}
}

func TestLoginAnonymous(t *testing.T) {
	s := newFakeServer(t)
	dialFake(t, s, func(cfg *engine.Config) { cfg.User, cfg.Password = "", "" })
	got := s.commands()[:2]
	if want := []string{"USER anonymous", "PASS " + engine.AnonymousPassword}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestLoginVirtualHostBeforeUser(t *testing.T) {
	s := newFakeServer(t)
	s.on("HOST", func(fs *fakeSession, arg string) bool { fs.reply("502 No HOST here"); return true })
	dialFake(t, s, func(cfg *engine.Config) { cfg.VirtualHost = "www.example.com" })
	if got := s.commands()[:2]; got[0] != "HOST www.example.com" || got[1] != "USER u" {
		t.Fatalf("got %q", got)
	}
}

func TestLoginAccount(t *testing.T) {
	s := newFakeServer(t)
	s.on("PASS", func(fs *fakeSession, arg string) bool { fs.reply("332 Need account"); return true })
	s.on("ACCT", func(fs *fakeSession, arg string) bool { fs.reply("230 OK"); return true })
	dialFake(t, s, func(cfg *engine.Config) { cfg.Account = "acc" })
	if got := s.commands()[2]; got != "ACCT acc" {
		t.Fatalf("got %q", got)
	}
}

func TestLoginFailedIsNotRetried(t *testing.T) {
	s := newFakeServer(t)
	cfg := s.config()
	cfg.Password = "wrong"
	_, err := Dial(context.Background(), cfg)
	if !errors.Is(err, engine.ErrLoginFailed) || engine.ReplyCode(err) != 530 || engine.IsTemporary(err) {
		t.Fatalf("err %v (code %d), want ErrLoginFailed 530, permanent", err, engine.ReplyCode(err))
	}
	if got := strings.Count(s.verbs(), "PASS"); got != 1 {
		t.Fatalf("PASS sent %d times", got)
	}
}

func TestConnect421IsTooMany(t *testing.T) {
	s := newFakeServer(t)
	s.mu.Lock()
	s.greeting = "421 Too many connections (8) from this IP"
	s.mu.Unlock()
	_, err := Dial(context.Background(), s.config())
	if !errors.Is(err, engine.ErrTooMany) || !engine.IsTemporary(err) || engine.ReplyCode(err) != 421 {
		t.Fatalf("err %v, want ErrTooMany, temporary", err)
	}
}

// TestFEAT is RFC 2389's shape: lines starting with a space, unknown ones ignored.
func TestFEAT(t *testing.T) {
	tests := []struct {
		msg  string
		want engine.Features
		sel  string
	}{
		{"Features:\n MDTM\n REST STREAM\n SIZE\n UTF8\n EPSV\nEnd",
			engine.Features{MDTM: true, Rest: true, Size: true, UTF8: true, EPSV: true,
				Features: []string{"MDTM", "REST STREAM", "SIZE", "UTF8", "EPSV"}}, ""},
		{"Extensions supported:\n MLST type*;size*;modify*;\n MFMT\n HASH SHA-1;SHA-256*;MD5\n XCRC\nEnd",
			engine.Features{MLSD: true, MFMT: true, Hash: []string{"SHA-1", "SHA-256", "MD5", "XCRC"},
				Features: []string{"MLST type*;size*;modify*;", "MFMT", "HASH SHA-1;SHA-256*;MD5", "XCRC"}}, "SHA-256"},
		{"No features", engine.Features{}, ""},
		{"Features:\n REST\n LANG EN*\ngarbage\nEnd",
			engine.Features{Features: []string{"REST", "LANG EN*"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			var f engine.Features
			var sel string
			parseFeat(tt.msg, &f, &sel)
			if !reflect.DeepEqual(f, tt.want) || sel != tt.sel {
				t.Fatalf("got %+v sel %q\nwant %+v sel %q", f, sel, tt.want, tt.sel)
			}
		})
	}
}

// TestMultiLineReply feeds RFC 959 multi-line replies through the control
// connection: continuation lines without the code, and lines that start
// with another code, belong to the reply.
func TestMultiLineReply(t *testing.T) {
	s := newFakeServer(t)
	s.on("NOOP", func(fs *fakeSession, arg string) bool {
		fs.reply("200-First line\r\n123 not the end\r\n  indented\r\n200-still going\r\n200 End")
		return true
	})
	c := dialFake(t, s, nil)
	code, msg, err := c.Quote(context.Background(), "NOOP")
	if err != nil || code != 200 || msg != "First line\n123 not the end\n  indented\nstill going\nEnd" {
		t.Fatalf("code %d msg %q err %v", code, msg, err)
	}
	if err := c.Noop(context.Background()); err != nil {
		t.Fatalf("next command out of step: %v", err)
	}
}

func TestNotFound(t *testing.T) {
	s := newFakeServer(t, "SIZE")
	c := dialFake(t, s, nil)
	_, err := c.Retrieve(context.Background(), "/missing", 0, new(strings.Builder))
	var ee *engine.Error
	if !errors.Is(err, engine.ErrNotFound) || engine.ReplyCode(err) != 550 || !errors.As(err, &ee) || ee.Path != "/missing" {
		t.Fatalf("err %v, want ErrNotFound 550 for /missing", err)
	}
	var te *textproto.Error
	if !errors.As(err, &te) || !strings.Contains(te.Msg, "Failed to open file") {
		t.Fatalf("server reply lost: %v", err)
	}
	if err := c.Delete(context.Background(), "/missing"); !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("DELE: %v", err)
	}
	if !c.Alive() {
		t.Fatal("550 killed the connection")
	}
}

// TestCRLFInPathCannotInjectCommand: a path with CR/LF would smuggle a
// second command ("DELE x\r\nRMD /"); it is refused before sending.
func TestCRLFInPathCannotInjectCommand(t *testing.T) {
	s := newFakeServer(t)
	s.put("/x", []byte("keep"))
	c := dialFake(t, s, nil)
	before := len(s.commands())
	for _, p := range []string{"x\r\nDELE /x", "x\nDELE /x", "x\rDELE /x"} {
		err := c.Delete(context.Background(), p)
		if !errors.Is(err, engine.ErrBadArgument) {
			t.Fatalf("Delete(%q) = %v, want ErrBadArgument", p, err)
		}
		if _, _, err := c.Quote(context.Background(), "NOOP\r\nDELE /x"); !errors.Is(err, engine.ErrBadArgument) {
			t.Fatalf("Quote = %v", err)
		}
	}
	if err := c.Noop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := s.commands()[before:]; !reflect.DeepEqual(got, []string{"NOOP"}) {
		t.Fatalf("server received %q", got)
	}
	if _, ok := s.get("/x"); !ok {
		t.Fatal("/x was deleted")
	}
}

func TestEPSVRefusedFallsBackToPASVForTheSession(t *testing.T) {
	s := newFakeServer(t)
	s.on("EPSV", func(fs *fakeSession, arg string) bool { fs.reply("500 EPSV not understood"); return true })
	s.put("/f", []byte("hello"))
	c := dialFake(t, s, nil)
	for range 2 {
		if got := retrieveString(t, c, "/f", 0); got != "hello" {
			t.Fatalf("got %q", got)
		}
	}
	if v := s.verbs(); strings.Count(v, "EPSV") != 1 || strings.Count(v, "PASV") != 2 {
		t.Fatalf("verbs %s: want one EPSV then PASV", v)
	}
}

func TestPassiveRefusedFallsBackToActive(t *testing.T) {
	s := newFakeServer(t)
	s.on("EPSV", func(fs *fakeSession, arg string) bool { fs.reply("502 no"); return true })
	s.on("PASV", func(fs *fakeSession, arg string) bool { fs.reply("502 no"); return true })
	s.on("EPRT", func(fs *fakeSession, arg string) bool { fs.reply("500 no EPRT"); return true })
	s.put("/f", []byte("active"))
	c := dialFake(t, s, nil)
	for range 2 {
		if got := retrieveString(t, c, "/f", 0); got != "active" {
			t.Fatalf("got %q", got)
		}
	}
	if v := s.verbs(); strings.Count(v, "PASV") != 1 || strings.Count(v, "EPRT") != 1 || strings.Count(v, "PORT") != 2 {
		t.Fatalf("verbs %s", v)
	}
}

func TestActiveMode(t *testing.T) {
	s := newFakeServer(t)
	s.put("/f", []byte("data"))
	c := dialFake(t, s, func(cfg *engine.Config) {
		cfg.Mode = engine.ModeActive
		cfg.ActivePortMin, cfg.ActivePortMax = 20100, 20199
	})
	if got := retrieveString(t, c, "/f", 0); got != "data" {
		t.Fatalf("got %q", got)
	}
	cmds := strings.Join(s.commands(), "\n")
	if !strings.Contains(cmds, "EPRT |1|127.0.0.1|201") {
		t.Fatalf("no EPRT in the port range:\n%s", cmds)
	}
}

// TestPASVReplyAimedAtForeignAddress: a PASV reply naming another host
// (FTP bounce, or a NATed server's private address) is not followed; the
// data connection goes to the control connection's peer and it is logged.
func TestPASVReplyAimedAtForeignAddress(t *testing.T) {
	s := newFakeServer(t)
	s.on("EPSV", func(fs *fakeSession, arg string) bool { fs.reply("502 no"); return true })
	// The builtin PASV's listener, announced as 10.9.8.7.
	s.on("PASV", func(fs *fakeSession, arg string) bool {
		w := fs.w
		fs.w = bufio.NewWriter(new(strings.Builder)) // swallow the honest reply
		fs.builtin("PASV", "")
		fs.w = w
		port := fs.pasv.Addr().(*net.TCPAddr).Port
		fs.reply("227 Entering Passive Mode (10,9,8,7,%d,%d)", port>>8, port&0xff)
		return true
	})
	s.put("/f", []byte("safe"))
	var tl traceLog
	c := dialFake(t, s, func(cfg *engine.Config) { cfg.Trace = tl.add; cfg.Timeout = 2 * time.Second })
	if got := retrieveString(t, c, "/f", 0); got != "safe" {
		t.Fatalf("got %q", got)
	}
	if !strings.Contains(tl.String(), "address 10.9.8.7; using server address 127.0.0.1 instead") {
		t.Fatalf("replacement not logged:\n%s", tl.String())
	}
}

func TestTraceEvents(t *testing.T) {
	s := newFakeServer(t)
	var mu sync.Mutex
	var evs []engine.TraceEvent
	c := dialFake(t, s, func(cfg *engine.Config) {
		cfg.Trace = func(e engine.TraceEvent) { mu.Lock(); evs = append(evs, e); mu.Unlock() }
	})
	c.Noop(context.Background())
	mu.Lock()
	defer mu.Unlock()
	var sawCmd, sawReply bool
	for _, e := range evs {
		if e.Conn != c.id || e.Time.IsZero() {
			t.Fatalf("event %+v", e)
		}
		sawCmd = sawCmd || e.Kind == engine.TraceCommand && e.Text == "NOOP"
		sawReply = sawReply || e.Kind == engine.TraceReply && e.Text == "200 OK"
	}
	if !sawCmd || !sawReply {
		t.Fatalf("events %+v", evs)
	}
}

func TestActiveModeAnnouncesExternalAddress(t *testing.T) {
	s := newFakeServer(t)
	s.on("EPRT", func(fs *fakeSession, arg string) bool {
		f := strings.Split(arg, "|")
		fs.port = net.JoinHostPort("127.0.0.1", f[3]) // the NAT forwards to us
		fs.reply("200 EPRT OK")
		return true
	})
	s.put("/f", []byte("via NAT"))
	c := dialFake(t, s, func(cfg *engine.Config) {
		cfg.Mode, cfg.ActiveExternalIP = engine.ModeActive, "203.0.113.7"
	})
	if got := retrieveString(t, c, "/f", 0); got != "via NAT" {
		t.Fatalf("got %q", got)
	}
	if cmds := strings.Join(s.commands(), "\n"); !strings.Contains(cmds, "EPRT |1|203.0.113.7|") {
		t.Fatalf("external address not announced:\n%s", cmds)
	}
}

func Test421MidSessionClosesConn(t *testing.T) {
	s := newFakeServer(t)
	s.on("NOOP", func(fs *fakeSession, arg string) bool {
		fs.reply("421 Timeout, closing control connection.")
		return false // and hang up
	})
	c := dialFake(t, s, nil)
	err := c.Noop(context.Background())
	if engine.ReplyCode(err) != 421 || !engine.IsTemporary(err) || c.Alive() {
		t.Fatalf("err %v alive %v", err, c.Alive())
	}
	if err := c.Noop(context.Background()); !errors.Is(err, engine.ErrClosed) {
		t.Fatalf("after 421: %v", err)
	}
}

func TestQuote(t *testing.T) {
	s := newFakeServer(t)
	s.on("SITE", func(fs *fakeSession, arg string) bool {
		if arg == "HELP" {
			fs.reply("214-The following SITE commands are recognized\r\n CHMOD UMASK\r\n214 Help OK.")
		} else {
			fs.reply("500 Unknown SITE command.")
		}
		return true
	})
	c := dialFake(t, s, nil)
	code, msg, err := c.Quote(context.Background(), "SITE HELP")
	if err != nil || code != 214 || !strings.Contains(msg, "CHMOD UMASK") {
		t.Fatalf("%d %q %v", code, msg, err)
	}
	code, _, err = c.Quote(context.Background(), "SITE BOGUS")
	if code != 500 || !errors.Is(err, engine.ErrUnsupported) || !c.Alive() {
		t.Fatalf("%d %v", code, err)
	}
}
