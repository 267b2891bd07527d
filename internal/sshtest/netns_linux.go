package sshtest

import (
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Netns is a private network namespace with only its own loopback (up),
// for servers the test process cannot reach directly: a ProxyJump target
// that only the jump host, started in the same namespace, can connect to.
// Nothing of the machine's network is touched: no interface, route or
// /run/netns entry is made, and the namespace goes away with the last
// process in it and the test's handle.
//
// A network namespace belongs to a thread. Everything that runs in one
// (starting sshd, which then forks in it; dialing its loopback) runs on a
// thread locked for that alone and never unlocked, so the Go runtime ends
// the thread with its goroutine instead of reusing it elsewhere.
type Netns struct {
	f *os.File // /proc/thread-self/ns/net of the thread that made it
}

// NewNetns makes a network namespace for the test, closed at cleanup. It
// needs root (CAP_SYS_ADMIN); without it the test fails (see
// internal/testreq).
func NewNetns(t testing.TB) *Netns {
	t.Helper()
	type made struct {
		f   *os.File
		err error
	}
	c := make(chan made, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread is in the new namespace
		f, err := unshareNet()
		c <- made{f, err}
	}()
	m := <-c
	if m.err != nil {
		unavailable(t, "network namespace: %v", m.err)
	}
	t.Cleanup(func() { m.f.Close() })
	return &Netns{f: m.f}
}

// unshareNet moves the calling (locked) thread into a new network
// namespace, brings its loopback up and returns a handle on it.
func unshareNet() (*os.File, error) {
	if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
		return nil, fmt.Errorf("unshare(CLONE_NEWNET): %w", err)
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return nil, err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return nil, fmt.Errorf("lo flags: %w", err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		return nil, fmt.Errorf("lo up: %w", err)
	}
	return os.Open("/proc/thread-self/ns/net")
}

// do runs f on a thread in n and waits for it (also when f ends its
// goroutine with runtime.Goexit, as t.Fatal does).
func (n *Netns) do(f func()) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread stays in n
		var err error
		defer func() { errc <- err }()
		if err = unix.Setns(int(n.f.Fd()), unix.CLONE_NEWNET); err != nil {
			err = fmt.Errorf("setns: %w", err)
			return
		}
		f()
	}()
	return <-errc
}

// Start starts sshd (see the package Start) inside n: its Addr is n's
// loopback, which the test process cannot connect to; Expose or another
// server in n can.
func (n *Netns) Start(t testing.TB, o Options) *Server {
	t.Helper()
	var s *Server
	if err := n.do(func() { s = Start(t, o) }); err != nil {
		unavailable(t, "%v", err)
	}
	if s == nil { // Start failed or skipped on n's thread
		if t.Skipped() {
			t.SkipNow()
		}
		t.FailNow()
	}
	return s
}

// Expose relays a new listener on the test process's 127.0.0.1 to addr in
// n, and returns the listener's address: the one way in from outside, as
// a bastion host's published port. The relay stops at cleanup.
func (n *Netns) Expose(t testing.TB, addr string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("sshtest: %v", err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	closed := false
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		closed = true
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			var d net.Conn
			derr := n.do(func() { d, err = net.DialTimeout("tcp", addr, 5*time.Second) })
			if derr != nil || err != nil {
				c.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, c, d)
			if closed {
				c.Close()
				d.Close()
			}
			mu.Unlock()
			wg.Add(2)
			go func() { defer wg.Done(); io.Copy(d, c); d.(*net.TCPConn).CloseWrite() }()
			go func() { defer wg.Done(); io.Copy(c, d); c.(*net.TCPConn).CloseWrite() }()
		}
	}()
	return ln.Addr().String()
}
