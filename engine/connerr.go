package engine

import (
	"errors"
	"syscall"
)

// ConnReset reports whether err is the peer resetting or aborting a
// connection. Use it, not syscall.ECONNRESET: Windows reports WSAECONNRESET
// and WSAECONNABORTED, which the syscall constants do not match.
func ConnReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNABORTED) || connResetOS(err)
}

// ConnRefused reports whether err is a connection refused by the peer
// (nothing listening), on every OS: Windows reports WSAECONNREFUSED.
func ConnRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || connRefusedOS(err)
}
