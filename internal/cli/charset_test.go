package cli

import (
	"strings"
	"testing"
)

// TestLsCharset: --charset decodes a legacy server's names; without it
// they are the bytes the server sent.
func TestLsCharset(t *testing.T) {
	srv := listServer(t, "-rw-r--r--    1 1000     1000          123 Jan 02  2024 caf\xe9 \xfcber.txt\r\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--charset", "ISO-8859-1"}, "café über.txt"},
		{[]string{"--charset", "windows-1252"}, "café über.txt"},
		{nil, "caf\xe9 \xfcber.txt"},
	} {
		env, out, errb := testEnv()
		args := append(append([]string{"ls"}, tc.args...), "ftp://"+srv+"/pub")
		if status := runCLI(env, args...); status != 0 {
			t.Fatalf("%q: status %d: %s", args, status, errb.String())
		}
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("%q: output %q, want %q", args, out.String(), tc.want)
		}
	}
	env, _, errb := testEnv()
	if status := runCLI(env, "ls", "--charset", "klingon", "ftp://"+srv+"/pub"); status != 2 || !strings.Contains(errb.String(), "unknown charset") {
		t.Fatalf("unknown charset: status %d, %q", status, errb.String())
	}
}
