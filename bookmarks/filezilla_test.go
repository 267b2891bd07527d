package bookmarks

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDecodeFileZillaPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1 0 3 www 4 html", "/www/html"},
		{"1 0", "/"},
		{"1 0 9 my folder 3 sub", "/my folder/sub"},
		{"1 0 5 ü ö a", "/ü ö a"},
		{"3 0 2 C: 4 data", `C:\data`},
		{"3 0 2 C:", `C:\`},
		{"2 5 DISK: 3 USR 4 BOB1", "DISK:[USR.BOB1]"},
		{"0 0 1 a", "/a"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := DecodeFileZillaPath(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "x", "1", "1 0 9 short", "1 0 3wwww", "1 0 3 www extra"} {
		t.Run("bad "+bad, func(t *testing.T) {
			if got, err := DecodeFileZillaPath(bad); err == nil {
				t.Fatalf("decoded %q as %q", bad, got)
			}
		})
	}
}

func TestParseFileZilla(t *testing.T) {
	f, err := os.Open("testdata/sitemanager.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	imp, err := ParseFileZilla(f)
	if err != nil {
		t.Fatal(err)
	}
	site := func(path string) *Site {
		t.Helper()
		s, err := imp.Tree.LookupSite(path)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	top := site("Top level")
	if top.Host != "ftp.example.com" || top.Port != 21 || top.Security != TLSIfAvailable || top.Logon != Normal ||
		top.RemoteDir != "/www/html" || top.TZOffsetMin != 90 || top.MaxConnections != 3 || top.Colour != "blue" ||
		top.Comments != "first line\nsecond & line" || top.LocalDir != `C:\Users\alice\www` || top.Charset != "" {
		t.Errorf("Top level: %+v", top)
	}
	if imp.passwords[top.ID] != "s3cret-Alice!" {
		t.Errorf("Top level password not decoded")
	}
	impl := site(`Work/Clients & Partners/Implicit \/ Müller "GmbH"`)
	if impl.Security != TLSImplicit || impl.Port != 990 || impl.Logon != Account || impl.Account != "acct-42" ||
		impl.Mode != ModePassive || impl.Charset != "ISO-8859-1" || impl.Colour != "orange" || impl.RemoteDir != "/my folder/sub" || impl.TZOffsetMin != -120 {
		t.Errorf("implicit: %+v", impl)
	}
	ask := site("Work/Clients & Partners/Explicit, ask")
	if ask.Security != TLSExplicit || ask.Logon != Ask || ask.Mode != ModeActive || ask.Charset != "UTF-8" || ask.RemoteDir != `C:\data` {
		t.Errorf("explicit: %+v", ask)
	}
	if plain := site("Work/Plain anonymous"); plain.Security != Plain || plain.Logon != Anonymous {
		t.Errorf("plain: %+v", plain)
	}
	if in := site("Work/Interactive"); in.Logon != Interactive || in.MaxConnections != 10 {
		t.Errorf("interactive: %+v", in)
	}
	if sftp := site("Work/SFTP with key"); sftp.Protocol != SFTP || sftp.Logon != KeyFile || sftp.KeyFile != "/home/erin/.ssh/id_ed25519" {
		t.Errorf("sftp: %+v", sftp)
	}
	if sftp := site("Work/SFTP with key"); len(imp.notes[sftp.ID]) != 0 {
		t.Errorf("SFTP site imported with notes %q: it connects like any other", imp.notes[sftp.ID])
	}
	master := site("Work/Master password protected")
	if _, ok := imp.passwords[master.ID]; ok {
		t.Error("a crypt password was imported")
	}
	if old := site("Legacy/Old text-named site"); imp.passwords[old.ID] != "plain-old-pw" {
		t.Error("plain-text password of an old FileZilla not imported")
	}
	site("Legacy/Duplicate")
	site("Legacy/Duplicate (2)")
	if emoji := site("Legacy/日本語 🚀 site"); imp.passwords[emoji.ID] != "🔑päss" || emoji.User != "ünï" || emoji.RemoteDir != "" {
		t.Errorf("emoji: %+v", emoji)
	}

	notes := map[string]string{}
	for _, im := range imp.Summary.Imported {
		notes[im.Path] = strings.Join(im.Notes, "; ")
	}
	for path, want := range map[string]string{
		"Work/Master password protected":        "master password",
		"Work/Interactive":                      "lowered to 10",
		"Work/Clients & Partners/Explicit, ask": "synchronized browsing",
		"Legacy/日本語 🚀 site":                     "could not be decoded",
	} {
		if !strings.Contains(notes[path], want) {
			t.Errorf("notes for %s = %q, want %q", path, notes[path], want)
		}
	}
	var skipped []string
	for _, s := range imp.Summary.Skipped {
		skipped = append(skipped, s.Path+": "+s.Reason)
	}
	want := []string{
		"Legacy/An HTTP site: HTTP is not supported by Skiff",
		"Legacy/S3 bucket: S3 is not supported by Skiff",
		"Legacy/Future protocol: protocol 99 is not supported by Skiff",
		"Legacy/No host: no host",
	}
	if !slices.Equal(skipped, want) {
		t.Errorf("skipped:\n%s\nwant:\n%s", strings.Join(skipped, "\n"), strings.Join(want, "\n"))
	}
	if n := len(imp.Summary.Imported); n != 11 {
		t.Errorf("imported %d sites, want 11", n)
	}
	if !strings.Contains(imp.Summary.String(), "Imported 11 site(s) in 3 folder(s); skipped 4.") {
		t.Errorf("summary:\n%s", imp.Summary.String())
	}
}

func TestParseFileZillaRejectsOtherFiles(t *testing.T) {
	for name, in := range map[string]string{
		"not xml":    "hello",
		"other root": `<?xml version="1.0"?><FileZilla2><Servers/></FileZilla2>`,
		"truncated":  `<?xml version="1.0"?><FileZilla3><Servers><Server><Host>a`,
		"empty":      "",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseFileZilla(strings.NewReader(in)); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

// TestImportFileZillaKeepsPasswordsOnlyInKeychain imports, exports, adds
// history and backups, then scans every file Skiff wrote for the passwords.
func TestImportFileZillaKeepsPasswordsOnlyInKeychain(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	s.Secrets = mockKeychain()
	existing, _ := s.AddFolder(RootID, "Legacy")
	if _, err := s.AddSite(existing.ID, Site{Name: "Duplicate", Host: "mine.example.com"}); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open("testdata/sitemanager.xml")
	defer f.Close()
	sum, err := s.ImportFileZilla(ctx, f, RootID)
	if err != nil {
		t.Fatal(err)
	}
	tree, _ := s.Load()
	top, err := tree.LookupSite("Top level")
	if err != nil {
		t.Fatal(err)
	}
	if pw, err := s.Secrets.Get(ctx, top.ID); pw != "s3cret-Alice!" || err != nil {
		t.Fatalf("keychain has %q, %v", pw, err)
	}
	if _, err := tree.LookupSite("Legacy/Duplicate (3)"); err != nil {
		t.Fatalf("merged folder lacks the renamed duplicate: %v\n%s", err, sum)
	}
	if !strings.Contains(sum.String(), "Legacy/Duplicate (2): saved as") {
		t.Errorf("summary does not mention the rename:\n%s", sum)
	}
	if !strings.Contains(sum.String(), "password moved into the keychain") {
		t.Errorf("summary:\n%s", sum)
	}
	ex, _ := os.Create(filepath.Join(s.Dir(), "export.json"))
	if err := s.Export(ex, RootID); err != nil {
		t.Fatal(err)
	}
	ex.Close()
	if err := s.AddHistory(HistoryEntry{Host: "ftp.example.com", User: "alice"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Rename(top.ID, "Renamed"); err != nil { // writes the backup too
		t.Fatal(err)
	}
	scanForSecrets(t, s.Dir(), "s3cret-Alice!", "bob-pw", "plain-old-pw", "🔑päss")
	if _, err := os.Stat(filepath.Join(s.Dir(), BackupName)); err != nil {
		t.Fatal("no backup was scanned")
	}

	// Re-reading the export gives the same tree.
	ex, _ = os.Open(filepath.Join(s.Dir(), "export.json"))
	defer ex.Close()
	back, err := ReadExport(ex)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Sites()) != len(tree.Sites()) {
		t.Fatalf("export has %d sites, store %d", len(back.Sites()), len(tree.Sites()))
	}
}

func TestImportFileZillaWithoutKeychain(t *testing.T) {
	s := newStore(t)
	f, _ := os.Open("testdata/sitemanager.xml")
	defer f.Close()
	sum, err := s.ImportFileZilla(context.Background(), f, RootID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sum.String(), "password not saved: no keychain") {
		t.Fatalf("summary:\n%s", sum)
	}
	scanForSecrets(t, s.Dir(), "s3cret-Alice!", "bob-pw", "plain-old-pw")
}

func TestImportFileZillaKeychainFailure(t *testing.T) {
	s := newStore(t)
	s.Secrets = &Keychain{Service: KeychainService, b: deadBackend{}}
	f, _ := os.Open("testdata/sitemanager.xml")
	defer f.Close()
	sum, err := s.ImportFileZilla(context.Background(), f, RootID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sum.String(), "password not saved (cannot save the password in the keychain") || len(sum.Imported) != 11 {
		t.Fatalf("summary:\n%s", sum)
	}
	scanForSecrets(t, s.Dir(), "s3cret-Alice!", "bob-pw", "plain-old-pw")
}

// deadBackend is a machine without a Secret Service.
type deadBackend struct{ mockBackend }

func (deadBackend) probe() (bool, error) {
	return false, &KeychainError{Err: ErrNoKeychain, Cause: errors.New("no bus")}
}

func TestImportFileZillaMasterPassword(t *testing.T) {
	s := newStore(t)
	s.Secrets = mockKeychain()
	f, _ := os.Open("testdata/sitemanager-master.xml")
	defer f.Close()
	sum, err := s.ImportFileZilla(context.Background(), f, RootID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Imported) != 2 || len(sum.Skipped) != 0 {
		t.Fatalf("summary:\n%s", sum)
	}
	for _, im := range sum.Imported {
		if !strings.Contains(strings.Join(im.Notes, ";"), "master password") {
			t.Errorf("%s: notes %q", im.Path, im.Notes)
		}
		if _, err := s.Secrets.Get(context.Background(), im.ID); !errors.Is(err, ErrNoPassword) {
			t.Errorf("%s: an encrypted password reached the keychain: %v", im.Path, err)
		}
	}
	tree, _ := s.Load()
	if two, err := tree.LookupSite("Protected/Two"); err != nil || two.Security != TLSImplicit || two.Logon != Account || two.Account != "acct" {
		t.Fatalf("Two: %+v %v", two, err)
	}
	scanForSecrets(t, s.Dir(), "Qm9ndXMtY2lwaGVydGV4dC1ub3QtYS1wYXNzd29yZA==", "Yy8x5Hn3sQd1L2oZk0Xb8w9TfJ7rG4pV6mC0aE2uW1iO3yN5tR8hK7jD9sF4gB6lP2qM0vX1zA3cU5eY7wI9oT==")
}

func TestExportImportRoundTrip(t *testing.T) {
	src := newStore(t)
	f, _ := os.Open("testdata/sitemanager.xml")
	src.ImportFileZilla(context.Background(), f, RootID)
	f.Close()
	var buf strings.Builder
	if err := src.Export(&buf, RootID); err != nil {
		t.Fatal(err)
	}
	exported, err := ReadExport(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	dst := newStore(t)
	sum, err := dst.ImportTree(exported, RootID)
	if err != nil || len(sum.Imported) != 11 {
		t.Fatalf("%v\n%s", err, sum)
	}
	a, _ := src.Load()
	b, _ := dst.Load()
	for _, s := range a.Sites() {
		got, ok := b.Site(s.ID)
		if !ok || got.Host != s.Host || a.Path(s.ID) != b.Path(s.ID) || got.RemoteDir != s.RemoteDir {
			t.Errorf("%s did not round trip: %+v", a.Path(s.ID), got)
		}
	}
	// Into its own store: copies with new IDs and free names.
	sum, err = src.ImportTree(exported, RootID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sum.String(), `saved as "Top level (2)"`) {
		t.Fatalf("summary:\n%s", sum)
	}
	if tree, _ := src.Load(); len(tree.Sites()) != 22 {
		t.Fatalf("%d sites", len(tree.Sites()))
	}
}
