//go:build !linux

package cli

// syncLocal asks the system to write its caches to disk; where there is no
// per-file-system call, the files were fsynced one by one by the queue only
// if it syncs (the command line's does not).
var syncLocal = func(dir string) error { return syncAll() }
