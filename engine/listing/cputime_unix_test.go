//go:build unix

package listing

import "syscall"

// cpuTime returns the process's user and system CPU time in nanoseconds, so
// the benchmarks can report CPU per line on a machine other jobs share, and
// tell the parsing (user) from the kernel's page faults on fresh memory
// (system).
func cpuTime() (user, sys int64) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0
	}
	return ru.Utime.Nano(), ru.Stime.Nano()
}
