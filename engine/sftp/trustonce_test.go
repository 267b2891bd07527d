package sftp_test

import (
	"context"
	"errors"
	"os"
	"strconv"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/skiff-ftp/skiff/engine/sftp"
	"github.com/skiff-ftp/skiff/engine/sftp/sftptest"
)

// TestTrustOnceAcceptsTheShownKeyWithoutWriting: an unknown key whose
// fingerprint is in Config.TrustedFingerprints (the window's "Trust once")
// logs in, and nothing is written to the known-hosts file.
func TestTrustOnceAcceptsTheShownKeyWithoutWriting(t *testing.T) {
	srv, _, cfg := setup(t)
	cfg.ConfirmHostKey = nil
	_, err := sftp.Dialer{}.Dial(context.Background(), cfg)
	var hke *sftp.HostKeyError
	if !errors.As(err, &hke) || hke.Changed() {
		t.Fatalf("err = %v, want unknown HostKeyError", err)
	}
	if hke.KeyType != srv.HostKey.PublicKey().Type() {
		t.Errorf("HostKeyError.KeyType = %q, want %q", hke.KeyType, srv.HostKey.PublicKey().Type())
	}
	cfg.TrustedFingerprints = []string{hke.New}
	dial(t, cfg)
	if _, err := os.Stat(cfg.KnownHostsFile); !os.IsNotExist(err) {
		t.Errorf("known hosts file written for a key trusted once: %v", err)
	}
}

// TestTrustOnceNeverPassesAChangedKey: a recorded key that changed is
// refused even when the new fingerprint is in TrustedFingerprints.
func TestTrustOnceNeverPassesAChangedKey(t *testing.T) {
	srv, root, cfg := setup(t)
	srv2 := sftptest.Start(t, root, nil)
	cfg.Host, cfg.Port = hostPort(t, srv2.Addr)
	// srv's key on record for srv2's address: srv2's key is a change.
	line := "[" + cfg.Host + "]:" + strconv.Itoa(cfg.Port) + " " + string(ssh.MarshalAuthorizedKey(srv.HostKey.PublicKey()))
	if err := os.WriteFile(cfg.KnownHostsFile, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	fp := ssh.FingerprintSHA256(srv2.HostKey.PublicKey())
	cfg.TrustedFingerprints = []string{fp}
	_, err := sftp.Dialer{}.Dial(context.Background(), cfg)
	var hke *sftp.HostKeyError
	if !errors.As(err, &hke) || !hke.Changed() || hke.New != fp {
		t.Fatalf("err = %v, want changed HostKeyError for %s", err, fp)
	}
	if after, _ := os.ReadFile(cfg.KnownHostsFile); string(after) != line {
		t.Errorf("known hosts changed: %q", after)
	}
}
