// Package archtest checks the dependency direction the design card sets:
// main → ui → {engine, bookmarks, assets}; engine/* and bookmarks import no
// Fyne and not each other; engine/listing imports nothing of Skiff's.
package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/skiff-ftp/skiff"

// deps returns, for each package matching pattern, its full dependency list.
func deps(t *testing.T, pattern string) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Deps " "}}`, pattern).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list %s: %v\n%s", pattern, err, ee.Stderr)
		}
		t.Fatalf("go list %s: %v", pattern, err)
	}
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) > 0 {
			m[f[0]] = f[1:]
		}
	}
	return m
}

func TestCoreImportsNoFyne(t *testing.T) {
	for _, pattern := range []string{module + "/engine/...", module + "/bookmarks/..."} {
		pkgs := deps(t, pattern)
		if len(pkgs) == 0 {
			t.Fatalf("no packages match %s", pattern)
		}
		for pkg, ds := range pkgs {
			for _, d := range ds {
				if strings.HasPrefix(d, "fyne.io/") {
					t.Errorf("%s imports %s: engine and bookmarks must not depend on Fyne", pkg, d)
				}
			}
		}
	}
}

func TestEngineAndBookmarksIndependent(t *testing.T) {
	forbid := map[string]string{
		module + "/engine/...":    module + "/bookmarks",
		module + "/bookmarks/...": module + "/engine/",
	}
	for pattern, bad := range forbid {
		for pkg, ds := range deps(t, pattern) {
			for _, d := range ds {
				if strings.HasPrefix(d, bad) || d == strings.TrimSuffix(bad, "/") {
					t.Errorf("%s imports %s", pkg, d)
				}
			}
		}
	}
}

func TestListingImportsNothingOfOurs(t *testing.T) {
	for pkg, ds := range deps(t, module+"/engine/listing") {
		for _, d := range ds {
			if strings.HasPrefix(d, module) {
				t.Errorf("%s imports %s; listing must stay pure", pkg, d)
			}
		}
	}
}

// engine/proxy is imported by engine (Config.Proxy), so it may import
// nothing of Skiff's.
func TestProxyImportsNothingOfOurs(t *testing.T) {
	for pkg, ds := range deps(t, module+"/engine/proxy") {
		for _, d := range ds {
			if strings.HasPrefix(d, module) {
				t.Errorf("%s imports %s; engine/proxy must import nothing of Skiff's", pkg, d)
			}
		}
	}
}

// TestDetectsFyneImport proves the checker can fail: ui imports Fyne, so the
// same scan over ui must find it.
func TestDetectsFyneImport(t *testing.T) {
	found := false
	for _, ds := range deps(t, module+"/ui") {
		for _, d := range ds {
			if strings.HasPrefix(d, "fyne.io/") {
				found = true
			}
		}
	}
	if !found {
		t.Fatal("scan of ui found no fyne.io import; the checker is broken")
	}
}
