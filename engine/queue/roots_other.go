//go:build !windows

package queue

// keepIdleRoots: elsewhere an open folder handle is no obstacle to the user,
// so up to maxIdleRoots stay open for the next file into the same folder.
const keepIdleRoots = true
