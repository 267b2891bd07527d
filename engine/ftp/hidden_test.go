package ftp

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/engine/listing"
)

func names(es []listing.Entry) []string {
	var n []string
	for _, e := range es {
		n = append(n, e.Name)
	}
	slices.Sort(n)
	return n
}

// TestDotFilesAreListedOnLISTOnlyServers: vsftpd's plain LIST hides
// .htaccess and .well-known/; Skiff asks "LIST -a" on Unix servers, so a
// folder download brings them, and says so in HiddenListed.
func TestDotFilesAreListedOnLISTOnlyServers(t *testing.T) {
	s := newFakeServer(t)
	s.put("/www/.htaccess", []byte("deny"))
	s.setup(func() { s.dirs["/www/.well-known"] = true })
	s.put("/www/index.html", []byte("<html>"))
	c := dialFake(t, s, nil)
	es, err := c.List(context.Background(), "/www")
	if err != nil || strings.Join(names(es), " ") != ".htaccess .well-known index.html" {
		t.Fatalf("listed %v (%v)", names(es), err)
	}
	if !c.Features().HiddenListed {
		t.Fatal("HiddenListed false after LIST -a")
	}
	if !slices.Contains(s.commands(), "LIST -a /www") {
		t.Fatalf("sent %q", s.commands())
	}
}

// TestServerThatRefusesLISTaGetsPlainLIST: a server that takes -a for a
// file name (550) is listed again without it, and from then on; a name
// missing from its listings says nothing (HiddenListed false).
func TestServerThatRefusesLISTaGetsPlainLIST(t *testing.T) {
	s := newFakeServer(t)
	s.put("/www/index.html", []byte("<html>"))
	s.on("LIST", func(fs *fakeSession, arg string) bool {
		if strings.HasPrefix(arg, "-a") {
			fs.closeData()
			fs.reply("550 -a: No such file or directory.")
			return true
		}
		return false
	})
	c := dialFake(t, s, nil)
	for range 2 {
		es, err := c.List(context.Background(), "/www")
		if err != nil || len(es) != 1 || es[0].Name != "index.html" {
			t.Fatalf("listed %v (%v)", names(es), err)
		}
	}
	if c.Features().HiddenListed {
		t.Fatal("HiddenListed true on a server without LIST -a")
	}
	var lists []string
	for _, cmd := range s.commands() {
		if strings.HasPrefix(cmd, "LIST") {
			lists = append(lists, cmd)
		}
	}
	if strings.Join(lists, ",") != "LIST -a /www,LIST /www,LIST /www" {
		t.Fatalf("LIST commands %q", lists)
	}
}
