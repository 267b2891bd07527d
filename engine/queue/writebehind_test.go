package queue

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
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

// watchFlushes replaces flushBehind for a test: each call records the
// file's size then, runs during when not nil, fails with fail when not
// nil, and the test fails if two ever run at once.
func watchFlushes(t *testing.T, fail error, during func()) *[]int64 {
	t.Helper()
	var mu sync.Mutex
	var sizes []int64
	var running atomic.Int32
	oldFlush, oldOn := flushBehind, flushesBehind
	flushBehind = func(f *os.File) error {
		if running.Add(1) > 1 {
			t.Error("two background syncs of one file at once")
		}
		defer running.Add(-1)
		fi, err := f.Stat()
		if err != nil {
			t.Error(err)
			return err
		}
		mu.Lock()
		sizes = append(sizes, fi.Size())
		mu.Unlock()
		if during != nil {
			during()
		}
		if fail != nil {
			return fail
		}
		return oldFlush(f)
	}
	flushesBehind = true // where the platform has none, the mechanism is still this one
	t.Cleanup(func() { flushBehind, flushesBehind = oldFlush, oldOn })
	return &sizes
}

// TestADownloadIsSyncedInTheBackgroundWhileItArrives: every
// flushBehindBytes the .part is synced beside the writes, one sync at a
// time (a download that outruns the disk skips a turn rather than piling
// syncs up), and wait collects the last before the file is synced and
// closed.
func TestADownloadIsSyncedInTheBackgroundWhileItArrives(t *testing.T) {
	entered, release := make(chan struct{}, 2), make(chan struct{})
	var first sync.Once
	sizes := watchFlushes(t, nil, func() {
		entered <- struct{}{}
		first.Do(func() { <-release }) // the first sync is slow
	})
	f, err := os.Create(filepath.Join(t.TempDir(), "f.part"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := &writeBehind{f: f}
	chunk := make([]byte, 1<<20)
	write := func(mib int) {
		for range mib {
			if _, err := w.Write(chunk); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(flushBehindBytes>>20 + 1)
	<-entered // the first sync runs, and stays running
	write(flushBehindBytes>>20 + 1)
	if n := len(entered); n != 0 {
		t.Fatalf("%d more syncs started while the first still ran", n)
	}
	close(release)
	w.reap(true) // the first sync is done before the next bytes arrive
	write(1)
	if err := w.wait(); err != nil {
		t.Fatal(err)
	}
	if len(*sizes) != 2 || (*sizes)[0] < flushBehindBytes || (*sizes)[1] < 2*flushBehindBytes {
		t.Fatalf("background syncs at sizes %v, want two: past %d and %d bytes", *sizes, flushBehindBytes, 2*flushBehindBytes)
	}
}

// TestAFailedBackgroundSyncFailsTheDownload: a background sync that fails
// (the disk refused the file's blocks) ends the download Failed, never
// Done — the final sync would not see an error the file already reported.
func TestAFailedBackgroundSyncFailsTheDownload(t *testing.T) {
	eio := errors.New("fdatasync: input/output error")
	watchFlushes(t, eio, nil)
	srv := newFakeServer()
	srv.chunk = 1 << 20
	srv.put("/big", bytes.Repeat([]byte("x"), flushBehindBytes+3<<20))
	dst := t.TempDir()
	q, _ := newTestQueue(t, srv, Options{})
	id, _ := q.Add(Job{Direction: Download, Site: testSite.Key(), Remote: "/big", Local: filepath.Join(dst, "big")})
	wait(t, q)
	it, _ := q.Get(id)
	if it.State == Done || !strings.Contains(it.Reason, "input/output error") {
		t.Fatalf("state %s, error %q; want failed with the sync's error", it.State, it.Reason)
	}
	if _, err := os.Stat(filepath.Join(dst, "big")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the file was renamed into place: %v", err)
	}
}
