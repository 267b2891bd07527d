package ui

import (
	"slices"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/bookmarks"
)

// TestQuickConnectHistoryLivesInTheSiteStore: a quick connection is recorded
// in the site store's history (not a second list of the window's own), and
// the drop-down is filled from there.
func TestQuickConnectHistoryLivesInTheSiteStore(t *testing.T) {
	w, _, st := newSiteTestWindow(t)
	onUI(func() {
		w.qc.host.SetText("ftpes://alice@files.example:2121/www")
		w.qc.pass.SetText("s3cret-pw")
		w.qc.Connect()
	})
	var es []bookmarks.HistoryEntry
	for deadline := time.Now().Add(5 * time.Second); len(es) == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		es, _ = st.History()
	}
	if len(es) != 1 || es[0].Host != "files.example" || es[0].Port != 2121 || es[0].User != "alice" || es[0].Security != bookmarks.TLSExplicit {
		t.Fatalf("store history %+v", es)
	}

	onUI(func() { w.qc.history = nil })
	w.loadHistory()
	var got []string
	for deadline := time.Now().Add(5 * time.Second); len(got) == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		onUI(func() { got = slices.Clone(w.qc.history) })
	}
	if len(got) != 1 || got[0] != "ftpes://alice@files.example:2121" {
		t.Fatalf("drop-down after loading %q", got)
	}

	onUI(func() { w.qc.OnHistory(nil) }) // "Clear history"
	for deadline := time.Now().Add(5 * time.Second); len(es) != 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		es, _ = st.History()
	}
	if len(es) != 0 {
		t.Fatalf("history not cleared: %+v", es)
	}
}
