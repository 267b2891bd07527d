package ui

import (
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
)

// TestViewMenuTogglesAndShortcuts: the View menu hides the log, the trees
// and the queue (remembered), the menus show their shortcuts, Edit → Select
// all (Ctrl+A) selects the active pane's entries, and About names the
// version and the licence.
func TestViewMenuTogglesAndShortcuts(t *testing.T) {
	w, _, _ := newTestWindow(t)
	onUI(func() { w.Connect(engine.Config{Host: "h", User: "u"}, "/home") })
	waitFor(t, "listing", func() bool { return w.remote.table.rows() == 3 })
	onUI(func() {
		for _, l := range []string{"Message log", "Folder trees", "Transfer queue"} {
			menuItem(t, w, "View", l).Action()
		}
		if w.msgs.content.Visible() || w.remote.tree.tree.Visible() || w.local.tree.tree.Visible() || w.queue.content.Visible() {
			t.Error("a hidden part is still visible")
		}
		if w.app.Preferences().BoolWithFallback(prefShowQueue, true) {
			t.Error("hiding the queue is not remembered")
		}
		menuItem(t, w, "View", "Transfer queue").Action()
		if !w.queue.content.Visible() || !menuItem(t, w, "View", "Transfer queue").Checked {
			t.Error("the queue did not come back")
		}
		for _, m := range [][2]string{{"File", "Site Manager…"}, {"Edit", "Select all"}, {"Server", "Disconnect"}, {"Server", "Reconnect"}} {
			if menuItem(t, w, m[0], m[1]).Shortcut == nil {
				t.Errorf("%s → %s shows no shortcut", m[0], m[1])
			}
		}
		w.active = w.remote
		menuItem(t, w, "Edit", "Select all").Action()
		if n := len(w.remote.table.Selected()); n != 2 {
			t.Errorf("Select all selected %d of 2 entries", n)
		}
		w.win.Canvas().Focus(w.qc.host)
		w.qc.host.SetText("example.org")
		menuItem(t, w, "Edit", "Select all").Action()
		if w.qc.host.SelectedText() != "example.org" {
			t.Errorf("Ctrl+A in the host field selected %q", w.qc.host.SelectedText())
		}
	})
	txt := aboutText()
	if !strings.Contains(txt, "Skiff dev") && !strings.Contains(txt, "Skiff 0") || !strings.Contains(txt, "Licence") {
		t.Errorf("About says %q", txt)
	}
}
