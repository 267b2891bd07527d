package engine

import (
	"net"
	"strconv"
	"strings"
	"time"
)

// TraceKind says what a trace line is, for the message log's colours.
type TraceKind uint8

const (
	TraceCommand TraceKind = iota // client → server
	TraceReply                    // server → client
	TraceStatus                   // Skiff's own status line ("Connected", "Data connection resumed TLS session")
	TraceError                    // a failure
)

// TraceEvent is one line of the message log.
type TraceEvent struct {
	Time time.Time
	Conn int // connection number within the process, for telling parallel connections apart
	Kind TraceKind
	Text string // PASS arguments are already masked

	Level TraceLevel // the least verbose message log that shows the line (TraceNormal: every one)
}

// MaskCommand returns a command line safe to show: the argument of PASS (and
// ACCT) replaced by ****.
func MaskCommand(line string) string {
	verb, _, found := strings.Cut(line, " ")
	if found && (strings.EqualFold(verb, "PASS") || strings.EqualFold(verb, "ACCT")) {
		return verb + " ****"
	}
	return line
}

func joinHostPort(host string, port int) string { return net.JoinHostPort(host, strconv.Itoa(port)) }
