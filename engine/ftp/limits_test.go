package ftp

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
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

// TestLineBlocksBudget: lineBlocks returns lines of up to the budget whole,
// whatever the reads and the buffer size, and refuses longer ones without
// holding them.
func TestLineBlocksBudget(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		max      int
		want     []string
		err      error
	}{
		{"CRLF lines", "a\r\nbb\r\n", 8, []string{"a", "bb"}, nil},
		{"LF lines", "a\nbb\n", 8, []string{"a", "bb"}, nil},
		{"last line without end", "a\r\nbb", 8, []string{"a", "bb"}, nil},
		{"blank lines kept", "a\r\n\r\nb\n", 8, []string{"a", "", "b"}, nil},
		{"line of exactly the budget", strings.Repeat("x", 20) + "\r\n", 20, []string{strings.Repeat("x", 20)}, nil},
		{"line over the budget", strings.Repeat("x", 21) + "\r\n", 20, nil, errLineTooLong},
		{"line over the budget after good ones", "a\n" + strings.Repeat("x", 40), 20, []string{"a"}, errLineTooLong},
		{"line longer than the buffer", strings.Repeat("y", 40) + "\nz\n", 64, []string{strings.Repeat("y", 40), "z"}, nil},
	} {
		for _, rd := range []struct {
			name string
			r    func(string) io.Reader
		}{
			{"whole", func(s string) io.Reader { return strings.NewReader(s) }},
			{"byte by byte", func(s string) io.Reader { return iotest.OneByteReader(strings.NewReader(s)) }},
			{"data with EOF", func(s string) io.Reader { return iotest.DataErrReader(strings.NewReader(s)) }},
		} {
			t.Run(tt.name+"/"+rd.name, func(t *testing.T) {
				b := newLineBlocks(rd.r(tt.in), tt.max)
				b.buf = b.buf[:min(len(b.buf), 16)] // lines longer than the buffer
				var got []string
				var err error
				for {
					var l string
					if l, err = b.next(); err != nil {
						break
					}
					got = append(got, l)
				}
				if err == io.EOF {
					err = nil
				}
				if !errors.Is(err, tt.err) || strings.Join(got, "|") != strings.Join(tt.want, "|") {
					t.Fatalf("got %q, %v; want %q, %v", got, err, tt.want, tt.err)
				}
			})
		}
	}
}
