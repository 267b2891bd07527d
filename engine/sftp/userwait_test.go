package sftp_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/sftp"
	"github.com/skiff-ftp/skiff/internal/sshtest"
)

// TestKeyboardInteractiveAnswerMayTakeLongerThanTheTimeout: the user
// typing a one-time code is not the server being slow. An answer that
// takes longer than Config.Timeout (the inactivity timeout) still logs in.
func TestKeyboardInteractiveAnswerMayTakeLongerThanTheTimeout(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("SSH_AUTH_SOCK", "")
	srv := sshtest.Start(t, sshtest.Options{KbdInteractive: true, AuthenticationMethods: "keyboard-interactive"})
	kh := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(kh, []byte(srv.KnownHostsLine()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const timeout = 2 * time.Second // room for the rest of the handshake under -race
	cfg := engine.Config{Protocol: engine.ProtocolSFTP, Host: srv.Host, Port: srv.Port, User: srv.User,
		KnownHostsFile: kh, Timeout: timeout,
		KeyboardInteractive: func(_ context.Context, _, _ string, qs []string, _ []bool) ([]string, error) {
			time.Sleep(3 * timeout) // the user reads the prompt and types
			ans := make([]string, len(qs))
			for i := range qs {
				ans[i] = srv.Password
			}
			return ans, nil
		}}
	s, err := sftp.Dialer{}.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("a slow answer failed the login: %v", err)
	}
	s.Close()
}
