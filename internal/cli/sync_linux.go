package cli

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncLocal writes everything the file system holding dir has in memory to
// disk (syncfs): one call for a whole download instead of an fsync per
// file. A variable so tests can see it is called.
var syncLocal = func(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}
