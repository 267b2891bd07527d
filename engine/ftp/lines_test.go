package ftp

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/engine/listing"
)

// TestListingAllocatesPerBlockNotPerLine: a listing is read in blocks of
// whole lines that its entries share. A string per line (and a lower-cased
// copy per line to look for ls's complaints) cost `skiff ls` of a big folder
// an allocation or two per entry before any parsing.
func TestListingAllocatesPerBlockNotPerLine(t *testing.T) {
	const n = 20000
	for _, verb := range []string{"LIST", "MLSD"} {
		t.Run(verb, func(t *testing.T) {
			var feat []string
			var b strings.Builder
			for i := range n {
				if verb == "MLSD" {
					feat = []string{"MLSD"}
					fmt.Fprintf(&b, "type=file;size=%d;modify=20240102030405;perm=adfrw; File %06d.txt\r\n", i, i)
				} else {
					fmt.Fprintf(&b, "-rw-r--r--    1 1000     1000     %8d Jan 02  2024 File %06d.txt\r\n", i, i)
				}
			}
			text := []byte(b.String())
			s := newFakeServer(t, feat...)
			s.on(verb, func(fs *fakeSession, arg string) bool {
				fs.reply("150 Here comes the directory listing.")
				if dc := fs.openData(); dc != nil {
					dc.Write(text)
					dc.Close()
				}
				fs.reply("226 Directory send OK.")
				return true
			})
			c := dialFake(t, s, nil)
			got, last := 0, ""
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			err := c.ListFunc(context.Background(), "/", func(e listing.Entry) error {
				got++
				last = e.Name
				return nil
			})
			runtime.ReadMemStats(&after)
			if err != nil || got != n || last != fmt.Sprintf("File %06d.txt", n-1) {
				t.Fatalf("%v: %d entries, the last %q", err, got, last)
			}
			// The reads, the data connection and the replies cost a few
			// hundred allocations whatever the size of the listing.
			if allocs := after.Mallocs - before.Mallocs; allocs > n/10 {
				t.Errorf("%d allocations for %d lines; want at most %d", allocs, n, n/10)
			}
		})
	}
}
