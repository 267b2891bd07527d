package sftp

import (
	"errors"
	"io"
	"os"

	"github.com/pkg/sftp"

	"github.com/skiff-ftp/skiff/engine"
)

// wrap turns a pkg/sftp or ssh error into the engine's contract, keeping
// the server's status in the chain.
func wrap(op, path string, err error) error {
	if err == nil {
		return nil
	}
	var se *sftp.StatusError
	var s error
	if errors.As(err, &se) {
		switch se.FxCode() {
		case sftp.ErrSSHFxNoSuchFile:
			s = engine.ErrNotFound
		case sftp.ErrSSHFxPermissionDenied:
			s = engine.ErrPermission
		case sftp.ErrSSHFxOpUnsupported:
			s = engine.ErrUnsupported
		case sftp.ErrSSHFxConnectionLost, sftp.ErrSSHFxNoConnection:
			s = engine.ErrClosed
		}
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
