package queue

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

func TestSafeName(t *testing.T) {
	for _, tt := range []struct {
		name    string
		windows bool
		want    string // "" means refused
	}{
		// Attacks: each would leave the folder or is no name at all.
		{"", false, ""},
		{".", false, ""},
		{"..", false, ""},
		{"../escape", false, ""},
		{"/etc/x", false, ""},
		{"a/../../b", false, ""},
		{`..\escape`, false, ""},
		{`C:\Windows\x`, true, ""},
		{"nul\x00", false, ""},
		{"a\x00b", true, ""},
		{"sub/", false, ""},
		// Made safe.
		{"bell\x07", false, "bell_"},
		{"line\nbreak", false, "line_break"},
		{"del\x7f", false, "del_"},
		{"con", false, "con"},
		{"con", true, "con_"},
		{"CON", true, "CON_"},
		{"nul.txt", true, "nul_.txt"},
		{"com1", true, "com1_"},
		{"LPT9.log", true, "LPT9_.log"},
		{"com¹", true, "com¹_"},
		{"console", true, "console"},
		{"com10", true, "com10"},
		{"a:b", false, "a:b"},
		{"a:b", true, "a_b"},
		{`x<>"|?*`, true, "x______"},
		{"trailing.", true, "trailing_"},
		{"trailing ", true, "trailing_"},
		{"...", false, "..."},
		{"...", true, ".._"},
		{"bad\xffutf8", true, "bad_utf8"},
		// Left alone.
		{"normal.txt", true, "normal.txt"},
		{".hidden", false, ".hidden"},
		{"ünïcødé 名前", true, "ünïcødé 名前"},
	} {
		t.Run(fmt.Sprintf("%q windows=%v", tt.name, tt.windows), func(t *testing.T) {
			got, err := safeName(tt.name, tt.windows)
			if tt.want == "" {
				if !errors.Is(err, engine.ErrUnsafeName) {
					t.Fatalf("got %q, %v; want refused", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDecide(t *testing.T) {
	old, now := time.Unix(1000, 0), time.Unix(2000, 0)
	for _, tt := range []struct {
		p                Overwrite
		srcSize, dstSize int64
		srcTime, dstTime time.Time
		want             action
	}{
		{Replace, 1, 1, old, now, actReplace},
		{Skip, 1, 2, now, old, actSkip},
		{Rename, 1, 1, old, old, actRename},
		{IfNewer, 1, 1, now, old, actReplace},
		{IfNewer, 1, 1, old, now, actSkip},
		{IfNewer, 1, 1, old, old, actSkip},
		{IfNewer, 1, 1, time.Time{}, old, actReplace},
		{IfSizeDiffers, 1, 2, old, now, actReplace},
		{IfSizeDiffers, 2, 2, now, old, actSkip},
		{IfSizeDiffers, -1, 2, now, old, actReplace},
		{IfSizeDiffersOrNewer, 2, 2, now, old, actReplace},
		{IfSizeDiffersOrNewer, 2, 2, old, now, actSkip},
		{IfSizeDiffersOrNewer, 3, 2, old, now, actReplace},
		{Resume, 10, 4, old, now, actResume},
		{Resume, 10, 10, old, now, actSkip},
		{Resume, 10, 12, old, now, actReplace},
		{Resume, -1, 12, old, now, actResume},
	} {
		t.Run(fmt.Sprintf("%s src=%d dst=%d", tt.p, tt.srcSize, tt.dstSize), func(t *testing.T) {
			if got := decide(tt.p, tt.srcSize, tt.srcTime, tt.dstSize, tt.dstTime); got != tt.want {
				t.Fatalf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestParseOverwrite(t *testing.T) {
	for o := Ask; o <= Skip; o++ {
		if got, err := ParseOverwrite(o.String()); err != nil || got != o {
			t.Errorf("%s: %v %v", o, got, err)
		}
	}
	if _, err := ParseOverwrite("sometimes"); err == nil {
		t.Error("bad policy accepted")
	}
}
