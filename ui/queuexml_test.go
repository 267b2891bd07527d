package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// heldQueue is a real queue over fs that starts nothing.
func heldQueue(t *testing.T, fs *fakeFS) (*QueueBridge, *queue.Queue) {
	t.Helper()
	pool := engine.NewPool(fs, engine.PoolOptions{})
	t.Cleanup(func() { pool.Close() })
	b, q := bridgedQueue(t, pool, queue.Options{Hold: true})
	return b, q
}

// jobOf is what an item says about the job that made it.
type jobOf struct {
	Direction queue.Direction
	Site      engine.SiteKey
	Remote    string
	Local     string
	Dir       bool
	Size      int64
	Priority  queue.Priority
}

func jobsOf(items []queue.Item) []jobOf {
	var out []jobOf
	for _, it := range items {
		out = append(out, jobOf{it.Direction, it.Site, it.Remote, it.Local, it.Dir, it.Size, it.Priority})
	}
	return out
}

// TestQueueExportImportRoundTrip: the queue exported as FileZilla queue
// XML and imported into another queue gives the same transfers — files and
// folders, both directions, sites of each protocol, sizes and priorities —
// and the file holds no password.
func TestQueueExportImportRoundTrip(t *testing.T) {
	local := t.TempDir()
	b, q := heldQueue(t, newFakeFS())
	sites := []engine.Config{
		{Host: "h", User: "u", Password: "s3cret-1"},
		{Host: "files.example", Port: 2121, User: "erin", Password: "s3cret-2", Security: engine.TLSExplicit},
		{Host: "anon.example", Security: engine.TLSImplicit},
		{Host: "ssh.example", User: "k", Password: "s3cret-3", Protocol: engine.ProtocolSFTP},
		{Host: "plain.example", Port: 21, User: "p", Password: "s3cret-4", Security: engine.Plain},
	}
	jobs := []queue.Job{
		{Direction: queue.Download, Site: sites[0].Key(), Remote: "/home/a.bin", Local: local, Name: "a.bin", Size: 5, Priority: queue.High},
		{Direction: queue.Download, Site: sites[1].Key(), Remote: "/pub/dir with space", Local: local, Name: "dir with space", Dir: true, Size: -1},
		{Direction: queue.Upload, Site: sites[2].Key(), Remote: "/in/ü.txt", Local: filepath.Join(local, "ü.txt"), Size: 2, Priority: queue.Low},
		{Direction: queue.Upload, Site: sites[3].Key(), Remote: "/home/k/up", Local: filepath.Join(local, "up"), Dir: true, Size: -1},
		{Direction: queue.Download, Site: sites[4].Key(), Remote: "/x", Local: local, Name: "x", Size: 0},
	}
	for i, j := range jobs {
		j.SiteRef = sites[i].URL("")
		if _, err := q.Add(j); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range sites {
		b.Remember(c) // the passwords are in the bridge's memory
	}
	var buf bytes.Buffer
	n, err := b.ExportQueue(&buf)
	if err != nil || n != len(jobs) {
		t.Fatalf("exported %d, %v", n, err)
	}
	xml := buf.String()
	if strings.Contains(xml, "s3cret") || strings.Contains(xml, "<Pass") {
		t.Fatalf("the export holds a password:\n%s", xml)
	}
	for _, want := range []string{"<FileZilla3>", "<Queue>", "<RemotePath>1 0 4 home</RemotePath>", "<Protocol>4</Protocol>", "<Port>2121</Port>", "<Logontype>2</Logontype>"} {
		if !strings.Contains(xml, want) {
			t.Errorf("no %s in\n%s", want, xml)
		}
	}

	b2, q2 := heldQueue(t, newFakeFS())
	imp, err := b2.ImportQueue(strings.NewReader(xml))
	if err != nil || imp.Added != len(jobs) || len(imp.Skipped) != 0 {
		t.Fatalf("imported %d, skipped %q, %v", imp.Added, imp.Skipped, err)
	}
	want, got := jobsOf(q.Items()), jobsOf(q2.Items())
	// Sites with the default port spelled out come back without it: the
	// key of a connection typed without a port (portVariant matches both).
	for i := range want {
		if want[i].Site.Port == defaultPortOf(want[i].Site) {
			want[i].Site.Port = 0
		}
	}
	slices.SortFunc(got, func(a, b jobOf) int { return strings.Compare(a.Remote, b.Remote) })
	slices.SortFunc(want, func(a, b jobOf) int { return strings.Compare(a.Remote, b.Remote) })
	if !slices.Equal(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
}

// TestQueueImportsFileZillaQueue imports a queue file written by hand from
// FileZilla 3's export format (testdata/filezilla-queue.xml): its
// transfers are queued for their sites (its password is not read: the
// site's transfers run with the window's login);
// an empty-folder entry and a site of a protocol Skiff lacks are skipped
// with the reason. In the window, the transfers of the site it is
// connected to run, the others wait for their site.
func TestQueueImportsFileZillaQueue(t *testing.T) {
	fs := newFakeFS()
	fs.addFile("/home/a.bin", "aaaaa")
	fs.addFile("/home/sub d/b b.bin", "bbb")
	w, _ := settingsWindow(t, fs, t.TempDir())
	connectHome(t, w) // h, user u
	local := t.TempDir()
	os.WriteFile(filepath.Join(local, "up.txt"), []byte("up"), 0o644)
	raw, err := os.ReadFile("testdata/filezilla-queue.xml")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "queue.xml")
	os.WriteFile(file, bytes.ReplaceAll(raw, []byte("LOCAL"), []byte(local)), 0o644)
	if menuItem(t, w, "File", "Import queue…") == nil || menuItem(t, w, "File", "Export queue…") == nil {
		t.Fatal("no queue items in the File menu")
	}
	onUI(func() { w.importQueueFrom(file) })
	waitFor(t, "h's 3 transfers done", func() bool { _, _, d := w.queue.Counts(); return d == 3 })
	for name, want := range map[string]string{"a.bin": "aaaaa", "b b.bin": "bbb"} {
		if got, err := os.ReadFile(filepath.Join(local, name)); err != nil || string(got) != want {
			t.Errorf("%s: %q, %v", name, got, err)
		}
	}
	fs.mu.Lock()
	up := string(fs.files["/home/up.txt"])
	fs.mu.Unlock()
	if up != "up" {
		t.Errorf("uploaded %q", up)
	}
	waitFor(t, "c.bin waiting for its site", func() bool {
		q, _, _ := w.queue.Counts()
		return q == 1 && w.queue.rows[0][0].Waiting
	})
	onUI(func() {
		it := w.queue.rows[0][0]
		if !strings.Contains(it.Reason, "waiting for ftps://x@other.example") || it.Remote != "/pub/c.bin" {
			t.Errorf("other.example's item: %+v", it)
		}
	})
	waitFor(t, "the import's summary in the log", func() bool {
		return strings.Contains(w.msgs.Text(), "Imported 4 transfers")
	})
	onUI(func() {
		log := w.msgs.Text()
		if !strings.Contains(log, "2 skipped") || !strings.Contains(log, "empty folder") || !strings.Contains(log, "protocol 7") {
			t.Errorf("log %q", log)
		}
	})
	// Export queue…: the transfer still waiting, not the finished ones.
	out := filepath.Join(t.TempDir(), "out.xml")
	onUI(func() { w.exportQueueTo(out) })
	waitFor(t, "the export's summary in the log", func() bool {
		return strings.Contains(w.msgs.Text(), "Exported 1 transfers")
	})
	if x, err := os.ReadFile(out); err != nil || !strings.Contains(string(x), "<RemoteFile>c.bin</RemoteFile>") || strings.Contains(string(x), "a.bin") {
		t.Errorf("exported %s, %v", x, err)
	}
}

// Items queued for a site without its port (imported: the default port is
// no port) get the password of a connection with the port spelled out, and
// the other way round.
func TestQueueBridgeMatchesDefaultPort(t *testing.T) {
	b := NewQueueBridge()
	b.Remember(engine.Config{Host: "h", Port: 21, User: "u", Password: "p"})
	b.Remember(engine.Config{Host: "s", User: "u", Password: "q", Protocol: engine.ProtocolSFTP})
	for _, tc := range []struct {
		key  engine.SiteKey
		want string
	}{
		{engine.SiteKey{Host: "h", User: "u"}, "p"},
		{engine.SiteKey{Host: "h", Port: 21, User: "u"}, "p"},
		{engine.SiteKey{Host: "s", Port: 22, User: "u", Protocol: engine.ProtocolSFTP}, "q"},
		{engine.SiteKey{Host: "h", Port: 2121, User: "u"}, ""},
		{engine.SiteKey{Host: "s", Port: 21, User: "u", Protocol: engine.ProtocolSFTP}, ""},
	} {
		cfg, err := b.Config(t.Context(), tc.key, "ftp://u@h")
		if cfg.Password != tc.want || (tc.want == "") != (err != nil) {
			t.Errorf("%+v: password %q, %v; want %q", tc.key, cfg.Password, err, tc.want)
		}
	}
}
