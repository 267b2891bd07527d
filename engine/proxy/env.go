package proxy

import (
	"fmt"
	"net"
	"strings"
)

// envVars are read in this order; the first that is set names the proxy.
// Skiff's connections are neither HTTP nor FTP-over-HTTP, so the catch-all
// ALL_PROXY comes first, then HTTPS_PROXY, which is what most desktops set
// for "the proxy".
var envVars = []string{"ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"}

// FromEnvironment returns the proxy the environment names for a connection
// to targetHost (a name or an IP address, without port), or None when no
// variable is set or NO_PROXY (no_proxy) exempts the host. The variable's
// name is in the error for a value that does not parse.
func FromEnvironment(getenv func(string) string, targetHost string) (Proxy, error) {
	for _, name := range envVars {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			continue
		}
		np := getenv("NO_PROXY")
		if np == "" {
			np = getenv("no_proxy")
		}
		if NoProxy(np, targetHost) {
			return Proxy{}, nil
		}
		p, err := Parse(v)
		if err != nil {
			return Proxy{}, fmt.Errorf("%s: %w", name, err)
		}
		return p, nil
	}
	return Proxy{}, nil
}

// NoProxy reports whether list, a NO_PROXY value, exempts host. The list is
// comma- or space-separated; an entry is "*" (every host), an IP address,
// a CIDR block (10.0.0.0/8), or a domain that matches itself and its
// subdomains (example.com and .example.com both match ftp.example.com).
// A ":port" on an entry is ignored; matching is by host alone.
func NoProxy(list, host string) bool {
	host = strings.ToLower(strings.Trim(host, "[]"))
	host = strings.TrimSuffix(host, ".")
	if host == "" {
		return false
	}
	ip := net.ParseIP(host)
	for _, e := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		e = strings.ToLower(e)
		if e == "*" {
			return true
		}
		if _, block, err := net.ParseCIDR(e); err == nil {
			if ip != nil && block.Contains(ip) {
				return true
			}
			continue
		}
		if h, _, err := net.SplitHostPort(e); err == nil {
			e = h
		}
		e = strings.Trim(e, "[]")
		if eip := net.ParseIP(e); eip != nil {
			if ip != nil && eip.Equal(ip) {
				return true
			}
			continue
		}
		e = strings.TrimSuffix(strings.TrimPrefix(e, "*"), ".")
		e = strings.TrimPrefix(e, ".")
		if e != "" && (host == e || strings.HasSuffix(host, "."+e)) {
			return true
		}
	}
	return false
}
