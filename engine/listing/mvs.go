package listing

import "strings"

// This file parses IBM MVS / z/OS listings (SYST: "MVS is the operating
// system of this server. FTP Server is running on z/OS."). A LIST of a
// high-level qualifier shows datasets; a LIST inside a partitioned dataset
// (PDS) shows its members:
//
//	Volume Unit    Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname
//	WYOSPT 3420   2003/03/10  1   15  FB      80  3120  PS  'ALOUS.PDS'
//	B10142 3390   2024/03/29  1    1  FB     128 27904  PO  TEST.PDS
//	Migrated                                                OLD.DATA
//	Pseudo Directory                                        JOB
//
//	 Name     VV.MM   Created       Changed      Size  Init   Mod   Id
//	MEMBER1   01.01 2002/09/04 2024/03/29 11:15    14    14     0 USERID
//
// A PDS (Dsorg PO) is a directory. Dataset sizes are in tracks and member
// sizes in records, neither in bytes, so Size is unknown (-1). The column
// headers are skipped; members of load libraries and members without
// statistics are listed by name only.

// parseMVSDataset parses one dataset line.
func parseMVSDataset(p *Parser, line string, e *Entry) result {
	var f fields
	f.split(line)
	if f.n < 2 {
		return failed
	}
	last := f.at(f.n - 1)
	if f.n == maxTokens || strings.ContainsAny(last, "/\\") {
		return failed
	}
	name := strings.Trim(last, "'")
	if name == "" {
		return failed
	}
	e.Size, e.Raw = -1, line
	switch {
	case f.n == 2 && strings.EqualFold(f.at(0), "Migrated") && p.sys == sysMVS:
		e.Name = name
		return matched
	case f.n == 3 && strings.EqualFold(f.at(1), "Tape") && p.sys == sysMVS:
		e.Name = name // "V43525 Tape  NAME": a dataset on tape
		return matched
	case f.n == 4 && f.at(2) == "VSAM" && p.sys == sysMVS:
		e.Name = name // "TSO004 3390 VSAM FOO.BAR": a VSAM cluster
		return matched
	case f.n == 3 && f.at(0) == "Pseudo" && f.at(1) == "Directory":
		e.Name, e.Type = name, Dir
		return matched
	case f.n >= 5 && f.at(1) == "Not" && f.at(2) == "Direct" && f.at(3) == "Access":
		e.Name = name // on tape: "ARCIVE Not Direct Access Device  NAME"
		return matched
	case f.n == 3 && f.at(1) == "Error" && p.sys == sysMVS: // "VOLUME Error determining attributes NAME"
		e.Name = name
		return matched
	}
	if f.n < 7 || len(f.at(1)) != 4 || !isDigits(f.at(1)) {
		return failed
	}
	ref := f.at(2)
	if y, m, d, ok := isoDate(ref); ok && y != 0 {
		e.ModTime, e.Precision = p.zone.utc(y, m, d, clock{}), PrecisionDay
	} else if ref != "**NONE**" {
		return failed
	}
	dsorg := f.at(f.n - 2)
	if dsorg == "PO" || dsorg == "PO-E" {
		e.Type = Dir
	}
	e.Name, e.Perm = name, dsorg
	return matched
}

// parseMVSMember parses one PDS member line with ISPF statistics.
func parseMVSMember(p *Parser, line string, e *Entry) result {
	var f fields
	f.split(line)
	if f.n < 6 || line[0] == ' ' {
		return failed
	}
	vv := f.at(1)
	if p.sys == sysMVS && isMemberName(f.at(0)) && len(vv) <= 8 && isHex(vv) && len(f.at(2)) == 6 && isHex(f.at(2)) {
		// A load library: " Name      Size     TTR   Alias-of AC ..." with
		// hex sizes, which FileZilla reads as the member's size.
		e.Name, e.Size, e.Raw = f.at(0), hexSize(vv), line
		return matched
	}
	if len(vv) != 5 || vv[2] != '.' || !isDigits(vv[:2]) || !isDigits(vv[3:]) {
		return failed
	}
	if _, _, _, ok := isoDate(f.at(2)); !ok {
		return failed
	}
	y, m, d, ok := isoDate(f.at(3))
	if !ok || y == 0 {
		return failed
	}
	c, ok := parseClock(f.at(4))
	if !ok {
		return failed
	}
	e.Name, e.Size, e.Raw = f.at(0), -1, line
	e.ModTime, e.Precision = p.zone.utc(y, m, d, c), c.prec
	if f.n >= 9 {
		e.Owner = f.at(8)
	}
	return matched
}

// isMemberName reports whether t is a PDS member name: 1–8 of A–Z, 0–9, @ # $.
func isMemberName(t string) bool {
	if t == "" || len(t) > 8 {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '@' || c == '#' || c == '$') {
			return false
		}
	}
	return true
}

func isHex(t string) bool {
	for i := 0; i < len(t); i++ {
		c := t[i] | 0x20
		if !('0' <= t[i] && t[i] <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return t != ""
}

// hexSize parses a load library member's hexadecimal size (at most 8 digits).
func hexSize(t string) int64 {
	var n int64
	for i := 0; i < len(t); i++ {
		c := t[i] | 0x20
		if c <= '9' {
			n = n*16 + int64(c-'0')
		} else {
			n = n*16 + int64(c-'a'+10)
		}
	}
	return n
}
