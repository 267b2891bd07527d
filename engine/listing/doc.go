// Package listing turns an FTP server's directory listing into entries.
//
// It reads MLSD/MLST facts (RFC 3659) and the LIST formats servers actually
// send:
//
//   - Unix ls -l and its imitators (vsftpd, pure-ftpd, ProFTPD, goftp with
//     Go's mode letters, BusyBox, Cygwin, NetPresenz, VShell): with or without
//     group or link count, numeric ids, a leading block count, devices
//     ("major, minor"), ACL/xattr markers (+ @ .), symlinks "name -> target",
//     names with leading and trailing spaces; dates "Mar 29 12:00",
//     "Mar 29  2024", "29 Mar", ls -T, --time-style iso/long-iso/full-iso,
//     "2024/03/29", month names in the common European languages and
//     East-Asian dates ("3月 29日", "2024年3月29日", Korean); sizes of any int64.
//   - Windows/IIS/DOS ("03-29-24  12:00PM  <DIR>  name", 4-digit years,
//     24-hour clocks, thousands separators, junctions), OS/2, EPLF, OpenVMS
//     (including records split over two lines), IBM MVS/z/OS datasets and PDS
//     members, z/VM, IBM i (AS/400), NetWare, VxWorks, HP NonStop, and bare
//     names (NLST-style output).
//
// # Contract
//
// The functions are pure: the inputs are the listing text, the server's
// system type (the SYST reply), the site's time-zone setting and "now", all in
// Options, so tests pin every one of them. ParseList, ParseMLSD, ParseNLST
// and ParseMLST are safe for concurrent use; a Parser is not.
//
// Never a lost line: a line no parser understands becomes an Entry with
// Unparsed set, a best-effort Name (its last field) and the Raw line, and is
// counted in the unparsed result so the caller can log it. Only blank lines,
// "total N" (in its languages), the column headers and footers of MVS, VMS,
// VxWorks and NonStop listings, and "." and ".." produce no entry. MLSD
// cdir/pdir entries are left out. An error message a server wrote into the
// listing ("ls: cannot access 'x': No such file or directory") is still an
// unparsed entry to these parsers; ParseComplaint tells the caller it is
// an error to report instead.
//
// Format detection: the SYST reply decides which formats are tried first
// (MVS, VMS, OS/400, VM); after that each line is read by the format that
// read the previous line, else by the first format that accepts it. Mixed
// listings therefore work.
//
// Times: every ModTime is UTC. LIST times are the server's wall clock,
// converted as Options describes; a year-less date gets the most recent year
// in which it is not more than a day in the future of "now" on the server's
// clock (29 February: the most recent such leap year). MLSD/MLST times are UTC
// already. Precision says whether the server gave a day, a minute or a second.
//
// Memory: entries' strings are slices of a few large blocks of the listing
// (ParseList allocates per block, not per line), so keeping any entry keeps
// its block alive; clone Name if you keep a few entries of a huge listing.
// A listing longer than MaxListingBytes is cut there with ErrTooLarge.
//
// Errors: a read error is returned together with the entries read before
// it. Parsing itself never fails.
//
// The package imports only the standard library and nothing of Skiff's.
package listing
