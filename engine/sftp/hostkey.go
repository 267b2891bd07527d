package sftp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"crypto/ed25519"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/skiff-ftp/skiff/engine"
)

// HostKeyError is a host key that was not trusted. Old is the recorded
// fingerprint(s) when the key CHANGED; empty when it was unknown.
type HostKeyError struct {
	Host    string
	KeyType string   // the shown key's type, e.g. "ssh-ed25519"
	New     string   // SHA256 fingerprint the server showed
	Old     []string // fingerprints on record (a changed key)
}

func (e *HostKeyError) Error() string {
	if len(e.Old) > 0 {
		return fmt.Sprintf("host key for %s CHANGED: known %s, server showed %s (refused; possible man-in-the-middle)",
			e.Host, strings.Join(e.Old, ", "), e.New)
	}
	return fmt.Sprintf("unknown host key for %s: %s (not trusted)", e.Host, e.New)
}

// Changed reports whether a known key was replaced.
func (e *HostKeyError) Changed() bool { return len(e.Old) > 0 }

func knownFiles(cfg engine.Config) []string {
	var fs []string
	if home, err := os.UserHomeDir(); err == nil {
		p := filepath.Join(home, ".ssh", "known_hosts")
		if _, err := os.Stat(p); err == nil {
			fs = append(fs, p)
		}
	}
	if cfg.KnownHostsFile != "" {
		if _, err := os.Stat(cfg.KnownHostsFile); err == nil {
			fs = append(fs, cfg.KnownHostsFile)
		}
	}
	return fs
}

// hostKeyCallback checks keys against the known-hosts files and returns the
// host key algorithms of the recorded keys, so the server offers the key we
// know rather than another type we would mistake for a change.
func hostKeyCallback(ctx context.Context, cfg engine.Config, addr string, tr tracer) (ssh.HostKeyCallback, []string, error) {
	files := knownFiles(cfg)
	check := func(string, net.Addr, ssh.PublicKey) error { return &knownhosts.KeyError{} }
	if len(files) > 0 {
		cb, err := knownhosts.New(files...)
		if err != nil {
			return nil, nil, fmt.Errorf("known hosts: %w", err)
		}
		check = cb
	}
	algs := knownAlgorithms(check, addr)
	cb := func(host string, remote net.Addr, key ssh.PublicKey) error {
		fp := ssh.FingerprintSHA256(key)
		err := check(host, remote, key)
		var ke *knownhosts.KeyError
		if err == nil {
			tr.status(fmt.Sprintf("Host key %s %s is known", key.Type(), fp))
			return nil
		}
		if !errors.As(err, &ke) {
			return err
		}
		if len(ke.Want) > 0 {
			old := make([]string, len(ke.Want))
			for i, w := range ke.Want {
				old[i] = ssh.FingerprintSHA256(w.Key)
			}
			hke := &HostKeyError{Host: host, KeyType: key.Type(), New: fp, Old: old}
			tr.error(hke.Error())
			return hke
		}
		if slices.Contains(cfg.TrustedFingerprints, fp) {
			tr.status(fmt.Sprintf("Host key %s %s is new; trusted for this connection only", key.Type(), fp))
			return nil // trusted once (the window's answer): not recorded
		}
		if cfg.ConfirmHostKey == nil || !cfg.ConfirmHostKey(ctx, host, fp) {
			hke := &HostKeyError{Host: host, KeyType: key.Type(), New: fp}
			tr.error(hke.Error())
			return hke
		}
		tr.status(fmt.Sprintf("Host key %s %s is new; trusted", key.Type(), fp))
		if cfg.KnownHostsFile == "" {
			return nil
		}
		return appendKnown(cfg.KnownHostsFile, host, remote, key)
	}
	return cb, algs, nil
}

// knownAlgorithms asks the callback which keys it knows for addr by offering
// a throwaway key: the KeyError lists the recorded ones.
func knownAlgorithms(check ssh.HostKeyCallback, addr string) []string {
	probe, _ := ssh.NewPublicKey(probeKey)
	err := check(addr, &net.TCPAddr{IP: net.IPv4zero}, probe)
	var ke *knownhosts.KeyError
	if !errors.As(err, &ke) || len(ke.Want) == 0 {
		return nil
	}
	var algs []string
	seen := map[string]bool{}
	for _, w := range ke.Want {
		for _, a := range algorithmsFor(w.Key.Type()) {
			if !seen[a] {
				seen[a] = true
				algs = append(algs, a)
			}
		}
	}
	return algs
}

func algorithmsFor(keyType string) []string {
	if keyType == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{keyType}
}

func appendKnown(file, host string, remote net.Addr, key ssh.PublicKey) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	line := knownhosts.Line([]string{knownhosts.Normalize(host)}, key)
	if _, err := f.WriteString(line + "\n"); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// probeKey is a fixed ed25519 public key no server has.
var probeKey = func() any {
	k := make([]byte, 32)
	for i := range k {
		k[i] = byte(i + 1)
	}
	return ed25519PublicKey(k)
}()

type ed25519PublicKey = ed25519.PublicKey
