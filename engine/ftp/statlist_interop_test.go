package ftp_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/ftp"
	"github.com/skiff-ftp/skiff/engine/listing"
	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// listed returns "name/type/size" of each entry, sorted.
func listed(es []listing.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, fmt.Sprintf("%s/%s/%d", e.Name, e.Type, e.Size))
	}
	slices.Sort(out)
	return out
}

// named matches an entry by its name.
func named(name string) func(listing.Entry) bool {
	return func(e listing.Entry) bool { return e.Name == name }
}

// dialRecording dials s with mem and records the commands it sends.
func dialRecording(t *testing.T, s *ftptest.Server, mem *engine.SiteMemory) (*ftp.Conn, *[]string) {
	t.Helper()
	var cmds []string
	cfg := serverConfig(s, engine.Plain, engine.ModePassive, t)
	cfg.Memory = mem
	cfg.Trace = func(e engine.TraceEvent) {
		if e.Kind == engine.TraceCommand {
			cmds = append(cmds, e.Text)
		}
	}
	c, err := ftp.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, &cmds
}

// TestInteropSTATListsAsLISTDoes: on every real server, folders listed
// on a connection that may list by STAT are what a connection that lists
// by LIST only sees; on vsftpd (no MLSD) the second folder goes by STAT.
func TestInteropSTATListsAsLISTDoes(t *testing.T) {
	for _, k := range append(slices.Clone(ftptest.Kinds), ftptest.MoreKinds...) {
		t.Run(string(k), func(t *testing.T) {
			s := ftptest.Start(t, k, ftptest.Options{})
			s.WriteFile(t, "one/a.txt", []byte("a"))
			s.WriteFile(t, "one/.hidden", []byte("hh"))
			s.MkdirAll(t, "one/sub")
			s.WriteFile(t, "two/b.bin", []byte("bbb"))
			s.WriteFile(t, "two/.htaccess", []byte("deny"))
			s.WriteFile(t, "two/c d.txt", []byte("cccc"))
			ctx := context.Background()
			lister, cmds := dialRecording(t, s, &engine.SiteMemory{})
			off := &engine.SiteMemory{}
			off.Learn(engine.NoStatList)
			plain, _ := dialRecording(t, s, off)
			for _, dir := range []string{"/one", "/two"} {
				got, err := lister.List(ctx, dir)
				if err != nil {
					t.Fatalf("List %s: %v", dir, err)
				}
				want, err := plain.List(ctx, dir)
				if err != nil {
					t.Fatalf("LIST %s: %v", dir, err)
				}
				if g, w := listed(got), listed(want); !slices.Equal(g, w) {
					t.Fatalf("%s: listed\n%q\nby LIST only\n%q", dir, g, w)
				}
			}
			if k == ftptest.KindVsftpd && (slices.Contains(*cmds, "LIST -a /two") || !slices.Contains(*cmds, "STAT -a /two")) {
				t.Fatalf("vsftpd: /two not listed by STAT alone: %q", *cmds)
			}
		})
	}
}

// TestInteropSTATNamesWithLineBreaks: vsftpd sends names as they are, so
// a name may hold "\n213 End of status" or "\r\n213 End of status", the
// STAT reply's last line. A bare LF stays in the name; a CR LF ends the
// reply early, which the NOOP sent along shows: that folder is listed by
// LIST instead, the site learns NoStatList, and the connection stays in
// step.
func TestInteropSTATNamesWithLineBreaks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows names cannot hold line breaks")
	}
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	s.WriteFile(t, "plain/a.txt", []byte("a"))
	s.WriteFile(t, "lf/z.txt", []byte("z"))
	s.WriteFile(t, "crlf/z.txt", []byte("z"))
	lfName := "a\n213 End of status"
	crlfName := "b\r\n213 End of status"
	for _, p := range []string{filepath.Join(s.Root, "lf", lfName), filepath.Join(s.Root, "crlf", crlfName)} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	mem := &engine.SiteMemory{}
	c, cmds := dialRecording(t, s, mem)
	if _, err := c.List(ctx, "/plain"); err != nil {
		t.Fatal(err)
	}
	es, err := c.List(ctx, "/lf")
	if err != nil || !slices.ContainsFunc(es, named(lfName)) || !slices.Contains(*cmds, "STAT -a /lf") {
		t.Fatalf("/lf: %q (%v), sent %q", listed(es), err, *cmds)
	}
	es, err = c.List(ctx, "/crlf")
	if err != nil || !slices.ContainsFunc(es, named("z.txt")) {
		t.Fatalf("/crlf: %q (%v)", listed(es), err)
	}
	if !mem.Has(engine.NoStatList) || !slices.Contains(*cmds, "LIST -a /crlf") {
		t.Fatalf("NoStatList %v, sent %q", mem.Has(engine.NoStatList), *cmds)
	}
	es, err = c.List(ctx, "/plain")
	if err != nil || len(es) != 1 || es[0].Name != "a.txt" {
		t.Fatalf("/plain after: %q (%v)", listed(es), err)
	}
}
