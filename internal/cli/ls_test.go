package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/internal/ftptest"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		in      string
		wantCfg engine.Config
		path    string
		bad     bool
	}{
		{in: "ftp://h", wantCfg: engine.Config{Host: "h", Security: engine.TLSIfAvailable}, path: "/"},
		{in: "ftp://u:p%40ss@h:2121/a%20b/c", wantCfg: engine.Config{Host: "h", Port: 2121, User: "u", Password: "p@ss", Security: engine.TLSIfAvailable}, path: "/a b/c"},
		{in: "ftpes://u@h/d/", wantCfg: engine.Config{Host: "h", User: "u", Security: engine.TLSExplicit}, path: "/d/"},
		{in: "ftps://[::1]:990/x", wantCfg: engine.Config{Host: "::1", Port: 990, Security: engine.TLSImplicit}, path: "/x"},
		{in: "sftp://h/x", wantCfg: engine.Config{Host: "h", Protocol: engine.ProtocolSFTP}, path: "/x"},
		{in: "sftp://h/~", wantCfg: engine.Config{Host: "h", Protocol: engine.ProtocolSFTP}, path: "."},
		{in: "gopher://h/x", bad: true},
		{in: "h/x", bad: true},
		{in: "ftp:///x", bad: true},
		{in: "ftp://h:99999/", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			cfg, path, err := parseURL(tt.in)
			if tt.bad {
				if err == nil {
					t.Fatalf("accepted: %+v", cfg)
				}
				return
			}
			if err != nil || cfg.Host != tt.wantCfg.Host || cfg.Port != tt.wantCfg.Port || cfg.User != tt.wantCfg.User ||
				cfg.Password != tt.wantCfg.Password || cfg.Security != tt.wantCfg.Security || cfg.Protocol != tt.wantCfg.Protocol || path != tt.path {
				t.Fatalf("got %#v %+v path %q err %v", cfg, cfg.LogValue(), path, err)
			}
		})
	}
}

func TestTargetFlagsAndPassword(t *testing.T) {
	env, _, errb := testEnv()
	env.Stdin = strings.NewReader("from-stdin\nrest")
	env.Getenv = func(k string) string {
		if k == "SKIFF_PASSWORD" {
			return "from-env"
		}
		return ""
	}
	parse := func(args ...string) (engine.Config, string) {
		t.Helper()
		fs := newFlagSet()
		cf := addConnFlags(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		cfg, path, err := cf.target(env, fs.Arg(0))
		if err != nil {
			t.Fatal(err)
		}
		return cfg, path
	}
	if cfg, _ := parse("--tls=off", "--mode=active", "ftp://u@h/"); cfg.Security != engine.Plain || cfg.Mode != engine.ModeActive || cfg.Password != "from-env" {
		t.Fatalf("%+v", cfg.LogValue())
	}
	if cfg, _ := parse("--password-stdin", "ftp://u:url@h/"); cfg.Password != "from-stdin" {
		t.Fatalf("stdin password %q", cfg.Password)
	}
	if cfg, _ := parse("ftp://u:url@h/"); cfg.Password != "url" {
		t.Fatalf("URL password %q", cfg.Password)
	}
	if cfg, _ := parse("--insecure", "ftps://h/"); !cfg.Insecure || !strings.Contains(errb.String(), "warning") {
		t.Fatal("--insecure not applied or not warned")
	}
	saved := resolveSite
	defer func() { resolveSite = saved }()
	resolveSite = func(name string) (engine.Config, error) {
		if name != "Work/Web" {
			return engine.Config{}, fmt.Errorf("no site %q", name)
		}
		return engine.Config{Host: "site.example", User: "w", Password: "kept", Security: engine.TLSExplicit}, nil
	}
	if cfg, path := parse("--site", "Work/Web", "/www"); cfg.Host != "site.example" || cfg.Password != "kept" || path != "/www" {
		t.Fatalf("site: %+v %q", cfg.LogValue(), path)
	}
}

func TestDebugTraceMasksPassword(t *testing.T) {
	srv := listServer(t, "")
	env, _, errb := testEnv()
	if status := runCLI(env, "ls", "--debug", "ftp://user:hunter2@"+srv+"/"); status != 0 {
		t.Fatalf("status %d: %s", status, errb.String())
	}
	if strings.Contains(errb.String(), "hunter2") || !strings.Contains(errb.String(), "> PASS ****") || !strings.Contains(errb.String(), "< 230") {
		t.Fatalf("debug output:\n%s", errb.String())
	}
}

func TestLsJSON(t *testing.T) {
	srv := listServer(t, "-rw-r--r--    1 1000     1000          123 Jan 02  2024 a file.txt\r\n"+
		"drwxr-xr-x    2 1000     1000         4096 Jan 02  2024 dir\r\n"+
		"lrwxrwxrwx    1 1000     1000            4 Jan 02  2024 ln -> dir\r\n"+
		"this is not a listing line\r\n")
	env, out, errb := testEnv()
	if status := runCLI(env, "ls", "--json", "ftp://"+srv+"/pub"); status != 0 {
		t.Fatalf("status %d: %s", status, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines:\n%s", len(lines), out.String())
	}
	var m []map[string]any
	for _, l := range lines {
		var e map[string]any
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		for _, k := range []string{"name", "type", "size", "modified", "precision", "permissions", "owner", "group", "target", "raw", "unparsed"} {
			if _, ok := e[k]; !ok {
				t.Fatalf("%q lacks %q", l, k)
			}
		}
		m = append(m, e)
	}
	if m[0]["name"] != "a file.txt" || m[0]["type"] != "file" || m[0]["size"] != 123.0 || m[0]["modified"] != "2024-01-02T00:00:00Z" || m[0]["precision"] != "day" {
		t.Errorf("file: %v", m[0])
	}
	if m[1]["type"] != "dir" || m[2]["type"] != "link" || m[2]["target"] != "dir" {
		t.Errorf("dir/link: %v %v", m[1], m[2])
	}
	if m[3]["unparsed"] != true || m[3]["raw"] != "this is not a listing line" || m[3]["size"] != -1.0 || m[3]["modified"] != nil {
		t.Errorf("unparsed: %v", m[3])
	}
}

func TestLsErrorsGoToStderrWithTheReply(t *testing.T) {
	srv := listServer(t, "")
	env, out, errb := testEnv()
	if status := runCLI(env, "ls", "ftp://"+srv+"/missing"); status != 1 || out.Len() != 0 {
		t.Fatalf("status %d, stdout %q", status, out.String())
	}
	if !strings.Contains(errb.String(), "550") || !strings.Contains(errb.String(), "No such directory") {
		t.Fatalf("stderr %q", errb.String())
	}
	env, _, errb = testEnv()
	if status := runCLI(env, "ls", "ftp://bad:pass@"+srv+"/"); status != 1 || !strings.Contains(errb.String(), "530") {
		t.Fatalf("status %d, stderr %q", status, errb.String())
	}
	if status := runCLI(env, "ls"); status != 2 {
		t.Fatalf("no URL: status %d", status)
	}
}

func runCLI(env Env, args ...string) int {
	_, _, status := Parse(context.Background(), args, env)
	return status
}

// listServer is a minimal plain FTP server on 127.0.0.1 that answers LIST
// of /pub (and of /) with list, 550 for anything else, and refuses user
// "bad". It returns host:port.
func listServer(t testing.TB, list string) string {
	t.Helper()
	return serveLoopback(t, func(c net.Conn) { serveList(c, list) })
}

// serveLoopback accepts connections on a free 127.0.0.1 port until t ends,
// each served by serve on its own goroutine, and returns host:port. Every
// scripted server of these tests stands on it.
func serveLoopback(t testing.TB, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serve(c)
		}
	}()
	return ln.Addr().String()
}

func serveList(c net.Conn, list string) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(s string) { fmt.Fprintf(c, "%s\r\n", s) }
	say("220 ready")
	var pasv net.Listener
	user := ""
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		switch verb {
		case "USER":
			user = arg
			say("331 password")
		case "PASS":
			if user == "bad" {
				say("530 Login incorrect.")
			} else {
				say("230 Login successful.")
			}
		case "AUTH":
			say("530 Please login with USER and PASS.")
		case "SYST":
			say("215 UNIX Type: L8")
		case "FEAT":
			say("211-Features:\r\n EPSV\r\n211 End")
		case "TYPE", "NOOP":
			say("200 OK")
		case "EPSV":
			pasv, _ = net.Listen("tcp", "127.0.0.1:0")
			say(fmt.Sprintf("229 Entering Extended Passive Mode (|||%d|)", pasv.Addr().(*net.TCPAddr).Port))
		case "LIST":
			if arg != "/pub" && arg != "/" {
				pasv.Close()
				say("550 No such directory.")
				continue
			}
			say("150 Here comes the directory listing.")
			dc, err := pasv.Accept()
			pasv.Close()
			if err != nil {
				return
			}
			dc.Write([]byte(list))
			dc.Close()
			say("226 Directory send OK.")
		case "QUIT":
			say("221 Goodbye.")
			return
		default:
			say("500 Unknown command.")
		}
	}
}

func newFlagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// TestLsRealServers runs `skiff ls --json` in-process against vsftpd,
// pure-ftpd and the Go server, over explicit FTPS (trusting the server's
// certificate with --cacert) and plain FTP.
func TestLsRealServers(t *testing.T) {
	for _, k := range ftptest.Kinds {
		t.Run(string(k), func(t *testing.T) {
			s := ftptest.Start(t, k, ftptest.Options{TLS: true})
			s.WriteFile(t, "pub/a file.txt", []byte("12345"))
			s.MkdirAll(t, "pub/sub dir")
			for _, scheme := range []string{"ftpes", "ftp"} {
				t.Run(scheme, func(t *testing.T) {
					u := s.URL("/pub")
					u = scheme + strings.TrimPrefix(u, "ftp")
					env, out, errb := testEnv()
					args := []string{"ls", "--json", "--cacert", s.CAFile, u}
					if scheme == "ftp" {
						args = []string{"ls", "--json", "--tls=off", u}
					}
					if status := runCLI(env, args...); status != 0 {
						t.Fatalf("status %d: %s", status, errb.String())
					}
					got := map[string]map[string]any{}
					for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
						var e map[string]any
						if err := json.Unmarshal([]byte(l), &e); err != nil {
							t.Fatalf("%q: %v", l, err)
						}
						got[e["name"].(string)] = e
					}
					f, d := got["a file.txt"], got["sub dir"]
					if len(got) != 2 || f["type"] != "file" || f["size"] != 5.0 || f["unparsed"] != false || f["modified"] == nil || d["type"] != "dir" {
						t.Fatalf("entries %v", got)
					}
				})
			}
			t.Run("untrusted certificate", func(t *testing.T) {
				env, out, errb := testEnv()
				u := "ftpes" + strings.TrimPrefix(s.URL("/pub"), "ftp")
				if status := runCLI(env, "ls", u); status != 1 || out.Len() != 0 {
					t.Fatalf("status %d stdout %q", status, out.String())
				}
				if !strings.Contains(errb.String(), "SHA-256") || !strings.Contains(errb.String(), "--cacert") {
					t.Fatalf("stderr %q", errb.String())
				}
			})
		})
	}
}

// TestPlainFallbackIsNeverSilent: ftp:// against a server without TLS goes
// on in clear text, as curl and lftp do, but says so on stderr naming the
// host — once, however many connections the command opens — and ftpes://
// refuses before the password is sent.
func TestPlainFallbackIsNeverSilent(t *testing.T) {
	srv := listServer(t, "-rw-r--r-- 1 u g 3 Jan 01 2024 a.txt")
	host, _, _ := net.SplitHostPort(srv)
	env, out, errb := testEnv()
	if status := runCLI(env, "ls", "ftp://"+srv+"/pub"); status != 0 || !strings.Contains(out.String(), "a.txt") {
		t.Fatalf("ftp://: status %d, stdout %q, stderr %q", status, out.String(), errb.String())
	}
	if w := errb.String(); strings.Count(w, "does not offer TLS") != 1 || !strings.Contains(w, host) || !strings.Contains(w, "clear text") {
		t.Fatalf("stderr %q, want one warning naming %s", w, host)
	}
	env, out, errb = testEnv()
	if status := runCLI(env, "ls", "ftpes://"+srv+"/pub"); status != 1 || out.Len() != 0 || !strings.Contains(errb.String(), "does not offer TLS") {
		t.Fatalf("ftpes://: status %d, stdout %q, stderr %q", status, out.String(), errb.String())
	}
}
