package sftp

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kevinburke/ssh_config"

	"github.com/skiff-ftp/skiff/engine"
)

// hop is one SSH connection of a route: the target, or a jump host on the
// way to it, with what ~/.ssh/config says about the name the user typed.
type hop struct {
	name           string // as typed: a Host alias or a host name
	host           string // HostName (name when unset)
	port           int
	user           string
	identityFiles  []string
	identitiesOnly bool
	// defaultKeys: identityFiles are OpenSSH's default names, tried when
	// they exist (a missing one is not worth a line in the log).
	defaultKeys bool
	password    string // the target's only: never sent to a jump host
}

// addr is host:port, also the name host keys are recorded under.
func (h hop) addr() string {
	return engine.Config{Host: h.host, Port: h.port, Protocol: engine.ProtocolSFTP}.Addr()
}

// defaultIdentities are the key files OpenSSH tries when no IdentityFile is
// configured, in its order.
var defaultIdentities = []string{"~/.ssh/id_rsa", "~/.ssh/id_ecdsa", "~/.ssh/id_ed25519"}

// route works out the connections to make for cfg: the target and, with
// ProxyJump, the jump hosts to go through first (in order). ~/.ssh/config
// (under $HOME) supplies HostName, Port, User, IdentityFile, IdentitiesOnly
// and ProxyJump for the host as typed; what cfg (the URL or site) says
// explicitly wins, as on ssh's command line. A jump host's own ProxyJump is
// not followed.
func route(cfg engine.Config) (target hop, jumps []hop, err error) {
	sc, err := loadSSHConfig()
	if err != nil {
		return target, nil, err
	}
	target = resolveHop(sc, cfg.Host, cfg.User, cfg.Port)
	target.identityFiles = append(append([]string(nil), cfg.IdentityFiles...), target.identityFiles...)
	target.password = cfg.Password
	pj := get(sc, cfg.Host, "ProxyJump")
	if pj == "" || strings.EqualFold(pj, "none") {
		return target, nil, nil
	}
	for _, spec := range strings.Split(pj, ",") {
		u, h, p, err := parseJump(strings.TrimSpace(spec))
		if err != nil {
			return target, nil, fmt.Errorf("ProxyJump %q: %w", pj, err)
		}
		jumps = append(jumps, resolveHop(sc, h, u, p))
	}
	return target, jumps, nil
}

// resolveHop fills a hop for name from the config; user and port override
// it when set.
func resolveHop(sc *ssh_config.Config, name, usr string, port int) hop {
	h := hop{name: name, host: name, port: port, user: usr}
	if v := get(sc, name, "HostName"); v != "" {
		h.host = strings.ReplaceAll(v, "%h", name)
	}
	if h.port == 0 {
		if n, err := strconv.Atoi(get(sc, name, "Port")); err == nil && n > 0 && n < 65536 {
			h.port = n
		}
	}
	if h.user == "" {
		h.user = get(sc, name, "User")
	}
	if h.user == "" {
		if u, err := user.Current(); err == nil {
			h.user = u.Username
		}
	}
	h.identitiesOnly = strings.EqualFold(get(sc, name, "IdentitiesOnly"), "yes")
	files := getAll(sc, name, "IdentityFile")
	if len(files) == 0 {
		files, h.defaultKeys = defaultIdentities, true
	}
	for _, f := range files {
		if strings.EqualFold(f, "none") {
			continue
		}
		h.identityFiles = append(h.identityFiles, expandHome(f))
	}
	return h
}

// parseJump parses a ProxyJump element, [user@]host[:port].
func parseJump(s string) (usr, host string, port int, err error) {
	if i := strings.LastIndex(s, "@"); i >= 0 {
		usr, s = s[:i], s[i+1:]
	}
	host = s
	if i := strings.LastIndex(s, ":"); i >= 0 && !strings.Contains(s[:i], ":") {
		host = s[:i]
		port, err = strconv.Atoi(s[i+1:])
		if err != nil || port <= 0 || port > 65535 {
			return "", "", 0, fmt.Errorf("bad port in %q", s)
		}
	}
	if host == "" {
		return "", "", 0, fmt.Errorf("no host in %q", s)
	}
	return usr, host, port, nil
}

// loadSSHConfig parses ~/.ssh/config; a missing file is an empty config.
func loadSSHConfig() (*ssh_config.Config, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return &ssh_config.Config{}, nil
	}
	p := filepath.Join(home, ".ssh", "config")
	f, err := os.Open(p)
	if os.IsNotExist(err) {
		return &ssh_config.Config{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c, err := ssh_config.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return c, nil
}

func get(c *ssh_config.Config, alias, key string) string {
	v, _ := c.Get(alias, key)
	return strings.TrimSpace(v)
}

func getAll(c *ssh_config.Config, alias, key string) []string {
	v, _ := c.GetAll(alias, key)
	return v
}

// expandHome turns a leading ~/ into the home directory.
func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}
