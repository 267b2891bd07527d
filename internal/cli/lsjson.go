package cli

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/skiff-ftp/skiff/engine/listing"
)

// appendJSON appends e as one line of `skiff ls --json`: the object
// encoding/json makes of lsEntry (SetEscapeHTML(false)), byte for byte,
// and a newline. It is written by hand because encoding/json's reflection
// was most of the CPU time `skiff ls --json` spent on a large folder
// (issue 16); TestAppendJSONMatchesEncodingJSON holds it to the same bytes.
func appendJSON(b []byte, e listing.Entry) []byte {
	b = append(b, `{"name":`...)
	b = appendJSONString(b, e.Name)
	b = append(b, `,"type":"`...)
	b = append(b, e.Type.String()...)
	b = append(b, `","size":`...)
	b = strconv.AppendInt(b, e.Size, 10)
	if !e.ModTime.IsZero() && e.Precision != listing.PrecisionNone {
		b = append(b, `,"modified":"`...)
		b = e.ModTime.AppendFormat(b, time.RFC3339)
		b = append(b, `","precision":"`...)
		b = append(b, e.Precision.String()...)
		b = append(b, '"')
	} else {
		b = append(b, `,"modified":null,"precision":null`...)
	}
	b = append(b, `,"permissions":`...)
	b = appendJSONString(b, e.Perm)
	b = append(b, `,"owner":`...)
	b = appendJSONString(b, e.Owner)
	b = append(b, `,"group":`...)
	b = appendJSONString(b, e.Group)
	b = append(b, `,"target":`...)
	b = appendJSONString(b, e.Target)
	b = append(b, `,"raw":`...)
	b = appendJSONString(b, e.Raw)
	if e.Unparsed {
		b = append(b, `,"unparsed":true}`+"\n"...)
	} else {
		b = append(b, `,"unparsed":false}`+"\n"...)
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string the way encoding/json does
// without HTML escaping: '"' and '\\' escaped, control characters as \n,
// \r, \t, \b, \f or \u00XX, invalid UTF-8 as \ufffd, and U+2028/U+2029
// escaped (JavaScript reads them as line ends).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
