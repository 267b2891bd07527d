package sshtest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// dial logs in to s with auth and opens an SFTP client, both closed at
// cleanup.
func dial(t *testing.T, s *Server, auth ...ssh.AuthMethod) (*sftp.Client, error) {
	t.Helper()
	c, err := ssh.Dial("tcp", s.Addr, &ssh.ClientConfig{User: s.User, Auth: auth, HostKeyCallback: s.HostKeyCallback()})
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { c.Close() })
	sc, err := sftp.NewClient(c)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { sc.Close() })
	return sc, nil
}

// TestLoginAndList is the harness smoke test: each way of logging in reaches
// the sftp subsystem, which starts in Root and lists what the test put there.
func TestLoginAndList(t *testing.T) {
	answer := func(pw string) ssh.AuthMethod {
		return ssh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
			if len(questions) == 0 { // OpenSSH's PAM sends an empty round first
				return nil, nil
			}
			if len(questions) != 1 || !strings.Contains(questions[0], "Password") {
				return nil, fmt.Errorf("unexpected prompts %q", questions)
			}
			return []string{pw}, nil
		})
	}
	tests := []struct {
		name string
		o    Options
		auth func(s *Server) ssh.AuthMethod
	}{
		{"password", Options{}, func(s *Server) ssh.AuthMethod { return ssh.Password(s.Password) }},
		{"key file", Options{NoPassword: true}, func(s *Server) ssh.AuthMethod {
			b, err := os.ReadFile(s.KeyFile)
			if err != nil {
				t.Fatal(err)
			}
			k, err := ssh.ParsePrivateKey(b)
			if err != nil {
				t.Fatal(err)
			}
			return ssh.PublicKeys(k)
		}},
		{"keyboard-interactive", Options{KbdInteractive: true, AuthenticationMethods: "keyboard-interactive"},
			func(s *Server) ssh.AuthMethod { return answer(s.Password) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := Start(t, tc.o)
			s.WriteFile(t, "sub/a b.txt", []byte("hello\n"))
			sc, err := dial(t, s, tc.auth(s))
			if err != nil {
				t.Fatalf("login: %v", err)
			}
			wd, err := sc.Getwd()
			if err != nil || wd != s.Root {
				t.Errorf("Getwd = %q, %v; want Root %q", wd, err, s.Root)
			}
			entries, err := sc.ReadDir("sub")
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || entries[0].Name() != "a b.txt" {
				t.Errorf("sub lists %v", entries)
			}
			f, err := sc.Create(s.Path("up.txt"))
			if err != nil {
				t.Fatal(err)
			}
			f.Write([]byte("uploaded"))
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			if b, err := os.ReadFile(filepath.Join(s.Root, "up.txt")); err != nil || string(b) != "uploaded" {
				t.Errorf("upload reads back %q, %v", b, err)
			}
		})
	}
}

// TestOnlyTheOfferedMethodsLogIn: the options really restrict sshd, so a
// test of keyboard-interactive cannot pass by falling back to a password.
func TestOnlyTheOfferedMethodsLogIn(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{KbdInteractive: true, AuthenticationMethods: "keyboard-interactive"})
	if _, err := dial(t, s, ssh.Password(s.Password)); err == nil {
		t.Fatal("password login succeeded on a keyboard-interactive-only server")
	}
	if _, err := dial(t, s, ssh.Password("wrong")); err == nil {
		t.Fatal("wrong password accepted")
	}
}

// TestOpenSSHClientTrustsKnownHostsLine: OpenSSH's own sftp, with the
// instance's key and only KnownHostsLine as known_hosts under
// StrictHostKeyChecking=yes, fetches a file (the line format is OpenSSH's).
func TestOpenSSHClientTrustsKnownHostsLine(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("sftp")
	if err != nil {
		t.Fatalf("OpenSSH sftp client missing (scripts/ssh-server.sh installs openssh-client): %v", err)
	}
	s := Start(t, Options{NoPassword: true})
	want := bytes.Repeat([]byte("0123456789"), 100_000)
	s.WriteFile(t, "big.bin", want)
	dir := t.TempDir()
	kh := filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(kh, []byte(s.KnownHostsLine()), 0o600); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "got.bin")
	cmd := exec.Command(bin, "-b", "-", "-P", fmt.Sprint(s.Port), "-i", s.KeyFile,
		"-o", "UserKnownHostsFile="+kh, "-o", "GlobalKnownHostsFile=/dev/null",
		"-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-F", "/dev/null",
		s.User+"@"+s.Host)
	cmd.Stdin = strings.NewReader("get big.bin " + dst + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sftp: %v\n%s", err, out)
	}
	got, err := os.ReadFile(dst)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("got %d bytes (%v), want %d identical", len(got), err, len(want))
	}
	if !strings.Contains(s.Log(), "Accepted publickey for "+s.User) {
		t.Errorf("sshd log lacks the key login:\n%s", s.Log())
	}
}

// TestFreshHostKeysDiffer: FreshHostKeys gives an instance keys of its own
// (the changed-host-key tests depend on it), the default shares them.
func TestFreshHostKeysDiffer(t *testing.T) {
	t.Parallel()
	a, b, c := Start(t, Options{}), Start(t, Options{}), Start(t, Options{FreshHostKeys: true})
	if len(a.HostKeys) != 3 {
		t.Fatalf("%d host keys, want ed25519, ecdsa and rsa", len(a.HostKeys))
	}
	fp := func(s *Server) []string {
		var out []string
		for _, k := range s.HostKeys {
			out = append(out, ssh.FingerprintSHA256(k))
		}
		return out
	}
	if !slices.Equal(fp(a), fp(b)) {
		t.Errorf("default instances have different keys: %v, %v", fp(a), fp(b))
	}
	for _, f := range fp(c) {
		if slices.Contains(fp(a), f) {
			t.Errorf("fresh instance shares key %s", f)
		}
	}
}

// recorder is a testing.TB that records Skip and Fatal instead of acting on
// the real test, so the harness's own give-up path can be tested.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Skip(args ...any)  { r.skipped = fmt.Sprint(args...); runtime.Goexit() }
func (r *recorder) Fatal(args ...any) { r.failed = fmt.Sprint(args...); runtime.Goexit() }
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Helper() {}

// TestAMissingServerIsAFailureNotASkip: without the sshd binary a test
// fails with a message naming it (only go test -short skips).
func TestAMissingServerIsAFailureNotASkip(t *testing.T) {
	if testing.Short() {
		t.Skip("-short turns the failure under test into a skip")
	}
	t.Setenv("SKIFF_SSHD", t.TempDir()) // empty: no binaries
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() { defer close(done); Start(r, Options{}) }()
	<-done
	if r.skipped != "" || r.failed == "" {
		t.Fatalf("skipped %q, failed %q: want a failure", r.skipped, r.failed)
	}
	if !strings.Contains(r.failed, "sshd") || !strings.Contains(r.failed, "not found") {
		t.Errorf("message %q does not say sshd is missing", r.failed)
	}
}
