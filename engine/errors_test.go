package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/textproto"
	"os"
	"strings"
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

// TestErrorTextIsForPeople: a reply reads as the server wrote it (no Go
// quoting, further lines below the first), and joined errors stay on one
// line; errors.Is still finds every part.
func TestErrorTextIsForPeople(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want string
		is   []error
	}{
		{"550 one line", Classify("", &textproto.Error{Code: 550, Msg: "No such file."}), "550 No such file.", []error{ErrNotFound}},
		{"451 unclassified", Classify("", &textproto.Error{Code: 451, Msg: "Local error."}), "451 Local error.", nil},
		{"multi-line 550", Classify("", &textproto.Error{Code: 550, Msg: "No such file.\nAsk the admin.\n"}), "550 No such file.\nAsk the admin.", []error{ErrNotFound}},
		{"closed and EOF", Join(ErrClosed, io.EOF), "connection closed; EOF", []error{ErrClosed, io.EOF}},
		{"TLS required and a reply", Join(ErrTLSRequired, WithReply(nil, &textproto.Error{Code: 530, Msg: "Login first."})), "server does not offer TLS; 530 Login first.", []error{ErrTLSRequired}},
		{"nil parts", Join(nil, ErrShort, nil), "transfer incomplete", []error{ErrShort}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Fatalf("text %q, want %q", got, tt.want)
			}
			for _, s := range tt.is {
				if !errors.Is(tt.err, s) {
					t.Errorf("not %v", s)
				}
			}
			if ReplyCode(tt.err) == 0 && strings.Contains(tt.name, "5") {
				t.Errorf("the reply code is lost")
			}
		})
	}
	if Join() != nil {
		t.Fatal("Join of nothing is not nil")
	}
}
