package bookmarks

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	dbus "github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// KeychainService is the service name of Skiff's keychain items; the
// account ("username") of each item is a site ID.
const KeychainService = "Skiff"

// DefaultKeychainTimeout bounds every keychain call. An unlock prompt the
// user never answers (or a Secret Service that never replies) would block
// forever; after this the call fails with ErrKeychainTimeout.
const DefaultKeychainTimeout = 20 * time.Second

// Keychain errors. A *KeychainError wraps one of these; test with errors.Is.
// Every one but ErrNoPassword means: ask the user for the password for this
// session and do not store it anywhere.
var (
	ErrNoPassword      = errors.New("no password is saved for this site")
	ErrNoKeychain      = errors.New("no keychain is available (on Linux: no Secret Service such as gnome-keyring or KeePassXC is running)")
	ErrKeychainLocked  = errors.New("the keychain is locked")
	ErrKeychainTimeout = errors.New("the keychain did not answer in time (an unlock prompt may be waiting)")
	ErrKeychainRefused = errors.New("the keychain refused the request")
)

// KeychainError is a failed keychain call: Op is "read", "save", "delete"
// or "reach" (Available), Err one of the sentinels above, Cause the underlying error
// (D-Bus, OS) for the curious. It never contains a password.
type KeychainError struct {
	Op     string
	SiteID string
	Err    error
	Cause  error
}

func (e *KeychainError) Error() string {
	if e.Err == ErrNoPassword {
		return e.Err.Error()
	}
	what := map[string]string{"read": "read the password from", "save": "save the password in",
		"delete": "delete the password from"}[e.Op]
	if what == "" {
		what = "use"
	}
	msg := fmt.Sprintf("cannot %s the keychain: %v", what, e.Err)
	if e.Cause != nil {
		msg += fmt.Sprintf(" (%v)", e.Cause)
	}
	return msg
}

func (e *KeychainError) Unwrap() []error { return []error{e.Err, e.Cause} }

// backend is the secret store under Keychain: the OS keychain via
// go-keyring, or go-keyring's mock in unit tests.
type backend interface {
	// probe reports whether a keychain is reachable and whether it is locked.
	probe() (locked bool, err error)
	get(service, user string) (string, error)
	set(service, user, password string) error
	delete(service, user string) error
}

// Keychain keeps site passwords in the OS keychain (Secret Service on
// Linux and BSD, Keychain on macOS, Credential Manager on Windows), one item
// per site ID, and nowhere else. Every call gives up after Timeout. It is
// safe for concurrent use.
type Keychain struct {
	Service string
	Timeout time.Duration

	b       backend
	pending atomic.Int32 // calls that timed out and are still blocked
}

// NewKeychain returns the OS keychain under service KeychainService. Keep
// one per process: it remembers a call stuck on a prompt and fails the
// next ones at once rather than stacking them up.
func NewKeychain() *Keychain {
	return &Keychain{Service: KeychainService, Timeout: DefaultKeychainTimeout, b: osBackend{}}
}

// Available reports whether the keychain can be used now: nil, or a
// *KeychainError wrapping ErrNoKeychain, ErrKeychainLocked or
// ErrKeychainTimeout. A locked keychain may still be unlocked by a prompt
// when a password is read.
func (k *Keychain) Available(ctx context.Context) error {
	_, err := k.do(ctx, "reach", "", func() (string, error) {
		locked, err := k.b.probe()
		if err == nil && locked {
			err = ErrKeychainLocked
		}
		return "", err
	})
	return err
}

// Get returns the password saved for siteID; ErrNoPassword (wrapped) when
// there is none.
func (k *Keychain) Get(ctx context.Context, siteID string) (string, error) {
	return k.do(ctx, "read", siteID, func() (string, error) { return k.b.get(k.Service, siteID) })
}

// Set saves the password for siteID, replacing any previous one. An empty
// password deletes the item.
func (k *Keychain) Set(ctx context.Context, siteID, password string) error {
	if password == "" {
		err := k.Delete(ctx, siteID)
		if errors.Is(err, ErrNoPassword) {
			err = nil
		}
		return err
	}
	_, err := k.do(ctx, "save", siteID, func() (string, error) { return "", k.b.set(k.Service, siteID, password) })
	return err
}

// Delete removes the password of siteID; ErrNoPassword (wrapped) when there
// was none.
func (k *Keychain) Delete(ctx context.Context, siteID string) error {
	_, err := k.do(ctx, "delete", siteID, func() (string, error) { return "", k.b.delete(k.Service, siteID) })
	return err
}

// do runs probe then fn in a goroutine and waits for it, ctx or Timeout.
// go-keyring has no context; a call stuck on a prompt keeps its goroutine
// until the keychain answers, and while one is stuck further calls fail
// at once instead of piling up.
func (k *Keychain) do(ctx context.Context, op, id string, fn func() (string, error)) (string, error) {
	if siteIDInvalid(id) && op != "reach" {
		return "", &KeychainError{Op: op, SiteID: id, Err: ErrKeychainRefused, Cause: errors.New("empty site ID")}
	}
	if k.pending.Load() > 0 {
		return "", &KeychainError{Op: op, SiteID: id, Err: ErrKeychainTimeout, Cause: errors.New("an earlier request is still waiting")}
	}
	timeout := k.Timeout
	if timeout <= 0 {
		timeout = DefaultKeychainTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	type result struct {
		v   string
		err error
	}
	done := make(chan result, 1)
	var locked, finished atomic.Bool
	go func() {
		l, err := k.b.probe()
		locked.Store(l)
		var v string
		if err == nil {
			v, err = fn()
		}
		if !finished.CompareAndSwap(false, true) {
			k.pending.Add(-1) // the caller gave up on us earlier
		}
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		finished.Store(true)
		if r.err != nil {
			return "", mapKeychainErr(op, id, r.err, locked.Load())
		}
		return r.v, nil
	case <-ctx.Done():
		if finished.CompareAndSwap(false, true) {
			k.pending.Add(1)
		} else {
			r := <-done // finished just now
			if r.err != nil {
				return "", mapKeychainErr(op, id, r.err, locked.Load())
			}
			return r.v, nil
		}
		e := &KeychainError{Op: op, SiteID: id, Err: ErrKeychainTimeout, Cause: ctx.Err()}
		if locked.Load() {
			e.Err, e.Cause = ErrKeychainLocked, fmt.Errorf("%w after %v", ErrKeychainTimeout, timeout)
		}
		return "", e
	}
}

func siteIDInvalid(id string) bool { return id == "" }

// mapKeychainErr is the one place that turns go-keyring and D-Bus errors
// into the sentinels above.
func mapKeychainErr(op, id string, err error, locked bool) error {
	e := &KeychainError{Op: op, SiteID: id, Err: ErrKeychainRefused, Cause: err}
	var de dbus.Error
	var ke *KeychainError
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		e.Err, e.Cause = ErrNoPassword, nil
	case errors.As(err, &ke):
		e.Err, e.Cause = ke.Err, ke.Cause
	case err == ErrKeychainLocked:
		e.Err, e.Cause = err, nil
	case errors.As(err, &de) && dbusNoKeychain[de.Name]:
		e.Err = ErrNoKeychain
	case errors.As(err, &de) && (de.Name == "org.freedesktop.DBus.Error.NoReply" || de.Name == "org.freedesktop.DBus.Error.Timeout"):
		e.Err = ErrKeychainTimeout
	case locked || errors.As(err, &de) && de.Name == "org.freedesktop.Secret.Error.IsLocked":
		// go-keyring's failed Unlock (prompt dismissed or impossible) is a
		// plain error; the probe told us the collection was locked.
		e.Err = ErrKeychainLocked
	}
	return e
}

// dbusNoKeychain are the D-Bus errors that mean nobody serves the Secret
// Service API (or the collection go-keyring wants does not exist).
var dbusNoKeychain = map[string]bool{
	"org.freedesktop.DBus.Error.ServiceUnknown":    true,
	"org.freedesktop.DBus.Error.NameHasNoOwner":    true,
	"org.freedesktop.DBus.Error.Spawn.ChildExited": true,
	"org.freedesktop.DBus.Error.Spawn.ExecFailed":  true,
	"org.freedesktop.DBus.Error.UnknownObject":     true,
	"org.freedesktop.DBus.Error.UnknownMethod":     true,
}

// osBackend is go-keyring over the OS keychain, with a D-Bus probe on
// Secret Service platforms (probe_dbus.go).
type osBackend struct{}

func (osBackend) probe() (bool, error)            { return probeOS() }
func (osBackend) get(s, u string) (string, error) { return keyring.Get(s, u) }
func (osBackend) set(s, u, p string) error        { return keyring.Set(s, u, p) }
func (osBackend) delete(s, u string) error        { return keyring.Delete(s, u) }

// MockKeychain returns a keychain backed by go-keyring's in-memory mock, for
// the tests of packages that use bookmarks. keyring.MockInit is process-wide
// and cannot be undone: never call this outside tests.
func MockKeychain() *Keychain {
	keyring.MockInit()
	return &Keychain{Service: KeychainService, Timeout: DefaultKeychainTimeout, b: mockOnly{}}
}

// mockOnly is go-keyring's mock without the D-Bus probe. The mock is one
// map for the whole process and not safe for concurrent use; mockMu makes
// it so, as the real keychains are.
type mockOnly struct{ osBackend }

var mockMu sync.Mutex

func (mockOnly) probe() (bool, error) { return false, nil }

func (m mockOnly) get(s, u string) (string, error) {
	mockMu.Lock()
	defer mockMu.Unlock()
	return m.osBackend.get(s, u)
}

func (m mockOnly) set(s, u, p string) error {
	mockMu.Lock()
	defer mockMu.Unlock()
	return m.osBackend.set(s, u, p)
}

func (m mockOnly) delete(s, u string) error {
	mockMu.Lock()
	defer mockMu.Unlock()
	return m.osBackend.delete(s, u)
}

// PassphraseID is the keychain account of a site's SFTP key passphrase,
// kept only when the user ticked "remember" (the password's is the site ID).
func PassphraseID(siteID string) string { return siteID + "#passphrase" }

// secretItems name every keychain item of a site: its password, its key
// passphrase and its proxy's password. Deleting or duplicating a site
// covers all of them.
var secretItems = []func(siteID string) string{
	func(id string) string { return id },
	PassphraseID,
	ProxySecretID,
}
