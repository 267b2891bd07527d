package engine

import (
	"net"
	"strconv"
	"testing"
	"time"
)

// TestConnRefusedMatchesARealRefusal dials a port nothing listens on.
func TestConnRefusedMatchesARealRefusal(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	_, err = net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 5*time.Second)
	if err == nil || !ConnRefused(err) {
		t.Fatalf("dial of a closed port: %v; ConnRefused says no", err)
	}
}
