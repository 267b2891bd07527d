package sftp

import (
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"golang.org/x/sys/windows"
)

// defaultAgent is the named pipe Windows' OpenSSH agent service
// (ssh-agent.exe) listens on; its ssh uses it when SSH_AUTH_SOCK is not
// set. A var for the tests.
var defaultAgent = `\\.\pipe\openssh-ssh-agent`

// pipeBusyWait is how long dialAgent retries a pipe whose every instance
// is taken (ERROR_PIPE_BUSY: the agent has not yet made the next one).
const pipeBusyWait = 2 * time.Second

// dialAgent opens the agent's named pipe (\\.\pipe\NAME, either slash) or,
// for any other SSH_AUTH_SOCK, its AF_UNIX socket (Windows 10 1803 and
// later have them). A pipe that does not exist is fs.ErrNotExist.
func dialAgent(addr string) (io.ReadWriteCloser, error) {
	if !isPipe(addr) {
		return net.Dial("unix", addr)
	}
	name, err := windows.UTF16PtrFromString(addr)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(pipeBusyWait)
	for {
		h, err := windows.CreateFile(name, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, nil,
			windows.OPEN_EXISTING, 0, 0)
		if err == nil {
			return os.NewFile(uintptr(h), addr), nil
		}
		if !errors.Is(err, windows.ERROR_PIPE_BUSY) || time.Now().After(deadline) {
			return nil, &os.PathError{Op: "open", Path: addr, Err: err}
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// isPipe reports whether addr names a local named pipe.
func isPipe(addr string) bool {
	a := strings.ReplaceAll(addr, "/", `\`)
	return len(a) > len(`\\.\pipe\`) && strings.EqualFold(a[:len(`\\.\pipe\`)], `\\.\pipe\`)
}
