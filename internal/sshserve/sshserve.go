// Package sshserve runs the SSH side of Skiff's in-process SFTP servers (the
// demo's and engine/sftp/sftptest's): session channels whose "sftp"
// subsystem request is handed to a function, and nothing else — no shell,
// exec or forwarding. Global keepalive requests are answered.
package sshserve

import (
	"net"
	"time"

	"golang.org/x/crypto/ssh"
)

// HandshakeTimeout bounds the SSH handshake of a connection.
const HandshakeTimeout = 30 * time.Second

// Serve runs one SSH connection until the client closes it. sftp serves the
// SFTP protocol on a channel and returns when that session ends; Serve
// closes the channel afterwards.
func Serve(nc net.Conn, cfg *ssh.ServerConfig, sftp func(ch ssh.Channel)) {
	nc.SetDeadline(time.Now().Add(HandshakeTimeout))
	sc, chans, reqs, err := ssh.NewServerConn(nc, cfg)
	if err != nil {
		nc.Close()
		return
	}
	nc.SetDeadline(time.Time{})
	defer sc.Close()
	go func() {
		for r := range reqs {
			if r.WantReply {
				r.Reply(r.Type == "keepalive@openssh.com", nil)
			}
		}
	}()
	for nch := range chans {
		if nch.ChannelType() != "session" {
			nch.Reject(ssh.UnknownChannelType, "only sftp sessions")
			continue
		}
		ch, creqs, err := nch.Accept()
		if err != nil {
			return
		}
		go func() {
			defer ch.Close()
			for r := range creqs {
				ok := isSFTP(r)
				r.Reply(ok, nil)
				if ok {
					sftp(ch)
					return
				}
			}
		}()
	}
}

// isSFTP reports whether r asks for the sftp subsystem (its payload is an
// SSH string: a 4-byte length, then the name).
func isSFTP(r *ssh.Request) bool {
	return r.Type == "subsystem" && len(r.Payload) > 4 && string(r.Payload[4:]) == "sftp"
}
