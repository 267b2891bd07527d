package engine

import (
	"fmt"
	"net"
	"os"
	"testing"
)

// TestConnResetMatchesWinsockCodes: Windows reports a reset as
// WSAECONNRESET (10054), which syscall.ECONNRESET does not match. (Under
// Wine a reset often arrives as a plain EOF, so this is tested with the
// error Windows returns rather than provoked.)
func TestConnResetMatchesWinsockCodes(t *testing.T) {
	for _, code := range []error{wsaeConnReset, wsaeConnAborted} {
		err := fmt.Errorf("data connection TLS handshake: %w",
			&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("wsarecv", code)})
		if !ConnReset(err) {
			t.Errorf("ConnReset(%v) = false", err)
		}
		if !IsTemporary(err) {
			t.Errorf("IsTemporary(%v) = false", err)
		}
	}
}
