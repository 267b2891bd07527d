package sftp_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// delayProxy forwards TCP connections to target, each byte arriving oneWay
// after it was sent, in both directions (latency without a bandwidth
// limit: data in flight keeps flowing). It returns its address.
func delayProxy(t *testing.T, target string, oneWay time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			go delayCopy(s, c, oneWay)
			go delayCopy(c, s, oneWay)
		}
	}()
	return ln.Addr().String()
}

func delayCopy(dst, src net.Conn, d time.Duration) {
	type chunk struct {
		b  []byte
		at time.Time
	}
	ch := make(chan chunk, 4096)
	go func() {
		defer close(ch)
		for {
			b := make([]byte, 64<<10)
			n, err := src.Read(b)
			if n > 0 {
				ch <- chunk{b[:n], time.Now().Add(d)}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range ch {
		time.Sleep(time.Until(c.at))
		if _, err := dst.Write(c.b); err != nil {
			break
		}
	}
	dst.Close()
	src.Close()
}

// sizeless hides the size of what it reads, as the queue's progress meter
// does: pkg/sftp's File.ReadFrom then writes one 32 KiB request at a time.
type sizeless struct{ r io.Reader }

func (s sizeless) Read(p []byte) (int, error) { return s.r.Read(p) }

// TestTransfersKeepRequestsInFlight: with 80 ms each way, one request at a
// time would take 64 round trips (10 s) for 2 MiB; Store (from a reader
// that hides its size) and Retrieve keep many requests in flight, so a few
// round trips do (5 s leaves room for -race on a busy machine).
func TestTransfersKeepRequestsInFlight(t *testing.T) {
	srv, root, cfg := setup(t)
	cfg.Host, cfg.Port = hostPort(t, delayProxy(t, srv.Addr, 80*time.Millisecond))
	s := dial(t, cfg)
	data := bytes.Repeat([]byte("0123456789abcdef"), 2<<20/16)
	ctx := context.Background()

	began := time.Now()
	if _, err := s.Store(ctx, "up.bin", 0, sizeless{bytes.NewReader(data)}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("upload of 2 MiB took %v: requests are not in flight together", d)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "up.bin")); !bytes.Equal(got, data) {
		t.Fatal("uploaded file differs")
	}

	began = time.Now()
	var buf bytes.Buffer
	if _, err := s.Retrieve(ctx, "up.bin", 0, &buf); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("download of 2 MiB took %v: requests are not in flight together", d)
	}
	if !bytes.Equal(buf.Bytes(), data) {
		t.Fatal("downloaded file differs")
	}
}
