package sftp

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"sync/atomic"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

// Session is one SFTP connection. It implements engine.Session.
type Session struct {
	conn   *ssh.Client
	jumps  []*ssh.Client // ProxyJump connections conn runs through, outermost first
	client *sftp.Client
	status *statusRecorder // the server's last failure status
	feat   engine.Features
	dead   atomic.Bool
	tr     tracer

	size, requests int         // bytes per READ/WRITE and how many in flight (limits.go)
	bulk           *bulkReader // the download channel, opened by the first Retrieve
	noBulk         bool        // the server refused a second channel: downloads use client
}

var _ engine.Session = (*Session)(nil)

// guard closes the connection when ctx ends during a call, so a blocked
// request returns; the session is then dead.
func (s *Session) guard(ctx context.Context) (stop func() bool) {
	if s.dead.Load() {
		return func() bool { return true }
	}
	return context.AfterFunc(ctx, func() {
		s.dead.Store(true)
		s.closeConns()
	})
}

func (s *Session) do(ctx context.Context, op, p string, f func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.dead.Load() {
		return &engine.Error{Op: op, Path: p, Err: engine.ErrClosed}
	}
	stop := s.guard(ctx)
	s.status.reset()
	err := f()
	stop()
	if err != nil && ctx.Err() != nil {
		return &engine.Error{Op: op, Path: p, Err: ctx.Err()}
	}
	return s.check(op, p, err)
}

func (s *Session) check(op, p string, err error) error {
	if err == nil {
		return nil
	}
	e := wrap(op, p, err, s.status.take())
	if errors.Is(e, engine.ErrClosed) {
		s.dead.Store(true)
	}
	return e
}

func entry(fi os.FileInfo) listing.Entry {
	e := listing.Entry{
		Name: fi.Name(), Size: fi.Size(), ModTime: fi.ModTime().UTC(), Precision: listing.PrecisionSecond,
		Mode: fi.Mode(), Perm: fi.Mode().Perm().String()[1:],
	}
	switch {
	case fi.IsDir():
		e.Type = listing.Dir
	case fi.Mode()&fs.ModeSymlink != 0:
		e.Type = listing.Link
	}
	if st, ok := fi.Sys().(*sftp.FileStat); ok {
		e.Owner, e.Group = itoa(st.UID), itoa(st.GID)
	}
	return e
}

func itoa(n uint32) string {
	var b [10]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

func (s *Session) abs(p string) string {
	if p == "" {
		return "."
	}
	return p
}

// List returns the entries of a directory, dot files included.
func (s *Session) List(ctx context.Context, p string) ([]listing.Entry, error) {
	var out listing.Collector
	err := s.do(ctx, "LIST", p, func() error {
		fis, err := s.client.ReadDirContext(ctx, s.abs(p))
		for _, fi := range fis {
			if fi.Name() == "." || fi.Name() == ".." {
				continue
			}
			e := entry(fi)
			if e.Type == listing.Link {
				if t, err := s.client.ReadLink(path.Join(s.abs(p), fi.Name())); err == nil {
					e.Target = t
				}
			}
			out.Add(e)
		}
		return err
	})
	return out.Entries(), err
}

// Stat describes one path (following no link).
func (s *Session) Stat(ctx context.Context, p string) (listing.Entry, error) {
	var e listing.Entry
	err := s.do(ctx, "STAT", p, func() error {
		fi, err := s.client.Lstat(s.abs(p))
		if err == nil {
			e = entry(fi)
			e.Name = path.Base(p)
		}
		return err
	})
	return e, err
}

// Retrieve copies the remote file from offset to w with concurrent reads,
// on the download channel (bulkread.go) where the server allows a second
// one.
func (s *Session) Retrieve(ctx context.Context, p string, offset int64, w io.Writer) (int64, error) {
	var n int64
	err := s.do(ctx, "RETR", p, func() error {
		b := s.downloader()
		if b == nil {
			var err error
			n, err = s.retrieveClient(ctx, p, offset, w)
			return err
		}
		var size int64
		var err error
		n, size, err = b.read(p, offset, w, engine.ContextTransferTrace(ctx).TransferAccepted)
		if b.broken {
			b.close()
			s.bulk = nil
		}
		if err != nil {
			return err
		}
		if want := size - offset; size >= 0 && n < want {
			return engine.ErrShort
		}
		return nil
	})
	return n, err
}

// downloader returns the download channel, opening it on first use; nil
// when the server refused it (OpenSSH's MaxSessions 1), for the rest of
// the session.
func (s *Session) downloader() *bulkReader {
	if s.bulk != nil || s.noBulk || s.conn == nil {
		return s.bulk
	}
	b, err := openBulk(s.conn, s.size, s.requests, s.tr)
	if err != nil {
		s.noBulk = true
		s.tr.status("No second sftp channel (" + err.Error() + "): downloads share the session's")
		return nil
	}
	s.bulk = b
	return b
}

// retrieveClient is Retrieve through pkg/sftp's File.WriteTo.
func (s *Session) retrieveClient(ctx context.Context, p string, offset int64, w io.Writer) (int64, error) {
	var n int64
	err := func() error {
		f, err := s.client.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		engine.ContextTransferTrace(ctx).TransferAccepted()
		if offset > 0 {
			if _, err := f.Seek(offset, io.SeekStart); err != nil {
				return err
			}
		}
		n, err = f.WriteTo(w)
		if err != nil {
			return err
		}
		if want := fi.Size() - offset; n < want {
			return engine.ErrShort
		}
		return nil
	}()
	return n, err
}

// Store uploads r; offset > 0 appends from there.
func (s *Session) Store(ctx context.Context, p string, offset int64, r io.Reader) (int64, error) {
	var n int64
	err := s.do(ctx, "STOR", p, func() error {
		flags := os.O_WRONLY | os.O_CREATE
		if offset == 0 {
			flags |= os.O_TRUNC
		}
		f, err := s.client.OpenFile(p, flags)
		if err != nil {
			return err
		}
		engine.ContextTransferTrace(ctx).TransferAccepted()
		if offset > 0 {
			if _, err := f.Seek(offset, io.SeekStart); err != nil {
				f.Close()
				return err
			}
		}
		// Not pkg/sftp's ReadFrom: it sends one request at a time when r
		// hides its size, as the queue's progress meter does, and
		// otherwise as many as the client allows, which only queue at a
		// server that is the bottleneck (pacer.go).
		n, err = s.store(f, r, offset)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	})
	return n, err
}

// Mkdir creates p; with parents, missing parents too.
func (s *Session) Mkdir(ctx context.Context, p string, parents bool) error {
	return s.do(ctx, "MKD", p, func() error {
		if parents {
			return s.client.MkdirAll(p)
		}
		return s.client.Mkdir(p)
	})
}

// Rmdir removes an empty directory.
func (s *Session) Rmdir(ctx context.Context, p string) error {
	return s.do(ctx, "RMD", p, func() error { return s.client.RemoveDirectory(p) })
}

// Delete removes a file.
func (s *Session) Delete(ctx context.Context, p string) error {
	return s.do(ctx, "DELE", p, func() error { return s.client.Remove(p) })
}

// RemoveAll deletes a file or a tree.
func (s *Session) RemoveAll(ctx context.Context, p string) error {
	return s.do(ctx, "RMD", p, func() error {
		if _, err := s.client.Lstat(p); err != nil {
			return err
		}
		return s.client.RemoveAll(p)
	})
}

// Rename uses posix-rename@openssh.com where offered (it replaces the
// target, as FTP's RNTO does), plain SSH_FXP_RENAME otherwise.
func (s *Session) Rename(ctx context.Context, from, to string) error {
	return s.do(ctx, "RNFR", from, func() error {
		if _, ok := s.client.HasExtension("posix-rename@openssh.com"); ok {
			return s.client.PosixRename(from, to)
		}
		return s.client.Rename(from, to)
	})
}

// Chmod sets permission bits.
func (s *Session) Chmod(ctx context.Context, p string, mode fs.FileMode) error {
	return s.do(ctx, "SITE CHMOD", p, func() error { return s.client.Chmod(p, mode) })
}

// SetModTime sets atime and mtime with SSH_FXP_SETSTAT.
func (s *Session) SetModTime(ctx context.Context, p string, t time.Time) error {
	return s.do(ctx, "MFMT", p, func() error { return s.client.Chtimes(p, t, t) })
}

// Checksum is not in SFTP v3.
func (s *Session) Checksum(ctx context.Context, p string) (string, string, error) {
	return "", "", &engine.Error{Op: "HASH", Path: p, Err: engine.ErrUnsupported}
}

// Getwd returns the remote working (login) directory.
func (s *Session) Getwd(ctx context.Context) (string, error) {
	var wd string
	err := s.do(ctx, "PWD", "", func() (err error) { wd, err = s.client.Getwd(); return err })
	return wd, err
}

// Quote has no SFTP counterpart.
func (s *Session) Quote(ctx context.Context, line string) (int, string, error) {
	return 0, "", &engine.Error{Op: "QUOTE", Err: engine.ErrUnsupported}
}

// Noop sends an SSH keepalive request and waits for the reply.
func (s *Session) Noop(ctx context.Context) error {
	return s.do(ctx, "NOOP", "", func() error {
		_, _, err := s.conn.SendRequest("keepalive@openssh.com", true, nil)
		if err != nil {
			return errors.Join(engine.ErrClosed, err)
		}
		return nil
	})
}

// Alive reports whether the connection is still usable.
func (s *Session) Alive() bool { return !s.dead.Load() }

// Features describes the SFTP server.
func (s *Session) Features() engine.Features { return s.feat }

// Close ends the SFTP subsystem and the SSH connection.
func (s *Session) Close() error {
	s.dead.Store(true)
	if s.bulk != nil {
		s.bulk.close()
	}
	s.client.Close()
	return s.closeConns()
}

// closeConns closes the SSH connection, then the jump hosts' under it.
func (s *Session) closeConns() error {
	err := s.conn.Close()
	for i := len(s.jumps) - 1; i >= 0; i-- {
		s.jumps[i].Close()
	}
	return err
}

// ListFunc calls fn for each entry of a directory, as engine/ftp's does.
func (s *Session) ListFunc(ctx context.Context, p string, fn func(listing.Entry) error) error {
	es, err := s.List(ctx, p)
	if err != nil {
		return err
	}
	for _, e := range es {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}
