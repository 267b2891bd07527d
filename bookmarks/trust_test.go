package bookmarks

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestTrustIsSavedWholeNextToTheSites(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if tr, err := s.Trust(); err != nil || !reflect.DeepEqual(tr, Trust{}) {
		t.Fatalf("no file: %+v %v", tr, err)
	}
	if err := s.UpdateTrust(func(t *Trust) {
		t.TrustCertificate("h:21", "AB:CD")
		t.TrustCertificate("h:21", "AB:CD")
		t.SawTLS("h:21")
		t.AcceptPlain("old:21")
	}); err != nil {
		t.Fatal(err)
	}
	// Another Store on the same folder (another process) sees it whole.
	s2, _ := Open(dir)
	tr, err := s2.Trust()
	if err != nil {
		t.Fatal(err)
	}
	if got := tr.Fingerprints("h:21"); len(got) != 1 || got[0] != "AB:CD" {
		t.Errorf("fingerprints %q", got)
	}
	if !tr.HadTLS("h:21") || !tr.PlainAccepted("old:21") || tr.PlainAccepted("h:21") {
		t.Errorf("trust %+v", tr)
	}
	fi, err := os.Stat(filepath.Join(dir, TrustName))
	// Windows has ACLs, not modes (Go reports 0666 for every writable file).
	if err != nil || fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows" {
		t.Errorf("trust file: %v %v", fi, err)
	}
	es, _ := os.ReadDir(dir)
	for _, e := range es {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// TestAcceptPlainForgetsTLSSeen: accepting a server without TLS after the
// louder warning ("it had TLS before") is not asked again.
func TestAcceptPlainForgetsTLSSeen(t *testing.T) {
	var tr Trust
	tr.SawTLS("h:21")
	tr.AcceptPlain("h:21")
	if tr.HadTLS("h:21") || !tr.PlainAccepted("h:21") {
		t.Errorf("%+v", tr)
	}
	tr.SawTLS("h:21") // offered TLS again: missing TLS is news again
	if tr.PlainAccepted("h:21") {
		t.Error("plain still accepted after the server offered TLS again")
	}
}

func TestCorruptTrustIsReportedThenReplaced(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	if err := os.WriteFile(filepath.Join(dir, TrustName), []byte(`{"schema":1,"certif`), 0o600); err != nil {
		t.Fatal(err)
	}
	var ce *CorruptError
	if _, err := s.Trust(); !errors.As(err, &ce) {
		t.Fatalf("truncated file: %v", err)
	}
	if err := s.UpdateTrust(func(t *Trust) { t.SawTLS("h:21") }); err != nil {
		t.Fatal(err)
	}
	if tr, err := s.Trust(); err != nil || !tr.HadTLS("h:21") {
		t.Errorf("after update: %+v %v", tr, err)
	}
}
