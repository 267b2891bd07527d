package cli

import (
	"io/fs"
	"syscall"
	"time"
)

// inodeAndCtime: a file rewritten in place keeps its inode but not its
// ctime; one replaced gets a new inode.
func inodeAndCtime(fi fs.FileInfo) (uint64, time.Time) {
	st := fi.Sys().(*syscall.Stat_t)
	return st.Ino, time.Unix(st.Ctimespec.Unix())
}
