package ftp

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

// fakeServer is a scripted FTP server on 127.0.0.1:0 with in-memory files.
// Every command is recorded; handlers can replace any verb to play a
// misbehaving server. With cert set it does AUTH TLS and, like vsftpd's
// require_ssl_reuse, drops TLS data connections that did not resume.
type fakeServer struct {
	t    *testing.T
	ln   net.Listener
	feat []string // FEAT lines; nil: 211 with no features
	tls  *tls.Config

	mu       sync.Mutex
	files    map[string][]byte
	dirs     map[string]bool
	cmds     []string
	handlers map[string]func(s *fakeSession, arg string) bool // true: handled
	resumed  []bool                                           // per TLS data connection
	greeting string
	implicit bool // TLS from the first byte
}

type fakeSession struct {
	srv    *fakeServer
	c      net.Conn
	r      *bufio.Reader
	w      *bufio.Writer
	pasv   net.Listener
	port   string // active: the client's address
	rest   int64
	rnfr   string
	prot   bool
	tlsCtl bool
	cwd    string
	user   string
}

func newFakeServer(t *testing.T, feat ...string) *fakeServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeServer{t: t, ln: ln, feat: feat, files: map[string][]byte{}, dirs: map[string]bool{"/": true},
		handlers: map[string]func(*fakeSession, string) bool{}, greeting: "220 fake FTP ready"}
	go s.serve()
	t.Cleanup(func() { ln.Close() })
	return s
}

func (s *fakeServer) config() engine.Config {
	host, port, _ := net.SplitHostPort(s.ln.Addr().String())
	p, _ := strconv.Atoi(port)
	return engine.Config{Host: host, Port: p, User: "u", Password: "secret", Security: engine.Plain, Timeout: 5 * time.Second}
}

func (s *fakeServer) on(verb string, h func(fs *fakeSession, arg string) bool) {
	s.mu.Lock()
	s.handlers[verb] = h
	s.mu.Unlock()
}

// commands returns the commands received so far, PASS included verbatim.
func (s *fakeServer) commands() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.cmds...)
}

// verbs returns the verbs received so far.
func (s *fakeServer) verbs() string {
	var v []string
	for _, c := range s.commands() {
		verb, _, _ := strings.Cut(c, " ")
		v = append(v, verb)
	}
	return strings.Join(v, " ")
}

func (s *fakeServer) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.implicit {
			c = tls.Server(c, s.tls)
		}
		s.mu.Unlock()
		fs := &fakeSession{srv: s, c: c, r: bufio.NewReader(c), w: bufio.NewWriter(c), cwd: "/"}
		go fs.run()
	}
}

func (fs *fakeSession) reply(format string, args ...any) {
	fmt.Fprintf(fs.w, format+"\r\n", args...)
	fs.w.Flush()
}

func (fs *fakeSession) abs(p string) string {
	if p == "" {
		return fs.cwd
	}
	if !strings.HasPrefix(p, "/") {
		p = fs.cwd + "/" + p
	}
	return path.Clean(p)
}

func (fs *fakeSession) run() {
	defer fs.c.Close()
	fs.srv.mu.Lock()
	greeting := fs.srv.greeting
	fs.srv.mu.Unlock()
	fs.reply("%s", greeting)
	for {
		line, err := fs.r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		s := fs.srv
		s.mu.Lock()
		s.cmds = append(s.cmds, line)
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		h := s.handlers[verb]
		s.mu.Unlock()
		if h != nil && h(fs, arg) {
			continue
		}
		if !fs.builtin(verb, arg) {
			return
		}
	}
}

// builtin plays a well-behaved server; false ends the session.
func (fs *fakeSession) builtin(verb, arg string) bool {
	s := fs.srv
	switch verb {
	case "USER":
		fs.user = arg
		fs.reply("331 Password please")
	case "PASS":
		if arg == "secret" || fs.user == "anonymous" {
			fs.reply("230 Logged in")
		} else {
			fs.reply("530 Login incorrect")
		}
	case "AUTH":
		s.mu.Lock()
		conf := s.tls
		s.mu.Unlock()
		if conf == nil {
			fs.reply("502 No TLS here")
			return true
		}
		fs.reply("234 Proceed")
		tc := tls.Server(fs.c, conf)
		if err := tc.Handshake(); err != nil {
			return false
		}
		fs.c, fs.r, fs.w, fs.tlsCtl = tc, bufio.NewReader(tc), bufio.NewWriter(tc), true
	case "PBSZ":
		fs.reply("200 PBSZ=0")
	case "PROT":
		fs.prot = arg == "P"
		fs.reply("200 PROT now %s", arg)
	case "SYST":
		fs.reply("215 UNIX Type: L8")
	case "FEAT":
		if s.feat == nil {
			fs.reply("211 No features")
			return true
		}
		fs.w.WriteString("211-Features:\r\n")
		for _, f := range s.feat {
			fs.w.WriteString(" " + f + "\r\n")
		}
		fs.reply("211 End")
	case "OPTS", "TYPE", "NOOP", "HOST":
		fs.reply("200 OK")
	case "PWD":
		fs.reply("257 %q is the current directory", fs.cwd)
	case "CWD":
		p := fs.abs(arg)
		s.mu.Lock()
		ok := s.dirs[p]
		s.mu.Unlock()
		if !ok {
			fs.reply("550 No such directory")
			return true
		}
		fs.cwd = p
		fs.reply("250 OK")
	case "EPSV", "PASV":
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fs.reply("425 no listener")
			return true
		}
		fs.pasv = ln
		port := ln.Addr().(*net.TCPAddr).Port
		if verb == "EPSV" {
			fs.reply("229 Entering Extended Passive Mode (|||%d|)", port)
		} else {
			fs.reply("227 Entering Passive Mode (127,0,0,1,%d,%d)", port>>8, port&0xff)
		}
	case "EPRT":
		f := strings.Split(arg, "|")
		fs.port = net.JoinHostPort(f[2], f[3])
		fs.reply("200 EPRT OK")
	case "PORT":
		f := strings.Split(arg, ",")
		p1, _ := strconv.Atoi(f[4])
		p2, _ := strconv.Atoi(f[5])
		fs.port = net.JoinHostPort(strings.Join(f[:4], "."), strconv.Itoa(p1<<8|p2))
		fs.reply("200 PORT OK")
	case "REST":
		fs.rest, _ = strconv.ParseInt(arg, 10, 64)
		fs.reply("350 Restarting at %d", fs.rest)
	case "SIZE":
		s.mu.Lock()
		b, ok := s.files[fs.abs(arg)]
		s.mu.Unlock()
		if !ok {
			fs.reply("550 Could not get file size.")
			return true
		}
		fs.reply("213 %d", len(b))
	case "MDTM":
		s.mu.Lock()
		_, ok := s.files[fs.abs(arg)]
		s.mu.Unlock()
		if !ok {
			fs.reply("550 No such file")
			return true
		}
		fs.reply("213 20240102030405")
	case "RETR":
		s.mu.Lock()
		b, ok := s.files[fs.abs(arg)]
		s.mu.Unlock()
		if !ok {
			fs.closeData()
			fs.reply("550 Failed to open file.")
			return true
		}
		if fs.rest > 0 && fs.rest <= int64(len(b)) {
			b = b[fs.rest:]
		}
		fs.rest = 0
		fs.reply("150 Opening BINARY mode data connection")
		dc := fs.openData()
		if dc == nil {
			fs.reply("425 Failed to establish connection.")
			return true
		}
		dc.Write(b)
		dc.Close()
		fs.reply("226 Transfer complete.")
	case "STOR", "APPE":
		p := fs.abs(arg)
		fs.reply("150 Ok to send data.")
		dc := fs.openData()
		if dc == nil {
			fs.reply("425 Failed to establish connection.")
			return true
		}
		b, err := io.ReadAll(dc)
		dc.Close()
		if err != nil {
			fs.reply("426 Failure reading network stream.")
			return true
		}
		s.mu.Lock()
		old := s.files[p]
		switch {
		case verb == "APPE":
			b = append(append([]byte(nil), old...), b...)
		case fs.rest > 0:
			b = append(append([]byte(nil), old[:min(int(fs.rest), len(old))]...), b...)
		}
		s.files[p] = b
		s.mu.Unlock()
		fs.rest = 0
		fs.reply("226 Transfer complete.")
	case "LIST", "MLSD":
		// Like vsftpd: LIST hides dot files unless it is "LIST -a".
		rest, all := strings.CutPrefix(arg, "-a")
		all = all && (rest == "" || rest[0] == ' ')
		if !all {
			rest = arg
		}
		dir := fs.abs(strings.TrimSpace(rest))
		fs.reply("150 Here comes the directory listing.")
		dc := fs.openData()
		if dc == nil {
			fs.reply("425 Failed to establish connection.")
			return true
		}
		dc.Write([]byte(s.listing(dir, verb == "MLSD", all || verb == "MLSD")))
		dc.Close()
		fs.reply("226 Directory send OK.")
	case "MKD":
		p := fs.abs(arg)
		s.mu.Lock()
		parent := s.dirs[path.Dir(p)]
		exists := s.dirs[p]
		if parent && !exists {
			s.dirs[p] = true
		}
		s.mu.Unlock()
		if !parent || exists {
			fs.reply("550 Create directory operation failed.")
			return true
		}
		fs.reply("257 %q created", p)
	case "RMD":
		p := fs.abs(arg)
		s.mu.Lock()
		ok := s.dirs[p]
		for k := range s.files {
			if strings.HasPrefix(k, p+"/") {
				ok = false
			}
		}
		for k := range s.dirs {
			if strings.HasPrefix(k, p+"/") {
				ok = false
			}
		}
		if ok {
			delete(s.dirs, p)
		}
		s.mu.Unlock()
		if !ok {
			fs.reply("550 Remove directory operation failed.")
			return true
		}
		fs.reply("250 Remove directory operation successful.")
	case "DELE":
		p := fs.abs(arg)
		s.mu.Lock()
		_, ok := s.files[p]
		delete(s.files, p)
		s.mu.Unlock()
		if !ok {
			fs.reply("550 Delete operation failed.")
			return true
		}
		fs.reply("250 Delete operation successful.")
	case "RNFR":
		fs.rnfr = fs.abs(arg)
		fs.reply("350 Ready for RNTO.")
	case "RNTO":
		s.mu.Lock()
		b, ok := s.files[fs.rnfr]
		if ok {
			delete(s.files, fs.rnfr)
			s.files[fs.abs(arg)] = b
		}
		s.mu.Unlock()
		if !ok {
			fs.reply("550 RNFR command failed.")
			return true
		}
		fs.reply("250 Rename successful.")
	case "SITE", "MFMT":
		fs.reply("200 OK")
	case "ABOR":
		fs.reply("225 No transfer to ABOR.")
	case "QUIT":
		fs.reply("221 Goodbye.")
		return false
	default:
		fs.reply("500 Unknown command.")
	}
	return true
}

// listing renders a directory in Unix LIST or MLSD form, sorted by name.
func (s *fakeServer) listing(dir string, mlsd, hidden bool) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	type ent struct {
		name string
		dir  bool
		size int
	}
	var es []ent
	for k, b := range s.files {
		if path.Dir(k) == dir {
			es = append(es, ent{path.Base(k), false, len(b)})
		}
	}
	for k := range s.dirs {
		if k != "/" && path.Dir(k) == dir {
			es = append(es, ent{path.Base(k), true, 0})
		}
	}
	sort.Slice(es, func(i, j int) bool { return es[i].name < es[j].name })
	if !hidden {
		es = slices.DeleteFunc(es, func(e ent) bool { return strings.HasPrefix(e.name, ".") })
	}
	var b strings.Builder
	for _, e := range es {
		switch {
		case mlsd && e.dir:
			fmt.Fprintf(&b, "type=dir;modify=20240102030405;perm=flcdmpe; %s\r\n", e.name)
		case mlsd:
			fmt.Fprintf(&b, "type=file;size=%d;modify=20240102030405;perm=adfrw; %s\r\n", e.size, e.name)
		case e.dir:
			fmt.Fprintf(&b, "drwxr-xr-x    2 1000     1000         4096 Jan 02  2024 %s\r\n", e.name)
		default:
			fmt.Fprintf(&b, "-rw-r--r--    1 1000     1000     %8d Jan 02  2024 %s\r\n", e.size, e.name)
		}
	}
	return b.String()
}

// openData accepts (passive) or dials (active) the data connection and
// wraps it in TLS when PROT P is on, dropping it unless the session resumed.
func (fs *fakeSession) openData() net.Conn {
	var dc net.Conn
	var err error
	if fs.pasv != nil {
		fs.pasv.(*net.TCPListener).SetDeadline(time.Now().Add(5 * time.Second))
		dc, err = fs.pasv.Accept()
		fs.pasv.Close()
		fs.pasv = nil
	} else if fs.port != "" {
		dc, err = net.DialTimeout("tcp", fs.port, 5*time.Second)
		fs.port = ""
	} else {
		return nil
	}
	if err != nil {
		return nil
	}
	fs.srv.mu.Lock()
	conf := fs.srv.tls
	fs.srv.mu.Unlock()
	if fs.prot && conf != nil {
		tc := tls.Server(dc, conf)
		tc.SetDeadline(time.Now().Add(5 * time.Second))
		if err := tc.Handshake(); err != nil {
			dc.Close()
			return nil
		}
		tc.SetDeadline(time.Time{})
		resumed := tc.ConnectionState().DidResume
		fs.srv.mu.Lock()
		fs.srv.resumed = append(fs.srv.resumed, resumed)
		fs.srv.mu.Unlock()
		if !resumed {
			tc.Close()
			return nil
		}
		return tc
	}
	return dc
}

func (fs *fakeSession) closeData() {
	if fs.pasv != nil {
		fs.pasv.Close()
		fs.pasv = nil
	}
	fs.port = ""
}

// setup changes the server's configuration while it runs.
func (s *fakeServer) setup(f func()) {
	s.mu.Lock()
	f()
	s.mu.Unlock()
}

func (s *fakeServer) put(name string, b []byte) {
	s.mu.Lock()
	s.files[name] = b
	s.mu.Unlock()
}

func (s *fakeServer) get(name string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.files[name]
	return b, ok
}

func dialFake(t *testing.T, s *fakeServer, mod func(*engine.Config)) *Conn {
	t.Helper()
	cfg := s.config()
	if mod != nil {
		mod(&cfg)
	}
	c, err := Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func retrieveString(t *testing.T, c *Conn, path string, offset int64) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := c.Retrieve(context.Background(), path, offset, &b); err != nil {
		t.Fatalf("Retrieve %s: %v", path, err)
	}
	return b.String()
}
