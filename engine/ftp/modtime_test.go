package ftp

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

// TestSetModTimeFallbacks: MFMT where offered, else MDTM with a time
// (vsftpd), else SITE UTIME (ProFTPD's mod_site_misc), else
// ErrUnsupported; each form a server refused is not asked again.
func TestSetModTimeFallbacks(t *testing.T) {
	when := time.Date(2020, 5, 6, 7, 8, 9, 0, time.UTC)
	refuse := func(fs *fakeSession, arg string) bool { fs.reply("500 Unknown command."); return true }
	mdtmWrite := func(fs *fakeSession, arg string) bool {
		if strings.Contains(arg, " ") {
			fs.reply("550 Could not set file modification time.")
			return true
		}
		return false // a plain MDTM: the fake's own
	}
	for _, tt := range []struct {
		name    string
		feat    []string
		setup   func(s *fakeServer)
		want    string // the command that set the time ("" none)
		wantErr error
	}{
		{"MFMT offered", []string{"MFMT"}, func(*fakeServer) {}, "MFMT 20200506070809 /f", nil},
		{"MDTM with a time", nil, func(s *fakeServer) {
			s.on("MDTM", func(fs *fakeSession, arg string) bool {
				if strings.Contains(arg, " ") {
					fs.reply("213 Modify=20200506070809; /f")
					return true
				}
				return false
			})
		}, "MDTM 20200506070809 /f", nil},
		{"SITE UTIME after MDTM refused", []string{"MDTM"}, func(s *fakeServer) { s.on("MDTM", mdtmWrite) }, "SITE UTIME 20200506070809 /f", nil},
		{"nothing", []string{"MDTM"}, func(s *fakeServer) { s.on("MDTM", mdtmWrite); s.on("SITE", refuse) }, "", engine.ErrUnsupported},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newFakeServer(t, tt.feat...)
			s.put("/f", []byte("x"))
			tt.setup(s)
			c := dialFake(t, s, nil)
			for range 2 {
				if err := c.SetModTime(context.Background(), "/f", when); !errors.Is(err, tt.wantErr) || (err != nil) != (tt.wantErr != nil) {
					t.Fatalf("err %v, want %v", err, tt.wantErr)
				}
			}
			cmds := strings.Join(s.commands(), "\n")
			if tt.want != "" && strings.Count(cmds, tt.want) != 2 {
				t.Fatalf("want %q twice in\n%s", tt.want, cmds)
			}
			if tt.wantErr != nil && (strings.Count(cmds, "MDTM 2020") != 1 || strings.Count(cmds, "SITE UTIME") != 1) {
				t.Fatalf("a refused form asked again:\n%s", cmds)
			}
		})
	}
}

// TestMDTMLocal: a server whose MDTM is its wall clock in UTC+5:30
// (vsftpd with use_localtime=YES): ModTime and SetModTime convert with the
// site's offset when Config.MDTMLocal says so, and not otherwise.
func TestMDTMLocal(t *testing.T) {
	when := time.Date(2020, 5, 6, 7, 8, 9, 0, time.UTC) // 12:38:09 on the server's clock
	for _, tt := range []struct {
		name  string
		local bool
		read  time.Time
		set   string
	}{
		{"MDTM local", true, when, "MDTM 20200506123809 /f"},
		{"MDTM in UTC", false, when.Add(5*time.Hour + 30*time.Minute), "MDTM 20200506070809 /f"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newFakeServer(t, "MDTM")
			s.put("/f", []byte("x"))
			s.on("MDTM", func(fs *fakeSession, arg string) bool {
				if strings.Contains(arg, " ") {
					fs.reply("213 File modification time set.")
				} else {
					fs.reply("213 20200506123809")
				}
				return true
			})
			c := dialFake(t, s, func(cfg *engine.Config) { cfg.TZOffset, cfg.MDTMLocal = 5*time.Hour+30*time.Minute, tt.local })
			got, err := c.ModTime(context.Background(), "/f")
			if err != nil || !got.Equal(tt.read) {
				t.Fatalf("ModTime %v, %v; want %v", got, err, tt.read)
			}
			if err := c.SetModTime(context.Background(), "/f", when); err != nil {
				t.Fatal(err)
			}
			if cmds := strings.Join(s.commands(), "\n"); !strings.Contains(cmds, tt.set) {
				t.Fatalf("no %q in\n%s", tt.set, cmds)
			}
		})
	}
}
