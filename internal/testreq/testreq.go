// Package testreq is the one rule for a test whose prerequisite — a real
// server binary, a display, a D-Bus session, a tool — is missing: the test
// fails, naming what is missing and how make test provides it. Only a
// quick run (go test -short) skips instead. It never looks at the CI
// environment variable: a green plain `go test ./...` means every real-part
// test ran.
package testreq

import (
	"fmt"
	"testing"
)

// Missing reports a missing prerequisite: t.Skip under -short, else t.Fatal.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if testing.Short() {
		t.Skip("-short: " + msg)
	}
	t.Fatal(msg + " (make test installs and starts it; go test -short skips this test)")
}
