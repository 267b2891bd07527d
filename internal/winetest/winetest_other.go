//go:build !windows

package winetest

// UnderWine reports whether this Windows program runs under Wine: never,
// off Windows.
func UnderWine() bool { return false }
