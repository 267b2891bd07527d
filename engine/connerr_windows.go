package engine

import (
	"errors"
	"syscall"
)

// Winsock's codes (winerror.h).
const (
	wsaeConnAborted syscall.Errno = 10053
	wsaeConnReset   syscall.Errno = 10054
	wsaeConnRefused syscall.Errno = 10061
)

func connResetOS(err error) bool {
	return errors.Is(err, wsaeConnReset) || errors.Is(err, wsaeConnAborted)
}

func connRefusedOS(err error) bool { return errors.Is(err, wsaeConnRefused) }
