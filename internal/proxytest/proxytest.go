// Package proxytest starts real proxies for tests: Dante's danted (SOCKS5)
// and tinyproxy (HTTP CONNECT), unpacked by scripts/proxies.sh into
// <repo>/.cache/proxies, each a private instance on 127.0.0.1 with a
// generated config, stopped by t.Cleanup.
//
// Both proxies refuse to connect to DeniedHost (a SOCKS5 "not allowed by
// ruleset", an HTTP 403), and with Options.Auth they demand User and
// Password (Dante checks the system account scripts/proxies.sh creates).
// Tunnels reads the proxy's own log, so a test can tell that a connection
// went through the proxy and not around it.
//
// A missing binary, or a run without root, fails the test
// (internal/testreq): go test -short skips instead.
package proxytest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine/proxy"
	"github.com/skiff-ftp/skiff/internal/proctest"
	"github.com/skiff-ftp/skiff/internal/testreq"
)

// The account both proxies accept with Options.Auth. Keep in sync with
// scripts/proxies.sh.
const (
	User     = "skiffproxy"
	Password = "skiff-proxy-pass"
)

// DeniedHost is an address every proxy started here refuses to connect to.
const DeniedHost = "127.0.0.2"

const (
	logWait    = 5 * time.Second // Tunnels waits this long for log lines
	startTries = 3               // a port taken meanwhile: try another
)

// Options configure a proxy.
type Options struct {
	Auth bool // demand User and Password
}

// Server is a running proxy.
type Server struct {
	Kind proxy.Kind
	Host string // 127.0.0.1
	Port int
	Auth bool

	logFile string
	out     *proctest.Buffer
}

// Proxy returns the proxy as engine.Config wants it, with the credentials
// when the proxy demands them.
func (s *Server) Proxy() proxy.Proxy {
	p := proxy.Proxy{Kind: s.Kind, Host: s.Host, Port: s.Port}
	if s.Auth {
		p.User, p.Password = User, Password
	}
	return p
}

// URL returns the proxy as --proxy takes it, credentials included.
func (s *Server) URL() string {
	p := s.Proxy()
	u := p.Kind.String() + "://"
	if p.User != "" {
		u += p.User + ":" + p.Password + "@"
	}
	return u + p.Addr()
}

// Log returns the proxy's log so far.
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.logFile)
	return string(b)
}

// Tunnels returns the destinations ("127.0.0.1:2121") the proxy has
// connected clients to, in order, from its own log. It waits until there
// are at least atLeast of them (the log may lag the connection a little)
// or logWait has passed.
func (s *Server) Tunnels(atLeast int) []string {
	deadline := time.Now().Add(logWait)
	for {
		var got []string
		if s.Kind == proxy.SOCKS5 {
			got = danteTunnels(s.Log())
		} else {
			got = tinyproxyTunnels(s.Log())
		}
		if len(got) >= atLeast || time.Now().After(deadline) {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Dante logs an allowed CONNECT as
// "pass(2): tcp/connect [: username%u@127.0.0.1.38906 127.0.0.1.28001 -> 127.0.0.1.51147 127.0.0.1.28080".
var danteConnect = regexp.MustCompile(`pass\(\d+\): tcp/connect \[: .* -> \S+ (\S+)\s*$`)

func danteTunnels(log string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		if m := danteConnect.FindStringSubmatch(sc.Text()); m != nil {
			addr := m[1] // host.port
			if i := strings.LastIndexByte(addr, '.'); i > 0 {
				out = append(out, net.JoinHostPort(addr[:i], addr[i+1:]))
			}
		}
	}
	return out
}

// tinyproxy logs "Request (file descriptor 5): CONNECT 127.0.0.1:28080 HTTP/1.1"
// and, when it connected, `Established connection to host "127.0.0.1" ...`.
var (
	tinyRequest     = regexp.MustCompile(`Request \(file descriptor \d+\): CONNECT (\S+) HTTP/`)
	tinyEstablished = regexp.MustCompile(`Established connection to host "([^"]+)"`)
)

func tinyproxyTunnels(log string) []string {
	var pending, out []string
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		line := sc.Text()
		if m := tinyRequest.FindStringSubmatch(line); m != nil {
			pending = append(pending, m[1])
			continue
		}
		if m := tinyEstablished.FindStringSubmatch(line); m != nil {
			// The latest request for that host is the one connected.
			for i := len(pending) - 1; i >= 0; i-- {
				if h, _, _ := net.SplitHostPort(pending[i]); h == m[1] {
					out = append(out, pending[i])
					pending = append(pending[:i], pending[i+1:]...)
					break
				}
			}
		}
	}
	return out
}

// StartSOCKS5 starts danted.
func StartSOCKS5(t testing.TB, o Options) *Server {
	t.Helper()
	bin := binary(t, "usr/sbin/danted")
	return start(t, proxy.SOCKS5, o, func(dir string, port int) (*exec.Cmd, string) {
		method := "none"
		if o.Auth {
			method = "username"
		}
		logFile := filepath.Join(dir, "danted.log")
		conf := fmt.Sprintf(`# Skiff test proxy (internal/proxytest)
logoutput: %s
internal: 127.0.0.1 port = %d
external: 127.0.0.1
clientmethod: none
socksmethod: %s
user.privileged: root
user.unprivileged: nobody
client pass {
	from: 127.0.0.0/8 to: 0.0.0.0/0
	log: error
}
socks block {
	from: 0.0.0.0/0 to: %s/32
	log: connect error
}
socks pass {
	from: 127.0.0.0/8 to: 127.0.0.0/8
	log: connect disconnect error
}
`, logFile, port, method, DeniedHost)
		confFile := filepath.Join(dir, "danted.conf")
		writeFile(t, confFile, conf)
		return exec.Command(bin, "-f", confFile, "-N", "1"), logFile
	})
}

// StartHTTP starts tinyproxy.
func StartHTTP(t testing.TB, o Options) *Server {
	t.Helper()
	bin := binary(t, "usr/bin/tinyproxy")
	return start(t, proxy.HTTP, o, func(dir string, port int) (*exec.Cmd, string) {
		logFile := filepath.Join(dir, "tinyproxy.log")
		filter := filepath.Join(dir, "filter")
		writeFile(t, filter, "^"+regexp.QuoteMeta(DeniedHost)+"$\n")
		auth := ""
		if o.Auth {
			auth = "BasicAuth " + User + " " + Password
		}
		// No ConnectPort line: CONNECT may reach every port (the servers'
		// control and passive ports are high and vary per test).
		conf := fmt.Sprintf(`# Skiff test proxy (internal/proxytest)
Port %d
Listen 127.0.0.1
Timeout 600
LogFile "%s"
LogLevel Connect
MaxClients 100
Allow 127.0.0.1
%s
Filter "%s"
FilterDefaultDeny No
DisableViaHeader Yes
`, port, logFile, auth, filter)
		confFile := filepath.Join(dir, "tinyproxy.conf")
		writeFile(t, confFile, conf)
		return exec.Command(bin, "-d", "-c", confFile), logFile
	})
}

func start(t testing.TB, kind proxy.Kind, o Options, setup func(dir string, port int) (*exec.Cmd, string)) *Server {
	t.Helper()
	if os.Geteuid() != 0 {
		testreq.Missing(t, "proxytest: %v needs root (Dante checks system passwords and drops privileges); run go test as root after scripts/proxies.sh", kind)
	}
	dir := t.TempDir()
	// danted drops to nobody for its children and reopens nothing, but
	// tinyproxy writes its log as the current user; either way the
	// directory must be reachable.
	os.Chmod(dir, 0o755)
	var lastErr error
	for range startTries {
		port, err := proctest.Claim(t, proctest.BandProxy, 1)
		if err != nil {
			t.Fatal(err)
		}
		cmd, logFile := setup(dir, port)
		s := &Server{Kind: kind, Host: "127.0.0.1", Port: port, Auth: o.Auth, logFile: logFile, out: &proctest.Buffer{}}
		if lastErr = s.run(t, cmd); lastErr == nil {
			return s
		}
	}
	t.Fatalf("proxytest: %v proxy did not start: %v", kind, lastErr)
	return nil
}

// run starts cmd and waits until the proxy accepts (proctest.Start: its
// own process group, stopped at cleanup; the log shown on failure).
func (s *Server) run(t testing.TB, cmd *exec.Cmd) error {
	_, err := proctest.Start(t, s.Kind.String()+" proxy", cmd, net.JoinHostPort(s.Host, strconv.Itoa(s.Port)), s.out, s.logFile)
	return err
}

// binary returns the path of an unpacked proxy binary, or fails the test.
func binary(t testing.TB, rel string) string {
	t.Helper()
	dir, err := cacheDir()
	if err == nil {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if _, err = os.Stat(p); err == nil {
			return p
		}
	}
	testreq.Missing(t, "proxytest: %s: %v (run scripts/proxies.sh)", rel, err)
	return ""
}

// cacheDir is $SKIFF_PROXIES, else <repo root>/.cache/proxies.
func cacheDir() (string, error) { return proctest.CacheDir("SKIFF_PROXIES", "proxies") }

func writeFile(t testing.TB, name, body string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
