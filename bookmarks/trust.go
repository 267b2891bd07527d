package bookmarks

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
)

// Trust file names.
const (
	TrustName = "trust.json" // what the user decided about servers' TLS
	trustLock = "trust.lock"
)

// Trust is what the user decided about servers' TLS outside the sites (quick
// connections), by "host:port": certificates trusted always, servers whose
// missing TLS was accepted always, and servers that have offered TLS (so
// that a later answer without it is asked about loudly). It lives in
// DIR/trust.json, written like the sites (temporary file, fsync, rename,
// fsync of the folder), never in the GUI toolkit's preferences, which are
// not written atomically. It holds no secret.
type Trust struct {
	Certificates []TrustedCertificate `json:"certificates,omitempty"`
	PlainOK      []string             `json:"plainOK,omitempty"`
	SeenTLS      []string             `json:"seenTLS,omitempty"`
}

// TrustedCertificate is one certificate (SHA-256 fingerprint) trusted always
// for a server.
type TrustedCertificate struct {
	Addr        string `json:"addr"`
	Fingerprint string `json:"fingerprint"`
}

type trustFile struct {
	Schema int `json:"schema"`
	Trust
}

// Fingerprints returns the certificates trusted always for addr.
func (t *Trust) Fingerprints(addr string) []string {
	var fps []string
	for _, c := range t.Certificates {
		if c.Addr == addr {
			fps = append(fps, c.Fingerprint)
		}
	}
	return fps
}

// TrustCertificate trusts the certificate fp for addr always.
func (t *Trust) TrustCertificate(addr, fp string) {
	c := TrustedCertificate{Addr: addr, Fingerprint: fp}
	if !slices.Contains(t.Certificates, c) {
		t.Certificates = append(t.Certificates, c)
	}
}

// PlainAccepted reports whether the user accepted addr without TLS always —
// unless the server has offered TLS since, which makes its missing TLS news.
func (t *Trust) PlainAccepted(addr string) bool {
	return slices.Contains(t.PlainOK, addr) && !t.HadTLS(addr)
}

// AcceptPlain remembers "always continue without TLS" for addr, and forgets
// that it had TLS: the user has seen the louder warning and accepted it.
func (t *Trust) AcceptPlain(addr string) {
	if !slices.Contains(t.PlainOK, addr) {
		t.PlainOK = append(t.PlainOK, addr)
	}
	t.SeenTLS = slices.DeleteFunc(t.SeenTLS, func(a string) bool { return a == addr })
}

// HadTLS reports whether addr has offered TLS before.
func (t *Trust) HadTLS(addr string) bool { return slices.Contains(t.SeenTLS, addr) }

// SawTLS notes that addr offers TLS.
func (t *Trust) SawTLS(addr string) {
	if !t.HadTLS(addr) {
		t.SeenTLS = append(t.SeenTLS, addr)
	}
}

// Trust returns the TLS decisions. A missing file is an empty Trust; a
// broken one is a *CorruptError (and the next UpdateTrust starts over: the
// worst loss is a question asked again).
func (s *Store) Trust() (Trust, error) {
	p := filepath.Join(s.dir, TrustName)
	raw, err := readLimited(p)
	if errors.Is(err, fs.ErrNotExist) {
		return Trust{}, nil
	}
	if err != nil {
		return Trust{}, &CorruptError{Path: p, Err: err}
	}
	var f trustFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return Trust{}, &CorruptError{Path: p, Err: fmt.Errorf("not valid JSON: %w", err)}
	}
	if f.Schema > SchemaVersion {
		return Trust{}, &SchemaError{Path: p, Found: f.Schema, Supported: SchemaVersion}
	}
	return f.Trust, nil
}

// UpdateTrust applies fn to the TLS decisions on disk and saves them, under
// DIR/trust.lock, so that processes sharing the folder lose nothing.
func (s *Store) UpdateTrust(fn func(*Trust)) error {
	release, err := lockPath(filepath.Join(s.dir, trustLock), LockTimeout)
	if err != nil {
		return err
	}
	defer release()
	t, err := s.Trust()
	var se *SchemaError
	if errors.As(err, &se) {
		return err
	}
	fn(&t) // a corrupt file (err != nil) starts over
	data, err := json.MarshalIndent(trustFile{Schema: SchemaVersion, Trust: t}, "", "\t")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(s.dir, TrustName), append(data, '\n'))
}
