package queue

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/textproto"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

// fakeServer is an in-memory file tree that hands out fake sessions. Hooks
// script faults.
type fakeServer struct {
	mu    sync.Mutex
	files map[string][]byte
	dirs  map[string]bool
	// extra entries listed in a folder that do not exist (hostile listings)
	extra map[string][]listing.Entry
	// retrieveFault, when set, may cut a RETR short: it returns how many
	// bytes to send before failing with err (nil: no fault).
	retrieveFault func(p string, offset int64) (n int64, err error)
	storeFault    func(p string, offset int64) (n int64, err error) // likewise for STOR; n < 0: refused before the 1xx
	hideDots      bool                                              // List hides dot files, as vsftpd's plain LIST
	denied        map[string]bool                                   // 550 on RETR/STOR
	rests         atomic.Int32                                      // transfers that started at an offset > 0
	open          atomic.Int32                                      // sessions open now
	maxOpen       atomic.Int32
	dials         atomic.Int32
	stats         atomic.Int32  // Stat calls
	delay         time.Duration // per transfer
	busy, maxBusy atomic.Int32  // transfers in their delay now, and the most at once
	loginErr      error         // Dial fails with it
	hash          bool          // offer SHA-256 checksums
	corruptOnce   map[string]bool
	mtime         time.Time // of every file
	chunk         int       // bytes per Write of a download (default 8 KiB)
	// diskFull, when set, makes a download's local writes fail with ENOSPC
	// half-way, as a full disk does (the error Conn.Retrieve returns is the
	// local file's).
	diskFull atomic.Bool
}

func newFakeServer() *fakeServer {
	return &fakeServer{files: map[string][]byte{}, dirs: map[string]bool{"/": true}, extra: map[string][]listing.Entry{}, denied: map[string]bool{}, corruptOnce: map[string]bool{}}
}

func (f *fakeServer) put(p string, data []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[p] = data
	for d := path.Dir(p); ; d = path.Dir(d) {
		f.dirs[d] = true
		if d == "/" {
			break
		}
	}
}

func (f *fakeServer) get(p string) ([]byte, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.files[p]
	return b, ok
}

func (f *fakeServer) Dial(ctx context.Context, cfg engine.Config) (engine.Session, error) {
	f.dials.Add(1)
	if f.loginErr != nil {
		return nil, f.loginErr
	}
	n := f.open.Add(1)
	for {
		m := f.maxOpen.Load()
		if n <= m || f.maxOpen.CompareAndSwap(m, n) {
			break
		}
	}
	s := &fakeSession{srv: f}
	s.alive.Store(true)
	return s, nil
}

// dropOnce is a retrieveFault or storeFault that cuts the first transfer
// after n bytes with 426, as a dropped data connection does, and lets every
// later one through.
func dropOnce(n int64) func(string, int64) (int64, error) {
	var once sync.Once
	return func(string, int64) (int64, error) {
		var err error
		once.Do(func() { err = reply(426, "Connection closed; transfer aborted") })
		return n, err
	}
}

func reply(code int, msg string) error {
	return engine.Classify("", &textproto.Error{Code: code, Msg: msg})
}

type fakeSession struct {
	srv   *fakeServer
	alive atomic.Bool
}

func (s *fakeSession) List(ctx context.Context, p string) ([]listing.Entry, error) {
	f := s.srv
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.dirs[p] {
		return nil, &engine.Error{Op: "LIST", Path: p, Err: reply(550, "No such directory")}
	}
	var out []listing.Entry
	for fp, b := range f.files {
		if path.Dir(fp) == p && !(f.hideDots && strings.HasPrefix(path.Base(fp), ".")) {
			out = append(out, listing.Entry{Name: path.Base(fp), Type: listing.File, Size: int64(len(b)), ModTime: f.mtime})
		}
	}
	for d := range f.dirs {
		if d != "/" && path.Dir(d) == p {
			out = append(out, listing.Entry{Name: path.Base(d), Type: listing.Dir, Size: -1})
		}
	}
	out = append(out, f.extra[p]...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (s *fakeSession) Stat(ctx context.Context, p string) (listing.Entry, error) {
	f := s.srv
	f.stats.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if b, ok := f.files[p]; ok {
		return listing.Entry{Name: path.Base(p), Size: int64(len(b))}, nil
	}
	if f.dirs[p] {
		return listing.Entry{Name: path.Base(p), Type: listing.Dir, Size: -1}, nil
	}
	return listing.Entry{}, &engine.Error{Op: "SIZE", Path: p, Err: reply(550, "No such file")}
}

func (s *fakeSession) Retrieve(ctx context.Context, p string, offset int64, w io.Writer) (int64, error) {
	f := s.srv
	f.mu.Lock()
	b, ok := f.files[p]
	denied := f.denied[p]
	fault := f.retrieveFault
	f.mu.Unlock()
	if !ok || denied {
		return 0, &engine.Error{Op: "RETR", Path: p, Err: reply(550, "Permission denied")}
	}
	if offset > 0 {
		f.rests.Add(1)
	}
	if f.delay > 0 {
		n := f.busy.Add(1)
		for m := f.maxBusy.Load(); n > m && !f.maxBusy.CompareAndSwap(m, n); m = f.maxBusy.Load() {
		}
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			f.busy.Add(-1)
			return 0, ctx.Err()
		}
		f.busy.Add(-1)
	}
	data := b[offset:]
	f.mu.Lock()
	if f.corruptOnce[p] {
		delete(f.corruptOnce, p)
		data = bytes.Clone(data)
		data[len(data)/2] ^= 0xff
	}
	f.mu.Unlock()
	if fault != nil {
		if n, err := fault(p, offset); err != nil {
			m, _ := w.Write(data[:min(n, int64(len(data)))])
			return int64(m), &engine.Error{Op: "RETR", Path: p, Err: err}
		}
	}
	if f.diskFull.Load() {
		m, _ := w.Write(data[:len(data)/2])
		return int64(m), &fs.PathError{Op: "write", Path: path.Base(p) + partSuffix, Err: syscall.ENOSPC}
	}
	// Write in small chunks so that cancellation and rate limits bite.
	chunk := 8192
	if f.chunk > 0 {
		chunk = f.chunk
	}
	var done int64
	for len(data) > 0 {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		c := data[:min(len(data), chunk)]
		n, err := w.Write(c)
		done += int64(n)
		if err != nil {
			return done, err
		}
		data = data[n:]
	}
	return done, nil
}

func (s *fakeSession) Store(ctx context.Context, p string, offset int64, r io.Reader) (int64, error) {
	f := s.srv
	f.mu.Lock()
	denied := f.denied[p]
	old := f.files[p]
	noDir := !f.dirs[path.Dir(p)] // servers refuse STOR into a missing folder
	f.mu.Unlock()
	if denied || noDir {
		return 0, &engine.Error{Op: "STOR", Path: p, Err: reply(553, "Could not create file")}
	}
	if offset > 0 {
		f.rests.Add(1)
	}
	var buf bytes.Buffer
	if offset > 0 {
		buf.Write(old[:offset])
	}
	if f.storeFault != nil {
		if n, err := f.storeFault(p, offset); err != nil && n < 0 {
			// Refused before the 1xx (a 425): nothing touched the file.
			return 0, &engine.Error{Op: "STOR", Path: p, Err: err}
		} else if err != nil {
			engine.ContextTransferTrace(ctx).TransferAccepted()
			m, _ := io.CopyN(&buf, r, n)
			f.put(p, buf.Bytes())
			return m, &engine.Error{Op: "STOR", Path: p, Err: err}
		}
	}
	engine.ContextTransferTrace(ctx).TransferAccepted()
	n, err := io.Copy(&buf, r)
	f.put(p, buf.Bytes())
	return n, err
}

func (s *fakeSession) Mkdir(ctx context.Context, p string, parents bool) error {
	f := s.srv
	f.mu.Lock()
	defer f.mu.Unlock()
	for d := p; d != "/"; d = path.Dir(d) {
		f.dirs[d] = true
	}
	return nil
}
func (s *fakeSession) Rmdir(context.Context, string) error                 { return nil }
func (s *fakeSession) Delete(context.Context, string) error                { return nil }
func (s *fakeSession) RemoveAll(context.Context, string) error             { return nil }
func (s *fakeSession) Rename(context.Context, string, string) error        { return nil }
func (s *fakeSession) Chmod(context.Context, string, fs.FileMode) error    { return nil }
func (s *fakeSession) SetModTime(context.Context, string, time.Time) error { return nil }
func (s *fakeSession) Checksum(_ context.Context, p string) (string, string, error) {
	b, ok := s.srv.get(p)
	if !s.srv.hash || !ok {
		return "", "", engine.ErrUnsupported
	}
	sum := sha256.Sum256(b)
	return "SHA-256", hex.EncodeToString(sum[:]), nil
}
func (s *fakeSession) Getwd(context.Context) (string, error) { return "/", nil }
func (s *fakeSession) Quote(context.Context, string) (int, string, error) {
	return 200, "", nil
}
func (s *fakeSession) Noop(context.Context) error { return nil }
func (s *fakeSession) Alive() bool                { return s.alive.Load() }
func (s *fakeSession) Features() engine.Features {
	return engine.Features{Rest: true, Size: true, HiddenListed: !s.srv.hideDots}
}
func (s *fakeSession) Close() error {
	if s.alive.Swap(false) {
		s.srv.open.Add(-1)
	}
	return nil
}
