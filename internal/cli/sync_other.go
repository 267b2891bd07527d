//go:build !linux

package cli

// syncLocal asks the system to write its caches to disk where it has a call
// for that (sync(2) on the BSDs and macOS); see syncAll.
var syncLocal = func(dir string) error { return syncAll() }
