//go:build !linux

package sshtest

import "testing"

// Netns is a private network namespace: Linux only (see netns_linux.go).
type Netns struct{}

// NewNetns fails the test: there are no network namespaces here.
func NewNetns(t testing.TB) *Netns {
	t.Helper()
	unavailable(t, "network namespaces are Linux only")
	return nil
}

// Start is not reached (NewNetns failed the test).
func (*Netns) Start(t testing.TB, o Options) *Server { return Start(t, o) }

// Expose is not reached (NewNetns failed the test).
func (*Netns) Expose(t testing.TB, addr string) string { return addr }
