package sftp

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
)

// fakeFile is a remote file written by WRITE requests that take a random
// while each, so that they complete out of order. fail, when set, fails
// the request at that offset.
type fakeFile struct {
	mu       sync.Mutex
	data     []byte
	writes   map[int64]int // requests per offset
	inFlight int
	most     int // requests in flight at once, at most
	fail     int64
	failed   bool // the failing request has returned
	after    int  // requests started after it returned
}

func newFakeFile() *fakeFile { return &fakeFile{writes: map[int64]int{}, fail: -1} }

func (f *fakeFile) writeAt(b []byte, off int64) (int, error) {
	f.mu.Lock()
	f.inFlight++
	f.most = max(f.most, f.inFlight)
	if f.failed {
		f.after++
	}
	f.mu.Unlock()
	time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inFlight--
	f.writes[off]++
	if off == f.fail {
		f.failed = true
		return 0, errors.New("quota exceeded")
	}
	if end := int(off) + len(b); end > len(f.data) {
		f.data = append(f.data, make([]byte, end-len(f.data))...)
	}
	copy(f.data[off:], b)
	return len(b), nil
}

func TestUploadWritesEveryRangeOnceAtItsOffset(t *testing.T) {
	for _, tc := range []struct {
		name   string
		size   int // of the file
		offset int64
	}{
		{"an empty file", 0, 0},
		{"less than a request", 100, 0},
		{"whole requests", 8 * 1000, 0},
		{"a short last request", 8*1000 + 17, 0},
		{"resumed at an offset", 5*1000 + 3, 12345},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := pattern(tc.size)
			f := newFakeFile()
			p := newPacer(4, 4)
			// iotest.HalfReader: short reads must still make whole requests.
			n, err := upload(f.writeAt, iotest.HalfReader(bytes.NewReader(data)), tc.offset, 1000, p)
			if err != nil || n != int64(tc.size) {
				t.Fatalf("upload = %d, %v; want %d, nil", n, err, tc.size)
			}
			if tc.size > 0 && !bytes.Equal(f.data[tc.offset:], data) {
				t.Fatal("the file differs from what was read")
			}
			for off, k := range f.writes {
				if k != 1 || (off-tc.offset)%1000 != 0 {
					t.Errorf("offset %d written %d times", off, k)
				}
			}
			if want := (tc.size + 999) / 1000; len(f.writes) != want {
				t.Errorf("%d requests, want %d", len(f.writes), want)
			}
			if f.most > 4 {
				t.Errorf("%d requests in flight at once, the pacer allowed 4", f.most)
			}
		})
	}
}

func TestUploadKeepsAsManyRequestsInFlightAsAllowed(t *testing.T) {
	f := newFakeFile()
	// After the first round's one request, the next wait until 6 are in
	// flight (or 5 s have gone), so that how fast they finish cannot
	// decide the result.
	all := make(chan struct{})
	var started atomic.Int32
	w := func(b []byte, off int64) (int, error) {
		switch started.Add(1) {
		case 1:
			return f.writeAt(b, off)
		case 7:
			close(all)
		}
		select {
		case <-all:
		case <-time.After(5 * time.Second):
		}
		return f.writeAt(b, off)
	}
	if _, err := upload(w, bytes.NewReader(pattern(64*1000)), 0, 1000, newPacer(6, 6)); err != nil {
		t.Fatal(err)
	}
	if f.most != 6 {
		t.Errorf("at most %d requests in flight at once, want 6", f.most)
	}
}

func TestUploadAfterAFailedRequestCountsOnlyTheBytesBeforeIt(t *testing.T) {
	f := newFakeFile()
	f.fail = 7000
	n, err := upload(f.writeAt, bytes.NewReader(pattern(50*1000)), 0, 1000, newPacer(4, 4))
	if err == nil || err.Error() != "quota exceeded" {
		t.Fatalf("err = %v, want the request's", err)
	}
	if n != 7000 {
		t.Errorf("n = %d, want 7000: the bytes before the failed request", n)
	}
	// Requests already in flight finish, and replies that arrived before
	// the failure's may each still start one: at most the 4 allowed start
	// after it returned, none after upload has read it.
	if f.after > 4 {
		t.Errorf("%d requests started after the one at 7000 failed", f.after)
	}
}

func TestUploadReturnsTheReadersError(t *testing.T) {
	f := newFakeFile()
	bad := errors.New("disk read error")
	r := io.MultiReader(bytes.NewReader(pattern(3500)), iotest.ErrReader(bad))
	n, err := upload(f.writeAt, r, 0, 1000, newPacer(2, 2))
	if !errors.Is(err, bad) {
		t.Fatalf("err = %v, want the reader's", err)
	}
	if n != 3500 || !bytes.Equal(f.data, pattern(3500)) {
		t.Errorf("n = %d and %d bytes written, want the 3500 read", n, len(f.data))
	}
}
