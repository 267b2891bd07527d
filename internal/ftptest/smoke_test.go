package ftptest

import (
	"fmt"
	"github.com/skiff-ftp/skiff/internal/proctest"
	"net"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// populate puts a small tree in s.Root and returns the names LIST of "/"
// must show.
func populate(t *testing.T, s *Server) []string {
	t.Helper()
	s.WriteFile(t, "a b.txt", []byte("hello\n"))
	s.WriteFile(t, "Ünïcödé résumé.txt", []byte("unicode\n"))
	s.WriteFile(t, "sub/inner.txt", []byte("inner\n"))
	s.MkdirAll(t, "empty dir")
	if err := os.Symlink("a b.txt", filepath.Join(s.Root, "link to a")); err != nil {
		t.Fatal(err)
	}
	return []string{"a b.txt", "Ünïcödé résumé.txt", "sub", "empty dir", "link to a"}
}

func wantNames(t *testing.T, what, listing string, names []string) {
	t.Helper()
	for _, n := range names {
		if !strings.Contains(listing, n) {
			t.Errorf("%s lacks %q; got:\n%s", what, n, listing)
		}
	}
}

// TestLoginAndList is the harness smoke test: every kind, plain and with
// FTPS, accepts its user and anonymous, and LIST shows what the test put in
// Root — through the raw client and through curl.
func TestLoginAndList(t *testing.T) {
	modes := []struct {
		name string
		o    Options
	}{
		{"plain", Options{}},
		{"explicit TLS", Options{TLS: true}},
		{"required TLS", Options{RequireTLS: true}},
		{"implicit TLS", Options{ImplicitTLS: true}},
	}
	for _, k := range Kinds {
		for _, m := range modes {
			t.Run(string(k)+"/"+m.name, func(t *testing.T) {
				t.Parallel()
				s := Start(t, k, m.o)
				names := populate(t, s)

				r := dialRaw(t, s, s.ImplicitTLS)
				if s.TLS && !s.ImplicitTLS {
					r.authTLS(s)
				}
				r.login(s.User, s.Password)
				listing, code := r.data("LIST")
				if code != 226 {
					t.Fatalf("LIST: final reply %d", code)
				}
				wantNames(t, "raw LIST", listing, names)
				t.Logf("LIST from %s:\n%s", k, listing)
				// Only vsftpd issues session tickets; pure-ftpd and go do
				// not resume and do not need it.
				if k == KindVsftpd {
					for i, ok := range r.resumed {
						if !ok {
							t.Errorf("data connection %d did not resume the TLS session", i)
						}
					}
				} else if len(r.resumed) > 0 {
					t.Logf("%s data connections resumed the TLS session: %v", k, r.resumed)
				}
				r.cmd(221, "QUIT")

				wantNames(t, "curl LIST", curl(t, s, s.URL("/")), names)
				if s.AnonRoot != "" && !s.RequireTLS {
					anon := *s
					anon.User, anon.Password = "anonymous", "anonymous@example.com"
					wantNames(t, "anonymous curl LIST", curl(t, &anon, anon.URL("/")), names)
				}
			})
		}
	}
}

// TestRequireTLSRefusesPlainLogin: with RequireTLS the user cannot log in
// without AUTH TLS (so no password crosses in clear text).
func TestRequireTLSRefusesPlainLogin(t *testing.T) {
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) {
			t.Parallel()
			s := Start(t, k, Options{RequireTLS: true})
			r := dialRaw(t, s, false)
			code, _ := r.cmd(0, "USER %s", s.User)
			if code == 331 {
				code, _ = r.cmd(0, "PASS %s", s.Password)
			}
			if code == 230 {
				t.Fatalf("plain login accepted with RequireTLS")
			}
		})
	}
}

// TestAnonymousIsReadOnly: anonymous logins can list but not upload.
func TestAnonymousIsReadOnly(t *testing.T) {
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) {
			t.Parallel()
			s := Start(t, k, Options{})
			if s.AnonRoot == "" {
				t.Skip("no anonymous access on this instance")
			}
			s.WriteFile(t, "pub.txt", []byte("x"))
			r := dialRaw(t, s, false)
			r.login("anonymous", "anonymous@example.com")
			if _, code := r.data("STOR upload.txt"); code/100 == 2 {
				t.Errorf("anonymous STOR accepted (%d)", code)
			}
			if _, err := os.Stat(filepath.Join(s.Root, "upload.txt")); err == nil {
				t.Errorf("anonymous upload created upload.txt")
			}
			if code, _ := r.cmd(0, "MKD newdir"); code/100 == 2 {
				t.Errorf("anonymous MKD accepted (%d)", code)
			}
		})
	}
}

// TestUserCanWrite: the local user uploads into Root and the file appears
// there, and can overwrite a file the test made with WriteFile.
func TestUserCanWrite(t *testing.T) {
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) {
			t.Parallel()
			s := Start(t, k, Options{})
			s.WriteFile(t, "old.txt", []byte("old"))
			for _, name := range []string{"new.txt", "old.txt"} {
				up := filepath.Join(t.TempDir(), "up")
				if err := os.WriteFile(up, []byte("uploaded"), 0o644); err != nil {
					t.Fatal(err)
				}
				out, err := exec.Command("curl", "-sS", "-T", up, s.URL("/"+name)).CombinedOutput()
				if err != nil {
					t.Fatalf("curl upload %s: %v: %s", name, err, out)
				}
				got, err := os.ReadFile(filepath.Join(s.Root, name))
				if err != nil || string(got) != "uploaded" {
					t.Errorf("%s in Root = %q, %v; want the upload", name, got, err)
				}
			}
		})
	}
}

// TestVsftpdRequiresSSLReuse proves vsftpd runs with require_ssl_reuse=YES: a
// data connection that resumes the control session works (curl does this),
// one with a fresh TLS session is refused.
func TestVsftpdRequiresSSLReuse(t *testing.T) {
	s := Vsftpd(t, Options{TLS: true})
	s.WriteFile(t, "f.txt", []byte("data"))

	r := dialRaw(t, s, false)
	r.authTLS(s)
	r.login(s.User, s.Password)
	if body, code := r.data("RETR f.txt"); code != 226 || body != "data" {
		t.Fatalf("resumed RETR = %q, %d; want data, 226", body, code)
	}
	if len(r.resumed) != 1 || !r.resumed[0] {
		t.Fatalf("data connection did not resume: %v", r.resumed)
	}

	// Same control connection, data connection without the session cache.
	fresh := s.ClientTLSConfig()
	fresh.ClientSessionCache = nil
	r.conf = fresh
	body, code := r.data("RETR f.txt")
	if code == 226 && body == "data" {
		t.Fatalf("vsftpd accepted a data connection that did not resume the TLS session: require_ssl_reuse is off")
	}
	t.Logf("non-resumed data connection: reply %d, %d bytes", code, len(body))

	// curl resumes, so it works.
	if out := curl(t, s, s.URL("/f.txt")); out != "data" {
		t.Errorf("curl RETR = %q", out)
	}
}

// curl runs curl against url with s's TLS settings and returns its output.
func curl(t *testing.T, s *Server, url string) string {
	t.Helper()
	args := []string{"-sS", "--max-time", "30"}
	if s.TLS {
		args = append(args, "--cacert", s.CAFile)
		if !s.ImplicitTLS {
			args = append(args, "--ssl-reqd")
		}
	}
	out, err := exec.Command("curl", append(args, url)...).CombinedOutput()
	if err != nil {
		t.Fatalf("curl %v %s: %v: %s", args, url, err, out)
	}
	return string(out)
}

// TestCleanupStopsSessions: a session still connected when the test ends is
// stopped with its server (vsftpd's session processes leave its process
// group, so a group kill alone would miss them).
func TestCleanupStopsSessions(t *testing.T) {
	for _, k := range []Kind{KindVsftpd, KindPureFTPd} {
		t.Run(string(k), func(t *testing.T) {
			var pids []int
			var conn net.Conn
			t.Run("server", func(t *testing.T) {
				s := Start(t, k, Options{})
				c, err := net.Dial("tcp", s.Addr())
				if err != nil {
					t.Fatal(err)
				}
				conn = c // stays open past the server's cleanup
				tp := textproto.NewConn(c)
				if _, _, err := tp.ReadResponse(220); err != nil {
					t.Fatal(err)
				}
				tp.PrintfLine("USER %s", s.User)
				tp.ReadResponse(331)
				tp.PrintfLine("PASS %s", s.Password)
				if _, _, err := tp.ReadResponse(230); err != nil {
					t.Fatal(err)
				}
				pids = append([]int{s.Pid}, proctest.Descendants(s.Pid)...)
				if len(pids) < 2 {
					t.Fatalf("no session process under pid %d", s.Pid)
				}
			})
			if conn != nil {
				defer conn.Close()
			}
			deadline := time.Now().Add(5 * time.Second)
			for _, p := range pids {
				for syscall.Kill(p, 0) == nil && time.Now().Before(deadline) {
					time.Sleep(20 * time.Millisecond)
				}
				if syscall.Kill(p, 0) == nil {
					if b, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/stat"); err == nil && !strings.Contains(string(b), ") Z ") {
						t.Errorf("pid %d still running after cleanup: %s", p, b)
					}
				}
			}
		})
	}
}

// TestActiveMode: every kind accepts active-mode data connections (EPRT to a
// client listener on 127.0.0.1), plain and over TLS, where the client is still
// the TLS client — except the go server over TLS, which refuses with 534.
func TestActiveMode(t *testing.T) {
	for _, k := range Kinds {
		for _, tlsOn := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/TLS=%v", k, tlsOn), func(t *testing.T) {
				t.Parallel()
				s := Start(t, k, Options{TLS: tlsOn})
				s.WriteFile(t, "active.txt", []byte("x"))
				r := dialRaw(t, s, false)
				if tlsOn {
					r.authTLS(s)
				}
				r.login(s.User, s.Password)
				if k == KindGo && tlsOn {
					// internal/ftpserver refuses active mode over TLS (its
					// library would send the data in clear text).
					r.cmd(534, "EPRT |1|127.0.0.1|1024|")
					return
				}
				body, code := r.dataActive("LIST")
				if code != 226 || !strings.Contains(body, "active.txt") {
					t.Errorf("active LIST: %d %q", code, body)
				}
				if k == KindVsftpd && tlsOn && (len(r.resumed) != 1 || !r.resumed[0]) {
					t.Errorf("active TLS data connection did not resume: %v", r.resumed)
				}
			})
		}
	}
}
