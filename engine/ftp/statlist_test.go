package ftp

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
)

// statLikeVsftpd makes s answer "STAT [-a] path" with the folder's LIST
// lines as a 213 reply, as vsftpd does; mod, when set, rewrites the lines
// of the folder dir before they go out.
func statLikeVsftpd(s *fakeServer, mod func(dir, lines string) string) {
	s.on("STAT", func(fs *fakeSession, arg string) bool {
		rest, all := strings.CutPrefix(arg, "-a ")
		if !all {
			rest = arg
		}
		dir := fs.abs(rest)
		lines := s.listing(dir, false, all)
		if mod != nil {
			lines = mod(dir, lines)
		}
		fs.w.WriteString("213-Status follows:\r\n" + lines + "213 End of status\r\n")
		fs.w.Flush()
		return true
	})
}

// statServer is a fake LIST-only server with /a (two files) and /b (a dot
// file and a file) that lists by STAT as vsftpd does.
func statServer(t *testing.T, mod func(dir, lines string) string) *fakeServer {
	s := newFakeServer(t, "EPSV", "SIZE")
	s.put("/a/one.txt", []byte("1"))
	s.put("/a/two.txt", []byte("22"))
	s.put("/b/.htaccess", []byte("deny"))
	s.put("/b/index.html", []byte("<html>"))
	statLikeVsftpd(s, mod)
	return s
}

func listNames(t *testing.T, c *Conn, dir string) string {
	t.Helper()
	es, err := c.List(context.Background(), dir)
	if err != nil {
		t.Fatalf("List %s: %v", dir, err)
	}
	return strings.Join(names(es), " ")
}

// dialTrusting dials s with a site memory of its own and lists /a, after
// which the Conn lists by STAT.
func dialTrusting(t *testing.T, s *fakeServer) (*Conn, *engine.SiteMemory) {
	t.Helper()
	mem := &engine.SiteMemory{}
	c := dialFake(t, s, func(cfg *engine.Config) { cfg.Memory = mem })
	listNames(t, c, "/a")
	return c, mem
}

func sent(s *fakeServer, line string) bool { return slices.Contains(s.commands(), line) }

// TestSTATListsOnceItMatchedLIST: the first folder is listed by LIST and
// then by STAT to compare; once they match, the next folder is listed by
// STAT alone (no data connection), dot files included.
func TestSTATListsOnceItMatchedLIST(t *testing.T) {
	s := statServer(t, nil)
	c := dialFake(t, s, nil)
	if got := listNames(t, c, "/a"); got != "one.txt two.txt" {
		t.Fatalf("/a: %s", got)
	}
	if !sent(s, "LIST -a /a") || !sent(s, "STAT -a /a") {
		t.Fatalf("sent %q, want LIST then STAT of /a", s.commands())
	}
	if got := listNames(t, c, "/b"); got != ".htaccess index.html" {
		t.Fatalf("/b: %s", got)
	}
	if sent(s, "LIST -a /b") || !sent(s, "STAT -a /b") {
		t.Fatalf("sent %q, want /b listed by STAT alone", s.commands())
	}
}

// TestSTATAnsweredWithServerStatusIsNotTrusted: a server that answers
// STAT with its own status, whatever the path, is listed by LIST, and the
// site learns it.
func TestSTATAnsweredWithServerStatusIsNotTrusted(t *testing.T) {
	s := statServer(t, nil)
	s.on("STAT", func(fs *fakeSession, arg string) bool {
		fs.reply("211-FTP server status:\r\n Connected to 127.0.0.1\r\n Logged in as u\r\n211 End of status")
		return true
	})
	mem := &engine.SiteMemory{}
	c := dialFake(t, s, func(cfg *engine.Config) { cfg.Memory = mem })
	for _, tc := range []struct{ dir, want string }{{"/a", "one.txt two.txt"}, {"/b", ".htaccess index.html"}} {
		if got := listNames(t, c, tc.dir); got != tc.want {
			t.Fatalf("%s: %s", tc.dir, got)
		}
	}
	if !mem.Has(engine.NoStatList) || !sent(s, "LIST -a /b") || sent(s, "STAT -a /b") {
		t.Fatalf("NoStatList %v, sent %q", mem.Has(engine.NoStatList), s.commands())
	}
}

// TestSTATWithoutDotFilesIsNotTrusted: a STAT that ignores -a lists
// fewer names than LIST -a: the folder of a sync would look as if its dot
// files were gone. Such a server is listed by LIST.
func TestSTATWithoutDotFilesIsNotTrusted(t *testing.T) {
	s := newFakeServer(t, "EPSV")
	s.put("/b/.htaccess", []byte("deny"))
	s.put("/b/index.html", []byte("<html>"))
	s.put("/c/.env", []byte("x"))
	s.put("/c/app.php", []byte("<?php"))
	statLikeVsftpd(s, func(dir, lines string) string {
		var kept []string
		for _, l := range strings.SplitAfter(lines, "\r\n") {
			if !strings.Contains(l, " .") {
				kept = append(kept, l)
			}
		}
		return strings.Join(kept, "")
	})
	mem := &engine.SiteMemory{}
	c := dialFake(t, s, func(cfg *engine.Config) { cfg.Memory = mem })
	listNames(t, c, "/b")
	if got := listNames(t, c, "/c"); got != ".env app.php" {
		t.Fatalf("/c: %s", got)
	}
	if !mem.Has(engine.NoStatList) || sent(s, "STAT -a /c") {
		t.Fatalf("NoStatList %v, sent %q", mem.Has(engine.NoStatList), s.commands())
	}
}

// TestEmptySTATWhereLISTHasEntriesIsNotTrusted: once trusted, a STAT
// listing that comes back empty is asked again by LIST; when LIST finds
// entries, STAT is not used again.
func TestEmptySTATWhereLISTHasEntriesIsNotTrusted(t *testing.T) {
	s := statServer(t, func(dir, lines string) string {
		if dir == "/b" {
			return ""
		}
		return lines
	})
	c, mem := dialTrusting(t, s)
	if got := listNames(t, c, "/b"); got != ".htaccess index.html" {
		t.Fatalf("/b: %s", got)
	}
	if !mem.Has(engine.NoStatList) || !sent(s, "LIST -a /b") {
		t.Fatalf("NoStatList %v, sent %q", mem.Has(engine.NoStatList), s.commands())
	}
}

// TestSTATListingLongerThanAReplyBudget: a STAT listing is a listing, not
// a reply: 30,000 entries (over 2 MiB, twice what any other reply may be)
// come whole.
func TestSTATListingLongerThanAReplyBudget(t *testing.T) {
	s := statServer(t, nil)
	s.setup(func() {
		for i := range 30000 {
			s.files[fmt.Sprintf("/big/file-with-a-longer-name-%05d.bin", i)] = nil
		}
		s.dirs["/big"] = true
	})
	c := dialFake(t, s, nil)
	listNames(t, c, "/a")
	es, err := c.List(context.Background(), "/big")
	if err != nil || len(es) != 30000 {
		t.Fatalf("listed %d entries (%v)", len(es), err)
	}
	if sent(s, "LIST -a /big") {
		t.Fatalf("/big was listed by LIST: %q", s.commands())
	}
}

// TestEndlessSTATLineIsAnError: a STAT reply line that never ends is
// errLineTooLong once maxListingLine bytes are in, not memory without end.
func TestEndlessSTATLineIsAnError(t *testing.T) {
	s := statServer(t, nil)
	c := dialFake(t, s, nil)
	listNames(t, c, "/a")
	s.on("STAT", func(fs *fakeSession, arg string) bool {
		fs.w.WriteString("213-Status follows:\r\n")
		chunk := strings.Repeat("x", 64<<10)
		for i := 0; i < (maxListingLine>>16)+64; i++ {
			if _, err := fs.w.WriteString(chunk); err != nil {
				return false
			}
		}
		fs.w.Flush()
		return false
	})
	_, err := c.List(context.Background(), "/b")
	if err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Fatalf("List: %v, want the line budget's error", err)
	}
}

// TestSTATNameWithCRLFKeepsTheConnectionInStep: a name holding CR LF and
// a reply's last line ends the STAT reply early. The NOOP sent along shows
// it: the rest is read and dropped, the folder is listed by LIST, the site
// learns NoStatList, and the next command gets its own reply.
func TestSTATNameWithCRLFKeepsTheConnectionInStep(t *testing.T) {
	s := statServer(t, func(dir, lines string) string {
		if dir == "/b" {
			return "-rw-r--r--    1 1000     1000            5 Jan 02  2024 x\r\n213 End of status\r\n" +
				"-rw-r--r--    1 1000     1000            5 Jan 02  2024 y\r\n" + lines
		}
		return lines
	})
	c, mem := dialTrusting(t, s)
	if got := listNames(t, c, "/b"); got != ".htaccess index.html" {
		t.Fatalf("/b: %s", got)
	}
	if !mem.Has(engine.NoStatList) {
		t.Fatal("the site did not learn NoStatList")
	}
	if got := listNames(t, c, "/a"); got != "one.txt two.txt" {
		t.Fatalf("/a after: %s", got)
	}
	if e, err := c.Stat(context.Background(), "/a/two.txt"); err != nil || e.Size != 2 {
		t.Fatalf("Stat after: %+v %v", e, err)
	}
}
