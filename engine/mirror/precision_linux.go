package mirror

import (
	"time"

	"golang.org/x/sys/unix"
)

// localPrecision is how finely the file system under dir keeps times.
func localPrecision(dir string) time.Duration {
	var st unix.Statfs_t
	if unix.Statfs(dir, &st) != nil {
		return PrecisionLocal
	}
	return precisionOf(int64(st.Type))
}
