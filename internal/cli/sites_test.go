package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
)

// sitesEnv is an Env whose store is a temp dir and whose keychain is
// go-keyring's mock; extra sets more variables.
func sitesEnv(t *testing.T, stdin string, extra ...string) (Env, *bytes.Buffer, *bytes.Buffer, string) {
	t.Helper()
	dir := t.TempDir()
	vars := map[string]string{bookmarks.EnvConfigDir: dir, "NETRC": filepath.Join(dir, "no-netrc")}
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	var out, errb bytes.Buffer
	return Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return vars[k] }}, &out, &errb, dir
}

var mockKeychain = sync1(func() *bookmarks.Keychain { return bookmarks.MockKeychain() })

func sync1(f func() *bookmarks.Keychain) func() *bookmarks.Keychain {
	var k *bookmarks.Keychain
	return func() *bookmarks.Keychain {
		if k == nil {
			k = f()
		}
		return k
	}
}

// resolverInstalled records whether sites.go's init set the --site hook;
// tests elsewhere may replace the hook and reset it to nil.
var resolverInstalled bool

func init() {
	newKeychain = mockKeychain
	resolverInstalled = resolveSite != nil
}

func runSitesCmd(t *testing.T, env Env, args ...string) int {
	t.Helper()
	_, done, status := Parse(context.Background(), append([]string{"sites"}, args...), env)
	if !done {
		t.Fatalf("sites %v: not done", args)
	}
	return status
}

func loadTree(t *testing.T, dir string) *bookmarks.Tree {
	t.Helper()
	s, _ := bookmarks.Open(dir)
	tree, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestSitesAddListRemove(t *testing.T) {
	env, out, errb, dir := sitesEnv(t, "s3cret pw\n")
	if st := runSitesCmd(t, env, "add", "Work/Web server", "ftpes://bob@example.com:2121/www", "--password-stdin", "--mode", "passive", "--trust", "ab:cd"); st != 0 {
		t.Fatalf("add: %d %s", st, errb)
	}
	tree := loadTree(t, dir)
	site, err := tree.LookupSite("Work/Web server")
	if err != nil {
		t.Fatal(err)
	}
	if site.Security != bookmarks.TLSExplicit || site.Port != 2121 || site.User != "bob" || site.RemoteDir != "/www" ||
		site.Mode != bookmarks.ModePassive || site.TrustedFingerprints[0] != "AB:CD" {
		t.Fatalf("saved %+v", site)
	}
	if pw, err := mockKeychain().Get(context.Background(), site.ID); pw != "s3cret pw" || err != nil {
		t.Fatalf("keychain: %q %v", pw, err)
	}
	env2, _, _, _ := sitesEnv(t, "")
	env2.Getenv = env.Getenv
	runSitesCmd(t, env2, "add", "--logon", "anonymous", "Mirror", "ftp://mirror.example.org/pub")
	out.Reset()
	if st := runSitesCmd(t, env, "list"); st != 0 {
		t.Fatalf("list: %d %s", st, errb)
	}
	for _, want := range []string{"Work/\n", "  Web server  ftpes://bob@example.com:2121/www", "Mirror", "ftp://mirror.example.org/pub (anonymous)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	if st := runSitesCmd(t, env, "remove", "Work"); st != 1 || !strings.Contains(errb.String(), "use -r") {
		t.Fatalf("remove of a non-empty folder: %d %s", st, errb)
	}
	if st := runSitesCmd(t, env, "remove", "-r", "Work"); st != 0 {
		t.Fatalf("remove -r: %d %s", st, errb)
	}
	if _, err := mockKeychain().Get(context.Background(), site.ID); !errors.Is(err, bookmarks.ErrNoPassword) {
		t.Fatalf("password survived the removal: %v", err)
	}
	if st := runSitesCmd(t, env, "remove", "Nope"); st != 1 {
		t.Fatalf("remove of a missing site: %d", st)
	}
	scanDir(t, dir, "s3cret pw")
}

func TestSitesAddRefuses(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"password in the URL", []string{"add", "A", "ftp://bob:pw@example.com"}},
		{"sftp URL", []string{"add", "A", "sftp://example.com"}},
		{"no host", []string{"add", "A"}},
		{"bad tls", []string{"add", "--tls", "maybe", "A", "ftp://example.com"}},
		{"bad mode", []string{"add", "--mode", "sideways", "A", "ftp://example.com"}},
		{"no name", []string{"add"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, _, errb, _ := sitesEnv(t, "")
			if st := runSitesCmd(t, env, tt.args...); st != 2 {
				t.Fatalf("status %d, want 2: %s", st, errb)
			}
		})
	}
	env, _, errb, _ := sitesEnv(t, "")
	runSitesCmd(t, env, "add", "A", "ftp://example.com")
	if st := runSitesCmd(t, env, "add", "A", "ftp://example.org"); st != 2 || !strings.Contains(errb.String(), "already used") {
		t.Fatalf("duplicate name: %d %s", st, errb)
	}
}

func TestSitesImportExport(t *testing.T) {
	env, out, errb, dir := sitesEnv(t, "")
	if st := runSitesCmd(t, env, "import-filezilla", "--into", "From FileZilla", "../../bookmarks/testdata/sitemanager.xml"); st != 0 {
		t.Fatalf("import: %d %s", st, errb)
	}
	for _, want := range []string{"Imported 11 site(s)", "skipped From FileZilla/Legacy/S3 bucket: S3 is not supported", "master password", "password moved into the keychain"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	tree := loadTree(t, dir)
	top, err := tree.LookupSite("From FileZilla/Top level")
	if err != nil {
		t.Fatal(err)
	}
	if pw, _ := mockKeychain().Get(context.Background(), top.ID); pw != "s3cret-Alice!" {
		t.Fatalf("keychain has %q", pw)
	}
	exp := filepath.Join(dir, "export.json")
	if st := runSitesCmd(t, env, "export", exp); st != 0 {
		t.Fatalf("export: %d %s", st, errb)
	}
	f, _ := os.Open(exp)
	back, err := bookmarks.ReadExport(f)
	f.Close()
	if err != nil || len(back.Sites()) != 11 {
		t.Fatalf("export read back: %v", err)
	}
	env2, out2, errb2, dir2 := sitesEnv(t, "")
	if st := runSitesCmd(t, env2, "import", exp); st != 0 || !strings.Contains(out2.String(), "Imported 11 site(s)") {
		t.Fatalf("import of the export: %d %s %s", st, out2, errb2)
	}
	if _, err := loadTree(t, dir2).LookupSite("From FileZilla/Top level"); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if st := runSitesCmd(t, env, "export", "--folder", "From FileZilla/Work", "-"); st != 0 || !strings.Contains(out.String(), `"schema": 1`) {
		t.Fatalf("export to stdout: %d %s", st, out)
	}
	scanDir(t, dir, "s3cret-Alice!", "bob-pw", "plain-old-pw")
}

func TestSitesCorruptFileAndRestore(t *testing.T) {
	env, out, errb, dir := sitesEnv(t, "")
	runSitesCmd(t, env, "add", "A", "ftp://a.example.com")
	runSitesCmd(t, env, "add", "B", "ftp://b.example.com")
	path := filepath.Join(dir, bookmarks.FileName)
	data, _ := os.ReadFile(path)
	os.WriteFile(path, data[:len(data)/3], 0o600)
	if st := runSitesCmd(t, env, "list"); st != 1 || !strings.Contains(errb.String(), "restore-backup") || !strings.Contains(errb.String(), "left untouched") {
		t.Fatalf("list of a corrupt file: %d %s", st, errb)
	}
	if st := runSitesCmd(t, env, "add", "C", "ftp://c.example.com"); st != 1 {
		t.Fatalf("add to a corrupt file: %d", st)
	}
	if now, _ := os.ReadFile(path); len(now) != len(data)/3 {
		t.Fatal("the corrupt file was rewritten")
	}
	out.Reset()
	if st := runSitesCmd(t, env, "restore-backup"); st != 0 || !strings.Contains(out.String(), "Restored 1 site(s)") {
		t.Fatalf("restore: %d %s %s", st, out, errb)
	}
}

func TestResolveSite(t *testing.T) {
	if !resolverInstalled {
		t.Fatal("sites.go did not install the --site resolver")
	}
	ctx := context.Background()
	env, _, errb, dir := sitesEnv(t, "pw-from-keychain\n")
	runSitesCmd(t, env, "add", "--password-stdin", "--logon", "account", "--account", "acc", "--vhost", "v.example", "--tz-offset", "60", "Work/Web", "ftps://bob@example.com/www")
	runSitesCmd(t, env, "add", "Anon", "ftp://mirror.example.org")
	runSitesCmd(t, env, "add", "--logon", "ask", "Asker", "ftp://carol@ask.example.org")
	runSitesCmd(t, env, "add", "Netrc", "ftp://dave@netrc.example.org")

	cfg, err := resolveSiteEnv(ctx, env, "Work/Web")
	if err != nil {
		t.Fatal(err)
	}
	want := engine.Config{Host: "example.com", User: "bob", Password: "pw-from-keychain", Account: "acc",
		VirtualHost: "v.example", Security: engine.TLSImplicit, TZOffset: time.Hour}
	if cfg.Host != want.Host || cfg.User != want.User || cfg.Password != want.Password || cfg.Account != want.Account ||
		cfg.VirtualHost != want.VirtualHost || cfg.Security != want.Security || cfg.TZOffset != want.TZOffset {
		t.Fatalf("got %#v (%s %s), want %s", cfg, cfg.Password, cfg.Account, want.String())
	}
	if cfg, _ := resolveSiteEnv(ctx, env, "Anon"); cfg.User != "anonymous" || cfg.Password != engine.AnonymousPassword {
		t.Fatalf("anonymous: %+v", cfg.LogValue())
	}
	if cfg, _ := resolveSiteEnv(ctx, env, "Asker"); cfg.Password != "" || cfg.User != "carol" {
		t.Fatal("an ask-every-time site got a password")
	}
	netrc := filepath.Join(dir, "netrc")
	os.WriteFile(netrc, []byte("machine netrc.example.org login dave password from-netrc\n"), 0o600)
	env.Getenv = withVar(env.Getenv, "NETRC", netrc)
	if cfg, _ := resolveSiteEnv(ctx, env, "Netrc"); cfg.Password != "from-netrc" {
		t.Fatalf("netrc password not used: %q", cfg.Password)
	}
	if _, err := resolveSiteEnv(ctx, env, "Work"); err == nil {
		t.Fatal("a folder resolved as a site")
	}
	if _, err := resolveSiteEnv(ctx, env, "Missing"); err == nil || !strings.Contains(err.Error(), "skiff sites list") {
		t.Fatalf("missing site: %v", err)
	}
	_ = errb
}

func TestResolveSiteWithoutKeychain(t *testing.T) {
	env, _, errb, _ := sitesEnv(t, "pw\n", EnvKeychain, "off")
	if st := runSitesCmd(t, env, "add", "--password-stdin", "A", "ftp://bob@a.example.com"); st != 1 || !strings.Contains(errb.String(), "not saved") {
		t.Fatalf("add with the keychain off: %d %s", st, errb)
	}
	cfg, err := resolveSiteEnv(context.Background(), env, "A")
	if err != nil || cfg.Password != "" || cfg.User != "bob" {
		t.Fatalf("%v %v", cfg.LogValue(), err)
	}
}

func withVar(get func(string) string, k, v string) func(string) string {
	return func(name string) string {
		if name == k {
			return v
		}
		return get(name)
	}
}

// scanDir fails if a file under dir holds one of the secrets, plain or base64.
func scanDir(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) || bytes.Contains(b, []byte(base64.StdEncoding.EncodeToString([]byte(s)))) {
				t.Errorf("%s contains the password %q", p, s)
			}
		}
		return nil
	})
}
