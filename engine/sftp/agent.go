package sftp

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// openAgent connects to the user's ssh-agent: SSH_AUTH_SOCK, a Unix socket
// or (on Windows) a named pipe, else, on Windows, the pipe the OpenSSH
// agent service listens on. No agent is nil with no error: there is none
// to use, which a user without one need not be told about on every login.
func openAgent() (io.ReadWriteCloser, error) {
	addr, explicit := agentAddr()
	if addr == "" {
		return nil, nil
	}
	c, err := dialAgent(addr)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return nil, nil // the service is not running
		}
		return nil, fmt.Errorf("ssh-agent at %s: %w", addr, err)
	}
	return c, nil
}

// agentAddr is SSH_AUTH_SOCK when set (explicit), else the platform's
// default agent address, if it has one.
func agentAddr() (addr string, explicit bool) {
	if sock := os.Getenv("SSH_AUTH_SOCK"); sock != "" {
		return sock, true
	}
	return defaultAgent, false
}
