package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/queue"
)

func connected(t *testing.T) (*Window, *fakeFS, *fakeQueue) {
	t.Helper()
	w, fs, q := newTestWindow(t)
	onUI(func() { w.Connect(engine.Config{Host: "h", User: "u"}, "/home") })
	waitFor(t, "listing", func() bool { return w.remote.table.rows() == 3 && w.local.cwd != "" })
	return w, fs, q
}

func TestKeyboardShortcuts(t *testing.T) {
	w, fs, _ := connected(t)
	key := func(k fyne.KeyName) { w.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k}) }
	onUI(func() {
		w.remote.table.SelectName("site")
		key(fyne.KeyReturn) // Enter opens the folder
	})
	waitFor(t, "entered", func() bool { return w.remote.cwd == "/home/site" })
	onUI(func() { key(fyne.KeyBackspace) })
	waitFor(t, "back up", func() bool { return w.remote.cwd == "/home" })
	n := len(fs.callLog())
	onUI(func() { key(fyne.KeyF5) })
	waitFor(t, "F5 lists again", func() bool { return len(fs.callLog()) > n })
	onUI(func() {
		w.remote.table.SelectName("readme.txt")
		key(fyne.KeyF2)
	})
	waitFor(t, "rename dialog", func() bool { return w.win.Canvas().Overlays().Top() != nil })
	onUI(func() {
		e := findEntry(w.win.Canvas().Overlays().Top())
		e.SetText("README.md")
		tapButton(t, w, "OK")
	})
	waitFor(t, "renamed", func() bool { return rowOf(w.remote.table, "README.md") >= 0 })
	if !strings.Contains(strings.Join(fs.callLog(), "\n"), "RNFR /home/readme.txt RNTO /home/README.md") {
		t.Errorf("calls %v", fs.callLog())
	}
	onUI(func() {
		w.remote.table.SelectName("README.md")
		key(fyne.KeyDelete)
	})
	waitFor(t, "delete confirmation", func() bool { return w.win.Canvas().Overlays().Top() != nil })
}

func findEntry(o fyne.CanvasObject) *widget.Entry {
	var found *widget.Entry
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil {
			return
		}
		if e, ok := o.(*widget.Entry); ok {
			found = e
			return
		}
		if c, ok := o.(*fyne.Container); ok {
			for _, c := range c.Objects {
				walk(c)
			}
		} else if wd, ok := o.(fyne.Widget); ok {
			for _, c := range cacheRenderer(wd).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return found
}

func TestDropFromDesktopUploadsToRemoteFolder(t *testing.T) {
	w, _, q := connected(t)
	f := filepath.Join(t.TempDir(), "dropped.txt")
	if err := os.WriteFile(f, []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	onUI(func() {
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(w.remote.content).AddXY(20, 20)
		w.dropped(pos, []fyne.URI{storage.NewFileURI(f)})
	})
	waitFor(t, "upload queued", func() bool { return len(q.items()) == 1 })
	if it := q.items()[0]; !it.Upload || it.Remote != "/home/dropped.txt" || it.Size != 3 {
		t.Errorf("queued %+v", it)
	}
	// a drop on the local pane does nothing
	onUI(func() {
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(w.local.content).AddXY(20, 20)
		w.dropped(pos, []fyne.URI{storage.NewFileURI(f)})
	})
	time.Sleep(50 * time.Millisecond)
	if len(q.items()) != 1 {
		t.Error("a drop on the local pane queued an upload")
	}
}

func TestOverwritePromptAnswersWithApplyToAll(t *testing.T) {
	w, _, _ := connected(t)
	got := make(chan queue.Answer, 1)
	go func() {
		got <- w.askOverwrite(context.Background(), queue.Conflict{Item: queue.Item{Local: "/tmp/x"}, SourceSize: 10, TargetSize: 5})
	}()
	waitFor(t, "prompt", func() bool { return w.win.Canvas().Overlays().Top() != nil })
	onUI(func() {
		top := w.win.Canvas().Overlays().Top()
		radio, check := findRadio(top), findCheck(top)
		radio.SetSelected("Resume")
		check.SetChecked(true)
		tapButton(t, w, "OK")
	})
	if a := <-got; a.Policy != queue.Resume || !a.All {
		t.Errorf("answer %+v", a)
	}
}

func findRadio(o fyne.CanvasObject) (r *widget.RadioGroup) {
	walkObjects(o, func(o fyne.CanvasObject) {
		if x, ok := o.(*widget.RadioGroup); ok && r == nil {
			r = x
		}
	})
	return r
}

func findCheck(o fyne.CanvasObject) (c *widget.Check) {
	walkObjects(o, func(o fyne.CanvasObject) {
		if x, ok := o.(*widget.Check); ok && c == nil {
			c = x
		}
	})
	return c
}

func walkObjects(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	if c, ok := o.(*fyne.Container); ok {
		for _, c := range c.Objects {
			walkObjects(c, fn)
		}
	} else if wd, ok := o.(fyne.Widget); ok {
		for _, c := range cacheRenderer(wd).Objects() {
			walkObjects(c, fn)
		}
	}
}

func TestWindowHasItsRegions(t *testing.T) {
	w, _, _ := connected(t)
	onUI(func() {
		var tables, trees, lists, queues int
		walkObjects(w.win.Content(), func(o fyne.CanvasObject) {
			switch o.(type) {
			case *widget.Table:
				tables++
			case *widget.Tree:
				trees++
			case *widget.List:
				lists++
			case *queueTable:
				queues++
			}
		})
		// two file tables, two folder trees, the log and the queue tab on screen
		if tables != 2 || trees != 2 || lists < 1 || queues < 1 {
			t.Errorf("tables %d trees %d lists %d queue tables %d", tables, trees, lists, queues)
		}
		for _, title := range []string{"Queued files", "Failed transfers", "Successful transfers"} {
			found := false
			for _, it := range w.queue.tabs.Items {
				found = found || strings.HasPrefix(it.Text, title)
			}
			if !found {
				t.Errorf("no tab %q", title)
			}
		}
		if w.qc.host.PlaceHolder == "" || w.remote.pathEntry.Text != "/home" {
			t.Errorf("quick-connect or path bar missing")
		}
	})
}
