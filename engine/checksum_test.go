package engine

import (
	"strings"
	"testing"
)

func TestNewHash(t *testing.T) {
	for alg, want := range map[string]string{
		"SHA-256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"sha256":  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"SHA-1":   "a9993e364706816aba3e25717850c26c9cd0d89d",
		"MD5":     "900150983cd24fb0d6963f7d28e17f72",
		"CRC32":   "352441c2",
		"BLAKE3":  "",
	} {
		t.Run(alg, func(t *testing.T) {
			h := NewHash(alg)
			if h == nil {
				if want != "" {
					t.Fatalf("no hash for %s", alg)
				}
				return
			}
			got, err := HashReader(h, strings.NewReader("abc"))
			if err != nil || got != want {
				t.Fatalf("%s(abc) = %s %v, want %s", alg, got, err, want)
			}
		})
	}
}

func TestSameDigest(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"0352441C2", "352441c2", true}, // XCRC drops leading zeros, some servers write capitals
		{"352441c2", "352441c3", false},
		{"", "0", true},
	} {
		if got := SameDigest(c.a, c.b); got != c.same {
			t.Errorf("SameDigest(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
