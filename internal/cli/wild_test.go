package cli

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// This file holds the command line's transcript tests for the failure
// classes met on servers of other lineages (issue 15), each against the
// scripted server playing the behaviour.

// TestVerifyNeverDeletesAGoodFileForARefusedQuestion: --verify against a
// server that answers XSHA256 with 501 asks the next checksum it offers;
// when none answers the download is kept and the result says it was not
// verified, instead of deleting a good file.
func TestVerifyNeverDeletesAGoodFileForARefusedQuestion(t *testing.T) {
	data := []byte(strings.Repeat("verify me ", 1000))
	sum := md5.Sum(data)
	for _, tt := range []struct {
		name       string
		replies    map[string]string
		wantReason string
	}{
		{"XSHA256 501, XMD5 answers", map[string]string{"XSHA256": "501 Syntax error in parameters or arguments.", "XMD5": "250 " + hex.EncodeToString(sum[:])}, ""},
		{"XSHA256 501, XMD5 501", map[string]string{"XSHA256": "501 Syntax error.", "XMD5": "501 Syntax error."}, "not verified: the server offers no checksum"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			s := startScripted(t)
			s.mu.Lock() // setup, before any connection
			s.feat = []string{"SIZE", "REST STREAM", "EPSV", "XSHA256", "XMD5"}
			s.files["/f.bin"] = data
			for k, v := range tt.replies {
				s.replies[k] = v
			}
			s.mu.Unlock()
			dst := filepath.Join(t.TempDir(), "f.bin")
			status, out, errs := xfer(t, "get", "--verify", "--json", s.url("/f.bin"), dst)
			got, err := os.ReadFile(dst)
			if status != 0 || err != nil || string(got) != string(data) {
				t.Fatalf("status %d, file %d bytes (%v)\nstdout %s\nstderr %s", status, len(got), err, out, errs)
			}
			var r result
			if err := json.Unmarshal([]byte(out), &r); err != nil || r.State != "done" || r.Reason != tt.wantReason {
				t.Fatalf("result %s (%v): want done with reason %q", out, err, tt.wantReason)
			}
		})
	}
}

// TestErrorTextInAListingIsAnError: servers that run /bin/ls put its error
// message on the data connection and answer 226; skiff ls reports the
// error (exit 1, one line) instead of listing "directory" as a file.
func TestErrorTextInAListingIsAnError(t *testing.T) {
	for _, tt := range []struct {
		listing string
		dir     bool   // the folder exists (CWD works)
		want    string // "" means exit 0 with one entry named "x: No such file or directory"
	}{
		{"ls: cannot access '/d': No such file or directory\r\n", false, "No such file or directory"},
		{"No such file or directory\r\n", false, "No such file or directory"},
		{"/bin/ls: cannot open directory '/d': Permission denied\r\n", true, "Permission denied"},
		{"ls: /d: Permission denied\r\n", true, "Permission denied"},
		{"total 0\r\n", false, "not found"},
		{"-rw-r--r--   1 u g        4 Jan 01 00:00 x: No such file or directory\r\n", true, ""},
	} {
		t.Run(strings.TrimSpace(tt.listing), func(t *testing.T) {
			s := startScripted(t)
			s.mu.Lock() // setup, before any connection
			s.lists["/d"] = tt.listing
			s.dirs["/d"] = tt.dir
			s.mu.Unlock()
			env, out, errb := testEnv()
			status := runCLI(env, "ls", "--tls", "off", "--json", s.url("/d"))
			if tt.want == "" {
				var e lsEntry
				if status != 0 || json.Unmarshal(out.Bytes(), &e) != nil || e.Name != "x: No such file or directory" {
					t.Fatalf("status %d, stdout %s, stderr %s", status, out, errb)
				}
				return
			}
			if status != 1 || out.Len() != 0 || !strings.Contains(errb.String(), tt.want) || strings.Count(errb.String(), "\n") != 1 {
				t.Fatalf("status %d, want 1 and one line with %q\nstdout %s\nstderr %s", status, tt.want, out, errb)
			}
		})
	}
}

// TestPathsWithSpacesOnAServerThatSplitsThem: a server that hands "LIST
// path" to /bin/ls splits "/a/q r" into two names; skiff lists such a
// folder from inside it (CWD, then a bare LIST), as lftp does, so ls and
// get -r of folders with spaces work.
func TestPathsWithSpacesOnAServerThatSplitsThem(t *testing.T) {
	isolate(t)
	s := startScripted(t)
	s.mu.Lock() // setup, before any connection
	s.lsSplit = true
	for _, d := range []string{"/a", "/a/q r", "/a/q r/sub dir"} {
		s.dirs[d] = true
	}
	s.files["/a/q r/one.txt"] = []byte("one")
	s.files["/a/q r/sub dir/two words.txt"] = []byte("two")
	s.lists["/a/q r"] = "-rw-r--r--   1 u g        3 Jan 01 00:00 one.txt\r\n" +
		"drwxr-xr-x   2 u g     4096 Jan 01 00:00 sub dir\r\n"

	s.mu.Unlock()
	env, out, errb := testEnv()
	if status := runCLI(env, "ls", "--tls", "off", s.url("/a/q%20r")); status != 0 ||
		!strings.Contains(out.String(), "one.txt") || !strings.Contains(out.String(), "sub dir/") || strings.Contains(out.String(), "cannot access") {
		t.Fatalf("ls: status %d\nstdout %s\nstderr %s", status, out, errb)
	}
	dst := t.TempDir()
	status, _, errs := xfer(t, "get", "-r", "--tls", "off", s.url("/a/q%20r"), dst)
	if status != 0 {
		t.Fatalf("get -r: status %d\n%s", status, errs)
	}
	compareTree(t, map[string][]byte{"one.txt": []byte("one"), "sub dir/two words.txt": []byte("two")}, dst)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.cmds {
		if strings.HasPrefix(c, "LIST") && strings.Contains(c, " r") {
			t.Errorf("sent %q: the server splits it", c)
		}
	}
	if all := strings.Join(s.cmds, "|"); !strings.Contains(all, "|CWD /a/q r|EPSV|LIST -a|CWD /|") {
		t.Errorf("no CWD in, bare LIST, CWD back in %s", all)
	}
}

// TestPutRToAServerThatRefusesPipelining: a server that answers "EPSV" and
// "STOR f" sent in one write with a single 502 gets the whole folder, one
// command at a time, with no retry needed.
func TestPutRToAServerThatRefusesPipelining(t *testing.T) {
	isolate(t)
	s := startScripted(t)
	s.mu.Lock() // setup, before any connection
	s.noPipeline = true
	s.dirs["/up"] = true
	s.mu.Unlock()
	src := t.TempDir()
	want := map[string][]byte{}
	for i := range 6 {
		name := "f" + strings.Repeat("x", i)
		want[name] = []byte(strings.Repeat(name, 100))
		os.WriteFile(filepath.Join(src, name), want[name], 0o644)
	}
	status, out, errs := xfer(t, "put", "-r", "--json", "--retries", "0", "--tls", "off", src, s.url("/up"))
	if status != 0 {
		t.Fatalf("status %d\nstdout %s\nstderr %s", status, out, errs)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, b := range want {
		if got := s.files["/up/"+name]; string(got) != string(b) {
			t.Errorf("/up/%s: %d bytes, want %d", name, len(got), len(b))
		}
	}
}

// TestResumeAgainstAServerWithoutREST: after a kill, get --resume and put
// --overwrite=resume against a server that answers REST with 502 start the
// files over (lftp does the same) instead of failing for good, say so in
// the result, and never send REST to the site again.
func TestResumeAgainstAServerWithoutREST(t *testing.T) {
	a := []byte(strings.Repeat("a", 40_000))
	b := []byte(strings.Repeat("b", 30_000))
	t.Run("get", func(t *testing.T) {
		isolate(t)
		s := startScripted(t)
		s.mu.Lock() // setup, before any connection
		s.replies["REST"] = "502 Command not implemented."
		s.dirs["/r"] = true
		s.files["/r/a.bin"], s.files["/r/b.bin"] = a, b
		s.mu.Unlock()
		dst := t.TempDir()
		os.WriteFile(filepath.Join(dst, "a.bin.part"), a[:10_000], 0o644)
		os.WriteFile(filepath.Join(dst, "b.bin.part"), []byte("stale bytes"), 0o644)
		status, out, errs := xfer(t, "get", "-r", "--resume", "--parallel", "1", "--json", "--tls", "off", s.url("/r"), dst)
		if status != 0 {
			t.Fatalf("status %d\nstdout %s\nstderr %s", status, out, errs)
		}
		compareTree(t, map[string][]byte{"a.bin": a, "b.bin": b}, dst)
		if n := strings.Count(out, "started over"); n != 2 {
			t.Errorf("%d results say the file was started over, want 2:\n%s", n, out)
		}
		if n := strings.Count(strings.Join(s.commands(), "\n"), "REST "); n != 1 {
			t.Errorf("REST sent %d times, want once", n)
		}
	})
	t.Run("put", func(t *testing.T) {
		isolate(t)
		s := startScripted(t)
		s.mu.Lock() // setup, before any connection
		s.replies["REST"] = "502 Command not implemented."
		s.files["/up.bin"] = a[:10_000]
		s.mu.Unlock()
		local := filepath.Join(t.TempDir(), "up.bin")
		os.WriteFile(local, a, 0o644)
		status, out, errs := xfer(t, "put", "--overwrite=resume", "--json", "--tls", "off", local, s.url("/up.bin"))
		s.mu.Lock()
		got := s.files["/up.bin"]
		s.mu.Unlock()
		if status != 0 || string(got) != string(a) || !strings.Contains(out, "started over") {
			t.Fatalf("status %d, server has %d bytes\nstdout %s\nstderr %s", status, len(got), out, errs)
		}
	})
}

// TestFirstConnectionIsRetried: a connection reset before the greeting on
// the run's first connection is retried with --retries, like any later
// one; --retries 0 does not retry it, and a refused login (530) never is.
func TestFirstConnectionIsRetried(t *testing.T) {
	old := firstRetryDelay
	firstRetryDelay = 50 * time.Millisecond
	t.Cleanup(func() { firstRetryDelay = old })
	for _, tt := range []struct {
		name         string
		reset        int
		retries      string
		pass         string // a canned reply to PASS, or ""
		authEOF      int    // the first AUTH TLS gets 234 and a close
		wantStatus   int
		wantAccepted int
	}{
		{"reset once, retries 2", 1, "2", "", 0, 0, 2}, // the transfer reuses the browsing connection
		{"reset twice, retries 2", 2, "2", "", 0, 0, 3},
		{"reset once, retries 0", 1, "0", "", 0, 1, 1},
		{"530, retries 2", 0, "2", "530 Login incorrect.", 0, 1, 1},
		{"TLS handshake EOF, retries 1", 0, "1", "", 1, 0, 2},
	} {
		for _, cmd := range []string{"get", "put"} {
			t.Run(cmd+" "+tt.name, func(t *testing.T) {
				isolate(t)
				s := startScripted(t)
				s.mu.Lock() // setup, before any connection
				s.resetFirst, s.authEOF = tt.reset, tt.authEOF
				if tt.pass != "" {
					s.replies["PASS"] = tt.pass
				}
				s.files["/f"] = []byte("file")
				s.mu.Unlock()
				dir := t.TempDir()
				local := filepath.Join(dir, "f")
				tls := "off"
				if tt.authEOF > 0 {
					tls = "auto"
				}
				args := []string{cmd, "--retries", tt.retries, "--tls", tls, "--parallel", "1", s.url("/f"), local}
				if cmd == "put" {
					os.WriteFile(local, []byte("file"), 0o644)
					args = []string{cmd, "--retries", tt.retries, "--tls", tls, "--parallel", "1", local, s.url("/f")}
				}
				status, out, errs := xfer(t, args...)
				s.mu.Lock()
				accepted := s.accepted
				s.mu.Unlock()
				if status != tt.wantStatus || accepted != tt.wantAccepted {
					t.Fatalf("status %d, %d connections; want %d, %d\nstdout %s\nstderr %s", status, accepted, tt.wantStatus, tt.wantAccepted, out, errs)
				}
				if status != 0 && strings.Count(errs, "\n") != 1 {
					t.Fatalf("want one line of error:\n%s", errs)
				}
			})
		}
	}
}

// TestErrorsAPersonCanRead: each error is one line of its own; a server's
// multi-line reply is shown as its lines (the first after the error, the
// others indented below it), never as a Go-quoted string with \n; a
// connection the server closed says so on one line.
func TestErrorsAPersonCanRead(t *testing.T) {
	for _, tt := range []struct {
		reply string
		want  []string // stderr lines
	}{
		{"550-No such file or directory.\r\n550 Ask the admin.", []string{
			"skiff get: failed /f: RETR /f: 550 No such file or directory.",
			"  Ask the admin."}},
		{"553 Permission denied.", []string{"skiff get: failed /f: RETR /f: 553 Permission denied."}},
		{"<close>", []string{"skiff get: failed /f: RETR /f: connection closed by the server (EOF)"}},
	} {
		t.Run(tt.reply, func(t *testing.T) {
			isolate(t)
			s := startScripted(t)
			s.mu.Lock() // setup, before any connection
			s.files["/f"] = []byte("file")
			s.replies["RETR"] = tt.reply
			s.mu.Unlock()
			status, _, errs := xfer(t, "get", "--retries", "0", "--tls", "off", s.url("/f"), filepath.Join(t.TempDir(), "f"))
			if got := strings.Split(strings.TrimSuffix(errs, "\n"), "\n"); status != 1 || !slices.Equal(got, tt.want) {
				t.Fatalf("status %d, stderr:\n%s\nwant:\n%s", status, errs, strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestAFolderIsNeverTakenForAFile: servers answer SIZE of a folder 213 4096
// (a hostile one 213 1, and RETR of it 150 with no data ever); get -r of
// the folder, with or without a trailing slash, downloads its files and
// never asks RETR of the folder; a trailing slash means a folder whatever
// SIZE and CWD say.
func TestAFolderIsNeverTakenForAFile(t *testing.T) {
	for _, tt := range []struct {
		name    string
		url     string
		size    int64
		cwdFail bool // CWD of the folder is refused (only the trailing slash tells)
	}{
		{"213 4096, -r /tree", "/tree", 4096, false},
		{"213 1, -r /tree", "/tree", 1, false},
		{"213 1, -r /tree/", "/tree/", 1, false},
		{"213 1 and CWD refused, -r /tree/", "/tree/", 1, true},
		{"213 1 and CWD refused, -r /tree (the parent lists a folder)", "/tree", 1, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			s := startScripted(t)
			s.mu.Lock() // setup, before any connection
			s.dirs["/tree"] = !tt.cwdFail
			s.files["/tree/a.txt"] = []byte("aaa")
			s.lists["/tree"] = "-rw-r--r--   1 u g        3 Jan 01 00:00 a.txt\r\n"
			s.lists["/"] = "drwxr-xr-x   2 u g     4096 Jan 01 00:00 tree\r\n"
			s.sizes["/tree"], s.sizes["/tree/"] = tt.size, tt.size
			s.hangRetr["/tree"], s.hangRetr["/tree/"] = true, true
			s.mu.Unlock()
			dst := t.TempDir()
			start := time.Now()
			status, _, errs := xfer(t, "get", "-r", "--tls", "off", s.url(tt.url), dst)
			if status != 0 {
				t.Fatalf("status %d\n%s", status, errs)
			}
			compareTree(t, map[string][]byte{"a.txt": []byte("aaa")}, dst)
			for _, c := range s.commands() {
				if c == "RETR /tree" || c == "RETR /tree/" {
					t.Fatalf("asked %q", c)
				}
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Fatalf("took %v", d)
			}
		})
	}
}
