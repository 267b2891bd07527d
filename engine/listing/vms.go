package listing

import "strings"

// This file parses OpenVMS DIRECTORY/FULL-style listings (MultiNet, TCPware,
// the HP TCP/IP Services FTP server):
//
//	CII-MANUAL.TEX;1  213/216  29-JAN-1996 03:33:12  [ANONYMOU,ANONYMOUS]   (RWED,RWED,,)
//	SUBDIR.DIR;1          1/3      29-MAR-2024 12:00:00.12  [SYSTEM]  (RWE,RWE,RE,RE)
//	A_VERY_LONG_FILE_NAME_THAT_DOES_NOT_FIT.TXT;12
//	                      2/3      29-MAR-2024 12:00:00  [GROUP,OWNER]  (RWED,RWED,RE,)
//
// A name too long for its column ends the line and the rest of the record
// follows on the next one; Parser joins the two. Sizes are in 512-byte
// blocks (used/allocated). A directory "NAME.DIR;1" is listed as "NAME", so
// that changing into it works; files keep their ";version", which names that
// exact version on the server.

// vmsBlock is the size of a VMS disk block in bytes.
const vmsBlock = 512

// vmsName splits "NAME.EXT;12" and reports whether t is one.
func vmsName(t string) (name string, ok bool) {
	i := strings.LastIndexByte(t, ';')
	if i <= 0 || !isDigits(t[i+1:]) || strings.ContainsAny(t[:i], ";/\\") {
		return "", false
	}
	return t, true
}

// isContinuation reports whether line can be the second half of a split VMS
// record: it starts, indented or not, with the size, the date or the owner.
// (FileZilla joins any line that follows a lone name; the joined record must
// still parse, so a line that only looks like a continuation stays its own.)
func isContinuation(line string) bool {
	t := strings.TrimLeft(line, " \t")
	return t != "" && (t[0]-'0' <= 9 || t[0] == '[')
}

// parseVMS parses one VMS record: name, then size, date and time, owner and
// protection. Servers vary the order: the owner may come before the size,
// the size after the date, and the time may be missing.
func parseVMS(p *Parser, line string, e *Entry) result {
	if line == "" || line[0] == ' ' || line[0] == '\t' {
		return failed
	}
	var f fields
	f.split(line)
	name, ok := vmsName(f.at(0))
	if !ok {
		return failed
	}
	e.Size, e.Raw = -1, line
	setVMSName(e, name)
	if f.n == 1 {
		if p.last != fmtNone && p.last != fmtVMS && p.sys != sysVMS {
			// A lone "NAME;1" outside a VMS listing is a name, not half a record.
			return failed
		}
		return waiting
	}
	i := 1
	if t := f.at(i); t[0] == '[' {
		i = vmsOwner(&f, i, e) + 1 // "[SYSTEM] 12/16 29-MAR-2024"
	}
	gotSize := vmsSize(f.at(i), e)
	if gotSize {
		i++
	}
	if y, m, d, ok := vmsDate(f.at(i)); ok {
		c, ok := parseClock(f.at(i + 1))
		if ok {
			e.ModTime, e.Precision = p.zone.utc(y, m, d, c), c.prec
			i += 2
		} else {
			e.ModTime, e.Precision = p.zone.utc(y, m, d, clock{}), PrecisionDay
			i++
		}
	} else if f.at(i) != "" && f.at(i)[0] != '%' {
		// "%RMS-E-PRV, insufficient privilege" stands in for the attributes.
		return failed
	}
	if !gotSize && vmsSize(f.at(i), e) {
		i++ // "29-MAR-2024 12:00:00 12/16": the size after the date
	}
	for ; i < f.n; i++ {
		t := f.at(i)
		switch {
		case t[0] == '[':
			i = vmsOwner(&f, i, e)
		case t[0] == '(':
			e.Perm = t
		}
	}
	return matched
}

// vmsOwner reads "[GROUP,OWNER]" starting at field i, which may contain a
// space ("[GROUP, OWNER]"), and returns the index of its last field.
func vmsOwner(f *fields, i int, e *Entry) int {
	j := i
	for j < f.n-1 && !strings.HasSuffix(f.at(j), "]") {
		j++
	}
	o := strings.Trim(f.join(i, j), "[]")
	if g, u, ok := strings.Cut(o, ","); ok {
		e.Group, e.Owner = strings.TrimSpace(g), strings.TrimSpace(u)
	} else {
		e.Owner = o
	}
	return j
}

// vmsSize reads a size in blocks, "used/allocated" or "used", or with a
// unit ("12KB"), into e.
func vmsSize(t string, e *Entry) bool {
	if t == "" || t[0]-'0' > 9 || strings.Contains(t, "-") {
		return false
	}
	used, _, _ := strings.Cut(t, "/")
	if n, ok := parseSize(used); ok && isDigits(used) {
		e.Size = n * vmsBlock
		return true
	}
	if n, ok := vmsSizeUnit(used); ok {
		e.Size = n
		return true
	}
	return false
}

// vmsSizeUnit parses sizes some servers print with a unit: "12KB", "3MB".
func vmsSizeUnit(t string) (int64, bool) {
	n, rest, ok := leadingInt(t, 12)
	if !ok {
		return 0, false
	}
	switch strings.ToUpper(rest) {
	case "B":
		return int64(n), true
	case "KB":
		return int64(n) << 10, true
	case "MB":
		return int64(n) << 20, true
	case "GB":
		return int64(n) << 30, true
	}
	return 0, false
}

// setVMSName stores a VMS file name, turning "NAME.DIR;1" into directory NAME.
func setVMSName(e *Entry, name string) {
	base := name[:strings.LastIndexByte(name, ';')]
	if len(base) > 4 && strings.EqualFold(base[len(base)-4:], ".DIR") {
		e.Type, e.Name = Dir, base[:len(base)-4]
		return
	}
	e.Name = name
}

// vmsDate parses "29-JAN-1996" (also with a two-digit year).
func vmsDate(t string) (y, m, d int, ok bool) {
	ds, rest, ok := strings.Cut(t, "-")
	if !ok {
		return 0, 0, 0, false
	}
	ms, ys, ok := strings.Cut(rest, "-")
	if !ok || len(ms) < 3 || ms[0]-'0' <= 9 {
		// Any month name FileZilla knows: "SEPT", "JUNI", "MRZ" appear too.
		return 0, 0, 0, false
	}
	d, ok1 := atoi(ds, 2)
	y, ok2 := atoi(ys, 4)
	if !ok1 || !ok2 || (len(ys) != 4 && len(ys) != 2) {
		return 0, 0, 0, false
	}
	y = fullYear(y, len(ys))
	m = month(ms)
	return y, m, d, validDate(y, m, d)
}
