package ui

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/ftp"
	"github.com/skiff-ftp/skiff/engine/queue"
	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// TestEndToEnd drives the window against real servers over explicit FTPS:
// quick-connect, trust the self-signed certificate, open a folder, queue a
// download and an upload, both reach Successful byte-identical; a missing
// file lands in Failed with the server's reason.
// downloadAndUpload downloads the remote pane's file remote and uploads
// the local pane's file local, as the toolbar does, and waits until both
// are Successful.
func downloadAndUpload(t *testing.T, w *Window, remote, local string) {
	t.Helper()
	onUI(func() {
		w.remote.table.SelectName(remote)
		w.download()
		w.local.table.SelectName(local)
		w.upload()
	})
	waitFor(t, "both transfers successful", func() bool { _, _, d := w.queue.Counts(); return d == 2 })
}

func TestEndToEnd(t *testing.T) {
	for _, k := range []ftptest.Kind{ftptest.KindGo, ftptest.KindVsftpd} {
		t.Run(string(k), func(t *testing.T) { endToEnd(t, k) })
	}
}

func endToEnd(t *testing.T, kind ftptest.Kind) {
	s := ftptest.Start(t, kind, ftptest.Options{TLS: true})
	down := make([]byte, 300_000)
	rand.Read(down)
	up := make([]byte, 123_457)
	rand.Read(up)
	s.WriteFile(t, "pub/data.bin", down)
	s.WriteFile(t, "pub/notes.txt", []byte("hello"))

	a := test.NewTempApp(t)
	localDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(localDir, "up.bin"), up, 0o644); err != nil {
		t.Fatal(err)
	}
	a.Preferences().SetString(prefLocalDir, localDir)
	pool := engine.NewPool(ftp.Dialer{}, engine.PoolOptions{})
	defer pool.Close()
	b, _ := bridgedQueue(t, pool, queue.Options{RetryDelay: 10 * time.Millisecond})
	var w *Window
	onUI(func() { w = New(a, Options{Dialer: ftp.Dialer{}, Pool: pool, Transfers: b}) })
	t.Cleanup(func() { w.queue.Close() })

	onUI(func() {
		test.Type(w.qc.host, s.Host)
		test.Type(w.qc.user, s.User)
		test.Type(w.qc.pass, s.Password)
		test.Type(w.qc.port, strconv.Itoa(s.Port))
		w.qc.security.SetSelectedIndex(int(engine.TLSExplicit))
		w.qc.Connect()
	})
	waitFor(t, "certificate prompt", func() bool { return w.win.Canvas().Overlays().Top() != nil })
	onUI(func() { tapButton(t, w, "Trust once") })
	waitFor(t, "root listing", func() bool { return rowOf(w.remote.table, "pub") >= 0 })
	onUI(func() {
		r := rowOf(w.remote.table, "pub")
		w.remote.table.tap(r, 0, false)
		w.remote.table.tap(r, 0, false)
	})
	waitFor(t, "pub listing", func() bool { return w.remote.cwd == "/pub" && rowOf(w.remote.table, "data.bin") >= 0 })
	waitFor(t, "local listing", func() bool { return rowOf(w.local.table, "up.bin") >= 0 })
	downloadAndUpload(t, w, "data.bin", "up.bin")
	if got, err := os.ReadFile(filepath.Join(localDir, "data.bin")); err != nil || !bytes.Equal(got, down) {
		t.Fatalf("download differs (%d bytes, %v)", len(got), err)
	}
	if got, err := os.ReadFile(filepath.Join(s.Root, "pub", "up.bin")); err != nil || !bytes.Equal(got, up) {
		t.Fatalf("upload differs (%d bytes, %v)", len(got), err)
	}

	// A transfer the server refuses: a missing file on the Go server (which
	// runs as root and reads anything); an unreadable one on vsftpd, whose
	// SIZE/CWD probing of a missing path keeps no reply.
	bad := "/pub/missing.bin"
	if kind != ftptest.KindGo {
		bad = "/pub/secret.bin"
		if err := os.Chmod(s.WriteFile(t, "pub/secret.bin", []byte("x")), 0); err != nil {
			t.Fatal(err)
		}
	}
	onUI(func() {
		b.Download(w.cfg, bad, localDir, filepath.Base(bad), false, -1)
	})
	waitFor(t, "one failed", func() bool { _, f, _ := w.queue.Counts(); return f == 1 })
	onUI(func() {
		it := w.queue.rows[1][0]
		if !strings.Contains(it.Reason, "550") {
			t.Errorf("failed item's reason %q lacks the server's 550", it.Reason)
		}
		t.Logf("failed: %s", it.Reason)
		if txt := w.msgs.Text(); strings.Contains(txt, s.Password) {
			t.Error("the message log shows the password")
		}
	})
}
