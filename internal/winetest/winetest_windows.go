package winetest

import (
	_ "unsafe" // go:linkname

	"golang.org/x/sys/windows"
)

//go:linkname deleteatFallback internal/syscall/windows.TestDeleteatFallback
var deleteatFallback bool

// UnderWine reports whether this Windows program runs under Wine.
func UnderWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

func init() {
	if UnderWine() {
		deleteatFallback = true
	}
}
