package engine

import (
	"fmt"
	"strings"
)

// TraceLevel is how much of a connection the message log shows
// (FileZilla's Normal / Verbose / Debug). A TraceEvent carries the level
// it belongs to; Config.TraceLevel says how much detail to make at all.
type TraceLevel uint8

const (
	TraceNormal  TraceLevel = iota // commands, replies' first lines, status lines, errors
	TraceVerbose                   // + the rest of multi-line replies (FEAT, banners, MLST facts)
	TraceDebug                     // + FTP listings' raw lines and every SFTP request and status
)

var traceLevelNames = [...]string{"normal", "verbose", "debug"}

func (l TraceLevel) String() string {
	if int(l) < len(traceLevelNames) {
		return traceLevelNames[l]
	}
	return fmt.Sprintf("TraceLevel(%d)", l)
}

// ParseTraceLevel parses normal, verbose or debug.
func ParseTraceLevel(s string) (TraceLevel, error) {
	for i, n := range traceLevelNames {
		if strings.EqualFold(strings.TrimSpace(s), n) {
			return TraceLevel(i), nil
		}
	}
	return 0, fmt.Errorf("unknown log level %q (want normal, verbose or debug)", s)
}
