package sftp

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/pkg/sftp"

	"github.com/skiff-ftp/skiff/engine"
)

// Status is a failure status an SFTP server sent (SSH_FXP_STATUS) with its
// own message. pkg/sftp turns SSH_FX_NO_SUCH_FILE and
// SSH_FX_PERMISSION_DENIED into os.ErrNotExist and os.ErrPermission and
// drops the message; the session reads it off the wire (statusRecorder) and
// wrap puts it back in the chain.
type Status struct {
	Code    uint32
	Message string
}

func (s *Status) Error() string {
	return fmt.Sprintf("server said %q (SSH_FX status %d)", s.Message, s.Code)
}

// wrap turns a pkg/sftp or ssh error into the engine's contract, keeping
// the server's status in the chain: pkg/sftp's *sftp.StatusError, or st,
// the status the server sent during the call, when pkg/sftp replaced it by
// an os error of the same meaning.
func wrap(op, path string, err error, st *Status) error {
	if err == nil {
		return nil
	}
	if st != nil && (st.Code == uint32(sftp.ErrSSHFxNoSuchFile) && errors.Is(err, os.ErrNotExist) ||
		st.Code == uint32(sftp.ErrSSHFxPermissionDenied) && errors.Is(err, os.ErrPermission)) {
		err = errors.Join(err, st)
	}
	var se *sftp.StatusError
	var own *Status // the download channel's (bulkread.go)
	var s error
	if errors.As(err, &own) {
		s = statusSentinel(own.Code)
	} else if errors.As(err, &se) {
		s = statusSentinel(uint32(se.FxCode()))
	} else if errors.Is(err, os.ErrNotExist) {
		s = engine.ErrNotFound
	} else if errors.Is(err, os.ErrPermission) {
		s = engine.ErrPermission
	} else if errors.Is(err, sftp.ErrSSHFxConnectionLost) || errors.Is(err, io.EOF) {
		s = engine.ErrClosed
	}
	if s != nil && !errors.Is(err, s) {
		err = errors.Join(s, err)
	}
	return &engine.Error{Op: op, Path: path, Err: err}
}

// statusSentinel maps an SSH_FX status code to the engine's sentinel, or nil.
func statusSentinel(code uint32) error {
	switch code {
	case uint32(sftp.ErrSSHFxNoSuchFile):
		return engine.ErrNotFound
	case uint32(sftp.ErrSSHFxPermissionDenied):
		return engine.ErrPermission
	case uint32(sftp.ErrSSHFxOpUnsupported):
		return engine.ErrUnsupported
	case uint32(sftp.ErrSSHFxConnectionLost), uint32(sftp.ErrSSHFxNoConnection):
		return engine.ErrClosed
	}
	return nil
}
