package ftpserver

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	ftp "goftp.io/server/v2"
	"goftp.io/server/v2/driver/file"
)

// errReadOnly is what anonymous sessions get for every write; the library
// answers it with 550.
var errReadOnly = errors.New("anonymous access is read-only")

// isAnonymous reports whether name is one of the anonymous login names of
// RFC 1635.
func isAnonymous(name string) bool {
	return strings.EqualFold(name, "anonymous") || strings.EqualFold(name, "ftp")
}

// auth admits the configured user and, when enabled, anonymous logins.
type auth struct {
	user, password string
	anonymous      bool
}

// CheckPasswd implements ftp.Auth. The password comparison takes constant
// time.
func (a auth) CheckPasswd(_ *ftp.Context, name, pass string) (bool, error) {
	if a.anonymous && isAnonymous(name) {
		return true, nil
	}
	if a.user == "" || name != a.user {
		return false, nil
	}
	return subtle.ConstantTimeCompare([]byte(pass), []byte(a.password)) == 1, nil
}

// driver serves root through the library's file driver and refuses writes to
// anonymous sessions.
type driver struct {
	root string
}

func (d *driver) fs() *file.Driver { return &file.Driver{RootPath: d.root} }

// readOnly reports whether the session behind ctx may not write.
func readOnly(ctx *ftp.Context) bool {
	return ctx == nil || ctx.Sess == nil || isAnonymous(ctx.Sess.LoginUser())
}

// utcInfo reports the modification time in UTC: the library formats
// MDTM and MLSD modify= from ModTime as is, and RFC 3659 wants UTC.
type utcInfo struct{ os.FileInfo }

func (u utcInfo) ModTime() time.Time { return u.FileInfo.ModTime().UTC() }

func (d *driver) Stat(ctx *ftp.Context, path string) (os.FileInfo, error) {
	fi, err := d.fs().Stat(ctx, path)
	if err != nil {
		return nil, err
	}
	return utcInfo{fi}, nil
}

// ListDir lists path's entries with Lstat, so symlinks show as symlinks.
// Unlike the library's driver it reads one directory instead of walking.
func (d *driver) ListDir(ctx *ftp.Context, path string, fn func(os.FileInfo) error) error {
	dir := filepath.Join(d.root, filepath.FromSlash(path))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		fi, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed since ReadDir
		}
		if err != nil {
			return err
		}
		if err := fn(utcInfo{fi}); err != nil {
			return err
		}
	}
	return nil
}

func (d *driver) DeleteDir(ctx *ftp.Context, path string) error {
	if readOnly(ctx) {
		return errReadOnly
	}
	return d.fs().DeleteDir(ctx, path)
}

func (d *driver) DeleteFile(ctx *ftp.Context, path string) error {
	if readOnly(ctx) {
		return errReadOnly
	}
	return d.fs().DeleteFile(ctx, path)
}

func (d *driver) Rename(ctx *ftp.Context, from, to string) error {
	if readOnly(ctx) {
		return errReadOnly
	}
	return d.fs().Rename(ctx, from, to)
}

func (d *driver) MakeDir(ctx *ftp.Context, path string) error {
	if readOnly(ctx) {
		return errReadOnly
	}
	return d.fs().MakeDir(ctx, path)
}

func (d *driver) GetFile(ctx *ftp.Context, path string, offset int64) (int64, io.ReadCloser, error) {
	return d.fs().GetFile(ctx, path, offset)
}

// PutFile stores an upload as RFC 959 and 3659 say, which the library's
// file driver does not: APPE appends (it replaced the file), and REST n
// before STOR keeps the first n bytes and writes from there (REST STREAM;
// it appended at the end whatever n was). Resume tests against this
// server, the one on every machine, then exercise what real servers do.
func (d *driver) PutFile(ctx *ftp.Context, path string, r io.Reader, offset int64) (int64, error) {
	if readOnly(ctx) {
		return 0, errReadOnly
	}
	real := filepath.Join(d.root, filepath.FromSlash(path))
	if fi, err := os.Lstat(real); err == nil && fi.IsDir() {
		return 0, errors.New("a folder has that name")
	}
	var f *os.File
	var err error
	switch {
	case ctx.Cmd == "APPE":
		f, err = os.OpenFile(real, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	case offset > 0:
		if f, err = os.OpenFile(real, os.O_WRONLY, 0o644); err != nil {
			break
		}
		var fi os.FileInfo
		if fi, err = f.Stat(); err == nil && offset > fi.Size() {
			err = fmt.Errorf("REST %d is beyond the file's %d bytes", offset, fi.Size())
		}
		if err == nil {
			if err = f.Truncate(offset); err == nil {
				_, err = f.Seek(offset, io.SeekStart)
			}
		}
		if err != nil {
			f.Close()
		}
	default:
		f, err = os.OpenFile(real, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	}
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}
