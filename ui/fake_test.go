package ui

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/textproto"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

// fakeFS is an in-memory server file system shared by fake sessions.
type fakeFS struct {
	mu       sync.Mutex
	files    map[string][]byte // file path → content
	dirs     map[string]bool
	calls    []string
	dials    int
	sessions []*fakeSession // every session dialled, in order
	// dialErr, when set, is returned by the next Dial.
	dialErr error
	// tls: sessions report an encrypted connection. noAuthTLS: the server
	// refuses AUTH TLS, so Dial asks cfg.ConfirmPlain (under TLSIfAvailable)
	// and fails with ErrTLSRequired, sending nothing, unless it says yes.
	tls, noAuthTLS bool
	plainAsked     int // times ConfirmPlain was called
	// raw lists extra entries of a folder exactly as a hostile server
	// would name them ("../x", "/abs/x"); Retrieve serves path.Join(dir,
	// name) from files, so an unguarded download would succeed.
	raw map[string][]listing.Entry
	// dropAfter, when > 0, ends every RETR after that many bytes with a
	// 426, as a server whose data connection broke.
	dropAfter int64
	// dropOnce, when > 0, ends the next RETR after that many bytes with a
	// 426 and closes its session, as a server whose connection broke once.
	dropOnce int64
	// holdRemove, when set, receives the context of each RemoveAll, which
	// then runs until that context ends (a very large tree).
	holdRemove chan context.Context
	// retrDelay slows each RETR; running and maxRunning count the RETRs
	// in progress (the transfers at once the server sees).
	retrDelay           time.Duration
	running, maxRunning int
	// sums: Checksum answers SHA-256 of the file (badSum: a wrong one);
	// otherwise the server has no checksums. stat: Stat answers for files.
	sums, badSum, stat bool
	cfgs               []engine.Config // every config dialled, in order
}

func newFakeFS() *fakeFS {
	return &fakeFS{files: map[string][]byte{}, dirs: map[string]bool{"/": true}}
}

func (f *fakeFS) addFile(p string, content string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[p] = []byte(content)
	for d := path.Dir(p); ; d = path.Dir(d) {
		f.dirs[d] = true
		if d == "/" {
			break
		}
	}
}

func (f *fakeFS) addDir(p string) {
	f.mu.Lock()
	f.dirs[p] = true
	f.mu.Unlock()
	f.addFile(path.Join(p, ".keep-dir-marker"), "")
	f.mu.Lock()
	delete(f.files, path.Join(p, ".keep-dir-marker"))
	f.mu.Unlock()
}

func (f *fakeFS) Dial(ctx context.Context, cfg engine.Config) (engine.Session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dials++
	f.cfgs = append(f.cfgs, cfg)
	if err := f.dialErr; err != nil {
		f.dialErr = nil
		return nil, err
	}
	if f.noAuthTLS && cfg.Security != engine.Plain {
		refused := engine.Classify("AUTH", &textproto.Error{Code: 500, Msg: "AUTH not understood"})
		if cfg.Security != engine.TLSIfAvailable {
			return nil, errors.Join(engine.ErrTLSRequired, refused)
		}
		f.plainAsked++
		f.mu.Unlock()
		ok := cfg.ConfirmPlain != nil && cfg.ConfirmPlain(ctx, cfg.Host, "500 AUTH not understood")
		f.mu.Lock()
		if !ok {
			f.calls = append(f.calls, "AUTH refused; nothing sent")
			return nil, &engine.Error{Op: "AUTH TLS", Err: errors.Join(engine.ErrTLSRequired, refused)}
		}
	}
	if cfg.Trace != nil {
		cfg.Trace(engine.TraceEvent{Kind: engine.TraceCommand, Text: "USER " + cfg.User})
		cfg.Trace(engine.TraceEvent{Kind: engine.TraceCommand, Text: engine.MaskCommand("PASS " + cfg.Password)})
		cfg.Trace(engine.TraceEvent{Kind: engine.TraceReply, Text: "230 Logged in"})
	}
	s := &fakeSession{fs: f, cwd: "/home", tls: f.tls && !f.noAuthTLS}
	if cfg.Password != "" {
		f.calls = append(f.calls, "PASS sent")
	}
	f.sessions = append(f.sessions, s)
	return s, nil
}

type fakeSession struct {
	fs     *fakeFS
	cwd    string
	tls    bool
	closed atomic.Bool // Close runs off the UI goroutine
}

var errFake550 = engine.Classify("RETR", &textproto.Error{Code: 550, Msg: "No such file"})

func (s *fakeSession) log(format string, args ...any) {
	s.fs.calls = append(s.fs.calls, fmt.Sprintf(format, args...))
}

func (s *fakeSession) List(ctx context.Context, dir string) ([]listing.Entry, error) {
	s.fs.mu.Lock()
	defer s.fs.mu.Unlock()
	s.log("LIST %s", dir)
	if !s.fs.dirs[dir] {
		return nil, &engine.Error{Op: "LIST", Path: dir, Err: errFake550}
	}
	es := append([]listing.Entry(nil), s.fs.raw[dir]...)
	for d := range s.fs.dirs {
		if d != "/" && path.Dir(d) == dir {
			es = append(es, listing.Entry{Name: path.Base(d), Type: listing.Dir, Size: -1, Perm: "rwxr-xr-x"})
		}
	}
	for p, c := range s.fs.files {
		if path.Dir(p) == dir {
			es = append(es, listing.Entry{Name: path.Base(p), Size: int64(len(c)), Perm: "rw-r--r--", Mode: 0o644,
				ModTime: time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC), Precision: listing.PrecisionMinute, Owner: "ftp", Group: "ftp"})
		}
	}
	sort.Slice(es, func(i, j int) bool { return es[i].Name < es[j].Name })
	return es, nil
}

func (s *fakeSession) Stat(ctx context.Context, p string) (listing.Entry, error) {
	s.fs.mu.Lock()
	defer s.fs.mu.Unlock()
	if c, ok := s.fs.files[p]; ok && s.fs.stat {
		return listing.Entry{Name: path.Base(p), Size: int64(len(c)), ModTime: fakeModTime, Precision: listing.PrecisionSecond}, nil
	}
	return listing.Entry{}, engine.ErrUnsupported
}

// fakeModTime is every fake file's modification time.
var fakeModTime = time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)

func (s *fakeSession) Retrieve(ctx context.Context, p string, off int64, w io.Writer) (int64, error) {
	s.fs.mu.Lock()
	c, ok := s.fs.files[p]
	drop := s.fs.dropAfter
	once := s.fs.dropOnce
	s.fs.dropOnce = 0
	s.log("RETR %s", p)
	delay := s.fs.retrDelay
	s.fs.running++
	s.fs.maxRunning = max(s.fs.maxRunning, s.fs.running)
	s.fs.mu.Unlock()
	defer func() {
		s.fs.mu.Lock()
		s.fs.running--
		s.fs.mu.Unlock()
	}()
	time.Sleep(delay)
	if !ok {
		return 0, &engine.Error{Op: "RETR", Path: p, Err: errFake550}
	}
	c = c[off:]
	if once > 0 && once < int64(len(c)) {
		n, err := w.Write(c[:once])
		s.closed.Store(true)
		if err == nil {
			err = &engine.Error{Op: "RETR", Path: p, Err: engine.Classify("RETR", &textproto.Error{Code: 426, Msg: "Connection closed; transfer aborted"})}
		}
		return int64(n), err
	}
	if drop > 0 && drop < int64(len(c)) {
		n, err := w.Write(c[:drop])
		if err == nil {
			err = &engine.Error{Op: "RETR", Path: p, Err: engine.Classify("RETR", &textproto.Error{Code: 426, Msg: "Connection closed; transfer aborted"})}
		}
		return int64(n), err
	}
	n, err := io.Copy(w, bytes.NewReader(c))
	return n, err
}

func (s *fakeSession) Store(ctx context.Context, p string, off int64, r io.Reader) (int64, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return 0, err
	}
	s.fs.addFile(p, string(b))
	return int64(len(b)), nil
}

func (s *fakeSession) Mkdir(ctx context.Context, p string, parents bool) error {
	s.fs.addDir(p)
	s.fs.mu.Lock()
	s.log("MKD %s", p)
	s.fs.mu.Unlock()
	return nil
}

func (s *fakeSession) Rmdir(ctx context.Context, p string) error { return s.RemoveAll(ctx, p) }

func (s *fakeSession) Delete(ctx context.Context, p string) error {
	s.fs.mu.Lock()
	defer s.fs.mu.Unlock()
	s.log("DELE %s", p)
	delete(s.fs.files, p)
	return nil
}

func (s *fakeSession) RemoveAll(ctx context.Context, p string) error {
	s.fs.mu.Lock()
	if hold := s.fs.holdRemove; hold != nil {
		s.log("RMD -r %s (held)", p)
		s.fs.mu.Unlock()
		hold <- ctx
		<-ctx.Done()
		return ctx.Err()
	}
	defer s.fs.mu.Unlock()
	s.log("RMD -r %s", p)
	for f := range s.fs.files {
		if f == p || strings.HasPrefix(f, p+"/") {
			delete(s.fs.files, f)
		}
	}
	for d := range s.fs.dirs {
		if d == p || strings.HasPrefix(d, p+"/") {
			delete(s.fs.dirs, d)
		}
	}
	return nil
}

func (s *fakeSession) Rename(ctx context.Context, from, to string) error {
	s.fs.mu.Lock()
	defer s.fs.mu.Unlock()
	s.log("RNFR %s RNTO %s", from, to)
	if c, ok := s.fs.files[from]; ok {
		delete(s.fs.files, from)
		s.fs.files[to] = c
	}
	return nil
}

func (s *fakeSession) Chmod(ctx context.Context, p string, m fs.FileMode) error {
	s.fs.mu.Lock()
	defer s.fs.mu.Unlock()
	s.log("SITE CHMOD %03o %s", m, p)
	return nil
}

func (s *fakeSession) SetModTime(context.Context, string, time.Time) error {
	return engine.ErrUnsupported
}
func (s *fakeSession) Checksum(_ context.Context, p string) (string, string, error) {
	s.fs.mu.Lock()
	defer s.fs.mu.Unlock()
	if !s.fs.sums {
		return "", "", engine.ErrUnsupported
	}
	sum := sha256.Sum256(s.fs.files[p])
	if s.fs.badSum {
		sum[0] ^= 0xff
	}
	return "SHA-256", hex.EncodeToString(sum[:]), nil
}
func (s *fakeSession) Getwd(context.Context) (string, error) { return s.cwd, nil }
func (s *fakeSession) Quote(ctx context.Context, line string) (int, string, error) {
	s.fs.mu.Lock()
	defer s.fs.mu.Unlock()
	s.log("%s", line)
	return 200, "OK", nil
}
func (s *fakeSession) Noop(context.Context) error { return nil }
func (s *fakeSession) Alive() bool                { return !s.closed.Load() }
func (s *fakeSession) Features() engine.Features  { return engine.Features{System: "UNIX", TLS: s.tls} }
func (s *fakeSession) Close() error               { s.closed.Store(true); return nil }

func (f *fakeFS) callLog() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// fakeQueue records queued transfers; finish reports an item done or failed.
type fakeQueue struct {
	mu   sync.Mutex
	fn   func(TransferEvent)
	next uint64
	adds []TransferItem
}

func (q *fakeQueue) add(it TransferItem) {
	q.mu.Lock()
	q.next++
	it.ID = q.next
	q.adds = append(q.adds, it)
	fn := q.fn
	q.mu.Unlock()
	fn(TransferEvent{Item: it})
}

func (q *fakeQueue) Download(cfg engine.Config, remote, localDir, name string, dir bool, size int64) {
	q.add(TransferItem{Local: filepath.Join(localDir, name), Remote: remote, Host: cfg.Host, Size: size, Dir: dir})
}
func (q *fakeQueue) Upload(cfg engine.Config, local, remote string, dir bool, size int64) {
	q.add(TransferItem{Upload: true, Local: local, Remote: remote, Host: cfg.Host, Size: size, Dir: dir})
}
func (q *fakeQueue) Pause(uint64)                     {}
func (q *fakeQueue) Resume(uint64)                    {}
func (q *fakeQueue) Cancel(uint64)                    {}
func (q *fakeQueue) Retry(uint64)                     {}
func (q *fakeQueue) Remove(uint64)                    {}
func (q *fakeQueue) Move(uint64, int)                 {}
func (q *fakeQueue) Subscribe(fn func(TransferEvent)) { q.fn = fn }

func (q *fakeQueue) finish(i int, state TransferState, reason string) {
	q.mu.Lock()
	it := q.adds[i]
	it.State, it.Reason, it.Done = state, reason, max(it.Size, 0)
	q.adds[i] = it
	fn := q.fn
	q.mu.Unlock()
	fn(TransferEvent{Item: it})
}

func (q *fakeQueue) items() []TransferItem {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]TransferItem(nil), q.adds...)
}

// uiMu stands in for the UI goroutine: the test driver runs fyne.Do on the
// calling goroutine, so tests serialise every UI change through it.
var uiMu sync.Mutex

func TestMain(m *testing.M) {
	do = func(f func()) {
		uiMu.Lock()
		defer uiMu.Unlock()
		f()
	}
	os.Exit(m.Run())
}

// onUI runs f as if on the UI goroutine.
func onUI(f func()) {
	uiMu.Lock()
	defer uiMu.Unlock()
	f()
}

func locked(cond func() bool) bool {
	uiMu.Lock()
	defer uiMu.Unlock()
	return cond()
}

// waitFor polls cond (on the UI goroutine) until it holds or 5 seconds
// passed (stretched under the race detector).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second * raceSlowdown)
	for !locked(cond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type ctxT = context.Context

// inDialog returns the first object of the top overlay that match accepts,
// or nil: the one walk over a dialog's widgets the tests share.
func inDialog(w *Window, match func(fyne.CanvasObject) bool) fyne.CanvasObject {
	var found fyne.CanvasObject
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil {
			return
		}
		if match(o) {
			found = o
			return
		}
		if wd, ok := o.(fyne.Widget); ok {
			for _, c := range test.WidgetRenderer(wd).Objects() {
				walk(c)
			}
		}
		if c, ok := o.(*fyne.Container); ok {
			for _, c := range c.Objects {
				walk(c)
			}
		}
	}
	if top := w.win.Canvas().Overlays().Top(); top != nil {
		walk(top)
	}
	return found
}

// tapButton taps the button labelled text in the top overlay.
func tapButton(t *testing.T, w *Window, text string) {
	t.Helper()
	b, _ := inDialog(w, func(o fyne.CanvasObject) bool { b, ok := o.(*widget.Button); return ok && b.Text == text }).(*widget.Button)
	if b == nil {
		t.Fatalf("no button %q in the dialog", text)
	}
	test.Tap(b)
}

func cacheRenderer(wd fyne.Widget) fyne.WidgetRenderer { return test.WidgetRenderer(wd) }
