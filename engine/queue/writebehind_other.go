//go:build !linux

package queue

import "os"

// startWriteback has no portable counterpart of Linux's sync_file_range:
// elsewhere the final sync writes the whole file.
var startWriteback = func(*os.File) error { return nil }

const startsWriteback = false
