//go:build unix

// The peak RSS these tests bound comes from getrusage (Rusage.Maxrss),
// which Windows has not.

package cli

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostile is an FTP server on 127.0.0.1 that sends what no budget-less
// client survives: an endless greeting, a listing line of 512 MiB, or a
// listing of 3,000,000 entries — generated as it is sent, never held.
func hostile(t *testing.T, mode string) string {
	return serveLoopback(t, func(c net.Conn) { serveHostile(c, mode) })
}

func serveHostile(c net.Conn, mode string) {
	defer c.Close()
	w := bufio.NewWriterSize(c, 64<<10)
	say := func(s string) { w.WriteString(s + "\r\n"); w.Flush() }
	if mode == "greeting" {
		line := "220-" + strings.Repeat("welcome ", 16) + "\r\n"
		for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); {
			if _, err := w.WriteString(line); err != nil {
				return
			}
		}
		return
	}
	say("220 hostile")
	r := bufio.NewReader(c)
	var pasv net.Listener
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch strings.ToUpper(verb) {
		case "USER":
			say("331 password")
		case "PASS":
			say("230 in")
		case "SYST":
			say("215 UNIX Type: L8")
		case "TYPE", "NOOP":
			say("200 ok")
		case "PWD":
			say(`257 "/"`)
		case "CWD":
			say("250 ok")
		case "EPSV":
			pasv, _ = net.Listen("tcp", "127.0.0.1:0")
			say(fmt.Sprintf("229 Entering Extended Passive Mode (|||%d|)", pasv.Addr().(*net.TCPAddr).Port))
		case "LIST":
			say("150 here it comes")
			dc, err := pasv.Accept()
			pasv.Close()
			if err != nil {
				return
			}
			dw := bufio.NewWriterSize(dc, 256<<10)
			switch mode {
			case "line":
				chunk := strings.Repeat("a", 64<<10)
				for range (512 << 20) / len(chunk) {
					if _, err := dw.WriteString(chunk); err != nil {
						break
					}
				}
			case "many":
				for i := range 3_000_000 {
					if _, err := fmt.Fprintf(dw, "-rw-r--r--   1 u  g  %d Jan 01  2024 f%07d\r\n", i%1000, i); err != nil {
						break
					}
				}
			}
			dw.Flush()
			dc.Close()
			say("226 done")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

// lineCounter counts the lines written to it.
type lineCounter struct{ n int }

func (l *lineCounter) Write(p []byte) (int, error) {
	l.n += strings.Count(string(p), "\n")
	return len(p), nil
}

// maxRSS is the memory budget of skiff facing a hostile server.
const maxRSS = 256 << 20

// runHostile runs `skiff ls URL` in a child process against the hostile
// server and returns its exit status, stdout line count, stderr and peak RSS.
func runHostile(t *testing.T, mode string) (status, lines int, stderr string, rss int64, took time.Duration) {
	t.Helper()
	addr := hostile(t, mode)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := childCmd(ctx, nil, "ls", "ftp://u:p@"+addr+"/big")
	var out lineCounter
	var errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	took = time.Since(start)
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("running skiff ls: %v", err)
	}
	rss = cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10
	return cmd.ProcessState.ExitCode(), out.n, errb.String(), rss, took
}

// TestAnEndlessReplyFailsWithBoundedMemory: a greeting that never ends
// (it grew to 4.3 GiB before) fails within 60 s, naming the cause, with
// skiff's RSS under 256 MiB.
func TestAnEndlessReplyFailsWithBoundedMemory(t *testing.T) {
	status, _, stderr, rss, took := runHostile(t, "greeting")
	if status == 0 || !strings.Contains(stderr, "reply is longer than 1 MiB") || took > 60*time.Second || rss > rssBudget() {
		t.Fatalf("status %d after %s, RSS %d MiB; stderr:\n%s", status, took, rss>>20, stderr)
	}
	t.Logf("failed after %s, RSS %d MiB: %s", took, rss>>20, strings.TrimSpace(stderr))
}

// TestAHugeListingLineFailsWithBoundedMemory: one listing line of 512 MiB
// (3–6 GiB of RSS before) fails within 60 s, naming the cause.
func TestAHugeListingLineFailsWithBoundedMemory(t *testing.T) {
	status, _, stderr, rss, took := runHostile(t, "line")
	if status == 0 || !strings.Contains(stderr, "listing line is longer than 1 MiB") || took > 60*time.Second || rss > rssBudget() {
		t.Fatalf("status %d after %s, RSS %d MiB; stderr:\n%s", status, took, rss>>20, stderr)
	}
	t.Logf("failed after %s, RSS %d MiB: %s", took, rss>>20, strings.TrimSpace(stderr))
}

// TestAHugeListingStreamsWithBoundedMemory: skiff ls prints every entry of
// a 3,000,000-entry listing as it arrives, in bounded memory.
func TestAHugeListingStreamsWithBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 150 MB through the listing parser")
	}
	status, lines, stderr, rss, took := runHostile(t, "many")
	if status != 0 || lines != 3_000_000 || rss > rssBudget() {
		t.Fatalf("status %d, %d lines, RSS %d MiB after %s; stderr:\n%s", status, lines, rss>>20, took, stderr)
	}
	t.Logf("3,000,000 entries in %s, RSS %d MiB", took, rss>>20)
}

// rssBudget is maxRSS, or four times that when the race detector, which
// shadows every allocation, is compiled in.
func rssBudget() int64 {
	if raceEnabled {
		return 4 * maxRSS
	}
	return maxRSS
}
