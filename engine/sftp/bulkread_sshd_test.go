package sftp_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/sftp"
	"github.com/skiff-ftp/skiff/internal/sshtest"
)

// traceLog collects a session's message log at TraceDebug.
type traceLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *traceLog) add(e engine.TraceEvent) {
	l.mu.Lock()
	l.lines = append(l.lines, e.Text)
	l.mu.Unlock()
}

// count returns how many lines contain s.
func (l *traceLog) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if strings.Contains(line, s) {
			n++
		}
	}
	return n
}

func tracedConfig(t *testing.T, s *sshtest.Server) (engine.Config, *traceLog) {
	cfg := sshdConfig(t, s)
	log := &traceLog{}
	cfg.Trace, cfg.TraceLevel = log.add, engine.TraceDebug
	return cfg, log
}

// TestDownloadsFromOpenSSHAreByteIdentical: files around the request size
// (OpenSSH's 255 KiB from limits@openssh.com) and a large one, whole and
// resumed mid-request, arrive as they are on the server's disk, all on
// one download channel, traced as doc.go promises.
func TestDownloadsFromOpenSSHAreByteIdentical(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{})
	cfg, log := tracedConfig(t, s)
	sess := dial(t, cfg)
	size := sftp.RequestSize(sess)
	if size <= 32<<10 {
		t.Fatalf("request size %d: OpenSSH's limits@openssh.com were not used", size)
	}
	big := 16<<20 + 12345
	for i, tc := range []struct {
		name         string
		size, offset int
	}{
		{"empty", 0, 0},
		{"1 byte", 1, 0},
		{"request size - 1", size - 1, 0},
		{"request size", size, 0},
		{"request size + 1", size + 1, 0},
		{"16 MiB + 12345", big, 0},
		{"16 MiB + 12345 from mid-request 3.5 requests in", big, 3*size + size/2},
		{"request size + 1 from its last byte", size + 1, size},
		{"request size from its end", size, size},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := sftp.Pattern(tc.size)
			name := fmt.Sprintf("f%d", i)
			if err := os.WriteFile(filepath.Join(s.Root, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			n, err := sess.Retrieve(context.Background(), s.Path(name), int64(tc.offset), &got)
			if err != nil || n != int64(tc.size-tc.offset) || !bytes.Equal(got.Bytes(), data[tc.offset:]) {
				t.Fatalf("Retrieve = %d, %v; %d bytes differ from the file's %d from %d", n, err, got.Len(), tc.size, tc.offset)
			}
			if log.count(fmt.Sprintf("from offset %d (", tc.offset)) == 0 {
				t.Errorf("no READ traced from offset %d", tc.offset)
			}
		})
	}
	if n := log.count("SFTP download channel open"); n != 1 {
		t.Errorf("%d download channels opened for 9 files, want 1", n)
	}
	if n := log.count("READ requests"); n != 9 {
		t.Errorf("%d CLOSEs counting READs for 9 files", n)
	}
}

// TestOneDownloadChannelPerSession: Retrieves in a row, a refused one
// among them, share one download channel.
func TestOneDownloadChannelPerSession(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{})
	cfg, log := tracedConfig(t, s)
	sess := dial(t, cfg)
	data := sftp.Pattern(300_000)
	os.WriteFile(filepath.Join(s.Root, "f"), data, 0o644)
	for i := range 5 {
		var got bytes.Buffer
		if _, err := sess.Retrieve(context.Background(), s.Path("f"), 0, &got); err != nil || !bytes.Equal(got.Bytes(), data) {
			t.Fatalf("Retrieve %d: %v", i, err)
		}
		if _, err := sess.Retrieve(context.Background(), s.Path("missing"), 0, &got); err == nil {
			t.Fatal("Retrieve of a missing file succeeded")
		}
	}
	if n := log.count("SFTP download channel open"); n != 1 {
		t.Fatalf("%d download channels opened for 10 Retrieves, want 1", n)
	}
	if n := log.count("OPEN " + s.Path("f")); n != 5 {
		t.Fatalf("%d OPENs of f traced, want 5", n)
	}
}

// TestDownloadWithoutASecondChannel: with MaxSessions 1 sshd refuses the
// download channel; downloads go over the session's channel, and the
// refusal is not asked again.
func TestDownloadWithoutASecondChannel(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{Config: []string{"Match all", "MaxSessions 1"}})
	cfg, log := tracedConfig(t, s)
	sess := dial(t, cfg)
	data := sftp.Pattern(1 << 20)
	os.WriteFile(filepath.Join(s.Root, "f"), data, 0o644)
	for i := range 3 {
		var got bytes.Buffer
		if _, err := sess.Retrieve(context.Background(), s.Path("f"), 7, &got); err != nil || !bytes.Equal(got.Bytes(), data[7:]) {
			t.Fatalf("Retrieve %d: %v", i, err)
		}
	}
	if n := log.count("No second sftp channel"); n != 1 {
		t.Fatalf("the refused channel was asked for %d times, want once", n)
	}
	if n := log.count("SFTP download channel open"); n != 0 {
		t.Fatalf("a download channel opened despite MaxSessions 1")
	}
}

// cancelWriter cancels its context at the first write.
type cancelWriter struct {
	cancel context.CancelFunc
	n      int
}

func (w *cancelWriter) Write(p []byte) (int, error) { w.cancel(); w.n += len(p); return len(p), nil }

// TestCancelledDownloadClosesTheConnection: cancelling a download mid-file
// closes the SSH connection (doc.go's contract), and Retrieve returns the
// context's error promptly.
func TestCancelledDownloadClosesTheConnection(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{})
	sess := dial(t, sshdConfig(t, s))
	os.WriteFile(filepath.Join(s.Root, "f"), sftp.Pattern(64<<20), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	w := &cancelWriter{cancel: cancel}
	n, err := sess.Retrieve(ctx, s.Path("f"), 0, w)
	if !errors.Is(err, context.Canceled) || n >= 64<<20 {
		t.Fatalf("Retrieve = %d, %v; want context.Canceled before the end", n, err)
	}
	if sess.Alive() {
		t.Fatal("the session is alive after a cancelled download")
	}
}
