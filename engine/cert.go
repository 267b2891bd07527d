package engine

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"strings"
	"time"
)

// CertInfo describes a server certificate for a trust prompt.
type CertInfo struct {
	Fingerprint string // SHA-256 of the DER, upper-case hex pairs joined by ':'
	Subject     string
	Issuer      string
	NotBefore   time.Time
	NotAfter    time.Time
	DNSNames    []string
}

// NewCertInfo describes c.
func NewCertInfo(c *x509.Certificate) CertInfo {
	return CertInfo{
		Fingerprint: Fingerprint(c.Raw),
		Subject:     c.Subject.String(),
		Issuer:      c.Issuer.String(),
		NotBefore:   c.NotBefore,
		NotAfter:    c.NotAfter,
		DNSNames:    c.DNSNames,
	}
}

// Fingerprint returns the SHA-256 fingerprint of a DER certificate in the
// form FileZilla shows: "AB:CD:...".
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// CertError stops a connection whose certificate is not verified by the system
// roots (or the configured CA file) and not among the site's trusted
// fingerprints. The UI shows Cert and may retry with Cert.Fingerprint added to
// Config.TrustedFingerprints. It is never temporary.
type CertError struct {
	Host   string
	Cert   CertInfo
	Reason error // the verification error
}

func (e *CertError) Error() string {
	return "certificate for " + e.Host + " is not trusted (" + e.Reason.Error() + "); SHA-256 " + e.Cert.Fingerprint
}

func (e *CertError) Unwrap() error { return e.Reason }
