package ftptest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	// acceptTimeout bounds the wait for a started server's control port.
	acceptTimeout = 10 * time.Second
	// stopTimeout is how long a server gets after SIGTERM before SIGKILL.
	stopTimeout = 5 * time.Second
	// logTail is how much of a server's output a failed test shows.
	logTail = 4096
)

// binDir returns the directory the server binaries were unpacked into:
// $SKIFF_FTPSERVERS, else <repo root>/.cache/ftpservers, found by walking up
// from the working directory to go.mod.
func binDir() (string, error) {
	if d := os.Getenv("SKIFF_FTPSERVERS"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, ".cache", "ftpservers"), nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("no go.mod above %s", wd)
		}
	}
}

// binary returns the path of an unpacked server binary, e.g. "usr/sbin/vsftpd".
func binary(rel string) (string, error) {
	dir, err := binDir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s not found (set SKIFF_FTPSERVERS or run scripts/ftp-servers.sh)", p)
	}
	return p, nil
}

// syncBuffer is a bytes.Buffer safe for the process's writes and our reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.b.Len() > 1<<20 {
		return len(p), nil // enough to diagnose; don't grow without bound
	}
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// startProcess runs cmd in its own process group, waits until addr accepts
// TCP connections and registers a cleanup that stops the group. Extra log
// files are shown when the test failed.
func startProcess(t testing.TB, name string, cmd *exec.Cmd, addr string, logFiles ...string) (int, error) {
	t.Helper()
	out := &syncBuffer{}
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
		kids := descendants(pid)
		terminateGroup(cmd)
		select {
		case <-exited:
		case <-time.After(stopTimeout):
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
			t.Logf("ftptest: %s output:\n%s", name, tail(out.String()))
			for _, f := range logFiles {
				if b, err := os.ReadFile(f); err == nil {
					t.Logf("ftptest: %s:\n%s", f, tail(string(b)))
				}
			}
		}
	})

	deadline := time.Now().Add(acceptTimeout)
	for {
		select {
		case <-exited:
			return 0, fmt.Errorf("%s exited during start-up (%v): %s", name, waitErr, tail(out.String()))
		default:
		}
		c, err := net.DialTimeout("tcp", addr, 250*time.Millisecond)
		if err == nil {
			c.Close()
			t.Logf("ftptest: %s pid %d accepts on %s after %v", name, pid, addr, time.Since(began).Round(time.Millisecond))
			return pid, nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("%s did not accept on %s within %v: %v", name, addr, acceptTimeout, err)
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

// needRoot reports why a real server cannot run here, or nil.
func needRoot() error {
	if os.Geteuid() != 0 {
		return errors.New("needs root (local-user logins, chroot, setuid); run go test as root after scripts/ftp-servers.sh")
	}
	return nil
}
