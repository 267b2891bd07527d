package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/skiff-ftp/skiff/engine/sftp/sftptest"
)

func TestSFTPHostKeyAndLsJSON(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("SSH_AUTH_SOCK", "")
	root := t.TempDir()
	for i := range 100 {
		os.WriteFile(filepath.Join(root, fmt.Sprintf("f%03d", i)), []byte(strings.Repeat("x", i)), 0o644)
	}
	srv := sftptest.Start(t, root, nil)
	kh := filepath.Join(t.TempDir(), "known_hosts")
	url := "sftp://u:pw@" + srv.Addr + root
	fp := ssh.FingerprintSHA256(srv.HostKey.PublicKey())

	env, out, errb := testEnv()
	if status := runCLI(env, "ls", "--json", "--known-hosts", kh, url); status != 1 || out.Len() != 0 {
		t.Fatalf("unknown host: status %d, stdout %q", status, out)
	}
	if !strings.Contains(errb.String(), fp) {
		t.Fatalf("stderr %q does not name %s", errb, fp)
	}
	if _, err := os.Stat(kh); !os.IsNotExist(err) {
		t.Fatalf("known hosts written for a refused key: %v", err)
	}

	env, _, errb = testEnv()
	if status := runCLI(env, "ls", "--known-hosts", kh, "--accept-new-host-key", url); status != 0 {
		t.Fatalf("status %d: %s", status, errb)
	}
	env, out, errb = testEnv()
	if status := runCLI(env, "ls", "--json", "--known-hosts", kh, url); status != 0 {
		t.Fatalf("recorded key: status %d: %s", status, errb)
	}
	checkHundredFiles(t, out.String(), "f007")
}

func TestSFTPGetAndPut(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("SSH_AUTH_SOCK", "")
	root := t.TempDir()
	data := bytes.Repeat([]byte("skiff sftp "), 300000)
	os.WriteFile(filepath.Join(root, "big.bin"), data, 0o644)
	srv := sftptest.Start(t, root, nil)
	kh := filepath.Join(t.TempDir(), "known_hosts")
	base := "sftp://u:pw@" + srv.Addr + root
	local := t.TempDir()

	env, _, errb := testEnv()
	if status := runCLI(env, "get", "--known-hosts", kh, "--accept-new-host-key", base+"/big.bin", filepath.Join(local, "big.bin")); status != 0 {
		t.Fatalf("get: status %d: %s", status, errb)
	}
	if got, _ := os.ReadFile(filepath.Join(local, "big.bin")); !bytes.Equal(got, data) {
		t.Fatalf("downloaded %d bytes, differ from %d", len(got), len(data))
	}
	env, _, errb = testEnv()
	if status := runCLI(env, "put", "--known-hosts", kh, filepath.Join(local, "big.bin"), base+"/up.bin"); status != 0 {
		t.Fatalf("put: status %d: %s", status, errb)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "up.bin")); !bytes.Equal(got, data) {
		t.Fatalf("uploaded %d bytes, differ from %d", len(got), len(data))
	}
}

// TestAcceptNewHostKeyIsSaidOncePerKey: parallel connections (a sync's scan)
// all meet the new key; stderr says it once, and they may ask at once.
func TestAcceptNewHostKeyIsSaidOncePerKey(t *testing.T) {
	var b strings.Builder // unguarded: -race sees writes that are not serialised
	trust := trustNewHostKey(&b)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); trust(context.Background(), "h:22", "SHA256:x") }()
	}
	wg.Wait()
	if n := strings.Count(b.String(), "trusting the new host key"); n != 1 {
		t.Fatalf("said %d times: %q", n, b.String())
	}
}

// checkHundredFiles checks ls --json of the folder of f000…f099 (file fNNN
// holds NNN bytes): 100 objects, every name, and probe's size, permissions
// and type.
func checkHundredFiles(t *testing.T, out, probe string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 100 {
		t.Fatalf("%d JSON lines, want 100", len(lines))
	}
	want, _ := strconv.Atoi(strings.TrimPrefix(probe, "f"))
	seen := map[string]bool{}
	for _, l := range lines {
		var e map[string]any
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		name, _ := e["name"].(string)
		seen[name] = true
		if name == probe && (e["size"] != float64(want) || e["permissions"] != "rw-r--r--" || e["type"] != "file") {
			t.Errorf("%s: %v", probe, e)
		}
	}
	if len(seen) != 100 || !seen["f000"] || !seen["f099"] {
		t.Fatalf("names: %v", seen)
	}
}
