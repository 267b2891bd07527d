//go:build unix

package proctest

import (
	"os"
	"os/exec"
	"syscall"
)

// ownGroup makes cmd the leader of a new process group, so stopping it
// reaches the sessions it forks.
func ownGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// terminateGroup asks cmd's process group to stop (the group id is the
// server's own pid: ownGroup).
func terminateGroup(cmd *exec.Cmd) { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }

// killGroup kills cmd's process group.
func killGroup(cmd *exec.Cmd) { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }

// killPID kills one process.
func killPID(pid int) { _ = syscall.Kill(pid, syscall.SIGKILL) }

// tryLock takes an exclusive lock on f without waiting; the kernel drops it
// when the process dies.
func tryLock(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) }
