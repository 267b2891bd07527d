package ftp

import (
	"io"
	"net"
	"testing"
	"time"
)

// An upload over a link that moves, slowly, must not hit the inactivity
// timeout just because one buffer takes longer than the timeout to drain.
func TestSlowButMovingUploadDoesNotTimeOut(t *testing.T) {
	client, server := net.Pipe() // unbuffered: a Write lasts until it is read
	defer client.Close()
	defer server.Close()
	const total = 512 << 10
	go func() {
		buf := make([]byte, 16<<10)
		for got := 0; got < total; {
			// 16 KiB every 50 ms: 512 KiB in ~1.6 s, three times the
			// timeout, while no gap comes near it (a 10× margin for a
			// loaded machine or Wine's coarse timers).
			time.Sleep(50 * time.Millisecond)
			n, err := server.Read(buf)
			if err != nil {
				return
			}
			got += n
		}
		io.Copy(io.Discard, server)
	}()
	dc := &dataConn{Conn: client, timeout: 500 * time.Millisecond}
	n, err := dc.Write(make([]byte, total))
	if err != nil || n != total {
		t.Fatalf("Write: %d of %d bytes, %v", n, total, err)
	}
}

// A link that stops moving still times out.
func TestStalledUploadTimesOut(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	defer server.Close()
	dc := &dataConn{Conn: client, timeout: 100 * time.Millisecond}
	start := time.Now()
	_, err := dc.Write(make([]byte, 4096))
	if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
		t.Fatalf("Write to a stalled link: %v, want a timeout", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("timed out after %v", d)
	}
}
