package ftp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

// sender feeds the client end of a pipe the way a TLS server does: in
// records of size bytes, pause apart, then it closes with err (nil: EOF).
func sender(t *testing.T, data []byte, size int, pause time.Duration, err error) *dataConn {
	client, server := net.Pipe()
	t.Cleanup(func() { client.Close() })
	go func() {
		for len(data) > 0 {
			time.Sleep(pause)
			n := min(len(data), size)
			if _, err := server.Write(data[:n]); err != nil {
				return
			}
			data = data[n:]
		}
		server.Close()
	}()
	if err != nil {
		return &dataConn{Conn: breaks{client, err}, timeout: 5 * time.Second}
	}
	return &dataConn{Conn: client, timeout: 5 * time.Second}
}

// breaks turns the end of its connection into err.
type breaks struct {
	net.Conn
	err error
}

func (b breaks) Read(p []byte) (int, error) {
	n, err := b.Conn.Read(p)
	if err == io.EOF {
		err = b.err
	}
	return n, err
}

func TestFill(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789abcdef"), 8<<10) // 128 KiB
	t.Run("gather fills the buffer from many records", func(t *testing.T) {
		buf := make([]byte, 64<<10)
		n, err := fill(sender(t, payload, 16<<10, 0, nil), buf, true)
		if n != len(buf) || err != nil || !bytes.Equal(buf, payload[:n]) {
			t.Fatalf("fill = %d, %v; want %d, nil", n, err, len(buf))
		}
	})
	t.Run("without gather one read", func(t *testing.T) {
		buf := make([]byte, 64<<10)
		n, err := fill(sender(t, payload, 16<<10, 0, nil), buf, false)
		if n != 16<<10 || err != nil {
			t.Fatalf("fill = %d, %v; want one record", n, err)
		}
	})
	t.Run("the bytes before EOF come with it", func(t *testing.T) {
		buf := make([]byte, 64<<10)
		n, err := fill(sender(t, payload[:20_000], 16<<10, 0, nil), buf, true)
		if n != 20_000 || err != io.EOF || !bytes.Equal(buf[:n], payload[:n]) {
			t.Fatalf("fill = %d, %v; want 20000, EOF", n, err)
		}
	})
	t.Run("the bytes before a broken connection come with it", func(t *testing.T) {
		broken := errors.New("connection reset")
		buf := make([]byte, 64<<10)
		n, err := fill(sender(t, payload[:100], 16<<10, 0, broken), buf, true)
		if n != 100 || err != broken {
			t.Fatalf("fill = %d, %v; want 100 and the error", n, err)
		}
	})
	t.Run("a slow link is not held for a full buffer", func(t *testing.T) {
		buf := make([]byte, 64<<10)
		d := sender(t, payload, 100, 20*time.Millisecond, nil) // 13 s for 64 KiB
		start := time.Now()
		n, err := fill(d, buf, true)
		if took := time.Since(start); err != nil || n == 0 || n >= len(buf) || took > gatherTime+time.Second {
			t.Fatalf("fill = %d, %v after %v; want the bytes of about %v", n, err, took, gatherTime)
		}
		// The gather's deadline is gone: the next read waits for data as
		// long as the inactivity timeout allows, not gatherTime.
		time.Sleep(2 * gatherTime)
		if k, err := d.Read(buf); err != nil || k == 0 {
			t.Fatalf("read after a gather: %d, %v", k, err)
		}
	})
	t.Run("a stalled link keeps the bytes it sent", func(t *testing.T) {
		client, server := net.Pipe()
		defer client.Close()
		defer server.Close()
		go server.Write([]byte("some"))
		n, err := fill(&dataConn{Conn: client, timeout: 5 * time.Second}, make([]byte, 64<<10), true)
		if n != 4 || err != nil {
			t.Fatalf("fill = %d, %v; want the 4 bytes after %v", n, err, gatherTime)
		}
	})
	t.Run("cancelled during a gather", func(t *testing.T) {
		client, server := net.Pipe()
		defer client.Close()
		defer server.Close()
		d := &dataConn{Conn: client, timeout: 5 * time.Second}
		ctx, cancel := context.WithCancel(context.Background())
		stop := d.watch(ctx)
		defer stop()
		go func() {
			server.Write([]byte("some"))
			cancel()
		}()
		if _, err := fill(d, make([]byte, 64<<10), true); err == nil {
			t.Fatal("a cancelled gather succeeded")
		}
	})
}

// TestTLSDownloadTrickle: a TLS download from a server that sends a little
// and then waits still hands those bytes to the writer at once (a gather
// that waited for a full buffer would show no progress, here forever).
func TestTLSDownloadTrickle(t *testing.T) {
	s := newFakeServer(t, "SIZE")
	ca := s.withTLS(t)
	got := make(chan struct{})
	s.on("RETR", func(fs *fakeSession, arg string) bool {
		fs.reply("150 Opening BINARY mode data connection")
		dc := fs.openData()
		if dc == nil {
			fs.reply("425 no data connection")
			return true
		}
		dc.Write([]byte("first part;"))
		select {
		case <-got:
		case <-time.After(5 * time.Second):
		}
		dc.Write([]byte("second part"))
		dc.Close()
		fs.reply("226 Transfer complete.")
		return true
	})
	s.put("/f", nil)
	c := dialFake(t, s, func(cfg *engine.Config) { cfg.Security, cfg.CAFile = engine.TLSExplicit, ca })
	var b bytes.Buffer
	first := true
	start := time.Now()
	w := writerFunc(func(p []byte) (int, error) {
		if first {
			first = false
			close(got)
		}
		return b.Write(p)
	})
	if _, err := c.Retrieve(context.Background(), "/f", 0, w); err != nil {
		t.Fatal(err)
	}
	if b.String() != "first part;second part" || time.Since(start) > 4*time.Second {
		t.Fatalf("got %q after %v; the first part waited for the second", b.String(), time.Since(start))
	}
}
