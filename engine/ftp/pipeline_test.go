package ftp

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

// pipelineProbe makes the fake server's EPSV look, before it answers,
// whether the next command has already arrived, and records the answer per
// EPSV: true means the client sent the transfer command without waiting
// for the 229.
func pipelineProbe(s *fakeServer, wait time.Duration) func() []bool {
	var mu sync.Mutex
	var seen []bool
	s.on("EPSV", func(fs *fakeSession, arg string) bool {
		fs.c.SetReadDeadline(time.Now().Add(wait))
		_, err := fs.r.Peek(1)
		fs.c.SetReadDeadline(time.Time{})
		mu.Lock()
		seen = append(seen, err == nil)
		mu.Unlock()
		fs.builtin("EPSV", arg)
		return true
	})
	return func() []bool {
		mu.Lock()
		defer mu.Unlock()
		return append([]bool(nil), seen...)
	}
}

func TestEPSVLeadsThePipelineOnceItWorked(t *testing.T) {
	s := newFakeServer(t, "SIZE", "REST STREAM")
	s.put("/a", []byte("first file"))
	s.put("/b", []byte("second file"))
	seen := pipelineProbe(s, 300*time.Millisecond)
	c := dialFake(t, s, nil)
	ctx := context.Background()
	for _, p := range []string{"/a", "/b", "/a"} {
		var b bytes.Buffer
		if _, err := c.Retrieve(ctx, p, 0, &b); err != nil {
			t.Fatalf("Retrieve %s: %v", p, err)
		}
		if want, _ := s.get(p); !bytes.Equal(b.Bytes(), want) {
			t.Fatalf("%s: got %q", p, b.Bytes())
		}
	}
	// A resume must see REST's 350 before RETR goes out: no pipeline.
	if got := retrieveString(t, c, "/b", 7); got != "file" {
		t.Fatalf("resumed /b: %q", got)
	}
	want := []bool{false, true, true, false}
	if got := seen(); !slices.Equal(got, want) {
		t.Fatalf("RETR sent before the 229 answer, per EPSV: %v, want %v", got, want)
	}
	if v := s.verbs(); !strings.HasSuffix(v, "EPSV RETR SIZE EPSV RETR SIZE EPSV RETR SIZE SIZE EPSV REST RETR") {
		t.Fatalf("commands: %s", v)
	}
}

// TestPipelinedEPSVRefusedIsRetriedOneAtATime: an EPSV refused (425) when
// it led a pipeline, with the RETR sent along answered too, leaves the
// connection in step: the transfer is set up again one command at a time,
// and pipelining stays off for the site.
func TestPipelinedEPSVRefusedIsRetriedOneAtATime(t *testing.T) {
	s := newFakeServer(t, "SIZE")
	s.put("/a", []byte("data"))
	onEPSV(s, func(fs *fakeSession, arg string, n int) {
		if n != 2 {
			fs.builtin("EPSV", arg)
		} else {
			fs.reply("425 Cannot open passive connection.")
		}
	})
	s.on("RETR", func(fs *fakeSession, arg string) bool {
		if fs.pasv == nil {
			fs.reply("425 Use PORT or PASV first.")
			return true
		}
		return false
	})
	c := dialFake(t, s, nil)
	ctx := context.Background()
	for i := range 3 {
		start := time.Now()
		if got := retrieveString(t, c, "/a", 0); got != "data" {
			t.Fatalf("retrieve %d: %q", i, got)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("retrieve %d took %v: the client waited for a reply out of step", i, d)
		}
	}
	if !c.Alive() || !c.mem.Has(engine.NoPipeline) {
		t.Fatalf("alive %v, pipelining off %v", c.Alive(), c.mem.Has(engine.NoPipeline))
	}
	if v := s.verbs(); !strings.HasSuffix(v, "EPSV RETR SIZE EPSV RETR EPSV RETR SIZE EPSV RETR SIZE") {
		t.Fatalf("commands: %s", v)
	}
	if _, err := c.Retrieve(ctx, "/missing", 0, &bytes.Buffer{}); !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("a later command is out of step: %v", err)
	}
}

// TestOne502ForAPipelinedWriteIsRetriedOneAtATime: a server that reads
// "EPSV\r\nRETR f" as one bad command answers one 502 for both; the
// transfer is retried one command at a time on the same connection (after
// a short wait for a second reply that does not come), and the site's
// other connections never pipeline.
func TestOne502ForAPipelinedWriteIsRetriedOneAtATime(t *testing.T) {
	s := newFakeServer(t, "SIZE")
	s.put("/a", []byte("data"))
	s.on("EPSV", func(fs *fakeSession, arg string) bool {
		fs.c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		_, err := fs.r.Peek(1)
		fs.c.SetReadDeadline(time.Time{})
		if err == nil { // the transfer command came in the same write
			fs.r.ReadString('\n')
			fs.reply("502 Command not implemented.")
			return true
		}
		return false
	})
	mem := new(engine.SiteMemory)
	site := func(cfg *engine.Config) { cfg.Memory = mem }
	c := dialFake(t, s, site)
	for i := range 3 {
		if got := retrieveString(t, c, "/a", 0); got != "data" {
			t.Fatalf("retrieve %d: %q", i, got)
		}
	}
	if !c.Alive() || !mem.Has(engine.NoPipeline) {
		t.Fatalf("alive %v, pipelining off for the site %v", c.Alive(), mem.Has(engine.NoPipeline))
	}
	seen := pipelineProbe(s, 200*time.Millisecond)
	c2 := dialFake(t, s, site)
	for range 2 {
		if got := retrieveString(t, c2, "/a", 0); got != "data" {
			t.Fatalf("second connection: %q", got)
		}
	}
	if got := seen(); !slices.Equal(got, []bool{false, false}) {
		t.Fatalf("RETR sent before the 229 answer, per EPSV: %v: the site's memory was not used", got)
	}
}

// Some embedded servers read one command per packet and drop the rest. The
// first time a command sent along with EPSV goes unanswered, the server is
// remembered and gets one command at a time.
func TestServerThatDropsPipelinedCommandGetsOneAtATime(t *testing.T) {
	s := newFakeServer(t, "SIZE")
	s.put("/a", []byte("data"))
	onEPSV(s, func(fs *fakeSession, arg string, n int) {
		fs.builtin("EPSV", arg)
		if n == 2 { // drop whatever came with it
			fs.c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
			if _, err := fs.r.Peek(1); err == nil {
				fs.r.Discard(fs.r.Buffered())
			}
			fs.c.SetReadDeadline(time.Time{})
		}
	})
	mem := new(engine.SiteMemory)
	short := func(cfg *engine.Config) { cfg.Timeout, cfg.Memory = 500*time.Millisecond, mem }
	c := dialFake(t, s, short)
	if got := retrieveString(t, c, "/a", 0); got != "data" {
		t.Fatalf("first: %q", got)
	}
	if _, err := c.Retrieve(context.Background(), "/a", 0, &bytes.Buffer{}); err == nil {
		t.Fatal("the dropped RETR got an answer")
	}
	seen := pipelineProbe(s, 300*time.Millisecond)
	c2 := dialFake(t, s, short)
	for range 2 {
		if got := retrieveString(t, c2, "/a", 0); got != "data" {
			t.Fatalf("after reconnecting: %q", got)
		}
	}
	if got := seen(); !slices.Equal(got, []bool{false, false}) {
		t.Fatalf("RETR sent before the 229 answer, per EPSV: %v: the server was not remembered", got)
	}
}

// Servers that lftp keeps in sync mode because they mishandle pipelined
// commands never get a pipeline.
func TestKnownOneCommandServersGetNoPipeline(t *testing.T) {
	for _, banner := range []string{"220 Microsoft FTP Service", "220 MikroTik FTP server (MikroTik 6.49) ready"} {
		t.Run(banner, func(t *testing.T) {
			s := newFakeServer(t, "SIZE")
			s.greeting = banner
			s.put("/a", []byte("data"))
			seen := pipelineProbe(s, 200*time.Millisecond)
			c := dialFake(t, s, nil)
			for range 2 {
				if got := retrieveString(t, c, "/a", 0); got != "data" {
					t.Fatalf("got %q", got)
				}
			}
			if got := seen(); !slices.Equal(got, []bool{false, false}) {
				t.Fatalf("RETR sent before the 229 answer, per EPSV: %v", got)
			}
		})
	}
}

// onEPSV answers the server's EPSV commands with h, which is told which
// EPSV of the test (1, 2, ...) it answers.
func onEPSV(s *fakeServer, h func(fs *fakeSession, arg string, n int)) {
	var mu sync.Mutex
	n := 0
	s.on("EPSV", func(fs *fakeSession, arg string) bool {
		mu.Lock()
		n++
		k := n
		mu.Unlock()
		h(fs, arg, k)
		return true
	})
}
