package mirror

import (
	"path/filepath"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
)

// TestStateFileIsOnePerPair: the pair's direction, site, remote folder and
// local folder each make another file; the same four, the same file.
func TestStateFileIsOnePerPair(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	site := engine.SiteKey{Host: "h", Port: 21}
	base, err := StateFile(Up, false, site, "/r", "/l")
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := StateFile(Up, false, site, "/r", "/l"); again != base {
		t.Fatalf("same pair, two files: %s, %s", base, again)
	}
	if filepath.Base(filepath.Dir(base)) != "sync" {
		t.Fatalf("%s is not in the sync folder", base)
	}
	for name, f := range map[string]func() (string, error){
		"direction": func() (string, error) { return StateFile(Down, false, site, "/r", "/l") },
		"site":      func() (string, error) { return StateFile(Up, false, engine.SiteKey{Host: "h", Port: 2121}, "/r", "/l") },
		"remote":    func() (string, error) { return StateFile(Up, false, site, "/r2", "/l") },
		"local":     func() (string, error) { return StateFile(Up, false, site, "/r", "/l2") },
		"two-way":   func() (string, error) { return StateFile(Up, true, site, "/r", "/l") },
	} {
		if other, err := f(); err != nil || other == base {
			t.Errorf("another %s, same file %s (%v)", name, other, err)
		}
	}
}
