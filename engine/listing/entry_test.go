package listing

import (
	"reflect"
	"strconv"
	"testing"
)

// TestEntryPacks keeps Entry at 136 bytes on 64-bit systems: a million-line
// listing is a million Entries written into fresh memory, so every padding
// byte costs a megabyte of page faults (declared by topic, Entry was 160).
func TestEntryPacks(t *testing.T) {
	if strconv.IntSize != 64 {
		t.Skip("the layout is counted for 64-bit systems")
	}
	if got := reflect.TypeFor[Entry]().Size(); got > 136 {
		t.Errorf("Entry is %d bytes, want at most 136: keep the strings together and the small fields at the end", got)
	}
}
