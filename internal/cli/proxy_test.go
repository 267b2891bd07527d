package cli

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/internal/ftptest"
	"github.com/skiff-ftp/skiff/internal/proxytest"
	"github.com/skiff-ftp/skiff/internal/sshtest"
)

// proxyServer is one column of the proxy matrix: a real server, the URL of
// a path on it, the flags it needs, and the addresses a proxy must have
// tunnelled to for a command to count as having gone through it.
type proxyServer struct {
	name  string
	url   func(path string) string
	flags []string
	root  string                  // local directory the server serves as "/" (or its Root)
	write func(name, data string) // creates a file on the server
	addr  string                  // the control (or SSH) address
	data  func(port int) bool     // whether port is one of its data ports (FTP)
}

func vsftpdColumn(t *testing.T, tls bool) proxyServer {
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{TLS: tls})
	c := proxyServer{
		name: "ftp", root: s.Root, addr: s.Addr(),
		url:   func(p string) string { return "ftp://" + s.User + ":" + s.Password + "@" + s.Addr() + p },
		flags: []string{"--tls", "off"},
		write: func(name, data string) { s.WriteFile(t, name, []byte(data)) },
		data:  func(port int) bool { return port >= s.PassiveMin && port <= s.PassiveMax },
	}
	if tls {
		c.name = "ftps"
		c.url = func(p string) string { return "ftpes://" + s.User + ":" + s.Password + "@" + s.Addr() + p }
		c.flags = []string{"--cacert", s.CAFile}
	}
	return c
}

func sshdColumn(t *testing.T) proxyServer {
	s := sshtest.Start(t, sshtest.Options{})
	kh := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(kh, []byte(s.KnownHostsLine()), 0o600); err != nil {
		t.Fatal(err)
	}
	return proxyServer{
		name: "sftp", root: s.Root, addr: s.Addr,
		url:   func(p string) string { return sshdURL(s, strings.TrimPrefix(p, "/"), true) },
		flags: []string{"--known-hosts", kh},
		write: func(name, data string) { s.WriteFile(t, name, []byte(data)) },
		data:  func(int) bool { return false },
	}
}

// TestProxyMatrix runs ls, get, put and get -r through the command line
// over FTP, FTPS and SFTP, each through SOCKS5 without and with a password
// and HTTP CONNECT without and with one, all real (vsftpd, OpenSSH, Dante,
// tinyproxy). The proxies' own logs must show the control (SSH) connection
// and, for FTP, the data connections: a client that went around the proxy
// fails.
func TestProxyMatrix(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("SSH_AUTH_SOCK", "")
	isolate(t)
	proxies := []*proxytest.Server{
		proxytest.StartSOCKS5(t, proxytest.Options{}),
		proxytest.StartSOCKS5(t, proxytest.Options{Auth: true}),
		proxytest.StartHTTP(t, proxytest.Options{}),
		proxytest.StartHTTP(t, proxytest.Options{Auth: true}),
	}
	servers := []proxyServer{vsftpdColumn(t, false), vsftpdColumn(t, true), sshdColumn(t)}
	for _, srv := range servers {
		srv.write("tree/a.txt", "alpha\n")
		srv.write("tree/sub/b.txt", "bravo\n")
		srv.write("one.txt", "one file\n")
	}
	for _, px := range proxies {
		pxName := px.Kind.String()
		if px.Auth {
			pxName += " with password"
		}
		for _, srv := range servers {
			t.Run(srv.name+" through "+pxName, func(t *testing.T) {
				before := len(px.Tunnels(0))
				run := func(args ...string) string {
					t.Helper()
					env, out, errb := testEnv()
					full := append([]string{args[0], "--proxy", px.URL()}, srv.flags...)
					if status := runCLI(env, append(full, args[1:]...)...); status != 0 {
						t.Fatalf("skiff %s: status %d: %s", strings.Join(args, " "), status, errb)
					}
					if strings.Contains(errb.String(), proxytest.Password) {
						t.Errorf("stderr shows the proxy's password: %s", errb)
					}
					return out.String()
				}
				if out := run("ls", srv.url("/tree")); !strings.Contains(out, "a.txt") || !strings.Contains(out, "sub") {
					t.Errorf("ls: %q", out)
				}
				local := t.TempDir()
				run("get", srv.url("/one.txt"), filepath.Join(local, "one.txt"))
				if b, _ := os.ReadFile(filepath.Join(local, "one.txt")); string(b) != "one file\n" {
					t.Errorf("get: %q", b)
				}
				up := "up-" + strings.ReplaceAll(pxName, " ", "-") + ".txt"
				os.WriteFile(filepath.Join(local, up), []byte("uploaded\n"), 0o644)
				run("put", filepath.Join(local, up), srv.url("/"+up))
				if b, _ := os.ReadFile(filepath.Join(srv.root, up)); string(b) != "uploaded\n" {
					t.Errorf("put: the server has %q", b)
				}
				run("get", "-r", srv.url("/tree"), filepath.Join(local, "tree"))
				for name, want := range map[string]string{"tree/a.txt": "alpha\n", "tree/sub/b.txt": "bravo\n"} {
					if b, _ := os.ReadFile(filepath.Join(local, filepath.FromSlash(name))); string(b) != want {
						t.Errorf("get -r: %s is %q", name, b)
					}
				}

				tunnels := px.Tunnels(before + 4)[before:]
				var control, data int
				for _, a := range tunnels {
					_, p, _ := net.SplitHostPort(a)
					port, _ := strconv.Atoi(p)
					switch {
					case a == srv.addr:
						control++
					case srv.data(port):
						data++
					}
				}
				// One control connection per command at least; FTP adds a
				// data connection per listing and per file.
				if control < 4 {
					t.Errorf("the proxy's log shows %d connections to %s, want one per command (4): %v", control, srv.addr, tunnels)
				}
				if srv.name != "sftp" && data < 5 {
					t.Errorf("the proxy's log shows %d data connections, want at least 5 (ls, get, put, get -r's listings and files): %v", data, tunnels)
				}
			})
		}
	}
}

// A proxy that refuses fails the command with a message naming the proxy
// and its reason (the SOCKS5 reply, the HTTP status), never its password.
func TestProxyRefusalOnTheCommandLine(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	socks := proxytest.StartSOCKS5(t, proxytest.Options{Auth: true})
	http := proxytest.StartHTTP(t, proxytest.Options{Auth: true})
	denied := "ftp://u:p@" + net.JoinHostPort(proxytest.DeniedHost, strconv.Itoa(s.Port)) + "/"
	wrongPass := func(px *proxytest.Server) string {
		return px.Kind.String() + "://" + proxytest.User + ":not-the-password@" + net.JoinHostPort(px.Host, strconv.Itoa(px.Port))
	}
	tests := []struct {
		name, proxy, url string
		want             []string
	}{
		{"socks5 wrong password", wrongPass(socks), s.URL("/"), []string{"refused the user name or password", "SOCKS5 authentication status"}},
		{"socks5 destination not allowed", socks.URL(), denied, []string{"refused the connection to " + proxytest.DeniedHost, "SOCKS5 reply 2: connection not allowed by ruleset"}},
		{"http wrong password", wrongPass(http), s.URL("/"), []string{"refused the user name or password", "401"}},
		{"http destination not allowed", http.URL(), denied, []string{"refused the connection to " + proxytest.DeniedHost, "403 Filtered"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, cmd := range [][]string{{"ls", "--tls", "off", tt.url}, {"get", "--tls", "off", tt.url + "x.txt", t.TempDir()}} {
				env, _, errb := testEnv()
				args := append([]string{cmd[0], "--proxy", tt.proxy}, cmd[1:]...)
				if status := runCLI(env, args...); status == 0 {
					t.Fatalf("skiff %s succeeded through a refusing proxy", cmd[0])
				}
				msg := errb.String()
				for _, w := range append(tt.want, "proxy "+tt.proxy[:strings.Index(tt.proxy, "://")+3]) {
					if !strings.Contains(msg, w) {
						t.Errorf("skiff %s: stderr %q does not say %q", cmd[0], msg, w)
					}
				}
				if strings.Contains(msg, "not-the-password") || strings.Contains(msg, proxytest.Password) {
					t.Errorf("skiff %s: stderr shows a password: %s", cmd[0], msg)
				}
			}
		})
	}
}

// Without --proxy the environment decides (ALL_PROXY and friends, minus
// NO_PROXY), and --proxy none overrides it.
func TestProxyFromEnvironment(t *testing.T) {
	isolate(t)
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	s.WriteFile(t, "pub/f.txt", []byte("x"))
	px := proxytest.StartSOCKS5(t, proxytest.Options{})
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := dead.Addr().String()
	dead.Close()
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		tunnels bool // the proxy carries the connection
	}{
		{"ALL_PROXY", map[string]string{"ALL_PROXY": px.URL()}, nil, true},
		{"https_proxy", map[string]string{"https_proxy": px.URL()}, nil, true},
		{"NO_PROXY names the host", map[string]string{"ALL_PROXY": "socks5://" + deadAddr, "NO_PROXY": "localhost,127.0.0.1"}, nil, false},
		{"--proxy none", map[string]string{"ALL_PROXY": "socks5://" + deadAddr}, []string{"--proxy", "none"}, false},
		{"--proxy beats the environment", map[string]string{"ALL_PROXY": "socks5://" + deadAddr}, []string{"--proxy", px.URL()}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(px.Tunnels(0))
			env, out, errb := testEnv()
			env.Getenv = func(k string) string { return tt.env[k] }
			args := append(append([]string{"ls", "--tls", "off"}, tt.args...), s.URL("/pub"))
			if status := runCLI(env, args...); status != 0 || !strings.Contains(out.String(), "f.txt") {
				t.Fatalf("status %d, stdout %q, stderr %s", status, out, errb)
			}
			through := slices.Contains(px.Tunnels(before + 1)[before:], s.Addr())
			if through != tt.tunnels {
				t.Errorf("through the proxy: %v, want %v", through, tt.tunnels)
			}
		})
	}
}

func TestProxyFlagRefusesABadURL(t *testing.T) {
	env, _, errb := testEnv()
	if status := runCLI(env, "ls", "--proxy", "https://alice:s3cret@p:443", "ftp://h/"); status != 2 {
		t.Fatalf("status %d, want 2 (usage)", status)
	}
	if !strings.Contains(errb.String(), "--proxy") || strings.Contains(errb.String(), "s3cret") {
		t.Errorf("stderr %q", errb)
	}
}

// --site goes through the site's own saved proxy, else the default saved
// with the sites, with the proxy password from the keychain.
func TestProxyOfASavedSite(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	t.Setenv("SKIFF_CONFIG_DIR", dir)
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	s.WriteFile(t, "pub/f.txt", []byte("x"))
	socks := proxytest.StartSOCKS5(t, proxytest.Options{Auth: true})
	http := proxytest.StartHTTP(t, proxytest.Options{Auth: true})

	st, err := bookmarks.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st.Secrets = mockKeychain()
	ctx := context.Background()
	base := bookmarks.Site{Host: s.Host, Port: s.Port, User: s.User, Security: bookmarks.Plain, Logon: bookmarks.Normal}
	own := base
	own.Name = "own proxy"
	own.Proxy = &bookmarks.Proxy{Kind: bookmarks.ProxySOCKS5, Host: socks.Host, Port: socks.Port, User: proxytest.User}
	dflt := base
	dflt.Name = "default proxy"
	for _, site := range []*bookmarks.Site{&own, &dflt} {
		added, err := st.AddSite(bookmarks.RootID, *site)
		if err != nil {
			t.Fatal(err)
		}
		*site = added
		if err := st.Secrets.Set(ctx, site.ID, s.Password); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetSiteProxyPassword(ctx, &own, proxytest.Password); err != nil {
		t.Fatal(err)
	}
	if err := st.SetDefaultProxy(ctx, &bookmarks.Proxy{Kind: bookmarks.ProxyHTTP, Host: http.Host, Port: http.Port, User: proxytest.User}, proxytest.Password); err != nil {
		t.Fatal(err)
	}
	direct := base
	direct.Name = "no proxy"
	direct.Proxy = &bookmarks.Proxy{Kind: bookmarks.ProxyNone}
	added, err := st.AddSite(bookmarks.RootID, direct)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Secrets.Set(ctx, added.ID, s.Password); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		site string
		px   *proxytest.Server // nil: direct
	}{{own.Name, socks}, {dflt.Name, http}, {direct.Name, nil}} {
		t.Run(tt.site, func(t *testing.T) {
			// The environment names a dead proxy: a saved site ignores it.
			env, out, errb := testEnv()
			env.Getenv = func(k string) string {
				if k == "ALL_PROXY" {
					return "socks5://127.0.0.1:1"
				}
				return ""
			}
			if status := runCLI(env, "ls", "--site", tt.site, "/pub"); status != 0 || !strings.Contains(out.String(), "f.txt") {
				t.Fatalf("status %d, stdout %q, stderr %s", status, out, errb)
			}
			if tt.px != nil && !slices.Contains(tt.px.Tunnels(1), s.Addr()) {
				t.Errorf("the %v proxy did not carry the connection: %v", tt.px.Kind, tt.px.Tunnels(0))
			}
		})
	}
}

func TestSitesAddWithProxy(t *testing.T) {
	env, out, errb, dir := sitesEnv(t, "site pw\nproxy pw\n")
	if st := runSitesCmd(t, env, "add", "--password-stdin", "--proxy", "socks5://alice@proxy.example:1081", "--proxy-password-stdin",
		"Via", "ftpes://bob@example.com/"); st != 0 {
		t.Fatalf("add: %d %s", st, errb)
	}
	site, err := loadTree(t, dir).LookupSite("Via")
	if err != nil {
		t.Fatal(err)
	}
	if want := (bookmarks.Proxy{Kind: bookmarks.ProxySOCKS5, Host: "proxy.example", Port: 1081, User: "alice"}); site.Proxy == nil || *site.Proxy != want {
		t.Fatalf("saved proxy %+v, want %+v", site.Proxy, want)
	}
	ctx := context.Background()
	if pw, err := mockKeychain().Get(ctx, site.ID); pw != "site pw" || err != nil {
		t.Errorf("site password %q, %v", pw, err)
	}
	if pw, err := mockKeychain().Get(ctx, bookmarks.ProxySecretID(site.ID)); pw != "proxy pw" || err != nil {
		t.Errorf("proxy password %q, %v", pw, err)
	}
	if !strings.Contains(out.String(), "via socks5://alice@proxy.example:1081") {
		t.Errorf("stdout %q does not show the proxy", out)
	}
	if st := runSitesCmd(t, env, "add", "--proxy", "none", "Direct", "ftp://example.org/"); st != 0 {
		t.Fatalf("add --proxy none: %d %s", st, errb)
	}
	if site, _ := loadTree(t, dir).LookupSite("Direct"); site == nil || site.Proxy == nil || site.Proxy.Kind != bookmarks.ProxyNone {
		t.Errorf("--proxy none saved %+v", site)
	}
	for _, args := range [][]string{
		{"add", "--proxy", "socks5://alice:s3cret@p:1080", "A", "ftp://example.com"},
		{"add", "--proxy", "https://p:443", "B", "ftp://example.com"},
		{"add", "--proxy-password-stdin", "C", "ftp://example.com"},
	} {
		env, _, errb, _ := sitesEnv(t, "x\n")
		if st := runSitesCmd(t, env, args...); st != 2 || strings.Contains(errb.String(), "s3cret") {
			t.Errorf("%v: status %d, stderr %q", args, st, errb)
		}
	}
}
