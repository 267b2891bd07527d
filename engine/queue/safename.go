package queue

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/skiff-ftp/skiff/engine"
)

// reasonUnsafe starts the Reason of an item whose name was refused.
const reasonUnsafe = "unsafe file name refused"

// SafeName checks one name from a server listing before it becomes a local
// file name. It refuses (engine.ErrUnsafeName) names that could leave the
// folder they are listed in or that no file system can hold: "", ".", "..",
// anything with "/" or "\", and NUL. It makes the rest safe: other control
// characters become "_", and on Windows also the characters <>:"|?*, a
// trailing dot or space, and reserved device names ("con", "nul.txt",
// "COM1", ...) get a "_". It returns the name to use; when it differs from
// name the caller reports it.
func SafeName(name string) (string, error) { return safeName(name, runtime.GOOS == "windows") }

func safeName(name string, windows bool) (string, error) {
	switch {
	case name == "", name == ".", name == "..":
		return "", fmt.Errorf("%w: %q", engine.ErrUnsafeName, name)
	case strings.ContainsAny(name, "/\\\x00"):
		return "", fmt.Errorf("%w: %q contains a path separator or NUL", engine.ErrUnsafeName, name)
	}
	if windows {
		name = strings.ToValidUTF8(name, "_")
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || windows && strings.ContainsRune(`<>:"|?*`, r) {
			return '_'
		}
		return r
	}, name)
	if !windows {
		return name, nil
	}
	if n := len(name); name[n-1] == '.' || name[n-1] == ' ' {
		name = name[:n-1] + "_"
	}
	stem, ext, dot := strings.Cut(name, ".")
	if reservedWindows(strings.TrimRight(stem, " ")) {
		name = stem + "_"
		if dot {
			name += "." + ext
		}
	}
	return name, nil
}

// reservedWindows reports whether stem is a DOS device name, which Windows
// opens as the device whatever the extension or folder.
func reservedWindows(stem string) bool {
	switch strings.ToUpper(stem) {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(stem) == 4 || len(stem) == 5 {
		u := strings.ToUpper(stem)
		if strings.HasPrefix(u, "COM") || strings.HasPrefix(u, "LPT") {
			d := strings.TrimPrefix(strings.TrimPrefix(u, "COM"), "LPT")
			return d >= "0" && d <= "9" && len(d) == 1 || d == "¹" || d == "²" || d == "³"
		}
	}
	return false
}
