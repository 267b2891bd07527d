package testreq

import (
	"strings"
	"testing"
)

// recorder is a testing.TB that records how a test ended.
type recorder struct {
	testing.TB
	failed, skipped string
}

func (r *recorder) Helper()           {}
func (r *recorder) Fatal(args ...any) { r.failed = strings.TrimSpace(sprint(args)); panic(r) }
func (r *recorder) Skip(args ...any)  { r.skipped = strings.TrimSpace(sprint(args)); panic(r) }
func sprint(args []any) string {
	s := ""
	for _, a := range args {
		s += a.(string)
	}
	return s
}

func run(f func(testing.TB)) (r *recorder) {
	r = &recorder{}
	defer func() { recover() }()
	f(r)
	return r
}

// A missing server is a failure, not a skip — unless the run is -short.
func TestAMissingServerIsAFailureNotASkip(t *testing.T) {
	r := run(func(tb testing.TB) { Missing(tb, "vsftpd not found in %s", ".cache") })
	if testing.Short() {
		if r.skipped == "" || r.failed != "" {
			t.Fatalf("-short: failed %q skipped %q", r.failed, r.skipped)
		}
		return
	}
	if r.failed == "" || r.skipped != "" || !strings.Contains(r.failed, "vsftpd not found in .cache") {
		t.Fatalf("failed %q skipped %q", r.failed, r.skipped)
	}
}
