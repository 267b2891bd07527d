package queue

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestADownloadStartsItsWritebackWhileItArrives: every writeBehindBytes of
// a download the disk is asked to start writing the .part, so the sync
// before Done does not wait for the whole file.
func TestADownloadStartsItsWritebackWhileItArrives(t *testing.T) {
	srv := newFakeServer()
	srv.chunk = 256 << 10
	data := bytes.Repeat([]byte("0123456789abcdef"), (2*writeBehindBytes+writeBehindBytes/2)/16)
	srv.put("/f", data)
	dst := t.TempDir()
	var starts []string
	old := startWriteback
	startWriteback = func(f *os.File) error {
		fi, err := f.Stat()
		if err != nil {
			t.Error(err)
			return err
		}
		starts = append(starts, fmt.Sprintf("%s at %d MiB", filepath.Base(f.Name()), fi.Size()>>20))
		return old(f)
	}
	t.Cleanup(func() { startWriteback = old })
	q, _ := newTestQueue(t, srv, Options{})
	id, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/f", Local: filepath.Join(dst, "f")})
	wait(t, q)
	want := []string{"f.part at 8 MiB", "f.part at 16 MiB"}
	if it, _ := q.Get(id); it.State != Done || fmt.Sprint(starts) != fmt.Sprint(want) {
		t.Fatalf("%s; writeback started %q, want %q", it.State, starts, want)
	}
	if got, err := os.ReadFile(filepath.Join(dst, "f")); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("file differs (%v)", err)
	}
}

// TestStartWritebackReportsAClosedFile: the real call reaches the file
// (on Linux, sync_file_range); a closed file is an error, an open one not.
func TestStartWritebackReportsAClosedFile(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	if err := startWriteback(f); err != nil {
		t.Fatalf("open file: %v", err)
	}
	f.Close()
	if err := startWriteback(f); err == nil && startsWriteback {
		t.Fatal("closed file: no error")
	}
}
