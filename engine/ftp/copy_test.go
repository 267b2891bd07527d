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

// arrived is a waiting function for a pipe whose sender has written all
// it will: a record is always there.
func arrived() int { return maxWireRecord }

// tcpPair returns both ends of a loopback TCP connection.
func tcpPair(t *testing.T) (client, server *net.TCPConn) {
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ch := make(chan *net.TCPConn, 1)
	go func() {
		s, _ := ln.AcceptTCP()
		ch <- s
	}()
	client, err = net.DialTCP("tcp", nil, ln.Addr().(*net.TCPAddr))
	if err != nil {
		t.Fatal(err)
	}
	server = <-ch
	if server == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

// deadlines counts the deadlines set on its connection.
type deadlines struct {
	net.Conn
	n int
}

func (d *deadlines) SetDeadline(t time.Time) error {
	d.n++
	return d.Conn.SetDeadline(t)
}

func (d *deadlines) SetReadDeadline(t time.Time) error {
	d.n++
	return d.Conn.SetReadDeadline(t)
}

func TestFill(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789abcdef"), 8<<10) // 128 KiB
	t.Run("gather fills the buffer from many records", func(t *testing.T) {
		buf := make([]byte, 64<<10)
		n, err := fill(sender(t, payload, 16<<10, 0, nil), buf, arrived)
		if n != len(buf) || err != nil || !bytes.Equal(buf, payload[:n]) {
			t.Fatalf("fill = %d, %v; want %d, nil", n, err, len(buf))
		}
	})
	t.Run("without gather one read", func(t *testing.T) {
		buf := make([]byte, 64<<10)
		n, err := fill(sender(t, payload, 16<<10, 0, nil), buf, nil)
		if n != 16<<10 || err != nil {
			t.Fatalf("fill = %d, %v; want one record", n, err)
		}
	})
	t.Run("only what has arrived is gathered", func(t *testing.T) {
		buf := make([]byte, 64<<10)
		n, err := fill(sender(t, payload, 16<<10, 0, nil), buf, func() int { return maxWireRecord - 1 })
		if n != 16<<10 || err != nil {
			t.Fatalf("fill = %d, %v; want the one record that had arrived", n, err)
		}
	})
	t.Run("the bytes before EOF come with it", func(t *testing.T) {
		buf := make([]byte, 64<<10)
		n, err := fill(sender(t, payload[:20_000], 16<<10, 0, nil), buf, arrived)
		if n != 20_000 || err != io.EOF || !bytes.Equal(buf[:n], payload[:n]) {
			t.Fatalf("fill = %d, %v; want 20000, EOF", n, err)
		}
	})
	t.Run("the bytes before a broken connection come with it", func(t *testing.T) {
		broken := errors.New("connection reset")
		buf := make([]byte, 64<<10)
		n, err := fill(sender(t, payload[:100], 16<<10, 0, broken), buf, arrived)
		if n != 100 || err != broken {
			t.Fatalf("fill = %d, %v; want 100 and the error", n, err)
		}
	})
	t.Run("a stalled link keeps the bytes it sent", func(t *testing.T) {
		client, server := tcpPair(t)
		waiting := received(client)
		if waiting == nil {
			t.Skip("this system cannot tell the bytes a socket has received")
		}
		server.Write([]byte("some")) // and then nothing, until the test ends
		start := time.Now()
		n, err := fill(&dataConn{Conn: client, timeout: 5 * time.Second}, make([]byte, 64<<10), waiting)
		if n != 4 || err != nil || time.Since(start) > 2*time.Second {
			t.Fatalf("fill = %d, %v after %v; want the 4 bytes at once", n, err, time.Since(start))
		}
	})
	t.Run("a gather sets no deadline", func(t *testing.T) {
		// A deadline per gather is a timer that wakes a scheduler thread
		// every 64 KiB; the inactivity deadline is pushed every timeout/4.
		client, server := tcpPair(t)
		waiting := received(client)
		if waiting == nil {
			t.Skip("this system cannot tell the bytes a socket has received")
		}
		go func() {
			for range 16 {
				server.Write(payload)
			}
			server.Close()
		}()
		conn := &deadlines{Conn: client}
		d := &dataConn{Conn: conn, timeout: time.Minute}
		buf := make([]byte, 64<<10)
		var total int
		for {
			n, err := fill(d, buf, waiting)
			total += n
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if total != 16*len(payload) || conn.n > 1 {
			t.Fatalf("read %d bytes, setting %d deadlines; want %d bytes and one deadline", total, conn.n, 16*len(payload))
		}
	})
	t.Run("cancelled between gathers", func(t *testing.T) {
		client, server := net.Pipe()
		defer client.Close()
		defer server.Close()
		d := &dataConn{Conn: client, timeout: 5 * time.Second}
		ctx, cancel := context.WithCancel(context.Background())
		stop := d.watch(ctx)
		defer stop()
		go server.Write([]byte("some"))
		buf := make([]byte, 64<<10)
		nothing := func() int { return 0 }
		if n, err := fill(d, buf, nothing); n != 4 || err != nil {
			t.Fatalf("fill = %d, %v; want the 4 bytes", n, err)
		}
		cancel()
		if _, err := fill(d, buf, nothing); err == nil {
			t.Fatal("a cancelled download read on")
		}
	})
}

func TestReceived(t *testing.T) {
	p, _ := net.Pipe()
	defer p.Close()
	if received(p) != nil {
		t.Error("a pipe reported received bytes")
	}
	client, server := tcpPair(t)
	waiting := received(client)
	if waiting == nil {
		t.Skip("this system cannot tell the bytes a socket has received")
	}
	server.Write(make([]byte, 100))
	deadline := time.Now().Add(5 * time.Second)
	for waiting() != 100 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := waiting(); got != 100 {
		t.Fatalf("received = %d, want 100", got)
	}
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
