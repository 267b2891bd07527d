package engine

import (
	"fmt"
	"path"
	"strings"
)

// TransferType is how file contents are sent over FTP: FileZilla's
// Auto / ASCII / Binary. SFTP has no ASCII mode and ignores it.
type TransferType uint8

const (
	TypeAuto   TransferType = iota // ASCII for names in the ASCII extension list, binary for the rest
	TypeASCII                      // TYPE A: line ends converted, no resume, no size check
	TypeBinary                     // TYPE I: bytes as they are (the default of every transfer)
)

var transferTypeNames = [...]string{"auto", "ascii", "binary"}

// String returns the --type spelling: auto, ascii, binary.
func (t TransferType) String() string {
	if int(t) < len(transferTypeNames) {
		return transferTypeNames[t]
	}
	return fmt.Sprintf("TransferType(%d)", t)
}

// ParseTransferType parses auto, ascii (or a) and binary (or i).
func ParseTransferType(s string) (TransferType, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "auto":
		return TypeAuto, nil
	case "ascii", "a":
		return TypeASCII, nil
	case "binary", "i", "image":
		return TypeBinary, nil
	}
	return 0, fmt.Errorf("unknown transfer type %q (want auto, ascii or binary)", s)
}

// DefaultASCIIExtensions are FileZilla's default ASCII file types, plus
// the text formats users meet most today (md, json, csv, yaml, ini, ...).
var DefaultASCIIExtensions = []string{
	"am", "asp", "bat", "c", "cfg", "cfm", "cgi", "cmd", "conf", "cpp", "css", "csv", "dhtml", "diz",
	"h", "hpp", "htm", "html", "in", "inc", "ini", "java", "js", "json", "jsp", "lua", "m4", "mak",
	"md", "md5", "nfo", "nsh", "nsi", "pas", "patch", "pem", "php", "phtml", "pl", "po", "pot", "py",
	"qmail", "sh", "sha1", "sha256", "sha512", "shtml", "sql", "svg", "tcl", "tpl", "txt", "vbs",
	"xhtml", "xml", "xrc", "yaml", "yml",
}

// TypeRule picks the type of each transfer: Type, and under TypeAuto the
// extensions (without the dot, any case) whose files go as ASCII. The zero
// value is auto with no extensions: everything binary.
type TypeRule struct {
	Type            TransferType
	ASCIIExtensions []string
}

// ASCII reports whether the file name (or path) goes as TYPE A. Under
// Auto a name without an extension, or a dot file, is binary.
func (r TypeRule) ASCII(name string) bool {
	switch r.Type {
	case TypeASCII:
		return true
	case TypeBinary:
		return false
	}
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	i := strings.LastIndexByte(base, '.')
	if i <= 0 || i == len(base)-1 {
		return false
	}
	ext := base[i+1:]
	for _, e := range r.ASCIIExtensions {
		if strings.EqualFold(strings.TrimPrefix(strings.TrimSpace(e), "."), ext) {
			return true
		}
	}
	return false
}

// ASCIISetter is a Session with an ASCII mode (FTP's TYPE A). The setting
// stays until changed: a caller sharing sessions sets it for each transfer.
type ASCIISetter interface {
	SetASCII(ascii bool)
}
