package ftp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

func TestListStoreRetrieve(t *testing.T) {
	for _, feat := range [][]string{{"SIZE", "REST STREAM"}, {"MLSD", "SIZE", "REST STREAM"}} {
		t.Run(strings.Join(feat, ","), func(t *testing.T) {
			s := newFakeServer(t, feat...)
			s.setup(func() { s.dirs["/d"] = true })
			c := dialFake(t, s, nil)
			ctx := context.Background()
			payload := bytes.Repeat([]byte("0123456789"), 100_000)
			n, err := c.Store(ctx, "/d/big file", 0, bytes.NewReader(payload))
			if err != nil || n != int64(len(payload)) {
				t.Fatalf("Store: %d %v", n, err)
			}
			if _, err := c.Store(ctx, "/d/empty", 0, bytes.NewReader(nil)); err != nil {
				t.Fatalf("Store empty: %v", err)
			}
			got, _ := s.get("/d/big file")
			if !bytes.Equal(got, payload) {
				t.Fatalf("server has %d bytes", len(got))
			}
			var b bytes.Buffer
			if n, err := c.Retrieve(ctx, "/d/big file", 0, &b); err != nil || n != int64(len(payload)) || !bytes.Equal(b.Bytes(), payload) {
				t.Fatalf("Retrieve: %d %v", n, err)
			}
			entries, err := c.List(ctx, "/d")
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 2 || entries[0].Name != "big file" || entries[0].Size != int64(len(payload)) || entries[1].Name != "empty" || entries[1].Size != 0 {
				t.Fatalf("entries %+v", entries)
			}
			if want := "MLSD"; !strings.Contains(s.verbs(), want) == (feat[0] == "MLSD") {
				t.Fatalf("MLSD use wrong: %s", s.verbs())
			}
		})
	}
}

func TestResume(t *testing.T) {
	ctx := context.Background()
	t.Run("REST+RETR", func(t *testing.T) {
		s := newFakeServer(t, "SIZE")
		s.put("/f", []byte("0123456789"))
		c := dialFake(t, s, nil)
		if got := retrieveString(t, c, "/f", 4); got != "456789" {
			t.Fatalf("got %q", got)
		}
		if !strings.Contains(s.verbs(), "EPSV REST RETR") {
			t.Fatalf("REST not right before RETR: %s", s.verbs())
		}
	})
	t.Run("REST ignored", func(t *testing.T) {
		s := newFakeServer(t, "SIZE")
		s.on("REST", func(fs *fakeSession, arg string) bool { fs.reply("502 REST not implemented"); return true })
		s.put("/f", []byte("0123456789"))
		c := dialFake(t, s, nil)
		var b bytes.Buffer
		if _, err := c.Retrieve(ctx, "/f", 4, &b); err == nil || b.Len() != 0 {
			t.Fatalf("resume without 350 succeeded: %q", b.String())
		}
		if !c.Alive() {
			t.Fatal("conn died")
		}
	})
	t.Run("REST+STOR", func(t *testing.T) {
		s := newFakeServer(t, "SIZE", "REST STREAM")
		s.put("/f", []byte("01234"))
		c := dialFake(t, s, nil)
		if _, err := c.Store(ctx, "/f", 5, strings.NewReader("56789")); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.get("/f"); string(got) != "0123456789" || !strings.Contains(s.verbs(), "REST STOR") {
			t.Fatalf("got %q, %s", got, s.verbs())
		}
	})
	t.Run("APPE", func(t *testing.T) {
		s := newFakeServer(t, "SIZE")
		s.put("/f", []byte("01234"))
		c := dialFake(t, s, nil)
		if _, err := c.Store(ctx, "/f", 5, strings.NewReader("56789")); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.get("/f"); string(got) != "0123456789" || !strings.Contains(s.verbs(), "APPE") || strings.Contains(s.verbs(), "REST") {
			t.Fatalf("got %q, %s", got, s.verbs())
		}
	})
}

func TestShortDownloadIsAnError(t *testing.T) {
	// announce plays a server that states a size in its 150 and then sends
	// only data (a connection cut short).
	announce := func(s *fakeServer, stated string, data []byte) {
		s.on("RETR", func(fs *fakeSession, arg string) bool {
			fs.reply("150 Opening BINARY mode data connection for %s (%s).", arg, stated)
			if dc := fs.openData(); dc != nil {
				dc.Write(data)
				dc.Close()
			}
			fs.reply("226 Transfer complete.")
			return true
		})
	}
	t.Run("150 states the size, fewer bytes arrive", func(t *testing.T) {
		s := newFakeServer(t, "SIZE")
		s.put("/f", []byte("only half"))
		announce(s, "18 bytes", []byte("only half"))
		c := dialFake(t, s, nil)
		_, err := c.Retrieve(context.Background(), "/f", 0, io.Discard)
		if !errors.Is(err, engine.ErrShort) {
			t.Fatalf("err %v, want ErrShort", err)
		}
		if strings.Contains(s.verbs(), "SIZE") {
			t.Fatalf("SIZE asked although the 150 stated the size: %s", s.verbs())
		}
	})
	t.Run("150 without a size, SIZE says more", func(t *testing.T) {
		s := newFakeServer(t, "SIZE")
		s.put("/f", []byte("only half"))
		s.on("SIZE", func(fs *fakeSession, arg string) bool { fs.reply("213 18"); return true })
		c := dialFake(t, s, nil)
		_, err := c.Retrieve(context.Background(), "/f", 0, io.Discard)
		if !errors.Is(err, engine.ErrShort) {
			t.Fatalf("err %v, want ErrShort", err)
		}
		if !strings.Contains(s.verbs(), "RETR SIZE") {
			t.Fatalf("not verified with SIZE: %s", s.verbs())
		}
	})
	t.Run("226 without data, SIZE says more", func(t *testing.T) {
		s := newFakeServer(t, "SIZE")
		s.put("/f", []byte("something"))
		s.on("RETR", func(fs *fakeSession, arg string) bool { fs.closeData(); fs.reply("226 Nothing to send."); return true })
		c := dialFake(t, s, nil)
		_, err := c.Retrieve(context.Background(), "/f", 0, io.Discard)
		if !errors.Is(err, engine.ErrShort) {
			t.Fatalf("err %v, want ErrShort", err)
		}
	})
	t.Run("a name that looks like a size states none", func(t *testing.T) {
		s := newFakeServer(t, "SIZE")
		s.put("/f (4 bytes)", []byte("0123456789"))
		s.on("RETR", func(fs *fakeSession, arg string) bool {
			fs.reply("150 Opening BINARY mode data connection for %s.", arg)
			if dc := fs.openData(); dc != nil {
				dc.Write([]byte("0123"))
				dc.Close()
			}
			fs.reply("226 Transfer complete.")
			return true
		})
		c := dialFake(t, s, nil)
		_, err := c.Retrieve(context.Background(), "/f (4 bytes)", 0, io.Discard)
		if !errors.Is(err, engine.ErrShort) {
			t.Fatalf("err %v, want ErrShort (the name's size trusted?)", err)
		}
	})
	t.Run("150 states the size, all of it arrives", func(t *testing.T) {
		s := newFakeServer(t, "SIZE")
		announce(s, "10 bytes", []byte("0123456789"))
		c := dialFake(t, s, nil)
		if n, err := c.Retrieve(context.Background(), "/f", 0, io.Discard); err != nil || n != 10 {
			t.Fatalf("Retrieve: %d %v", n, err)
		}
		if got := s.verbs(); strings.Contains(got, "SIZE") {
			t.Fatalf("SIZE asked although the 150 stated the size: %s", got)
		}
	})
	// A resume trusts SIZE, not the 150: vsftpd states the file's size,
	// ProFTPD the bytes left.
	for _, stated := range []string{"10 bytes", "6 bytes"} {
		t.Run("resume, 150 states "+stated, func(t *testing.T) {
			s := newFakeServer(t, "SIZE")
			s.put("/f", []byte("0123456789"))
			announce(s, stated, []byte("456789"))
			c := dialFake(t, s, nil)
			if n, err := c.Retrieve(context.Background(), "/f", 4, io.Discard); err != nil || n != 6 {
				t.Fatalf("Retrieve: %d %v", n, err)
			}
		})
		t.Run("resume cut short, 150 states "+stated, func(t *testing.T) {
			s := newFakeServer(t, "SIZE")
			s.put("/f", []byte("0123456789"))
			announce(s, stated, []byte("45"))
			c := dialFake(t, s, nil)
			if _, err := c.Retrieve(context.Background(), "/f", 4, io.Discard); !errors.Is(err, engine.ErrShort) {
				t.Fatalf("err %v, want ErrShort", err)
			}
		})
	}
}

func TestAnnouncedSize(t *testing.T) {
	for _, tt := range []struct {
		msg, path string
		want      int64
	}{
		{"Opening BINARY mode data connection for /d/f.bin (4096 bytes).", "/d/f.bin", 4096},
		{"Opening BINARY mode data connection for f.bin (4096 bytes).", "/d/f.bin", 4096},
		{"Opening BINARY mode data connection for f.bin (4096 Bytes)", "f.bin", 4096},
		{"Opening ASCII mode data connection for big (10737418240 bytes)", "big", 10737418240},
		{"Opening BINARY mode data connection for x (3 bytes) (12 bytes).", "x (3 bytes)", 12},
		{"Opening BINARY mode data connection for x (3 bytes).", "/d/x (3 bytes)", -1},
		{"Opening BINARY mode data connection for /d/0 (4096 bytes).", "/d/0", 4096},
		{"Opening BINARY mode data connection for 0 (4096 bytes).", "/d/0", -1},
		{"Opening BINARY mode data connection for 9 (4096 bytes).", "/d/9", -1},
		{"Opening BINARY mode data connection", "f", -1},
		{"Data connection already open; Transfer starting.", "f", -1},
		{"Accepted data connection\n4.0 kbytes to download", "f", -1},
		{"Opening data channel for file download from server of \"/f\"", "/f", -1},
		{"Opening (x bytes)", "f", -1},
		{"Opening (-5 bytes)", "f", -1},
		{"Opening (5 bytes", "f", -1},
		{"", "f", -1},
	} {
		t.Run(tt.msg, func(t *testing.T) {
			if got := announcedSize(tt.msg, tt.path); got != tt.want {
				t.Fatalf("announcedSize(%q, %q) = %d, want %d", tt.msg, tt.path, got, tt.want)
			}
		})
	}
}

func TestShortUploadIsAnError(t *testing.T) {
	s := newFakeServer(t, "SIZE")
	s.on("SIZE", func(fs *fakeSession, arg string) bool { fs.reply("213 3"); return true })
	c := dialFake(t, s, nil)
	_, err := c.Store(context.Background(), "/f", 0, strings.NewReader("more than three"))
	if !errors.Is(err, engine.ErrShort) {
		t.Fatalf("err %v, want ErrShort", err)
	}
}

func TestStat(t *testing.T) {
	ctx := context.Background()
	s := newFakeServer(t, "SIZE", "MDTM")
	s.put("/f", []byte("abc"))
	s.setup(func() { s.dirs["/d"] = true })
	c := dialFake(t, s, nil)
	e, err := c.Stat(ctx, "/f")
	if err != nil || e.Type != listing.File || e.Size != 3 || e.Name != "f" || e.ModTime != time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC) {
		t.Fatalf("file: %+v %v", e, err)
	}
	if e, err = c.Stat(ctx, "/d"); err != nil || e.Type != listing.Dir {
		t.Fatalf("dir: %+v %v", e, err)
	}
	if wd, _ := c.Getwd(ctx); wd != "/" {
		t.Fatalf("Stat moved to %q", wd)
	}
	// Also in a folder that is missing too (its listing fails).
	for _, p := range []string{"/nope", "/nope/deeper"} {
		_, err = c.Stat(ctx, p)
		var te *textproto.Error
		if !errors.Is(err, engine.ErrNotFound) || !errors.As(err, &te) || te.Code != 550 || !strings.Contains(te.Msg, "Could not get file size") {
			t.Fatalf("missing %s: %v, want the server's 550 to SIZE in the chain", p, err)
		}
	}
	// A missing file in an empty folder: the folder's empty listing says
	// enough, asking whether the folder exists would not change the answer.
	s.setup(func() { s.dirs["/e"] = true })
	before := len(s.commands())
	if _, err := c.Stat(ctx, "/e/x"); !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("missing /e/x: %v", err)
	}
	var sent []string
	for _, cmd := range s.commands()[before:] {
		verb, _, _ := strings.Cut(cmd, " ")
		sent = append(sent, verb)
	}
	if got, want := strings.Join(sent, " "), "SIZE PWD CWD EPSV LIST"; got != want {
		t.Fatalf("Stat of /e/x sent %s, want %s", got, want)
	}
}

// TestStatFolderWithASize: several servers answer SIZE of a folder (or of a
// symlink to one) with 213 4096; CWD, not SIZE, says it is a folder.
func TestStatFolderWithASize(t *testing.T) {
	ctx := context.Background()
	s := newFakeServer(t, "SIZE", "MDTM")
	s.put("/f", []byte("abc"))
	s.setup(func() { s.dirs["/www"] = true })
	s.on("SIZE", func(fs *fakeSession, arg string) bool {
		if arg != "/www" {
			return false
		}
		fs.reply("213 4096")
		return true
	})
	c := dialFake(t, s, nil)
	if e, err := c.Stat(ctx, "/www"); err != nil || e.Type != listing.Dir || e.Name != "www" {
		t.Fatalf("folder answering SIZE 213: %+v %v", e, err)
	}
	if e, err := c.Stat(ctx, "/f"); err != nil || e.Type != listing.File || e.Size != 3 {
		t.Fatalf("file: %+v %v", e, err)
	}
	if wd, _ := c.Getwd(ctx); wd != "/" {
		t.Fatalf("Stat moved to %q", wd)
	}
}

func TestStatMLST(t *testing.T) {
	s := newFakeServer(t, "MLST type*;size*;modify*;")
	s.on("MLST", func(fs *fakeSession, arg string) bool {
		if arg != "/f" {
			fs.reply("550 No such file")
			return true
		}
		fs.reply("250-Listing /f\r\n type=file;size=42;modify=20240102030405; /f\r\n250 End")
		return true
	})
	c := dialFake(t, s, nil)
	e, err := c.Stat(context.Background(), "/f")
	if err != nil || e.Size != 42 || e.Name != "f" || e.Type != listing.File {
		t.Fatalf("%+v %v", e, err)
	}
	if _, err := c.Stat(context.Background(), "/g"); !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
}

func TestOperations(t *testing.T) {
	ctx := context.Background()
	s := newFakeServer(t, "MFMT", "HASH SHA-1*;SHA-256")
	s.on("HASH", func(fs *fakeSession, arg string) bool {
		fs.reply("213 SHA-256 0-2 BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD %s", arg)
		return true
	})
	c := dialFake(t, s, nil)
	if err := c.Mkdir(ctx, "/a/b/c", true); err != nil {
		t.Fatal(err)
	}
	if err := c.Mkdir(ctx, "/a/b/c", true); err != nil {
		t.Fatalf("existing with parents: %v", err)
	}
	if err := c.Mkdir(ctx, "/a/b/c", false); engine.ReplyCode(err) != 550 {
		t.Fatalf("existing without parents: %v", err)
	}
	s.put("/a/b/c/f", []byte("x"))
	s.put("/a/g", []byte("y"))
	if err := c.Rename(ctx, "/a/g", "/a/h"); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.get("/a/h"); !ok {
		t.Fatal("rename did not happen")
	}
	if err := c.Chmod(ctx, "/a/h", 0o640); err != nil {
		t.Fatal(err)
	}
	if err := c.SetModTime(ctx, "/a/h", time.Date(2020, 5, 6, 7, 8, 9, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	alg, sum, err := c.Checksum(ctx, "/a/h")
	if err != nil || alg != "SHA-256" || sum != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("%s %s %v", alg, sum, err)
	}
	if err := c.RemoveAll(ctx, "/a"); err != nil {
		t.Fatal(err)
	}
	if s.dirs["/a"] || len(s.files) != 0 {
		t.Fatalf("left %v %v", s.dirs, s.files)
	}
	cmds := strings.Join(s.commands(), "\n")
	for _, want := range []string{"SITE CHMOD 640 /a/h", "MFMT 20200506070809 /a/h", "OPTS HASH SHA-256", "HASH /a/h"} {
		if !strings.Contains(cmds, want) {
			t.Errorf("no %q in\n%s", want, cmds)
		}
	}
}

func TestChecksumUnsupported(t *testing.T) {
	s := newFakeServer(t)
	c := dialFake(t, s, nil)
	for range 2 {
		if _, _, err := c.Checksum(context.Background(), "/f"); !errors.Is(err, engine.ErrUnsupported) {
			t.Fatalf("err %v", err)
		}
	}
	if n := strings.Count(s.verbs(), "XSHA256"); n != 1 {
		t.Fatalf("probed XSHA256 %d times", n)
	}
}

func TestCancelTransferAbortsAndKeepsConn(t *testing.T) {
	s := newFakeServer(t, "SIZE")
	s.on("RETR", func(fs *fakeSession, arg string) bool {
		fs.reply("150 Opening")
		dc := fs.openData()
		chunk := make([]byte, 64<<10)
		for {
			if _, err := dc.Write(chunk); err != nil {
				break
			}
		}
		dc.Close()
		fs.reply("426 Transfer aborted")
		// ABOR comes next and gets the builtin's 225.
		return true
	})
	s.put("/f", nil)
	c := dialFake(t, s, nil)
	ctx, cancel := context.WithCancel(context.Background())
	w := writerFunc(func(p []byte) (int, error) { cancel(); return len(p), nil })
	start := time.Now()
	_, err := c.Retrieve(ctx, "/f", 0, w)
	if !errors.Is(err, context.Canceled) || time.Since(start) > 3*time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
	if !c.Alive() || !strings.Contains(s.verbs(), "ABOR") {
		t.Fatalf("alive %v verbs %s", c.Alive(), s.verbs())
	}
	if err := c.Noop(context.Background()); err != nil {
		t.Fatalf("connection out of step after ABOR: %v", err)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestServerClosesControlMidTransfer(t *testing.T) {
	s := newFakeServer(t)
	s.on("RETR", func(fs *fakeSession, arg string) bool {
		fs.reply("150 Opening")
		dc := fs.openData()
		dc.Write([]byte("partial"))
		fs.c.Close()
		time.Sleep(50 * time.Millisecond)
		dc.Close()
		return true
	})
	s.put("/f", nil)
	c := dialFake(t, s, nil)
	_, err := c.Retrieve(context.Background(), "/f", 0, io.Discard)
	if !errors.Is(err, engine.ErrClosed) || !engine.IsTemporary(err) || c.Alive() {
		t.Fatalf("err %v alive %v", err, c.Alive())
	}
}

func TestDataConnectionReset(t *testing.T) {
	s := newFakeServer(t)
	s.on("RETR", func(fs *fakeSession, arg string) bool {
		fs.reply("150 Opening")
		dc := fs.openData()
		dc.Write(bytes.Repeat([]byte("x"), 1000))
		dc.(*net.TCPConn).SetLinger(0) // close with RST
		dc.Close()
		fs.reply("426 Connection closed; transfer aborted.")
		return true
	})
	s.put("/f", nil)
	c := dialFake(t, s, nil)
	_, err := c.Retrieve(context.Background(), "/f", 0, io.Discard)
	if err == nil || !engine.IsTemporary(err) {
		t.Fatalf("err %v, want a temporary error", err)
	}
	if engine.ReplyCode(err) != 426 || !c.Alive() {
		t.Fatalf("err %v alive %v", err, c.Alive())
	}
}

func TestServerNeverAnswersTimesOut(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			defer c.Close()
			time.Sleep(5 * time.Second)
		}
	}()
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	_ = host
	cfg := engine.Config{Host: "127.0.0.1", Security: engine.Plain, Timeout: 200 * time.Millisecond}
	cfg.Port = atoi(port)
	start := time.Now()
	_, err = Dial(context.Background(), cfg)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() || time.Since(start) > 2*time.Second {
		t.Fatalf("err %v after %v, want a timeout after 200ms", err, time.Since(start))
	}
}

func TestCancelLoginReturnsPromptly(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		if c, err := ln.Accept(); err == nil {
			defer c.Close()
			time.Sleep(5 * time.Second)
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = Dial(ctx, engine.Config{Host: "127.0.0.1", Port: atoi(port), Security: engine.Plain})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
}

func TestKeepAliveSendsNOOPWhileIdle(t *testing.T) {
	s := newFakeServer(t)
	c := dialFake(t, s, func(cfg *engine.Config) { cfg.KeepAlive = 50 * time.Millisecond })
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(s.verbs(), "NOOP") < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := strings.Count(s.verbs(), "NOOP"); n < 2 {
		t.Fatalf("%d NOOPs: %s", n, s.verbs())
	}
	if err := c.Noop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

func TestListFuncStreamsAndStops(t *testing.T) {
	for _, feat := range []string{"SIZE", "MLSD"} {
		t.Run(feat, func(t *testing.T) {
			s := newFakeServer(t, feat)
			for i := range 1000 {
				s.put(fmt.Sprintf("/f%04d", i), []byte("x"))
			}
			c := dialFake(t, s, nil)
			var names []string
			if err := c.ListFunc(context.Background(), "/", func(e listing.Entry) error {
				names = append(names, e.Name)
				return nil
			}); err != nil || len(names) != 1000 || names[999] != "f0999" {
				t.Fatalf("%v: %d names", err, len(names))
			}
			stop := errors.New("enough")
			n := 0
			err := c.ListFunc(context.Background(), "/", func(e listing.Entry) error {
				if n++; n == 10 {
					return stop
				}
				return nil
			})
			if err != stop || n != 10 {
				t.Fatalf("err %v after %d", err, n)
			}
			if err := c.Noop(context.Background()); err != nil {
				t.Fatalf("connection out of step after a stopped listing: %v", err)
			}
		})
	}
}

// TestListMissingDirectory: vsftpd answers LIST of a missing path with an
// empty listing and 226; that must be ErrNotFound, not an empty directory.
func TestListMissingDirectory(t *testing.T) {
	s := newFakeServer(t)
	s.setup(func() { s.dirs["/empty"] = true })
	c := dialFake(t, s, nil)
	if es, err := c.List(context.Background(), "/empty"); err != nil || len(es) != 0 {
		t.Fatalf("empty dir: %v %v", es, err)
	}
	if _, err := c.List(context.Background(), "/missing"); !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("missing dir: %v", err)
	}
	err := c.ListFunc(context.Background(), "/missing", func(listing.Entry) error { return nil })
	if !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("ListFunc missing dir: %v", err)
	}
}
