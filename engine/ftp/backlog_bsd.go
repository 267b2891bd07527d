//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package ftp

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// fionread is FIONREAD of <sys/filio.h>, _IOR('f', 127, int).
const fionread = 0x4004667f

// backlog reports the bytes received on the socket and not yet read
// (FIONREAD), and whether the query worked.
func backlog(rc syscall.RawConn) (int, bool) {
	var n int
	var err error
	cerr := rc.Control(func(fd uintptr) { n, err = unix.IoctlGetInt(int(fd), fionread) })
	return n, cerr == nil && err == nil
}
