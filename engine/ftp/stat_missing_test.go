package ftp

import (
	"context"
	"errors"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
)

// TestStatMissingPathWhoseParentListingFails451: SIZE and CWD say 550 for
// a path whose folder does not exist, and the parent's listing (the last
// resort) fails with ftp-srv's "451 ENOENT: no such file or directory" (it
// answers every file-system error 451). The path is not found — the 550
// the server gave for it — not a temporary failure that fails an upload
// into a folder put would have created.
func TestStatMissingPathWhoseParentListingFails451(t *testing.T) {
	s := newFakeServer(t, "SIZE")
	s.on("LIST", func(fs *fakeSession, arg string) bool {
		fs.reply("451 ENOENT: no such file or directory, stat '/srv/up'")
		return true
	})
	c := dialFake(t, s, nil)
	_, err := c.Stat(context.Background(), "/up/put.bin")
	if !errors.Is(err, engine.ErrNotFound) || engine.ReplyCode(err) != 550 {
		t.Fatalf("Stat: %v (code %d); want ErrNotFound with the server's 550", err, engine.ReplyCode(err))
	}
	if !c.Alive() {
		t.Fatal("the connection died")
	}
}
