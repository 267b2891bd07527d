package ftp

import (
	"context"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/engine/listing"
)

// TestStatTellsAFolderFromAFile: a folder is a folder whatever SIZE says of
// it (213 4096 is common, 213 1 hostile): MLST decides where offered, else
// CWD; SIZE and MDTM describe only what CWD refused.
func TestStatTellsAFolderFromAFile(t *testing.T) {
	for _, tt := range []struct {
		name     string
		feat     []string
		size     string // SIZE reply for /tree
		dir      bool   // CWD /tree works
		mlst     string // MLST reply for /tree, "" when not offered
		want     listing.Type
		wantSize bool // SIZE asked
	}{
		{"MLST type=dir, SIZE 213 4096", []string{"MLST type*;size*;"}, "213 4096", true,
			"250-Listing /tree\r\n type=dir;size=4096; /tree\r\n250 End", listing.Dir, false},
		{"MLST type=file", []string{"MLST type*;size*;"}, "213 4096", false,
			"250-Listing /tree\r\n type=file;size=4096; /tree\r\n250 End", listing.File, false},
		{"SIZE 213 4096, CWD works", []string{"SIZE"}, "213 4096", true, "", listing.Dir, true},
		{"SIZE 213 1, CWD works", []string{"SIZE"}, "213 1", true, "", listing.Dir, true},
		{"SIZE 213 10, CWD refused", []string{"SIZE"}, "213 10", false, "", listing.File, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newFakeServer(t, tt.feat...)
			if tt.dir {
				s.setup(func() { s.dirs["/tree"] = true })
			}
			s.on("SIZE", func(fs *fakeSession, arg string) bool { fs.reply("%s", tt.size); return true })
			if tt.mlst != "" {
				s.on("MLST", func(fs *fakeSession, arg string) bool { fs.reply("%s", tt.mlst); return true })
			}
			c := dialFake(t, s, nil)
			e, err := c.Stat(context.Background(), "/tree")
			if err != nil || e.Type != tt.want {
				t.Fatalf("Stat: %v %v, want %v\ncommands: %s", e.Type, err, tt.want, s.verbs())
			}
			if got := strings.Contains(s.verbs(), "SIZE"); got != tt.wantSize {
				t.Fatalf("SIZE asked: %v; commands: %s", got, s.verbs())
			}
		})
	}
}
