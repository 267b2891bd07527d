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

// TestMissingBinarySkipsOrFailsInCI: without the server binaries a test is
// skipped with a clear message on a developer machine and fails in CI.
func TestMissingBinarySkipsOrFailsInCI(t *testing.T) {
	t.Setenv("SKIFF_FTPSERVERS", t.TempDir()) // empty: no binaries
	for _, k := range []Kind{KindVsftpd, KindPureFTPd} {
		for _, ci := range []string{"", "true"} {
			t.Run(fmt.Sprintf("%s/CI=%s", k, ci), func(t *testing.T) {
				t.Setenv("CI", ci)
				r := run(t, func(tb testing.TB) { Start(tb, k, Options{}) })
				msg := r.skipped
				if ci == "true" {
					msg = r.failed
					if r.skipped != "" {
						t.Errorf("skipped in CI: %s", r.skipped)
					}
				} else if r.failed != "" {
					t.Errorf("failed on a dev machine: %s", r.failed)
				}
				if !strings.Contains(msg, string(k)) || !strings.Contains(msg, "not found") {
					t.Errorf("message %q does not say which server is missing", msg)
				}
				t.Logf("%s", msg)
			})
		}
	}
}
