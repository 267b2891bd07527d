package ftp

import (
	"strings"

	"github.com/skiff-ftp/skiff/engine"
)

// hashPreference orders checksum algorithms, strongest first, as HASH names
// them (draft-bryan-ftpext-hash) and as the older X commands do.
var hashPreference = []struct{ hash, xcmd, cksm string }{
	{"SHA-256", "XSHA256", "SHA256"},
	{"SHA-512", "XSHA512", "SHA512"},
	{"SHA-1", "XSHA1", "SHA1"},
	{"MD5", "XMD5", "MD5"},
	{"CRC32", "XCRC", ""},
}

// cksmAlgorithms reports whether FEAT lists CKSM (GridFTP) and the
// algorithms it names ("CKSM MD5,ADLER32"; nil when it names none).
func cksmAlgorithms(f engine.Features) (algs []string, ok bool) {
	for _, line := range f.Features {
		name, arg, _ := strings.Cut(line, " ")
		if !strings.EqualFold(name, "CKSM") {
			continue
		}
		for _, a := range strings.FieldsFunc(arg, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
			algs = append(algs, strings.ToUpper(strings.ReplaceAll(strings.TrimSuffix(a, "*"), "-", "")))
		}
		return algs, true
	}
	return nil, false
}

// parseFeat reads a 211 FEAT reply (RFC 2389) into f. Feature lines start
// with a space; anything else (the "Features:" and "End" lines, garbage) is
// ignored, as are unknown features. sel receives the HASH algorithm the
// server marked selected with '*'.
func parseFeat(msg string, f *engine.Features, sel *string) {
	for _, line := range strings.Split(msg, "\n") {
		if !strings.HasPrefix(line, " ") {
			continue
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		f.Features = append(f.Features, line)
		name, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(name) {
		case "MLST", "MLSD":
			f.MLSD = true
		case "SIZE":
			f.Size = true
		case "MDTM":
			f.MDTM = true
		case "MFMT":
			f.MFMT = true
		case "UTF8":
			f.UTF8 = true
		case "EPSV":
			f.EPSV = true
		case "REST":
			if strings.EqualFold(strings.TrimSpace(arg), "STREAM") {
				f.Rest = true
			}
		case "HASH":
			for _, a := range strings.Split(arg, ";") {
				a = strings.TrimSpace(a)
				if strings.HasSuffix(a, "*") {
					a = strings.TrimSuffix(a, "*")
					*sel = strings.ToUpper(a)
				}
				if a != "" {
					f.Hash = append(f.Hash, strings.ToUpper(a))
				}
			}
		case "XSHA256", "XSHA512", "XSHA1", "XSHA", "XMD5", "XCRC":
			f.Hash = append(f.Hash, strings.ToUpper(name))
		}
	}
}

// offersHash reports whether FEAT listed the HASH algorithm or X command name.
func offersHash(f engine.Features, name string) bool {
	for _, h := range f.Hash {
		if strings.EqualFold(h, name) {
			return true
		}
	}
	return false
}
