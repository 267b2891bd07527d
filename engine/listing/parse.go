package listing

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"
)

// Options are the inputs a listing needs besides its text.
type Options struct {
	System   string         // the SYST reply text, e.g. "UNIX Type: L8"; "" when unknown
	TZOffset time.Duration  // the site's server time-zone offset (added to LIST times to get UTC)
	Location *time.Location // server time zone for LIST dates; nil means UTC shifted by TZOffset
	Now      time.Time      // "now" for year inference; zero means time.Now()
}

// ParseList parses a LIST reply. It returns every line as an entry (unparsed
// ones marked) except "total N" headers and "." / ".." entries, and the count
// of unparsed lines.
//
// MINIMAL PLACEHOLDER: understands the common Unix form only. The listing work
// replaces it with the full multi-format parser behind the same signature.
func ParseList(r io.Reader, o Options) (entries []Entry, unparsed int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "total ") {
			continue
		}
		e, ok := parseUnix(line)
		if !ok {
			e = Entry{Name: strings.TrimSpace(line), Size: -1, Raw: line, Unparsed: true}
			unparsed++
		}
		if e.Name == "." || e.Name == ".." {
			continue
		}
		entries = append(entries, e)
	}
	return entries, unparsed, sc.Err()
}

func parseUnix(line string) (Entry, bool) {
	f := strings.Fields(line)
	if len(f) < 9 || len(f[0]) < 10 {
		return Entry{}, false
	}
	e := Entry{Raw: line, Perm: f[0][1:10], Owner: f[2], Group: f[3], Size: -1}
	switch f[0][0] {
	case 'd':
		e.Type = Dir
	case 'l':
		e.Type = Link
	}
	if n, err := strconv.ParseInt(f[4], 10, 64); err == nil {
		e.Size = n
	}
	// name starts after the 8th field
	rest := line
	for i := 0; i < 8; i++ {
		rest = strings.TrimLeft(rest, " ")
		j := strings.IndexByte(rest, ' ')
		if j < 0 {
			return Entry{}, false
		}
		rest = rest[j:]
	}
	name := strings.TrimPrefix(rest, " ")
	if e.Type == Link {
		if i := strings.Index(name, " -> "); i >= 0 {
			e.Target = name[i+4:]
			name = name[:i]
		}
	}
	e.Name = name
	return e, name != ""
}

// ParseMLSD parses an MLSD reply (RFC 3659 facts). cdir and pdir entries are
// left out.
func ParseMLSD(r io.Reader) (entries []Entry, unparsed int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			continue
		}
		e, err := ParseMLST(line)
		if err != nil {
			e = Entry{Name: strings.TrimSpace(line), Size: -1, Raw: line, Unparsed: true}
			unparsed++
		}
		if e.Name == "." || e.Name == ".." || e.Name == "" {
			continue
		}
		entries = append(entries, e)
	}
	return entries, unparsed, sc.Err()
}

// ErrNotFacts is returned by ParseMLST for a line that is not "facts; name".
var ErrNotFacts = errorString("listing: not an MLSx fact line")

type errorString string

func (e errorString) Error() string { return string(e) }

// ParseMLST parses one MLST/MLSD line: "fact=value;fact=value; name".
// For type=cdir/pdir it returns an entry with Name "." or "..".
func ParseMLST(line string) (Entry, error) {
	sp := strings.Index(line, "; ")
	if sp < 0 {
		if strings.HasPrefix(line, " ") {
			return Entry{Name: line[1:], Size: -1, Raw: line}, nil
		}
		return Entry{}, ErrNotFacts
	}
	e := Entry{Name: line[sp+2:], Size: -1, Raw: line}
	for _, fact := range strings.Split(line[:sp], ";") {
		k, v, _ := strings.Cut(fact, "=")
		switch strings.ToLower(k) {
		case "type":
			switch strings.ToLower(v) {
			case "dir":
				e.Type = Dir
			case "cdir":
				e.Name = "."
			case "pdir":
				e.Name = ".."
			case "os.unix=slink", "os.unix=symlink":
				e.Type = Link
			}
		case "size", "sizd":
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				e.Size = n
			}
		case "modify":
			if t, err := time.Parse("20060102150405", v[:min(len(v), 14)]); err == nil {
				e.ModTime, e.Precision = t, PrecisionSecond
			}
		case "perm":
			e.Perm = v
		case "unix.owner":
			e.Owner = v
		case "unix.group":
			e.Group = v
		}
	}
	return e, nil
}
