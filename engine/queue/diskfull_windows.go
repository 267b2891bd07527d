package queue

import (
	"errors"
	"syscall"
)

// Windows reports a full disk with its own error codes, which
// syscall.ENOSPC does not match.
const (
	errorHandleDiskFull syscall.Errno = 39  // ERROR_HANDLE_DISK_FULL
	errorDiskFull       syscall.Errno = 112 // ERROR_DISK_FULL
)

func diskFullOS(err error) bool {
	return errors.Is(err, errorDiskFull) || errors.Is(err, errorHandleDiskFull)
}
