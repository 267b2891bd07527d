//go:build !windows

package queue

func diskFullOS(error) bool { return false }
