package cli

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// This file holds the command line's transcript tests for the failure
// classes met on servers of other lineages (issue 15), each against the
// scripted server playing the behaviour.

// TestVerifyNeverDeletesAGoodFileForARefusedQuestion: --verify against a
// server that answers XSHA256 with 501 asks the next checksum it offers;
// when none answers the download is kept and the result says it was not
// verified, instead of deleting a good file.
func TestVerifyNeverDeletesAGoodFileForARefusedQuestion(t *testing.T) {
	data := []byte(strings.Repeat("verify me ", 1000))
	sum := md5.Sum(data)
	for _, tt := range []struct {
		name       string
		replies    map[string]string
		wantReason string
	}{
		{"XSHA256 501, XMD5 answers", map[string]string{"XSHA256": "501 Syntax error in parameters or arguments.", "XMD5": "250 " + hex.EncodeToString(sum[:])}, ""},
		{"XSHA256 501, XMD5 501", map[string]string{"XSHA256": "501 Syntax error.", "XMD5": "501 Syntax error."}, "not verified: the server offers no checksum"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			s := startScripted(t)
			s.feat = []string{"SIZE", "REST STREAM", "EPSV", "XSHA256", "XMD5"}
			s.files["/f.bin"] = data
			for k, v := range tt.replies {
				s.replies[k] = v
			}
			dst := filepath.Join(t.TempDir(), "f.bin")
			status, out, errs := xfer(t, "get", "--verify", "--json", s.url("/f.bin"), dst)
			got, err := os.ReadFile(dst)
			if status != 0 || err != nil || string(got) != string(data) {
				t.Fatalf("status %d, file %d bytes (%v)\nstdout %s\nstderr %s", status, len(got), err, out, errs)
			}
			var r result
			if err := json.Unmarshal([]byte(out), &r); err != nil || r.State != "done" || r.Reason != tt.wantReason {
				t.Fatalf("result %s (%v): want done with reason %q", out, err, tt.wantReason)
			}
		})
	}
}
