package ftp

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

// TestTimeoutsSayWhatSkiffWaitedFor: a timeout names what did not come: the
// reply to a command, the data connection (active mode: the server never
// connected), or data on an open data connection after the 150.
func TestTimeoutsSayWhatSkiffWaitedFor(t *testing.T) {
	for _, tt := range []struct {
		name  string
		mode  engine.Mode
		setup func(s *fakeServer, hold chan struct{})
		op    func(c *Conn) error
		want  string
	}{
		{"no reply to LIST", engine.ModePassive, func(s *fakeServer, hold chan struct{}) {
			s.on("LIST", func(fs *fakeSession, arg string) bool { <-hold; return true })
		}, func(c *Conn) error { _, err := c.List(context.Background(), "/"); return err },
			"no reply to LIST after 500ms"},
		{"150 and no data connection (active)", engine.ModeActive, func(s *fakeServer, hold chan struct{}) {
			s.on("RETR", func(fs *fakeSession, arg string) bool { fs.reply("150 Opening."); <-hold; return true })
		}, func(c *Conn) error { _, err := c.Retrieve(context.Background(), "/f", 0, &bytes.Buffer{}); return err },
			"the server did not open the data connection within 500ms"},
		{"150 and no data (passive)", engine.ModePassive, func(s *fakeServer, hold chan struct{}) {
			s.on("RETR", func(fs *fakeSession, arg string) bool {
				fs.reply("150 Opening.")
				dc := fs.openData()
				<-hold
				dc.Close()
				return true
			})
		}, func(c *Conn) error { _, err := c.Retrieve(context.Background(), "/f", 0, &bytes.Buffer{}); return err },
			"no data from the server for 3s"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newFakeServer(t, "SIZE")
			s.put("/f", []byte("data"))
			hold := make(chan struct{})
			defer close(hold)
			tt.setup(s, hold)
			timeout := 500 * time.Millisecond
			if tt.name == "150 and no data (passive)" {
				timeout = 3 * time.Second // longer than the grace for the final reply
			}
			c := dialFake(t, s, func(cfg *engine.Config) { cfg.Timeout, cfg.Mode = timeout, tt.mode })
			start := time.Now()
			err := tt.op(c)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %v, want one line with %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "no reply to RETR") {
				t.Fatalf("error %v: after a data timeout the final reply is not waited for a whole timeout", err)
			}
			if d := time.Since(start); d > timeout+abortGrace+time.Second {
				t.Fatalf("took %v", d)
			}
		})
	}
}
