//go:build unix

package engine

import (
	"errors"
	"net"
	"testing"
	"time"
)

// TestConnResetMatchesARealReset provokes a reset the way a server does it
// when it closes a data connection with our TLS ClientHello unread, and checks that ConnReset
// recognises what this OS reports, which on Windows is not
// syscall.ECONNRESET.
func TestConnResetMatchesARealReset(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write([]byte("unread hello")); err != nil {
		t.Fatal(err)
	}
	// Let the bytes arrive, then close without reading them.
	s.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	s.Read(make([]byte, 0))
	time.Sleep(100 * time.Millisecond)
	s.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	_, err = c.Read(make([]byte, 1))
	if err == nil || !ConnReset(err) {
		t.Fatalf("read after a reset: %v (%#v); ConnReset says no", err, errors.Unwrap(err))
	}
}
