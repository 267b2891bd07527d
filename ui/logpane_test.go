package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
)

func TestLogPaneMasksPasswordAndColoursKinds(t *testing.T) {
	a := test.NewTempApp(t)
	var lp *logPane
	onUI(func() { // Fyne's text caches are shared with other tests' goroutines
		lp = newLogPane(a.Clipboard().SetContent)
		test.NewTempWindow(t, lp.content)
	})
	lp.Add(engine.TraceEvent{Kind: engine.TraceCommand, Text: "PASS hunter2"})
	lp.Add(engine.TraceEvent{Kind: engine.TraceReply, Text: "230 OK"})
	lp.Error("boom")
	waitFor(t, "3 lines", func() bool { return lp.length() == 3 })
	onUI(func() {
		if txt := lp.Text(); strings.Contains(txt, "hunter2") || !strings.Contains(txt, "PASS ****") {
			t.Fatalf("log not masked:\n%s", txt)
		}
		l := lp.create().(*widget.Label)
		lp.update(0, l)
		if l.Importance != widget.HighImportance || !l.Selectable {
			t.Errorf("command line: importance %v selectable %v", l.Importance, l.Selectable)
		}
		lp.update(2, l)
		if l.Importance != widget.DangerImportance {
			t.Errorf("error line importance %v", l.Importance)
		}
		lp.clip(lp.Text())
	})
	if got := a.Clipboard().Content(); !strings.Contains(got, "230 OK") {
		t.Errorf("clipboard %q", got)
	}
}

func TestLogPaneIsBounded(t *testing.T) {
	a := test.NewTempApp(t)
	lp := newLogPane(a.Clipboard().SetContent)
	for i := range maxLogLines + 500 {
		lp.Status(fmt.Sprint("line ", i))
	}
	waitFor(t, "flush", func() bool { return lp.length() == maxLogLines })
	if got := lp.line(0).Text; got != "line 500" {
		t.Errorf("oldest line %q, want line 500", got)
	}
	if got := lp.line(maxLogLines - 1).Text; got != fmt.Sprint("line ", maxLogLines+499) {
		t.Errorf("newest line %q", got)
	}
}
