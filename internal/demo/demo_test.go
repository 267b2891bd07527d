package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"github.com/skiff-ftp/skiff/internal/testreq"
	"io"
	"io/fs"
	"net"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// digest maps every path under dir to its size, mode type and content hash.
func digest(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == "." {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			out[rel] = "dir " + info.ModTime().UTC().String()
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[rel] = fmt.Sprintf("%d %x %s", len(b), sha256.Sum256(b), info.ModTime().UTC())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenerateIsDeterministicAndVaried(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := Generate(a); err != nil {
		t.Fatal(err)
	}
	if err := Generate(b); err != nil {
		t.Fatal(err)
	}
	da, db := digest(t, a), digest(t, b)
	if len(da) != len(db) {
		t.Fatalf("two runs made %d and %d entries", len(da), len(db))
	}
	for k, v := range da {
		if db[k] != v {
			t.Errorf("%s differs between runs: %s vs %s", k, v, db[k])
		}
	}

	var files, total, largest int64
	for _, v := range da {
		if strings.HasPrefix(v, "dir") {
			continue
		}
		var n int64
		fmt.Sscan(v, &n)
		files++
		total += n
		largest = max(largest, n)
	}
	t.Logf("%d entries, %d files, %.1f MiB, largest %.1f MiB", len(da), files, float64(total)/(1<<20), float64(largest)/(1<<20))
	if files < 200 || files > 1000 {
		t.Errorf("%d files; want a few hundred", files)
	}
	if total > 30<<20 {
		t.Errorf("total %d bytes; want under 30 MiB", total)
	}
	if largest < 2<<20 {
		t.Errorf("largest file %d bytes; want a few MiB", largest)
	}

	for _, name := range []string{
		"Documents/Ünïcödé résumé.txt",
		"Documents/日本語.txt",
		"Documents/Reports 2024/Q1 summary.csv",
		"Projects/deep/a/b/c/d/e/f/bottom.txt",
		"Many small files/file 250.txt",
	} {
		if _, ok := da[filepath.FromSlash(name)]; !ok {
			t.Errorf("tree lacks %q", name)
		}
	}
	entries, err := os.ReadDir(filepath.Join(a, EmptyDir))
	if err != nil || len(entries) != 0 {
		t.Errorf("%s: %d entries, %v; want an empty folder", EmptyDir, len(entries), err)
	}
}

// TestStartServesTree starts the demo and reads it back with curl and with
// a raw FTP conversation.
func TestStartServesTree(t *testing.T) {
	if testing.Short() {
		t.Skip("generates ~17 MiB")
	}
	began := time.Now()
	d, err := Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Start (generate + serve) took %v", time.Since(began))
	t.Cleanup(func() { d.Close() })
	if d.Host != "127.0.0.1" || d.Port == 0 || d.User != User || len(d.Password) < 16 {
		t.Fatalf("Demo = %+v", d)
	}

	t.Run("curl", func(t *testing.T) {
		if _, err := exec.LookPath("curl"); err != nil {
			testreq.Missing(t, "curl not installed")
		}
		top := curl(t, d.URL())
		for _, name := range []string{"Documents", "Photos", "Music", EmptyDir, ManyDir, "README.txt", "zero bytes.dat"} {
			if !strings.Contains(top, name) {
				t.Errorf("LIST / lacks %q:\n%s", name, top)
			}
		}
		docs := curl(t, "--list-only", d.URL()+"Documents/")
		for _, name := range []string{"Ünïcödé résumé.txt", "日本語.txt", "Reports 2024"} {
			if !strings.Contains(docs, name) {
				t.Errorf("NLST /Documents lacks %q:\n%s", name, docs)
			}
		}
		many := curl(t, "--list-only", d.URL()+"Many%20small%20files/")
		if n := len(strings.Fields(strings.ReplaceAll(many, "file ", "file_"))); n != ManyFiles {
			t.Errorf("NLST of %s: %d names; want %d", ManyDir, n, ManyFiles)
		}
		got := curl(t, d.URL()+"Music/Some%20Band/Album%20(Deluxe)/02%20-%20Song%20Title.mp3")
		want, _ := os.ReadFile(filepath.Join(d.Root, "Music/Some Band/Album (Deluxe)/02 - Song Title.mp3"))
		if got != string(want) {
			t.Errorf("RETR of a 3 MiB file: got %d bytes, want %d identical", len(got), len(want))
		}
	})

	t.Run("raw socket", func(t *testing.T) {
		tp := dial(t, d.Addr())
		cmd(t, tp, 331, "USER %s", d.User)
		cmd(t, tp, 230, "PASS %s", d.Password)
		listing := list(t, tp, d.Host, "LIST /Documents")
		for _, name := range []string{"Ünïcödé résumé.txt", "日本語.txt", "notes with spaces.md"} {
			if !strings.Contains(listing, name) {
				t.Errorf("LIST /Documents lacks %q:\n%s", name, listing)
			}
		}
		if empty := list(t, tp, d.Host, "LIST /"+EmptyDir); strings.TrimSpace(empty) != "" {
			t.Errorf("LIST of the empty folder: %q", empty)
		}
		cmd(t, tp, 221, "QUIT")
	})

	t.Run("wrong password", func(t *testing.T) {
		tp := dial(t, d.Addr())
		cmd(t, tp, 331, "USER %s", d.User)
		cmd(t, tp, 530, "PASS not-the-password")
	})

	t.Run("close", func(t *testing.T) {
		root, addr := d.Root, d.Addr()
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(root); !os.IsNotExist(err) {
			t.Errorf("root %s still there after Close: %v", root, err)
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			t.Errorf("%s still accepts after Close", addr)
		}
	})
}

func curl(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("curl", append([]string{"-sS", "--max-time", "60"}, args...)...).Output()
	if err != nil {
		t.Fatalf("curl %v: %v", args, err)
	}
	return string(out)
}

func dial(t *testing.T, addr string) *textproto.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	tp := textproto.NewConn(c)
	t.Cleanup(func() { tp.Close() })
	if _, _, err := tp.ReadResponse(220); err != nil {
		t.Fatal(err)
	}
	return tp
}

func cmd(t *testing.T, tp *textproto.Conn, want int, format string, args ...any) string {
	t.Helper()
	if err := tp.PrintfLine(format, args...); err != nil {
		t.Fatal(err)
	}
	_, msg, err := tp.ReadResponse(want)
	if err != nil {
		t.Fatalf("%s: %v", strings.Fields(format)[0], err)
	}
	return msg
}

// list runs a listing command over PASV and returns the data.
func list(t *testing.T, tp *textproto.Conn, host, command string) string {
	t.Helper()
	msg := cmd(t, tp, 227, "PASV")
	// 227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)
	i, j := strings.Index(msg, "("), strings.Index(msg, ")")
	f := strings.Split(msg[i+1:j], ",")
	p1, _ := strconv.Atoi(f[4])
	p2, _ := strconv.Atoi(f[5])
	dc, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(p1*256+p2)), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	cmd(t, tp, 150, "%s", command)
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, dc); err != nil {
		t.Fatal(err)
	}
	dc.Close()
	if _, _, err := tp.ReadResponse(226); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
