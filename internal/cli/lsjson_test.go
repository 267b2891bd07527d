package cli

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine/listing"
)

// The reference: `skiff ls --json` prints what encoding/json makes of
// lsEntry, and appendJSON must print the same bytes.

// lsEntry is one line of `skiff ls --json`; the field names are a contract.
type lsEntry struct {
	Name        string  `json:"name"`
	Type        string  `json:"type"`        // file, dir, link
	Size        int64   `json:"size"`        // -1 when unknown
	Modified    *string `json:"modified"`    // RFC 3339, null when unknown
	Precision   *string `json:"precision"`   // day, minute, second; null when no time
	Permissions string  `json:"permissions"` // as the server showed them
	Owner       string  `json:"owner"`       //
	Group       string  `json:"group"`       //
	Target      string  `json:"target"`      // link target
	Raw         string  `json:"raw"`         // the server's line
	Unparsed    bool    `json:"unparsed"`    // no parser understood raw
}

func jsonEntry(e listing.Entry) *lsEntry {
	j := &lsEntry{
		Name: e.Name, Type: e.Type.String(), Size: e.Size, Permissions: e.Perm,
		Owner: e.Owner, Group: e.Group, Target: e.Target, Raw: e.Raw, Unparsed: e.Unparsed,
	}
	if !e.ModTime.IsZero() && e.Precision != listing.PrecisionNone {
		m := e.ModTime.Format(time.RFC3339)
		p := e.Precision.String()
		j.Modified, j.Precision = &m, &p
	}
	return j
}

// TestAppendJSONMatchesEncodingJSON holds the hand-written encoder to
// encoding/json's output for lsEntry, on entries of every shape and on
// strings with everything JSON escapes: quotes, backslashes, control
// characters, invalid UTF-8, U+2028/U+2029, and the HTML characters that
// are not escaped.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	strs := []string{"", "plain", `quo"te`, `back\slash`, "tab\tnl\ncr\r", "\x00\x01\x1f\x7f", "\b\f",
		"<a href='x'>&amp;</a>", "Ünïcödé résumé", "日本語 3月29日", "\xff\xfe latin-1 \xe9t\xe9", "\xe2\x80\xa8 and \xe2\x80\xa9",
		"truncated \xe6\x97", "emoji 🙂", "\u2027\u202a", "ok\u00a0nbsp"}
	base := time.Date(2024, 3, 29, 12, 0, 5, 0, time.UTC)
	var es []listing.Entry
	for i, s := range strs {
		es = append(es,
			listing.Entry{Name: s, Size: int64(i), Raw: s, ModTime: base, Precision: listing.PrecisionSecond},
			listing.Entry{Name: "n" + s, Type: listing.Dir, Size: -1, Perm: s, Owner: s, Group: s},
			listing.Entry{Name: s + "x", Type: listing.Link, Target: s, Size: 1 << 40, ModTime: base, Precision: listing.PrecisionDay, Unparsed: true},
			listing.Entry{Name: "zero time", ModTime: base, Precision: listing.PrecisionNone},
			listing.Entry{Name: "no precision", ModTime: time.Time{}, Precision: listing.PrecisionMinute},
			listing.Entry{Name: "zone", ModTime: base.In(time.FixedZone("x", 5400)), Precision: listing.PrecisionMinute},
		)
	}
	// Random bytes, ASCII-heavy, for whatever the list above forgot.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			if rng.IntN(4) == 0 {
				b[i] = byte(rng.IntN(256))
			} else {
				b[i] = byte(rng.IntN(128))
			}
		}
		es = append(es, listing.Entry{Name: string(b), Raw: string(b), Size: rng.Int64N(1<<62) - 1})
	}
	// And every entry the parser makes of a real-looking listing.
	parsed, _, err := listing.ParseList(strings.NewReader(vsftpdListing(50)+"garbage line\r\n"), listing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	es = append(es, parsed...)

	for _, e := range es {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(jsonEntry(e)); err != nil {
			t.Fatal(err)
		}
		if got := appendJSON(nil, e); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("entry %+v:\n got %s\nwant %s", e, got, want.Bytes())
		}
	}
}
