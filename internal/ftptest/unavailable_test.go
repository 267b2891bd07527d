package ftptest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB that records Skip and Fatal instead of acting on
// the real test, so the harness's own give-up paths can be tested.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Skip(args ...any) { r.skipped = fmt.Sprint(args...); runtime.Goexit() }
func (r *recorder) Skipf(format string, args ...any) {
	r.skipped = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Fatal(args ...any) { r.failed = fmt.Sprint(args...); runtime.Goexit() }
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Helper() {}

// run calls f with a recorder on its own goroutine (Goexit ends only that).
func run(t *testing.T, f func(tb testing.TB)) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() { defer close(done); f(r) }()
	<-done
	return r
}

// TestAMissingServerIsAFailureNotASkip: without the server binaries a
// real-server test fails with a message naming the server, whatever the
// environment says (only go test -short skips; see internal/testreq).
func TestAMissingServerIsAFailureNotASkip(t *testing.T) {
	if testing.Short() {
		t.Skip("-short turns the failure under test into a skip")
	}
	t.Setenv("SKIFF_FTPSERVERS", t.TempDir()) // empty: no binaries
	for _, k := range []Kind{KindVsftpd, KindPureFTPd} {
		t.Run(string(k), func(t *testing.T) {
			r := run(t, func(tb testing.TB) { Start(tb, k, Options{}) })
			if r.skipped != "" || r.failed == "" {
				t.Fatalf("skipped %q, failed %q: want a failure", r.skipped, r.failed)
			}
			if !strings.Contains(r.failed, string(k)) || !strings.Contains(r.failed, "not found") {
				t.Errorf("message %q does not say which server is missing", r.failed)
			}
		})
	}
}
