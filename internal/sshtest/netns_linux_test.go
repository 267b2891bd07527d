package sshtest

import (
	"net"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// TestNetnsServerIsReachableOnlyThroughExpose: an sshd started in a Netns
// listens on the namespace's loopback, which this process's 127.0.0.1 is
// not (its port refuses), and Expose is the way in: a key login through it
// reaches that sshd (its host key, its log).
func TestNetnsServerIsReachableOnlyThroughExpose(t *testing.T) {
	n := NewNetns(t)
	s := n.Start(t, Options{NoPassword: true, FreshHostKeys: true})
	if c, err := net.DialTimeout("tcp", s.Addr, 2*time.Second); err == nil {
		c.Close()
		t.Fatalf("%s answered outside the namespace", s.Addr)
	}
	outside := n.Expose(t, s.Addr)
	c, err := ssh.Dial("tcp", outside, &ssh.ClientConfig{User: s.User, Auth: []ssh.AuthMethod{ssh.PublicKeys(s.Signer)},
		HostKeyCallback: s.HostKeyCallback(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("through %s: %v", outside, err)
	}
	c.Close()
	time.Sleep(100 * time.Millisecond) // sshd's log line
	if !strings.Contains(s.Log(), "Accepted publickey for "+s.User) {
		t.Errorf("the namespace's sshd did not log the login:\n%s", s.Log())
	}
}
