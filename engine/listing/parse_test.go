package listing

import (
	"errors"
	"go/parser"
	"go/token"
	"io"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

func names(es []Entry) []string {
	var n []string
	for _, e := range es {
		s := e.Name
		if e.Unparsed {
			s = "?" + s
		}
		n = append(n, s)
	}
	return n
}

func TestNoLineIsLost(t *testing.T) {
	in := "total 3\r\n" +
		"-rw-r--r-- 1 u g 1 Mar 29 12:00 a\r\n" +
		"this line means nothing to anyone\r\n" +
		"03-29-24  12:00PM                 1 b\r\n" +
		"\r\n" +
		"-rw-r--r-- 1 u g 1 Mar 29 12:00 c\r\n" +
		"d\r\n" +
		"-rw-r--r-- 1 u g ? Mar 29 12:00 e\r\n" +
		// A date no parser reads: not a dateless line with the date in its name.
		"-rw-r--r-- 1 u g 123 Xyz 29 12:00 f\r\n" +
		"-rw-r--r-- 1 u g 123 Xyz 29  2023 g\r\n" +
		// A VMS name whose next line is no continuation: both stay.
		"LONE.TXT;1\r\n" +
		"12 is not the rest of a record h"
	for _, syst := range []string{"", "VMS V7.3"} {
		es, unparsed, err := ParseList(strings.NewReader(in), Options{System: syst, Now: corpusNow})
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(names(es), ",")
		if want := "a,?anyone,b,c,d,?e,?f,?g,LONE.TXT;1,?h"; got != want || unparsed != 5 {
			t.Errorf("SYST %q: got %s with %d unparsed, want %s with 5", syst, got, unparsed, want)
		}
	}
}

func TestVMSContinuation(t *testing.T) {
	tests := []struct {
		name, in, want string
		syst           string
	}{
		{"split record first, no SYST",
			"LONG_NAME.TXT;1\n      2/3  29-MAR-2024 12:00:00  [G,O]  (RWED,,,)\nB.TXT;1  1/3  29-MAR-2024 12:00:00  [G,O]  (RWED,,,)\n",
			"LONG_NAME.TXT;1,B.TXT;1", ""},
		{"name line followed by a full record",
			"A.TXT;1  1/3  29-MAR-2024 12:00:00  [G,O]  (RWED,,,)\nLONE.TXT;1\nB.TXT;1  1/3  29-MAR-2024 12:00:00  [G,O]  (RWED,,,)\n",
			"A.TXT;1,LONE.TXT;1,B.TXT;1", ""},
		{"name line at the end",
			"A.TXT;1  1/3  29-MAR-2024 12:00:00  [G,O]  (RWED,,,)\nLAST.DIR;1\n",
			"A.TXT;1,LAST", "VMS V7.3"},
		{"name line followed by garbage",
			"NAME.TXT;1\n   not a continuation\n",
			"NAME.TXT;1,?continuation", "VMS"},
		{"CR LF", "LONG.TXT;1\r\n      2/3  29-MAR-2024 12:00:00  [G,O]  (RWED,,,)\r\n", "LONG.TXT;1", "VMS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, _, err := ParseList(strings.NewReader(tt.in), Options{System: tt.syst, Now: corpusNow})
			if got := strings.Join(names(es), ","); err != nil || got != tt.want {
				t.Errorf("got %s (%v), want %s", got, err, tt.want)
			}
		})
	}
	es, _, _ := ParseList(strings.NewReader("LONG.TXT;1\r\n      2/3  29-MAR-2024 12:00:00  [G,O]  (RWED,,,)\r\n"), Options{})
	if len(es) != 1 || es[0].Raw != "LONG.TXT;1\n      2/3  29-MAR-2024 12:00:00  [G,O]  (RWED,,,)" || es[0].Size != 1024 {
		t.Errorf("joined record = %+v", es)
	}
}

// TestParserStreams checks that feeding lines to a Parser gives what
// ParseList gives.
func TestParserStreams(t *testing.T) {
	var in strings.Builder
	for _, g := range corpus {
		for _, w := range g.lines {
			if g.syst == "" || strings.HasPrefix(g.syst, "UNIX") {
				in.WriteString(w.line + "\n")
			}
		}
	}
	want, _, _ := ParseList(strings.NewReader(in.String()), Options{Now: corpusNow})
	p := NewParser(Options{Now: corpusNow})
	var got []Entry
	for _, line := range strings.Split(in.String(), "\n") {
		got = p.Append(got, line)
	}
	got = p.Flush(got)
	if len(got) != len(want) {
		t.Fatalf("streamed %d entries, ParseList %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("entry %d: streamed %+v, ParseList %+v", i, got[i], want[i])
		}
	}
}

func TestLearnsFormat(t *testing.T) {
	// The Parser tries the format of the previous line first, and still reads
	// a line of another format when that fails.
	p := NewParser(Options{Now: corpusNow})
	es := p.Append(nil, "03-29-24  12:00PM                 1 a")
	if p.last != fmtDOS || len(es) != 1 {
		t.Fatalf("after an IIS line, last = %v", p.last)
	}
	es = p.Append(es, "-rw-r--r-- 1 u g 1 Mar 29 12:00 b")
	if p.last != fmtUnix || len(es) != 2 || es[1].Name != "b" {
		t.Errorf("a Unix line after IIS: last = %v, entries %v", p.last, names(es))
	}
}

func TestMLST(t *testing.T) {
	tests := []struct{ line, name string }{
		{" type=file;size=1;modify=20240329120000; /pub/file.txt", "/pub/file.txt"},
		{"type=file;size=1; /pub/file.txt", "/pub/file.txt"},
		{" /pub/no facts", "/pub/no facts"},
		{"type=cdir;modify=20240329120000; /pub", "."},
	}
	for _, tt := range tests {
		e, err := ParseMLST(tt.line)
		if err != nil || e.Name != tt.name || e.Raw != tt.line {
			t.Errorf("ParseMLST(%q) = %+v, %v; want name %q", tt.line, e, err, tt.name)
		}
	}
	if _, err := ParseMLST("garbage"); !errors.Is(err, ErrNotFacts) {
		t.Errorf("ParseMLST(garbage) error = %v, want ErrNotFacts", err)
	}
}

func TestNLST(t *testing.T) {
	es, err := ParseNLST(strings.NewReader("a\r\nb c\r\n\r\n dir/d \n"))
	if got := strings.Join(names(es), "|"); err != nil || got != "a|b c| dir/d " {
		t.Errorf("ParseNLST = %q, %v", got, err)
	}
}

type failingReader struct{ r io.Reader }

var errBroken = errors.New("connection reset")

func (f failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errBroken
	}
	return n, err
}

func TestReadErrorKeepsEntries(t *testing.T) {
	in := "-rw-r--r-- 1 u g 1 Mar 29 12:00 a\n-rw-r--r-- 1 u g 1 Mar 29 12:00 b\n"
	es, _, err := ParseList(failingReader{strings.NewReader(in)}, Options{Now: corpusNow})
	if !errors.Is(err, errBroken) || len(es) != 2 {
		t.Errorf("got %d entries, %v; want 2 and the read error", len(es), err)
	}
	ms, _, err := ParseMLSD(failingReader{strings.NewReader("type=file; a\n")})
	if !errors.Is(err, errBroken) || len(ms) != 1 {
		t.Errorf("MLSD: got %d entries, %v; want 1 and the read error", len(ms), err)
	}
}

// TestImportsOnlyStandardLibrary enforces the package contract: it imports
// nothing of Skiff's and no third-party module.
func TestImportsOnlyStandardLibrary(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if name == "wine_windows_test.go" {
			continue // the test binary's Wine shim (internal/winetest), not the package
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if f.Name.Name == "listing_test" && strings.HasSuffix(path, "/engine/listing") {
				continue // examples import the package they show
			}
			if strings.HasSuffix(name, "_test.go") && strings.HasPrefix(path, "golang.org/x/text/") {
				continue // tests encode East-Asian dates in legacy charsets with it
			}
			if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}

// hidden hides a reader's Len, so ParseList reads it block by block as it
// reads a data connection.
type hidden struct{ r io.Reader }

func (h hidden) Read(p []byte) (int, error) { return h.r.Read(p) }

// TestBlocks checks that lines crossing the block boundaries of a streamed
// listing parse as they do from memory.
func TestBlocks(t *testing.T) {
	text, mlsd := genListings(60_000) // 4 and 7 blocks
	o := Options{Now: corpusNow}
	want, wu, _ := ParseList(strings.NewReader(text), o)
	got, gu, err := ParseList(hidden{iotest.HalfReader(strings.NewReader(text))}, o)
	if err != nil || gu != wu || !slices.Equal(got, want) {
		t.Errorf("streamed LIST: %d entries (%d unparsed, %v), from memory %d (%d)", len(got), gu, err, len(want), wu)
	}
	wantM, wu, _ := ParseMLSD(strings.NewReader(mlsd))
	gotM, gu, err := ParseMLSD(hidden{iotest.HalfReader(strings.NewReader(mlsd))})
	if err != nil || gu != wu || !slices.Equal(gotM, wantM) {
		t.Errorf("streamed MLSD: %d entries (%d unparsed, %v), from memory %d (%d)", len(gotM), gu, err, len(wantM), wu)
	}
}

func TestLineLongerThanABlock(t *testing.T) {
	name := strings.Repeat("n", 3*blockBytes)
	es, _, err := ParseList(hidden{strings.NewReader("-rw-r--r-- 1 u g 1 Mar 29 12:00 " + name + "\r\nx\r\n")}, Options{Now: corpusNow})
	if err != nil || len(es) != 2 || es[0].Name != name || es[1].Name != "x" {
		t.Errorf("got %d entries, %v", len(es), err)
	}
}

func TestTooLarge(t *testing.T) {
	defer func(m int) { maxListing = m }(maxListing)
	maxListing = 1000
	in := strings.Repeat("-rw-r--r-- 1 u g 1 Mar 29 12:00 file\n", 100)
	for _, r := range []io.Reader{strings.NewReader(in), hidden{strings.NewReader(in)}} {
		es, _, err := ParseList(r, Options{Now: corpusNow})
		if !errors.Is(err, ErrTooLarge) || len(es) == 0 || len(es)*37 > maxListing+37 {
			t.Errorf("%T: %d entries, %v; want the entries below the limit and ErrTooLarge", r, len(es), err)
		}
	}
}

// TestBlankLinesReserveLittle: a reply of nothing but line feeds must not
// reserve an entry (~150 bytes) per byte.
func TestBlankLinesReserveLittle(t *testing.T) {
	in := strings.Repeat("\n", 8<<20)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	es, _, _ := ParseList(strings.NewReader(in), Options{})
	runtime.ReadMemStats(&after)
	// Reading and splitting cost ~3.5x the input (~6x under -race); the
	// regression this catches reserves an entry per byte, ~150x.
	n := after.TotalAlloc - before.TotalAlloc
	if len(es) != 0 || n > 8*uint64(len(in)) {
		t.Errorf("%d entries, %d bytes allocated for %d bytes of blank lines", len(es), n, len(in))
	}
}
