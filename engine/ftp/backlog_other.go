//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd || windows)

package ftp

import "syscall"

// backlog cannot tell on this system: downloads write each TLS record as
// it is read.
func backlog(syscall.RawConn) (int, bool) { return 0, false }
