//go:build !unix

package listing

func cpuTime() int64 { return 0 }
