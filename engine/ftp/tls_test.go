package ftp

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

// TestTLSDataConnectionsResumeSession plays vsftpd's require_ssl_reuse: the
// fake server drops any TLS data connection that did not resume the control
// connection's session. Listing, downloads, uploads (empty ones too) and
// active mode must all resume.
func TestTLSDataConnectionsResumeSession(t *testing.T) {
	for _, tc := range []struct {
		name     string
		mode     engine.Mode
		version  uint16
		implicit bool
	}{
		{"explicit passive TLS1.3", engine.ModePassive, tls.VersionTLS13, false},
		{"explicit passive TLS1.2", engine.ModePassive, tls.VersionTLS12, false},
		{"explicit active TLS1.3", engine.ModeActive, tls.VersionTLS13, false},
		{"implicit passive", engine.ModePassive, tls.VersionTLS13, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newFakeServer(t, "SIZE", "REST STREAM")
			ca := s.withTLS(t)
			s.setup(func() { s.tls.MaxVersion, s.implicit = tc.version, tc.implicit })
			var tl traceLog
			c := dialFake(t, s, func(cfg *engine.Config) {
				cfg.Security, cfg.CAFile, cfg.Mode, cfg.Trace = engine.TLSExplicit, ca, tc.mode, tl.add
				if tc.implicit {
					cfg.Security = engine.TLSImplicit
				}
			})
			ctx := context.Background()
			payload := bytes.Repeat([]byte("secret data "), 50_000)
			if _, err := c.Store(ctx, "/f", 0, bytes.NewReader(payload)); err != nil {
				t.Fatalf("Store: %v", err)
			}
			if _, err := c.Store(ctx, "/empty", 0, bytes.NewReader(nil)); err != nil {
				t.Fatalf("Store empty: %v", err)
			}
			var b bytes.Buffer
			if _, err := c.Retrieve(ctx, "/f", 0, &b); err != nil || !bytes.Equal(b.Bytes(), payload) {
				t.Fatalf("Retrieve: %v (%d bytes)", err, b.Len())
			}
			if got := retrieveString(t, c, "/empty", 0); got != "" {
				t.Fatalf("empty file has %q", got)
			}
			if es, err := c.List(ctx, "/"); err != nil || len(es) != 2 {
				t.Fatalf("List: %v %+v", err, es)
			}
			if got, _ := s.get("/empty"); got == nil {
				t.Fatal("empty upload did not create the file")
			}
			s.mu.Lock()
			resumed := append([]bool(nil), s.resumed...)
			s.mu.Unlock()
			if len(resumed) != 5 {
				t.Fatalf("%d TLS data connections, want 5", len(resumed))
			}
			for i, r := range resumed {
				if !r {
					t.Fatalf("data connection %d did not resume", i)
				}
			}
			if !c.Features().TLS || !strings.Contains(tl.String(), "TLS session of data connection resumed") {
				t.Fatalf("trace:\n%s", tl.String())
			}
			if v := s.verbs(); !strings.Contains(v, "PBSZ PROT") || tc.implicit == strings.Contains(v, "AUTH") {
				t.Fatalf("verbs %s", v)
			}
		})
	}
}

// TestTLSRequiredServerWithoutAuthTLSIsNotSilentlySkipped: a server (or a
// man in the middle) answering AUTH TLS with an error must not get the
// password in clear text when the user asked for TLS.
func TestTLSRequiredServerWithoutAuthTLSIsNotSilentlySkipped(t *testing.T) {
	s := newFakeServer(t)
	cfg := s.config()
	cfg.Security = engine.TLSExplicit
	_, err := Dial(context.Background(), cfg)
	if !errors.Is(err, engine.ErrTLSRequired) || engine.IsTemporary(err) {
		t.Fatalf("err %v, want ErrTLSRequired", err)
	}
	if v := s.verbs(); v != "AUTH" {
		t.Fatalf("sent %s after AUTH was refused", v)
	}
}

// TestTLSIfAvailableNeverSendsThePasswordInClearUnasked: "TLS if available"
// (the default for ftp://) meeting a 5xx to AUTH TLS — a server without TLS,
// or an attacker who answers for it — sends nothing more unless
// ConfirmPlain said yes, and ConfirmPlain learns the host and the reply.
func TestTLSIfAvailableNeverSendsThePasswordInClearUnasked(t *testing.T) {
	for _, tt := range []struct {
		name    string
		confirm func(context.Context, string, string) bool
	}{
		{"no ConfirmPlain", nil},
		{"ConfirmPlain says no", func(context.Context, string, string) bool { return false }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newFakeServer(t)
			cfg := s.config()
			cfg.Security = engine.TLSIfAvailable
			cfg.ConfirmPlain = tt.confirm
			_, err := Dial(context.Background(), cfg)
			if !errors.Is(err, engine.ErrTLSRequired) || engine.IsTemporary(err) || engine.ReplyCode(err) != 502 {
				t.Fatalf("err %v, want ErrTLSRequired with the 502", err)
			}
			if v := s.verbs(); v != "AUTH" {
				t.Fatalf("sent %s after AUTH was refused", v)
			}
		})
	}
}

func TestTLSIfAvailableFallsBackToPlainWhenConfirmedAndSaysSo(t *testing.T) {
	s := newFakeServer(t)
	var tl traceLog
	var asked []string
	c := dialFake(t, s, func(cfg *engine.Config) {
		cfg.Security = engine.TLSIfAvailable
		cfg.Trace = tl.add
		cfg.ConfirmPlain = func(_ context.Context, host, reply string) bool {
			asked = append(asked, host+" "+reply)
			return true
		}
	})
	if len(asked) != 1 || !strings.Contains(asked[0], "127.0.0.1") || !strings.Contains(asked[0], "502") {
		t.Fatalf("ConfirmPlain asked %q", asked)
	}
	if c.Features().TLS || !strings.Contains(tl.String(), "WITHOUT encryption") {
		t.Fatalf("TLS %v, trace:\n%s", c.Features().TLS, tl.String())
	}
	if v := s.verbs(); strings.Contains(v, "PROT") {
		t.Fatalf("verbs %s", v)
	}
}

func TestTLSIfAvailableUsesTLS(t *testing.T) {
	s := newFakeServer(t)
	ca := s.withTLS(t)
	c := dialFake(t, s, func(cfg *engine.Config) { cfg.Security = engine.TLSIfAvailable; cfg.CAFile = ca })
	if !c.Features().TLS {
		t.Fatal("no TLS")
	}
}

// TestCertificateForAnotherHostIsRejected: a certificate that chains to a
// trusted root but names another host stops the connection before USER,
// with the details the UI needs to ask; trusting its fingerprint lets it in.
func TestCertificateForAnotherHostIsRejected(t *testing.T) {
	s := newFakeServer(t)
	cert, pemBytes := selfSigned(t, "other.example", net.ParseIP("10.1.1.1"))
	s.setup(func() { s.tls = &tls.Config{Certificates: []tls.Certificate{cert}} })
	ca := t.TempDir() + "/ca.pem"
	if err := writeFile(ca, pemBytes); err != nil {
		t.Fatal(err)
	}
	cfg := s.config()
	cfg.Security, cfg.CAFile = engine.TLSExplicit, ca
	_, err := Dial(context.Background(), cfg)
	var ce *engine.CertError
	if !errors.As(err, &ce) || engine.IsTemporary(err) {
		t.Fatalf("err %v, want *engine.CertError", err)
	}
	want := engine.Fingerprint(cert.Certificate[0])
	if ce.Cert.Fingerprint != want || !strings.Contains(ce.Cert.Subject, "other.example") || ce.Host != "127.0.0.1" {
		t.Fatalf("cert info %+v", ce.Cert)
	}
	if strings.Contains(s.verbs(), "USER") {
		t.Fatalf("USER sent to an untrusted server: %s", s.verbs())
	}

	cfg.CAFile = ""
	cfg.TrustedFingerprints = []string{strings.ToLower(strings.ReplaceAll(want, ":", ""))}
	c, err := Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("trusted fingerprint refused: %v", err)
	}
	c.Close()
}

func TestUnknownCertificateIsNeverSilentlyAccepted(t *testing.T) {
	s := newFakeServer(t)
	s.withTLS(t) // not trusted: no CAFile, not in the system roots
	cfg := s.config()
	cfg.Security = engine.TLSIfAvailable
	_, err := Dial(context.Background(), cfg)
	var ce *engine.CertError
	if !errors.As(err, &ce) {
		t.Fatalf("err %v, want *engine.CertError", err)
	}
	cfg.Insecure = true
	c, err := Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("--insecure: %v", err)
	}
	c.Close()
}

// withTLS gives the server a self-signed certificate for 127.0.0.1 and
// "localhost" and returns the PEM file of it for Config.CAFile.
func (s *fakeServer) withTLS(t *testing.T) string {
	cert, pemBytes := selfSigned(t, "localhost", net.ParseIP("127.0.0.1"))
	s.mu.Lock()
	s.tls = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.mu.Unlock()
	f := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(f, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func selfSigned(t *testing.T, dns string, ip net.IP) (tls.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: dns},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{dns}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
	}
	if ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func writeFile(name string, b []byte) error { return os.WriteFile(name, b, 0o600) }
