package sshtest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const (
	// acceptTimeout bounds the wait for a started sshd's port.
	acceptTimeout = 10 * time.Second
	// stopTimeout is how long sshd gets after SIGTERM before SIGKILL.
	stopTimeout = 5 * time.Second
	// logTail is how much of sshd's output a failed test shows.
	logTail = 8192

	// Ports: sshd instances take one port each in [portBase,
	// portBase+portBand), below 32768 (outside Linux's ephemeral range, so
	// no client socket sits on them) and above internal/ftptest's bands
	// (20000–27999). Ports are claimed across processes (go test runs
	// packages in parallel) with an flock on
	// /tmp/skiff-sshtest-ports/<port>.lock held until cleanup.
	portBase  = 28000
	portBand  = 2000
	portTries = 200
)

// claimPort claims a free port for an instance and releases it at cleanup.
func claimPort(t testing.TB) (int, error) {
	dir := filepath.Join(os.TempDir(), "skiff-sshtest-ports")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return 0, err
	}
	start := rand.IntN(portBand)
	for i := range portTries {
		port := portBase + (start+i)%portBand
		f, err := os.OpenFile(filepath.Join(dir, strconv.Itoa(port)+".lock"), os.O_CREATE|os.O_RDWR, 0o666)
		if err != nil {
			return 0, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			f.Close()
			continue
		}
		l.Close()
		t.Cleanup(func() { f.Close() })
		return port, nil
	}
	return 0, fmt.Errorf("no free port in %d–%d", portBase, portBase+portBand-1)
}

// syncBuffer is a bytes.Buffer safe for the process's writes and our reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.b.Len() > 4<<20 {
		return len(p), nil // enough to diagnose; don't grow without bound
	}
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// startProcess runs cmd in its own process group with its output in out,
// waits until addr accepts TCP connections and registers a cleanup that
// stops the group and the per-connection children.
func startProcess(t testing.TB, cmd *exec.Cmd, addr string, out *syncBuffer) (int, error) {
	t.Helper()
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	pid := cmd.Process.Pid
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()

	stop := func() {
		// sshd's connection children call setsid, leaving the group:
		// collect them from /proc before the listener exits and they are
		// reparented.
		kids := descendants(pid)
		_ = syscall.Kill(-pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(stopTimeout):
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			<-exited
		}
		for _, k := range kids {
			_ = syscall.Kill(k, syscall.SIGKILL)
		}
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("sshtest: sshd output:\n%s", tail(out.String()))
		}
	})

	deadline := time.Now().Add(acceptTimeout)
	for {
		select {
		case <-exited:
			return 0, fmt.Errorf("sshd exited during start-up (%v): %s", waitErr, tail(out.String()))
		default:
		}
		c, err := net.DialTimeout("tcp", addr, 250*time.Millisecond)
		if err == nil {
			c.Close()
			t.Logf("sshtest: sshd pid %d accepts on %s after %v", pid, addr, time.Since(began).Round(time.Millisecond))
			return pid, nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("sshd did not accept on %s within %v: %v", addr, acceptTimeout, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// descendants returns the pids of pid's children, grandchildren and so on,
// read from /proc.
func descendants(pid int) []int {
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

func tail(s string) string {
	if len(s) > logTail {
		return "…" + s[len(s)-logTail:]
	}
	return s
}
