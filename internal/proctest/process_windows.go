package proctest

import (
	"os"
	"os/exec"

	"golang.org/x/sys/windows"
)

// The real servers (vsftpd, pure-ftpd) are Linux programs; on Windows the
// package builds so that engine tests run against the in-process GoServer
// (scripts/wine-test.sh), and a real-server test reports it unavailable.

func ownGroup(*exec.Cmd) {}

func terminateGroup(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

func killGroup(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

func killPID(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}

// tryLock takes an exclusive lock on f without waiting; Windows drops it
// when the process dies.
func tryLock(f *os.File) error {
	var ol windows.Overlapped
	return windows.LockFileEx(windows.Handle(f.Fd()),
		windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
}
