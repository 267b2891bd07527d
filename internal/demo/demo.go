package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"

	"golang.org/x/crypto/ssh"

	"github.com/skiff-ftp/skiff/internal/ftpserver"
)

// User is the demo server's login name.
const User = "demo"

// Demo is a running demo server. Its fields are read-only.
type Demo struct {
	// Host ("127.0.0.1") and Port are where the server listens.
	Host string
	Port int
	// User and Password log in with read/write access; Password is random
	// per Start.
	User, Password string
	// Root is the temp directory served as "/".
	Root string
	// SFTPPort is where the same tree is served over SFTP (on Host), to
	// the same user and password. HostKey is that server's key, new for
	// each Start: a client trusts exactly it, without recording it.
	SFTPPort int
	HostKey  ssh.PublicKey

	srv  *ftpserver.Server
	sftp *sftpServer
}

// Options tunes Start; the zero value is plain FTP on a free port.
type Options struct {
	// Addr is host:port to listen on; empty means 127.0.0.1 and a free port.
	Addr string
	// SFTPAddr is host:port for the SFTP server; empty means Host and a
	// free port.
	SFTPAddr string
	// Logger receives the server's protocol trace at debug level.
	Logger *slog.Logger
}

// Start generates the demo tree into a new temp directory and serves it over
// plain FTP on 127.0.0.1 at a free port, and over SFTP at another, with
// User and a random password.
// The server stops when ctx is done or Close is called; Close also removes
// the directory.
func Start(ctx context.Context) (*Demo, error) {
	return StartWith(ctx, Options{})
}

// StartWith is Start with options.
func StartWith(ctx context.Context, o Options) (*Demo, error) {
	root, err := os.MkdirTemp("", "skiff-demo-")
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := Generate(root); err != nil {
		os.RemoveAll(root)
		return nil, err
	}
	pw := make([]byte, 12)
	if _, err := rand.Read(pw); err != nil {
		os.RemoveAll(root)
		return nil, fmt.Errorf("demo: %w", err)
	}
	addr := o.Addr
	if addr == "" {
		addr = ftpserver.DefaultAddr
	}
	d := &Demo{User: User, Password: hex.EncodeToString(pw), Root: root}
	d.srv, err = ftpserver.Start(ctx, ftpserver.Config{
		Root:     root,
		Addr:     addr,
		User:     d.User,
		Password: d.Password,
		Logger:   o.Logger,
	})
	if err != nil {
		os.RemoveAll(root)
		return nil, err
	}
	d.Host, d.Port = d.srv.Host, d.srv.Port
	sftpAddr := o.SFTPAddr
	if sftpAddr == "" {
		sftpAddr = net.JoinHostPort(d.Host, "0")
	}
	d.sftp, err = startSFTP(sftpAddr, root, d.User, d.Password)
	if err != nil {
		d.srv.Close()
		os.RemoveAll(root)
		return nil, err
	}
	d.SFTPPort, d.HostKey = d.sftp.port(), d.sftp.hostKey.PublicKey()
	return d, nil
}

// SFTPAddr returns Host:SFTPPort.
func (d *Demo) SFTPAddr() string { return net.JoinHostPort(d.Host, strconv.Itoa(d.SFTPPort)) }

// HostKeyFingerprint is the SFTP server's key as clients show it: "SHA256:…".
func (d *Demo) HostKeyFingerprint() string { return ssh.FingerprintSHA256(d.HostKey) }

// Addr returns Host:Port.
func (d *Demo) Addr() string { return net.JoinHostPort(d.Host, strconv.Itoa(d.Port)) }

// URL returns ftp://demo:<password>@Host:Port/.
func (d *Demo) URL() string {
	u := url.URL{Scheme: "ftp", User: url.UserPassword(d.User, d.Password), Host: d.Addr(), Path: "/"}
	return u.String()
}

// LogValue keeps the password out of logs.
func (d *Demo) LogValue() slog.Value {
	return slog.GroupValue(slog.String("addr", d.Addr()), slog.String("user", d.User), slog.String("root", d.Root))
}

// Close stops the servers and removes the served directory.
func (d *Demo) Close() error {
	err := errors.Join(d.srv.Close(), d.sftp.Close())
	if rmErr := os.RemoveAll(d.Root); err == nil {
		err = rmErr
	}
	return err
}
