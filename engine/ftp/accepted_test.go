package ftp

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
)

// A STOR answered 2xx without 1xx moved no byte: it is never a finished
// upload of a non-empty file, and the error is temporary (retried).
func TestStoreAnswered2xxWithout1xxIsNeverDone(t *testing.T) {
	s := newFakeServer(t)
	s.on("STOR", func(fs *fakeSession, arg string) bool {
		fs.closeData()
		fs.reply("226 Transfer complete.")
		return true
	})
	c := dialFake(t, s, nil)
	_, err := c.Store(context.Background(), "/up.txt", 0, strings.NewReader("hello"))
	if !errors.Is(err, engine.ErrShort) || !engine.IsTemporary(err) || !strings.Contains(err.Error(), "226") {
		t.Fatalf("err %v, want a temporary ErrShort quoting the 226", err)
	}
	if _, ok := s.get("/up.txt"); ok {
		t.Fatal("a file appeared")
	}
}

// TransferTrace.Accepted fires on the 1xx of a transfer, and only then: a
// STOR refused with 425 has not touched the remote file.
func TestAcceptedIsCalledOnlyAfterThe1xx(t *testing.T) {
	s := newFakeServer(t)
	var refuse atomic.Bool
	refuse.Store(true)
	s.on("STOR", func(fs *fakeSession, arg string) bool {
		if !refuse.Load() {
			return false
		}
		fs.closeData()
		fs.reply("425 Can't open data connection.")
		return true
	})
	c := dialFake(t, s, nil)
	accepted := 0
	ctx := engine.WithTransferTrace(context.Background(), &engine.TransferTrace{Accepted: func() { accepted++ }})
	if _, err := c.Store(ctx, "/up.txt", 0, strings.NewReader("hello")); err == nil || accepted != 0 {
		t.Fatalf("refused STOR: err %v, accepted %d", err, accepted)
	}
	refuse.Store(false)
	if _, err := c.Store(ctx, "/up.txt", 0, strings.NewReader("hello")); err != nil || accepted != 1 {
		t.Fatalf("STOR: err %v, accepted %d", err, accepted)
	}
	var buf strings.Builder
	if _, err := c.Retrieve(ctx, "/up.txt", 0, &buf); err != nil || accepted != 2 || buf.String() != "hello" {
		t.Fatalf("RETR: err %v, accepted %d, got %q", err, accepted, buf.String())
	}
}
