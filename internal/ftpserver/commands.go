package ftpserver

import (
	"maps"
	"net"
	"strconv"
	"strings"

	ftp "goftp.io/server/v2"
)

// Reply codes the guards send.
const (
	replyBadParam     = 501 // syntax error in parameters
	replyNotForParam  = 504 // command not implemented for that parameter
	replyPolicyDenied = 534 // RFC 2228: request denied for policy reasons
	replyNotAvailable = 502 // command not implemented
)

// tlsKey marks a session whose control connection was upgraded by AUTH TLS.
const tlsKey = "skiff.tls"

// commands returns the library's commands with the active-mode ones guarded:
//   - PORT/EPRT must name the client's own address: the library connects to
//     whatever it is given, which makes it an FTP bounce relay.
//   - After AUTH TLS, PORT/EPRT are refused with 534: the library's active
//     data connections are never TLS, and a client that handshakes on one
//     gets garbage instead of a clear error. Passive mode is TLS.
//   - Malformed PORT/EPRT parameters get 501 instead of a panic in the
//     library (which left the client without a reply).
//   - LPRT is not offered.
//
// The library's DefaultCommands is its package-level map, read by every
// running server: it is cloned, never written, or each Start would wrap the
// previous server's guards (with that server's tlsOn) while its sessions read
// the map.
func commands(tlsOn bool) map[string]ftp.Command {
	cmds := maps.Clone(ftp.DefaultCommands())
	cmds["AUTH"] = authMarker{Command: cmds["AUTH"], tlsOn: tlsOn}
	cmds["PORT"] = activeGuard{Command: cmds["PORT"], parse: parsePORT}
	cmds["EPRT"] = activeGuard{Command: cmds["EPRT"], parse: parseEPRT}
	delete(cmds, "LPRT")
	return cmds
}

// authMarker runs AUTH and records a TLS upgrade in the session.
type authMarker struct {
	ftp.Command
	tlsOn bool
}

func (a authMarker) Execute(sess *ftp.Session, param string) {
	a.Command.Execute(sess, param)
	// The library upgrades exactly when the parameter is "TLS" and a TLS
	// config is set.
	if a.tlsOn && param == "TLS" {
		sess.Data[tlsKey] = true
	}
}

// activeGuard checks an active-mode command before the library runs it.
type activeGuard struct {
	ftp.Command
	parse func(string) (net.IP, int, bool)
}

func (g activeGuard) Execute(sess *ftp.Session, param string) {
	if sess.Data[tlsKey] == true {
		sess.WriteMessage(replyPolicyDenied, "Active mode is not available over TLS here; use EPSV or PASV")
		return
	}
	ip, _, ok := g.parse(param)
	if !ok {
		sess.WriteMessage(replyBadParam, "Syntax error in parameters")
		return
	}
	if client := remoteIP(sess); client == nil || !client.Equal(ip) {
		sess.WriteMessage(replyNotForParam, "Data connections go only to the client's own address")
		return
	}
	g.Command.Execute(sess, param)
}

func remoteIP(sess *ftp.Session) net.IP {
	if a, ok := sess.RemoteAddr().(*net.TCPAddr); ok {
		return a.IP
	}
	return nil
}

// parsePORT parses RFC 959 "h1,h2,h3,h4,p1,p2".
func parsePORT(param string) (net.IP, int, bool) {
	f := strings.Split(param, ",")
	if len(f) != 6 {
		return nil, 0, false
	}
	var b [6]int
	for i, s := range f {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 || n > 255 {
			return nil, 0, false
		}
		b[i] = n
	}
	port := b[4]<<8 | b[5]
	if port == 0 {
		return nil, 0, false
	}
	return net.IPv4(byte(b[0]), byte(b[1]), byte(b[2]), byte(b[3])), port, true
}

// parseEPRT parses RFC 2428 "<d>proto<d>addr<d>port<d>".
func parseEPRT(param string) (net.IP, int, bool) {
	if len(param) < 4 {
		return nil, 0, false
	}
	d := param[:1]
	f := strings.Split(param, d)
	if len(f) != 5 || f[0] != "" || f[4] != "" {
		return nil, 0, false
	}
	ip := net.ParseIP(f[2])
	port, err := strconv.Atoi(f[3])
	if ip == nil || err != nil || port <= 0 || port > 65535 {
		return nil, 0, false
	}
	switch f[1] {
	case "1":
		if ip.To4() == nil {
			return nil, 0, false
		}
	case "2":
		if ip.To4() != nil {
			return nil, 0, false
		}
	default:
		return nil, 0, false
	}
	return ip, port, true
}
