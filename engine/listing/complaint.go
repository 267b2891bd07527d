package listing

import "strings"

// Complaint is what an error message in a listing says. Servers that run
// /bin/ls for LIST (and some that do not) put its error output on the data
// connection and answer 226: "ls: cannot access 'x': No such file or
// directory" arrives where entries were expected.
type Complaint uint8

const (
	NoComplaint         Complaint = iota // the line is not an error message
	ComplaintNotFound                    // "No such file or directory", "cannot access"
	ComplaintPermission                  // "Permission denied"
)

// ParseComplaint reports whether a listing line is an error message rather
// than an entry, and which. It recognises ls's own messages ("ls: ...",
// "/bin/ls: ..."), and a line that is, or ends in, "No such file or
// directory" or "Permission denied" without looking like an entry of any
// listing format: no Unix mode in front, no MLSx facts, no DOS date.
func ParseComplaint(line string) Complaint {
	l := strings.TrimSpace(line)
	ls := strings.HasPrefix(l, "ls: ") || strings.HasPrefix(l, "dir: ") ||
		strings.HasPrefix(l, "/") && strings.Contains(l, "/ls: ") && !strings.Contains(l[:strings.Index(l, "/ls: ")], " ")
	denied := hasMessage(l, "permission denied")
	missing := hasMessage(l, "no such file or directory")
	switch {
	case !ls && !denied && !missing:
		return NoComplaint
	case !ls && looksLikeEntry(l):
		return NoComplaint
	case denied:
		return ComplaintPermission
	}
	return ComplaintNotFound
}

// hasMessage reports whether the line is msg, or ends in ": " + msg, in
// any case. ASCII case folding in place: lower-casing a copy would cost
// every listing line (they nearly all have capitals) an allocation.
func hasMessage(l, msg string) bool {
	n := len(l) - len(msg)
	return n >= 0 && foldEq(l[n:], msg) && (n == 0 || strings.HasSuffix(l[:n], ": "))
}

// looksLikeEntry reports whether a line starts as an entry does: a Unix
// mode ("-rw-r--r--"), MLSx facts ("type=file;"), EPLF ("+"), or a digit
// (DOS and many others start with a date or a size).
func looksLikeEntry(l string) bool {
	first, _, _ := strings.Cut(l, " ")
	switch {
	case l == "":
		return false
	case strings.Contains(first, "="), l[0] == '+', '0' <= l[0] && l[0] <= '9':
		return true
	case len(first) >= 10 && strings.IndexByte("-dlbcpsDw", first[0]) >= 0 && strings.Trim(first[1:10], "rwxsStTlL-") == "":
		return true
	}
	return false
}
