package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine/queue"
	"github.com/skiff-ftp/skiff/engine/sftp/sftptest"
	"github.com/skiff-ftp/skiff/internal/ftptest"
	"github.com/skiff-ftp/skiff/internal/sshtest"
)

// syncSide is a remote folder for the sync tests: its URL, the flags that
// reach it, and the local folder the server keeps it in (to stat its files).
type syncSide struct {
	url   string
	args  []string
	down  []string                                 // flags only a download needs: the server's zone, which an upload finds out
	dir   string                                   // the remote folder on this machine's disk
	write func(rel string, b []byte, mt time.Time) // write a file on the server's side, owned by its user
}

// syncSides starts every server the sync must work against, each with an
// empty folder "site".
func syncSides(t *testing.T) map[string]func(t *testing.T) syncSide {
	ftp := func(k ftptest.Kind, tz string, down ...string) func(t *testing.T) syncSide {
		return func(t *testing.T) syncSide {
			s := ftptest.Start(t, k, ftptest.Options{TLS: true, TZ: tz})
			dir := s.MkdirAll(t, "site")
			return syncSide{
				url:  "ftpes" + strings.TrimPrefix(s.URL("/site"), "ftp"),
				args: []string{"--cacert", s.CAFile},
				down: down,
				dir:  dir,
				write: func(rel string, b []byte, mt time.Time) {
					p := s.WriteFile(t, "site/"+rel, b)
					os.Chtimes(p, mt, mt)
				},
			}
		}
	}
	return map[string]func(t *testing.T) syncSide{
		"vsftpd":    ftp(ftptest.KindVsftpd, ""),
		"pure-ftpd": ftp(ftptest.KindPureFTPd, ""),
		// LIST and MDTM in UTC+5:30, as vsftpd shows them with
		// use_localtime=YES (Debian's default).
		"vsftpd in UTC+5:30": ftp(ftptest.KindVsftpd, "IST-5:30", "--tz-offset", "5h30m"),
		// The real OpenSSH sshd: its own sftp-server sets times with
		// setstat, as users meet it.
		"sshd": func(t *testing.T) syncSide {
			s := sshtest.Start(t, sshtest.Options{})
			kh := sshdClient(t, s)
			dir := s.MkdirAll(t, "site")
			return syncSide{
				url:  sshdURL(s, "site", true),
				args: []string{"--known-hosts", kh},
				dir:  dir,
				write: func(rel string, b []byte, mt time.Time) {
					p := s.WriteFile(t, "site/"+rel, b)
					os.Chtimes(p, mt, mt)
				},
			}
		},
		"sftp": func(t *testing.T) syncSide {
			t.Setenv("SSH_AUTH_SOCK", "")
			root := t.TempDir()
			srv := sftptest.Start(t, root, nil)
			dir := filepath.Join(root, "site")
			os.Mkdir(dir, 0o755)
			return syncSide{
				url:  "sftp://u:pw@" + srv.Addr + dir,
				args: []string{"--known-hosts", filepath.Join(t.TempDir(), "known_hosts"), "--accept-new-host-key"},
				dir:  dir,
				write: func(rel string, b []byte, mt time.Time) {
					p := filepath.Join(dir, filepath.FromSlash(rel))
					os.MkdirAll(filepath.Dir(p), 0o755)
					os.WriteFile(p, b, 0o644)
					os.Chtimes(p, mt, mt)
				},
			}
		},
	}
}

// syncTree is the 120-file tree: nested folders, names with spaces and
// non-ASCII letters, sizes up to 6 KB, times spread over three years.
func syncTree(seed uint64) (map[string][]byte, map[string]time.Time) {
	r := rand.New(rand.NewPCG(seed, 18))
	dirs := []string{"", "docs", "docs/a b", "docs/a b/ünïcödé", "img", "img/Fotos März", "src/日本語", "src/x y z/deep/er"}
	data, times := map[string][]byte{}, map[string]time.Time{}
	now := time.Now()
	for i := range 120 {
		d := dirs[i%len(dirs)]
		name := fmt.Sprintf("file %03d.txt", i)
		switch i % 5 {
		case 1:
			name = fmt.Sprintf("fïlé-%03d ñ.bin", i)
		case 2:
			name = fmt.Sprintf("データ%03d", i)
		}
		rel := strings.TrimPrefix(d+"/"+name, "/")
		b := make([]byte, r.IntN(6000))
		for j := range b {
			b[j] = byte(r.UintN(256))
		}
		data[rel] = b
		// Three years back to an hour ago, with nanoseconds.
		times[rel] = now.Add(-time.Hour - time.Duration(r.Int64N(int64(3*365*24*time.Hour))))
	}
	return data, times
}

func writeLocal(t *testing.T, root string, data map[string][]byte, times map[string]time.Time) {
	t.Helper()
	for rel, b := range data {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, times[rel], times[rel]); err != nil {
			t.Fatal(err)
		}
	}
}

// fileStat is what "touched" means: a changed inode, ctime, size or mtime.
type fileStat struct {
	ino          uint64
	ctime, mtime time.Time
	size         int64
}

// snapshot stats every file below root.
func snapshot(t *testing.T, root string) map[string]fileStat {
	t.Helper()
	m := map[string]fileStat{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		ino, ctime := inodeAndCtime(fi)
		rel, _ := filepath.Rel(root, p)
		m[filepath.ToSlash(rel)] = fileStat{ino, ctime, fi.ModTime(), fi.Size()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// touched lists the paths added, removed or changed between two snapshots.
func touched(a, b map[string]fileStat) []string {
	var out []string
	for p, s := range b {
		if o, ok := a[p]; !ok || o != s {
			out = append(out, p)
		}
	}
	for p := range a {
		if _, ok := b[p]; !ok {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// sameTree checks that root holds exactly data, with times to the second.
func sameTreeWithTimes(t *testing.T, root string, data map[string][]byte, times map[string]time.Time) {
	t.Helper()
	got := snapshot(t, root)
	if len(got) != len(data) {
		t.Errorf("%d files under %s, want %d", len(got), root, len(data))
	}
	for rel, b := range data {
		p := filepath.Join(root, filepath.FromSlash(rel))
		c, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(c, b) {
			t.Fatalf("%s differs: %v", rel, err)
		}
		if mt, want := got[rel].mtime.Unix(), times[rel].Unix(); mt != want {
			t.Errorf("%s: mtime %s, want %s", rel, time.Unix(mt, 0).UTC(), time.Unix(want, 0).UTC())
		}
	}
}

// runSyncCLI runs skiff sync with --json and returns the actions by kind.
func runSyncCLI(t *testing.T, args ...string) (status int, byKind map[string][]string, stderr string) {
	t.Helper()
	env, out, errb := testEnv()
	status = runCLI(env, append([]string{"sync", "--json"}, args...)...)
	byKind = map[string][]string{}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if l == "" {
			continue
		}
		var a syncAction
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if a.Action == "" || a.Path == "" || a.Reason == "" {
			t.Fatalf("incomplete action %q", l)
		}
		byKind[a.Action] = append(byKind[a.Action], a.Path)
		if a.State == "conflict" || a.Error != "" {
			errb.WriteString(l + "\n") // for the failure message
		}
	}
	for _, v := range byKind {
		slices.Sort(v)
	}
	return status, byKind, errb.String()
}

func count(m map[string][]string) string {
	var parts []string
	for _, k := range []string{"upload", "download", "mkdir", "delete", "keep"} {
		if len(m[k]) > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", len(m[k]), k))
		}
	}
	return strings.Join(parts, ", ")
}

// TestSyncUpload: the 120-file tree up to each server kind — identical with
// times; a second sync touches nothing; 7 same-size edits, 3 new files and 2
// local deletions are exactly 10 uploads in a dry run that touches nothing,
// then in the sync; --delete then removes the 2.
func TestSyncUpload(t *testing.T) {
	for name, start := range syncSides(t) {
		t.Run(name, func(t *testing.T) {
			isolate(t)
			side := start(t)
			src := t.TempDir()
			data, times := syncTree(1)
			writeLocal(t, src, data, times)
			sync := func(extra ...string) (int, map[string][]string, string) {
				return runSyncCLI(t, append(append(extra, side.args...), src, side.url)...)
			}

			status, acts, errs := sync()
			if status != 0 || len(acts["upload"]) != 120 {
				t.Fatalf("first sync: status %d, %s\n%s", status, count(acts), errs)
			}
			sameTreeWithTimes(t, side.dir, data, times)

			before := snapshot(t, side.dir)
			status, acts, errs = sync()
			if status != 0 || len(acts["keep"]) != 130 || len(acts) != 1 {
				t.Fatalf("second sync: status %d, %s\n%s", status, count(acts), errs)
			}
			if d := touched(before, snapshot(t, side.dir)); len(d) > 0 {
				t.Fatalf("second sync touched %v", d)
			}

			var want []string
			rels := slices.Sorted(func(yield func(string) bool) {
				for k := range data {
					if !yield(k) {
						return
					}
				}
			})
			for _, rel := range rels[:7] { // same size, other bytes, 2 minutes newer
				b := data[rel]
				for i := range b {
					b[i] ^= 0x5a
				}
				times[rel] = times[rel].Add(2 * time.Minute)
				want = append(want, rel)
			}
			for i := range 3 {
				rel := fmt.Sprintf("docs/a b/new ñ %d.txt", i)
				data[rel], times[rel] = []byte(strings.Repeat("new ", i+1)), time.Now().Add(-time.Minute)
				want = append(want, rel)
			}
			writeLocal(t, src, data, times)
			var gone []string
			for _, rel := range rels[100:102] {
				os.Remove(filepath.Join(src, filepath.FromSlash(rel)))
				gone = append(gone, rel)
			}
			slices.Sort(want)

			status, acts, errs = sync("--dry-run")
			if status != 0 || !slices.Equal(acts["upload"], want) || len(acts) != 2 {
				t.Fatalf("dry run: status %d, %s, uploads %q\nwant %q\n%s", status, count(acts), acts["upload"], want, errs)
			}
			if d := touched(before, snapshot(t, side.dir)); len(d) > 0 {
				t.Fatalf("dry run touched %v", d)
			}

			status, acts, errs = sync()
			if status != 0 || !slices.Equal(acts["upload"], want) {
				t.Fatalf("sync: status %d, %s\n%s", status, count(acts), errs)
			}
			if d := touched(before, snapshot(t, side.dir)); !slices.Equal(d, want) {
				t.Fatalf("sync touched %q\nwant %q", d, want)
			}
			for _, rel := range gone {
				if _, err := os.Stat(filepath.Join(side.dir, filepath.FromSlash(rel))); err != nil {
					t.Fatalf("deleted without --delete: %v", err)
				}
			}

			status, acts, errs = sync("--delete")
			if status != 0 || !slices.Equal(acts["delete"], gone) || len(acts["upload"]) != 0 {
				t.Fatalf("--delete: status %d, %s\n%s", status, count(acts), errs)
			}
			for _, rel := range gone {
				delete(data, rel)
			}
			sameTreeWithTimes(t, side.dir, data, times)
		})
	}
}

// TestSyncDownload: the tree from each server kind into an empty folder —
// identical with times; a re-run touches nothing; a same-size change on the
// server comes down alone.
func TestSyncDownload(t *testing.T) {
	for name, start := range syncSides(t) {
		t.Run(name, func(t *testing.T) {
			isolate(t)
			side := start(t)
			data, times := syncTree(2)
			for rel, b := range data {
				side.write(rel, b, times[rel])
			}
			dst := filepath.Join(t.TempDir(), "copy")
			sync := func(extra ...string) (int, map[string][]string, string) {
				return runSyncCLI(t, append(append(append(extra, side.args...), side.down...), side.url, dst)...)
			}
			status, acts, errs := sync()
			if status != 0 || len(acts["download"]) != 120 {
				var missing []string
				for rel := range data {
					if !slices.Contains(acts["download"], rel) {
						missing = append(missing, rel)
					}
				}
				t.Fatalf("first sync: status %d, %s, missing %q\n%s", status, count(acts), missing, errs)
			}
			sameTreeWithTimes(t, dst, data, times)

			before := snapshot(t, dst)
			status, acts, errs = sync()
			if status != 0 || len(acts) != 1 || len(acts["keep"]) != 130 {
				t.Fatalf("re-run: status %d, %s\n%s", status, count(acts), errs)
			}
			if d := touched(before, snapshot(t, dst)); len(d) > 0 {
				t.Fatalf("re-run touched %v", d)
			}

			rel := "docs/a b/ünïcödé/file 003.txt"
			if _, ok := data[rel]; !ok {
				t.Fatalf("%s not in the tree", rel)
			}
			b := bytes.Clone(data[rel])
			for i := range b {
				b[i] ^= 0xff
			}
			data[rel], times[rel] = b, times[rel].Add(2*time.Minute)
			side.write(rel, b, times[rel])
			status, acts, errs = sync()
			if status != 0 || !slices.Equal(acts["download"], []string{rel}) {
				t.Fatalf("after a change: status %d, %s\n%s", status, count(acts), errs)
			}
			if d := touched(before, snapshot(t, dst)); !slices.Equal(d, []string{rel}) {
				t.Fatalf("touched %q", d)
			}
			sameTreeWithTimes(t, dst, data, times)
		})
	}
}

// TestSyncStateWhereTheServerCannotSetTimes: the in-process server has
// neither MFMT nor MDTM with a time, so every upload gets the server's
// clock. The sync state keeps the second sync from taking those newer
// times for newer files; without it (the state file removed) every file is
// a conflict; a same-size edit is still uploaded.
func TestSyncStateWhereTheServerCannotSetTimes(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindGo, ftptest.Options{})
	dir := s.MkdirAll(t, "site")
	src := t.TempDir()
	data, times := syncTree(3)
	writeLocal(t, src, data, times)
	sync := func() (int, map[string][]string, string) {
		return runSyncCLI(t, "--tls=off", src, s.URL("/site"))
	}
	if status, acts, errs := sync(); status != 0 || len(acts["upload"]) != 120 {
		t.Fatalf("first sync: status %d, %s\n%s", status, count(acts), errs)
	}
	rel := "docs/a b/file 010.txt"
	before := snapshot(t, dir)
	if mt := before[rel].mtime; mt.IsZero() || mt.Unix() == times[rel].Unix() {
		t.Fatalf("the server kept the time (%s): this test needs one that cannot", mt)
	}
	if status, acts, errs := sync(); status != 0 || len(acts) != 1 || len(acts["keep"]) != 130 {
		t.Fatalf("second sync: status %d, %s\n%s", status, count(acts), errs)
	}
	if d := touched(before, snapshot(t, dir)); len(d) > 0 {
		t.Fatalf("second sync touched %v", d)
	}

	b := data[rel]
	for i := range b {
		b[i] ^= 1
	}
	times[rel] = times[rel].Add(2 * time.Minute)
	writeLocal(t, src, map[string][]byte{rel: b}, times)
	if status, acts, errs := sync(); status != 0 || !slices.Equal(acts["upload"], []string{rel}) {
		t.Fatalf("after an edit: status %d, %s\n%s", status, count(acts), errs)
	}

	states, _ := filepath.Glob(filepath.Join(os.Getenv("XDG_DATA_HOME"), "*", "sync", "*.db"))
	if len(states) != 1 {
		t.Fatalf("state files %q", states)
	}
	os.Remove(states[0])
	status, acts, _ := sync()
	if status != 1 || len(acts["upload"]) != 0 {
		t.Fatalf("without the state: status %d, %s; want conflicts, no upload", status, count(acts))
	}
}

func TestSyncUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"sync"}, {"sync", dir}, {"sync", dir, dir}, {"sync", "ftp://h/a", "ftp://h/b"},
		{"sync", "--parallel", "11", dir, "ftp://h/x"}, {"sync", "--size-only", "--checksum", dir, "ftp://h/x"},
		{"sync", "--exclude", "[", dir, "ftp://h/x"}, {"sync", "--tz-offset", "soon", "ftp://h/x", dir},
		{"sync", "--max-delete", "0", dir, "ftp://h/x"}, {"sync", filepath.Join(dir, "missing"), "ftp://h/x"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			env, _, errb := testEnv()
			if status := runCLI(env, args...); status != 2 {
				t.Fatalf("status %d, want 2: %s", status, errb)
			}
		})
	}
}

// TestSyncDeleteRefusedAfterAFailedScan: a remote folder that cannot be
// listed makes --delete delete nothing (a file missing from a failed scan
// is not missing), and the exit status says the target does not match.
func TestSyncDeleteRefusedAfterAFailedScan(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindPureFTPd, ftptest.Options{})
	s.WriteFile(t, "site/keep.txt", []byte("k"))
	s.WriteFile(t, "site/extra.txt", []byte("e"))
	locked := s.WriteFile(t, "site/locked/inside.txt", []byte("i"))
	if err := os.Chmod(filepath.Dir(locked), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Dir(locked), 0o755) })
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "keep.txt"), []byte("k"), 0o644)
	env, out, errb := testEnv()
	status := runCLI(env, "sync", "--delete", "--force-delete", "--tls=off", src, s.URL("/site"))
	if status != 1 || !strings.Contains(errb.String(), "nothing is deleted") {
		t.Fatalf("status %d\n%s\n%s", status, out, errb)
	}
	for _, name := range []string{"site/extra.txt", "site/locked/inside.txt"} {
		if _, err := os.Stat(filepath.Join(s.Root, name)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

// TestSyncSummary: without --json a dry run lists what it would do and
// sums it up; the run then says what it did.
func TestSyncSummary(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindGo, ftptest.Options{})
	s.MkdirAll(t, "site")
	src := t.TempDir()
	os.MkdirAll(filepath.Join(src, "d"), 0o755)
	os.WriteFile(filepath.Join(src, "d", "a b.txt"), []byte("x"), 0o644)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--dry-run"}, "mkdir    d (new folder)\nupload   d/a b.txt (new)\n1 to upload, 1 folders to create; 0 unchanged\n"},
		{nil, "1 uploaded, 1 folders created; 0 unchanged\n"},
		{nil, "nothing to do; 2 unchanged\n"},
	} {
		env, out, errb := testEnv()
		if status := runCLI(env, append(append([]string{"sync", "--tls=off"}, tt.args...), src, s.URL("/site"))...); status != 0 || out.String() != tt.want {
			t.Fatalf("%v: status %d, stdout %q, want %q\n%s", tt.args, status, out, tt.want, errb)
		}
	}
}

// TestSyncDeleteCap: --delete of more than --max-delete of the target's
// files deletes nothing, says so and how to go on, and exits 1; a higher
// --max-delete or --force-delete then deletes them.
func TestSyncDeleteCap(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindPureFTPd, ftptest.Options{})
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "keep.txt"), []byte("k"), 0o644)
	s.WriteFile(t, "site/keep.txt", []byte("k"))
	var extra []string
	for i := range 3 {
		name := fmt.Sprintf("site/extra %d.txt", i)
		s.WriteFile(t, name, []byte("e"))
		extra = append(extra, filepath.Join(s.Root, name))
	}
	present := func() (n int) {
		for _, p := range extra {
			if _, err := os.Stat(p); err == nil {
				n++
			}
		}
		return n
	}
	for _, tt := range []struct {
		flags  []string
		status int
		stderr string
		left   int
	}{
		{nil, 1, "would delete 3 of the target's 4 files, more than 50%; use --force-delete", 3},
		{[]string{"--max-delete", "70"}, 1, "would delete 3 of the target's 4 files, more than 70%", 3},
		{[]string{"--max-delete", "75"}, 0, "", 0},
	} {
		env, out, errb := testEnv()
		status := runCLI(env, append(append([]string{"sync", "--delete", "--tls=off"}, tt.flags...), src, s.URL("/site"))...)
		if status != tt.status || !strings.Contains(errb.String(), tt.stderr) || present() != tt.left {
			t.Fatalf("%v: status %d (want %d), %d of 3 left (want %d)\n%s\n%s", tt.flags, status, tt.status, present(), tt.left, out, errb)
		}
	}
	for i := range 3 {
		s.WriteFile(t, fmt.Sprintf("site/extra %d.txt", i), []byte("e"))
	}
	env, out, errb := testEnv()
	if status := runCLI(env, "sync", "--delete", "--force-delete", "--tls=off", src, s.URL("/site")); status != 0 || present() != 0 {
		t.Fatalf("--force-delete: status %d, %d of 3 left\n%s\n%s", status, present(), out, errb)
	}
}

// TestSyncDownloadPutsTheFilesOnDisk: a sync that downloads a few files
// fsyncs each of them before exit 0 (the queue syncs nothing), and a
// failed fsync is exit 1.
func TestSyncDownloadPutsTheFilesOnDisk(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindPureFTPd, ftptest.Options{})
	for _, name := range []string{"site/a.txt", "site/d/b.txt", "site/d/c d.txt"} {
		s.WriteFile(t, name, []byte(name))
	}
	var synced []string
	fail := false
	old := syncFiles
	syncFiles = func(items map[string]queue.Item) error {
		for _, it := range items {
			if _, err := os.Stat(it.Local); err == nil && it.State == queue.Done {
				synced = append(synced, it.Local)
			}
		}
		if fail {
			return fmt.Errorf("EIO")
		}
		return old(items)
	}
	t.Cleanup(func() { syncFiles = old })
	dst := t.TempDir()
	env, out, errb := testEnv()
	if status := runCLI(env, "sync", "--tls=off", s.URL("/site"), dst); status != 0 || len(synced) != 3 {
		t.Fatalf("status %d, synced %q\n%s\n%s", status, synced, out, errb)
	}
	for _, p := range synced {
		if !strings.HasPrefix(p, dst+string(filepath.Separator)) {
			t.Fatalf("synced %s, outside %s", p, dst)
		}
	}
	fail = true
	s.WriteFile(t, "site/new.txt", []byte("new"))
	env, out, errb = testEnv()
	if status := runCLI(env, "sync", "--tls=off", s.URL("/site"), dst); status != 1 || !strings.Contains(errb.String(), "writing the files to disk: EIO") {
		t.Fatalf("a failed fsync: status %d\n%s\n%s", status, out, errb)
	}
}

// TestSyncTwoWay against pure-ftpd: the first two-way sync brings each
// side's files to the other; a second touches nothing; then a change on
// each side goes the other way, a change on both is a conflict left alone
// (exit 1), and a local deletion reaches the server only with --delete.
func TestSyncTwoWay(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindPureFTPd, ftptest.Options{})
	remote := s.MkdirAll(t, "site")
	local := t.TempDir()
	old := time.Now().Add(-48 * time.Hour).Truncate(time.Second)
	put := func(root, rel, body string, mt time.Time) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if root == remote {
			p = s.WriteFile(t, "site/"+rel, []byte(body))
		} else {
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte(body), 0o644)
		}
		os.Chtimes(p, mt, mt)
	}
	put(local, "a.txt", "local a", old)
	put(local, "d/b.txt", "local b", old)
	put(remote, "c.txt", "remote c", old)
	put(remote, "d/e ñ.txt", "remote e", old)
	sync := func(extra ...string) (int, map[string][]string, string) {
		return runSyncCLI(t, append(append([]string{"--two-way", "--tls=off"}, extra...), local, s.URL("/site"))...)
	}
	status, acts, errs := sync()
	if status != 0 || !slices.Equal(acts["upload"], []string{"a.txt", "d/b.txt"}) || !slices.Equal(acts["download"], []string{"c.txt", "d/e ñ.txt"}) {
		t.Fatalf("first sync: status %d, %v\n%s", status, acts, errs)
	}
	for _, rel := range []string{"a.txt", "d/b.txt", "c.txt", "d/e ñ.txt"} {
		l, lerr := os.ReadFile(filepath.Join(local, filepath.FromSlash(rel)))
		r, rerr := os.ReadFile(filepath.Join(remote, filepath.FromSlash(rel)))
		if lerr != nil || rerr != nil || !bytes.Equal(l, r) {
			t.Fatalf("%s: local %q (%v), remote %q (%v)", rel, l, lerr, r, rerr)
		}
	}

	lbefore, rbefore := snapshot(t, local), snapshot(t, remote)
	status, acts, errs = sync()
	if status != 0 || len(acts) != 1 || len(acts["keep"]) != 5 {
		t.Fatalf("second sync: status %d, %v\n%s", status, acts, errs)
	}
	if d := append(touched(lbefore, snapshot(t, local)), touched(rbefore, snapshot(t, remote))...); len(d) > 0 {
		t.Fatalf("second sync touched %q", d)
	}

	now := time.Now().Add(-time.Minute).Truncate(time.Second)
	put(local, "a.txt", "LOCAL A", now)
	put(remote, "c.txt", "REMOTE C", now)
	put(local, "d/b.txt", "local b, edited", now)
	put(remote, "d/b.txt", "remote b, edited", now)
	lbefore, rbefore = snapshot(t, local), snapshot(t, remote)
	status, acts, errs = sync()
	if status != 1 || !slices.Equal(acts["upload"], []string{"a.txt"}) || !slices.Equal(acts["download"], []string{"c.txt"}) ||
		!slices.Equal(acts["conflict"], []string{"d/b.txt"}) {
		t.Fatalf("after changes: status %d (want 1 for the conflict), %v\n%s", status, acts, errs)
	}
	if d := touched(lbefore, snapshot(t, local)); !slices.Equal(d, []string{"c.txt"}) {
		t.Fatalf("locally touched %q, want c.txt", d)
	}
	if d := touched(rbefore, snapshot(t, remote)); !slices.Equal(d, []string{"a.txt"}) {
		t.Fatalf("remotely touched %q, want a.txt", d)
	}
	if b, _ := os.ReadFile(filepath.Join(local, "d", "b.txt")); string(b) != "local b, edited" {
		t.Fatalf("the conflict was touched locally: %q", b)
	}

	// The conflict stays one until it is resolved by hand (here the
	// remote copy wins); then a local deletion: kept on the server
	// without --delete, deleted with it.
	if status, acts, errs = sync(); status != 1 || !slices.Equal(acts["conflict"], []string{"d/b.txt"}) {
		t.Fatalf("the conflict again: status %d, %v\n%s", status, acts, errs)
	}
	put(local, "d/b.txt", "remote b, edited", now)
	if status, acts, errs = sync(); status != 0 || len(acts) != 1 {
		t.Fatalf("resolved: status %d, %v\n%s", status, acts, errs)
	}
	os.Remove(filepath.Join(remote, "d", "b.txt"))
	os.Remove(filepath.Join(local, "d", "b.txt"))
	os.Remove(filepath.Join(local, "d", "e ñ.txt"))
	if status, acts, errs = sync(); status != 0 || len(acts["delete"]) != 0 {
		t.Fatalf("without --delete: status %d, %v\n%s", status, acts, errs)
	}
	if _, err := os.Stat(filepath.Join(remote, "d", "e ñ.txt")); err != nil {
		t.Fatalf("deleted without --delete: %v", err)
	}
	if status, acts, errs = sync("--delete"); status != 0 || !slices.Equal(acts["delete"], []string{"d/e ñ.txt"}) {
		t.Fatalf("--delete: status %d, %v\n%s", status, acts, errs)
	}
	if _, err := os.Stat(filepath.Join(remote, "d", "e ñ.txt")); err == nil {
		t.Fatalf("d/e ñ.txt still on the server after --delete")
	}
}

// TestSyncResyncLogsInOnce: a re-sync that finds 2 changes in 5 folders
// from vsftpd, whose login (PAM) costs more than all its listings and
// transfers, logs in one session although --parallel allows 4.
func TestSyncResyncLogsInOnce(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	old := time.Now().Add(-2 * time.Hour)
	for d := range 5 {
		for f := range 4 {
			p := s.WriteFile(t, fmt.Sprintf("site/d%d/f%d", d, f), []byte(fmt.Sprintf("%d %d", d, f)))
			os.Chtimes(p, old, old)
		}
	}
	dst := t.TempDir()
	sync := func() (status int, logins int, stderr string) {
		env, out, errb := testEnv()
		status = runCLI(env, "sync", "--debug", "--parallel", "4", "--tls=off", s.URL("/site"), dst)
		return status, strings.Count(errb.String(), "* Connecting to"), out.String() + errb.String()
	}
	if status, _, out := sync(); status != 0 {
		t.Fatalf("first sync: status %d\n%s", status, out)
	}
	for _, rel := range []string{"d1/f2", "d3/f0"} {
		p := s.WriteFile(t, "site/"+rel, []byte("changed"))
		os.Chtimes(p, old.Add(time.Hour), old.Add(time.Hour))
	}
	status, logins, out := sync()
	if status != 0 || !strings.Contains(out, "2 downloaded") || logins != 1 {
		t.Fatalf("re-sync: status %d, %d logins, want 1\n%s", status, logins, out)
	}
}
