package ftp

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
)

// TestRESTRefusedIsLearnedForTheSite: a 502 to REST is ErrNoRestart (with
// the server's reply), and after it no connection of the site sends REST
// again; the caller starts over from 0, which works. An upload without
// REST STREAM whose APPE is refused is ErrNoRestart too.
func TestRESTRefusedIsLearnedForTheSite(t *testing.T) {
	s := newFakeServer(t, "SIZE", "REST STREAM")
	s.put("/f", []byte("0123456789"))
	s.on("REST", func(fs *fakeSession, arg string) bool {
		fs.reply("502 REST not implemented.")
		return true
	})
	mem := new(engine.SiteMemory)
	site := func(cfg *engine.Config) { cfg.Memory = mem }
	c := dialFake(t, s, site)
	ctx := context.Background()
	_, err := c.Retrieve(ctx, "/f", 4, &bytes.Buffer{})
	if !errors.Is(err, engine.ErrNoRestart) || engine.ReplyCode(err) != 502 || !c.Alive() {
		t.Fatalf("Retrieve from 4: %v (code %d, alive %v); want ErrNoRestart with the 502", err, engine.ReplyCode(err), c.Alive())
	}
	if got := retrieveString(t, c, "/f", 0); got != "0123456789" {
		t.Fatalf("from 0: %q", got)
	}
	c2 := dialFake(t, s, site)
	if _, err := c2.Retrieve(ctx, "/f", 4, &bytes.Buffer{}); !errors.Is(err, engine.ErrNoRestart) {
		t.Fatalf("second connection: %v", err)
	}
	s.put("/g", []byte("0123"))
	if _, err := c2.Store(ctx, "/g", 4, strings.NewReader("456789")); err != nil {
		t.Fatalf("upload resume by APPE: %v", err)
	}
	if b, _ := s.get("/g"); string(b) != "0123456789" {
		t.Fatalf("after APPE: %q", b)
	}
	if n := strings.Count(s.verbs(), "REST"); n != 1 {
		t.Fatalf("REST sent %d times: %s", n, s.verbs())
	}

	// No REST on the site: an upload resumes with APPE; refused, it is
	// ErrNoRestart and APPE is not sent again.
	s.on("APPE", func(fs *fakeSession, arg string) bool {
		fs.reply("500 Unknown command.")
		return true
	})
	c3 := dialFake(t, s, site)
	for range 2 {
		if _, err := c3.Store(ctx, "/f", 4, strings.NewReader("456789")); !errors.Is(err, engine.ErrNoRestart) {
			t.Fatalf("upload resume with APPE refused: %v", err)
		}
	}
	if n := strings.Count(s.verbs(), "APPE"); n != 2 {
		// one from c2 (accepted by the built-in APPE), one from c3
		t.Fatalf("APPE sent %d times: %s", n, s.verbs())
	}
}
