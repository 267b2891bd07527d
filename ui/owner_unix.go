//go:build unix

package ui

import (
	"io/fs"
	"os/user"
	"strconv"
	"sync"
	"syscall"
)

var (
	idNamesMu sync.Mutex
	idNames   = map[string]string{}
)

// owner returns the local file's owner and group names (numeric when unknown).
func owner(fi fs.FileInfo) (string, string) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return "", ""
	}
	return idName("u", strconv.FormatUint(uint64(st.Uid), 10)), idName("g", strconv.FormatUint(uint64(st.Gid), 10))
}

func idName(kind, id string) string {
	idNamesMu.Lock()
	defer idNamesMu.Unlock()
	if n, ok := idNames[kind+id]; ok {
		return n
	}
	n := id
	if kind == "u" {
		if u, err := user.LookupId(id); err == nil {
			n = u.Username
		}
	} else if g, err := user.LookupGroupId(id); err == nil {
		n = g.Name
	}
	idNames[kind+id] = n
	return n
}
