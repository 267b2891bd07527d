package ftptest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServerFacts pins down what each server supports, as the package doc
// states it, so the engine can rely on it (and learns when a package update
// changes it). With -v it also logs real FEAT/LIST/MLSD output, including a
// symlink, a name with spaces, a device and a fifo.
func TestServerFacts(t *testing.T) {
	// reply code class (1–5) each command gets; 0 means "don't check".
	type facts struct {
		feat  []string // substrings FEAT must contain
		nfeat []string // ... and must not
		cmds  map[string]int
		mlsd  bool
	}
	want := map[Kind]facts{
		KindVsftpd: {
			feat:  []string{"AUTH TLS", "EPSV", "MDTM", "REST STREAM", "SIZE", "PBSZ", "PROT"},
			nfeat: []string{"MLST", "MLSD", "MFMT", "HASH", "UTF8"},
			cmds:  map[string]int{"SIZE a b.txt": 2, "MDTM a b.txt": 2, "MFMT 20210101000000 a b.txt": 5, "HASH a b.txt": 5, "OPTS UTF8 ON": 2, "MLST a b.txt": 5},
		},
		KindPureFTPd: {
			feat:  []string{"AUTH TLS", "EPSV", "MDTM", "REST STREAM", "SIZE", "MFMT", "MLST", "MLSD", "UTF8"},
			nfeat: []string{"HASH"},
			cmds:  map[string]int{"SIZE a b.txt": 2, "MDTM a b.txt": 2, "MFMT 20210101000000 a b.txt": 2, "HASH a b.txt": 5, "MLST a b.txt": 2},
			mlsd:  true,
		},
		KindGo: {
			feat:  []string{"AUTH TLS", "EPSV", "MLST", "UTF8"},
			nfeat: []string{"MFMT", "HASH"},
			cmds:  map[string]int{"SIZE a b.txt": 2, "MDTM a b.txt": 2, "MFMT 20210101000000 a b.txt": 5, "HASH a b.txt": 5, "OPTS UTF8 ON": 2, "MLST a b.txt": 2},
			mlsd:  true,
		},
	}
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) {
			t.Parallel()
			s := Start(t, k, Options{TLS: true})
			s.WriteFile(t, "a b.txt", []byte("hello\n"))
			s.WriteFile(t, "Ünïcödé résumé.txt", []byte("x"))
			s.WriteFile(t, "dir/x", []byte("x"))
			s.WriteFile(t, ".dotfile", []byte("x"))
			for _, l := range [][2]string{{"a b.txt", "link to a"}, {"dir", "dirlink"}} {
				if err := os.Symlink(l[0], filepath.Join(s.Root, l[1])); err != nil {
					t.Fatal(err)
				}
			}
			if err := syscall.Mknod(filepath.Join(s.Root, "null dev"), syscall.S_IFCHR|0o644, 1<<8|3); err != nil {
				t.Logf("mknod: %v", err)
			}
			if err := syscall.Mkfifo(filepath.Join(s.Root, "fifo"), 0o644); err != nil {
				t.Logf("mkfifo: %v", err)
			}
			old := time.Date(2020, 2, 3, 4, 5, 6, 0, time.UTC)
			if err := os.Chtimes(filepath.Join(s.Root, "a b.txt"), old, old); err != nil {
				t.Fatal(err)
			}

			w := want[k]
			r := dialRaw(t, s, false)
			r.authTLS(s)
			r.login(s.User, s.Password)
			_, feat := r.cmd(211, "FEAT")
			t.Logf("FEAT:\n%s", feat)
			for _, f := range w.feat {
				if !strings.Contains(feat, f) {
					t.Errorf("FEAT lacks %s", f)
				}
			}
			for _, f := range w.nfeat {
				if strings.Contains(feat, f) {
					t.Errorf("FEAT has %s", f)
				}
			}
			for c, class := range w.cmds {
				code, msg := r.cmd(0, "%s", c)
				t.Logf("%s -> %d %s", c, code, msg)
				if class != 0 && code/100 != class {
					t.Errorf("%s: %d %s; want %dxx", c, code, msg, class)
				}
			}
			if _, msg := r.cmd(213, "MDTM a b.txt"); msg != "20200203040506" && !strings.HasPrefix(msg, "2021") {
				t.Errorf("MDTM = %q, want UTC 20200203040506 (or MFMT's 2021…)", msg)
			}
			for _, c := range []string{"LIST", "LIST -a", "MLSD"} {
				body, code := r.data(c)
				t.Logf("%s (%d):\n%s", c, code, body)
				if c == "MLSD" {
					if ok := code == 226; ok != w.mlsd {
						t.Errorf("MLSD: %d; want supported=%v", code, w.mlsd)
					}
					continue
				}
				if code != 226 || !strings.Contains(body, "a b.txt") || !strings.Contains(body, "Ünïcödé résumé.txt") {
					t.Errorf("%s: %d %q", c, code, body)
				}
			}
			// AUTH SSL (the pre-RFC 4217 spelling), on a fresh connection.
			ssl := dialRaw(t, s, false)
			code, msg := ssl.cmd(0, "AUTH SSL")
			t.Logf("AUTH SSL -> %d %s", code, msg)
			if k == KindPureFTPd && code == 234 {
				t.Errorf("pure-ftpd accepted AUTH SSL")
			}

			// REST in the RFC 3659 order: EPSV, REST, RETR.
			body, code := r.dataRest(2, "RETR a b.txt")
			if code != 226 || body != "llo\n" {
				t.Errorf("EPSV, REST 2, RETR = %d %q; want the tail", code, body)
			}
		})
	}
}

// TestPassiveRangesAreDistinct: concurrent instances of real servers get
// disjoint passive ranges below 32768, and EPSV answers inside them.
func TestPassiveRangesAreDistinct(t *testing.T) {
	var all []*Server
	for _, k := range []Kind{KindVsftpd, KindVsftpd, KindPureFTPd, KindPureFTPd} {
		all = append(all, Start(t, k, Options{}))
	}
	for i, a := range all {
		if a.PassiveMin <= 1024 || a.PassiveMax >= 32768 || a.PassiveMin > a.PassiveMax {
			t.Errorf("%s: passive range %d–%d", a.Kind, a.PassiveMin, a.PassiveMax)
		}
		for _, b := range all[i+1:] {
			if a.PassiveMin <= b.PassiveMax && b.PassiveMin <= a.PassiveMax {
				t.Errorf("%s %d–%d overlaps %s %d–%d", a.Kind, a.PassiveMin, a.PassiveMax, b.Kind, b.PassiveMin, b.PassiveMax)
			}
		}
		r := dialRaw(t, a, false)
		r.login(a.User, a.Password)
		_, msg := r.cmd(229, "EPSV")
		var port int
		if _, err := fmt.Sscanf(msg[strings.Index(msg, "(|||"):], "(|||%d|)", &port); err != nil {
			t.Fatalf("EPSV %q: %v", msg, err)
		}
		if port < a.PassiveMin || port > a.PassiveMax {
			t.Errorf("%s: EPSV port %d outside %d–%d", a.Kind, port, a.PassiveMin, a.PassiveMax)
		}
	}
}

// TestPureFTPdListsBigDirectoriesWhole: pure-ftpd's default -L 10000:5
// would cut this listing at 10,000 entries.
func TestPureFTPdListsBigDirectoriesWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 12,000 files")
	}
	s := PureFTPd(t, Options{})
	const n = 12000
	dir := s.MkdirAll(t, "big")
	for i := range n {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("f%05d", i)))
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	r := dialRaw(t, s, false)
	r.login(s.User, s.Password)
	for _, c := range []string{"LIST big", "MLSD big", "NLST big"} {
		body, code := r.data(c)
		if got := strings.Count(body, "\n"); code != 226 || got < n {
			t.Errorf("%s: %d, %d lines; want ≥ %d", c, code, got, n)
		}
	}
}
