package engine

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"hash/crc32"
	"io"
	"strings"
)

// NewHash returns a hash for an algorithm name as Session.Checksum reports
// it (SHA-256, SHA256, sha-1, MD5, CRC32, ...), or nil when Skiff cannot
// compute it.
func NewHash(alg string) hash.Hash {
	switch strings.ToUpper(strings.ReplaceAll(alg, "-", "")) {
	case "SHA256":
		return sha256.New()
	case "SHA512":
		return sha512.New()
	case "SHA1":
		return sha1.New()
	case "MD5":
		return md5.New()
	case "CRC32":
		return crc32.NewIEEE()
	}
	return nil
}

// HashReader hashes r with h and returns the lowercase hex digest, the form
// to compare with a server's (SameDigest).
func HashReader(h hash.Hash, r io.Reader) (string, error) {
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// SameDigest compares two hex digests as servers write them: in either
// case, and with or without leading zeros (XCRC drops them).
func SameDigest(a, b string) bool {
	return strings.EqualFold(strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0"))
}
