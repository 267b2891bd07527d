package winetest

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRemoveAllRemovesANestedTree is the failure this package exists for:
// under Wine 8.0 without it, removing a file in a subfolder fails with
// "Invalid function".
func TestRemoveAllRemovesANestedTree(t *testing.T) {
	dir, err := os.MkdirTemp("", "winetest-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a", "b", "f"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatalf("RemoveAll: %v (under Wine: %v)", err, UnderWine())
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("%s still there: %v", dir, err)
	}
}
