package proxy

import (
	"errors"
	"fmt"
)

// Sentinels in a *Error's chain; match them with errors.Is.
var (
	ErrRefused = errors.New("the proxy refused the connection")            // the proxy would not connect to the destination
	ErrAuth    = errors.New("the proxy refused the user name or password") // or asked for credentials none were given for
)

// Error is a failed connection through a proxy. It names the proxy as
// Proxy.String does (never the password) and the destination, and says why:
// Code and Reason carry the proxy's own answer (the SOCKS5 reply code or the
// HTTP status) when it gave one.
type Error struct {
	Proxy  string // the proxy's URL without password
	Target string // host:port that was asked for
	Code   int    // SOCKS5 reply code or HTTP status code; 0 when the proxy gave none
	Reason string // the proxy's answer in words: "SOCKS5 reply 2: connection not allowed by ruleset", "HTTP/1.1 403 Forbidden"
	Err    error  // ErrRefused, ErrAuth, or the network or protocol error
}

func (e *Error) Error() string {
	switch {
	case errors.Is(e.Err, ErrAuth):
		return fmt.Sprintf("proxy %s refused the user name or password: %s", e.Proxy, e.Reason)
	case errors.Is(e.Err, ErrRefused):
		return fmt.Sprintf("proxy %s refused the connection to %s: %s", e.Proxy, e.Target, e.Reason)
	case e.Reason != "":
		return fmt.Sprintf("proxy %s, connecting to %s: %s: %v", e.Proxy, e.Target, e.Reason, e.Err)
	}
	return fmt.Sprintf("proxy %s, connecting to %s: %v", e.Proxy, e.Target, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }
