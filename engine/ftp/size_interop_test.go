package ftp_test

import (
	"bytes"
	"context"
	"errors"
	"net/textproto"
	"strings"
	"sync"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/ftp"
	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// TestInteropRetrieveSize pins down what each real server states in its
// 150 reply to RETR, and that a whole download is verified without SIZE
// where the server states the size (vsftpd) and with SIZE where it does not.
func TestInteropRetrieveSize(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789"), 1000)
	for _, k := range ftptest.Kinds {
		t.Run(string(k), func(t *testing.T) {
			s := ftptest.Start(t, k, ftptest.Options{})
			s.WriteFile(t, "f.bin", payload)
			var mu sync.Mutex
			var lines []string
			cfg := serverConfig(s, engine.Plain, engine.ModeDefault, t)
			cfg.Trace = func(e engine.TraceEvent) {
				if e.Kind == engine.TraceCommand || e.Kind == engine.TraceReply {
					mu.Lock()
					lines = append(lines, e.Text)
					mu.Unlock()
				}
			}
			ctx := context.Background()
			c, err := ftp.Dial(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			take := func() []string {
				mu.Lock()
				defer mu.Unlock()
				l := lines
				lines = nil
				return l
			}
			take()
			for _, off := range []int64{0, 4000} {
				var b bytes.Buffer
				if n, err := c.Retrieve(ctx, "/f.bin", off, &b); err != nil || !bytes.Equal(b.Bytes(), payload[off:]) {
					t.Fatalf("Retrieve from %d: %d %v", off, n, err)
				}
				var sized, stated bool
				for _, l := range take() {
					if strings.HasPrefix(l, "SIZE") {
						sized = true
					}
					if strings.HasPrefix(l, "150") {
						t.Logf("offset %d: %s", off, l)
						stated = stated || strings.Contains(l, "(10000 bytes)")
					}
				}
				if k == ftptest.KindVsftpd && !stated {
					t.Errorf("vsftpd did not state the file's size (10000) for offset %d", off)
				}
				if off == 0 && sized == stated {
					t.Errorf("offset 0: SIZE asked %v, 150 stated the size %v", sized, stated)
				}
				if off > 0 && !sized {
					t.Errorf("a resume was not checked with SIZE")
				}
			}
			// The Go server answers RETR of a missing file 551 (and SIZE 450).
			_, err = c.Retrieve(ctx, "/missing.bin", 0, &bytes.Buffer{})
			if code := engine.ReplyCode(err); code/100 != 5 || (k != ftptest.KindGo && !errors.Is(err, engine.ErrNotFound)) {
				t.Errorf("missing file: %v (reply %d), want ErrNotFound", err, code)
			}
		})
	}
}

// TestInteropStatMissing: Stat of a missing path keeps the server's reply
// (vsftpd has no MLST and answers SIZE 550; pure-ftpd and the Go server
// answer MLST 550).
func TestInteropStatMissing(t *testing.T) {
	for _, k := range ftptest.Kinds {
		t.Run(string(k), func(t *testing.T) {
			s := ftptest.Start(t, k, ftptest.Options{})
			ctx := context.Background()
			c, err := ftp.Dial(ctx, serverConfig(s, engine.Plain, engine.ModeDefault, t))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for _, p := range []string{"/missing.bin", "/missing/deeper.bin"} {
				_, err := c.Stat(ctx, p)
				var te *textproto.Error
				if !errors.Is(err, engine.ErrNotFound) {
					t.Errorf("Stat %s: %v, want ErrNotFound", p, err)
				}
				if !errors.As(err, &te) || te.Code != 550 {
					t.Errorf("Stat %s: %v, the server's 550 is not in the chain", p, err)
				}
				t.Logf("Stat %s: %v", p, err)
			}
			if !c.Alive() {
				t.Fatal("connection died")
			}
		})
	}
}
