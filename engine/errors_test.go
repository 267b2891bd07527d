package engine

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/textproto"
	"os"
	"syscall"
	"testing"
)

func TestIsTemporary(t *testing.T) {
	reply := func(code int) error {
		return &Error{Op: "RETR", Path: "/f", Err: &textproto.Error{Code: code, Msg: "x"}}
	}
	netErr := func(errno syscall.Errno) error {
		return &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", errno)}
	}
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"421 too many connections", reply(421), true},
		{"425 cannot open data connection", reply(425), true},
		{"426 transfer aborted", reply(426), true},
		{"450 file busy", reply(450), true},
		{"451 local error", reply(451), true},
		{"550 not found", reply(550), false},
		{"553 name not allowed", reply(553), false},
		{"login failed", fmt.Errorf("PASS: %w", ErrLoginFailed), false},
		{"canceled", context.Canceled, false},
		{"deadline", context.DeadlineExceeded, true},
		{"short transfer", fmt.Errorf("%w: 1 of 2 bytes", ErrShort), true},
		{"unexpected EOF", io.ErrUnexpectedEOF, true},
		{"connection reset", netErr(syscall.ECONNRESET), true},
		{"network unreachable", netErr(syscall.ENETUNREACH), true},
		{"read timeout", &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}, true},
		{"dns", &net.DNSError{Err: "no such host", Name: "x", IsTemporary: true}, true},
		// Local file system errors come as *fs.PathError{Err: syscall.Errno};
		// an Errno is a net.Error by its methods, and must not count as one.
		{"disk full on create", &fs.PathError{Op: "openat", Path: "f.part", Err: syscall.ENOSPC}, false},
		{"disk full on write", &fs.PathError{Op: "write", Path: "f.part", Err: syscall.ENOSPC}, false},
		{"quota exceeded", &fs.PathError{Op: "write", Path: "f.part", Err: syscall.EDQUOT}, false},
		{"read-only folder", &fs.PathError{Op: "openat", Path: "f.part", Err: syscall.EROFS}, false},
		{"permission denied", &fs.PathError{Op: "openat", Path: "f.part", Err: syscall.EACCES}, false},
		{"rename failed", &os.LinkError{Op: "renameat", Old: "f.part", New: "f", Err: syscall.EXDEV}, false},
		{"bare errno", syscall.ENOSPC, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsTemporary(tc.err); got != tc.want {
				t.Fatalf("IsTemporary(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}
