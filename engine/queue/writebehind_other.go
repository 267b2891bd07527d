//go:build !linux

package queue

import "os"

// startWriteback has no portable counterpart of Linux's sync_file_range:
// elsewhere the final sync writes the whole file.
var startWriteback = func(*os.File) error { return nil }

const startsWriteback = false

// flushBehind is not used where startWriteback does nothing: the final
// sync writes the whole file there.
var flushBehind = func(f *os.File) error { return f.Sync() }

var flushesBehind = false
