package bookmarks

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestPassphraseFollowsItsSite: a key passphrase kept in the keychain is
// copied with its site and deleted with it, as the password is.
func TestPassphraseFollowsItsSite(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	s.Secrets = mockKeychain()
	site, err := s.AddSite(RootID, Site{Name: "S", Host: "h", User: "u", Protocol: SFTP, Logon: KeyFile, KeyFile: "/k"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Secrets.Set(ctx, PassphraseID(site.ID), "phrase"); err != nil {
		t.Fatal(err)
	}
	copyID, err := s.Duplicate(ctx, site.ID)
	if err != nil {
		t.Fatal(err)
	}
	if pp, _ := s.Secrets.Get(ctx, PassphraseID(copyID)); pp != "phrase" {
		t.Fatalf("copied passphrase %q", pp)
	}
	if err := s.Delete(ctx, site.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Secrets.Get(ctx, PassphraseID(site.ID)); !errors.Is(err, ErrNoPassword) {
		t.Fatal("the deleted site's passphrase is still in the keychain")
	}
}

func TestKnownHostsPathIsNextToTheSites(t *testing.T) {
	s := newStore(t)
	if got, want := s.KnownHostsPath(), filepath.Join(filepath.Dir(s.Path()), "known_hosts"); got != want {
		t.Fatalf("KnownHostsPath = %q, want %q", got, want)
	}
}
