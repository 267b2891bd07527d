package ftp_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/ftp"
	"github.com/skiff-ftp/skiff/engine/listing"
	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// bigSize is the interop test's large file (the issue asks for 100 MiB);
// -short uses 8 MiB.
func bigSize() int {
	if testing.Short() {
		return 8 << 20
	}
	return 100 << 20
}

var (
	bigOnce sync.Once
	big     []byte
)

func bigFile() []byte {
	bigOnce.Do(func() {
		big = make([]byte, bigSize())
		r := rand.NewChaCha8([32]byte{'s', 'k', 'i', 'f', 'f'})
		r.Read(big)
	})
	return big
}

// serverConfig returns the Config for s's read/write user.
func serverConfig(s *ftptest.Server, sec engine.Security, mode engine.Mode, t *testing.T) engine.Config {
	cfg := engine.Config{
		Host: s.Host, Port: s.Port, User: s.User, Password: s.Password,
		Security: sec, Mode: mode, CAFile: s.CAFile, Timeout: 20 * time.Second,
	}
	if testing.Verbose() {
		cfg.Trace = func(e engine.TraceEvent) {
			if e.Kind != engine.TraceReply || !strings.HasPrefix(e.Text, "2") {
				t.Logf("[%d] %s", e.Conn, e.Text)
			}
		}
	}
	return cfg
}

func sum(b []byte) [32]byte { return sha256.Sum256(b) }

func fileSum(t *testing.T, name string) [32]byte {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	io.Copy(h, f)
	var s [32]byte
	copy(s[:], h.Sum(nil))
	return s
}

// TestInterop runs every operation against vsftpd (require_ssl_reuse=YES),
// pure-ftpd and the in-process Go server, over plain FTP and explicit FTPS,
// in passive and active mode.
func TestInterop(t *testing.T) {
	for _, k := range ftptest.Kinds {
		t.Run(string(k), func(t *testing.T) {
			s := ftptest.Start(t, k, ftptest.Options{TLS: true})
			for _, sec := range []engine.Security{engine.Plain, engine.TLSExplicit} {
				for _, mode := range []engine.Mode{engine.ModePassive, engine.ModeActive} {
					t.Run(sec.String()+"/"+mode.String(), func(t *testing.T) {
						if k == ftptest.KindGo && sec == engine.TLSExplicit && mode == engine.ModeActive {
							// goftp.io/server/v2 v2.0.3 accepts PROT P but sends active-mode data
							// in clear text: our TLS handshake waits for a ServerHello that never comes.
							t.Skip("the Go server does not encrypt active-mode data connections")
						}
						interop(t, s, serverConfig(s, sec, mode, t), mode == engine.ModePassive)
					})
				}
			}
			t.Run("anonymous", func(t *testing.T) {
				s.WriteFile(t, "pub/readme.txt", []byte("hello anonymous"))
				cfg := serverConfig(s, engine.Plain, engine.ModeDefault, t)
				cfg.User, cfg.Password = "anonymous", ""
				c, err := ftp.Dial(context.Background(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				es, err := c.List(context.Background(), "/pub")
				if err != nil || len(es) != 1 || es[0].Name != "readme.txt" {
					t.Fatalf("%v %+v", err, es)
				}
				var b bytes.Buffer
				if _, err := c.Retrieve(context.Background(), "/pub/readme.txt", 0, &b); err != nil || b.String() != "hello anonymous" {
					t.Fatalf("%v %q", err, b.String())
				}
				if _, err := c.Store(context.Background(), "/pub/x", 0, strings.NewReader("x")); err == nil {
					t.Fatal("anonymous upload accepted")
				}
			})
			t.Run("wrong password", func(t *testing.T) {
				cfg := serverConfig(s, engine.TLSExplicit, engine.ModeDefault, t)
				cfg.Password = "wrong"
				_, err := ftp.Dial(context.Background(), cfg)
				if !errors.Is(err, engine.ErrLoginFailed) {
					t.Fatalf("err %v, want ErrLoginFailed", err)
				}
			})
		})
	}
}

func TestInteropImplicitTLS(t *testing.T) {
	for _, k := range []ftptest.Kind{ftptest.KindVsftpd, ftptest.KindGo} {
		t.Run(string(k), func(t *testing.T) {
			s := ftptest.Start(t, k, ftptest.Options{ImplicitTLS: true})
			cfg := serverConfig(s, engine.TLSImplicit, engine.ModeDefault, t)
			c, err := ftp.Dial(context.Background(), cfg)
			if k == ftptest.KindGo {
				// goftp.io/server/v2 refuses PBSZ/PROT on implicit sessions and
				// sends data in clear text: that must not pass for TLS.
				if !errors.Is(err, engine.ErrTLSRequired) {
					t.Fatalf("err %v, want ErrTLSRequired", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			s.WriteFile(t, "f", []byte("implicit"))
			var b bytes.Buffer
			if _, err := c.Retrieve(context.Background(), "/f", 0, &b); err != nil || b.String() != "implicit" {
				t.Fatalf("%v %q", err, b.String())
			}
		})
	}
}

func interop(t *testing.T, s *ftptest.Server, cfg engine.Config, withBig bool) {
	ctx := context.Background()
	c, err := ftp.Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := c.Features().TLS; got != (cfg.Security == engine.TLSExplicit) {
		t.Fatalf("TLS %v", got)
	}
	dir := "/t-" + cfg.Security.String() + "-" + cfg.Mode.String()
	if err := c.Mkdir(ctx, dir+"/sub/deeper", true); err != nil {
		t.Fatal(err)
	}
	if err := c.Mkdir(ctx, dir+"/sub", true); err != nil {
		t.Fatalf("mkdir -p of an existing directory: %v", err)
	}

	// A 0-byte file up and down.
	if n, err := c.Store(ctx, dir+"/empty", 0, bytes.NewReader(nil)); err != nil || n != 0 {
		t.Fatalf("store empty: %d %v", n, err)
	}
	if fi, err := os.Stat(filepath.Join(s.Root, dir, "empty")); err != nil || fi.Size() != 0 {
		t.Fatalf("empty upload: %v", err)
	}
	var b bytes.Buffer
	if n, err := c.Retrieve(ctx, dir+"/empty", 0, &b); err != nil || n != 0 {
		t.Fatalf("retrieve empty: %d %v", n, err)
	}

	payload := bigFile()
	if !withBig {
		payload = payload[:1<<20+17]
	}
	// Upload, compared by SHA-256 on the server's disk.
	if n, err := c.Store(ctx, dir+"/big.bin", 0, bytes.NewReader(payload)); err != nil || n != int64(len(payload)) {
		t.Fatalf("store: %d %v", n, err)
	}
	if got := fileSum(t, filepath.Join(s.Root, dir, "big.bin")); got != sum(payload) {
		t.Fatal("uploaded file differs")
	}
	// Download of a file the server already had.
	s.WriteFile(t, dir[1:]+"/down.bin", payload)
	h := sha256.New()
	if n, err := c.Retrieve(ctx, dir+"/down.bin", 0, h); err != nil || n != int64(len(payload)) {
		t.Fatalf("retrieve: %d %v", n, err)
	}
	if !bytes.Equal(h.Sum(nil), func() []byte { x := sum(payload); return x[:] }()) {
		t.Fatal("downloaded file differs")
	}

	// Resume: the second half of a download, and an interrupted upload.
	half := int64(len(payload) / 2)
	b.Reset()
	if n, err := c.Retrieve(ctx, dir+"/down.bin", half, &b); err != nil || n != int64(len(payload))-half || !bytes.Equal(b.Bytes(), payload[half:]) {
		t.Fatalf("resumed retrieve: %d %v", n, err)
	}
	if _, err := c.Store(ctx, dir+"/resumed.bin", 0, bytes.NewReader(payload[:half])); err != nil {
		t.Fatal(err)
	}
	_, err = c.Store(ctx, dir+"/resumed.bin", half, bytes.NewReader(payload[half:]))
	switch {
	case err == nil:
		if got := fileSum(t, filepath.Join(s.Root, dir, "resumed.bin")); got != sum(payload) {
			t.Fatal("resumed upload differs")
		}
	case s.Kind == ftptest.KindGo && errors.Is(err, engine.ErrShort):
		// The Go server has no REST STREAM in FEAT, so the client appends
		// (APPE), and its APPE overwrites instead: the size check must
		// catch it, as it did.
		t.Logf("resumed store on the Go server: %v", err)
	default:
		t.Fatalf("resumed store: %v", err)
	}

	// Listing and stat.
	es, err := c.List(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]listing.Entry{}
	for _, e := range es {
		names[e.Name] = e
	}
	if e := names["big.bin"]; e.Size != int64(len(payload)) || e.Type != listing.File || names["sub"].Type != listing.Dir || e.Unparsed {
		t.Fatalf("listing %+v", es)
	}
	if e, err := c.Stat(ctx, dir+"/big.bin"); err != nil || e.Size != int64(len(payload)) || e.Type != listing.File {
		t.Fatalf("stat file: %+v %v", e, err)
	}
	if e, err := c.Stat(ctx, dir+"/sub"); err != nil || e.Type != listing.Dir {
		t.Fatalf("stat dir: %+v %v", e, err)
	}
	if _, err := c.List(ctx, dir+"/nope"); !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("list missing: %v", err)
	}
	if _, err := c.Stat(ctx, dir+"/nope"); !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("stat missing: %v", err)
	}
	_, err = c.Retrieve(ctx, dir+"/nope", 0, io.Discard)
	if s.Kind == ftptest.KindGo && engine.ReplyCode(err) == 551 {
		// goftp.io/server/v2 answers a missing file with 551, not 550.
	} else if !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("retrieve missing: %v", err)
	}

	// Rename, chmod, modification time, delete, remove-all.
	if err := c.Rename(ctx, dir+"/empty", dir+"/sub/renamed"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.Root, dir, "sub", "renamed")); err != nil {
		t.Fatalf("rename: %v", err)
	}
	if err := c.Chmod(ctx, dir+"/big.bin", 0o600); err != nil {
		if s.Kind != ftptest.KindGo || !errors.Is(err, engine.ErrUnsupported) {
			t.Fatalf("chmod: %v", err)
		}
	} else if fi, _ := os.Stat(filepath.Join(s.Root, dir, "big.bin")); fi.Mode().Perm() != 0o600 {
		t.Fatalf("chmod: mode %v", fi.Mode())
	}
	when := time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)
	if err := c.SetModTime(ctx, dir+"/big.bin", when); err == nil {
		if fi, _ := os.Stat(filepath.Join(s.Root, dir, "big.bin")); !fi.ModTime().Equal(when) {
			t.Errorf("SetModTime: mtime %v", fi.ModTime())
		}
	} else if !errors.Is(err, engine.ErrUnsupported) {
		t.Errorf("SetModTime: %v", err)
	}
	if err := c.Delete(ctx, dir+"/down.bin"); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveAll(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.Root, dir)); !os.IsNotExist(err) {
		t.Fatalf("remove-all left %s: %v", dir, err)
	}
	if !c.Alive() {
		t.Fatal("connection died")
	}
}

// TestInteropCancel cancels a download and an upload halfway: the calls
// return promptly with context.Canceled and the connection, after ABOR,
// still works (or reports itself closed), on every server.
func TestInteropCancel(t *testing.T) {
	for _, k := range ftptest.Kinds {
		t.Run(string(k), func(t *testing.T) {
			s := ftptest.Start(t, k, ftptest.Options{TLS: true})
			payload := bigFile()
			s.WriteFile(t, "big.bin", payload)
			for _, sec := range []engine.Security{engine.Plain, engine.TLSExplicit} {
				t.Run(sec.String(), func(t *testing.T) {
					c, err := ftp.Dial(context.Background(), serverConfig(s, sec, engine.ModePassive, t))
					if err != nil {
						t.Fatal(err)
					}
					defer c.Close()
					ctx, cancel := context.WithCancel(context.Background())
					var got int
					w := writer(func(p []byte) (int, error) {
						if got += len(p); got > 1<<20 {
							cancel()
						}
						return len(p), nil
					})
					start := time.Now()
					if _, err := c.Retrieve(ctx, "/big.bin", 0, w); !errors.Is(err, context.Canceled) {
						t.Fatalf("download: %v", err)
					}
					if d := time.Since(start); d > 5*time.Second {
						t.Fatalf("cancelled download took %v", d)
					}
					ctx, cancel = context.WithCancel(context.Background())
					r := reader(func(p []byte) (int, error) {
						if got -= len(p); got < 0 {
							cancel()
						}
						return len(p), nil
					})
					got = 1 << 20
					if _, err := c.Store(ctx, "/cancelled.bin", 0, r); !errors.Is(err, context.Canceled) {
						t.Fatalf("upload: %v", err)
					}
					if !c.Alive() {
						t.Skip("server left the connection unusable after ABOR; it was closed, as the contract allows")
					}
					var b bytes.Buffer
					s.WriteFile(t, "small.txt", []byte("still in step"))
					if _, err := c.Retrieve(context.Background(), "/small.txt", 0, &b); err != nil || b.String() != "still in step" {
						t.Fatalf("after cancel: %v %q", err, b.String())
					}
				})
			}
		})
	}
}

type writer func([]byte) (int, error)

func (f writer) Write(p []byte) (int, error) { return f(p) }

type reader func([]byte) (int, error)

func (f reader) Read(p []byte) (int, error) { return f(p) }
