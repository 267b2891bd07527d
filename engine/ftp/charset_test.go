package ftp

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
)

// TestCharsetNames runs every name-carrying operation against a scripted
// server whose names are bytes in a legacy charset: Skiff sees UTF-8, the
// server sees its own bytes, exactly.
func TestCharsetNames(t *testing.T) {
	for _, tc := range []struct {
		charset        string
		file, fileWire string // a name on the server, as Skiff shows it and as the server has it
		put, putWire   string // a name Skiff uploads
		dir, dirWire   string
		cannot         string // a name the charset cannot write
	}{
		{"ISO-8859-1", "café.txt", "caf\xe9.txt", "naïve ÿ.txt", "na\xefve \xff.txt", "dossier é", "dossier \xe9", "€uro"},
		{"windows-1252", "€uro.txt", "\x80uro.txt", "“quoted”.txt", "\x93quoted\x94.txt", "Ärger", "\xc4rger", "日本"},
		{"Shift_JIS", "日本語.txt", "\x93\xfa\x96{\x8c\xea.txt", "ｶﾀｶﾅ.txt", "\xb6\xc0\xb6\xc5.txt", "表示", "\x95\\\x8e\xa6", "한국"},
		{"KOI8-R", "привет.txt", "\xd0\xd2\xc9\xd7\xc5\xd4.txt", "мир.txt", "\xcd\xc9\xd2.txt", "папка", "\xd0\xc1\xd0\xcb\xc1", "café"},
		{"GBK", "中文.txt", "\xd6\xd0\xce\xc4.txt", "文件.txt", "\xce\xc4\xbc\xfe.txt", "目录", "\xc4\xbf\xc2\xbc", "ｶ"},
	} {
		t.Run(tc.charset, func(t *testing.T) {
			s := newFakeServer(t, "MDTM", "SIZE")
			s.put("/"+tc.fileWire, []byte("payload"))
			c := dialFake(t, s, func(cfg *engine.Config) { cfg.Charset = tc.charset })
			ctx := context.Background()

			es, err := c.List(ctx, "/")
			if err != nil {
				t.Fatal(err)
			}
			if len(es) != 1 || es[0].Name != tc.file {
				t.Fatalf("listing %+v, want one entry %q", es, tc.file)
			}
			if got := retrieveString(t, c, "/"+tc.file, 0); got != "payload" {
				t.Fatalf("Retrieve %q: %q", tc.file, got)
			}
			if _, err := c.Store(ctx, "/"+tc.put, 0, strings.NewReader("up")); err != nil {
				t.Fatal(err)
			}
			if b, ok := s.get("/" + tc.putWire); !ok || string(b) != "up" {
				t.Fatalf("upload of %q: server has %q", tc.put, s.commands())
			}
			if err := c.Mkdir(ctx, "/"+tc.dir, false); err != nil {
				t.Fatal(err)
			}
			if !s.hasDir("/" + tc.dirWire) {
				t.Fatalf("Mkdir %q: commands %q", tc.dir, s.commands())
			}
			if _, err := c.Stat(ctx, "/"+tc.dir+"/"); err != nil {
				t.Fatal(err)
			}
			if err := c.Rename(ctx, "/"+tc.put, "/"+tc.dir+"/"+tc.put); err != nil {
				t.Fatal(err)
			}
			if _, ok := s.get("/" + tc.dirWire + "/" + tc.putWire); !ok {
				t.Fatalf("rename into %q: commands %q", tc.dir, s.commands())
			}
			if e, err := c.Stat(ctx, "/"+tc.dir+"/"+tc.put); err != nil || e.Size != 2 {
				t.Fatalf("Stat: %+v %v", e, err)
			}
			if err := c.Delete(ctx, "/"+tc.dir+"/"+tc.put); err != nil {
				t.Fatal(err)
			}
			if err := c.Rmdir(ctx, "/"+tc.dir); err != nil {
				t.Fatal(err)
			}
			if s.hasDir("/" + tc.dirWire) {
				t.Fatal("Rmdir left the folder")
			}

			// A name the charset cannot write: a clear error, nothing sent.
			before := len(s.commands())
			_, err = c.Store(ctx, "/"+tc.cannot, 0, strings.NewReader("x"))
			if !errors.Is(err, engine.ErrBadArgument) || !strings.Contains(err.Error(), tc.charset) {
				t.Fatalf("Store %q: %v, want ErrBadArgument naming %s", tc.cannot, err, tc.charset)
			}
			if err := c.Delete(ctx, "/"+tc.cannot); !errors.Is(err, engine.ErrBadArgument) {
				t.Fatalf("Delete %q: %v", tc.cannot, err)
			}
			if got := s.commands()[before:]; len(got) != 0 {
				t.Fatalf("sent %q for a name the charset cannot write", got)
			}
			if !c.Alive() {
				t.Fatal("the connection died over a name it refused")
			}
		})
	}
}

// TestCharsetPWDAndMLST: names in replies are translated too.
func TestCharsetPWDAndMLST(t *testing.T) {
	s := newFakeServer(t, "MLST type*;size*;modify*;")
	s.setup(func() { s.dirs["/d\xe9j\xe0"] = true })
	s.put("/d\xe9j\xe0/f\xfc.txt", []byte("abc"))
	s.on("PWD", func(fs *fakeSession, _ string) bool {
		fs.reply(`257 "%s" is the current directory`, fs.cwd) // the bytes, not Go's %q escapes
		return true
	})
	c := dialFake(t, s, func(cfg *engine.Config) { cfg.Charset = "ISO-8859-1" })
	ctx := context.Background()
	if _, _, err := c.Quote(ctx, "CWD /déjà"); err != nil {
		t.Fatal(err)
	}
	wd, err := c.Getwd(ctx)
	if err != nil || wd != "/déjà" {
		t.Fatalf("Getwd: %q %v", wd, err)
	}
	es, err := c.List(ctx, "/déjà")
	if err != nil || len(es) != 1 || es[0].Name != "fü.txt" {
		t.Fatalf("MLSD: %+v %v", es, err)
	}
}

// TestCharsetOPTSUTF8 is which charsets send OPTS UTF8 ON to which servers.
func TestCharsetOPTSUTF8(t *testing.T) {
	for _, tc := range []struct {
		name    string
		charset string
		feat    []string
		want    bool
	}{
		{"auto with UTF8", "", []string{"UTF8"}, true},
		{"auto without UTF8", "", nil, false},
		{"UTF-8 without UTF8", "UTF-8", nil, true},
		{"legacy with UTF8", "ISO-8859-15", []string{"UTF8"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newFakeServer(t, tc.feat...)
			dialFake(t, s, func(cfg *engine.Config) { cfg.Charset = tc.charset })
			if got := slices.Contains(s.commands(), "OPTS UTF8 ON"); got != tc.want {
				t.Fatalf("OPTS UTF8 ON sent: %v, want %v (%q)", got, tc.want, s.commands())
			}
		})
	}
}

// TestCharsetAutoPassesBytes: without a charset, names are the bytes the
// server sent (today's behaviour), both ways.
func TestCharsetAutoPassesBytes(t *testing.T) {
	s := newFakeServer(t)
	s.put("/caf\xe9", []byte("x"))
	c := dialFake(t, s, nil)
	es, err := c.List(context.Background(), "/")
	if err != nil || len(es) != 1 || es[0].Name != "caf\xe9" {
		t.Fatalf("%+v %v", es, err)
	}
	if got := retrieveString(t, c, "/"+es[0].Name, 0); got != "x" {
		t.Fatal(got)
	}
}

func TestCharsetUnknown(t *testing.T) {
	for _, name := range []string{"klingon", "ISO-8859-99"} {
		if err := CheckCharset(name); !errors.Is(err, ErrUnknownCharset) {
			t.Errorf("CheckCharset(%q) = %v", name, err)
		}
	}
	for _, name := range append([]string{"", "auto", "UTF-8", "utf8", "latin1", "sjis"}, Charsets...) {
		if err := CheckCharset(name); err != nil {
			t.Errorf("CheckCharset(%q) = %v", name, err)
		}
	}
	s := newFakeServer(t)
	cfg := s.config()
	cfg.Charset = "klingon"
	if _, err := Dial(context.Background(), cfg); !errors.Is(err, ErrUnknownCharset) {
		t.Fatalf("Dial: %v", err)
	}
}

// TestCharsetPasswordNotInError: a PASS the charset cannot write is
// refused without quoting the password.
func TestCharsetPasswordNotInError(t *testing.T) {
	s := newFakeServer(t)
	cfg := s.config()
	cfg.Charset = "ISO-8859-1"
	cfg.Password = "p€ss"
	_, err := Dial(context.Background(), cfg)
	if !errors.Is(err, engine.ErrBadArgument) || strings.Contains(err.Error(), "€") || strings.Contains(err.Error(), "p€ss") {
		t.Fatalf("Dial: %v", err)
	}
	for _, l := range s.commands() {
		if strings.HasPrefix(l, "PASS") {
			t.Fatalf("sent %q", l)
		}
	}
}

func (s *fakeServer) hasDir(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dirs[name]
}
