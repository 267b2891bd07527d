package ftp

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
)

// TestChecksumQuestionRefused: a server that refuses one way of asking for
// a checksum (a 501 "syntax error" to XSHA256, a 504 to OPTS HASH, a
// malformed answer) has not said the file is bad; the next way it offers is
// asked, and only when none answers is the result ErrUnsupported.
func TestChecksumQuestionRefused(t *testing.T) {
	data := []byte("some file contents")
	sum := md5.Sum(data)
	md5hex := hex.EncodeToString(sum[:])
	for _, tt := range []struct {
		name    string
		feat    []string
		replies map[string]string // verb → reply; "md5" is replaced by the file's MD5
		wantAlg string            // "" means ErrUnsupported
	}{
		{"XSHA256 501, XMD5 offered", []string{"XSHA256", "XMD5"},
			map[string]string{"XSHA256": "501 Syntax error in parameters or arguments.", "XMD5": "250 md5"}, "MD5"},
		{"XSHA256 502, XMD5 offered", []string{"XSHA256", "XMD5"},
			map[string]string{"XSHA256": "502 Command not implemented.", "XMD5": "250 md5"}, "MD5"},
		{"XSHA256 malformed, XMD5 offered", []string{"XSHA256", "XMD5"},
			map[string]string{"XSHA256": "250 nothing to see", "XMD5": "250 md5"}, "MD5"},
		{"OPTS HASH SHA-256 504, HASH MD5", []string{"HASH SHA-256;MD5"},
			map[string]string{"OPTS": "504 Unknown algorithm.", "HASH": "213 MD5 0-17 md5 /f"}, "MD5"},
		{"HASH 501 then XMD5", []string{"HASH SHA-256*", "XMD5"},
			map[string]string{"HASH": "501 Not allowed.", "XMD5": "250 md5"}, "MD5"},
		{"every question 501", []string{"XSHA256", "XSHA1", "XMD5", "XCRC"},
			map[string]string{"XSHA256": "501 no", "XSHA1": "501 no", "XMD5": "501 no", "XCRC": "501 no"}, ""},
		{"nothing offered, all probes 500", nil, nil, ""},
		{"CKSM MD5 (GridFTP)", []string{"CKSM MD5,ADLER32"},
			map[string]string{"CKSM": "213 md5"}, "MD5"},
		{"CKSM 501, XMD5 offered", []string{"CKSM", "XMD5"},
			map[string]string{"CKSM": "501 Bad algorithm.", "XMD5": "250 md5"}, "MD5"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newFakeServer(t, tt.feat...)
			s.put("/f", data)
			for verb, r := range tt.replies {
				reply := strings.ReplaceAll(r, "md5", md5hex)
				s.on(verb, func(fs *fakeSession, arg string) bool {
					if verb == "OPTS" && !strings.HasPrefix(arg, "HASH SHA-256") {
						return false
					}
					fs.reply("%s", reply)
					return true
				})
			}
			c := dialFake(t, s, nil)
			alg, got, err := c.Checksum(context.Background(), "/f")
			if tt.wantAlg == "" {
				if !errors.Is(err, engine.ErrUnsupported) {
					t.Fatalf("Checksum: %s %s, %v; want ErrUnsupported", alg, got, err)
				}
				return
			}
			if err != nil || alg != tt.wantAlg || got != md5hex {
				t.Fatalf("Checksum: %s %s, %v; want %s %s\ncommands: %s", alg, got, err, tt.wantAlg, md5hex, s.verbs())
			}
			if !c.Alive() {
				t.Fatal("the connection was closed")
			}
			if tt.replies["CKSM"] != "" && !slices.Contains(s.commands(), "CKSM MD5 0 -1 /f") {
				t.Fatalf("no CKSM MD5 0 -1 /f in %q", s.commands())
			}
		})
	}
}
