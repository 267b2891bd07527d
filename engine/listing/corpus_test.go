package listing

import (
	"io/fs"
	"strings"
	"testing"
	"time"
)

// corpusNow is "now" for every corpus line: 1 April 2024, so "Mar 29" is this
// year and "Dec 31" last year.
var corpusNow = time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)

// want is what one listing line must turn into. Empty strings are not
// checked; size is always checked.
type want struct {
	line     string
	name     string
	typ      Type
	size     int64
	time     string // UTC "2006-01-02 15:04:05[.999999999]"; "" means no time
	prec     Precision
	target   string
	owner    string
	group    string
	perm     string
	mode     fs.FileMode // checked when non-zero
	unparsed bool
	none     bool // a header: no entry at all
}

// corpus holds listing lines grouped by the server (or server family) that
// sends them. The vsftpd, pure-ftpd and goftp groups start with lines captured
// from the real servers (internal/ftptest, Nov 2026: files with leading and
// trailing spaces, semicolons, " -> " in a plain name, symlinks, a FIFO, a
// device, a 5 GiB sparse file, old and future dates); the rest are written
// from the formats' documentation and servers' sources.
var corpus = []struct {
	server string
	syst   string
	lines  []want
}{
	{"vsftpd", "UNIX Type: L8", []want{
		// Captured from vsftpd 3.0.3 through internal/ftptest (curl LIST).
		{line: "-rw-r--r--    1 1001     1001            1 Nov 24 04:15  leading space", name: " leading space", size: 1, time: "2023-11-24 04:15:00", prec: PrecisionMinute},
		{line: "-rw-r--r--    1 1001     1001            1 Nov 24 04:15 trailing space ", name: "trailing space ", size: 1, time: "2023-11-24 04:15:00", prec: PrecisionMinute},
		{line: "-rw-r--r--    1 1001     1001            1 Nov 24 04:15 arrow -> name", name: "arrow -> name", size: 1, time: "2023-11-24 04:15:00", prec: PrecisionMinute},
		{line: "-rw-r--r--    1 1001     1001            1 Nov 24 04:15 semi;colon; name", name: "semi;colon; name", size: 1, time: "2023-11-24 04:15:00", prec: PrecisionMinute},
		{line: "-rw-r--r--    1 1001     1001            1 Nov 24 04:15 Ünïcödé résumé.txt", name: "Ünïcödé résumé.txt", size: 1, time: "2023-11-24 04:15:00", prec: PrecisionMinute},
		{line: "-rw-r--r--    1 1001     1001     5368709120 Nov 24 04:15 big.iso", name: "big.iso", size: 5368709120, time: "2023-11-24 04:15:00", prec: PrecisionMinute},
		{line: "lrwxrwxrwx    1 0        0              19 Nov 24 04:15 dangling -> /nonexistent/target", name: "dangling", typ: Link, size: 19, target: "/nonexistent/target", time: "2023-11-24 04:15:00", prec: PrecisionMinute, owner: "0", group: "0"},
		{line: "drwxr-xr-x    2 1001     1001         4096 Nov 24 04:15 dir with space", name: "dir with space", typ: Dir, size: 4096, time: "2023-11-24 04:15:00", prec: PrecisionMinute},
		{line: "prw-r--r--    1 0        0               0 Nov 24 04:15 fifo", name: "fifo", size: 0, time: "2023-11-24 04:15:00", prec: PrecisionMinute, mode: fs.ModeNamedPipe | 0o644},
		{line: "crw-r--r--    1 0        0               0 Nov 24 04:15 nulldev", name: "nulldev", size: 0, time: "2023-11-24 04:15:00", prec: PrecisionMinute, mode: fs.ModeDevice | fs.ModeCharDevice | 0o644},
		{line: "-rw-r--r--    1 1001     1001            1 Dec 29  2027 future.txt", name: "future.txt", size: 1, time: "2027-12-29 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r--    1 1001     1001            1 Nov 11  2019 old.txt", name: "old.txt", size: 1, time: "2019-11-11 00:00:00", prec: PrecisionDay},
		// From vsftpd's ls.c, by hand.
		{line: "-rw-r--r--    1 1000     1000          123 Mar 29 12:00 name", name: "name", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute, owner: "1000", group: "1000", perm: "rw-r--r--", mode: 0o644},
		{line: "drwxr-xr-x    2 1000     1000         4096 Jan 01  2023 dir", name: "dir", typ: Dir, size: 4096, time: "2023-01-01 00:00:00", prec: PrecisionDay, mode: fs.ModeDir | 0o755},
		{line: "lrwxrwxrwx    1 1000     1000            6 Mar 29 12:00 link -> target", name: "link", typ: Link, size: 6, target: "target", time: "2024-03-29 12:00:00", prec: PrecisionMinute, mode: fs.ModeSymlink | 0o777},
		{line: "lrwxrwxrwx    1 1000     1000            6 Mar 29 12:00  -> x", name: " -> x", typ: Link, size: 6, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "lrwxrwxrwx    1 1000     1000           11 Mar 29 12:00 my link -> ../my target", name: "my link", typ: Link, size: 11, target: "../my target", time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r--    1 1000     1000   5368709120 Mar 29 12:00 big.iso", name: "big.iso", size: 5368709120, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r--    1 1000     1000            0 Mar 29 12:00  leading space", name: " leading space", size: 0, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r--    1 1000     1000            0 Mar 29 12:00 trailing space  ", name: "trailing space  ", size: 0, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r--    1 1000     1000            0 Mar 29 12:00 a -> b", name: "a -> b", size: 0, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r--    1 1000     1000            0 Mar 29 12:00 semi;colon", name: "semi;colon", size: 0, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "crw-rw-rw-    1 0        0          1,   3 Mar 29 12:00 null", name: "null", size: -1, time: "2024-03-29 12:00:00", prec: PrecisionMinute, owner: "0", group: "0", mode: fs.ModeDevice | fs.ModeCharDevice | 0o666},
		{line: "brw-rw----    1 0        6          8,   0 Mar 29 12:00 sda", name: "sda", size: -1, time: "2024-03-29 12:00:00", prec: PrecisionMinute, owner: "0", group: "6", mode: fs.ModeDevice | 0o660},
		{line: "prw-r--r--    1 1000     1000            0 Mar 29 12:00 fifo", name: "fifo", size: 0, time: "2024-03-29 12:00:00", prec: PrecisionMinute, mode: fs.ModeNamedPipe | 0o644},
		{line: "srwxr-xr-x    1 1000     1000            0 Mar 29 12:00 sock", name: "sock", size: 0, time: "2024-03-29 12:00:00", prec: PrecisionMinute, mode: fs.ModeSocket | 0o755},
		{line: "-rwsr-xr-x    1 0        0            1234 Mar 29 12:00 setuid", name: "setuid", size: 1234, time: "2024-03-29 12:00:00", prec: PrecisionMinute, mode: fs.ModeSetuid | 0o755},
		{line: "drwxrwxrwt    2 0        0            4096 Mar 29 12:00 tmp", name: "tmp", typ: Dir, size: 4096, time: "2024-03-29 12:00:00", prec: PrecisionMinute, mode: fs.ModeDir | fs.ModeSticky | 0o777},
		{line: "-rw-r--r--    1 ftp      ftp            12 Dec 31 23:59 late", name: "late", size: 12, time: "2023-12-31 23:59:00", prec: PrecisionMinute, owner: "ftp", group: "ftp"},
		{line: "-rw-r--r--    1 1000     1000            3 Apr 02 00:00 tomorrow", name: "tomorrow", size: 3, time: "2024-04-02 00:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r--    1 1000     1000            3 Apr 03 00:00 day after", name: "day after", size: 3, time: "2023-04-03 00:00:00", prec: PrecisionMinute},
		{line: "total 24", none: true},
		{line: "drwxr-xr-x    2 1000     1000         4096 Mar 29 12:00 .", none: true},
		{line: "drwxr-xr-x    2 1000     1000         4096 Mar 29 12:00 ..", none: true},
	}},
	{"pure-ftpd", "UNIX Type: L8", []want{
		// Captured from pure-ftpd 1.0.50 through internal/ftptest (curl LIST).
		{line: "-rw-r--r--    1 1001       skiffftp            1 Nov 24 04:15  leading space", name: " leading space", size: 1, time: "2023-11-24 04:15:00", prec: PrecisionMinute, owner: "1001", group: "skiffftp"},
		{line: "-rw-r--r--    1 1001       skiffftp            1 Nov 24 04:15 trailing space ", name: "trailing space ", size: 1, time: "2023-11-24 04:15:00", prec: PrecisionMinute},
		{line: "lrwxrwxrwx    1 0          0                   9 Nov 24 04:15 link to plain -> plain.txt", name: "link to plain", typ: Link, size: 9, target: "plain.txt", time: "2023-11-24 04:15:00", prec: PrecisionMinute},
		{line: "-rw-r--r--    1 1001       skiffftp   5368709120 Nov 24 04:15 big.iso", name: "big.iso", size: 5368709120, time: "2023-11-24 04:15:00", prec: PrecisionMinute},
		{line: "-rw-r--r--    1 1001       skiffftp            1 Nov 24 04:15 semi;colon; name", name: "semi;colon; name", size: 1, time: "2023-11-24 04:15:00", prec: PrecisionMinute},
		// pure-ftpd prints a time, not a year, for a file dated 400 days ahead;
		// the year rule then puts it in the past.
		{line: "-rw-r--r--    1 1001       skiffftp            1 Dec 29 04:15 future.txt", name: "future.txt", size: 1, time: "2023-12-29 04:15:00", prec: PrecisionMinute},
		// From pure-ftpd's ls.c, by hand.
		{line: "-rw-r--r--    1 user       group            123 Mar 29 12:00 name", name: "name", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute, owner: "user", group: "group"},
		{line: "drwxr-xr-x    2 user       group           4096 Mar 29 12:00 .hidden", name: ".hidden", typ: Dir, size: 4096, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "lrwxrwxrwx    1 user       group             11 Mar 29 12:00 passwd -> /etc/passwd", name: "passwd", typ: Link, size: 11, target: "/etc/passwd", time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r--    1 user       group    10737418240 Nov 11  2019 ten-gig", name: "ten-gig", size: 10737418240, time: "2019-11-11 00:00:00", prec: PrecisionDay},
	}},
	{"goftp", "UNIX Type: L8", []want{
		// Captured from goftp.io/server/v2 (internal/ftpserver) through internal/ftptest.
		{line: "-rwxrwxrwx 1 skiff skiff            1 Nov 24 04:15  leading space", name: " leading space", size: 1, time: "2023-11-24 04:15:00", prec: PrecisionMinute, owner: "skiff", group: "skiff", mode: 0o777},
		{line: "drwxrwxrwx 1 skiff skiff         4096 Nov 24 04:15 dir with space", name: "dir with space", typ: Dir, size: 4096, time: "2023-11-24 04:15:00", prec: PrecisionMinute},
		{line: "-rwxrwxrwx 1 skiff skiff   5368709120 Nov 24 04:15 big.iso", name: "big.iso", size: 5368709120, time: "2023-11-24 04:15:00", prec: PrecisionMinute},
		{line: "-rwxrwxrwx 1 skiff skiff            1 Nov 11  2019 old.txt", name: "old.txt", size: 1, time: "2019-11-11 00:00:00", prec: PrecisionDay},
		// Go's fs.FileMode letters, from list_formatter.go, by hand.
		{line: "-rw-r--r-- 1 owner group          123 Mar 29 12:00 name", name: "name", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute, owner: "owner", group: "group"},
		{line: "drwxr-xr-x 1 owner group         4096 Mar  9  2023 dir", name: "dir", typ: Dir, size: 4096, time: "2023-03-09 00:00:00", prec: PrecisionDay},
		{line: "Lrwxrwxrwx 1 owner group            6 Mar 29 12:00 link", name: "link", typ: Link, size: 6, time: "2024-03-29 12:00:00", prec: PrecisionMinute, mode: fs.ModeSymlink | 0o777},
		{line: "dtrwxrwxrwx 1 owner group         4096 Mar 29 12:00 sticky", name: "sticky", typ: Dir, size: 4096, time: "2024-03-29 12:00:00", prec: PrecisionMinute, mode: fs.ModeDir | fs.ModeSticky | 0o777},
		{line: "Dcrw-rw-rw- 1 owner group            0 Mar 29 12:00 dev", name: "dev", size: 0, time: "2024-03-29 12:00:00", prec: PrecisionMinute, mode: fs.ModeDevice | fs.ModeCharDevice | 0o666},
		{line: "urwxr-xr-x 1 owner group           10 Mar 29 12:00 suid", name: "suid", size: 10, time: "2024-03-29 12:00:00", prec: PrecisionMinute, mode: fs.ModeSetuid | 0o755},
	}},
	{"unix", "UNIX Type: L8", []want{
		{line: "-rw-r--r--   1 owner    123 Mar 29 12:00 nogroup", name: "nogroup", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute, owner: "owner"},
		{line: "-rw-r--r-- owner group 123 Mar 29 12:00 nolinks", name: "nolinks", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute, owner: "owner", group: "group"},
		{line: "   8 -rw-r--r--   1 1000 1000   4096 Mar 29 12:00 blocks", name: "blocks", size: 4096, time: "2024-03-29 12:00:00", prec: PrecisionMinute, owner: "1000", group: "1000"},
		{line: "-rw-r--r--+  1 user group 123 Mar 29 12:00 acl", name: "acl", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute, perm: "rw-r--r--"},
		{line: "drwxr-xr-x@ 3 user staff 96 Mar 29 12:00 xattr", name: "xattr", typ: Dir, size: 96, time: "2024-03-29 12:00:00", prec: PrecisionMinute, group: "staff"},
		{line: "-rw-r--r--. 1 user group 123 Mar 29 12:00 selinux", name: "selinux", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r-- + 1 user group 123 Mar 29 12:00 acl apart", name: "acl apart", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute, owner: "user"},
		{line: "crw-r--r--   1 root     sys       13,  1 Mar 29 12:00 mem", name: "mem", size: -1, time: "2024-03-29 12:00:00", prec: PrecisionMinute, owner: "root", group: "sys"},
		{line: "crw-rw-rw-   1 root     root        1,3 Mar 29 12:00 tight", name: "tight", size: -1, time: "2024-03-29 12:00:00", prec: PrecisionMinute, group: "root"},
		{line: "-rw-r--r--  1 user  staff  123 Mar 29 12:00:05 2024 bsd-T", name: "bsd-T", size: 123, time: "2024-03-29 12:00:05", prec: PrecisionSecond},
		{line: "-rw-r--r-- 1 user group 123 2024-03-29 12:00 long-iso", name: "long-iso", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r-- 1 user group 123 2024-03-29 12:00:05.123456789 +0000 full-iso", name: "full-iso", size: 123, time: "2024-03-29 12:00:05.123456789", prec: PrecisionSecond},
		{line: "-rw-r--r-- 1 user group 123 2024-03-29 12:00:05.000000000 +0230 full-iso-zone", name: "full-iso-zone", size: 123, time: "2024-03-29 09:30:05", prec: PrecisionSecond},
		{line: "-rw-r--r-- 1 user group 123 2024-03-29 12:00:05.000000000 -0700 full-iso-west", name: "full-iso-west", size: 123, time: "2024-03-29 19:00:05", prec: PrecisionSecond},
		{line: "-rw-r--r-- 1 user group 123 03-29 12:00 iso-recent", name: "iso-recent", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r-- 1 user group 123 2023-03-29   iso-old-leading-space", name: " iso-old-leading-space", size: 123, time: "2023-03-29 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 2023-03-29 iso-old-unpadded", name: "iso-old-unpadded", size: 123, time: "2023-03-29 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 2023-03-29  iso-old", name: "iso-old", size: 123, time: "2023-03-29 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 2024/03/29 12:00 slash", name: "slash", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r-- 1 john Domain Users 123 Mar 29 12:00 cygwin", name: "cygwin", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute, owner: "john", group: "Domain Users"},
		{line: "-rw-r--r--    1 root     root           123 Mar 29 12:00 busybox", name: "busybox", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "drwxr-xr-x 2 user group 4096 Jan  1  1970 epoch", name: "epoch", typ: Dir, size: 4096, time: "1970-01-01 00:00:00", prec: PrecisionDay},
		{line: "-rw-r-lr-- 1 u g 1 Mar 29 12:00 lock", name: "lock", size: 1, time: "2024-03-29 12:00:00", prec: PrecisionMinute, perm: "rw-r-lr--"},
		{line: "-rw-r--r-- 1 user group 123 Mar 29 9:05 one-digit-hour", name: "one-digit-hour", size: 123, time: "2024-03-29 09:05:00", prec: PrecisionMinute},
		{line: "-rw-r--r-- 1 1001 1001 123 mar 29 12:00 lower", name: "lower", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r-- 1 user group 123 MAR 29 12:00 UPPER", name: "UPPER", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r--   1 user group 123 Mar 29 12:00 tab\there", name: "tab\there", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r-- 1 user group 123 Mar 29 12:00 émoji 🎉.txt", name: "émoji 🎉.txt", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "insgesamt 8", none: true},
		{line: "-rw-r--r-- 1 u g notasize Mar 29 12:00 x", name: "x", size: -1, unparsed: true},
	}},
	{"unix-european", "UNIX Type: L8", []want{
		{line: "-rw-r--r-- 1 user group 123 Mär 29 12:00 de", name: "de", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r-- 1 user group 123 29. Mär 12:00 de-dayfirst", name: "de-dayfirst", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r-- 1 user group 123 Okt 10  2023 de-okt", name: "de-okt", size: 123, time: "2023-10-10 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 Dez 24  2023 de-dez", name: "de-dez", size: 123, time: "2023-12-24 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 Mai  1  2023 de-mai", name: "de-mai", size: 123, time: "2023-05-01 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 29 mars 12:00 fr", name: "fr", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r-- 1 user group 123 févr. 10  2023 fr-fevr", name: "fr-fevr", size: 123, time: "2023-02-10 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 déc. 10  2023 fr-dec", name: "fr-dec", size: 123, time: "2023-12-10 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 août 10  2023 fr-aout", name: "fr-aout", size: 123, time: "2023-08-10 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 juil. 10  2023 fr-juil", name: "fr-juil", size: 123, time: "2023-07-10 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 ene 10  2023 es-ene", name: "es-ene", size: 123, time: "2023-01-10 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 dic 10  2023 es-dic", name: "es-dic", size: 123, time: "2023-12-10 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 giu 10  2023 it-giu", name: "it-giu", size: 123, time: "2023-06-10 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 ott 10  2023 it-ott", name: "it-ott", size: 123, time: "2023-10-10 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 mrt 10  2023 nl-mrt", name: "nl-mrt", size: 123, time: "2023-03-10 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 out 10  2023 pt-out", name: "pt-out", size: 123, time: "2023-10-10 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 maj 10  2023 sv-maj", name: "sv-maj", size: 123, time: "2023-05-10 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 paź 10  2023 pl-paz", name: "pl-paz", size: 123, time: "2023-10-10 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 мар 29 12:00 ru", name: "ru", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r-- 1 user group 123 maalis 29 12:00 fi", name: "fi", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r-- 1 user group 123 M\xe4r 29 12:00 latin1", name: "latin1", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
	}},
	{"unix-east-asian", "UNIX Type: L8", []want{
		{line: "-rw-r--r-- 1 user group 123  3月 29 12:00 ja", name: "ja", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r-- 1 user group 123  3月 29日 12:00 ja-day", name: "ja-day", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r-- 1 user group 123 3月29日 12:00 ja-joined", name: "ja-joined", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r-- 1 user group 123 2023年 3月29日 ja-year", name: "ja-year", size: 123, time: "2023-03-29 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 2023年3月29日 zh", name: "zh", size: 123, time: "2023-03-29 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 12月 31  2022 zh-year-after", name: "zh-year-after", size: 123, time: "2022-12-31 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123  3월 29 12:00 ko", name: "ko", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "-rw-r--r-- 1 user group 123 2023년 3월 29일 ko-year", name: "ko-year", size: 123, time: "2023-03-29 00:00:00", prec: PrecisionDay},
		{line: "-rw-r--r-- 1 user group 123 3月 29 2023年 日本語.txt", name: "日本語.txt", size: 123, time: "2023-03-29 00:00:00", prec: PrecisionDay},
		{line: "合計 12", none: true},
	}},
	{"netpresenz", "MACOS Peter's Server", []want{
		{line: "-------r--         326  1391972  1392298 Nov 22  1995 MegaPhone.sit", name: "MegaPhone.sit", size: 1392298, time: "1995-11-22 00:00:00", prec: PrecisionDay},
		{line: "drwxrwxr-x               folder        2 May 10  1996 network", name: "network", typ: Dir, size: -1, time: "1996-05-10 00:00:00", prec: PrecisionDay},
	}},
	{"vshell", "UNIX Type: L8", []want{
		{line: "drwxr-xr-x    1 chris    chris           0 Dec  3 16:20 vshell dir", name: "vshell dir", typ: Dir, size: 0, time: "2023-12-03 16:20:00", prec: PrecisionMinute, owner: "chris"},
		{line: "-rwxr-xr-x    1 chris    chris       52110 Mar 29 12:00 setup.exe", name: "setup.exe", size: 52110, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
	}},
	{"windows-iis", "Windows_NT", []want{
		{line: "03-29-24  12:00PM       <DIR>          folder", name: "folder", typ: Dir, size: -1, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "03-29-24  09:30AM                 1234 file.txt", name: "file.txt", size: 1234, time: "2024-03-29 09:30:00", prec: PrecisionMinute},
		{line: "03-29-24  12:00AM                    0 midnight", name: "midnight", size: 0, time: "2024-03-29 00:00:00", prec: PrecisionMinute},
		{line: "03-29-2024  14:05             1,234,567 big.txt", name: "big.txt", size: 1234567, time: "2024-03-29 14:05:00", prec: PrecisionMinute},
		{line: "29.03.2024  14:05                 1.234 eu.txt", name: "eu.txt", size: 1234, time: "2024-03-29 14:05:00", prec: PrecisionMinute},
		{line: "2024-03-29  14:05    <DIR>          iso dir", name: "iso dir", typ: Dir, size: -1, time: "2024-03-29 14:05:00", prec: PrecisionMinute},
		{line: "03-29-24  12:00AM      6,442,450,944 huge.iso", name: "huge.iso", size: 6442450944, time: "2024-03-29 00:00:00", prec: PrecisionMinute},
		{line: "03-29-24  12:00 PM               10 spaced pm.txt", name: "spaced pm.txt", size: 10, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "03-29-24  12:00PM       <JUNCTION>     jlink [C:\\target]", name: "jlink", typ: Link, size: -1, target: "C:\\target", time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "03-29-24  12:00PM                 10 name with  spaces.txt", name: "name with  spaces.txt", size: 10, time: "2024-03-29 12:00:00", prec: PrecisionMinute},
		{line: "31-12-99  11:59PM                 10 daymonth.txt", name: "daymonth.txt", size: 10, time: "1999-12-31 23:59:00", prec: PrecisionMinute},
	}},
	{"os2", "OS/2", []want{
		{line: "     0           DIR   05-12-97   16:44  PSFONTS", name: "PSFONTS", typ: Dir, size: 0, time: "1997-05-12 16:44:00", prec: PrecisionMinute},
		{line: "   36611      A    04-23-103   10:57  OS2 test1.file", name: "OS2 test1.file", size: 36611, time: "2003-04-23 10:57:00", prec: PrecisionMinute},
		{line: "  1123      A    07-14-99   12:37  LONG FILE NAME", name: "LONG FILE NAME", size: 1123, time: "1999-07-14 12:37:00", prec: PrecisionMinute},
		{line: "     0           DIR   12-11-95   17:26  ZIP", name: "ZIP", typ: Dir, size: 0, time: "1995-12-11 17:26:00", prec: PrecisionMinute},
	}},
	{"eplf", "UNIX Type: L8", []want{
		{line: "+i8388621.48594,m825718503,r,s280,\tdjb.html", name: "djb.html", size: 280, time: "1996-03-01 22:15:03", prec: PrecisionSecond},
		{line: "+i8388621.50690,m824255907,/,\t514", name: "514", typ: Dir, size: -1, time: "1996-02-13 23:58:27", prec: PrecisionSecond},
		{line: "+i8388621.48598,m824253270,r,s612,up644,\tnames with spaces.txt", name: "names with spaces.txt", size: 612, time: "1996-02-13 23:14:30", prec: PrecisionSecond, perm: "644", mode: 0o644},
	}},
	{"vms", "VMS OpenVMS V7.3", []want{
		{line: "CII-MANUAL.TEX;1  213/216  29-JAN-1996 03:33:12  [ANONYMOU,ANONYMOUS]   (RWED,RWED,,)", name: "CII-MANUAL.TEX;1", size: 213 * 512, time: "1996-01-29 03:33:12", prec: PrecisionSecond, owner: "ANONYMOUS", group: "ANONYMOU", perm: "(RWED,RWED,,)"},
		{line: "SUBDIR.DIR;1          1/3      29-MAR-2024 12:00:00.12  [SYSTEM]  (RWE,RWE,RE,RE)", name: "SUBDIR", typ: Dir, size: 512, time: "2024-03-29 12:00:00.12", prec: PrecisionSecond, owner: "SYSTEM"},
		{line: "A_VERY_LONG_FILE_NAME_THAT_DOES_NOT_FIT.TXT;12\n                      2/3      29-MAR-2024 12:00:00  [GROUP,OWNER]  (RWED,RWED,RE,)", name: "A_VERY_LONG_FILE_NAME_THAT_DOES_NOT_FIT.TXT;12", size: 1024, time: "2024-03-29 12:00:00", prec: PrecisionSecond, owner: "OWNER", group: "GROUP"},
		{line: "FILE.TXT;2   2   29-MAR-2024 12:00  [GROUP, OWNER]  (RWED,RWED,RE,)", name: "FILE.TXT;2", size: 1024, time: "2024-03-29 12:00:00", prec: PrecisionMinute, owner: "OWNER", group: "GROUP"},
		{line: "PRIVATE.DAT;1  %RMS-E-PRV, insufficient privilege or file protection violation", name: "PRIVATE.DAT;1", size: -1},
		{line: "LONELY.TXT;3", name: "LONELY.TXT;3", size: -1},
		{line: "Directory DISK$USER:[ANONYMOUS]", none: true},
		{line: "Total of 3 files, 216/219 blocks.", none: true},
		{line: "Grand total of 1 directory, 3 files, 216/219 blocks.", none: true},
	}},
	{"mvs", "MVS is the operating system of this server. FTP Server is running on z/OS.", []want{
		{line: "Volume Unit    Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname", none: true},
		{line: "WYOSPT 3420   2003/03/10  1   15  FB      80  3120  PS  'ALOUS.PDS'", name: "ALOUS.PDS", size: -1, time: "2003-03-10 00:00:00", prec: PrecisionDay, perm: "PS"},
		{line: "B10142 3390   2024/03/29  1    1  FB     128 27904  PO  TEST.PDS", name: "TEST.PDS", typ: Dir, size: -1, time: "2024-03-29 00:00:00", prec: PrecisionDay, perm: "PO"},
		{line: "PUBA01 3390   **NONE**    1   15  FB      80  3120  PO-E EMPTY.PDSE", name: "EMPTY.PDSE", typ: Dir, size: -1},
		{line: "Migrated                                                OLD.DATA", name: "OLD.DATA", size: -1},
		{line: "Pseudo Directory                                        JOB", name: "JOB", typ: Dir, size: -1},
		{line: "ARCIVE Not Direct Access Device                         TAPE.DATA", name: "TAPE.DATA", size: -1},
		{line: " Name     VV.MM   Created       Changed      Size  Init   Mod   Id", none: true},
		{line: "MEMBER1   01.01 2002/09/04 2024/03/29 11:15    14    14     0 USERID", name: "MEMBER1", size: -1, time: "2024-03-29 11:15:00", prec: PrecisionMinute, owner: "USERID"},
		{line: "MEMBER2   01.00 2024/03/29 2024/03/29 12:00:01  3     3     0 USER", name: "MEMBER2", size: -1, time: "2024-03-29 12:00:01", prec: PrecisionSecond, owner: "USER"},
		{line: "NOSTATS", name: "NOSTATS", size: -1},
		{line: " Name      Size     TTR   Alias-of AC --------- Attributes --------- Amode Rmode", none: true},
		{line: "EAGKCPT   000018   00000D                00  FO             RN RU     31    ANY", name: "EAGKCPT", size: 0x18},
	}},
	{"z/vm", "VM/ESA is the operating system of this server.", []want{
		{line: "PROFILE  EXEC     V         71          6          1 2024-03-29 12:00:00 DIR191", name: "PROFILE.EXEC", size: 71 * 6, time: "2024-03-29 12:00:00", prec: PrecisionSecond},
		{line: "DATA     FILE     F         80        100          2 2024-03-29 12:00:00 DIR191", name: "DATA.FILE", size: 8000, time: "2024-03-29 12:00:00", prec: PrecisionSecond},
		{line: "SUBDIR   DIR      -          -          -          - 2024-03-29 12:00:00 -", name: "SUBDIR", typ: Dir, size: -1, time: "2024-03-29 12:00:00", prec: PrecisionSecond},
	}},
	{"as400", "OS/400 is the remote operating system. The TCP/IP version is \"V5R4M0\".", []want{
		{line: "QSYS            77824 02/23/00 15:09:55 *DIR       QSYS/", name: "QSYS", typ: Dir, size: 77824, time: "2000-02-23 15:09:55", prec: PrecisionSecond, owner: "QSYS", perm: "*DIR"},
		{line: "QDOC           372736 29.03.24 12:00:00 *FLR       /QDOC/", name: "QDOC", typ: Dir, size: 372736, time: "2024-03-29 12:00:00", prec: PrecisionSecond},
		{line: "QSECOFR         36864 04/19/02 11:24:45 *FILE      QGPL/QCLSRC", name: "QCLSRC", size: 36864, time: "2002-04-19 11:24:45", prec: PrecisionSecond},
		{line: "QSECOFR                                 *MEM       QGPL/QCLSRC.FILE/UBU.MBR", name: "UBU.MBR", size: -1, owner: "QSECOFR", perm: "*MEM"},
		{line: "QSYS             8192 03/29/24 12:00:00 *STMF      /home/file name.txt", name: "file name.txt", size: 8192, time: "2024-03-29 12:00:00", prec: PrecisionSecond},
	}},
	{"netware", "NetWare system type.", []want{
		{line: "d [RWCEAFMS] Administrator    512 Mar 29 12:00 public", name: "public", typ: Dir, size: 512, time: "2024-03-29 12:00:00", prec: PrecisionMinute, owner: "Administrator", perm: "[RWCEAFMS]"},
		{line: "- [RWCEAFMS] user             1234 Mar 29  2023 file.txt", name: "file.txt", size: 1234, time: "2023-03-29 00:00:00", prec: PrecisionDay, owner: "user"},
		{line: "d [R----F--] supervisor            512       Jan 16 18:53    login", name: "login", typ: Dir, size: 512, time: "2024-01-16 18:53:00", prec: PrecisionMinute, owner: "supervisor"},
	}},
	{"vxworks", "VxWorks", []want{
		{line: "  size          date       time       name", none: true},
		{line: "--------       ------     ------    --------", none: true},
		{line: "    1024    Mar 29 2024  12:00:00   vx.bin", name: "vx.bin", size: 1024, time: "2024-03-29 12:00:00", prec: PrecisionSecond},
		{line: "     512    Mar 29 2024  12:00:00   DIR1          <DIR>", name: "DIR1", typ: Dir, size: -1, time: "2024-03-29 12:00:00", prec: PrecisionSecond},
	}},
	{"hp-nonstop", "NONSTOP KERNEL", []want{
		{line: "File         Code             EOF  Last Modification    Owner  RWEP", none: true},
		{line: "IARPA        101            5924  18-Jun-19 14:08:59   255,255 \"oooo\"", name: "IARPA", size: 5924, time: "2019-06-18 14:08:59", prec: PrecisionSecond, owner: "255,255", perm: "oooo"},
		{line: "AUTOS        0O              246  29-Mar-24 12:00:00   100, 1 \"nunu\"", name: "AUTOS", size: 246, time: "2024-03-29 12:00:00", prec: PrecisionSecond, owner: "100, 1", perm: "nunu"},
	}},
	{"nlst-and-unknown", "", []want{
		{line: "readme.txt", name: "readme.txt", size: -1},
		{line: "some unknown format line 42", name: "42", size: -1, unparsed: true},
		{line: "   ", none: true},
	}},
}

// mlsdCorpus holds MLSD lines (pure-ftpd, ProFTPD, vsftpd has none, goftp,
// Serv-U, IIS) for ParseMLSD.
var mlsdCorpus = []want{
	// Captured from pure-ftpd 1.0.50 through internal/ftptest (curl -X MLSD).
	{line: "type=OS.unix=slink:;size=9;modify=20261124041523;UNIX.mode=0777;UNIX.uid=0;UNIX.gid=0;unique=fe00g98c0ca; link to plain", name: "link to plain", typ: Link, size: 9, time: "2026-11-24 04:15:23", prec: PrecisionSecond, owner: "0", mode: fs.ModeSymlink | 0o777},
	{line: "type=file;size=1;modify=20261124041523;UNIX.mode=0644;UNIX.uid=1001;UNIX.gid=1001;unique=fe00g98c0c1;  leading space", name: " leading space", size: 1, time: "2026-11-24 04:15:23", prec: PrecisionSecond},
	{line: "type=file;size=1;modify=20261124041523;UNIX.mode=0644;UNIX.uid=1001;UNIX.gid=1001;unique=fe00g98c0c3; semi;colon; name", name: "semi;colon; name", size: 1, time: "2026-11-24 04:15:23", prec: PrecisionSecond},
	{line: "type=file;size=1;modify=20261124041523;UNIX.mode=0644;UNIX.uid=1001;UNIX.gid=1001;unique=fe00g98c0c2; trailing space ", name: "trailing space ", size: 1, time: "2026-11-24 04:15:23", prec: PrecisionSecond},
	{line: "type=unknown;size=0;modify=20261124041523;UNIX.mode=0644;UNIX.uid=0;UNIX.gid=0;unique=fe00g98c0cc; fifo", name: "fifo", size: 0, time: "2026-11-24 04:15:23", prec: PrecisionSecond},
	{line: "type=file;size=5368709120;modify=20261124041523;UNIX.mode=0644;UNIX.uid=1001;UNIX.gid=1001;unique=fe00g98c0c8; big.iso", name: "big.iso", size: 5368709120, time: "2026-11-24 04:15:23", prec: PrecisionSecond},
	{line: "type=file;size=1;modify=20261124041523;UNIX.mode=0644;UNIX.uid=1001;UNIX.gid=1001;unique=fe00g98c0c4; arrow -> name", name: "arrow -> name", size: 1, time: "2026-11-24 04:15:23", prec: PrecisionSecond},
	{line: "type=cdir;sizd=4096;modify=20261124041523;UNIX.mode=0755;UNIX.uid=1001;UNIX.gid=1001;unique=fe00g98c013; .", none: true},
	{line: "type=pdir;sizd=4096;modify=20261124041523;UNIX.mode=0755;UNIX.uid=1001;UNIX.gid=1001;unique=fe00g98c013; ..", none: true},
	// Captured from goftp.io/server/v2 through internal/ftptest.
	{line: "Type=file;Modify=20261124041523;Size=1;  leading space", name: " leading space", size: 1, time: "2026-11-24 04:15:23", prec: PrecisionSecond},
	// From the RFC and other servers' documentation, by hand.
	{line: "type=file;size=123;modify=20240329120000;UNIX.mode=0644;UNIX.uid=1000;UNIX.gid=1000;unique=803g1234; name", name: "name", size: 123, time: "2024-03-29 12:00:00", prec: PrecisionSecond, owner: "1000", group: "1000", mode: 0o644},
	{line: "type=dir;sizd=4096;modify=20240329120000;UNIX.mode=0755;UNIX.uid=1000;UNIX.gid=1000;unique=803g1235; dir", name: "dir", typ: Dir, size: 4096, time: "2024-03-29 12:00:00", prec: PrecisionSecond, mode: fs.ModeDir | 0o755},
	{line: "type=cdir;sizd=4096;modify=20240329120000;UNIX.mode=0755;UNIX.uid=1000;UNIX.gid=1000;unique=803g1236; .", none: true},
	{line: "type=pdir;sizd=4096;modify=20240329120000;UNIX.mode=0755;UNIX.uid=1000;UNIX.gid=1000;unique=803g1237; ..", none: true},
	{line: "type=cdir;modify=20240329120000; /home/user", none: true},
	{line: "modify=20240329120000.123;perm=adfr;size=123;type=file;unique=FD00U1234;UNIX.group=1000;UNIX.groupname=users;UNIX.mode=0644;UNIX.owner=1000;UNIX.ownername=joe; file.txt", name: "file.txt", size: 123, time: "2024-03-29 12:00:00.123", prec: PrecisionSecond, owner: "joe", group: "users", perm: "adfr"},
	{line: "modify=20240329120000;perm=adfr;size=11;type=OS.unix=slink:/etc/passwd;unique=FD00U1;UNIX.mode=0777; passwd", name: "passwd", typ: Link, size: 11, target: "/etc/passwd", time: "2024-03-29 12:00:00", prec: PrecisionSecond, mode: fs.ModeSymlink | 0o777},
	{line: "type=OS.unix=symlink;size=1; l", name: "l", typ: Link, size: 1},
	// UNIX.slink=<target> (issue 15: a server of another lineage sends the
	// link's target as its own fact, with type=file or type=dir).
	{line: "type=file;size=11;modify=20240329120000;UNIX.mode=0777;UNIX.slink=/etc/passwd; pw", name: "pw", typ: Link, size: 11, target: "/etc/passwd", time: "2024-03-29 12:00:00", prec: PrecisionSecond, mode: fs.ModeSymlink | 0o777},
	{line: "type=dir;modify=20240329120000;unix.slink=public_html; www", name: "www", typ: Link, size: -1, target: "public_html", time: "2024-03-29 12:00:00", prec: PrecisionSecond},
	{line: "type=OS.unix=slink:;UNIX.slink=../t;size=4; l2", name: "l2", typ: Link, size: 4, target: "../t"},
	{line: "Type=file;Modify=20240329120000;Size=5; Spaced  Name", name: "Spaced  Name", size: 5, time: "2024-03-29 12:00:00", prec: PrecisionSecond},
	{line: "TYPE=DIR;MODIFY=20240329120000; UPPER", name: "UPPER", typ: Dir, size: -1, time: "2024-03-29 12:00:00", prec: PrecisionSecond},
	{line: "type=file;size=1;  two leading spaces", name: " two leading spaces", size: 1},
	{line: "type=file;size=1; name; with; semis", name: "name; with; semis", size: 1},
	{line: "type=file;size=1; ;starts with semicolon", name: ";starts with semicolon", size: 1},
	{line: "type=file;size=1; trailing  ", name: "trailing  ", size: 1},
	{line: "type=file;size=6000000000;modify=20240329120000; big", name: "big", size: 6000000000, time: "2024-03-29 12:00:00", prec: PrecisionSecond},
	{line: " name without facts", name: "name without facts", size: -1},
	{line: "type=file;size=1;UNIX.mode=4755; suid", name: "suid", size: 1, mode: fs.ModeSetuid | 0o755},
	{line: "type=file;size=x;modify=garbage; bad values", name: "bad values", size: -1},
	{line: "not a fact line", name: "line", size: -1, unparsed: true},
	{line: "type=file;size=1;", name: "type=file;size=1;", size: -1, unparsed: true},
}

func TestCorpus(t *testing.T) {
	for _, g := range corpus {
		t.Run(g.server, func(t *testing.T) {
			for _, w := range g.lines {
				t.Run(w.line, func(t *testing.T) {
					es, unparsed, err := ParseList(strings.NewReader(w.line+"\r\n"), Options{System: g.syst, Now: corpusNow})
					check(t, w, es, unparsed, err)
				})
			}
		})
	}
	t.Run("mlsd", func(t *testing.T) {
		for _, w := range mlsdCorpus {
			t.Run(w.line, func(t *testing.T) {
				es, unparsed, err := ParseMLSD(strings.NewReader(w.line + "\r\n"))
				check(t, w, es, unparsed, err)
			})
		}
	})
}

func check(t *testing.T, w want, es []Entry, unparsed int, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if w.none {
		if len(es) != 0 {
			t.Fatalf("got %d entries %+v, want none", len(es), es)
		}
		return
	}
	if len(es) != 1 {
		t.Fatalf("got %d entries %+v, want 1", len(es), es)
	}
	e := es[0]
	if wantU := map[bool]int{true: 1}[w.unparsed]; unparsed != wantU || e.Unparsed != w.unparsed {
		t.Errorf("unparsed = %d/%v, want %v", unparsed, e.Unparsed, w.unparsed)
	}
	if e.Raw != w.line {
		t.Errorf("Raw = %q, want the line", e.Raw)
	}
	if e.Name != w.name {
		t.Errorf("Name = %q, want %q", e.Name, w.name)
	}
	if e.Type != w.typ {
		t.Errorf("Type = %v, want %v", e.Type, w.typ)
	}
	if e.Size != w.size {
		t.Errorf("Size = %d, want %d", e.Size, w.size)
	}
	var wt time.Time
	if w.time != "" {
		var perr error
		if wt, perr = time.Parse("2006-01-02 15:04:05.999999999", w.time); perr != nil {
			t.Fatal(perr)
		}
	}
	if !e.ModTime.Equal(wt) || e.Precision != w.prec || (!e.ModTime.IsZero() && e.ModTime.Location() != time.UTC) {
		t.Errorf("ModTime = %v (%v), want %v (%v)", e.ModTime, e.Precision, wt, w.prec)
	}
	for _, f := range []struct{ field, got, want string }{
		{"Target", e.Target, w.target}, {"Owner", e.Owner, w.owner}, {"Group", e.Group, w.group}, {"Perm", e.Perm, w.perm},
	} {
		if f.want != "" && f.got != f.want {
			t.Errorf("%s = %q, want %q", f.field, f.got, f.want)
		}
	}
	if w.target == "" && e.Target != "" {
		t.Errorf("Target = %q, want none", e.Target)
	}
	if w.mode != 0 && e.Mode != w.mode {
		t.Errorf("Mode = %v, want %v", e.Mode, w.mode)
	}
}
