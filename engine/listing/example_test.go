package listing_test

import (
	"bufio"
	"fmt"
	"strings"
	"time"

	"github.com/skiff-ftp/skiff/engine/listing"
)

func ExampleParseList() {
	reply := "total 8\r\n" +
		"drwxr-xr-x    2 1000     1000         4096 Mar 29 12:00 docs\r\n" +
		"lrwxrwxrwx    1 1000     1000            4 Dec 31  2023 latest -> docs\r\n" +
		"-rw-r--r--    1 1000     1000   5368709120 Mar 29 12:00  leading space.iso\r\n" +
		"something no parser knows\r\n"
	entries, unparsed, err := listing.ParseList(strings.NewReader(reply), listing.Options{
		System:   "UNIX Type: L8",
		TZOffset: 2 * time.Hour, // the server's clock runs on UTC+2
		Now:      time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		fmt.Printf("%-4s %q %d %s %s unparsed=%v\n", e.Type, e.Name, e.Size, e.ModTime.Format(time.DateTime), e.Precision, e.Unparsed)
	}
	fmt.Println(unparsed, "unparsed")
	// Output:
	// dir  "docs" 4096 2024-03-29 10:00:00 minute unparsed=false
	// link "latest" 4 2023-12-30 22:00:00 day unparsed=false
	// file " leading space.iso" 5368709120 2024-03-29 10:00:00 minute unparsed=false
	// file "knows" -1 0001-01-01 00:00:00  unparsed=true
	// 1 unparsed
}

// A Parser reads a listing line by line, for a caller that streams it.
func ExampleParser() {
	vms := "Directory DISK$USER:[ANONYMOUS]\n\n" +
		"A_VERY_LONG_FILE_NAME.TXT;3\n" +
		"                 12/16  29-MAR-2024 12:00:00  [GROUP,OWNER]  (RWED,RWED,RE,)\n" +
		"SUBDIR.DIR;1      1/3   29-MAR-2024 12:00:00  [GROUP,OWNER]  (RWE,RWE,RE,RE)\n\n" +
		"Total of 2 files, 13/19 blocks.\n"
	p := listing.NewParser(listing.Options{System: "VMS OpenVMS V8.4"})
	var entries []listing.Entry
	sc := bufio.NewScanner(strings.NewReader(vms))
	for sc.Scan() {
		entries = p.Append(entries, sc.Text())
	}
	entries = p.Flush(entries)
	for _, e := range entries {
		fmt.Println(e.Type, e.Name, e.Size, e.Owner, e.Unparsed)
	}
	// Output:
	// file A_VERY_LONG_FILE_NAME.TXT;3 6144 OWNER false
	// dir SUBDIR 512 OWNER false
}
