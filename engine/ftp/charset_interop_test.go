// A file name on Windows is UTF-16: a server there cannot hold the legacy
// bytes this test puts on disk (Go turns them into U+FFFD), so the test is
// for systems whose names are bytes. The scripted-server tests of
// charset_test.go cover the translation on every system.

//go:build !windows

package ftp_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/ftp"
	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// TestInteropCharset: real servers whose files have Latin-1 and Shift-JIS
// names on disk (the bytes as a legacy system wrote them). With the site's
// charset set, Skiff lists them in UTF-8, and downloads, uploads, renames
// and deletes them byte-exactly on the server's disk.
func TestInteropCharset(t *testing.T) {
	for _, k := range []ftptest.Kind{ftptest.KindVsftpd, ftptest.KindGo} {
		for _, tc := range []struct {
			charset         string
			name, wire      string
			put, putWire    string
			renamed, renWir string
		}{
			{"ISO-8859-1", "café.txt", "caf\xe9.txt", "über.bin", "\xfcber.bin", "ñandú.txt", "\xf1and\xfa.txt"},
			{"Shift_JIS", "日本語.txt", "\x93\xfa\x96{\x8c\xea.txt", "表示.bin", "\x95\\\x8e\xa6.bin", "ｶﾅ.txt", "\xb6\xc5.txt"},
		} {
			t.Run(string(k)+"/"+tc.charset, func(t *testing.T) {
				s := ftptest.Start(t, k, ftptest.Options{})
				s.WriteFile(t, "legacy/"+tc.wire, []byte("old bytes"))
				cfg := serverConfig(s, engine.Plain, engine.ModePassive, t)
				cfg.Charset = tc.charset
				ctx := context.Background()
				c, err := ftp.Dial(ctx, cfg)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				es, err := c.List(ctx, "/legacy")
				if err != nil {
					t.Fatal(err)
				}
				if len(es) != 1 || es[0].Name != tc.name {
					t.Fatalf("listing %+v, want %q", es, tc.name)
				}
				var b bytes.Buffer
				if _, err := c.Retrieve(ctx, "/legacy/"+es[0].Name, 0, &b); err != nil || b.String() != "old bytes" {
					t.Fatalf("Retrieve: %q %v", b.String(), err)
				}
				if _, err := c.Store(ctx, "/legacy/"+tc.put, 0, strings.NewReader("new bytes")); err != nil {
					t.Fatal(err)
				}
				dir := filepath.Join(s.Root, "legacy")
				if got, err := os.ReadFile(filepath.Join(dir, tc.putWire)); err != nil || string(got) != "new bytes" {
					t.Fatalf("upload on disk: %q %v (dir has %q)", got, err, ls(t, dir))
				}
				if err := c.Rename(ctx, "/legacy/"+tc.name, "/legacy/"+tc.renamed); err != nil {
					t.Fatal(err)
				}
				if err := c.Delete(ctx, "/legacy/"+tc.put); err != nil {
					t.Fatal(err)
				}
				if got := ls(t, dir); len(got) != 1 || got[0] != tc.renWir {
					t.Fatalf("after rename and delete the disk has %q, want %q", got, tc.renWir)
				}
			})
		}
	}
}

func ls(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}
