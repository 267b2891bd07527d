package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/skiff-ftp/skiff/engine/mirror"
	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// twoWayDlg opens Synchronize…, chooses Both ways and returns the dialog
// once the two-way plan is shown.
func twoWayDlg(t *testing.T, w *Window) *syncDialog {
	t.Helper()
	onUI(func() { menuItem(t, w, "Transfer", "Synchronize…").Action() })
	sd := syncDlg(t, w)
	onUI(func() {
		sd.direction.SetSelected(sd.direction.Options[2])
		if sd.del.Text != deleteTwoWay {
			t.Errorf("the Delete check says %q in a two-way sync", sd.del.Text)
		}
	})
	waitLong(t, "the two-way plan", func() bool {
		return sd.twoWay && sd.s != nil && sd.cancel == nil && !sd.running
	})
	return sd
}

// runSync taps Start and waits for the outcome.
func runSync(t *testing.T, sd *syncDialog, want string) {
	t.Helper()
	onUI(func() { test.Tap(sd.start) })
	waitLong(t, "the sync to finish", func() bool { return sd.finished != "" })
	onUI(func() {
		if !strings.HasPrefix(sd.finished, want) {
			t.Errorf("outcome %q, want %q", sd.finished, want)
		}
	})
}

// TestSynchronizeBothWaysAgainstRealServer: Synchronize… with Both ways
// against vsftpd. The first time, with no record, a file new on either
// side is copied to the other and a file that differs is a conflict, left
// alone until the user picks a side (Reverse: local wins, again: remote
// wins, again: left alone). The second time each side's changes since the
// first go to the other, and a file deleted locally is deleted on the
// server once Delete is ticked. The third time there is nothing to do.
func TestSynchronizeBothWaysAgainstRealServer(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	srv := filepath.Join(s.Root, "pub", "site")
	s.WriteFile(t, "pub/site/remote-new.txt", []byte("from the server"))
	s.WriteFile(t, "pub/site/both.txt", []byte("server version"))
	s.WriteFile(t, "pub/site/kept.txt", []byte("kept on both"))
	fi, err := os.Stat(filepath.Join(srv, "kept.txt"))
	if err != nil {
		t.Fatal(err)
	}
	local := filepath.Join(t.TempDir(), "site")
	writeLocal(t, filepath.Join(local, "local-new.txt"), "from here", time.Now().Add(-time.Hour))
	writeLocal(t, filepath.Join(local, "both.txt"), "local version, longer", time.Now().Add(-time.Hour))
	writeLocal(t, filepath.Join(local, "kept.txt"), "kept on both", fi.ModTime())

	w, _ := realWindow(t, local, 0)
	onUI(func() { w.Connect(serverConfig(s), "/pub/site") })
	waitLong(t, "both panes", func() bool {
		return rowOf(w.remote.table, "remote-new.txt") >= 0 && rowOf(w.local.table, "local-new.txt") >= 0
	})

	sd := twoWayDlg(t, w)
	onUI(func() {
		if got, want := kinds(sd.rows, sd.dir), " conflict both.txt, xupload local-new.txt, xdownload remote-new.txt"; got != want {
			t.Fatalf("first plan:\n got %s\nwant %s", got, want)
		}
		i := slicesIndex(sd.rows, "both.txt")
		for _, want := range []string{"xupload both.txt", "xdownload both.txt", " conflict both.txt", "xupload both.txt"} {
			sd.reverseRow(i)
			if got := kinds(sd.rows[i:i+1], sd.dir); got != want {
				t.Fatalf("after Reverse: %s, want %s", got, want)
			}
		}
	})
	runSync(t, sd, "Done: 3 copied.")
	sameTrees(t, local, srv)
	if b, _ := os.ReadFile(filepath.Join(srv, "both.txt")); string(b) != "local version, longer" {
		t.Fatalf("the server's both.txt is %q, want the local one", b)
	}

	// Changes on each side, and a local delete.
	writeLocal(t, filepath.Join(local, "local-new.txt"), "changed here later", time.Now())
	s.WriteFile(t, "pub/site/remote-new.txt", []byte("changed on the server later"))
	if err := os.Remove(filepath.Join(local, "kept.txt")); err != nil {
		t.Fatal(err)
	}
	onUI(func() { sd.close() })
	sd = twoWayDlg(t, w)
	onUI(func() {
		if got, want := kinds(sd.rows, sd.dir), " delete kept.txt, xupload local-new.txt, xdownload remote-new.txt"; got != want {
			t.Fatalf("second plan:\n got %s\nwant %s", got, want)
		}
		test.Tap(sd.del)
	})
	runSync(t, sd, "Done: 2 copied, 1 deleted.")
	sameTrees(t, local, srv)
	if _, err := os.Stat(filepath.Join(srv, "kept.txt")); !os.IsNotExist(err) {
		t.Fatalf("kept.txt is still on the server (%v)", err)
	}

	onUI(func() { sd.close() })
	sd = twoWayDlg(t, w)
	onUI(func() {
		if len(sd.rows) != 0 || !strings.HasPrefix(sd.status.Text, "Nothing to do") {
			t.Errorf("third plan: %s; %q", kinds(sd.rows, sd.dir), sd.status.Text)
		}
	})
}

func slicesIndex(rows []syncRow, p string) int {
	for i, r := range rows {
		if r.a.Path == p {
			return i
		}
	}
	return -1
}

// TestTwoWayRowReversal: what each kind of two-way row does reversed.
func TestTwoWayRowReversal(t *testing.T) {
	l, r := file("f", 3), file("f", 5)
	for _, tc := range []struct {
		name      string
		a         mirror.Action
		localWins bool
		want      string // kind, size
		rev       bool
	}{
		{"upload of a file both have", mirror.Action{Kind: mirror.Upload, Path: "f", Src: l, Dst: r}, false, "download 5", true},
		{"download of a file both have", mirror.Action{Kind: mirror.Download, Path: "f", Src: r, Dst: l}, false, "upload 3", true},
		{"upload of a new file", mirror.Action{Kind: mirror.Upload, Path: "f", Src: l}, false, "", false},
		{"local delete", mirror.Action{Kind: mirror.Delete, Local: true, Path: "f", Src: l}, false, "upload 3", true},
		{"remote delete", mirror.Action{Kind: mirror.Delete, Path: "f", Dst: r}, false, "download 5", true},
		{"conflict, local wins", mirror.Action{Kind: mirror.Keep, Conflict: true, Path: "f", Src: l, Dst: r}, true, "upload 3", true},
		{"conflict, remote wins", mirror.Action{Kind: mirror.Keep, Conflict: true, Path: "f", Src: l, Dst: r}, false, "download 5", true},
		{"kept folder", mirror.Action{Kind: mirror.Keep, Dir: true, Path: "f"}, false, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			row := syncRow{a: tc.a, twoWay: true, reversed: true, localWins: tc.localWins}
			if row.reversible() != tc.rev {
				t.Fatalf("reversible %v, want %v", row.reversible(), tc.rev)
			}
			if !tc.rev {
				return
			}
			a := row.action(mirror.Up)
			if got := fmt.Sprintf("%s %d", a.Kind, a.Size); got != tc.want {
				t.Fatalf("reversed: %s, want %s", got, tc.want)
			}
			if a.Src.Size != a.Size {
				t.Fatalf("copies %d bytes from a source of %d", a.Size, a.Src.Size)
			}
		})
	}
}
