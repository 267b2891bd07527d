package ftp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"os"
	"strings"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

// sessionCacheSize is how many TLS sessions one control connection keeps
// for its data connections: they all resume the same server, so a few do.
const sessionCacheSize = 4

// newTLSConfig builds the TLS configuration of one control connection and
// its data connections. The session cache is this connection's own:
// servers such as vsftpd (require_ssl_reuse=YES) accept a data connection
// only when it resumes the control connection's session, and a cache shared
// with other connections would offer them someone else's ticket.
//
// Go keys its session cache by ServerName, so it is set even for an IP
// host; Go's own verification is replaced by verify, which checks IP hosts
// against the certificate's IP addresses and reports *engine.CertError.
func (c *Conn) newTLSConfig() (*tls.Config, error) {
	var roots *x509.CertPool // nil: the system roots
	if c.cfg.CAFile != "" {
		pem, err := os.ReadFile(c.cfg.CAFile)
		if err != nil {
			return nil, err
		}
		roots = x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s: no PEM certificates", c.cfg.CAFile)
		}
	}
	return &tls.Config{
		ServerName:         strings.Trim(c.cfg.Host, "[]"),
		MinVersion:         tls.VersionTLS12,
		ClientSessionCache: keptSessions{tls.NewLRUClientSessionCache(sessionCacheSize)},
		InsecureSkipVerify: true, // verify below does it, with fingerprints and CertError
		VerifyConnection: func(cs tls.ConnectionState) error {
			return c.verify(cs, roots)
		},
	}, nil
}

// keptSessions is a session cache that never forgets a session, only
// replaces it. crypto/tls drops the session when a resuming handshake fails,
// and a data handshake fails whenever the server refuses the transfer
// command first (vsftpd: RETR of a missing file, 550) and it is cancelled:
// without the session every later data connection is new, and vsftpd with
// require_ssl_reuse refuses them all (522). A session the server no longer
// accepts costs a full handshake, not a failure.
type keptSessions struct{ tls.ClientSessionCache }

func (k keptSessions) Put(key string, cs *tls.ClientSessionState) {
	if cs != nil {
		k.ClientSessionCache.Put(key, cs)
	}
}

// verify accepts a server certificate that chains to roots (nil: the system
// roots) and names the host, or whose SHA-256 fingerprint the site trusts,
// or anything when Config.Insecure is set. A resumed session was verified
// when it was first established.
func (c *Conn) verify(cs tls.ConnectionState, roots *x509.CertPool) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("tls: server sent no certificate")
	}
	if c.cfg.Insecure || cs.DidResume {
		return nil
	}
	leaf := cs.PeerCertificates[0]
	fp := normalizeFingerprint(engine.Fingerprint(leaf.Raw))
	for _, t := range c.cfg.TrustedFingerprints {
		if normalizeFingerprint(t) == fp {
			return nil
		}
	}
	inter := x509.NewCertPool()
	for _, ic := range cs.PeerCertificates[1:] {
		inter.AddCert(ic)
	}
	_, err := leaf.Verify(x509.VerifyOptions{DNSName: strings.Trim(c.cfg.Host, "[]"), Roots: roots, Intermediates: inter})
	if err != nil {
		return &engine.CertError{Host: c.cfg.Host, Cert: engine.NewCertInfo(leaf), Reason: err}
	}
	return nil
}

func normalizeFingerprint(s string) string {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "SHA256:"), "sha256:")
	return strings.ToUpper(strings.NewReplacer(":", "", " ", "").Replace(s))
}

// startTLS runs the TLS handshake on the control connection (after 234 to
// AUTH TLS, or at once for implicit FTPS).
func (c *Conn) startTLS(ctx context.Context) error {
	tc := tls.Client(c.raw, c.tlsConf)
	c.raw.SetDeadline(time.Now().Add(c.timeout))
	if err := tc.HandshakeContext(ctx); err != nil {
		c.close()
		var ce *engine.CertError
		if errors.As(err, &ce) {
			c.trace(engine.TraceError, ce.Error())
			return ce
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	c.raw.SetDeadline(time.Time{})
	c.conn = tc
	c.rr.conn = tc
	c.text = textproto.NewConn(c.rr)
	c.feat.TLS = true
	st := tc.ConnectionState()
	c.status("TLS connection established (%s, %s)", tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite))
	return nil
}

// dataTLS runs the client handshake on a data connection with the control
// connection's configuration, so the session is resumed, and logs whether
// it was. RFC 4217: the FTP client is the TLS client in active mode too.
// A download reads the socket through a gauge, so that fill can tell when
// records are waiting.
func (c *Conn) dataTLS(ctx context.Context, nc net.Conn, download bool) (net.Conn, error) {
	under := nc
	if download {
		if g := newGauge(nc); g != nil {
			under = g
		}
	}
	tc := tls.Client(under, c.tlsConf)
	nc.SetDeadline(time.Now().Add(c.timeout))
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, fmt.Errorf("data connection TLS handshake: %w", err)
	}
	nc.SetDeadline(time.Time{})
	if tc.ConnectionState().DidResume {
		c.status("TLS session of data connection resumed")
	} else {
		c.status("TLS session of data connection NOT resumed; servers requiring session reuse will drop it")
	}
	return tc, nil
}
