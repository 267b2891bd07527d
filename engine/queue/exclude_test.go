package queue

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/ftp"
	"github.com/skiff-ftp/skiff/internal/ftptest"
)

func TestExcluded(t *testing.T) {
	globs := []string{"*.tmp", ".git", "logs/*", ExcludeDirs + "node_modules", ExcludeFiles + "core"}
	for _, tt := range []struct {
		path string
		dir  bool
		want bool
	}{
		{"a.tmp", false, true},
		{"d/a.tmp", false, true},
		{".git", true, true},
		{"d/.git/config", false, true},
		{"logs/today", true, true},
		{"logs/today/x", false, true},
		{"d/logs", true, false},
		{"node_modules", true, true},
		{"src/node_modules/m.js", false, true},
		{"node_modules", false, false}, // a file: dir: globs match folders only
		{"core", false, true},
		{"core", true, false}, // a folder: file: globs match files only
		{"core/x.c", false, false},
		{"a.txt", false, false},
		{"tmp", false, false},
	} {
		t.Run(tt.path, func(t *testing.T) {
			if got := Excluded(globs, tt.path, tt.dir); got != tt.want {
				t.Fatalf("Excluded(%q, dir=%v) = %v", tt.path, tt.dir, got)
			}
		})
	}
}

// excludeTree is what the exclude tests put on the server; kept are the
// files a folder transfer with excludeGlobs fetches, by path below the folder.
var (
	excludeTree = map[string]string{
		"a.txt":                     "a",
		"b.tmp":                     "scratch",
		".git/config":               "[core]",
		"src/main.go":               "package main",
		"src/x.tmp":                 "scratch",
		"src/node_modules/m.js":     "js",
		"src/gen/out.go":            "generated",
		"src/lib/gen/keep.go":       "kept: the path glob names src/gen only",
		"docs/node_modules":         "a file, not a folder",
		"docs/guide.md":             "guide",
		"docs/deep/er/notes.txt":    "notes",
		"docs/deep/er/.git/HEAD":    "ref",
		"docs/deep/er/cache/x.tmp":  "scratch",
		"docs/deep/er/cache/y.data": "data",
	}
	excludeGlobs = []string{".git", ExcludeFiles + "*.tmp", ExcludeDirs + "node_modules", "src/gen"}
	kept         = []string{"a.txt", "docs/deep/er/cache/y.data", "docs/deep/er/notes.txt", "docs/guide.md",
		"docs/node_modules", "src/lib/gen/keep.go", "src/main.go"}
)

// filesBelow lists the regular files under root, slash-separated and sorted.
func filesBelow(t *testing.T, root string) []string {
	t.Helper()
	var got []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		got = append(got, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}

// TestFolderDownloadSkipsExcludedAcrossARestart downloads a folder from a
// real server with exclude globs; the queue is closed after the top folder
// was walked (every later connect waits for the site), and the restored
// queue walks the rest: what it leaves out, deep down and by a path below
// the folder ("src/gen"), is what the globs say, and nothing else.
func TestFolderDownloadSkipsExcludedAcrossARestart(t *testing.T) {
	for _, k := range []ftptest.Kind{ftptest.KindGo, ftptest.KindVsftpd} {
		t.Run(string(k), func(t *testing.T) {
			s := ftptest.Start(t, k, ftptest.Options{})
			for p, c := range excludeTree {
				s.WriteFile(t, "proj/"+p, []byte(c))
			}
			site := engine.Config{Host: s.Host, Port: s.Port, User: s.User, Password: s.Password, Security: engine.Plain}
			db := filepath.Join(t.TempDir(), "q.db")
			dst := t.TempDir()

			// The first run may connect once: the top folder's walk.
			var calls atomic.Int32
			pool := engine.NewPool(ftp.Dialer{}, engine.PoolOptions{})
			q, err := New(pool, Options{Path: db, RetryDelay: time.Millisecond,
				Config: func(context.Context, engine.SiteKey, string) (engine.Config, error) {
					if calls.Add(1) > 1 {
						return engine.Config{}, ErrSiteUnavailable
					}
					return site, nil
				}})
			if err != nil {
				t.Fatal(err)
			}
			top, err := q.Add(Job{Direction: Download, Site: site.Key(), Remote: "/proj", Local: dst, Name: "proj", Dir: true, Exclude: excludeGlobs})
			if err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for it, _ := q.Get(top); it.State != Done; it, _ = q.Get(top) {
				if time.Now().After(deadline) {
					t.Fatalf("the top folder was not walked: %+v", it)
				}
				time.Sleep(5 * time.Millisecond)
			}
			if it, _ := q.Get(top); it.Reason != "2 excluded by filters" { // b.tmp, .git
				t.Fatalf("top folder's reason %q", it.Reason)
			}
			q.Close()
			pool.Close()

			pool2 := engine.NewPool(ftp.Dialer{}, engine.PoolOptions{})
			defer pool2.Close()
			q2, err := New(pool2, Options{Path: db, RetryDelay: time.Millisecond,
				Config: func(context.Context, engine.SiteKey, string) (engine.Config, error) { return site, nil }})
			if err != nil {
				t.Fatal(err)
			}
			defer q2.Close()
			var walked int
			for _, it := range q2.Items() {
				if it.Dir && it.State != Done {
					walked++
					if !slices.Equal(it.Exclude, excludeGlobs) {
						t.Fatalf("restored folder %s has Exclude %q", it.Remote, it.Exclude)
					}
				}
			}
			if walked == 0 {
				t.Fatal("no folder was left to walk after the restart: the test proves nothing")
			}
			q2.ResumeSite(site.Key())
			wait(t, q2)
			got := filesBelow(t, filepath.Join(dst, "proj"))
			if !slices.Equal(got, kept) {
				t.Fatalf("downloaded %q\nwant       %q", got, kept)
			}
			for _, it := range q2.Items() {
				if it.State != Done {
					t.Fatalf("%s: %s %s", it.Remote, it.State, it.Reason)
				}
			}
		})
	}
}

// TestFolderUploadSkipsExcluded uploads a local folder to a real server
// with exclude globs: the server gets the kept files only.
func TestFolderUploadSkipsExcluded(t *testing.T) {
	s := ftptest.Start(t, ftptest.KindGo, ftptest.Options{})
	src := filepath.Join(t.TempDir(), "proj")
	for p, c := range excludeTree {
		full := filepath.Join(src, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	site := engine.Config{Host: s.Host, Port: s.Port, User: s.User, Password: s.Password, Security: engine.Plain}
	pool := engine.NewPool(ftp.Dialer{}, engine.PoolOptions{})
	defer pool.Close()
	q, err := New(pool, Options{RetryDelay: time.Millisecond,
		Config: func(context.Context, engine.SiteKey, string) (engine.Config, error) { return site, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if _, err := q.Add(Job{Direction: Upload, Site: site.Key(), Remote: "/up", Local: src, Dir: true, Exclude: excludeGlobs}); err != nil {
		t.Fatal(err)
	}
	wait(t, q)
	got := filesBelow(t, filepath.Join(s.Root, "up"))
	if !slices.Equal(got, kept) {
		t.Fatalf("uploaded %q\nwant     %q", got, kept)
	}
	for _, it := range q.Items() {
		if it.State != Done || strings.Contains(it.Remote, "node_modules/") {
			t.Fatalf("%s: %s %s", it.Remote, it.State, it.Reason)
		}
	}
}
