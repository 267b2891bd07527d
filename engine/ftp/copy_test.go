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

// holding is a gauge over a pipe that always reports n bytes received
// (the pipe's reads do not pass through it).
func holding(n int) *gauge { return &gauge{received: func() int { return n }} }

// arrived is a gauge for a pipe whose sender has written all it will: a
// record is always there.
func arrived() *gauge { return holding(maxWireRecord) }

// socketGauge returns a gauge over a TCP connection that counts the times
// it asks the socket, or skips the test where sockets cannot be asked.
func socketGauge(t *testing.T, c *net.TCPConn) (g *gauge, asked *int) {
	t.Helper()
	g = newGauge(c)
	if g == nil {
		t.Skip("this system cannot tell the bytes a socket has received")
	}
	asked = new(int)
	received := g.received
	g.received = func() int { *asked++; return received() }
	return g, asked
}

// primed returns a gauge over a TCP connection whose socket holds n
// received bytes, the count of its queries, and the sending end.
func primed(t *testing.T, n int) (g *gauge, asked *int, server *net.TCPConn) {
	t.Helper()
	client, server := tcpPair(t)
	g, asked = socketGauge(t, client)
	server.Write(make([]byte, n))
	backlogged(t, client, n)
	return g, asked, server
}

// backlogged waits until c has received n bytes that are not read.
func backlogged(t *testing.T, c *net.TCPConn, n int) {
	t.Helper()
	g := newGauge(c)
	deadline := time.Now().Add(5 * time.Second)
	for g.received() < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := g.received(); got < n {
		t.Fatalf("socket holds %d bytes, want %d", got, n)
	}
}

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
		n, err := fill(sender(t, payload, 16<<10, 0, nil), buf, arrived())
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
		n, err := fill(sender(t, payload, 16<<10, 0, nil), buf, holding(maxWireRecord-1))
		if n != 16<<10 || err != nil {
			t.Fatalf("fill = %d, %v; want the one record that had arrived", n, err)
		}
	})
	t.Run("the bytes before EOF come with it", func(t *testing.T) {
		buf := make([]byte, 64<<10)
		n, err := fill(sender(t, payload[:20_000], 16<<10, 0, nil), buf, arrived())
		if n != 20_000 || err != io.EOF || !bytes.Equal(buf[:n], payload[:n]) {
			t.Fatalf("fill = %d, %v; want 20000, EOF", n, err)
		}
	})
	t.Run("the bytes before a broken connection come with it", func(t *testing.T) {
		broken := errors.New("connection reset")
		buf := make([]byte, 64<<10)
		n, err := fill(sender(t, payload[:100], 16<<10, 0, broken), buf, arrived())
		if n != 100 || err != broken {
			t.Fatalf("fill = %d, %v; want 100 and the error", n, err)
		}
	})
	t.Run("a stalled link keeps the bytes it sent", func(t *testing.T) {
		client, server := tcpPair(t)
		g, _ := socketGauge(t, client)
		server.Write([]byte("some")) // and then nothing, until the test ends
		start := time.Now()
		n, err := fill(&dataConn{Conn: g, timeout: 5 * time.Second}, make([]byte, 64<<10), g)
		if n != 4 || err != nil || time.Since(start) > 2*time.Second {
			t.Fatalf("fill = %d, %v after %v; want the 4 bytes at once", n, err, time.Since(start))
		}
	})
	t.Run("a gather sets no deadline", func(t *testing.T) {
		// A deadline per gather is a timer that wakes a scheduler thread
		// every 64 KiB; the inactivity deadline is pushed every timeout/4.
		client, server := tcpPair(t)
		g, _ := socketGauge(t, client)
		go func() {
			for range 16 {
				server.Write(payload)
			}
			server.Close()
		}()
		conn := &deadlines{Conn: g}
		d := &dataConn{Conn: conn, timeout: time.Minute}
		buf := make([]byte, 64<<10)
		var total int
		for {
			n, err := fill(d, buf, g)
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
		nothing := holding(0)
		if n, err := fill(d, buf, nothing); n != 4 || err != nil {
			t.Fatalf("fill = %d, %v; want the 4 bytes", n, err)
		}
		cancel()
		if _, err := fill(d, buf, nothing); err == nil {
			t.Fatal("a cancelled download read on")
		}
	})
}

func TestGauge(t *testing.T) {
	t.Run("a pipe has none", func(t *testing.T) {
		p, _ := net.Pipe()
		defer p.Close()
		if newGauge(p) != nil {
			t.Error("a gauge over a pipe")
		}
	})
	t.Run("a read that emptied the socket answers without asking", func(t *testing.T) {
		g, asked, _ := primed(t, 100)
		if n, err := g.Read(make([]byte, 1000)); n != 100 || err != nil {
			t.Fatalf("read %d, %v; want 100", n, err)
		}
		if g.whole() || *asked != 0 {
			t.Fatalf("whole after the socket was emptied, or asked %d times; want false, 0", *asked)
		}
	})
	t.Run("a read that filled its buffer asks", func(t *testing.T) {
		g, asked, _ := primed(t, 3*maxWireRecord)
		g.Read(make([]byte, 10))
		if !g.whole() || *asked != 1 {
			t.Fatalf("whole = false or asked %d times; want true, once", *asked)
		}
	})
	t.Run("counts down what was read before asking again", func(t *testing.T) {
		g, asked, _ := primed(t, 3*maxWireRecord)
		g.Read(make([]byte, 10))
		g.whole()
		io.ReadFull(g, make([]byte, maxWireRecord))
		if !g.whole() || *asked != 1 {
			t.Fatalf("after one record: whole = false or asked %d times; want true, once", *asked)
		}
		io.ReadFull(g, make([]byte, maxWireRecord))
		if g.whole() || *asked != 2 {
			t.Fatalf("with less than a record left: whole = true or asked %d times; want false, twice", *asked)
		}
	})
	t.Run("data that came after an empty read is found at the next", func(t *testing.T) {
		g, _, server := primed(t, 1)
		g.Read(make([]byte, 10))
		server.Write(make([]byte, 2*maxWireRecord))
		backlogged(t, g.Conn.(*net.TCPConn), 2*maxWireRecord)
		if g.whole() {
			t.Fatal("whole before the next read")
		}
		g.Read(make([]byte, 10))
		if !g.whole() {
			t.Fatal("not whole with two records' bytes received")
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

// TestTLSDownloadGathers: a TLS download whose socket holds many records
// hands them to the writer in one write each gather, not one per record:
// the data connection reads through a gauge.
func TestTLSDownloadGathers(t *testing.T) {
	s := newFakeServer(t, "SIZE")
	ca := s.withTLS(t)
	payload := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB
	s.put("/f", payload)
	c := dialFake(t, s, func(cfg *engine.Config) { cfg.Security, cfg.CAFile = engine.TLSExplicit, ca })
	var b bytes.Buffer
	var largest int
	w := writerFunc(func(p []byte) (int, error) {
		if b.Len() == 0 {
			time.Sleep(100 * time.Millisecond) // the server fills the socket meanwhile
		}
		largest = max(largest, len(p))
		return b.Write(p)
	})
	if _, err := c.Retrieve(context.Background(), "/f", 0, w); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), payload) {
		t.Fatalf("got %d bytes, not the file", b.Len())
	}
	if largest <= 16<<10 {
		t.Fatalf("largest write %d bytes: records were not gathered", largest)
	}
}
