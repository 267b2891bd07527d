package sftp_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"net"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/sftp"
	"github.com/skiff-ftp/skiff/engine/sftp/sftptest"
	"github.com/skiff-ftp/skiff/internal/winetest"
)

// TestNoAgentLeavesTheAgentsKeysUnused: a site whose "Use ssh-agent" is
// off does not offer the agent's keys, which would otherwise log in.
func TestNoAgentLeavesTheAgentsKeysUnused(t *testing.T) {
	_, _, cfg := setup(t)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	sshPub, _ := ssh.NewPublicKey(pub)
	srv := sftptest.Start(t, t.TempDir(), sshPub)
	cfg.Host, cfg.Port = hostPort(t, srv.Addr)
	cfg.Password = ""

	keys := agent.NewKeyring()
	if err := keys.Add(agent.AddedKey{PrivateKey: priv}); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(t.TempDir(), "agent.sock")
	if winetest.UnderWine() {
		t.Skip("Wine 8.0 has no AF_UNIX sockets; the Linux run tests this")
	}
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { agent.ServeAgent(keys, c); c.Close() }()
		}
	}()
	t.Setenv("SSH_AUTH_SOCK", sock)

	dial(t, cfg) // the agent's key logs in
	cfg.NoAgent = true
	if _, err := (sftp.Dialer{}).Dial(context.Background(), cfg); !errors.Is(err, engine.ErrLoginFailed) {
		t.Fatalf("with NoAgent: err = %v, want ErrLoginFailed", err)
	}
}
