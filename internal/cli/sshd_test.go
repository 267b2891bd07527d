package cli

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"os/exec"
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
	checkHundredFiles(t, out, "f042")
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

	partial := killMidFile(t, target, len(big), "get", "--limit-rate", "4M", "--known-hosts", kh, u, target)
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
	missing := int64(len(big)) - partial
	for i := 0; i < 100 && bytesSent(s.Log())-before < missing; i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if n := bytesSent(s.Log()) - before; n < missing || n > missing+framing {
		t.Errorf("resume: server sent %d bytes, want the missing %d and framing (< %d more)", n, missing, framing)
	}
}

// TestSSHDKeyboardInteractive: a server that takes keyboard-interactive
// only. Without a password the CLI shows the server's own prompt on stderr
// and answers it from stdin; with one, PAM's password prompt is answered
// with it.
func TestSSHDKeyboardInteractive(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{KbdInteractive: true, AuthenticationMethods: "keyboard-interactive"})
	kh := sshdClient(t, s)
	s.WriteFile(t, "kbd/seen.txt", []byte("x"))

	env, out, errb := testEnv()
	env.Stdin = strings.NewReader(s.Password + "\n")
	if _, _, status := Parse(context.Background(), []string{"ls", "--known-hosts", kh, sshdURL(s, "kbd", false)}, env); status != 0 {
		t.Fatalf("prompted login: status %d\n%s", status, errb)
	}
	if !strings.Contains(errb.String(), "Password:") {
		t.Errorf("the server's prompt is not on stderr:\n%s", errb)
	}
	if strings.Contains(errb.String(), s.Password) {
		t.Errorf("the answer is echoed on stderr:\n%s", errb)
	}
	if !strings.Contains(out.String(), "seen.txt") {
		t.Errorf("ls output lacks seen.txt:\n%s", out)
	}

	status, out2, errs := xfer(t, "ls", "--known-hosts", kh, sshdURL(s, "kbd", true))
	if status != 0 || !strings.Contains(out2, "seen.txt") {
		t.Fatalf("password given: status %d\n%s%s", status, out2, errs)
	}
	if n := strings.Count(s.Log(), "Accepted keyboard-interactive/pam for "+s.User); n != 2 {
		t.Errorf("sshd logged %d keyboard-interactive logins, want 2:\n%s", n, s.Log())
	}
}

// TestSSHDKeyboardInteractiveWrongAnswer: a wrong answer fails the login
// with exit status 1 and no output.
func TestSSHDKeyboardInteractiveWrongAnswer(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{KbdInteractive: true, AuthenticationMethods: "keyboard-interactive"})
	kh := sshdClient(t, s)
	env, out, errb := testEnv()
	env.Stdin = strings.NewReader("not the password\n")
	if _, _, status := Parse(context.Background(), []string{"ls", "--known-hosts", kh, sshdURL(s, "", false)}, env); status != 1 || out.Len() != 0 {
		t.Fatalf("status %d, stdout %q\n%s", status, out, errb)
	}
}

// startAgent runs ssh-agent on a socket of the test's, loads keys into it
// (ssh-add) and points SSH_AUTH_SOCK at it. It is stopped by its pid.
func startAgent(t *testing.T, keys ...string) {
	t.Helper()
	for _, tool := range []string{"ssh-agent", "ssh-add"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s missing (scripts/ssh-server.sh installs openssh-client): %v", tool, err)
		}
	}
	sock := filepath.Join(t.TempDir(), "agent.sock")
	agent := exec.Command("ssh-agent", "-D", "-a", sock)
	if err := agent.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { agent.Process.Kill(); agent.Wait() })
	for i := 0; ; i++ {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if i == 500 {
			t.Fatal("ssh-agent did not create its socket")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, k := range keys {
		add := exec.Command("ssh-add", k)
		add.Env = append(os.Environ(), "SSH_AUTH_SOCK="+sock)
		if out, err := add.CombinedOutput(); err != nil {
			t.Fatalf("ssh-add %s: %v\n%s", k, err, out)
		}
	}
	t.Setenv("SSH_AUTH_SOCK", sock)
}

// TestSSHDAgentLogin: a key-only server, no -i: the key comes from
// ssh-agent (SSH_AUTH_SOCK); without the agent the same command fails.
func TestSSHDAgentLogin(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{NoPassword: true})
	kh := sshdClient(t, s)
	s.WriteFile(t, "agent/f.txt", []byte("x"))
	u := sshdURL(s, "agent", false)
	if status, _, _ := xfer(t, "ls", "--known-hosts", kh, u); status != 1 {
		t.Fatalf("without the agent: status %d, want 1", status)
	}
	startAgent(t, s.KeyFile)
	status, out, errs := xfer(t, "ls", "--known-hosts", kh, u)
	if status != 0 || !strings.Contains(out, "f.txt") {
		t.Fatalf("with the agent: status %d\n%s%s", status, out, errs)
	}
	if !strings.Contains(s.Log(), "Accepted publickey for "+s.User) {
		t.Errorf("sshd did not log a key login:\n%s", s.Log())
	}
}

// writeSSHConfig writes $HOME/.ssh/config.
func writeSSHConfig(t *testing.T, body string) {
	t.Helper()
	dir := filepath.Join(os.Getenv("HOME"), ".ssh")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// otherKey writes a fresh ed25519 key no server knows and returns its file.
func otherKey(t *testing.T) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "id_other")
	out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", f).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	return f
}

// TestSSHDConfigAlias: sftp://alias/ takes HostName, Port, User and
// IdentityFile from ~/.ssh/config.
func TestSSHDConfigAlias(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{NoPassword: true})
	kh := sshdClient(t, s)
	s.WriteFile(t, "cfg/f.txt", []byte("x"))
	writeSSHConfig(t, fmt.Sprintf("Host myserver\n  HostName %s\n  Port %d\n  User %s\n  IdentityFile %s\n", s.Host, s.Port, s.User, s.KeyFile))
	status, out, errs := xfer(t, "ls", "--known-hosts", kh, "sftp://myserver"+s.Path("cfg"))
	if status != 0 || !strings.Contains(out, "f.txt") {
		t.Fatalf("status %d\n%s%s", status, out, errs)
	}
}

// TestSSHDConfigIdentitiesOnly: with IdentitiesOnly yes the agent's key is
// not offered when the configured IdentityFile is another key, so the login
// fails; with no it succeeds through the agent.
func TestSSHDConfigIdentitiesOnly(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{NoPassword: true})
	kh := sshdClient(t, s)
	startAgent(t, s.KeyFile)
	wrong := otherKey(t)
	for _, tc := range []struct {
		only   string
		status int
	}{{"yes", 1}, {"no", 0}} {
		t.Run("IdentitiesOnly "+tc.only, func(t *testing.T) {
			writeSSHConfig(t, fmt.Sprintf("Host myserver\n  HostName %s\n  Port %d\n  User %s\n  IdentityFile %s\n  IdentitiesOnly %s\n",
				s.Host, s.Port, s.User, wrong, tc.only))
			if status, _, errs := xfer(t, "ls", "--known-hosts", kh, "sftp://myserver"+s.Path("")); status != tc.status {
				t.Fatalf("status %d, want %d\n%s", status, tc.status, errs)
			}
		})
	}
}

// TestSSHDConfigProxyJump: the target sshd runs in a network namespace of
// its own (sshtest.Netns), where the test process cannot reach it; the jump
// sshd runs there too and is published on this side's loopback, as a
// bastion is. Without ProxyJump the target cannot be reached (nothing
// arrives in its log); through ~/.ssh/config's ProxyJump, ls lists its
// folder, the jump host's log shows the forward to the target's port, and
// the target logs the key login.
func TestSSHDConfigProxyJump(t *testing.T) {
	private := sshtest.NewNetns(t)
	jump := private.Start(t, sshtest.Options{NoPassword: true, LogLevel: "DEBUG1"})
	target := private.Start(t, sshtest.Options{NoPassword: true, FreshHostKeys: true})
	bastion := private.Expose(t, jump.Addr)
	bHost, bPort, _ := net.SplitHostPort(bastion)
	kh := sshdClient(t, nil)
	var lines strings.Builder
	for _, k := range jump.HostKeys {
		lines.WriteString(knownhosts.Line([]string{knownhosts.Normalize(bastion)}, k) + "\n")
	}
	lines.WriteString(target.KnownHostsLine())
	os.WriteFile(kh, []byte(lines.String()), 0o600)
	target.WriteFile(t, "far/away.txt", []byte("x"))
	hosts := fmt.Sprintf(`Host jump
  HostName %s
  Port %s
  User %s
  IdentityFile %s
Host direct
  HostName %s
  Port %d
  User %s
  IdentityFile %s
`, bHost, bPort, jump.User, jump.KeyFile, target.Host, target.Port, target.User, target.KeyFile)
	writeSSHConfig(t, hosts)

	// The target's address, dialled from here, is not the target.
	status, out, errs := xfer(t, "ls", "--known-hosts", kh, "sftp://direct"+target.Path("far"))
	if status == 0 || strings.Contains(out, "away.txt") {
		t.Fatalf("the target was reached without ProxyJump: status %d\n%s%s", status, out, errs)
	}
	if strings.Contains(target.Log(), "Connection from") {
		t.Fatalf("a direct connection arrived at the target:\n%s", target.Log())
	}

	writeSSHConfig(t, hosts+"Host target\n  HostName "+target.Host+"\n  Port "+strconv.Itoa(target.Port)+
		"\n  User "+target.User+"\n  IdentityFile "+target.KeyFile+"\n  ProxyJump jump\n")
	status, out, errs = xfer(t, "ls", "--debug", "--known-hosts", kh, "sftp://target"+target.Path("far"))
	if status != 0 || !strings.Contains(out, "away.txt") {
		t.Fatalf("status %d\n%s%s", status, out, errs)
	}
	if want := fmt.Sprintf("target %s port %d", target.Host, target.Port); !strings.Contains(jump.Log(), want) {
		t.Errorf("the jump host's log does not show a forward to %q:\n%s", want, jump.Log())
	}
	if !strings.Contains(target.Log(), "Accepted publickey for "+target.User) ||
		!strings.Contains(target.Log(), "Connection from") {
		t.Errorf("the target did not log the connection and key login:\n%s", target.Log())
	}
	if !strings.Contains(errs, "jump host") {
		t.Errorf("--debug does not mention the jump host:\n%s", errs)
	}
}

// TestSSHDDebugShowsHandshakeAndRequests: --debug shows the key exchange,
// the cipher, the host key's fingerprint, the authentication methods the
// server accepts and the client tries, and the SFTP requests; never the
// password.
func TestSSHDDebugShowsHandshakeAndRequests(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{})
	kh := sshdClient(t, s)
	s.WriteFile(t, "dbg/a.txt", []byte("hello"))
	dst := filepath.Join(t.TempDir(), "a.txt")
	status, _, errs := xfer(t, "get", "--debug", "--known-hosts", kh, sshdURL(s, "dbg/a.txt", true), dst)
	if status != 0 {
		t.Fatalf("status %d\n%s", status, errs)
	}
	fp, ok := containsAny(errs, fingerprints(s.HostKeys))
	if !ok {
		t.Errorf("no host key fingerprint in the log")
	}
	for _, want := range []string{
		"Key exchange ", "Cipher ", "Host key ", fp, "Server accepts: publickey, password", "Trying password",
		"Authenticated to", "Server limits: read 261120, write 261120", "SFTP INIT", "OPEN " + s.Path("dbg/a.txt") + " (read)", "READ ", "from offset 0", "CLOSE ",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("--debug lacks %q", want)
		}
	}
	if t.Failed() || strings.Contains(errs, s.Password) {
		t.Fatalf("--debug output (must not show the password):\n%s", errs)
	}
}

// TestSSHDPasswordAskedOnlyWhenNeeded: on a terminal without a password, a
// key login asks nothing (a script with -i must not block on a prompt); a
// password-only server gets its password asked for on stderr and read from
// stdin.
func TestSSHDPasswordAskedOnlyWhenNeeded(t *testing.T) {
	keyOnly := sshtest.Start(t, sshtest.Options{NoPassword: true})
	pwOnly := sshtest.Start(t, sshtest.Options{})
	kh := sshdClient(t, nil)
	os.WriteFile(kh, []byte(keyOnly.KnownHostsLine()+pwOnly.KnownHostsLine()), 0o600)

	env, _, errb := testEnv()
	env.StdinIsTerminal = true
	if _, _, status := Parse(context.Background(), []string{"ls", "-i", keyOnly.KeyFile, "--known-hosts", kh, sshdURL(keyOnly, "", false)}, env); status != 0 {
		t.Fatalf("key login: status %d\n%s", status, errb)
	}
	if strings.Contains(strings.ToLower(errb.String()), "password") {
		t.Errorf("a key login asked for a password:\n%s", errb)
	}

	env, _, errb = testEnv()
	env.StdinIsTerminal = true
	env.Stdin = strings.NewReader(pwOnly.Password + "\n")
	if _, _, status := Parse(context.Background(), []string{"ls", "--known-hosts", kh, sshdURL(pwOnly, "", false)}, env); status != 0 {
		t.Fatalf("asked password: status %d\n%s", status, errb)
	}
	if want := pwOnly.User + "@" + pwOnly.Host + "'s password: "; !strings.Contains(errb.String(), want) {
		t.Errorf("stderr lacks the prompt %q:\n%s", want, errb)
	}
	if !strings.Contains(pwOnly.Log(), "Accepted password for "+pwOnly.User) {
		t.Errorf("sshd did not log a password login:\n%s", pwOnly.Log())
	}
}

// TestSSHDEncryptedKeyAsksPassphrase: an encrypted key file's passphrase
// is asked on stderr and read from stdin; the login then uses the key.
func TestSSHDEncryptedKeyAsksPassphrase(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{NoPassword: true})
	kh := sshdClient(t, s)
	enc := filepath.Join(t.TempDir(), "id_enc")
	b, _ := os.ReadFile(s.KeyFile)
	os.WriteFile(enc, b, 0o600)
	if out, err := exec.Command("ssh-keygen", "-q", "-p", "-f", enc, "-N", "sekrit phrase", "-P", "").CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen -p: %v\n%s", err, out)
	}
	env, out, errb := testEnv()
	env.Stdin = strings.NewReader("sekrit phrase\n")
	if _, _, status := Parse(context.Background(), []string{"ls", "-i", enc, "--known-hosts", kh, sshdURL(s, "", false)}, env); status != 0 {
		t.Fatalf("status %d\n%s%s", status, out, errb)
	}
	if !strings.Contains(errb.String(), "passphrase for key '"+enc+"'") {
		t.Errorf("stderr does not ask for the passphrase:\n%s", errb)
	}
	if strings.Contains(errb.String(), "sekrit") {
		t.Errorf("the passphrase is echoed:\n%s", errb)
	}
}

// TestSSHDTildeIsTheLoginFolder: sftp://host/~/dir is dir in the login
// folder (curl's convention); sshtest's login folder is Root.
func TestSSHDTildeIsTheLoginFolder(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{})
	kh := sshdClient(t, s)
	s.WriteFile(t, "home sub/inside.txt", []byte("x"))
	u := fmt.Sprintf("sftp://%s:%s@%s/~/home%%20sub", s.User, s.Password, s.Addr)
	status, out, errs := xfer(t, "ls", "--known-hosts", kh, u)
	if status != 0 || !strings.Contains(out, "inside.txt") {
		t.Fatalf("status %d\n%s%s", status, out, errs)
	}
}

// TestSSHDGetRecursiveSIGKILLThenResume is TestGetRecursiveSIGKILLThenResume
// over SFTP: kill a throttled `get -r` mid-tree; `get -r --resume` restores
// the interrupted queue and finishes every file once, byte-identical.
func TestSSHDGetRecursiveSIGKILLThenResume(t *testing.T) {
	s := sshtest.Start(t, sshtest.Options{})
	kh := sshdClient(t, s)
	want := map[string][]byte{}
	r := rand.New(rand.NewPCG(7, 8))
	for d := range 4 {
		for f := range 10 {
			b := make([]byte, 40_000+r.IntN(40_000))
			for i := range b {
				b[i] = byte(r.UintN(256))
			}
			name := fmt.Sprintf("d%d/f%02d", d, f)
			want[name] = b
			s.WriteFile(t, "q/"+name, b)
		}
	}
	dst := filepath.Join(t.TempDir(), "q")
	u := sshdURL(s, "q", true)
	killMidTree(t, dst, "get", "-r", "--limit-rate", "600K", "--known-hosts", kh, u, dst)

	status, out, errs := xfer(t, "get", "-r", "--resume", "--json", "--known-hosts", kh, u, dst)
	if status != 0 {
		t.Fatalf("resume: status %d\n%s", status, errs)
	}
	if n := strings.Count(out, "\n"); n != len(want) {
		t.Errorf("%d items after restore, want %d (no duplicates, none lost)", n, len(want))
	}
	compareTree(t, want, dst)
}
