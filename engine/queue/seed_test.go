package queue

import (
	"bytes"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	bolt "go.etcd.io/bbolt"
)

var update = flag.Bool("update", false, "rewrite empty.db from what bbolt writes")

// TestEmptyDBIsBboltsOwn fails when this bbolt initialises a file
// differently from the template the queue seeds new files with.
func TestEmptyDBIsBboltsOwn(t *testing.T) {
	p := filepath.Join(t.TempDir(), "new.db")
	db, err := bolt.Open(p, 0o600, &bolt.Options{PageSize: 4096})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("empty.db", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	// On Windows bbolt grows a new file to its first mapping (32 KiB) with
	// zeros; the pages it wrote are the same.
	if len(want) > len(emptyDB) && runtime.GOOS == "windows" && !bytes.ContainsFunc(want[len(emptyDB):], func(r rune) bool { return r != 0 }) {
		want = want[:len(emptyDB)]
	}
	if !bytes.Equal(emptyDB, want) {
		t.Fatalf("empty.db (%d bytes) is not what bbolt writes (%d bytes); run with -update", len(emptyDB), len(want))
	}
}

func TestSeed(t *testing.T) {
	t.Run("missing file", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "q.db")
		seed(p)
		got, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(got, emptyDB) {
			t.Fatalf("seeded %d bytes (%v), want the %d of empty.db", len(got), err, len(emptyDB))
		}
		// Windows has ACLs, not modes: Go reports every writable file as
		// 0666 there, and the queue lives in the user's private profile.
		if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows" {
			t.Fatalf("mode %v, want 0600", fi.Mode().Perm())
		}
	})
	for name, content := range map[string][]byte{
		"empty file":      {},
		"a queue's bytes": []byte("not a template"),
	} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "q.db")
			if err := os.WriteFile(p, content, 0o600); err != nil {
				t.Fatal(err)
			}
			seed(p)
			if got, _ := os.ReadFile(p); !bytes.Equal(got, content) {
				t.Fatalf("an existing file became %q", got)
			}
		})
	}
	t.Run("missing folder", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "no", "q.db")
		seed(p)
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Fatalf("Lstat: %v, want not exist", err)
		}
	})
}

// TestNoSyncQueueIsKept opens a seeded queue file, fills it, and opens it
// again: the seeded file is a working queue, and seeding never empties one.
func TestNoSyncQueueIsKept(t *testing.T) {
	p := filepath.Join(t.TempDir(), "q.db")
	st, recs, err := openStore(p, true, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 0 {
		t.Fatalf("a new queue has %d records", len(recs))
	}
	st.putAll([]record{{Item: Item{ID: 1, Remote: "/a"}, Seq: 1}, {Item: Item{ID: 2, Remote: "/b"}, Seq: 2}})
	if err := st.close(); err != nil {
		t.Fatal(err)
	}
	st, recs, err = openStore(p, true, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	if len(recs) != 2 || recs[0].Remote != "/a" || recs[1].Remote != "/b" {
		t.Fatalf("reopened %+v", recs)
	}
}
