package demo

// The demo's SFTP server: an in-process SSH server whose sftp subsystem
// serves the demo tree as "/" and nothing outside it.

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/skiff-ftp/skiff/internal/sshserve"
)

// sftpServer is a running SSH server with the sftp subsystem.
type sftpServer struct {
	ln      net.Listener
	hostKey ssh.Signer

	mu     sync.Mutex
	conns  map[net.Conn]bool
	closed bool
	wg     sync.WaitGroup
}

// startSFTP serves root over SFTP on addr to user with password. The host
// key is new each time: clients learn it from Demo.HostKey.
func startSFTP(addr, root, user, password string) (*sftpServer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	hk, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return nil, err
	}
	cfg := &ssh.ServerConfig{
		PasswordCallback: func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			okUser := subtle.ConstantTimeCompare([]byte(c.User()), []byte(user))
			okPass := subtle.ConstantTimeCompare(pw, []byte(password))
			if okUser&okPass == 1 {
				return nil, nil
			}
			return nil, errors.New("demo: wrong user or password")
		},
		ServerVersion: "SSH-2.0-SkiffDemo",
	}
	cfg.AddHostKey(hk)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	s := &sftpServer{ln: ln, hostKey: hk, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			if !s.track(nc, true) {
				nc.Close()
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer s.track(nc, false)
				serveSSH(nc, cfg, root)
			}()
		}
	}()
	return s, nil
}

// track adds or removes a connection; false when the server is closed.
func (s *sftpServer) track(nc net.Conn, add bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !add {
		delete(s.conns, nc)
		return true
	}
	if s.closed {
		return false
	}
	s.conns[nc] = true
	return true
}

func (s *sftpServer) port() int {
	_, p, _ := net.SplitHostPort(s.ln.Addr().String())
	n, _ := strconv.Atoi(p)
	return n
}

// Close stops accepting, ends every connection and waits for them.
func (s *sftpServer) Close() error {
	s.mu.Lock()
	s.closed = true
	err := s.ln.Close()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

// serveSSH runs one SSH connection whose SFTP sessions see only root.
func serveSSH(nc net.Conn, cfg *ssh.ServerConfig, root string) {
	sshserve.Serve(nc, cfg, func(ch ssh.Channel) {
		srv := sftp.NewRequestServer(ch, rootedHandlers(root))
		srv.Serve()
		srv.Close()
	})
}

// rootFS is the demo tree as an SFTP file system: every request path is
// cleaned as an absolute path and joined to root, so ".." cannot leave it.
// Links are neither made nor read.
type rootFS struct{ root string }

func rootedHandlers(root string) sftp.Handlers {
	fs := rootFS{root}
	return sftp.Handlers{FileGet: fs, FilePut: fs, FileCmd: fs, FileList: fs}
}

func (fs rootFS) local(p string) string {
	return filepath.Join(fs.root, filepath.FromSlash(path.Clean("/"+p)))
}

var errNoLinks = errors.New("links are not supported by the demo server")

func (fs rootFS) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	return os.Open(fs.local(r.Filepath))
}

func (fs rootFS) Filewrite(r *sftp.Request) (io.WriterAt, error) {
	pf := r.Pflags()
	flags := os.O_WRONLY
	if pf.Creat {
		flags |= os.O_CREATE
	}
	if pf.Trunc {
		flags |= os.O_TRUNC
	}
	if pf.Excl {
		flags |= os.O_EXCL
	}
	// Not O_APPEND: pkg/sftp writes at explicit offsets (WriteAt), which
	// resuming an upload relies on.
	return os.OpenFile(fs.local(r.Filepath), flags, 0o644)
}

func (fs rootFS) Filecmd(r *sftp.Request) error {
	p := fs.local(r.Filepath)
	switch r.Method {
	case "Setstat":
		return fs.setstat(r, p)
	case "Rename":
		return os.Rename(p, fs.local(r.Target))
	case "Rmdir":
		return os.Remove(p)
	case "Remove":
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return fmt.Errorf("%s is a directory", r.Filepath)
		}
		return os.Remove(p)
	case "Mkdir":
		return os.Mkdir(p, 0o755)
	case "Link", "Symlink":
		return errNoLinks
	}
	return sftp.ErrSSHFxOpUnsupported
}

// PosixRename replaces an existing target, as posix-rename@openssh.com does.
func (fs rootFS) PosixRename(r *sftp.Request) error {
	return os.Rename(fs.local(r.Filepath), fs.local(r.Target))
}

func (fs rootFS) setstat(r *sftp.Request, p string) error {
	a, f := r.Attributes(), r.AttrFlags()
	if f.Size {
		if err := os.Truncate(p, int64(a.Size)); err != nil {
			return err
		}
	}
	if f.Permissions {
		if err := os.Chmod(p, a.FileMode().Perm()); err != nil {
			return err
		}
	}
	if f.Acmodtime {
		if err := os.Chtimes(p, a.AccessTime(), a.ModTime()); err != nil {
			return err
		}
	}
	return nil
}

func (fs rootFS) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	p := fs.local(r.Filepath)
	switch r.Method {
	case "List":
		es, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		infos := make(listerAt, 0, len(es))
		for _, e := range es {
			if fi, err := e.Info(); err == nil {
				infos = append(infos, fi)
			}
		}
		return infos, nil
	case "Stat":
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		return listerAt{fi}, nil
	case "Readlink":
		return nil, errNoLinks
	}
	return nil, sftp.ErrSSHFxOpUnsupported
}

type listerAt []os.FileInfo

func (l listerAt) ListAt(ls []os.FileInfo, off int64) (int, error) {
	if off >= int64(len(l)) {
		return 0, io.EOF
	}
	n := copy(ls, l[off:])
	if n < len(ls) {
		return n, io.EOF
	}
	return n, nil
}
