package bookmarks

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func newStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStoreRoundTrip(t *testing.T) {
	s := newStore(t)
	work, err := s.AddFolder(RootID, "Work")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := s.AddFolder(work.ID, "Sub/Web")
	if err != nil {
		t.Fatal(err)
	}
	in := Site{Name: "Web server", Host: "ftp.example.com", Port: 2121, Security: TLSExplicit, Logon: Account,
		User: "bob", Account: "acct", VirtualHost: "www.example.com", RemoteDir: "/www", LocalDir: "/home/bob/www",
		Mode: ModePassive, MaxConnections: 3, TZOffsetMin: -90, Charset: "ISO-8859-1", Colour: "blue",
		Comments: "line 1\nline \"2\" ünïcode", TrustedFingerprints: []string{"AB:CD"}}
	added, err := s.AddSite(sub.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if added.ID == "" || added.Protocol != FTP {
		t.Fatalf("added %+v", added)
	}
	s2, _ := Open(s.Dir())
	tree, err := s2.Load()
	if err != nil {
		t.Fatal(err)
	}
	got, err := tree.LookupSite(`Work/Sub\/Web/Web server`)
	if err != nil {
		t.Fatal(err)
	}
	want := in
	want.ID, want.Protocol = added.ID, FTP
	if got.Comments != want.Comments || got.TZOffsetMin != -90 || got.TrustedFingerprints[0] != "AB:CD" || got.ID != want.ID {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if p := tree.Path(added.ID); p != `Work/Sub\/Web/Web server` {
		t.Fatalf("path %q", p)
	}
	fi, err := os.Stat(s.Path())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", fi.Mode(), err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), BackupName)); err != nil {
		t.Fatalf("no backup after the second save: %v", err)
	}
}

func TestStoreCorruptIsLeftUntouched(t *testing.T) {
	s := newStore(t)
	if _, err := s.AddSite(RootID, Site{Name: "a", Host: "a.example"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSite(RootID, Site{Name: "b", Host: "b.example"}); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(s.Path())
	for name, content := range map[string][]byte{
		"empty":     {},
		"truncated": good[:len(good)/2],
		"garbage":   []byte("\x00\x01not json"),
		"no schema": []byte(`{"sites":[]}`),
		"bad site":  []byte(`{"schema":1,"sites":[{"id":"x","name":"n","host":"","protocol":"ftp"}]}`),
		"dup ids":   []byte(`{"schema":1,"sites":[{"id":"x","name":"n","host":"h","protocol":"ftp","security":"auto","logon":"normal"},{"id":"x","name":"m","host":"h","protocol":"ftp","security":"auto","logon":"normal"}]}`),
	} {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(s.Path(), content, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := s.Load()
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("Load: %v, want *CorruptError", err)
			}
			if ce.Backup == "" {
				t.Fatalf("no backup offered: %v", err)
			}
			if _, err := s.AddSite(RootID, Site{Name: "c", Host: "c.example"}); !errors.As(err, &ce) {
				t.Fatalf("AddSite on a corrupt file: %v", err)
			}
			if now, _ := os.ReadFile(s.Path()); string(now) != string(content) {
				t.Fatal("the corrupt file was changed")
			}
		})
	}
	tree, err := s.RestoreBackup()
	if err != nil {
		t.Fatal(err)
	}
	if len(tree.Sites()) != 1 { // the backup is the version before "b"
		t.Fatalf("restored %d sites", len(tree.Sites()))
	}
	matches, _ := filepath.Glob(s.Path() + ".broken-*")
	if len(matches) != 1 {
		t.Fatalf("broken file not kept: %v", matches)
	}
}
