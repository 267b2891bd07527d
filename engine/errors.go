package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"strings"
	"syscall"
)

// Sentinel errors. Match them with errors.Is; the server's reply stays in the
// chain as a *textproto.Error.
var (
	ErrNotFound    = errors.New("not found")                 // 550 (and 450 on some servers) for a missing path
	ErrPermission  = errors.New("permission denied")         // 553, 532, 550 "Permission denied" is still ErrNotFound by code
	ErrLoginFailed = errors.New("login failed")              // 530 to USER/PASS/ACCT; never retried automatically
	ErrClosed      = errors.New("connection closed")         // the control connection is gone
	ErrUnsupported = errors.New("not supported by server")   // 500, 502, 504 to an optional command
	ErrTooMany     = errors.New("too many connections")      // 421 at connect; the pool backs off
	ErrShort       = errors.New("transfer incomplete")       // fewer bytes arrived than the server announced
	ErrTLSRequired = errors.New("server does not offer TLS") // the user asked for TLS and the server has none
	ErrUnsafeName  = errors.New("unsafe file name")          // a server-sent name that would escape the target folder
	ErrBadArgument = errors.New("argument contains CR or LF")
	// ErrNoRestart: the server cannot continue a transfer (REST or APPE
	// refused, now or earlier on the site: SiteMemory). The caller, who
	// owns the local file, starts the transfer over from the beginning.
	ErrNoRestart = errors.New("the server cannot resume transfers")
)

// Error records a failed operation on a remote path. Err is the cause: a
// sentinel joined with the server's *textproto.Error, or a network error.
type Error struct {
	Op   string // "RETR", "LIST", "login", ...
	Path string // remote path, "" when none
	Err  error
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Op + ": " + e.Err.Error()
	}
	return e.Op + " " + e.Path + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Classify maps a server reply to the sentinel it stands for, joined with the
// reply so the code stays in the chain. It is the one place reply codes become
// meanings. A reply with no sentinel is returned on its own; either way the
// text is ReplyText's.
func Classify(op string, reply *textproto.Error) error {
	var s error
	switch reply.Code {
	case 530:
		s = ErrLoginFailed
	case 550:
		s = ErrNotFound
	case 553, 532, 552:
		s = ErrPermission
	case 500, 502, 504:
		s = ErrUnsupported
	case 421:
		s = ErrTooMany
	}
	return &classified{s, reply}
}

// WithReply joins a sentinel and the server's reply that stands for it,
// as Classify does for the sentinels it picks: errors.Is finds both, and
// the text is the reply's (ReplyText). A nil sentinel gives the reply
// alone, unclassified, with that text.
func WithReply(sentinel error, reply *textproto.Error) error {
	return &classified{sentinel, reply}
}

// classified is a server reply with the sentinel it stands for (nil: none).
// Its text is the server's reply alone ("550 No such file"), as ReplyText
// gives it.
type classified struct {
	sentinel error
	reply    *textproto.Error
}

func (e *classified) Error() string { return ReplyText(e.reply) }
func (e *classified) Unwrap() []error {
	if e.sentinel == nil {
		return []error{e.reply}
	}
	return []error{e.sentinel, e.reply}
}

// ReplyText is a reply as the server wrote it, for a person: the code and
// the first line ("550 No such file"), and the further lines of a
// multi-line reply each on a line below. *textproto.Error's own text is a
// Go-quoted string (550 "No such file\nsee ..."), not for people.
func ReplyText(reply *textproto.Error) string {
	return fmt.Sprintf("%03d %s", reply.Code, strings.TrimRight(reply.Msg, "\r\n "))
}

// Join is errors.Join for errors a person reads: their texts on one line,
// separated by "; ". errors.Is and errors.As see every one of them.
func Join(errs ...error) error {
	var j joined
	for _, err := range errs {
		if err != nil {
			j = append(j, err)
		}
	}
	switch len(j) {
	case 0:
		return nil
	case 1:
		return j[0]
	}
	return j
}

type joined []error

func (j joined) Error() string {
	s := make([]string, len(j))
	for i, err := range j {
		s[i] = err.Error()
	}
	return strings.Join(s, "; ")
}

func (j joined) Unwrap() []error { return j }

// ReplyCode returns the server's reply code in err's chain, or 0.
func ReplyCode(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

// IsTemporary reports whether retrying the operation (on a new connection if
// need be) may succeed: 421, 425, 426, 450, 451, timeouts, resets and other
// network errors. Login failures, 550/553, cancellation and local file
// system errors (a full disk, a folder without write permission) are
// permanent.
func IsTemporary(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, ErrLoginFailed) || errors.Is(err, ErrUnsafeName) || errors.Is(err, ErrTLSRequired) {
		return false
	}
	var ce *CertError
	if errors.As(err, &ce) {
		return false
	}
	switch ReplyCode(err) {
	case 421, 425, 426, 450, 451:
		return true
	case 0:
	default:
		return false
	}
	if errors.Is(err, ErrShort) || errors.Is(err, ErrClosed) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNABORTED) {
		return true
	}
	// A network error: dialling, reading, writing a connection, DNS. Not a
	// bare errno: syscall.Errno has Timeout and Temporary methods, so it is
	// a net.Error too, and a full disk or a read-only folder
	// (*fs.PathError{Err: ENOSPC}) would be retried as if the network had
	// hiccuped.
	var ne net.Error
	if !errors.As(err, &ne) {
		return false
	}
	_, errno := ne.(syscall.Errno)
	return !errno
}
