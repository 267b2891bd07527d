package sftp_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/sys/windows"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/sftp"
	"github.com/skiff-ftp/skiff/engine/sftp/sftptest"
)

// servePipeAgent serves keys over a named pipe of its own, as Windows'
// OpenSSH agent service does on \\.\pipe\openssh-ssh-agent, one pipe
// instance per client, until the test ends. It returns the pipe's name.
func servePipeAgent(t *testing.T, keys agent.Agent) string {
	t.Helper()
	name := fmt.Sprintf(`\\.\pipe\skiff-test-agent-%d-%d`, os.Getpid(), time.Now().UnixNano())
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		t.Fatal(err)
	}
	newInstance := func(first bool) (windows.Handle, error) {
		flags := uint32(windows.PIPE_ACCESS_DUPLEX)
		if first {
			flags |= windows.FILE_FLAG_FIRST_PIPE_INSTANCE
		}
		return windows.CreateNamedPipe(p, flags, windows.PIPE_TYPE_BYTE|windows.PIPE_READMODE_BYTE|windows.PIPE_WAIT,
			windows.PIPE_UNLIMITED_INSTANCES, 64<<10, 64<<10, 0, nil)
	}
	h, err := newInstance(true)
	if err != nil {
		t.Fatalf("CreateNamedPipe %s: %v", name, err)
	}
	done := make(chan struct{})
	t.Cleanup(func() {
		close(done)
		// Unblock ConnectNamedPipe with a client of our own.
		if c, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, 0, 0); err == nil {
			windows.CloseHandle(c)
		}
	})
	go func() {
		for {
			err := windows.ConnectNamedPipe(h, nil)
			select {
			case <-done:
				windows.CloseHandle(h)
				return
			default:
			}
			if err != nil && !errors.Is(err, windows.ERROR_PIPE_CONNECTED) {
				windows.CloseHandle(h)
				return
			}
			f := os.NewFile(uintptr(h), name)
			go func() { agent.ServeAgent(keys, f); f.Close() }()
			if h, err = newInstance(false); err != nil {
				return
			}
		}
	}()
	return name
}

// agentOnlyServer starts the in-process server accepting only a fresh
// key, which only an agent holding it has; it returns the agent's keyring
// and a config with no password and no key files.
func agentOnlyServer(t *testing.T) (agent.Agent, engine.Config) {
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
	return keys, cfg
}

// TestAgentOnANamedPipe: SSH_AUTH_SOCK naming a named pipe (as Windows'
// OpenSSH and other agents set it) reaches the agent there, whose key logs
// in; without the agent the same login fails.
func TestAgentOnANamedPipe(t *testing.T) {
	keys, cfg := agentOnlyServer(t)
	pipe := servePipeAgent(t, keys)
	defer sftp.SetDefaultAgentPipe(`\\.\pipe\skiff-test-no-such-agent`)()
	for _, sock := range []string{pipe, "//./pipe/" + pipe[len(`\\.\pipe\`):]} {
		t.Run(sock, func(t *testing.T) {
			t.Setenv("SSH_AUTH_SOCK", sock)
			dial(t, cfg)
		})
	}
	t.Setenv("SSH_AUTH_SOCK", pipe)
	cfg.NoAgent = true
	if _, err := (sftp.Dialer{}).Dial(context.Background(), cfg); !errors.Is(err, engine.ErrLoginFailed) {
		t.Fatalf("with NoAgent: err = %v, want ErrLoginFailed", err)
	}
}

// TestAgentDefaultPipe: without SSH_AUTH_SOCK the agent service's pipe
// (\\.\pipe\openssh-ssh-agent, here a test's own) is used; when there is
// no such pipe the login goes on without an agent, and the trace does not
// complain about it.
func TestAgentDefaultPipe(t *testing.T) {
	keys, cfg := agentOnlyServer(t)
	t.Setenv("SSH_AUTH_SOCK", "")
	restore := sftp.SetDefaultAgentPipe(servePipeAgent(t, keys))
	dial(t, cfg)
	restore()

	defer sftp.SetDefaultAgentPipe(`\\.\pipe\skiff-test-no-such-agent`)()
	var mu sync.Mutex
	var trace []string
	cfg.Trace = func(e engine.TraceEvent) { mu.Lock(); trace = append(trace, e.Text); mu.Unlock() }
	_, err := (sftp.Dialer{}).Dial(context.Background(), cfg)
	if !errors.Is(err, engine.ErrLoginFailed) {
		t.Fatalf("no agent: err = %v, want ErrLoginFailed", err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, l := range trace {
		if strings.Contains(l, "ssh-agent") {
			t.Errorf("trace mentions the missing default agent: %s", l)
		}
	}
}
