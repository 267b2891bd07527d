package sshserve

import (
	"testing"

	"golang.org/x/crypto/ssh"
)

func TestIsSFTP(t *testing.T) {
	for name, c := range map[string]struct {
		r    ssh.Request
		want bool
	}{
		"sftp subsystem":  {ssh.Request{Type: "subsystem", Payload: ssh.Marshal(struct{ S string }{"sftp"})}, true},
		"other subsystem": {ssh.Request{Type: "subsystem", Payload: ssh.Marshal(struct{ S string }{"x11"})}, false},
		"short payload":   {ssh.Request{Type: "subsystem", Payload: []byte{0, 0}}, false},
		"shell":           {ssh.Request{Type: "shell"}, false},
	} {
		if got := isSFTP(&c.r); got != c.want {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
}
