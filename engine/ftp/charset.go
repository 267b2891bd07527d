package ftp

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"

	"github.com/skiff-ftp/skiff/engine"
)

// Charsets are the legacy encodings offered for servers without UTF-8, by
// the names the site form lists and --charset takes. Any other name IANA or
// the WHATWG know is accepted too.
var Charsets = []string{
	"windows-1252",
	"ISO-8859-1", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5",
	"ISO-8859-6", "ISO-8859-7", "ISO-8859-8", "ISO-8859-9", "ISO-8859-10",
	"ISO-8859-13", "ISO-8859-14", "ISO-8859-15",
	"Shift_JIS", "EUC-JP", "GBK", "GB18030", "Big5", "EUC-KR",
	"KOI8-R", "KOI8-U",
}

// Charset names with a meaning of their own (Config.Charset).
const (
	CharsetAuto = ""      // UTF-8 when FEAT says UTF8, else names as the bytes come
	CharsetUTF8 = "UTF-8" // UTF-8 whatever FEAT says: OPTS UTF8 ON is always sent
)

// ErrUnknownCharset is a Config.Charset no encoding is known by.
var ErrUnknownCharset = errors.New("unknown charset")

// CheckCharset reports whether name is a charset Dial accepts.
func CheckCharset(name string) error {
	_, err := lookupCharset(name)
	return err
}

// lookupCharset resolves a Config.Charset: nil for Auto and UTF-8, which
// need no translation. IANA's names come first, so ISO-8859-1 is Latin-1
// and not windows-1252 as the WHATWG (htmlindex) would have it: bytes
// 0x80–0x9F must come back as they were.
func lookupCharset(name string) (encoding.Encoding, error) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(name), "_", "-")) {
	case "", "auto":
		return nil, nil
	case "utf-8", "utf8":
		return nil, nil
	}
	if e, err := ianaindex.IANA.Encoding(name); err == nil && e != nil {
		return e, nil
	}
	if e, err := htmlindex.Get(name); err == nil && e != nil {
		return e, nil
	}
	return nil, fmt.Errorf("%w %q (want auto, UTF-8 or one of %s)", ErrUnknownCharset, name, strings.Join(Charsets, ", "))
}

// isUTF8Charset reports whether name forces UTF-8.
func isUTF8Charset(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	return n == "utf-8" || n == "utf8"
}

// nameCharset translates the names in commands, replies and listings between
// Skiff (UTF-8 everywhere) and a server with a legacy charset. The zero
// value (no encoding) passes bytes as they are. It is used under the
// Conn's lock, one operation at a time.
type nameCharset struct {
	name string
	enc  *encoding.Encoder
	dec  *encoding.Decoder
}

func newNameCharset(name string) (nameCharset, error) {
	e, err := lookupCharset(name)
	if err != nil || e == nil {
		return nameCharset{}, err
	}
	return nameCharset{name: name, enc: e.NewEncoder(), dec: e.NewDecoder()}, nil
}

// active reports whether names are translated.
func (n nameCharset) active() bool { return n.enc != nil }

// encode turns a command line into the server's charset. A character the
// charset cannot write is engine.ErrBadArgument naming it, except in a
// line that carries a secret (PASS, ACCT), which is named by its verb.
func (n nameCharset) encode(line string) (string, error) {
	if n.enc == nil || isASCII(line) {
		return line, nil
	}
	out, err := n.enc.String(line)
	if err == nil {
		return out, nil
	}
	verb, _, _ := strings.Cut(line, " ")
	if engine.MaskCommand(line) != line {
		return "", fmt.Errorf("%w: %s has a character the server's charset %s cannot write", engine.ErrBadArgument, verb, n.name)
	}
	for _, r := range line {
		if _, rerr := n.enc.String(string(r)); rerr != nil || r == utf8.RuneError {
			return "", fmt.Errorf("%w: %q cannot be written in the server's charset %s", engine.ErrBadArgument, r, n.name)
		}
	}
	return "", fmt.Errorf("%w: %s cannot be written in the server's charset %s", engine.ErrBadArgument, verb, n.name)
}

// decode turns a reply or a listing line from the server's charset into
// UTF-8. Bytes the charset does not define become U+FFFD.
func (n nameCharset) decode(s string) string {
	if n.dec == nil || isASCII(s) {
		return s
	}
	out, err := n.dec.String(s)
	if err != nil {
		return s
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
