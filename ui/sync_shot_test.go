package ui

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// TestSyncScreenshots captures the directory comparison's colours and the
// Synchronize preview at 1280×800 and 1920×1080 (docs/compare-*.png,
// docs/synchronize-*.png with SKIFF_SHOTS=docs).
func TestSyncScreenshots(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := test.NewTempApp(t)
	local := filepath.Join(t.TempDir(), "www")
	a.Preferences().SetString(prefLocalDir, local)
	fs := newFakeFS()
	for name, body := range map[string]string{
		"index.html": "<html>home</html>", "about.html": "<html>about</html>", "contact.html": "<html>old</html>",
		"robots.txt": "User-agent: *", "favicon.ico": "ICO", "old-banner.png": "PNG PNG", "sitemap.xml": "<urlset/>",
		"css/site.css": "body{}", "js/app.js": "let x", "img/logo.png": "PNG",
	} {
		fs.addFile("/var/www/"+name, body)
	}
	same := fakeModTime
	for name, f := range map[string]struct {
		body string
		when time.Time
	}{
		"index.html": {"<html>home</html>", same}, "about.html": {"<html>about</html>", same.Add(3 * time.Hour)},
		"contact.html": {"<html>new contact</html>", same.Add(time.Hour)}, "robots.txt": {"User-agent: *", same},
		"favicon.ico": {"ICO", same.Add(-72 * time.Hour)}, "sitemap.xml": {"<urlset/>", same},
		"blog.html": {"<html>blog</html>", same}, "news.html": {"<html>news</html>", same},
		"css/site.css": {"body{color:red}", same}, "js/app.js": {"let x", same}, "img/logo.png": {"PNG", same},
		"img/photo 1.jpg": {"JPEG", same}, "fonts/Inter.woff2": {"WOFF", same},
	} {
		writeLocal(t, filepath.Join(local, filepath.FromSlash(name)), f.body, f.when)
	}
	pool := engine.NewPool(fs, engine.PoolOptions{})
	defer pool.Close()
	b, _ := bridgedQueue(t, pool, queue.Options{RetryDelay: 1})
	var w *Window
	onUI(func() { w = New(a, Options{Pool: pool, Transfers: b}) })
	t.Cleanup(func() { w.queue.Close() })
	onUI(func() { w.Connect(engine.Config{Host: "files.example", User: "alice", Password: "pw"}, "/var/www") })
	waitFor(t, "both panes", func() bool { return rowOf(w.remote.table, "index.html") >= 0 && rowOf(w.local.table, "news.html") >= 0 })
	onUI(func() {
		w.setCompare(true)
		for _, p := range []*pane{w.local, w.remote} {
			p.split.SetOffset(0.12) // more rows, fewer tree lines
		}
	})
	for _, size := range []fyne.Size{{Width: 1280, Height: 800}, {Width: 1920, Height: 1080}} {
		onUI(func() { w.win.Resize(size) })
		shot(t, w, fmt.Sprintf("compare-%.0fx%.0f", size.Width, size.Height))
	}
	// The light variant: the same colours, as readable.
	onUI(func() {
		a.Settings().SetTheme(themeFor("light"))
		w.win.Resize(fyne.NewSize(1280, 800))
		w.sv.showStatus()
		w.local.table.table.Refresh()
		w.remote.table.table.Refresh()
	})
	shot(t, w, "compare-light-1280x800")
	onUI(func() { a.Settings().SetTheme(themeFor("dark")) })
	onUI(func() { w.win.Resize(fyne.NewSize(1280, 800)); w.showSynchronize() })
	sd := syncDlg(t, w)
	onUI(func() { test.Tap(sd.del) })
	for _, size := range []fyne.Size{{Width: 1280, Height: 800}, {Width: 1920, Height: 1080}} {
		onUI(func() {
			w.win.Resize(size)
			sd.dlg.Resize(fyne.NewSize(size.Width*0.85, size.Height*0.85))
		})
		shot(t, w, fmt.Sprintf("synchronize-%.0fx%.0f", size.Width, size.Height))
	}
}
