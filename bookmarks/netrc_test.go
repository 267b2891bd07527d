package bookmarks

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

const sampleNetrc = `# comment
machine ftp.example.com login alice password "pa ss\"word"
machine ftp.example.com login bob password bobpw account acct
macdef init
cd /pub
bin

machine other.example.com
	login carol
	password carolpw
default login anonymous password guest@example.com
`

func TestNetrcLookup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "netrc")
	os.WriteFile(path, []byte(sampleNetrc), 0o600)
	tests := []struct {
		host, user     string
		wantOK         bool
		login, pw, acc string
	}{
		{"ftp.example.com", "", true, "alice", `pa ss"word`, ""},
		{"ftp.example.com", "bob", true, "bob", "bobpw", "acct"},
		{"FTP.EXAMPLE.COM", "alice", true, "alice", `pa ss"word`, ""},
		{"other.example.com", "carol", true, "carol", "carolpw", ""},
		{"unknown.example.com", "", true, "anonymous", "guest@example.com", ""},
		{"unknown.example.com", "dave", false, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.host+" "+tt.user, func(t *testing.T) {
			e, ok, err := NetrcLookup(path, tt.host, tt.user)
			if err != nil || ok != tt.wantOK || e.Login != tt.login || e.Password != tt.pw || e.Account != tt.acc {
				t.Fatalf("got %+v %v %v", e, ok, err)
			}
		})
	}
	if _, ok, err := NetrcLookup(filepath.Join(t.TempDir(), "none"), "h", ""); ok || err != nil {
		t.Fatalf("missing file: %v %v", ok, err)
	}
	os.Chmod(path, 0o644)
	_, _, err := NetrcLookup(path, "ftp.example.com", "")
	if runtime.GOOS == "windows" {
		// No Unix modes: Go reports every file 0666, so refusing
		// "world-readable" files would refuse every netrc.
		if err != nil {
			t.Fatalf("netrc on Windows: %v", err)
		}
	} else if !errors.Is(err, ErrNetrcInsecure) {
		t.Fatalf("world-readable netrc: %v", err)
	}
}

func TestNetrcPath(t *testing.T) {
	env := map[string]string{"HOME": "/home/u"}
	get := func(k string) string { return env[k] }
	want := filepath.Join("/home/u", ".netrc")
	if runtime.GOOS == "windows" {
		want = filepath.Join("/home/u", "_netrc") // curl's name there
	}
	if p := NetrcPath(get); p != want {
		t.Fatalf("%s, want %s", p, want)
	}
	env["NETRC"] = "/x/netrc"
	if p := NetrcPath(get); p != "/x/netrc" {
		t.Fatal(p)
	}
}
