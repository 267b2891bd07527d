package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// scripted is a small plain-FTP server whose misbehaviour a test scripts: a
// data connection reset mid-file, or a hostile directory listing. It speaks
// just what engine/ftp needs (FEAT without MLSD, so LIST is parsed).
type scripted struct {
	addr  string
	mu    sync.Mutex
	files map[string][]byte
	dirs  map[string]bool
	lists map[string]string // raw LIST text by directory, overriding files
	drop  map[string]int64  // first RETR of the path is reset after this many bytes
	rests []int64           // REST offsets received
	retrs []string          // RETR paths received
	// refuseStor answers the next n STORs of a path with 425 before any
	// 1xx; noOpenStor answers STOR of a path 226 without opening the data
	// connection (and stores nothing).
	refuseStor map[string]int
	noOpenStor map[string]bool
	// grow appends its bytes to a file just before its first RETR: a log
	// written to after it was listed.
	grow map[string][]byte
	// maxConns > 0 answers 421 to control connections beyond it, as
	// vsftpd's max_per_ip and most hosting servers do.
	maxConns  int
	conns     int
	peakConns int
	refused   int
	// feat replaces the FEAT lines (nil: SIZE, REST STREAM, EPSV); replies
	// answers a verb with a canned reply line instead of the usual one,
	// as servers of other lineages do (XSHA256 501, REST 502, ...);
	// "<close>" closes the connection instead.
	feat    []string
	replies map[string]string
	cmds    []string // every command line received
	// lsSplit plays a server that hands LIST's argument to /bin/ls: the
	// path is split at spaces and each missing part is an ls error message
	// on the data connection, then 226.
	lsSplit bool
	// noPipeline answers a command that arrived in the same packet as EPSV
	// with one 502 for both, as servers that read a packet as one line do.
	noPipeline bool
	// resetFirst resets this many control connections before the greeting,
	// as a server restarting or a flaky middlebox does; accepted counts
	// every control connection.
	resetFirst int
	accepted   int
	// authEOF answers the first n AUTH TLS with 234 and closes before the
	// handshake (a server that races its 234 against the ClientHello);
	// later ones are refused with 502, so the client goes on in plain FTP.
	authEOF int
	// sizes answers SIZE of a path 213 with this number whatever it is:
	// servers answer SIZE of a folder 213 4096, a hostile one 213 1.
	sizes map[string]int64
	// hangRetr answers RETR of a path 150 and then sends nothing.
	hangRetr map[string]bool
}

func startScripted(t *testing.T) *scripted {
	s := &scripted{files: map[string][]byte{}, dirs: map[string]bool{"/": true},
		lists: map[string]string{}, drop: map[string]int64{}, replies: map[string]string{},
		refuseStor: map[string]int{}, noOpenStor: map[string]bool{}, grow: map[string][]byte{},
		sizes: map[string]int64{}, hangRetr: map[string]bool{}}
	s.addr = serveLoopback(t, s.serve)
	return s
}

func (s *scripted) url(p string) string { return "ftp://u:p@" + s.addr + p }

// commands returns the command lines received so far.
func (s *scripted) commands() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.cmds...)
}

func (s *scripted) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(format string, args ...any) { fmt.Fprintf(c, format+"\r\n", args...) }
	s.mu.Lock()
	s.accepted++
	if s.resetFirst > 0 {
		s.resetFirst--
		s.mu.Unlock()
		c.(*net.TCPConn).SetLinger(0)
		return
	}
	if s.maxConns > 0 && s.conns >= s.maxConns {
		s.refused++
		s.mu.Unlock()
		say("421 There are too many connections from your internet address.")
		return
	}
	s.conns++
	s.peakConns = max(s.peakConns, s.conns)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.conns--
		s.mu.Unlock()
	}()
	say("220 scripted")
	var pasv net.Listener
	var rest int64
	cwd := "/"
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		s.mu.Lock()
		s.cmds = append(s.cmds, strings.TrimRight(line, "\r\n"))
		canned, ok := s.replies[strings.ToUpper(verb)]
		feat := s.feat
		s.mu.Unlock()
		if ok && canned == "<close>" {
			return
		}
		if ok {
			say("%s", canned)
			continue
		}
		switch strings.ToUpper(verb) {
		case "AUTH":
			s.mu.Lock()
			eof := s.authEOF > 0
			if eof {
				s.authEOF--
			}
			s.mu.Unlock()
			if eof {
				say("234 Proceed with negotiation.")
				return
			}
			say("502 not implemented")
		case "USER":
			say("331 password")
		case "PASS":
			say("230 in")
		case "SYST":
			say("215 UNIX Type: L8")
		case "FEAT":
			if feat == nil {
				feat = []string{"SIZE", "REST STREAM", "EPSV"}
			}
			say("211-Features:\r\n %s\r\n211 End", strings.Join(feat, "\r\n "))
		case "TYPE", "OPTS", "NOOP":
			say("200 ok")
		case "PWD":
			say(`257 "%s"`, cwd)
		case "CWD":
			p := path.Clean(arg)
			if !strings.HasPrefix(p, "/") {
				p = path.Join(cwd, p)
			}
			s.mu.Lock()
			ok := s.dirs[p]
			s.mu.Unlock()
			if ok {
				cwd = p
				say("250 ok")
			} else {
				say("550 not a directory")
			}
		case "SIZE":
			s.mu.Lock()
			b, ok := s.files[arg]
			n, fake := s.sizes[arg]
			s.mu.Unlock()
			if fake {
				say("213 %d", n)
			} else if ok {
				say("213 %d", len(b))
			} else {
				say("550 no such file")
			}
		case "EPSV":
			s.mu.Lock()
			refuse := s.noPipeline && r.Buffered() > 0
			s.mu.Unlock()
			if refuse {
				r.ReadString('\n')
				say("502 Command not implemented.")
				continue
			}
			if pasv != nil {
				pasv.Close()
			}
			pasv, _ = net.Listen("tcp", "127.0.0.1:0")
			say("229 Entering Extended Passive Mode (|||%d|)", pasv.Addr().(*net.TCPAddr).Port)
		case "REST":
			rest, _ = strconv.ParseInt(arg, 10, 64)
			s.mu.Lock()
			s.rests = append(s.rests, rest)
			s.mu.Unlock()
			say("350 restarting at %d", rest)
		case "RETR", "LIST":
			if pasv == nil {
				say("425 use EPSV first")
				continue
			}
			s.mu.Lock()
			hang := strings.EqualFold(verb, "RETR") && s.hangRetr[arg]
			s.mu.Unlock()
			if hang {
				say("150 here it comes")
				if dc, err := pasv.Accept(); err == nil {
					defer dc.Close()
				}
				continue
			}
			data, cut, ok := s.content(strings.ToUpper(verb), arg, rest, cwd)
			rest = 0
			if !ok {
				say("550 no such file")
				continue
			}
			say("150 here it comes")
			dc, err := pasv.Accept()
			pasv.Close()
			pasv = nil
			if err != nil {
				say("425 no data connection")
				continue
			}
			if cut >= 0 {
				dc.Write(data[:cut])
				dc.(*net.TCPConn).SetLinger(0) // a reset, as when a server or NAT drops the connection
				dc.Close()
				say("426 Connection closed; transfer aborted")
				continue
			}
			dc.Write(data)
			dc.Close()
			say("226 done")
		case "STOR", "APPE":
			s.mu.Lock()
			refuse, noOpen := s.refuseStor[arg] > 0, s.noOpenStor[arg]
			if refuse {
				s.refuseStor[arg]--
			}
			s.mu.Unlock()
			if pasv == nil || refuse || noOpen {
				// The passive port stays open (the client may have
				// connected already) until the next EPSV closes it.
				if noOpen {
					say("226 Transfer complete.")
				} else {
					say("425 Can't open data connection.")
				}
				continue
			}
			say("150 Ok to send data.")
			dc, err := pasv.Accept()
			pasv.Close()
			pasv = nil
			if err != nil {
				say("425 no data connection")
				continue
			}
			var buf bytes.Buffer
			buf.ReadFrom(dc)
			dc.Close()
			s.mu.Lock()
			old := s.files[arg]
			switch {
			case strings.EqualFold(verb, "APPE"):
				s.files[arg] = append(bytes.Clone(old), buf.Bytes()...)
			default:
				s.files[arg] = append(bytes.Clone(old[:min(rest, int64(len(old)))]), buf.Bytes()...)
			}
			s.mu.Unlock()
			rest = 0
			say("226 Transfer complete.")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

// content returns what a RETR or LIST sends and where to cut it (-1: not).
func (s *scripted) content(verb, arg string, rest int64, cwd string) ([]byte, int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if verb == "LIST" {
		var operands []string
		for _, f := range strings.Fields(arg) {
			if !strings.HasPrefix(f, "-") {
				operands = append(operands, f)
			}
		}
		if s.lsSplit && len(operands) != 1 {
			if len(operands) == 0 {
				operands = []string{cwd}
			}
			var b strings.Builder
			for _, o := range operands {
				if !s.dirs[o] {
					fmt.Fprintf(&b, "ls: cannot access '%s': No such file or directory\r\n", o)
				}
			}
			if b.Len() > 0 || len(operands) > 1 {
				return []byte(b.String()), -1, true
			}
		}
		if len(operands) > 0 {
			arg = operands[len(operands)-1]
		} else {
			arg = cwd
		}
		if l, ok := s.lists[arg]; ok {
			return []byte(l), -1, true
		}
		if !s.dirs[arg] {
			return nil, -1, false
		}
		var b strings.Builder
		for p, data := range s.files {
			if path.Dir(p) == arg {
				fmt.Fprintf(&b, "-rw-r--r--   1 u g %8d Jan 01 00:00 %s\r\n", len(data), path.Base(p))
			}
		}
		return []byte(b.String()), -1, true
	}
	s.retrs = append(s.retrs, arg)
	if g, ok := s.grow[arg]; ok {
		delete(s.grow, arg)
		s.files[arg] = append(s.files[arg], g...)
	}
	data, ok := s.files[arg]
	if !ok {
		return nil, -1, false
	}
	data = data[min(rest, int64(len(data))):]
	if n, ok := s.drop[arg]; ok {
		delete(s.drop, arg)
		return data, min(n, int64(len(data))), true
	}
	return data, -1, true
}

// TestDroppedDataConnectionIsResumed: the server resets the data connection
// mid-file and answers 426; the item is retried with REST and arrives whole.
func TestDroppedDataConnectionIsResumed(t *testing.T) {
	isolate(t)
	s := startScripted(t)
	s.mu.Lock() // setup, before any connection
	big := make([]byte, 3<<20)
	r := rand.New(rand.NewPCG(5, 6))
	for i := range big {
		big[i] = byte(r.UintN(256))
	}
	s.files["/big.bin"] = big
	s.drop["/big.bin"] = 1 << 20
	s.mu.Unlock()
	dst := filepath.Join(t.TempDir(), "big.bin")
	status, out, errs := xfer(t, "get", "--json", s.url("/big.bin"), dst)
	if status != 0 {
		t.Fatalf("status %d\n%s", status, errs)
	}
	got, _ := os.ReadFile(dst)
	if !bytes.Equal(got, big) {
		t.Fatal("file differs after the resumed retry")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.rests) != 1 || s.rests[0] <= 0 || s.rests[0] > 1<<20 {
		t.Fatalf("REST offsets %v, want one resume from the bytes that arrived", s.rests)
	}
	if !strings.Contains(out, `"attempts":2`) {
		t.Fatalf("result %s", out)
	}
}

// TestHostileListingWritesNothingOutside: a listing naming ../escape,
// /etc/x, a/../../b, nul\x00, con (and folders ".." and "../../up") writes
// nothing outside the target folder; the refused names make the exit status 1.
func TestHostileListingWritesNothingOutside(t *testing.T) {
	isolate(t)
	s := startScripted(t)
	s.mu.Lock() // setup, before any connection
	s.dirs["/h"] = true
	var b strings.Builder
	for _, n := range []string{"../escape", "/etc/x", "a/../../b", "nul\x00", "con", "ok.txt", `..\..\win`} {
		fmt.Fprintf(&b, "-rw-r--r--   1 u g        4 Jan 01 00:00 %s\r\n", n)
		s.files["/h/"+n] = []byte("evil")
	}
	for _, n := range []string{"..", "../../up"} {
		fmt.Fprintf(&b, "drwxr-xr-x   2 u g        0 Jan 01 00:00 %s\r\n", n)
	}
	s.lists["/h"] = b.String()
	s.mu.Unlock()
	outer := t.TempDir()
	status, out, _ := xfer(t, "get", "-r", "--json", s.url("/h"), filepath.Join(outer, "target"))
	if status != 1 {
		t.Fatalf("status %d, want 1 (names were refused)", status)
	}
	filepath.WalkDir(outer, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(outer, p)
		if rel != "." && rel != "target" && !strings.HasPrefix(rel, "target"+string(filepath.Separator)) {
			t.Errorf("written outside the target folder: %s", rel)
		}
		return nil
	})
	for _, n := range []string{"con", "ok.txt"} {
		if got, err := os.ReadFile(filepath.Join(outer, "target", n)); err != nil || string(got) != "evil" {
			t.Errorf("%s not downloaded inside the target: %v", n, err)
		}
	}
	if n := strings.Count(out, "unsafe file name refused"); n < 5 {
		t.Errorf("%d refusals reported, want at least 5:\n%s", n, out)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.retrs {
		if p != "/h/con" && p != "/h/ok.txt" {
			t.Errorf("client asked for %q", p)
		}
	}
}

// TestTooManyConnectionsBacksOff: a server that allows 2 connections answers
// 421 to the rest; get --parallel 4 backs off, works with what it has and
// downloads everything.
func TestTooManyConnectionsBacksOff(t *testing.T) {
	isolate(t)
	s := startScripted(t)
	s.mu.Lock() // setup, before any connection
	s.maxConns = 2
	s.dirs["/many"] = true
	want := map[string][]byte{}
	for i := range 30 {
		b := []byte(strings.Repeat(fmt.Sprint(i), 1000))
		s.files[fmt.Sprintf("/many/f%02d", i)] = b
		want[fmt.Sprintf("f%02d", i)] = b
	}
	s.mu.Unlock()
	dst := filepath.Join(t.TempDir(), "many")
	status, _, errs := xfer(t, "get", "-r", "--parallel", "4", s.url("/many"), dst)
	if status != 0 {
		t.Fatalf("status %d\n%s", status, errs)
	}
	compareTree(t, want, dst)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refused == 0 || s.peakConns > 2 {
		t.Fatalf("refused %d connections, peak %d", s.refused, s.peakConns)
	}
}

// TestTargetNaming: where get puts a file or a folder.
func TestTargetNaming(t *testing.T) {
	isolate(t)
	s := startScripted(t)
	s.mu.Lock() // setup, before any connection
	s.files["/d/f.txt"] = []byte("file")
	s.dirs["/d"] = true
	s.mu.Unlock()
	dir := t.TempDir()
	t.Chdir(dir)
	os.Mkdir("existing", 0o755)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{s.url("/d/f.txt")}, "f.txt"},
		{[]string{s.url("/d/f.txt"), "existing"}, "existing/f.txt"},
		{[]string{s.url("/d/f.txt"), "renamed.txt"}, "renamed.txt"},
		{[]string{s.url("/d/f.txt"), "new/"}, "new/f.txt"},
		{[]string{"-r", s.url("/d")}, "d/f.txt"},
		{[]string{"-r", s.url("/d"), "into"}, "into/f.txt"},
		{[]string{"-r", s.url("/d"), "existing"}, "existing/f.txt"},
	} {
		t.Run(strings.Join(tt.args[:len(tt.args)-1], " ")+" "+tt.args[len(tt.args)-1], func(t *testing.T) {
			os.Remove(filepath.FromSlash(tt.want))
			if status, _, errs := xfer(t, append([]string{"get"}, tt.args...)...); status != 0 {
				t.Fatalf("status %d: %s", status, errs)
			}
			if b, err := os.ReadFile(filepath.FromSlash(tt.want)); err != nil || string(b) != "file" {
				t.Fatalf("%s: %q %v", tt.want, b, err)
			}
		})
	}
}

// TestOverwriteAsk: --overwrite=ask prompts on the terminal; "s" skips,
// "O" overwrites this and every later conflict.
func TestOverwriteAsk(t *testing.T) {
	isolate(t)
	s := startScripted(t)
	s.mu.Lock() // setup, before any connection
	s.dirs["/a"] = true
	s.files["/a/1"] = []byte("new1")
	s.files["/a/2"] = []byte("new2")
	s.mu.Unlock()
	for _, tt := range []struct{ answer, want string }{{"s\n", "old"}, {"O\n", "new"}} {
		t.Run(strings.TrimSpace(tt.answer), func(t *testing.T) {
			dst := t.TempDir()
			os.WriteFile(filepath.Join(dst, "1"), []byte("old1"), 0o644)
			os.WriteFile(filepath.Join(dst, "2"), []byte("old2"), 0o644)
			env, _, errb := testEnv()
			env.Stdin = strings.NewReader(tt.answer + tt.answer)
			env.StdinIsTerminal = true
			_, _, status := Parse(context.Background(), []string{"get", "-r", "--parallel", "1", "--overwrite=ask", s.url("/a"), dst}, env)
			if status != 0 {
				t.Fatalf("status %d: %s", status, errb)
			}
			for _, n := range []string{"1", "2"} {
				if b, _ := os.ReadFile(filepath.Join(dst, n)); string(b) != tt.want+n {
					t.Errorf("%s: %q, want %q", n, b, tt.want+n)
				}
			}
		})
	}
}

// TestProgressBarOnlyOnATerminal: a terminal gets a progress bar, a pipe
// gets nothing but the results.
func TestProgressBarOnlyOnATerminal(t *testing.T) {
	isolate(t)
	s := startScripted(t)
	s.mu.Lock() // setup, before any connection
	s.files["/p.bin"] = bytes.Repeat([]byte("x"), 300_000)
	s.mu.Unlock()
	for _, term := range []bool{false, true} {
		t.Run(fmt.Sprint("terminal=", term), func(t *testing.T) {
			env, out, errb := testEnv()
			env.StdoutIsTerminal = term
			_, _, status := Parse(context.Background(), []string{"get", "--limit-rate", "600K", s.url("/p.bin"), filepath.Join(t.TempDir(), "p.bin")}, env)
			if status != 0 {
				t.Fatalf("status %d: %s", status, errb)
			}
			if got := strings.Contains(out.String(), "files"); got != term {
				t.Fatalf("progress shown %v on terminal=%v: %q", got, term, out.String())
			}
		})
	}
}

// TestPutAfterA425ReplacesTheOlderFile: the server refuses the first STOR
// with 425 while an older file is there; skiff put must end with the
// server's file identical to the local one — for a longer local file and
// for one of the same size — not with old bytes followed by new ones.
func TestPutAfterA425ReplacesTheOlderFile(t *testing.T) {
	for _, tt := range []struct {
		name string
		old  int
	}{{"longer", 3000}, {"same size", 10_000}} {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			s := startScripted(t)
			s.files["/up.bin"] = bytes.Repeat([]byte("o"), tt.old)
			s.refuseStor["/up.bin"] = 1
			data := make([]byte, 10_000)
			for i := range data {
				data[i] = byte(rand.IntN(256))
			}
			local := filepath.Join(t.TempDir(), "up.bin")
			os.WriteFile(local, data, 0o644)
			status, _, stderr := xfer(t, "put", local, s.url("/up.bin"))
			s.mu.Lock()
			got := s.files["/up.bin"]
			s.mu.Unlock()
			if status != 0 || !bytes.Equal(got, data) {
				t.Fatalf("status %d, server has %d bytes, identical %v; stderr:\n%s", status, len(got), bytes.Equal(got, data), stderr)
			}
		})
	}
}

// TestPutAnswered226WithoutOpeningIsNotDone: a server that answers STOR
// with 226 and never opens the data connection has not received the file:
// skiff put fails instead of reporting 0 bytes as success.
func TestPutAnswered226WithoutOpeningIsNotDone(t *testing.T) {
	isolate(t)
	s := startScripted(t)
	s.noOpenStor["/up.bin"] = true
	local := filepath.Join(t.TempDir(), "up.bin")
	os.WriteFile(local, []byte("not empty"), 0o644)
	status, _, stderr := xfer(t, "put", "--retries", "0", local, s.url("/up.bin"))
	if status == 0 || !strings.Contains(stderr, "without opening the data connection") {
		t.Fatalf("status %d; stderr:\n%s", status, stderr)
	}
}

// TestAFileThatGrewSinceListedDownloadsWhole: a log is written to between
// the listing (or SIZE) and the download; get and get -r fetch it whole
// once, instead of failing three times with "10000 of 9500 bytes".
func TestAFileThatGrewSinceListedDownloadsWhole(t *testing.T) {
	for _, recursive := range []bool{false, true} {
		t.Run(fmt.Sprint("recursive=", recursive), func(t *testing.T) {
			isolate(t)
			s := startScripted(t)
			s.dirs["/logs"] = true
			s.files["/logs/app.log"] = bytes.Repeat([]byte("a"), 9500)
			s.grow["/logs/app.log"] = bytes.Repeat([]byte("b"), 500)
			dst := t.TempDir()
			args := []string{"get", s.url("/logs/app.log"), dst}
			if recursive {
				args = []string{"get", "-r", s.url("/logs/"), dst}
			}
			status, _, stderr := xfer(t, args...)
			got, err := os.ReadFile(filepath.Join(dst, "app.log"))
			s.mu.Lock()
			retrs := len(s.retrs)
			s.mu.Unlock()
			if status != 0 || err != nil || len(got) != 10_000 || retrs != 1 {
				t.Fatalf("status %d, %d bytes (%v), %d RETRs; stderr:\n%s", status, len(got), err, retrs, stderr)
			}
		})
	}
}

// TestGetPutsTheFilesOnDiskBeforeExit0: the command line's queue does not
// fsync each file (2,000 fsyncs doubled a small-files download); one sync
// of the target's file system comes before exit 0, and a failed one is a
// failure.
func TestGetPutsTheFilesOnDiskBeforeExit0(t *testing.T) {
	isolate(t)
	s := startScripted(t)
	s.dirs["/d"] = true
	s.files["/d/a"] = []byte("aaa")
	s.files["/d/b"] = []byte("bbb")
	var synced []string
	fail := false
	old := syncLocal
	syncLocal = func(dir string) error {
		_, err := os.Stat(filepath.Join(dir, "a"))
		synced = append(synced, fmt.Sprintf("%s a-exists=%v", dir, err == nil))
		if fail {
			return fmt.Errorf("EIO")
		}
		return nil
	}
	t.Cleanup(func() { syncLocal = old })
	dst := t.TempDir()
	if status, _, stderr := xfer(t, "get", "-r", s.url("/d/"), dst); status != 0 || len(synced) != 1 || synced[0] != dst+" a-exists=true" {
		t.Fatalf("status %d, synced %q; stderr:\n%s", status, synced, stderr)
	}
	fail = true
	if status, _, stderr := xfer(t, "get", "-r", s.url("/d/"), t.TempDir()); status != 1 || !strings.Contains(stderr, "writing the files to disk: EIO") {
		t.Fatalf("a failed sync: status %d; stderr:\n%s", status, stderr)
	}
}
