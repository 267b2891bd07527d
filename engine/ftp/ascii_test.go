package ftp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/skiff-ftp/skiff/engine"
)

// TestFromNetASCII: CRLF becomes LF whatever the write boundaries; a lone
// CR is data.
func TestFromNetASCII(t *testing.T) {
	if localCRLF {
		t.Skip("Windows keeps CRLF")
	}
	for in, want := range map[string]string{
		"a\r\nb\r\n":   "a\nb\n",
		"a\rb\r\n\r\n": "a\rb\n\n",
		"end\r":        "end\r",
		"\r\r\n":       "\r\n",
		"no newline":   "no newline",
	} {
		for size := 1; size <= len(in); size++ {
			var out bytes.Buffer
			a := newFromNetASCII(&out).(*fromNetASCII)
			for p := in; p != ""; {
				k := min(size, len(p))
				if n, err := a.Write([]byte(p[:k])); n != k || err != nil {
					t.Fatalf("Write: %d %v", n, err)
				}
				p = p[k:]
			}
			a.flush()
			if out.String() != want {
				t.Fatalf("%q in writes of %d: %q, want %q", in, size, out.String(), want)
			}
		}
	}
}

// TestToNetASCII: a bare LF gets its CR; CRLF stays.
func TestToNetASCII(t *testing.T) {
	for in, want := range map[string]string{
		"a\nb\n":     "a\r\nb\r\n",
		"a\r\nb\n":   "a\r\nb\r\n",
		"\n\n":       "\r\n\r\n",
		"x\r":        "x\r",
		"no newline": "no newline",
	} {
		got, err := io.ReadAll(newToNetASCII(iotest.OneByteReader(strings.NewReader(in))))
		if err != nil || string(got) != want {
			t.Fatalf("%q: %q %v, want %q", in, got, err, want)
		}
	}
}

// TestASCIITransfers: SetASCII sends TYPE A before the transfer and TYPE I
// after it is turned off; ASCII transfers convert line ends and refuse
// to resume (ErrNoRestart, which callers answer by starting over).
func TestASCIITransfers(t *testing.T) {
	s := newFakeServer(t, "SIZE", "REST STREAM")
	s.put("/f.txt", []byte("a\r\nb\r\n"))
	c := dialFake(t, s, nil)
	ctx := context.Background()
	c.SetASCII(true)
	if got := retrieveString(t, c, "/f.txt", 0); got != "a\nb\n" && !localCRLF {
		t.Fatalf("ASCII download: %q", got)
	}
	if _, err := c.Store(ctx, "/up.txt", 0, strings.NewReader("x\ny\r\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.get("/up.txt"); string(b) != "x\r\ny\r\n" {
		t.Fatalf("ASCII upload sent %q", b)
	}
	if _, err := c.Retrieve(ctx, "/f.txt", 2, io.Discard); !errors.Is(err, engine.ErrNoRestart) {
		t.Fatalf("ASCII resume of a download: %v", err)
	}
	if _, err := c.Store(ctx, "/up.txt", 2, strings.NewReader("z")); !errors.Is(err, engine.ErrNoRestart) {
		t.Fatalf("ASCII resume of an upload: %v", err)
	}
	if c.mem.Has(engine.NoRestart) {
		t.Fatal("an ASCII resume taught the site that REST is refused")
	}
	c.SetASCII(false)
	if got := retrieveString(t, c, "/f.txt", 0); got != "a\r\nb\r\n" {
		t.Fatalf("binary download: %q", got)
	}
	var types []string
	for _, l := range s.commands() {
		if strings.HasPrefix(l, "TYPE") {
			types = append(types, l)
		}
	}
	if strings.Join(types, ",") != "TYPE I,TYPE A,TYPE I" {
		t.Fatalf("TYPE commands %q", types)
	}
}
