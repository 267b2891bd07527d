package ui

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/mirror"
	"github.com/skiff-ftp/skiff/engine/queue"
	"github.com/skiff-ftp/skiff/internal/ftptest"
)

func file(p string, size int64) mirror.File {
	return mirror.File{Path: p, Size: size, Time: mirror.Time{T: cmpWhen, Precision: time.Second, Source: mirror.SourceMLSD}}
}

func folder(p string) mirror.File { return mirror.File{Path: p, Dir: true, Size: -1} }

// samplePlan: a new folder with a file, a changed file, a newer target, a
// file only at the target, an identical file.
func samplePlan() mirror.Plan {
	return mirror.Plan{Actions: []mirror.Action{
		{Kind: mirror.Upload, Path: "changed", Size: 7, Reason: "size differs", Src: file("changed", 7), Dst: file("changed", 5)},
		{Kind: mirror.Keep, Path: "conflict", Size: 3, Conflict: true, Reason: "target newer", Src: file("conflict", 3), Dst: file("conflict", 3)},
		{Kind: mirror.Keep, Path: "same", Size: 2, Reason: "same size and time", Src: file("same", 2), Dst: file("same", 2)},
		{Kind: mirror.Mkdir, Path: "sub", Dir: true, Reason: "new folder", Src: folder("sub")},
		{Kind: mirror.Upload, Path: "sub/new", Size: 11, Reason: "new", Src: file("sub/new", 11)},
		{Kind: mirror.Delete, Path: "gone", Size: 13, Reason: "not at the source", Dst: file("gone", 13)},
	}}
}

func kinds(rows []syncRow, d mirror.Direction) string {
	var out []string
	for _, r := range rows {
		mark := " "
		if r.on {
			mark = "x"
		}
		out = append(out, mark+r.kindName(d)+" "+r.a.Path)
	}
	return strings.Join(out, ", ")
}

// TestPreviewRows: identical files are not listed; deletes are checked
// only when delete was asked; conflicts never.
func TestPreviewRows(t *testing.T) {
	for _, tc := range []struct {
		del  bool
		want string
	}{
		{false, "xupload changed,  conflict conflict, xmkdir sub, xupload sub/new,  delete gone"},
		{true, "xupload changed,  conflict conflict, xmkdir sub, xupload sub/new, xdelete gone"},
	} {
		if got := kinds(previewRows(samplePlan(), tc.del), mirror.Up); got != tc.want {
			t.Errorf("delete %v:\n got %s\nwant %s", tc.del, got, tc.want)
		}
	}
}

// TestReverseRow: reversing a row makes the target's file win (upload ↔
// download, a delete becomes a copy back, a conflict a copy back); only
// files the target has can be reversed.
func TestReverseRow(t *testing.T) {
	rows := previewRows(samplePlan(), false)
	reversible := map[string]bool{}
	for i := range rows {
		reversible[rows[i].a.Path] = rows[i].reversible()
		if rows[i].reversible() {
			rows[i].reversed, rows[i].on = true, true
		}
	}
	if want := map[string]bool{"changed": true, "conflict": true, "sub": false, "sub/new": false, "gone": true}; !equalMaps(reversible, want) {
		t.Fatalf("reversible %v, want %v", reversible, want)
	}
	if got, want := kinds(rows, mirror.Up), "xdownload changed, xdownload conflict, xmkdir sub, xupload sub/new, xdownload gone"; got != want {
		t.Fatalf("reversed up:\n got %s\nwant %s", got, want)
	}
	if got, want := kinds(rows, mirror.Down), "xupload changed, xupload conflict, xmkdir sub, xupload sub/new, xupload gone"; got != want {
		t.Fatalf("reversed down:\n got %s\nwant %s", got, want)
	}
	a := rows[0].action(mirror.Up)
	if a.Src.Size != 5 || a.Size != 5 || a.Dst.Size != 7 {
		t.Fatalf("a reversed copy takes the target's file: %+v", a)
	}
	// The State is not recorded for reversed files.
	rec := recordPlan(samplePlan(), rows)
	for _, a := range rec.Actions {
		if a.Path == "changed" || a.Path == "gone" || a.Path == "conflict" {
			t.Errorf("recordPlan keeps reversed %s", a.Path)
		}
	}
}

func equalMaps(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestRunPlan: Start carries out the checked rows only, and creates a
// folder whose row was unchecked when a checked copy needs it.
func TestRunPlan(t *testing.T) {
	rows := previewRows(samplePlan(), false)
	for i := range rows {
		switch rows[i].a.Path {
		case "sub", "changed":
			rows[i].on = false
		}
	}
	var got []string
	for _, a := range runPlan(rows, mirror.Up).Actions {
		got = append(got, a.Kind.String()+" "+a.Path)
	}
	if want := []string{"mkdir sub", "upload sub/new"}; !slices.Equal(got, want) {
		t.Fatalf("run plan %v, want %v", got, want)
	}
	for i := range rows {
		if rows[i].a.Path == "sub/new" {
			rows[i].on = false
		}
	}
	if p := runPlan(rows, mirror.Up); len(p.Actions) != 0 {
		t.Fatalf("nothing checked, yet %v", p.Actions)
	}
}

// TestDeleteShare counts a folder's files among the deleted ones and
// leaves excluded files out of the total.
func TestDeleteShare(t *testing.T) {
	target := mirror.NewTree()
	for _, f := range []mirror.File{folder("d"), file("d/1", 1), file("d/2", 1), file("keep", 1), file("x.tmp", 1), file("gone", 1)} {
		target.Add(f)
	}
	rows := []syncRow{
		{a: mirror.Action{Kind: mirror.Delete, Path: "d", Dir: true, Dst: folder("d")}, on: true},
		{a: mirror.Action{Kind: mirror.Delete, Path: "gone", Dst: file("gone", 1)}, on: false},
	}
	if del, all := deleteShare(rows, target, []string{"*.tmp"}, mirror.Up); del != 2 || all != 4 {
		t.Fatalf("deleted %d of %d, want 2 of 4", del, all)
	}
	rows[1].on = true
	if del, _ := deleteShare(rows, target, nil, mirror.Up); del != 3 {
		t.Fatalf("deleted %d, want 3", del)
	}
}

// syncDlg returns the Synchronize… dialog once its plan is shown.
func syncDlg(t *testing.T, w *Window) *syncDialog {
	t.Helper()
	var sd *syncDialog
	waitLong(t, "the plan", func() bool {
		sd = w.sv.dialog
		return sd != nil && sd.s != nil && sd.cancel == nil && !sd.running
	})
	return sd
}

// TestSynchronizeAgainstRealServer runs Transfer ▸ Synchronize… against
// real servers: the preview lists the uploads, the new folders and the
// delete (checked once Delete is ticked); Start queues them through the
// window's queue; the server's folder is then identical to the local one,
// and a second Synchronize… has nothing to do.
func TestSynchronizeAgainstRealServer(t *testing.T) {
	for _, k := range []ftptest.Kind{ftptest.KindGo, ftptest.KindVsftpd} {
		t.Run(string(k), func(t *testing.T) { synchronizeReal(t, k) })
	}
}

func synchronizeReal(t *testing.T, kind ftptest.Kind) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	s := ftptest.Start(t, kind, ftptest.Options{})
	s.WriteFile(t, "pub/site/stale.txt", []byte("only on the server"))
	s.WriteFile(t, "pub/site/changed.txt", []byte("old"))
	s.WriteFile(t, "pub/site/same.txt", []byte("same bytes"))

	local := filepath.Join(t.TempDir(), "site")
	big := make([]byte, 200_000)
	rand.Read(big)
	old := time.Now().Add(-400 * 24 * time.Hour).Truncate(time.Second)
	writeLocal(t, filepath.Join(local, "index.html"), "<html>hello</html>", old)
	writeLocal(t, filepath.Join(local, "changed.txt"), "new content", time.Now().Add(-time.Hour))
	writeLocal(t, filepath.Join(local, "with space.txt"), "spaced", old)
	writeLocal(t, filepath.Join(local, "sub", "deeper", "Ünïcode é.txt"), "non-ASCII", old)
	writeLocal(t, filepath.Join(local, "sub", "big.bin"), string(big), old)
	// same.txt: the server's time and size, so it is kept.
	srvSame := filepath.Join(s.Root, "pub", "site", "same.txt")
	fi, err := os.Stat(srvSame)
	if err != nil {
		t.Fatal(err)
	}
	writeLocal(t, filepath.Join(local, "same.txt"), "same bytes", fi.ModTime())

	w, _ := realWindow(t, local, 0)
	onUI(func() { w.Connect(serverConfig(s), "/pub/site") })
	waitLong(t, "both panes", func() bool {
		return rowOf(w.remote.table, "stale.txt") >= 0 && rowOf(w.local.table, "index.html") >= 0
	})

	onUI(func() { menuItem(t, w, "Transfer", "Synchronize…").Action() })
	sd := syncDlg(t, w)
	onUI(func() {
		if got, want := kinds(sd.rows, mirror.Up), "xupload changed.txt, xupload index.html,  delete stale.txt, xmkdir sub, xupload sub/big.bin, xmkdir sub/deeper, xupload sub/deeper/Ünïcode é.txt, xupload with space.txt"; got != want {
			t.Errorf("preview:\n got %s\nwant %s", got, want)
		}
		test.Tap(sd.del)
		if !strings.Contains(sd.counts.Text, "delete 1 of 1") || !strings.Contains(sd.counts.Text, "upload 5 of 5") {
			t.Errorf("counts %q", sd.counts.Text)
		}
		test.Tap(sd.start)
	})
	waitLong(t, "the sync to finish", func() bool { return sd.finished != "" })
	onUI(func() {
		if !strings.HasPrefix(sd.finished, "Done: 5 copied, 2 folders created, 1 deleted.") {
			t.Errorf("outcome %q", sd.finished)
		}
		if _, _, done := w.queue.Counts(); done != 5 {
			t.Errorf("%d items done in the window's queue, want 5", done)
		}
		if !w.currentSettings().PreserveTimes {
			t.Error("Preserve timestamps is still off after a sync")
		}
		if strings.Contains(w.msgs.Text(), s.Password) {
			t.Error("the message log shows the password")
		}
	})
	sameTrees(t, local, filepath.Join(s.Root, "pub", "site"))

	// A second Synchronize… finds nothing to do.
	onUI(func() { sd.close(); w.showSynchronize() })
	sd2 := syncDlg(t, w)
	onUI(func() {
		if sd2 == sd {
			t.Fatal("the second Synchronize… is the first dialog")
		}
		if len(sd2.rows) != 0 || !strings.HasPrefix(sd2.status.Text, "Nothing to do") {
			t.Errorf("second sync: %s; %q", kinds(sd2.rows, mirror.Up), sd2.status.Text)
		}
		if !sd2.start.Disabled() {
			t.Error("Start is enabled with nothing to do")
		}
	})
}

// sameTrees fails unless the two folders hold the same files with the
// same bytes.
func sameTrees(t *testing.T, a, b string) {
	t.Helper()
	read := func(root string) map[string][]byte {
		out := map[string][]byte{}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || p == root {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			if d.IsDir() {
				out[rel+"/"] = nil
				return nil
			}
			body, err := os.ReadFile(p)
			if err != nil {
				t.Errorf("%s: %v", p, err)
			}
			out[rel] = body
			return nil
		})
		return out
	}
	ta, tb := read(a), read(b)
	for p, body := range ta {
		if other, ok := tb[p]; !ok {
			t.Errorf("%s: missing on the server", p)
		} else if !bytes.Equal(body, other) {
			t.Errorf("%s: %d bytes locally, %d on the server", p, len(body), len(other))
		}
	}
	for p := range tb {
		if _, ok := ta[p]; !ok {
			t.Errorf("%s: on the server only", p)
		}
	}
}

// rowView finds the checklist row whose text starts with name.
func rowView(w *Window, name string) *syncRowView {
	v, _ := inDialog(w, func(o fyne.CanvasObject) bool {
		v, ok := o.(*syncRowView)
		return ok && strings.HasPrefix(v.what.Text, name+" —")
	}).(*syncRowView)
	return v
}

// TestSynchronizeDialogControls drives each control of the dialog on the
// real queue over the in-memory server: excludes, criteria and direction
// change the plan; Start above the delete cap asks (Cancel does nothing);
// a reversed row downloads; Compare again sees a new file; Stop ends a
// run and leaves nothing half done; Close closes.
func TestSynchronizeDialogControls(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := test.NewTempApp(t)
	local := t.TempDir()
	a.Preferences().SetString(prefLocalDir, local)
	fs := newFakeFS()
	for _, p := range []string{"/home/a.txt", "/home/b.txt", "/home/old/x.txt", "/home/old/y.txt"} {
		fs.addFile(p, "aaa")
	}
	writeLocal(t, filepath.Join(local, "a.txt"), "aaa", fakeModTime.Add(2*time.Hour))
	writeLocal(t, filepath.Join(local, "new.txt"), "new", fakeModTime)
	pool := engine.NewPool(fs, engine.PoolOptions{})
	defer pool.Close()
	b, q := bridgedQueue(t, pool, queue.Options{RetryDelay: 1})
	var w *Window
	onUI(func() {
		w = New(a, Options{Pool: pool, Transfers: b})
		w.win.Resize(fyne.NewSize(1280, 800))
	})
	t.Cleanup(func() { w.queue.Close() })
	onUI(func() { w.Connect(engine.Config{Host: "h", User: "u", Password: "p"}, "/home") })
	waitFor(t, "both panes", func() bool { return rowOf(w.remote.table, "old") >= 0 && w.local.cwd == local })

	onUI(func() { w.synchronizeTool().(*widget.ToolbarAction).OnActivated() })
	sd := syncDlg(t, w)
	plan := func(want string) {
		t.Helper()
		sd = syncDlg(t, w)
		onUI(func() {
			if got := kinds(sd.rows, sd.dir); got != want {
				t.Errorf("plan:\n got %s\nwant %s", got, want)
			}
		})
	}
	plan("xupload a.txt,  delete b.txt, xupload new.txt,  delete old")
	onUI(func() { test.Type(sd.excludes, "new* old"); sd.excludes.OnSubmitted(sd.excludes.Text) })
	plan("xupload a.txt,  delete b.txt")
	onUI(func() { sd.excludes.SetText(""); sd.excludes.OnSubmitted(""); sd.criteria.SetSelected("Size only") })
	plan(" delete b.txt, xupload new.txt,  delete old")
	onUI(func() { sd.direction.SetSelected(sd.direction.Options[1]) })
	plan("xdownload b.txt,  delete new.txt, xmkdir old, xdownload old/x.txt, xdownload old/y.txt")
	onUI(func() { sd.direction.SetSelected(sd.direction.Options[0]); sd.criteria.SetSelected("Time and size") })
	plan("xupload a.txt,  delete b.txt, xupload new.txt,  delete old")

	// 3 of the server's 4 files: above the cap, Start asks.
	onUI(func() {
		test.Tap(sd.del)
		test.Tap(sd.start)
	})
	waitFor(t, "the question", func() bool {
		return inDialog(w, func(o fyne.CanvasObject) bool {
			l, ok := o.(*widget.Label)
			return ok && strings.Contains(l.Text, "deletes 3 of the target's 4 files")
		}) != nil
	})
	onUI(func() { tapButton(t, w, "Cancel") })
	time.Sleep(100 * time.Millisecond)
	onUI(func() {
		if sd.running || sd.finished != "" {
			t.Fatal("Cancel started the sync")
		}
		// Reverse b.txt: the server's copy comes down instead; 2 of 4
		// files deleted is within the cap.
		v := rowView(w, "b.txt")
		if v == nil {
			t.Fatal("no row for b.txt on screen")
		}
		test.Tap(v.reverse)
		if got := kinds(sd.rows, sd.dir); got != "xupload a.txt, xdownload b.txt, xupload new.txt, xdelete old" {
			t.Errorf("after reversing b.txt: %s", got)
		}
		test.Tap(sd.start)
	})
	waitFor(t, "the sync", func() bool { return sd.finished != "" })
	onUI(func() {
		if sd.finished != "Done: 3 copied, 1 deleted." {
			t.Errorf("outcome %q", sd.finished)
		}
	})
	if got, err := os.ReadFile(filepath.Join(local, "b.txt")); err != nil || string(got) != "aaa" {
		t.Errorf("reversed b.txt: %q, %v", got, err)
	}
	fs.mu.Lock()
	up, old := string(fs.files["/home/new.txt"]), fs.dirs["/home/old"]
	fs.mu.Unlock()
	if up != "new" || old {
		t.Errorf("server: new.txt %q, old still there: %v", up, old)
	}

	// Compare again sees what changed since; Stop ends a slow run.
	fs.addFile("/home/late.txt", "late")
	fs.mu.Lock()
	fs.retrDelay = 3 * time.Second
	fs.mu.Unlock()
	onUI(func() { sd.direction.SetSelected(sd.direction.Options[1]); test.Tap(sd.compare) })
	// a.txt and b.txt: the fake server can neither keep nor tell exact
	// times, so the local copies look newer than the server's.
	plan(" conflict a.txt,  conflict b.txt, xdownload late.txt")
	onUI(func() { test.Tap(sd.start) })
	waitFor(t, "the download running", func() bool { return sd.running && strings.HasPrefix(sd.status.Text, "Transferring") })
	onUI(func() { test.Tap(sd.stop) })
	waitFor(t, "the run stopped", func() bool { return sd.finished != "" })
	onUI(func() {
		if !strings.HasPrefix(sd.finished, "Stopped") {
			t.Errorf("outcome %q", sd.finished)
		}
		if _, err := os.Stat(filepath.Join(local, "late.txt")); err == nil {
			t.Error("late.txt arrived although the run was stopped")
		}
		if n := len(q.Items()); n != 3 {
			t.Errorf("%d items in the queue after Stop, want the first run's 3", n)
		}
		tapButton(t, w, "Close")
		if w.win.Canvas().Overlays().Top() != nil {
			t.Error("Close left the dialog open")
		}
	})

	// The saved filters turned on (View ▸ Filename filters…) are the
	// dialog's excludes when it opens, as they are for folder transfers.
	onUI(func() {
		w.filters.mu.Lock()
		w.filters.list = append(w.filters.list, savedFilter{Name: "t", Patterns: []string{"*.bak"}, Applies: appliesFiles, Enabled: true})
		w.filters.mu.Unlock()
		w.synchronizeTool().(*widget.ToolbarAction).OnActivated()
	})
	sd = syncDlg(t, w)
	onUI(func() {
		if got := sd.excludes.Text; got != "file:*.bak" {
			t.Errorf("excludes %q, want the saved filter's file:*.bak", got)
		}
		tapButton(t, w, "Close")
	})
}

// hashSession is a fake session whose server offers HASH.
type hashSession struct{ *fakeSession }

func (h hashSession) Features() engine.Features {
	f := h.fakeSession.Features()
	f.Hash = []string{"SHA-256"}
	return f
}

// TestSynchronizeChecksumWhenTheServerCan: "Checksum" is offered only by
// a server that hashes files, and then finds a same-size, same-time file
// whose content differs.
func TestSynchronizeChecksumWhenTheServerCan(t *testing.T) {
	for _, hashes := range []bool{false, true} {
		t.Run(fmt.Sprintf("hashes=%v", hashes), func(t *testing.T) {
			t.Setenv("XDG_DATA_HOME", t.TempDir())
			a := test.NewTempApp(t)
			local := t.TempDir()
			a.Preferences().SetString(prefLocalDir, local)
			fs := newFakeFS()
			fs.sums = true
			fs.addFile("/home/same.txt", "abc")
			fs.addFile("/home/edited.txt", "xyz")
			writeLocal(t, filepath.Join(local, "same.txt"), "abc", fakeModTime)
			writeLocal(t, filepath.Join(local, "edited.txt"), "XYZ", fakeModTime)
			var d engine.Dialer = fs
			if hashes {
				d = engine.DialerFunc(func(ctx ctxT, cfg engine.Config) (engine.Session, error) {
					s, err := fs.Dial(ctx, cfg)
					if err != nil {
						return nil, err
					}
					return hashSession{s.(*fakeSession)}, nil
				})
			}
			var w *Window
			onUI(func() { w = New(a, Options{Dialer: d, Transfers: &fakeQueue{}}); w.win.Resize(fyne.NewSize(1280, 800)) })
			t.Cleanup(func() { w.queue.Close() })
			onUI(func() { w.Connect(engine.Config{Host: "h", User: "u", Password: "p"}, "/home") })
			waitFor(t, "both panes", func() bool { return rowOf(w.remote.table, "edited.txt") >= 0 && w.local.cwd == local })
			onUI(func() { w.showSynchronize() })
			sd := syncDlg(t, w)
			if !hashes {
				time.Sleep(200 * time.Millisecond) // the features are asked in the background
				onUI(func() {
					if slices.Contains(sd.criteria.Options, "Checksum") {
						t.Error("Checksum offered by a server without HASH")
					}
				})
				return
			}
			waitFor(t, "Checksum offered", func() bool { return slices.Contains(sd.criteria.Options, "Checksum") })
			onUI(func() {
				if len(sd.rows) != 0 {
					t.Errorf("by time and size: %s", kinds(sd.rows, sd.dir))
				}
				sd.criteria.SetSelected("Checksum")
			})
			sd = syncDlg(t, w)
			onUI(func() {
				if got := kinds(sd.rows, sd.dir); got != "xupload edited.txt" {
					t.Errorf("by checksum: %s", got)
				}
			})
		})
	}
}
