//go:build !linux

package mirror

import "time"

// localPrecision is a nanosecond where the file system cannot be asked.
func localPrecision(string) time.Duration { return PrecisionLocal }
