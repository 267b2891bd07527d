package cli

// `skiff sites ...` and the --site resolver. Sites are kept by the
// bookmarks package in $SKIFF_CONFIG_DIR or os.UserConfigDir()/skiff;
// passwords only in the OS keychain. SKIFF_KEYCHAIN=off makes the command
// line use no keychain at all (passwords are then asked for, or taken from
// ~/.netrc or $NETRC).

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
)

// EnvKeychain set to "off" keeps the command line away from the keychain.
const EnvKeychain = "SKIFF_KEYCHAIN"

// newKeychain is the OS keychain; tests swap in bookmarks.MockKeychain.
var newKeychain = bookmarks.NewKeychain

func init() {
	register("sites", "list, add, remove, import and export saved sites", runSites)
	resolveSite = resolveSavedSite // target.go's --site hook
}

const sitesUsage = `Usage:
  skiff sites list [--ids]                      the tree of folders and sites
  skiff sites add [flags] PATH [URL]            save a site, e.g. "Work/Web server" ftpes://bob@example.com/www
  skiff sites remove [-r] PATH                  delete a site (or, with -r, a folder and its sites) and their passwords
  skiff sites import-filezilla [--into FOLDER] FILE   import FileZilla's sitemanager.xml
  skiff sites export [--folder FOLDER] FILE     write sites as JSON, without passwords ("-": stdout)
  skiff sites import [--into FOLDER] FILE       add the sites of a Skiff export
  skiff sites restore-backup                    replace an unreadable site file by its backup

PATH is "Folder/Sub/Name"; write \/ for a slash inside a name.
Sites live in $SKIFF_CONFIG_DIR or the user config dir; passwords only in the OS keychain.
`

func runSites(ctx context.Context, env Env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		out := env.Stderr
		if len(args) > 0 {
			out = env.Stdout
		}
		fmt.Fprint(out, sitesUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	sub := map[string]func(context.Context, Env, []string) int{
		"list": sitesList, "add": sitesAdd, "remove": sitesRemove, "rm": sitesRemove,
		"import-filezilla": sitesImport, "import": sitesImport, "export": sitesExport, "restore-backup": sitesRestore,
	}[args[0]]
	if sub == nil {
		fmt.Fprintf(env.Stderr, "skiff sites: unknown command %q\n%s", args[0], sitesUsage)
		return 2
	}
	return sub(ctx, env, args[1:])
}

// openSiteStore opens the store of env and its keychain (nil when
// SKIFF_KEYCHAIN=off).
func openSiteStore(env Env) (*bookmarks.Store, error) {
	dir, err := bookmarks.DirFromEnv(env.Getenv)
	if err != nil {
		return nil, err
	}
	s, err := bookmarks.Open(dir)
	if err != nil {
		return nil, err
	}
	if env.Getenv(EnvKeychain) != "off" {
		s.Secrets = newKeychain()
	}
	return s, nil
}

// sitesFailed prints err with what to do about it and returns exit status 1.
func sitesFailed(env Env, err error) int {
	fmt.Fprintln(env.Stderr, "skiff sites:", err)
	var ce *bookmarks.CorruptError
	if errors.As(err, &ce) && ce.Backup != "" {
		fmt.Fprintln(env.Stderr, "skiff sites: run `skiff sites restore-backup` to restore the backup (the broken file is kept)")
	}
	return 1
}

// sitesArgs parses flags, which may come after positional arguments, and
// checks there are min to max positional ones. When !ok the command is over
// and status is its exit status (0 for --help, 2 for a usage error).
func sitesArgs(env Env, fs *flag.FlagSet, args []string, min, max int) (pos []string, status int, ok bool) {
	for {
		if err := parseFlags(env, fs, args); err != nil {
			if err == flag.ErrHelp {
				return nil, 0, false
			}
			return nil, 2, false
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) < min || len(pos) > max {
		fs.Usage()
		return nil, 2, false
	}
	return pos, 0, true
}

// loadSites opens the store and reads the tree; when !ok it has reported
// the error and status is the exit status.
func loadSites(env Env) (s *bookmarks.Store, t *bookmarks.Tree, status int, ok bool) {
	s, err := openSiteStore(env)
	if err != nil {
		return nil, nil, sitesFailed(env, err), false
	}
	if t, err = s.Load(); err != nil {
		return nil, nil, sitesFailed(env, err), false
	}
	return s, t, 0, true
}

func sitesFlagSet(env Env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("skiff sites "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: skiff sites %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

func sitesList(_ context.Context, env Env, args []string) int {
	fs := sitesFlagSet(env, "list", "[--ids]")
	ids := fs.Bool("ids", false, "show site and folder IDs")
	_, status, ok := sitesArgs(env, fs, args, 0, 0)
	if !ok {
		return status
	}
	_, t, status, ok := loadSites(env)
	if !ok {
		return status
	}
	if len(t.Root.Folders) == 0 && len(t.Root.Sites) == 0 {
		fmt.Fprintln(env.Stderr, "No saved sites. Add one with: skiff sites add NAME URL")
		return 0
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	t.Walk(func(names []string, f *bookmarks.Folder, site *bookmarks.Site) bool {
		cells := []string{strings.Repeat("  ", len(names)-1) + bookmarks.JoinPath(names[len(names)-1])}
		id := ""
		if f != nil {
			cells[0] += "/"
			id = f.ID
			if *ids {
				cells = append(cells, "")
			}
		} else {
			cells = append(cells, siteURL(site))
			id = site.ID
		}
		if *ids {
			cells = append(cells, id)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
		return true
	})
	tw.Flush()
	return 0
}

func sitesAdd(ctx context.Context, env Env, args []string) int {
	fs := sitesFlagSet(env, "add", "[flags] PATH [URL]")
	var site bookmarks.Site
	var tls, mode, logon, colour string
	var trust fingerprintList
	fs.StringVar(&site.Host, "host", "", "server host name or address")
	fs.IntVar(&site.Port, "port", 0, "port (default 21, or 990 for implicit TLS)")
	fs.StringVar(&site.User, "user", "", "user name (none: anonymous)")
	fs.StringVar(&tls, "tls", "", "auto (explicit TLS if available; default), explicit, implicit or off")
	fs.StringVar(&mode, "mode", "", "transfer mode: default, passive or active")
	fs.StringVar(&logon, "logon", "", "anonymous, normal, ask (every session) or account (default: normal with a user, else anonymous)")
	fs.StringVar(&site.Account, "account", "", "account for ACCT (logon account)")
	fs.StringVar(&site.VirtualHost, "vhost", "", "virtual host sent with HOST before USER (RFC 7151)")
	fs.StringVar(&site.RemoteDir, "remote-dir", "", "remote folder to open")
	fs.StringVar(&site.LocalDir, "local-dir", "", "local folder to show")
	fs.IntVar(&site.MaxConnections, "max-conns", 0, "simultaneous connections, 1-10 (0: default)")
	fs.StringVar(&site.Charset, "charset", "", `file name character set, e.g. "ISO-8859-1" (default: UTF-8 when offered)`)
	fs.IntVar(&site.TZOffsetMin, "tz-offset", 0, "server time zone offset from UTC in minutes")
	fs.StringVar(&colour, "colour", "", "label colour: red, green, blue, yellow, cyan, magenta, orange")
	fs.StringVar(&site.Comments, "comment", "", "comments")
	fs.Var(&trust, "trust", "SHA-256 fingerprint of a certificate to trust (repeatable)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin and save it in the keychain")
	proxyURL := fs.String("proxy", "", "the site's own proxy `URL`: socks5://[user@]host[:port], http://[user@]host[:port], or none (direct,\n"+
		"ignoring the default); without it the site uses the default proxy")
	proxyPwStdin := fs.Bool("proxy-password-stdin", false, "read the proxy's password from stdin (the line after the site's with --password-stdin) into the keychain")
	pos, status, ok := sitesArgs(env, fs, args, 1, 2)
	if !ok {
		return status
	}
	if *proxyURL != "" {
		if site.Proxy, status = siteProxyFlag(env, *proxyURL, *proxyPwStdin); status != 0 {
			return status
		}
	} else if *proxyPwStdin {
		fmt.Fprintln(env.Stderr, "skiff sites add: --proxy-password-stdin needs --proxy")
		return 2
	}
	names := bookmarks.SplitPath(pos[0])
	if len(names) == 0 {
		fmt.Fprintln(env.Stderr, "skiff sites add: empty site name")
		return 2
	}
	site.Name = names[len(names)-1]
	if len(pos) == 2 {
		if err := siteFromURL(&site, pos[1]); err != nil {
			fmt.Fprintln(env.Stderr, "skiff sites add:", err)
			return 2
		}
	}
	if tls != "" {
		if _, err := engine.ParseSecurity(tls); err != nil {
			fmt.Fprintln(env.Stderr, "skiff sites add:", err)
			return 2
		}
		site.Security = bookmarks.Security(tls)
	}
	if mode != "" && mode != "default" {
		site.Mode = bookmarks.Mode(mode)
	}
	site.Logon = bookmarks.Logon(logon)
	site.Colour = bookmarks.Colour(colour)
	site.TrustedFingerprints = trust
	var password, proxyPassword string
	stdin := bufio.NewReader(env.Stdin)
	if *pwStdin {
		line, err := stdin.ReadString('\n')
		if err != nil && err != io.EOF {
			fmt.Fprintln(env.Stderr, "skiff sites add: reading the password:", err)
			return 1
		}
		password = strings.TrimRight(line, "\r\n")
		if password == "" {
			fmt.Fprintln(env.Stderr, "skiff sites add: --password-stdin but stdin is empty")
			return 2
		}
	}
	if *proxyPwStdin {
		line, err := stdin.ReadString('\n')
		if err != nil && err != io.EOF {
			fmt.Fprintln(env.Stderr, "skiff sites add: reading the proxy password:", err)
			return 1
		}
		if proxyPassword = strings.TrimRight(line, "\r\n"); proxyPassword == "" {
			fmt.Fprintln(env.Stderr, "skiff sites add: --proxy-password-stdin but no password on stdin")
			return 2
		}
	}
	s, err := openSiteStore(env)
	if err != nil {
		return sitesFailed(env, err)
	}
	var added *bookmarks.Site
	t, err := s.Update(func(t *bookmarks.Tree) error {
		f, err := t.EnsureFolder(bookmarks.RootID, names[:len(names)-1]...)
		if err != nil {
			return err
		}
		added, err = t.AddSite(f.ID, site)
		return err
	})
	if errors.Is(err, bookmarks.ErrInvalid) || errors.Is(err, bookmarks.ErrNameTaken) || errors.Is(err, bookmarks.ErrBadName) {
		fmt.Fprintln(env.Stderr, "skiff sites add:", err)
		return 2
	}
	if err != nil {
		return sitesFailed(env, err)
	}
	fmt.Fprintf(env.Stdout, "Saved %s (%s)\n", t.Path(added.ID), siteURL(added))
	if proxyPassword != "" {
		if err := s.SetSiteProxyPassword(ctx, added, proxyPassword); err != nil {
			fmt.Fprintf(env.Stderr, "skiff sites add: the site is saved, but not its proxy password: %v\n", err)
			return 1
		}
		fmt.Fprintln(env.Stdout, "Proxy password saved in the keychain.")
	}
	if password == "" {
		return 0
	}
	if !added.NeedsPassword() {
		fmt.Fprintf(env.Stderr, "skiff sites add: logon %s does not use a saved password; it was not saved\n", added.Logon)
		return 0
	}
	if s.Secrets == nil {
		fmt.Fprintf(env.Stderr, "skiff sites add: %s=off: the password was not saved; it will be asked for\n", EnvKeychain)
		return 1
	}
	if err := s.Secrets.Set(ctx, added.ID, password); err != nil {
		fmt.Fprintf(env.Stderr, "skiff sites add: the site is saved, but not its password: %v; it will be asked for\n", err)
		return 1
	}
	fmt.Fprintln(env.Stdout, "Password saved in the keychain.")
	return 0
}

type fingerprintList []string

func (m *fingerprintList) String() string     { return strings.Join(*m, ",") }
func (m *fingerprintList) Set(v string) error { *m = append(*m, strings.ToUpper(v)); return nil }

func sitesRemove(ctx context.Context, env Env, args []string) int {
	fs := sitesFlagSet(env, "remove", "[-r] PATH")
	recursive := fs.Bool("r", false, "remove a folder and everything in it")
	pos, status, ok := sitesArgs(env, fs, args, 1, 1)
	if !ok {
		return status
	}
	s, t, status, ok := loadSites(env)
	if !ok {
		return status
	}
	f, site, err := t.Lookup(pos[0])
	if err != nil {
		fmt.Fprintln(env.Stderr, "skiff sites remove:", err)
		return 1
	}
	id := ""
	switch {
	case site != nil:
		id = site.ID
	case f.ID == bookmarks.RootID:
		fmt.Fprintln(env.Stderr, "skiff sites remove: name a site or folder")
		return 2
	case !*recursive && (len(f.Sites) > 0 || len(f.Folders) > 0):
		fmt.Fprintf(env.Stderr, "skiff sites remove: %s is a folder that is not empty; use -r to remove it with its sites\n", pos[0])
		return 1
	default:
		id = f.ID
	}
	if err := s.Delete(ctx, id); err != nil {
		if errors.Is(err, bookmarks.ErrNotFound) {
			fmt.Fprintln(env.Stderr, "skiff sites remove:", err)
			return 1
		}
		var ke *bookmarks.KeychainError
		if errors.As(err, &ke) {
			fmt.Fprintf(env.Stderr, "skiff sites remove: removed %s, but %v\n", pos[0], err)
			return 1
		}
		return sitesFailed(env, err)
	}
	fmt.Fprintf(env.Stdout, "Removed %s\n", pos[0])
	return 0
}

// sitesImport is import-filezilla (FileZilla's sitemanager.xml) and import
// (a Skiff export), told apart by the file's first bytes.
func sitesImport(ctx context.Context, env Env, args []string) int {
	fs := sitesFlagSet(env, "import", "[--into FOLDER] FILE")
	into := fs.String("into", "", "folder to import into (created if missing; default: the top level)")
	pos, status, ok := sitesArgs(env, fs, args, 1, 1)
	if !ok {
		return status
	}
	in, err := os.Open(pos[0])
	if err != nil {
		fmt.Fprintln(env.Stderr, "skiff sites import-filezilla:", err)
		return 1
	}
	defer in.Close()
	s, err := openSiteStore(env)
	if err != nil {
		return sitesFailed(env, err)
	}
	parent := bookmarks.RootID
	if *into != "" {
		t, err := s.Update(func(t *bookmarks.Tree) error {
			_, err := t.EnsureFolder(bookmarks.RootID, bookmarks.SplitPath(*into)...)
			return err
		})
		if err != nil {
			return sitesFailed(env, err)
		}
		f, _, _ := t.Lookup(*into)
		parent = f.ID
	}
	br := bufio.NewReader(in)
	head, _ := br.Peek(512)
	var sum *bookmarks.ImportSummary
	if trimmed := strings.TrimLeft(string(head), " \t\r\n\ufeff"); strings.HasPrefix(trimmed, "{") {
		var t *bookmarks.Tree
		if t, err = bookmarks.ReadExport(br); err != nil {
			fmt.Fprintf(env.Stderr, "skiff sites import: %s: %v\n", pos[0], err)
			return 1
		}
		sum, err = s.ImportTree(t, parent)
	} else {
		sum, err = s.ImportFileZilla(ctx, br, parent)
	}
	if err != nil {
		return sitesFailed(env, err)
	}
	fmt.Fprint(env.Stdout, sum)
	return 0
}

func sitesExport(_ context.Context, env Env, args []string) int {
	fs := sitesFlagSet(env, "export", "[--folder FOLDER] FILE")
	folder := fs.String("folder", "", "export only this folder")
	pos, status, ok := sitesArgs(env, fs, args, 1, 1)
	if !ok {
		return status
	}
	_, t, status, ok := loadSites(env)
	if !ok {
		return status
	}
	id := bookmarks.RootID
	if *folder != "" {
		f, _, err := t.Lookup(*folder)
		if err != nil || f == nil {
			fmt.Fprintf(env.Stderr, "skiff sites export: no folder %q\n", *folder)
			return 1
		}
		id = f.ID
	}
	if pos[0] == "-" {
		if err := bookmarks.WriteExport(env.Stdout, t, id); err != nil {
			return sitesFailed(env, err)
		}
		return 0
	}
	out, err := os.OpenFile(pos[0], os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		fmt.Fprintln(env.Stderr, "skiff sites export:", err)
		return 1
	}
	err = bookmarks.WriteExport(out, t, id)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "skiff sites export:", err)
		return 1
	}
	fmt.Fprintf(env.Stdout, "Exported %d site(s) to %s (no passwords)\n", countSites(t, id), pos[0])
	return 0
}

func countSites(t *bookmarks.Tree, folderID string) int {
	f, _ := t.Folder(folderID)
	return len((&bookmarks.Tree{Root: f}).Sites())
}

func sitesRestore(_ context.Context, env Env, args []string) int {
	fs := sitesFlagSet(env, "restore-backup", "")
	if _, status, ok := sitesArgs(env, fs, args, 0, 0); !ok {
		return status
	}
	s, err := openSiteStore(env)
	if err != nil {
		return sitesFailed(env, err)
	}
	t, err := s.RestoreBackup()
	if err != nil {
		fmt.Fprintln(env.Stderr, "skiff sites restore-backup:", err)
		return 1
	}
	fmt.Fprintf(env.Stdout, "Restored %d site(s) from the backup.\n", len(t.Sites()))
	return 0
}
