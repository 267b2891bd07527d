package bench

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// matrixTree is the small tree of the get -r and put -r cells (the same as
// internal/cli's matrix test): a space in a folder's and a file's name and a
// nested folder.
var matrixTree = []string{"top.txt", "with space/x y.bin", "with space/nested/deep.bin"}

// TestServeMatrix starts every server of the interop matrix for
// bench/matrix.sh (all kinds, or those named in $SKIFF_MATRIX_KINDS,
// space-separated), each with explicit FTPS offered where it can (CAFILE is
// empty where not) and plain allowed, and
// keeps them running until $SKIFF_BENCH_DIR/stop appears. In each Root:
//
//	m/blob.bin, m/a b.txt, m/sub dir/, m/tree/…   what the cells read
//	up-skiff/, up-lftp/                            each client's uploads
//	up-*/resume.bin                                a third of blob.bin (resume put)
//
// In $SKIFF_BENCH_DIR: local/blob.bin and local/tree/… (the upload sources),
// one KIND.env per server (HOST, PORT, USER, PASS, ROOT, CAFILE) and, last,
// servers.env (KINDS="…") once every server is up.
func TestServeMatrix(t *testing.T) {
	dir := os.Getenv("SKIFF_BENCH_DIR")
	if dir == "" {
		t.Skip("SKIFF_BENCH_DIR not set: run bench/matrix.sh")
	}
	kinds := append(append([]ftptest.Kind{}, ftptest.Kinds...), ftptest.MoreKinds...)
	if names := strings.Fields(os.Getenv("SKIFF_MATRIX_KINDS")); len(names) > 0 {
		kinds = kinds[:0]
		for _, n := range names {
			kinds = append(kinds, ftptest.Kind(n))
		}
	}
	r := rand.New(rand.NewPCG(15, 15))
	randBytes := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		return b
	}
	blob := randBytes(300_000)
	tree := map[string][]byte{}
	for i, name := range matrixTree {
		tree[name] = randBytes(1000 + 7000*i)
	}
	local := filepath.Join(dir, "local")
	writeLocal := func(name string, b []byte) {
		p := filepath.Join(local, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeLocal("blob.bin", blob)
	for name, b := range tree {
		writeLocal("tree/"+name, b)
	}

	var started []string
	for _, k := range kinds {
		s := ftptest.Start(t, k, ftptest.Options{TLS: k.OffersTLS()})
		s.WriteFile(t, "m/blob.bin", blob)
		s.WriteFile(t, "m/a b.txt", []byte("a name with a space\n"))
		s.MkdirAll(t, "m/sub dir")
		for name, b := range tree {
			s.WriteFile(t, "m/tree/"+name, b)
		}
		for _, c := range []string{"skiff", "lftp"} {
			s.WriteFile(t, "up-"+c+"/resume.bin", blob[:len(blob)/3])
		}
		env := fmt.Sprintf("HOST=%s\nPORT=%d\nUSER=%s\nPASS=%s\nROOT=%s\nCAFILE=%s\n", s.Host, s.Port, s.User, s.Password, s.Root, s.CAFile)
		if err := os.WriteFile(filepath.Join(dir, string(k)+".env"), []byte(env), 0o600); err != nil {
			t.Fatal(err)
		}
		started = append(started, string(k))
	}
	ready := fmt.Sprintf("KINDS=%q\n", strings.Join(started, " "))
	serveUntilStop(t, dir, "servers.env", ready)
}
