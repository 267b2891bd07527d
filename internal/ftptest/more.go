package ftptest

import (
	"fmt"
	"testing"

	"github.com/skiff-ftp/skiff/internal/testreq"
)

// unavailableMore is unavailable for the kinds of MoreKinds, which
// scripts/more-ftp-servers.sh installs.
func unavailableMore(t testing.TB, k Kind, format string, args ...any) {
	t.Helper()
	testreq.Missing(t, "ftptest: %s unavailable: %s; run scripts/more-ftp-servers.sh", k, fmt.Sprintf(format, args...))
}
