package cli

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

// benchEntries is the size of the listing BenchmarkLsJSON prints: the
// 100,000-entry folder of bench/listing.sh.
const benchEntries = 100_000

// vsftpdListing returns n lines as vsftpd sends them for bench/listing.sh's
// folder of empty files.
func vsftpdListing(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "-rw-r--r--    1 1001     1001            0 Dec 05 18:36 file-%06d.txt\r\n", i)
	}
	return b.String()
}

// BenchmarkLsJSON runs `skiff ls --json` against a loopback server that
// sends a 100,000-line LIST from memory, so what it measures is the
// client: reading, parsing, JSON and writing. With -cpuprofile it shows
// where that time goes.
func BenchmarkLsJSON(b *testing.B) {
	srv := listServer(b, vsftpdListing(benchEntries))
	env, _, errb := testEnv()
	env.Stdout = io.Discard
	b.ReportAllocs()
	for b.Loop() {
		if status := runCLI(env, "ls", "--json", "ftp://"+srv+"/pub"); status != 0 {
			b.Fatalf("status %d: %s", status, errb.String())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchEntries), "ns/entry")
}
