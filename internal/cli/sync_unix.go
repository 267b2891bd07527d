//go:build !linux && !windows

package cli

import "golang.org/x/sys/unix"

func syncAll() error { unix.Sync(); return nil }
