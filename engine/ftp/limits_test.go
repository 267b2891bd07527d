package ftp

import (
	"bufio"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

// TestTimeoutIsInactivityNotTotal: Config.Timeout is an inactivity
// timeout. A reply that trickles in over 1.7 timeouts but never pauses for
// one arrives (the overall cap is three); a reply that stalls fails after one, saying what Skiff
// was waiting for.
func TestTimeoutIsInactivityNotTotal(t *testing.T) {
	const timeout = time.Second
	s := newFakeServer(t)
	s.on("NOOP", func(fs *fakeSession, arg string) bool {
		for _, part := range []string{"200-", "still going\r\n", "200-and ", "on\r\n", "200 done\r\n"} {
			time.Sleep(timeout / 3) // far from a pause of a timeout, even on a busy machine
			fs.w.WriteString(part)
			fs.w.Flush()
		}
		return true
	})
	s.on("HELP", func(fs *fakeSession, arg string) bool {
		fs.w.WriteString("214-half a reply")
		fs.w.Flush()
		return true // and then nothing
	})
	s.on("DELE", func(fs *fakeSession, arg string) bool {
		fs.w.WriteString("250 dele") // "…ted\r\n" never comes
		fs.w.Flush()
		return true
	})
	c := dialFake(t, s, func(cfg *engine.Config) { cfg.Timeout = timeout })
	start := time.Now()
	if err := c.Noop(context.Background()); err != nil || time.Since(start) < timeout*3/2 {
		t.Fatalf("trickled reply: %v after %s", err, time.Since(start))
	}
	// Half a reply is no reply: bufio hands "250 dele" over as a line.
	if err := dialFake(t, s, func(cfg *engine.Config) { cfg.Timeout = timeout }).Delete(context.Background(), "/f"); err == nil ||
		!strings.Contains(err.Error(), "no reply to DELE after 1s") {
		t.Fatalf("a reply cut off mid-line: %v", err)
	}
	start = time.Now()
	_, _, err := c.Quote(context.Background(), "HELP")
	if err == nil || !strings.Contains(err.Error(), "no reply to HELP after 1s") || time.Since(start) > 3*timeout {
		t.Fatalf("stalled reply: %v after %s", err, time.Since(start))
	}
}

// TestReadLineBudget: readLine returns lines of up to the budget whole and
// refuses longer ones without holding them.
func TestReadLineBudget(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		max      int
		want     []string
		err      error
	}{
		{"CRLF lines", "a\r\nbb\r\n", 8, []string{"a", "bb"}, nil},
		{"last line without end", "a\r\nbb", 8, []string{"a", "bb"}, nil},
		{"line of exactly the budget", strings.Repeat("x", 20) + "\r\n", 20, []string{strings.Repeat("x", 20)}, nil},
		{"line over the budget", strings.Repeat("x", 21) + "\r\n", 20, nil, errLineTooLong},
		{"line longer than the buffer", strings.Repeat("y", 40) + "\n", 64, []string{strings.Repeat("y", 40)}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			br := bufio.NewReaderSize(strings.NewReader(tt.in), 16)
			var got []string
			var err error
			for {
				var l []byte
				l, err = readLine(br, tt.max)
				if err == errLineTooLong {
					break
				}
				if len(l) > 0 {
					got = append(got, string(l))
				}
				if err != nil {
					err = nil
					break
				}
			}
			if !errors.Is(err, tt.err) || strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("got %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
		})
	}
}
