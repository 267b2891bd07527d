// Package sftptest runs an in-process SSH server with the sftp subsystem for
// tests: user "u", password "pw" or one client key, on 127.0.0.1.
package sftptest

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"net"
	"testing"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/skiff-ftp/skiff/internal/sshserve"
)

// Server is an in-process SSH server with the sftp subsystem, serving
// root as its working directory. It accepts user "u" with password "pw" or
// the given client key.
type Server struct {
	Addr    string
	HostKey ssh.Signer
}

func Start(t *testing.T, root string, clientKey ssh.PublicKey) *Server {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	hk, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &ssh.ServerConfig{
		PasswordCallback: func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if c.User() == "u" && string(pw) == "pw" {
				return nil, nil
			}
			return nil, errBadPassword
		},
		PublicKeyCallback: func(c ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			if clientKey != nil && string(k.Marshal()) == string(clientKey.Marshal()) {
				return nil, nil
			}
			return nil, errBadPassword
		},
	}
	cfg.AddHostKey(hk)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go serve(nc, cfg, root)
		}
	}()
	return &Server{Addr: ln.Addr().String(), HostKey: hk}
}

var errBadPassword = errors.New("bad credentials")

// serve runs one SSH connection whose SFTP sessions start in root.
func serve(nc net.Conn, cfg *ssh.ServerConfig, root string) {
	sshserve.Serve(nc, cfg, func(ch ssh.Channel) {
		srv, err := sftp.NewServer(ch, sftp.WithServerWorkingDirectory(root))
		if err == nil {
			srv.Serve()
			srv.Close()
		}
	})
}
