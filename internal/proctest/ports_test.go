package proctest

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBandsDoNotOverlap: two kinds of server sharing ports would take each
// other's passive ranges.
func TestBandsDoNotOverlap(t *testing.T) {
	for i, a := range Bands {
		if a.Base+a.Width > 32768 || a.Base < 1024 {
			t.Errorf("%s: %d–%d leaves 1024–32767", a.Name, a.Base, a.Base+a.Width-1)
		}
		for _, b := range Bands[i+1:] {
			if a.Base < b.Base+b.Width && b.Base < a.Base+a.Width {
				t.Errorf("%s (%d–%d) overlaps %s (%d–%d)", a.Name, a.Base, a.Base+a.Width-1, b.Name, b.Base, b.Base+b.Width-1)
			}
		}
	}
}

func TestClaimedPortsAreNotClaimedTwice(t *testing.T) {
	band := Band{"test", 1100, 64} // below every server's band
	seen := map[int]bool{}
	for range 4 {
		p, err := Claim(t, band, 16)
		if err != nil {
			t.Fatal(err)
		}
		if seen[p] {
			t.Fatalf("port %d claimed twice", p)
		}
		seen[p] = true
	}
	if _, err := Claim(t, band, 16); err == nil {
		t.Fatal("a full band gave out a fifth slot")
	}
}

func TestStartWaitsForThePortAndReportsAnEarlyExit(t *testing.T) {
	out := &Buffer{}
	_, err := Start(t, "false", exec.Command("sh", "-c", "echo gone; exit 3"), "127.0.0.1:1", out)
	if err == nil || !strings.Contains(err.Error(), "gone") {
		t.Fatalf("Start of a process that exits: %v", err)
	}
}
