package queue

import (
	"errors"
	"syscall"
)

// reasonDiskFull starts the Reason of a download paused because the local
// disk (or the user's quota) is full.
const reasonDiskFull = "local disk full"

// diskFull reports whether err says the local file system has no room left:
// ENOSPC, or EDQUOT for a user over quota (ERROR_DISK_FULL and
// ERROR_HANDLE_DISK_FULL on Windows, see diskfull_windows.go).
func diskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || diskFullOS(err)
}
