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
	return onFD(f, func(fd int) error { return unix.SyncFileRange(fd, 0, 0, unix.SYNC_FILE_RANGE_WRITE) })
}

// startsWriteback says whether startWriteback does anything here.
const startsWriteback = true

// flushBehind makes what f holds so far durable (fdatasync(2)); it runs
// beside the Writes of the same file. A variable so tests can watch it.
var flushBehind = func(f *os.File) error { return onFD(f, unix.Fdatasync) }

// onFD runs call on f's descriptor (an error for a closed file).
func onFD(f *os.File, call func(fd int) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var cerr error
	if err := rc.Control(func(fd uintptr) { cerr = call(int(fd)) }); err != nil {
		return err
	}
	return cerr
}

// flushesBehind says whether downloads sync in the background here.
var flushesBehind = true
