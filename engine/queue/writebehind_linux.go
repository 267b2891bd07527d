package queue

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback starts writing the dirty pages of f to disk and returns
// without waiting for them (sync_file_range(2) with SYNC_FILE_RANGE_WRITE
// over the whole file); pages already being written are left alone. A
// variable so tests can count the calls.
var startWriteback = func(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	err = rc.Control(func(fd uintptr) {
		serr = unix.SyncFileRange(int(fd), 0, 0, unix.SYNC_FILE_RANGE_WRITE)
	})
	if err != nil {
		return err
	}
	return serr
}

// startsWriteback says whether startWriteback does anything here.
const startsWriteback = true

// flushBehind makes what f holds so far durable (fdatasync(2)); it runs
// beside the Writes of the same file. A variable so tests can watch it.
var flushBehind = func(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	err = rc.Control(func(fd uintptr) {
		serr = unix.Fdatasync(int(fd))
	})
	if err != nil {
		return err
	}
	return serr
}

// flushesBehind says whether downloads sync in the background here.
var flushesBehind = true
