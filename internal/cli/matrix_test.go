package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// The interop matrix (issue 15): every real server the harness starts ×
// every cell a user meets — login, ls, ls --json, get/put, get -r/put -r,
// resume after a kill, active, passive, TLS — through the CLI's own command
// lines, the path a user takes. Subtests are named server/cell.
// bench/matrix.sh runs the same cells with the skiff binary and with lftp.
//
// A cell passes when the command exits 0 and the bytes (or names) are what
// the server holds. Where a server itself is broken for a cell, matrixBroken
// says why, and the test asserts that broken behaviour with the server's
// own words as evidence: when the server (or Skiff) changes, the test says
// so instead of passing quietly.

// matrixCellTimeout bounds one command line of a cell: a hang is a failure
// of the cell, not of the whole run.
const matrixCellTimeout = 45 * time.Second

// matrixKinds are the servers of the matrix: the three of the first wave and
// the four of scripts/more-ftp-servers.sh.
var matrixKinds = append(append([]ftptest.Kind{}, ftptest.Kinds...), ftptest.MoreKinds...)

// matrixBroken maps "server/cell" to why the server cannot pass it and the
// text its failure must show (the evidence).
var matrixBroken = map[string]brokenCell{
	// ftp-srv 4.6.3 (src/commands/registration/auth.js) wraps its control
	// socket in TLS only in the write callback of its 234, so a ClientHello
	// that arrives first is parsed as an FTP command and answered in clear
	// text: "502 Command not allowed: \x16\x03\x01…" (TestFtpSrvAuthTLSRace
	// in internal/ftptest shows it with a raw client). Go's TLS client then
	// reads "502 C" as a record header. About half of all logins lose.
	"ftp-srv/tls": {
		why:      "ftp-srv reads a ClientHello that beats its 234 reply as an FTP command and answers 502 in clear text",
		evidence: "first record does not look like a TLS handshake",
		racy:     true,
	},
}

// matrixNoREST are the servers without REST (Twisted: 502 to REST and
// APPE): a resume there starts over, as lftp does, and the resume cells
// check only that the file arrives whole.
var matrixNoREST = map[ftptest.Kind]bool{ftptest.KindTwisted: true}

// brokenCell is a cell a server fails by its own fault.
type brokenCell struct {
	why      string // what the server does wrong
	evidence string // a substring of the command's output that shows it
	// racy: the fault shows only when the server loses a race, so the cell
	// may pass; when it fails, it fails with the evidence and nothing else.
	racy bool
}

// matrixRig is one server with the files every cell reads.
type matrixRig struct {
	s     *ftptest.Server
	blob  []byte            // /m/blob.bin and the resume source
	tree  map[string][]byte // /m/tree/…, relative names
	local string            // a local copy of tree, for put -r
}

// matrixTree is the small tree of get -r and put -r: a space in a folder's
// and a file's name, a nested folder.
var matrixTree = []string{"top.txt", "with space/x y.bin", "with space/nested/deep.bin"}

func newMatrixRig(t *testing.T, k ftptest.Kind) *matrixRig {
	t.Helper()
	s := ftptest.Start(t, k, ftptest.Options{TLS: k.OffersTLS()})
	r := rand.New(rand.NewPCG(15, uint64(len(k))))
	randBytes := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		return b
	}
	m := &matrixRig{s: s, blob: randBytes(300_000), tree: map[string][]byte{}, local: t.TempDir()}
	s.WriteFile(t, "m/blob.bin", m.blob)
	s.WriteFile(t, "m/a b.txt", []byte("a name with a space\n"))
	s.MkdirAll(t, "m/sub dir")
	for i, name := range matrixTree {
		b := randBytes(1000 + 7000*i)
		m.tree[name] = b
		s.WriteFile(t, "m/tree/"+name, b)
		p := filepath.Join(m.local, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// run runs one skiff command line in-process with the cell's time limit.
// Plain FTP unless the args say otherwise: ftp:// means "TLS if
// available", and every rig offers it.
func (m *matrixRig) run(args ...string) (status int, out, errs string) {
	ctx, cancel := context.WithTimeout(context.Background(), matrixCellTimeout)
	defer cancel()
	env, o, e := testEnv()
	_, _, status = Parse(ctx, args, env)
	return status, o.String(), e.String()
}

// cmd is run with the connection flags of a plain session (--tls off) or
// of an explicit FTPS one trusting the rig's certificate.
func (m *matrixRig) cmd(verb string, tls bool, args ...string) (int, string, string) {
	conn := []string{"--tls", "off"}
	if tls {
		conn = []string{"--tls", "explicit", "--cacert", m.s.CAFile}
	}
	return m.run(append(append([]string{verb}, conn...), args...)...)
}

// cellError is a failed cell: what went wrong and the command's output.
type cellError struct {
	what   string
	output string
}

func (e *cellError) Error() string { return e.what + "\n" + e.output }

func fail(status int, errs, format string, args ...any) error {
	return &cellError{what: fmt.Sprintf("status %d: ", status) + fmt.Sprintf(format, args...), output: errs}
}

// sameFile checks that path holds want.
func sameFile(path string, want []byte) error {
	got, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("%s: %d bytes differ from the %d expected", path, len(got), len(want))
	}
	return nil
}

// sameTree checks that root holds exactly want.
func sameTree(root string, want map[string][]byte) error {
	n := 0
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	if n != len(want) {
		return fmt.Errorf("%d files under %s, want %d", n, root, len(want))
	}
	for name, b := range want {
		if err := sameFile(filepath.Join(root, filepath.FromSlash(name)), b); err != nil {
			return err
		}
	}
	return nil
}

// getBlob downloads /m/blob.bin with extra flags and checks the bytes.
func (m *matrixRig) getBlob(t *testing.T, tls bool, flags ...string) error {
	_, err := m.getBlobTrace(t, tls, flags...)
	return err
}

// getBlobTrace is getBlob with the protocol log, which it returns.
func (m *matrixRig) getBlobTrace(t *testing.T, tls bool, flags ...string) (string, error) {
	dst := filepath.Join(t.TempDir(), "blob.bin")
	args := append(append([]string{"--debug"}, flags...), m.s.URL("/m/blob.bin"), dst)
	status, _, errs := m.cmd("get", tls, args...)
	if status != 0 {
		return errs, fail(status, errs, "get %v", flags)
	}
	return errs, sameFile(dst, m.blob)
}

// dataMode checks a cell's data connections in one mode: ls, get and put,
// and that the get's protocol log shows one of the mode's commands.
func (m *matrixRig) dataMode(t *testing.T, mode string, verbs ...string) error {
	if err := m.lsNames(false, "--mode", mode); err != nil {
		return err
	}
	trace, err := m.getBlobTrace(t, false, "--mode", mode)
	if err != nil {
		return err
	}
	used := false
	for _, v := range verbs {
		used = used || strings.Contains(trace, "> "+v)
	}
	if !used {
		return fail(0, trace, "--mode %s sent none of %v", mode, verbs)
	}
	return m.putBlob(t, false, "/up/"+mode+".bin", "--mode", mode)
}

// putBlob uploads blob as remote with extra flags and checks the server's copy.
func (m *matrixRig) putBlob(t *testing.T, tls bool, remote string, flags ...string) error {
	src := filepath.Join(t.TempDir(), "up.bin")
	os.WriteFile(src, m.blob, 0o644)
	args := append(flags, src, m.s.URL(remote))
	if status, _, errs := m.cmd("put", tls, args...); status != 0 {
		return fail(status, errs, "put %v", flags)
	}
	return sameFile(filepath.Join(m.s.Root, filepath.FromSlash(strings.TrimPrefix(remote, "/"))), m.blob)
}

// lsNames lists /m/ and checks the names every rig has there.
func (m *matrixRig) lsNames(tls bool, flags ...string) error {
	status, out, errs := m.cmd("ls", tls, append(flags, m.s.URL("/m/"))...)
	if status != 0 {
		return fail(status, errs, "ls %v", flags)
	}
	for _, name := range []string{"blob.bin", "a b.txt", "sub dir/", "tree/"} {
		if !strings.Contains(out, name) {
			return fail(status, out, "ls %v lacks %q", flags, name)
		}
	}
	return nil
}

// matrixCells are the cells, in the order a user meets them.
var matrixCells = []struct {
	name string
	run  func(t *testing.T, m *matrixRig) error
}{
	{"login", func(t *testing.T, m *matrixRig) error {
		status, _, errs := m.cmd("ls", false, "--debug", m.s.URL("/"))
		if status != 0 {
			return fail(status, errs, "ls /")
		}
		if !strings.Contains(errs, "230") {
			return fail(status, errs, "no 230 reply to the login in the protocol log")
		}
		return nil
	}},
	{"ls", func(t *testing.T, m *matrixRig) error { return m.lsNames(false) }},
	{"ls --json", func(t *testing.T, m *matrixRig) error {
		status, out, errs := m.cmd("ls", false, "--json", m.s.URL("/m/"))
		if status != 0 {
			return fail(status, errs, "ls --json")
		}
		got := map[string]lsEntry{}
		sc := bufio.NewScanner(strings.NewReader(out))
		for sc.Scan() {
			var e lsEntry
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				return fail(status, out, "not JSON: %v", err)
			}
			got[e.Name] = e
		}
		for name, want := range map[string]lsEntry{
			"blob.bin": {Type: "file", Size: int64(len(m.blob))},
			"a b.txt":  {Type: "file", Size: int64(len("a name with a space\n"))},
			"sub dir":  {Type: "dir"},
			"tree":     {Type: "dir"},
		} {
			e, ok := got[name]
			if !ok || e.Type != want.Type || want.Type == "file" && e.Size != want.Size || e.Unparsed {
				return fail(status, out, "entry %q: %+v, want type %s size %d", name, e, want.Type, want.Size)
			}
		}
		return nil
	}},
	{"get", func(t *testing.T, m *matrixRig) error { return m.getBlob(t, false) }},
	{"put", func(t *testing.T, m *matrixRig) error { return m.putBlob(t, false, "/up/put.bin") }},
	{"get -r", func(t *testing.T, m *matrixRig) error {
		dst := filepath.Join(t.TempDir(), "tree")
		if status, _, errs := m.cmd("get", false, "-r", m.s.URL("/m/tree"), dst); status != 0 {
			return fail(status, errs, "get -r")
		}
		return sameTree(dst, m.tree)
	}},
	{"put -r", func(t *testing.T, m *matrixRig) error {
		if status, _, errs := m.cmd("put", false, "-r", m.local, m.s.URL("/up/tree")); status != 0 {
			return fail(status, errs, "put -r")
		}
		return sameTree(filepath.Join(m.s.Root, "up", "tree"), m.tree)
	}},
	// A kill leaves a .part (download) or a short remote file (upload);
	// --resume continues it from where it stopped.
	{"resume get", func(t *testing.T, m *matrixRig) error {
		dst := filepath.Join(t.TempDir(), "blob.bin")
		half := len(m.blob) / 2
		os.WriteFile(dst+".part", m.blob[:half], 0o644)
		status, _, errs := m.cmd("get", false, "--resume", "--debug", m.s.URL("/m/blob.bin"), dst)
		if status != 0 {
			return fail(status, errs, "get --resume")
		}
		if !matrixNoREST[m.s.Kind] && !strings.Contains(errs, fmt.Sprintf("REST %d", half)) {
			return fail(status, errs, "no REST %d in the protocol log", half)
		}
		return sameFile(dst, m.blob)
	}},
	{"resume put", func(t *testing.T, m *matrixRig) error {
		half := len(m.blob) / 3
		m.s.WriteFile(t, "up/resume.bin", m.blob[:half])
		src := filepath.Join(t.TempDir(), "resume.bin")
		os.WriteFile(src, m.blob, 0o644)
		status, _, errs := m.cmd("put", false, "--resume", "--debug", src, m.s.URL("/up/resume.bin"))
		if status != 0 {
			return fail(status, errs, "put --resume")
		}
		if !matrixNoREST[m.s.Kind] && !strings.Contains(errs, fmt.Sprintf("REST %d", half)) && !strings.Contains(errs, "APPE ") {
			return fail(status, errs, "neither REST %d nor APPE in the protocol log", half)
		}
		return sameFile(filepath.Join(m.s.Root, "up", "resume.bin"), m.blob)
	}},
	{"active", func(t *testing.T, m *matrixRig) error { return m.dataMode(t, "active", "EPRT ", "PORT ") }},
	{"passive", func(t *testing.T, m *matrixRig) error { return m.dataMode(t, "passive", "EPSV", "PASV") }},
	{"tls", func(t *testing.T, m *matrixRig) error {
		if !m.s.TLS {
			// Nothing to offer: --tls explicit must refuse to go on in
			// clear text (RFC 2228: never fall back silently), with the
			// server's answer to AUTH TLS.
			status, _, errs := m.cmd("ls", false, "--tls", "explicit", m.s.URL("/m/"))
			if status == 0 || !strings.Contains(errs, "AUTH TLS") || strings.Contains(errs, "230") {
				return fail(status, errs, "--tls explicit against a server without TLS")
			}
			return nil
		}
		if err := m.lsNames(true); err != nil {
			return err
		}
		if err := m.getBlob(t, true); err != nil {
			return err
		}
		return m.putBlob(t, true, "/up/tls.bin")
	}},
}

// TestMatrix runs every cell on every server.
func TestMatrix(t *testing.T) {
	for _, k := range matrixKinds {
		t.Run(string(k), func(t *testing.T) {
			isolate(t)
			m := newMatrixRig(t, k)
			for _, c := range matrixCells {
				t.Run(c.name, func(t *testing.T) {
					err := c.run(t, m)
					b, broken := matrixBroken[string(k)+"/"+c.name]
					switch {
					case !broken && err != nil:
						t.Fatal(err)
					case broken && err == nil && b.racy:
						t.Logf("%s won its race this time (%s)", k, b.why)
					case broken && err == nil:
						t.Fatalf("passes now; %s was known to fail it (%s): remove it from matrixBroken", k, b.why)
					case broken && !strings.Contains(err.Error(), b.evidence):
						t.Fatalf("fails, but not as known (%s, evidence %q):\n%v", b.why, b.evidence, err)
					case broken:
						t.Logf("%s cannot pass this cell: %s; its reply: %q", k, b.why, b.evidence)
					}
				})
			}
		})
	}
}
