package sftp_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine/sftp"
	"github.com/skiff-ftp/skiff/internal/sshtest"
)

// uploadPeak reads the most WRITE requests an upload had in flight from
// its trace line (upload.go).
func uploadPeak(t *testing.T, log *traceLog) int {
	t.Helper()
	log.mu.Lock()
	defer log.mu.Unlock()
	re := regexp.MustCompile(`^Upload of \d+ bytes: up to (\d+) WRITE requests`)
	for _, line := range log.lines {
		if m := re.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	t.Fatalf("no upload line in the trace:\n%v", log.lines)
	return 0
}

// TestUploadsToADistantOpenSSHKeepEnoughRequestsInFlight: with 15 ms each
// way to a real sshd, an upload's requests grow past the two or three that
// keep a server next door busy (pacer.go), because their round trips say
// the path is long; the file arrives whole. (Here sshd's 2 MiB channel
// window holds about 8 of 255 KiB, so the pacer stops there.)
func TestUploadsToADistantOpenSSHKeepEnoughRequestsInFlight(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{})
	cfg, log := tracedConfig(t, s)
	cfg.Host, cfg.Port = hostPort(t, delayProxy(t, s.Addr, 15*time.Millisecond))
	far := strings.ReplaceAll(s.KnownHostsLine(), fmt.Sprintf("]:%d ", s.Port), fmt.Sprintf("]:%d ", cfg.Port))
	if err := os.WriteFile(cfg.KnownHostsFile, []byte(far), 0o600); err != nil {
		t.Fatal(err)
	}
	sess := dial(t, cfg)
	size := sftp.RequestSize(sess)
	data := sftp.Pattern(64 * size)

	if _, err := sess.Store(context.Background(), s.Path("far.bin"), 0, sizeless{bytes.NewReader(data)}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(s.Path("far.bin")); !bytes.Equal(got, data) {
		t.Fatal("the uploaded file differs")
	}
	peak := uploadPeak(t, log)
	t.Logf("up to %d requests in flight", peak)
	if peak < 6 {
		t.Errorf("at most %d requests in flight over a 30 ms round trip, want 6 or more", peak)
	}
}
