//go:build !windows

package engine

// Elsewhere the syscall constants are the codes the OS reports.

func connResetOS(error) bool { return false }

func connRefusedOS(error) bool { return false }
