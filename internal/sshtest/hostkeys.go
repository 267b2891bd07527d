package sshtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"sync"

	"golang.org/x/crypto/ssh"
)

// rsaHostKeyBits is the RSA host key size: the smallest OpenSSH accepts
// without complaint, since generating it dominates an instance's start-up.
const rsaHostKeyBits = 2048

// hostKey is one generated host key: its sshd_config file suffix, the
// OpenSSH PEM sshd reads and the signer for its public half.
type hostKey struct {
	name   string
	pem    []byte
	signer ssh.Signer
}

var shared struct {
	once sync.Once
	keys []hostKey
	err  error
}

// sharedHostKeys returns the host keys every instance of this test process
// uses unless it asks for fresh ones.
func sharedHostKeys() ([]hostKey, error) {
	shared.once.Do(func() { shared.keys, shared.err = newHostKeys() })
	return shared.keys, shared.err
}

// newHostKeys generates ed25519, ECDSA P-256 and RSA host keys.
func newHostKeys() ([]hostKey, error) {
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, rsaHostKeyBits)
	if err != nil {
		return nil, err
	}
	var keys []hostKey
	for _, k := range []struct {
		name string
		key  crypto.PrivateKey
	}{{"ed25519", edKey}, {"ecdsa", ecKey}, {"rsa", rsaKey}} {
		block, err := ssh.MarshalPrivateKey(k.key, "skiff-sshtest host key")
		if err != nil {
			return nil, err
		}
		signer, err := ssh.NewSignerFromKey(k.key)
		if err != nil {
			return nil, err
		}
		keys = append(keys, hostKey{name: k.name, pem: pem.EncodeToMemory(block), signer: signer})
	}
	return keys, nil
}
