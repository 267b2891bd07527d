package ftp

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// backlog reports the bytes received on the socket and not yet read
// (SIOCINQ), and whether the query worked.
func backlog(rc syscall.RawConn) (int, bool) {
	var n uint32
	var err error
	cerr := rc.Control(func(fd uintptr) { n, err = unix.IoctlGetUint32(int(fd), unix.SIOCINQ) })
	return int(n), cerr == nil && err == nil
}
