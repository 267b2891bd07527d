package bookmarks

import (
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// TestImportsNoFyneNorEngine enforces STYLE.md's dependency direction:
// bookmarks imports neither Fyne nor the engine.
func TestImportsNoFyneNorEngine(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs the go command; the Linux run checks the same sources")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err) // a check that cannot run has checked nothing
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "fyne.io/") || strings.HasPrefix(p, "github.com/skiff-ftp/skiff/") && p != "github.com/skiff-ftp/skiff/bookmarks" {
			t.Errorf("bookmarks depends on %s", p)
		}
	}
}
