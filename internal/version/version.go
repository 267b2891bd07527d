// Package version reads Skiff's metadata from FyneApp.toml, the one place the
// version is written. main embeds the file and hands it to Set.
package version

import (
	"bufio"
	"strings"
)

var (
	version = "dev"
	appID   = "app.skiff.client"
)

// Set reads Version and ID from the [Details] section of an FyneApp.toml.
func Set(fyneAppToml []byte) {
	sc := bufio.NewScanner(strings.NewReader(string(fyneAppToml)))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"`)
		switch strings.TrimSpace(k) {
		case "Version":
			version = v
		case "ID":
			appID = v
		}
	}
}

// Version is Skiff's version, e.g. "0.1.0".
func Version() string { return version }

// AppID is the reverse-DNS application ID used by app.NewWithID.
func AppID() string { return appID }
