package ftp

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// fionread is Winsock's FIONREAD, _IOR('f', 127, u_long).
const fionread = 0x4004667f

// backlog reports the bytes received on the socket and not yet read
// (FIONREAD), and whether the query worked.
func backlog(rc syscall.RawConn) (int, bool) {
	var n uint32
	var ret uint32
	var err error
	cerr := rc.Control(func(fd uintptr) {
		err = windows.WSAIoctl(windows.Handle(fd), fionread, nil, 0, (*byte)(unsafe.Pointer(&n)), 4, &ret, nil, 0)
	})
	return int(n), cerr == nil && err == nil
}
