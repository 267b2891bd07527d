//go:build !unix

package ui

import "io/fs"

func owner(fs.FileInfo) (string, string) { return "", "" }
