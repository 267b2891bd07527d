package proctest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	// AcceptTimeout bounds the wait for a started server's port.
	AcceptTimeout = 10 * time.Second
	// StopTimeout is how long a server gets after SIGTERM before SIGKILL.
	StopTimeout = 5 * time.Second
	// logTail is how much of a server's output a failed test shows.
	logTail = 8192
)

// Buffer collects a process's output: safe for its writes and our reads,
// and it stops growing at 4 MiB.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.b.Len() > 4<<20 {
		return len(p), nil // enough to diagnose; don't grow without bound
	}
	return b.b.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Start runs cmd in its own process group with its output in out, waits
// until addr accepts TCP connections and registers a cleanup that stops the
// group and the children that left it (sessions that called setsid). The
// output and the extra log files are shown when the test failed.
func Start(t testing.TB, name string, cmd *exec.Cmd, addr string, out *Buffer, logFiles ...string) (int, error) {
	t.Helper()
	cmd.Stdout, cmd.Stderr = out, out
	ownGroup(cmd)
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	pid := cmd.Process.Pid
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()

	stop := func() {
		// vsftpd's session processes leave the server's process group
		// (setsid), so collect the server's descendants from /proc first:
		// once it exits they are reparented and cannot be told apart.
		kids := Descendants(pid)
		terminateGroup(cmd)
		select {
		case <-exited:
		case <-time.After(StopTimeout):
			killGroup(cmd)
			<-exited
		}
		// Sessions still connected would otherwise live until their idle
		// timeout, holding passive ports and the deleted Root.
		killGroup(cmd)
		for _, k := range kids {
			killPID(k)
		}
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("%s output:\n%s", name, Tail(out.String()))
			for _, f := range logFiles {
				if b, err := os.ReadFile(f); err == nil {
					t.Logf("%s:\n%s", f, Tail(string(b)))
				}
			}
		}
	})

	deadline := time.Now().Add(AcceptTimeout)
	for {
		select {
		case <-exited:
			return 0, fmt.Errorf("%s exited during start-up (%v): %s", name, waitErr, Tail(out.String()))
		default:
		}
		c, err := net.DialTimeout("tcp", addr, 250*time.Millisecond)
		if err == nil {
			c.Close()
			t.Logf("%s pid %d accepts on %s after %v", name, pid, addr, time.Since(began).Round(time.Millisecond))
			return pid, nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("%s did not accept on %s within %v: %v", name, addr, AcceptTimeout, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Descendants returns the pids of pid's children, grandchildren and so on,
// read from /proc.
func Descendants(pid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	parent := map[int]int{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may contain spaces and parentheses.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 2 {
			continue
		}
		if pp, err := strconv.Atoi(f[1]); err == nil {
			parent[p] = pp
		}
	}
	var out []int
	for p := range parent {
		for q := parent[p]; q > 1; q = parent[q] {
			if q == pid {
				out = append(out, p)
				break
			}
			if _, ok := parent[q]; !ok {
				break
			}
		}
	}
	return out
}

// Tail is the end of a long log, for a test failure.
func Tail(s string) string {
	if len(s) > logTail {
		return "…" + s[len(s)-logTail:]
	}
	return s
}
