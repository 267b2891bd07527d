package listing

import "strings"

// This file splits a listing line into its leading fields without
// allocating: every format parser works on byte offsets into the line, so
// names keep their exact spacing.

// maxTokens is how many leading fields of a line are split; the name is taken
// from the line itself, so only the fields before it count.
const maxTokens = 16

// span is a field of a line: line[s:e].
type span struct{ s, e int }

// fields holds the leading whitespace-separated fields of one line without
// allocating.
type fields struct {
	line string
	n    int
	t    [maxTokens]span
}

func (f *fields) split(line string) {
	f.line, f.n = line, 0
	i := 0
	for f.n < maxTokens {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i == len(line) {
			return
		}
		s := i
		for i < len(line) && line[i] != ' ' && line[i] != '\t' {
			i++
		}
		f.t[f.n] = span{s, i}
		f.n++
	}
}

// at returns field i, or "" past the end.
func (f *fields) at(i int) string {
	if i < 0 || i >= f.n {
		return ""
	}
	return f.line[f.t[i].s:f.t[i].e]
}

// join returns the text from the start of field i to the end of field j.
func (f *fields) join(i, j int) string { return f.line[f.t[i].s:f.t[j].e] }

// after returns the text after field i and the single separator that follows
// it; ok is false when nothing follows.
func (f *fields) after(i int) (string, bool) {
	end := f.t[i].e + 1
	if end >= len(f.line) {
		return "", false
	}
	return f.line[end:], true
}

// afterTrim returns the text after field i without its leading white space.
func (f *fields) afterTrim(i int) (string, bool) {
	s := strings.TrimLeft(f.line[f.t[i].e:], " \t")
	return s, s != ""
}
