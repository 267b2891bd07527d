//go:build !windows

package sftp

import (
	"io"
	"net"
)

// defaultAgent is where ssh-agent is looked for without SSH_AUTH_SOCK:
// nowhere, off Windows.
const defaultAgent = ""

// dialAgent connects to the agent's Unix socket.
func dialAgent(addr string) (io.ReadWriteCloser, error) { return net.Dial("unix", addr) }
