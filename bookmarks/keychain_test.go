package bookmarks

import (
	"context"
	"errors"
	"fmt"
	"github.com/skiff-ftp/skiff/internal/testreq"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// helperEnv makes the test binary a child that talks to a real keychain.
// The parent process uses keyring.MockInit (which cannot be undone), so
// every test of the real Secret Service runs in a child process.
const helperEnv = "SKIFF_KEYCHAIN_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "" {
		keyring.MockInit()
	}
	os.Exit(m.Run())
}

// mockBackend is go-keyring's in-memory mock (MockInit) with no D-Bus probe.
type mockBackend = mockOnly

func mockKeychain() *Keychain {
	return &Keychain{Service: KeychainService, Timeout: time.Second, b: mockBackend{}}
}

// child re-runs this test binary with helperEnv=mode and only test name,
// and fails t with the child's output if it fails.
func child(t *testing.T, mode, name string, env ...string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.v", "-test.count=1")
	cmd.Env = append(append(os.Environ(), helperEnv+"="+mode), env...)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+name) {
		t.Fatalf("%s in a child process (%s): %v\n%s", name, mode, err, out)
	}
	t.Logf("child %s:\n%s", mode, out)
}

// needSecretService skips (or, with CI=true, fails) when there is no session
// bus to find a Secret Service on.
func needSecretService(t *testing.T) {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return
	}
	testreq.Missing(t, "no D-Bus session bus, so no Secret Service; run: dbus-run-session -- scripts/with-keyring.sh go test ./bookmarks/")
}

func TestKeychainMock(t *testing.T) {
	ctx := context.Background()
	k := mockKeychain()
	if _, err := k.Get(ctx, "s1"); !errors.Is(err, ErrNoPassword) {
		t.Fatalf("Get of a missing item: %v", err)
	}
	if err := k.Set(ctx, "s1", "pw"); err != nil {
		t.Fatal(err)
	}
	if pw, err := k.Get(ctx, "s1"); pw != "pw" || err != nil {
		t.Fatalf("Get = %q, %v", pw, err)
	}
	if err := k.Set(ctx, "s1", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get(ctx, "s1"); !errors.Is(err, ErrNoPassword) {
		t.Fatalf("Set empty did not delete: %v", err)
	}
	if _, err := k.Get(ctx, ""); !errors.Is(err, ErrKeychainRefused) {
		t.Fatalf("empty site ID: %v", err)
	}
}

// blockingBackend never answers until release is closed, like an unlock
// prompt nobody answers.
type blockingBackend struct {
	mockBackend
	release chan struct{}
}

func (b blockingBackend) get(s, u string) (string, error) { <-b.release; return "late", nil }

func TestKeychainTimeoutUnblocksCaller(t *testing.T) {
	b := blockingBackend{release: make(chan struct{})}
	k := &Keychain{Service: KeychainService, Timeout: 50 * time.Millisecond, b: b}
	start := time.Now()
	_, err := k.Get(context.Background(), "s1")
	if !errors.Is(err, ErrKeychainTimeout) || time.Since(start) > 2*time.Second {
		t.Fatalf("Get = %v after %v, want ErrKeychainTimeout after ~50ms", err, time.Since(start))
	}
	start = time.Now()
	if _, err := k.Get(context.Background(), "s2"); !errors.Is(err, ErrKeychainTimeout) || time.Since(start) > 20*time.Millisecond {
		t.Fatalf("second Get while the first is stuck = %v after %v, want an immediate timeout", err, time.Since(start))
	}
	close(b.release)
	deadline := time.Now().Add(2 * time.Second)
	for k.pending.Load() != 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if pw, err := k.Get(context.Background(), "s3"); pw != "late" || err != nil {
		t.Fatalf("after the keychain answered: %q, %v", pw, err)
	}
}

func TestKeychainContextCancel(t *testing.T) {
	k := &Keychain{Service: KeychainService, Timeout: time.Hour, b: blockingBackend{release: make(chan struct{})}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := k.Get(ctx, "s1"); !errors.Is(err, ErrKeychainTimeout) {
		t.Fatalf("Get with a cancelled context: %v", err)
	}
}

func TestMapKeychainErr(t *testing.T) {
	dbusErr := func(name string) error { return dbus.Error{Name: name} }
	tests := []struct {
		name   string
		err    error
		locked bool
		want   error
	}{
		{"not found", keyring.ErrNotFound, false, ErrNoPassword},
		{"service unknown", dbusErr("org.freedesktop.DBus.Error.ServiceUnknown"), false, ErrNoKeychain},
		{"no reply", dbusErr("org.freedesktop.DBus.Error.NoReply"), false, ErrKeychainTimeout},
		{"is locked", dbusErr("org.freedesktop.Secret.Error.IsLocked"), false, ErrKeychainLocked},
		{"unlock failed on a locked collection", errors.New("failed to unlock correct collection"), true, ErrKeychainLocked},
		{"probe: no bus", &KeychainError{Err: ErrNoKeychain, Cause: errors.New("dial unix: no such file")}, false, ErrNoKeychain},
		{"unknown D-Bus error on a locked collection", dbusErr("org.example.Weird"), true, ErrKeychainLocked},
		{"anything else", errors.New("boom"), false, ErrKeychainRefused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := mapKeychainErr("read", "id", tt.err, tt.locked)
			var ke *KeychainError
			if !errors.As(err, &ke) || !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want.Error()) {
				t.Fatalf("message %q lacks %q", err, tt.want)
			}
		})
	}
}

// TestKeychainNoSecretService runs the real backend against a session bus
// address where nothing listens.
func TestKeychainNoSecretService(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service is Linux's keychain; Windows and macOS always have theirs")
	}
	if os.Getenv(helperEnv) == "nobus" {
		k := NewKeychain()
		k.Timeout = 5 * time.Second
		ctx := context.Background()
		for name, err := range map[string]error{
			"Available": k.Available(ctx),
			"Set":       k.Set(ctx, "s1", "pw"),
			"Delete":    k.Delete(ctx, "s1"),
		} {
			if !errors.Is(err, ErrNoKeychain) {
				t.Errorf("%s = %v, want ErrNoKeychain", name, err)
			}
		}
		_, err := k.Get(ctx, "s1")
		if !errors.Is(err, ErrNoKeychain) {
			t.Fatalf("Get = %v, want ErrNoKeychain", err)
		}
		t.Logf("message: %v", err)
		if want := os.Getenv("SKIFF_EXPECT_CAUSE"); !strings.Contains(err.Error(), want) {
			t.Fatalf("message lacks %q", want)
		}
		return
	}
	if os.Getenv(helperEnv) != "" {
		t.Skip("parent-only")
	}
	child(t, "nobus", "TestKeychainNoSecretService",
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	// No address at all: no dbus-launch either (godbus would autolaunch a
	// bus per call and leave it running).
	child(t, "nobus", "TestKeychainNoSecretService",
		"DBUS_SESSION_BUS_ADDRESS=", "XDG_RUNTIME_DIR="+t.TempDir(), "PATH="+t.TempDir(),
		"SKIFF_EXPECT_CAUSE=DBUS_SESSION_BUS_ADDRESS is not set")
}

// TestKeychainBusWithoutSecretService runs the real backend on a session
// bus where org.freedesktop.secrets is neither running nor activatable.
func TestKeychainBusWithoutSecretService(t *testing.T) {
	switch os.Getenv(helperEnv) {
	case "noservice":
		k := NewKeychain()
		k.Timeout = 5 * time.Second
		start := time.Now()
		err := k.Set(context.Background(), "s1", "pw")
		if !errors.Is(err, ErrNoKeychain) || time.Since(start) > 3*time.Second {
			t.Fatalf("Set = %v after %v, want ErrNoKeychain at once", err, time.Since(start))
		}
		t.Logf("message: %v", err)
		return
	case "":
	default:
		t.Skip("parent-only")
	}
	if _, err := exec.LookPath("dbus-run-session"); err != nil {
		testreq.Missing(t, "dbus-run-session not installed")
	}
	conf, _ := filepath.Abs("testdata/bus-without-services.conf")
	cmd := exec.Command("dbus-run-session", "--config-file="+conf, "--", os.Args[0],
		"-test.run=^TestKeychainBusWithoutSecretService$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"=noservice")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestKeychainBusWithoutSecretService") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// TestKeychainSecretService exercises the real Secret Service (gnome-keyring
// under scripts/with-keyring.sh), including a Store's rename, move,
// duplicate and delete keeping the keychain in step.
func TestKeychainSecretService(t *testing.T) {
	if os.Getenv(helperEnv) != "real" {
		if os.Getenv(helperEnv) != "" {
			t.Skip("parent-only")
		}
		needSecretService(t)
		child(t, "real", "TestKeychainSecretService")
		return
	}
	ctx := context.Background()
	k := NewKeychain()
	k.Timeout = 10 * time.Second
	if err := k.Available(ctx); err != nil {
		t.Fatalf("Available: %v", err)
	}
	s := newStore(t)
	s.Secrets = k
	site, err := s.AddSite(RootID, Site{Name: "Web", Host: "ftp.example.com", User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	const pw = "p@ss wörd:\"'\\ 🔑"
	if err := k.Set(ctx, site.ID, pw); err != nil {
		t.Fatal(err)
	}
	// The item is really in the Secret Service, keyed by the site ID.
	if out, err := exec.Command("secret-tool", "lookup", "service", KeychainService, "username", site.ID).Output(); err == nil {
		if string(out) != pw {
			t.Fatalf("secret-tool lookup = %q", out)
		}
	} else {
		t.Logf("secret-tool not usable (%v); relying on Get", err)
	}
	if err := k.Set(ctx, site.ID, pw+"2"); err != nil { // replace, not a second item
		t.Fatal(err)
	}
	f, _ := s.AddFolder(RootID, "Moved")
	if err := s.Rename(site.ID, "Renamed"); err != nil {
		t.Fatal(err)
	}
	if err := s.Move(site.ID, f.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get(ctx, site.ID); got != pw+"2" || err != nil {
		t.Fatalf("after rename and move: %q, %v", got, err)
	}
	dup, err := s.Duplicate(ctx, site.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get(ctx, dup); got != pw+"2" || err != nil {
		t.Fatalf("duplicate's password: %q, %v", got, err)
	}
	if err := s.Delete(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{site.ID, dup} {
		if _, err := k.Get(ctx, id); !errors.Is(err, ErrNoPassword) {
			t.Fatalf("after deleting the folder, Get(%s) = %v", id, err)
		}
	}
	scanForSecrets(t, s.Dir(), pw, pw+"2")
}

// TestKeychainLocked locks the login collection of a private gnome-keyring
// (its own dbus-run-session and with-keyring.sh, so the shared one stays
// unlocked) and expects ErrKeychainLocked, promptly, from every call.
func TestKeychainLocked(t *testing.T) {
	switch os.Getenv(helperEnv) {
	case "locked":
		lockedChild(t)
		return
	case "":
	default:
		t.Skip("parent-only")
	}
	needSecretService(t)
	script, _ := filepath.Abs("../scripts/with-keyring.sh")
	if _, err := exec.LookPath("dbus-run-session"); err != nil {
		testreq.Missing(t, "dbus-run-session not installed")
	}
	cmd := exec.Command("dbus-run-session", "--", script, os.Args[0], "-test.run=^TestKeychainLocked$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"=locked")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestKeychainLocked") {
		t.Fatalf("locked keychain child: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

func lockedChild(t *testing.T) {
	ctx := context.Background()
	k := NewKeychain()
	if err := k.Set(ctx, "before-lock", "pw"); err != nil {
		t.Fatalf("Set while unlocked: %v", err)
	}
	conn, err := dbus.SessionBus()
	if err != nil {
		t.Fatal(err)
	}
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	svc := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	if err := svc.Call("org.freedesktop.Secret.Service.Lock", 0,
		[]dbus.ObjectPath{"/org/freedesktop/secrets/collection/login"}).Store(&locked, &prompt); err != nil {
		t.Fatalf("locking the collection: %v", err)
	}
	if len(locked) != 1 {
		t.Fatalf("Lock returned %v, prompt %v", locked, prompt)
	}
	if err := k.Available(ctx); !errors.Is(err, ErrKeychainLocked) {
		t.Fatalf("Available on a locked keychain = %v", err)
	}
	// go-keyring asks the Secret Service to unlock: gnome-keyring wants a
	// prompt it cannot show here, so it fails or never answers.
	for _, op := range []string{"get", "set"} {
		k := NewKeychain()
		k.Timeout = 3 * time.Second
		start := time.Now()
		var err error
		if op == "get" {
			_, err = k.Get(ctx, "before-lock")
		} else {
			err = k.Set(ctx, "after-lock", "pw2")
		}
		if !errors.Is(err, ErrKeychainLocked) {
			t.Fatalf("%s on a locked keychain = %v", op, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("%s took %v despite the 3s timeout", op, d)
		}
		t.Logf("%s: %v", op, err)
	}
}

// TestMockKeychainIsSafeForConcurrentUse: the window's tests save and read
// passwords from several goroutines, as with a real keychain.
func TestMockKeychainIsSafeForConcurrentUse(t *testing.T) {
	kc := MockKeychain()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("concurrent-%d", i)
			if err := kc.Set(context.Background(), id, "pw"); err != nil {
				t.Error(err)
			}
			if pw, err := kc.Get(context.Background(), id); err != nil || pw != "pw" {
				t.Errorf("Get %s = %q, %v", id, pw, err)
			}
		}()
	}
	wg.Wait()
}
