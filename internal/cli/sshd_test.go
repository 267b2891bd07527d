package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/skiff-ftp/skiff/internal/sshtest"
)

// The issue 17 must-show list, over a real OpenSSH sshd (internal/sshtest)
// and the CLI run in-process.

// sshdURL is s's sftp:// URL of name (relative to Root), with the password
// when withPassword.
func sshdURL(s *sshtest.Server, name string, withPassword bool) string {
	u := url.URL{Scheme: "sftp", User: url.User(s.User), Host: s.Addr, Path: s.Path(name)}
	if withPassword {
		u.User = url.UserPassword(s.User, s.Password)
	}
	return u.String()
}

// sshdClient isolates a test's client side: HOME (so no ~/.ssh of the
// machine's), no ssh-agent, the queue files, and returns a known-hosts file
// that trusts s (empty when s is nil).
func sshdClient(t *testing.T, s *sshtest.Server) string {
	t.Helper()
	t.Setenv("HOME", t.TempDir())
	t.Setenv("SSH_AUTH_SOCK", "")
	isolate(t)
	kh := filepath.Join(t.TempDir(), "known_hosts")
	if s != nil {
		if err := os.WriteFile(kh, []byte(s.KnownHostsLine()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return kh
}

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed+1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

func fingerprints(keys []ssh.PublicKey) []string {
	var out []string
	for _, k := range keys {
		out = append(out, ssh.FingerprintSHA256(k))
	}
	return out
}

// containsAny reports whether s contains one of subs, and which.
func containsAny(s string, subs []string) (string, bool) {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return sub, true
		}
	}
	return "", false
}

// TestSSHDUnknownHostThenAcceptThenLsJSON: a password login to an unknown
// host is refused without --accept-new-host-key (nothing written, the
// fingerprint on stderr); with it the key is recorded in --known-hosts; then
// ls --json lists a 100-file folder.
func TestSSHDUnknownHostThenAcceptThenLsJSON(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{})
	kh := sshdClient(t, nil)
	for i := range 100 {
		s.WriteFile(t, fmt.Sprintf("hundred/f%03d", i), bytes.Repeat([]byte("x"), i))
	}
	u := sshdURL(s, "hundred", true)

	status, out, errs := xfer(t, "ls", "--json", "--known-hosts", kh, u)
	if status != 1 || out != "" {
		t.Fatalf("unknown host: status %d, stdout %q", status, out)
	}
	if _, ok := containsAny(errs, fingerprints(s.HostKeys)); !ok {
		t.Fatalf("stderr names no host key fingerprint of %v:\n%s", fingerprints(s.HostKeys), errs)
	}
	if strings.Contains(errs, s.Password) {
		t.Fatalf("stderr shows the password:\n%s", errs)
	}
	if _, err := os.Stat(kh); !os.IsNotExist(err) {
		t.Fatalf("known hosts written for a refused key: %v", err)
	}
	if strings.Contains(s.Log(), "Accepted password") {
		t.Fatal("the password was sent to an untrusted host")
	}

	if status, _, errs := xfer(t, "ls", "--known-hosts", kh, "--accept-new-host-key", u); status != 0 {
		t.Fatalf("--accept-new-host-key: status %d\n%s", status, errs)
	}
	recorded, err := os.ReadFile(kh)
	if err != nil {
		t.Fatal(err)
	}
	check, err := knownhosts.New(kh)
	if err != nil {
		t.Fatalf("recorded file does not parse: %v\n%s", err, recorded)
	}
	trusted := 0
	for _, k := range s.HostKeys {
		if check(s.Addr, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: s.Port}, k) == nil {
			trusted++
		}
	}
	if trusted == 0 {
		t.Fatalf("%s trusts none of the server's keys:\n%s", kh, recorded)
	}

	status, out, errs = xfer(t, "ls", "--json", "--known-hosts", kh, u)
	if status != 0 {
		t.Fatalf("recorded key: status %d\n%s", status, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 100 {
		t.Fatalf("%d JSON lines, want 100", len(lines))
	}
	seen := map[string]bool{}
	for _, l := range lines {
		var e map[string]any
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		name, _ := e["name"].(string)
		seen[name] = true
		if name == "f042" && (e["size"] != 42.0 || e["permissions"] != "rw-r--r--" || e["type"] != "file") {
			t.Errorf("f042: %v", e)
		}
	}
	if len(seen) != 100 || !seen["f000"] || !seen["f099"] {
		t.Fatalf("names: %v", seen)
	}
}

// TestSSHDKeyFileGet16MiB: a key-only server; get with -i brings a 16 MiB
// file byte-identical.
func TestSSHDKeyFileGet16MiB(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{NoPassword: true})
	kh := sshdClient(t, s)
	big := randomBytes(17, 16<<20)
	s.WriteFile(t, "big.bin", big)
	dst := filepath.Join(t.TempDir(), "big.bin")
	if status, _, errs := xfer(t, "get", "-i", s.KeyFile, "--known-hosts", kh, sshdURL(s, "big.bin", false), dst); status != 0 {
		t.Fatalf("get: status %d\n%s", status, errs)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, big) {
		t.Fatalf("downloaded %d bytes, not identical to %d", len(got), len(big))
	}
	if !strings.Contains(s.Log(), "Accepted publickey for "+s.User) {
		t.Errorf("sshd did not log a key login:\n%s", s.Log())
	}
}

// TestSSHDPutKeepTime: put --keep-time uploads identical bytes and sets the
// remote modification time to the local one.
func TestSSHDPutKeepTime(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{})
	kh := sshdClient(t, s)
	data := randomBytes(5, 3<<20+17)
	src := filepath.Join(t.TempDir(), "up.bin")
	os.WriteFile(src, data, 0o644)
	mtime := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	if err := os.Chtimes(src, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	if status, _, errs := xfer(t, "put", "--keep-time", "--known-hosts", kh, src, sshdURL(s, "up.bin", true)); status != 0 {
		t.Fatalf("put: status %d\n%s", status, errs)
	}
	remote := filepath.Join(s.Root, "up.bin")
	if got, _ := os.ReadFile(remote); !bytes.Equal(got, data) {
		t.Fatalf("uploaded %d bytes, not identical to %d", len(got), len(data))
	}
	fi, err := os.Stat(remote)
	if err != nil || !fi.ModTime().Equal(mtime) {
		t.Fatalf("remote mtime %v (%v), want %v", fi.ModTime().UTC(), err, mtime)
	}
}

// TestSSHDGetTree2000: get -r of a 2,000-file tree arrives identical.
func TestSSHDGetTree2000(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{})
	kh := sshdClient(t, s)
	want := map[string][]byte{}
	r := rand.New(rand.NewPCG(20, 0))
	for d := range 20 {
		for f := range 100 {
			b := make([]byte, r.IntN(3000))
			for i := range b {
				b[i] = byte(r.UintN(256))
			}
			name := fmt.Sprintf("dir %02d/file-%03d.bin", d, f)
			want[name] = b
			p := filepath.Join(s.Root, "tree", filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.Own(t)
	dst := t.TempDir()
	status, out, errs := xfer(t, "get", "-r", "--parallel", "4", "--json", "--known-hosts", kh, sshdURL(s, "tree", true), dst)
	if status != 0 {
		t.Fatalf("get -r: status %d\n%s", status, errs)
	}
	if n := strings.Count(out, "\n"); n != 2000 {
		t.Errorf("%d JSON lines, want 2000", n)
	}
	compareTree(t, want, dst)
}

// bytesSent sums what sshd logged (LogLevel VERBOSE) as sent on the
// connections that closed: file data plus a little SSH and SFTP framing.
func bytesSent(log string) int64 {
	re := regexp.MustCompile(`Transferred: sent (\d+), received`)
	var n int64
	for _, m := range re.FindAllStringSubmatch(log, -1) {
		v, _ := strconv.ParseInt(m[1], 10, 64)
		n += v
	}
	return n
}

// framing bounds the SSH and SFTP overhead of a few MiB of file data and a
// login: packet headers, MACs, the key exchange, STAT and OPEN replies.
const framing = 256 << 10

// TestSSHDResumeKeepsThePartialBytes: get --resume with a name.part already
// there keeps its bytes and fetches only the rest (the server's own log
// counts what it read).
func TestSSHDResumeKeepsThePartialBytes(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{})
	kh := sshdClient(t, s)
	big := randomBytes(9, 8<<20)
	s.WriteFile(t, "resume.bin", big)
	dst := filepath.Join(t.TempDir(), "resume.bin")
	const kept = 5<<20 + 123
	if err := os.WriteFile(dst+".part", big[:kept], 0o644); err != nil {
		t.Fatal(err)
	}
	if status, _, errs := xfer(t, "get", "--resume", "--known-hosts", kh, sshdURL(s, "resume.bin", true), dst); status != 0 {
		t.Fatalf("get --resume: status %d\n%s", status, errs)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, big) {
		t.Fatalf("resumed file: %d bytes, not identical to %d", len(got), len(big))
	}
	if _, err := os.Stat(dst + ".part"); !os.IsNotExist(err) {
		t.Error("partial file left behind")
	}
	// Wait for sshd to log the closed connections.
	missing := int64(len(big) - kept)
	for i := 0; i < 100 && bytesSent(s.Log()) < missing; i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if n := bytesSent(s.Log()); n < missing || n > missing+framing {
		t.Errorf("server sent %d bytes, want the missing %d and framing (< %d more)", n, missing, framing)
	}
}

// TestSSHDChangedHostKeyIsRefused: a server whose key differs from the one
// on record is refused even with --accept-new-host-key; the message names
// the old and the new fingerprints; the local target and the known-hosts
// file stay as they were.
func TestSSHDChangedHostKeyIsRefused(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{FreshHostKeys: true})
	other := sshtest.Start(t, sshtest.Options{FreshHostKeys: true})
	kh := sshdClient(t, nil)
	// other's keys recorded under s's name: to the client, s's key changed.
	var record strings.Builder
	for _, k := range other.HostKeys {
		record.WriteString(knownhosts.Line([]string{knownhosts.Normalize(s.Addr)}, k) + "\n")
	}
	os.WriteFile(kh, []byte(record.String()), 0o600)
	s.WriteFile(t, "f.txt", []byte("from an impostor"))
	dst := filepath.Join(t.TempDir(), "f.txt")
	os.WriteFile(dst, []byte("precious local copy"), 0o644)

	status, _, errs := xfer(t, "get", "--accept-new-host-key", "--known-hosts", kh, sshdURL(s, "f.txt", true), dst)
	if status == 0 {
		t.Fatalf("a changed host key was accepted:\n%s", errs)
	}
	if _, ok := containsAny(errs, fingerprints(other.HostKeys)); !ok {
		t.Errorf("stderr does not name the recorded (old) fingerprint:\n%s", errs)
	}
	if _, ok := containsAny(errs, fingerprints(s.HostKeys)); !ok {
		t.Errorf("stderr does not name the server's (new) fingerprint:\n%s", errs)
	}
	if !strings.Contains(strings.ToUpper(errs), "CHANGED") {
		t.Errorf("stderr does not say the key changed:\n%s", errs)
	}
	if got, _ := os.ReadFile(dst); string(got) != "precious local copy" {
		t.Errorf("local target now %q", got)
	}
	if got, _ := os.ReadFile(kh); string(got) != record.String() {
		t.Errorf("known hosts changed:\n%s", got)
	}
	if strings.Contains(s.Log(), "Accepted password") {
		t.Error("the password was sent to a host whose key changed")
	}
}

// TestSSHDGetSIGKILLThenResume is TestGetSIGKILLThenResume over SFTP: a
// throttled download killed with SIGKILL leaves only name.part; get
// --resume finishes it from there, byte-identical, reading only the rest.
func TestSSHDGetSIGKILLThenResume(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{})
	kh := sshdClient(t, s)
	big := randomBytes(3, 24<<20)
	s.WriteFile(t, "big.bin", big)
	dst := t.TempDir()
	target := filepath.Join(dst, "big.bin")
	u := sshdURL(s, "big.bin", true)

	cmd := childCmd(context.Background(), nil, "get", "--limit-rate", "4M", "--known-hosts", kh, u, target)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if fi, err := os.Stat(target + ".part"); err == nil && fi.Size() > 4<<20 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the download never got going")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Fatalf("%s exists after the kill: %v", target, err)
	}
	fi, err := os.Stat(target + ".part")
	if err != nil || fi.Size() == 0 || fi.Size() >= int64(len(big)) {
		t.Fatalf("partial file: %v %v", fi, err)
	}
	time.Sleep(200 * time.Millisecond) // sshd logs the killed connection
	before := bytesSent(s.Log())

	status, _, errs := xfer(t, "get", "--resume", "--known-hosts", kh, u, target)
	if status != 0 {
		t.Fatalf("resume: status %d\n%s", status, errs)
	}
	if got, _ := os.ReadFile(target); !bytes.Equal(got, big) {
		t.Fatal("resumed file differs")
	}
	if _, err := os.Stat(target + ".part"); !os.IsNotExist(err) {
		t.Fatal("partial file left behind")
	}
	// The resumed run fetches the rest only (sshd logs what each
	// connection sent).
	missing := int64(len(big)) - fi.Size()
	for i := 0; i < 100 && bytesSent(s.Log())-before < missing; i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if n := bytesSent(s.Log()) - before; n < missing || n > missing+framing {
		t.Errorf("resume: server sent %d bytes, want the missing %d and framing (< %d more)", n, missing, framing)
	}
}
