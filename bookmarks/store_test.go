package bookmarks

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
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
	// Windows has ACLs, not modes (Go reports 0666 for every writable file).
	if err != nil || fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows" {
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

func TestStoreNewerSchemaIsLeftUntouched(t *testing.T) {
	s := newStore(t)
	content := []byte(`{"schema": 2, "folders": [], "sites": [], "future": true}`)
	os.WriteFile(s.Path(), content, 0o600)
	_, err := s.Load()
	var se *SchemaError
	if !errors.As(err, &se) || se.Found != 2 {
		t.Fatalf("Load: %v", err)
	}
	if _, err := s.AddFolder(RootID, "x"); !errors.As(err, &se) {
		t.Fatalf("AddFolder: %v", err)
	}
	if now, _ := os.ReadFile(s.Path()); string(now) != string(content) {
		t.Fatal("a newer file was rewritten")
	}
}

func TestStoreHugeFiles(t *testing.T) {
	s := newStore(t)
	// Many sites: written and read back whole.
	const n = 5000
	_, err := s.Update(func(tr *Tree) error {
		for i := range n {
			if _, err := tr.AddSite(RootID, Site{Name: "site " + strconv.Itoa(i), Host: "h.example", User: "u",
				Comments: strings.Repeat("x", 100)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tree, err := s.Load()
	if err != nil || len(tree.Sites()) != n {
		t.Fatalf("%v, %d sites", err, len(tree.Sites()))
	}
	// Beyond MaxFileSize: reported, not read, not touched.
	f, _ := os.Create(s.Path())
	f.Truncate(MaxFileSize + 1)
	f.Close()
	var ce *CorruptError
	if _, err := s.Load(); !errors.As(err, &ce) || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("Load of a huge file: %v", err)
	}
	if fi, _ := os.Stat(s.Path()); fi.Size() != MaxFileSize+1 {
		t.Fatal("the huge file was changed")
	}
}

func TestStoreUpdateErrorWritesNothing(t *testing.T) {
	s := newStore(t)
	s.AddFolder(RootID, "a")
	before, _ := os.ReadFile(s.Path())
	boom := errors.New("boom")
	if _, err := s.Update(func(tr *Tree) error { tr.AddFolder(RootID, "b"); return boom }); err != boom {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(s.Path()); string(after) != string(before) {
		t.Fatal("a failed Update wrote the file")
	}
	// Nor does a change that leaves the tree invalid.
	if _, err := s.Update(func(tr *Tree) error {
		tr.Root.Sites = append(tr.Root.Sites, &Site{ID: "x", Name: "a", Host: "h", Protocol: FTP, Security: Plain, Logon: Normal})
		return nil
	}); !errors.Is(err, ErrNameTaken) {
		t.Fatalf("invalid tree saved: %v", err)
	}
}

func TestStoreKeepsPasswordsInStep(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	s.Secrets = mockKeychain()
	f, _ := s.AddFolder(RootID, "F")
	site, _ := s.AddSite(f.ID, Site{Name: "S", Host: "h", User: "u"})
	s.Secrets.Set(ctx, site.ID, "pw")
	copyID, err := s.Duplicate(ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	tree, _ := s.Load()
	cp, err := tree.LookupSite("F (2)/S")
	if err != nil || tree.Path(copyID) != "F (2)" {
		t.Fatal(err)
	}
	if pw, _ := s.Secrets.Get(ctx, cp.ID); pw != "pw" {
		t.Fatalf("copied password %q", pw)
	}
	if err := s.Delete(ctx, site.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Secrets.Get(ctx, site.ID); !errors.Is(err, ErrNoPassword) {
		t.Fatal("the deleted site's password is still there")
	}
	// A keychain that fails: the site is deleted all the same, and the
	// error says the password may remain.
	s.Secrets = &Keychain{Service: KeychainService, b: deadBackend{}}
	err = s.Delete(ctx, cp.ID)
	if !errors.Is(err, ErrNoKeychain) {
		t.Fatalf("Delete with a dead keychain: %v", err)
	}
	if tree, _ := s.Load(); len(tree.Sites()) != 0 {
		t.Fatal("the site was not deleted")
	}
}

// A save that crashed after writing its temporary file leaves the old
// file in place; the next save cleans the temporary file up.
func TestStoreCrashedSaveLeavesOldFile(t *testing.T) {
	s := newStore(t)
	s.AddFolder(RootID, "a")
	before, _ := os.ReadFile(s.Path())
	tmp := s.Path() + ".tmp-12345"
	os.WriteFile(tmp, before[:10], 0o600)
	tree, err := s.Load()
	if err != nil || len(tree.Root.Folders) != 1 {
		t.Fatalf("Load next to a half-written temp file: %v", err)
	}
	if _, err := s.AddFolder(RootID, "b"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Fatal("stale temp file not removed")
	}
}

func TestTrustCertificate(t *testing.T) {
	s := newStore(t)
	site, _ := s.AddSite(RootID, Site{Name: "S", Host: "h"})
	for range 2 {
		if err := s.TrustCertificate(site.ID, "ab:cd:ef"); err != nil {
			t.Fatal(err)
		}
	}
	tree, _ := s.Load()
	got, _ := tree.Site(site.ID)
	if len(got.TrustedFingerprints) != 1 || got.TrustedFingerprints[0] != "AB:CD:EF" {
		t.Fatalf("%q", got.TrustedFingerprints)
	}
	if err := s.TrustCertificate("nope", "AB"); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
}
