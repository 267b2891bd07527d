package bookmarks

import (
	"errors"
	"slices"
	"testing"
)

func TestPathEscaping(t *testing.T) {
	tests := []struct {
		path  string
		names []string
	}{
		{"Work/Web server", []string{"Work", "Web server"}},
		{`A\/B/C`, []string{"A/B", "C"}},
		{`back\\slash/x`, []string{`back\slash`, "x"}},
		{"/lead//double/", []string{"lead", "double"}},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := SplitPath(tt.path); !slices.Equal(got, tt.names) {
				t.Fatalf("SplitPath = %q, want %q", got, tt.names)
			}
			if tt.names != nil && SplitPath(JoinPath(tt.names...)) == nil {
				t.Fatal("JoinPath does not round trip")
			}
			if got := SplitPath(JoinPath(tt.names...)); !slices.Equal(got, tt.names) {
				t.Fatalf("round trip = %q", got)
			}
		})
	}
}

func TestTreeOperations(t *testing.T) {
	tr := NewTree()
	work, _ := tr.AddFolder(RootID, "Work")
	sub, _ := tr.AddFolder(work.ID, "Sub")
	web, err := tr.AddSite(sub.ID, Site{Name: "Web", Host: "h", User: "u"})
	if err != nil {
		t.Fatal(err)
	}
	if web.Logon != Normal || web.Security != TLSIfAvailable || web.Protocol != FTP {
		t.Fatalf("defaults: %+v", web)
	}
	if _, err := tr.AddSite(sub.ID, Site{Name: "Web", Host: "h2"}); !errors.Is(err, ErrNameTaken) {
		t.Fatalf("same name: %v", err)
	}
	if _, err := tr.AddFolder(sub.ID, "Web"); !errors.Is(err, ErrNameTaken) {
		t.Fatalf("folder named like a site: %v", err)
	}
	if _, err := tr.AddSite(sub.ID, Site{Name: "Bad", Host: "h", Mode: "sideways"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad mode: %v", err)
	}
	if _, err := tr.AddSite(sub.ID, Site{Name: "bad\nname", Host: "h"}); !errors.Is(err, ErrBadName) {
		t.Fatalf("control character: %v", err)
	}
	id := web.ID
	if err := tr.Rename(id, "Web 2"); err != nil || tr.Path(id) != "Work/Sub/Web 2" {
		t.Fatalf("rename: %v %q", err, tr.Path(id))
	}
	if err := tr.Move(id, RootID); err != nil || tr.Path(id) != "Web 2" {
		t.Fatalf("move: %v %q", err, tr.Path(id))
	}
	if s, _ := tr.Site(id); s.ID != id {
		t.Fatal("the ID changed")
	}
	if err := tr.Move(work.ID, sub.ID); !errors.Is(err, ErrCycle) {
		t.Fatalf("folder into its own child: %v", err)
	}
	if err := tr.Move(work.ID, work.ID); !errors.Is(err, ErrCycle) {
		t.Fatalf("folder into itself: %v", err)
	}
	if err := tr.Move(sub.ID, RootID); err != nil || tr.Path(sub.ID) != "Sub" {
		t.Fatalf("folder move: %v", err)
	}
	tr.AddSite(sub.ID, Site{Name: "In sub", Host: "h"})
	dupID, ids, err := tr.Duplicate(sub.ID)
	if err != nil || tr.Path(dupID) != "Sub (2)" || len(ids) != 1 {
		t.Fatalf("duplicate folder: %v %q %v", err, tr.Path(dupID), ids)
	}
	for from, to := range ids {
		if from == to || !tr.IsFolder(dupID) {
			t.Fatal("duplicate kept a site ID")
		}
		if tr.Path(to) != "Sub (2)/In sub" {
			t.Fatalf("copy at %q", tr.Path(to))
		}
	}
	sid, _, _ := tr.Duplicate(id)
	if tr.Path(sid) != "Web 2 (2)" {
		t.Fatalf("duplicate site at %q", tr.Path(sid))
	}
	gone, err := tr.Delete(dupID)
	if err != nil || len(gone) != 1 {
		t.Fatalf("delete folder: %v %v", gone, err)
	}
	if got := tr.Children(RootID); len(got) != 4 { // Work, Sub, Web 2, Web 2 (2)
		t.Fatalf("root children %v", got)
	}
	if err := tr.check(); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Delete("nope"); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
}
