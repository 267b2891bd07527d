package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/ftp"
	"github.com/skiff-ftp/skiff/engine/queue"
	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// ftpWindow is a window on the real FTP engine and queue, with a site
// store (mock keychain) whose settings.json lives in a temporary folder,
// and a local folder.
func ftpWindow(t *testing.T) (w *Window, local string) {
	t.Helper()
	a := test.NewTempApp(t)
	local = t.TempDir()
	a.Preferences().SetString(prefLocalDir, local)
	st := testStore(t)
	pool := engine.NewPool(ftp.Dialer{}, engine.PoolOptions{})
	t.Cleanup(func() { pool.Close() })
	b, _ := bridgedQueue(t, pool, queue.Options{RetryDelay: 10 * time.Millisecond, Retries: queue.NoRetries})
	onUI(func() { w = New(a, Options{Dialer: ftp.Dialer{}, Pool: pool, Transfers: b, Sites: st}) })
	t.Cleanup(func() { w.queue.Close(); w.setStore.saving.Wait(); time.Sleep(100 * time.Millisecond) })
	waitFor(t, "settings loaded", func() bool {
		select {
		case <-w.setReady:
			return true
		default:
			return false
		}
	})
	return w, local
}

// TestSiteCharsetTab: the site form's Charset tab decides what the engine
// sends. With "Use custom charset" ISO-8859-1 a server's Latin-1 names show
// in UTF-8, and a download and an upload of such names reach the right
// bytes on the server's disk; with Autodetect the same name is its raw
// bytes, as before.
func TestSiteCharsetTab(t *testing.T) {
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	s.WriteFile(t, "legacy/caf\xe9.txt", []byte("latin-1 name"))
	for _, tc := range []struct {
		choice, custom string
		shown          string
	}{
		{charsetChoices[2], "ISO-8859-1", "café.txt"},
		{charsetChoices[0], "", "caf\xe9.txt"},
	} {
		t.Run(tc.choice, func(t *testing.T) {
			w, local := ftpWindow(t)
			sm := newSiteShown(t, w)
			onUI(func() {
				f := sm.form
				f.host.SetText(s.Host)
				f.port.SetText(strconv.Itoa(s.Port))
				f.user.SetText(s.User)
				f.pass.SetText(s.Password)
				f.remoteDir.SetText("/legacy")
				f.encryption.SetSelectedIndex(3) // plain
				f.charset.SetSelected(tc.choice)
				f.customCharset.SetText(tc.custom)
				if tc.custom != "" {
					f.tabs.SelectIndex(indexOfTab(f, "Charset"))
				}
			})
			if tc.custom != "" {
				shotAtSizes(t, w, "site-charset")
			}
			onUI(sm.connect)
			var names []string
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && !slices.Contains(names, tc.shown); time.Sleep(50 * time.Millisecond) {
				onUI(func() {
					names = names[:0]
					if w.remote.cwd == "/legacy" {
						for _, e := range w.remote.table.entries {
							names = append(names, e.Name)
						}
					}
				})
			}
			if !slices.Contains(names, tc.shown) {
				t.Fatalf("remote pane shows %q, want %q", names, tc.shown)
			}
			if tc.custom == "" {
				return
			}
			if err := os.WriteFile(filepath.Join(local, "naïve.txt"), []byte("up"), 0o644); err != nil {
				t.Fatal(err)
			}
			onUI(func() { w.local.Refresh() })
			waitFor(t, "local listing", func() bool { return rowOf(w.local.table, "naïve.txt") >= 0 })
			downloadAndUpload(t, w, "café.txt", "naïve.txt")
			if got, err := os.ReadFile(filepath.Join(local, "café.txt")); err != nil || string(got) != "latin-1 name" {
				t.Errorf("download: %q %v", got, err)
			}
			if got, err := os.ReadFile(filepath.Join(s.Root, "legacy", "na\xefve.txt")); err != nil || string(got) != "up" {
				t.Errorf("upload: the server has no Latin-1 na\\xefve.txt (%v)", err)
			}
		})
	}
}

func indexOfTab(f *siteForm, text string) int {
	for i, it := range f.tabs.Items {
		if it.Text == text {
			return i
		}
	}
	return 0
}

// TestSiteCharsetUnknownRefused: a custom charset Skiff does not know is
// refused when the site is saved, not at connect time.
func TestSiteCharsetUnknownRefused(t *testing.T) {
	var err error
	onUI(func() {
		f := newSiteForm()
		f.set(&bookmarks.Site{Host: "h", Protocol: bookmarks.FTP})
		f.charset.SetSelected(charsetChoices[2])
		f.customCharset.SetText("klingon")
		var s bookmarks.Site
		err = f.apply(&s)
	})
	if err == nil || !strings.Contains(err.Error(), "klingon") {
		t.Fatalf("apply: %v", err)
	}
}
