package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func testEnv() (Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}, &out, &errb
}

func TestParse(t *testing.T) {
	tests := []struct {
		args       []string
		wantDone   bool
		wantStatus int
		wantOut    string
		wantWindow Window
	}{
		{args: nil, wantWindow: Window{}},
		{args: []string{"--help"}, wantDone: true, wantStatus: 0, wantOut: "Usage:"},
		{args: []string{"--bogus"}, wantDone: true, wantStatus: 2},
		{args: []string{"--version"}, wantDone: true, wantStatus: 0, wantOut: "skiff "},
		{args: []string{"--demo"}, wantWindow: Window{Demo: true}},
		{args: []string{"ftp://u@h/p"}, wantWindow: Window{URL: "ftp://u@h/p"}},
		{args: []string{"--site", "Work/Web"}, wantWindow: Window{Site: "Work/Web"}},
		{args: []string{"notacommand"}, wantDone: true, wantStatus: 2},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			env, out, _ := testEnv()
			w, done, status := Parse(context.Background(), tt.args, env)
			if done != tt.wantDone || status != tt.wantStatus {
				t.Fatalf("done=%v status=%d, want %v %d", done, status, tt.wantDone, tt.wantStatus)
			}
			if !done && w != tt.wantWindow {
				t.Fatalf("window %+v, want %+v", w, tt.wantWindow)
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Fatalf("stdout %q lacks %q", out.String(), tt.wantOut)
			}
		})
	}
}

// A URL the command line cannot parse is reported without its password.
func TestBadURLErrorNeverShowsThePassword(t *testing.T) {
	for _, args := range [][]string{
		{"ls", "ftp://user:s3cretpw@host:99999/"},
		{"get", "ftp://user:s3cretpw@ho%zzst/f", "."},
		{"put", "x", "gopher://user:s3cretpw@host/"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			env, out, errb := testEnv()
			_, done, status := Parse(context.Background(), args, env)
			if !done || status == 0 {
				t.Fatalf("done=%v status=%d, want a failure", done, status)
			}
			if strings.Contains(out.String()+errb.String(), "s3cret") {
				t.Fatalf("output shows the password: %q %q", out.String(), errb.String())
			}
			if errb.Len() == 0 {
				t.Fatal("no error message")
			}
		})
	}
}

// TestHelpOnceOnStdout: `--help` (and -h) of the program and of every
// subcommand prints its usage once, to stdout, and exits 0 with nothing on
// stderr.
func TestHelpOnceOnStdout(t *testing.T) {
	cmds := [][]string{{}}
	for name := range commands {
		cmds = append(cmds, []string{name})
	}
	for _, sub := range []string{"list", "add", "remove", "import-filezilla", "import", "export", "restore-backup"} {
		cmds = append(cmds, []string{"sites", sub})
	}
	for _, cmd := range cmds {
		for _, h := range []string{"--help", "-h"} {
			args := append(append([]string(nil), cmd...), h)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				isolate(t)
				env, out, errb := testEnv()
				env.Getenv = func(k string) string {
					if k == EnvKeychain {
						return "off"
					}
					return ""
				}
				_, done, status := Parse(context.Background(), args, env)
				if !done || status != 0 {
					t.Fatalf("done=%v status=%d, want 0", done, status)
				}
				if n := strings.Count(strings.ToLower(out.String()), "usage:"); n != 1 {
					t.Errorf("stdout has %d usages, want 1:\n%s", n, out.String())
				}
				if errb.Len() != 0 {
					t.Errorf("stderr is not empty:\n%s", errb.String())
				}
			})
		}
	}
}
