//go:build unix

package listing

import "syscall"

// cpuTime returns the process's user+system CPU time in nanoseconds, so the
// benchmarks can report CPU per line on a machine other jobs share.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
