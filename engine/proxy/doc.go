// Package proxy reaches a server through a SOCKS5 proxy (RFC 1928, with
// RFC 1929 username/password) or an HTTP proxy's CONNECT method (RFC 9110
// §9.3.6, with Proxy-Authorization: Basic), or directly.
//
// A Proxy comes from a URL (Parse: socks5://, socks5h://, http://), from
// the environment (FromEnvironment: ALL_PROXY, HTTPS_PROXY and NO_PROXY, as
// curl reads them), or from a saved site. Dial opens a TCP connection to a
// host:port through it; the host name is sent to the proxy unresolved, so
// the proxy resolves it (socks5:// therefore behaves as socks5h://).
//
// Error contract: a proxy that cannot be reached, refuses the credentials or
// refuses the destination gives a *Error naming the proxy (never its
// password) and why: the SOCKS5 reply code or the HTTP status line. Match
// ErrRefused and ErrAuth with errors.Is.
//
// Budgets: an HTTP proxy's reply to CONNECT may be at most maxReplyBytes;
// a proxy that sends an endless header gets an error, not our memory.
//
// Not done: HTTPS to the proxy itself (https://), SOCKS4, proxy
// authentication other than username/password and Basic, UDP.
//
// Proxy is a value; Dial is safe for concurrent use. The package imports
// nothing of Skiff's, so engine.Config can hold a Proxy.
package proxy
