package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/ftp"
	"github.com/skiff-ftp/skiff/engine/proxy"
	"github.com/skiff-ftp/skiff/engine/sftp"
)

// resolveSite turns a saved site's "Folder/Name" into its Config (password
// included). internal/cli/sites.go sets it in init; nil means --site is not
// available.
var resolveSite func(name string) (engine.Config, error)

// connFlags are the connection flags every network command shares:
// --tls, --mode, --cacert, --insecure, --password-stdin, --debug, --site,
// --proxy, --charset.
//
// Use:
//
//	fs := flag.NewFlagSet("get", flag.ContinueOnError)
//	cf := addConnFlags(fs)
//	... fs.Parse(args) ...
//	cfg, path, err := cf.target(env, fs.Arg(0)) // URL, or a path with --site
type connFlags struct {
	fs        *flag.FlagSet
	tls       string
	mode      string
	cacert    string
	insecure  bool
	passStdin bool
	debug     bool
	site      string
	proxy     string // --proxy URL, "none", or "" (the environment decides)
	charset   string // --charset: the server's charset for names ("": the site's, or auto)

	// SFTP
	identities    stringList
	knownHosts    string
	acceptNewHost bool
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// addConnFlags registers the connection flags on fs.
func addConnFlags(fs *flag.FlagSet) *connFlags {
	f := &connFlags{fs: fs}
	fs.StringVar(&f.tls, "tls", "", "TLS: auto (TLS if available), explicit, implicit or off; overrides the URL scheme")
	fs.StringVar(&f.mode, "mode", "", "data connections: passive, active or default (passive, then active)")
	fs.StringVar(&f.cacert, "cacert", "", "trust the CA or self-signed certificate in this PEM `file`")
	fs.BoolVar(&f.insecure, "insecure", false, "accept any server certificate (prints a warning)")
	fs.BoolVar(&f.passStdin, "password-stdin", false, "read the password from the first line of standard input")
	fs.BoolVar(&f.debug, "debug", false, "print the protocol log to standard error (passwords masked)")
	fs.StringVar(&f.site, "site", "", "use the saved site `Folder/Name`; the argument is then a remote path")
	fs.StringVar(&f.proxy, "proxy", "", "connect through the proxy `URL`: socks5://[user[:pass]@]host[:port] (or socks5h://) or http://[user[:pass]@]host[:port]\n"+
		"(HTTP CONNECT); none connects directly. Default: with --site the saved site's proxy, else the saved default;\n"+
		"for a URL ALL_PROXY, all_proxy, HTTPS_PROXY or https_proxy unless NO_PROXY names the host. FTP through a proxy is passive only")
	fs.StringVar(&f.charset, "charset", "", "FTP: the server's `charset` for file names: auto (UTF-8 when offered), UTF-8, or a legacy one\n"+
		"such as ISO-8859-1, windows-1252, Shift_JIS, GBK, Big5, EUC-KR, KOI8-R. Default: the saved site's, else auto")
	fs.Var(&f.identities, "i", "SFTP: private key `file` (repeatable)")
	fs.Var(&f.identities, "identity", "SFTP: private key `file` (repeatable)")
	fs.StringVar(&f.knownHosts, "known-hosts", "", "SFTP: Skiff's known-hosts `file` (default: known_hosts in the config folder); ~/.ssh/known_hosts is read too")
	fs.BoolVar(&f.acceptNewHost, "accept-new-host-key", false, "SFTP: trust and record a host key seen for the first time (a changed key is still refused)")
	return f
}

// target resolves a command's remote argument into a Config and a remote
// path: arg is a URL (ftp://, ftpes://, ftps://, sftp://), or a path on the --site
// site. The flags are applied, the password found (URL, --password-stdin,
// SKIFF_PASSWORD, else a prompt when stdin is a terminal), and --debug
// hooks the protocol trace to env.Stderr. Errors are usage errors (exit 2).
func (f *connFlags) target(env Env, arg string) (engine.Config, string, error) {
	var cfg engine.Config
	var path string
	if f.site != "" {
		if resolveSite == nil {
			return cfg, "", errors.New("--site: saved sites are not available")
		}
		c, err := resolveSite(f.site)
		if err != nil {
			return cfg, "", fmt.Errorf("--site %q: %w", f.site, err)
		}
		cfg, path = c, arg
	} else {
		c, p, err := parseURL(arg)
		if err != nil {
			return cfg, "", err
		}
		cfg, path = c, p
	}
	if f.tls != "" {
		s, err := engine.ParseSecurity(f.tls)
		if err != nil {
			return cfg, "", err
		}
		cfg.Security = s
	}
	if f.mode != "" {
		m, err := engine.ParseMode(f.mode)
		if err != nil {
			return cfg, "", err
		}
		cfg.Mode = m
	}
	if f.charset != "" {
		if err := ftp.CheckCharset(f.charset); err != nil {
			return cfg, "", fmt.Errorf("--charset: %w", err)
		}
		cfg.Charset = f.charset
	}
	if f.cacert != "" {
		if _, err := os.Stat(f.cacert); err != nil {
			return cfg, "", fmt.Errorf("--cacert: %w", err)
		}
		cfg.CAFile = f.cacert
	}
	if f.insecure {
		cfg.Insecure = true
		fmt.Fprintln(env.Stderr, "skiff: warning: --insecure: the server's certificate is not checked")
	}
	if err := f.proxyOption(env, &cfg); err != nil {
		return cfg, "", err
	}
	if cfg.Protocol == engine.ProtocolSFTP {
		if err := f.sshOptions(env, &cfg); err != nil {
			return cfg, "", err
		}
	}
	if err := f.password(env, &cfg); err != nil {
		return cfg, "", err
	}
	if cfg.Protocol == engine.ProtocolSFTP {
		cfg.KeyboardInteractive = kbdInteractive(env, cfg.Password)
	}
	if f.debug {
		cfg.Trace = debugTrace(env.Stderr)
	}
	cfg.ConfirmPlain = warnPlain(env.Stderr)
	return cfg, path, nil
}

// warnPlain is the command line's answer when "TLS if available" (ftp://)
// meets a server without TLS: go on, as curl and lftp do, but say so on
// stderr, once per host, before the password is sent. ftpes:// and ftps://
// never get here: they refuse.
func warnPlain(w io.Writer) func(ctx context.Context, host, reply string) bool {
	var mu sync.Mutex
	warned := map[string]bool{}
	return func(_ context.Context, host, reply string) bool {
		mu.Lock()
		defer mu.Unlock()
		if !warned[host] {
			warned[host] = true
			fmt.Fprintf(w, "skiff: warning: %s does not offer TLS (%s); sending the password in clear text (use ftpes:// to refuse)\n", host, strings.TrimSpace(reply))
		}
		return true
	}
}

// trustNewHostKey is --accept-new-host-key's answer: yes, said on stderr
// once per host and key however many connections (a sync's parallel scan)
// meet it at once.
func trustNewHostKey(w io.Writer) func(ctx context.Context, host, fp string) bool {
	var mu sync.Mutex
	said := map[string]bool{}
	return func(_ context.Context, host, fp string) bool {
		mu.Lock()
		defer mu.Unlock()
		if !said[host+" "+fp] {
			said[host+" "+fp] = true
			fmt.Fprintf(w, "skiff: trusting the new host key of %s: %s\n", host, fp)
		}
		return true
	}
}

// proxyOption picks the proxy: --proxy when given ("none": direct); for
// --site what is saved (the site's own, else the default; resolveSite set
// it), as the window does; for a URL the environment's for cfg.Host.
func (f *connFlags) proxyOption(env Env, cfg *engine.Config) error {
	if f.proxy != "" {
		p, err := proxy.Parse(f.proxy)
		if err != nil {
			return fmt.Errorf("--proxy: %w", err)
		}
		cfg.Proxy = p
		return nil
	}
	if f.site != "" {
		return nil
	}
	getenv := env.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	p, err := proxy.FromEnvironment(getenv, cfg.Host)
	if err != nil {
		return err
	}
	cfg.Proxy = p
	return nil
}

// sshOptions applies -i, --known-hosts and --accept-new-host-key. Without
// the flag an unknown host key is refused; the error names its fingerprint.
func (f *connFlags) sshOptions(env Env, cfg *engine.Config) error {
	for _, id := range f.identities {
		if _, err := os.Stat(id); err != nil {
			return fmt.Errorf("--identity: %w", err)
		}
	}
	cfg.IdentityFiles = append(cfg.IdentityFiles, f.identities...)
	cfg.KnownHostsFile = f.knownHosts
	if cfg.KnownHostsFile == "" {
		getenv := env.Getenv
		if getenv == nil {
			getenv = os.Getenv
		}
		dir, err := bookmarks.DirFromEnv(getenv)
		if err != nil {
			return err
		}
		cfg.KnownHostsFile = filepath.Join(dir, "known_hosts")
	}
	cfg.Passphrase = askPassphrase(env)
	if f.acceptNewHost {
		cfg.ConfirmHostKey = trustNewHostKey(env.Stderr)
	}
	return nil
}

// kbdInteractive answers an SSH server's keyboard-interactive prompts: its
// password prompt with the password when there is one; every other prompt
// (a one-time code, a second factor) is shown on stderr as the server wrote
// it and answered with a line of stdin, not echoed on a terminal.
func kbdInteractive(env Env, password string) func(ctx context.Context, name, instruction string, questions []string, echos []bool) ([]string, error) {
	var mu sync.Mutex
	return func(_ context.Context, name, instruction string, questions []string, echos []bool) ([]string, error) {
		mu.Lock()
		defer mu.Unlock()
		for _, s := range []string{name, instruction} {
			if s = strings.TrimSpace(s); s != "" {
				fmt.Fprintln(env.Stderr, s)
			}
		}
		answers := make([]string, len(questions))
		for i, q := range questions {
			echo := i < len(echos) && echos[i]
			if password != "" && sftp.IsPasswordPrompt(q, echo) {
				answers[i] = password
				continue
			}
			fmt.Fprint(env.Stderr, q)
			var a string
			var err error
			if echo {
				a, err = readLine(env.Stdin)
			} else {
				a, err = readPassword(env.Stdin)
				fmt.Fprintln(env.Stderr)
			}
			if err != nil {
				return nil, fmt.Errorf("answering the server's prompt %q: %w", q, err)
			}
			answers[i] = a
		}
		return answers, nil
	}
}

// askPassphrase asks for an encrypted key file's passphrase on stderr and
// reads it from stdin (not echoed on a terminal), as ssh does.
func askPassphrase(env Env) func(ctx context.Context, file string) (string, error) {
	var mu sync.Mutex
	return func(_ context.Context, file string) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(env.Stderr, "Enter passphrase for key '%s': ", file)
		pp, err := readPassword(env.Stdin)
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("reading the passphrase of %s: %w", file, err)
		}
		return pp, nil
	}
}

// readLine reads one line, a byte at a time so that nothing after it is
// consumed (a later prompt reads the next line).
func readLine(r io.Reader) (string, error) {
	var b []byte
	var c [1]byte
	for {
		n, err := r.Read(c[:])
		if n == 1 {
			if c[0] == '\n' {
				return strings.TrimRight(string(b), "\r"), nil
			}
			b = append(b, c[0])
		}
		if err != nil {
			if err == io.EOF && len(b) > 0 {
				return string(b), nil
			}
			return "", err
		}
	}
}

// password fills cfg.Password unless the URL (or site) had one.
func (f *connFlags) password(env Env, cfg *engine.Config) error {
	switch {
	case f.passStdin:
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && (err != io.EOF || line == "") {
			return fmt.Errorf("--password-stdin: %w", err)
		}
		cfg.Password = strings.TrimRight(line, "\r\n")
	case cfg.Password != "":
	case env.Getenv != nil && env.Getenv("SKIFF_PASSWORD") != "":
		cfg.Password = env.Getenv("SKIFF_PASSWORD")
	case cfg.Protocol == engine.ProtocolSFTP:
		// Asked for only if the server wants a password (kbdInteractive):
		// a key or agent login never prompts.
	case cfg.User != "" && cfg.User != "anonymous" && cfg.User != "ftp" && env.StdinIsTerminal:
		fmt.Fprintf(env.Stderr, "Password for %s@%s: ", cfg.User, cfg.Host)
		pw, err := readPassword(env.Stdin)
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return fmt.Errorf("reading the password: %w", err)
		}
		cfg.Password = pw
	}
	return nil
}

// readPassword reads a line without echo when r is a terminal.
func readPassword(r io.Reader) (string, error) {
	if f, ok := r.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b, err := term.ReadPassword(int(f.Fd()))
		return string(b), err
	}
	return readLine(r)
}

// parseURL is engine.ParseURL with the path made absolute ("/" when the
// URL has none), as every command wants it.
func parseURL(s string) (engine.Config, string, error) {
	cfg, path, err := engine.ParseURL(s)
	if cfg.Protocol == engine.ProtocolSFTP && path == "" {
		path = "." // sftp://host/~: the login directory
	} else if path == "" {
		path = "/"
	}
	return cfg, path, err
}

// debugTrace prints the protocol log: "> " commands, "< " replies, "* "
// Skiff's own status lines, "! " errors, each with time and connection.
func debugTrace(w io.Writer) func(engine.TraceEvent) {
	var mu sync.Mutex
	marks := [...]string{engine.TraceCommand: ">", engine.TraceReply: "<", engine.TraceStatus: "*", engine.TraceError: "!"}
	return func(e engine.TraceEvent) {
		mark := "?"
		if int(e.Kind) < len(marks) {
			mark = marks[e.Kind]
		}
		mu.Lock()
		fmt.Fprintf(w, "%s [%d] %s %s\n", e.Time.Format("15:04:05.000"), e.Conn, mark, e.Text)
		mu.Unlock()
	}
}

// printError prints one error: its first line after prefix, and the
// further lines of a server's multi-line reply indented below it.
func printError(w io.Writer, prefix, text string) {
	lines := strings.Split(strings.TrimRight(text, "\r\n"), "\n")
	fmt.Fprintf(w, "%s%s\n", prefix, strings.TrimRight(lines[0], "\r"))
	for _, l := range lines[1:] {
		fmt.Fprintf(w, "  %s\n", strings.TrimSpace(l))
	}
}

// reportError prints a failed operation for the user: the error with the
// server's reply, and what to do about an untrusted certificate.
func reportError(env Env, cmd string, err error) {
	printError(env.Stderr, "skiff "+cmd+": ", err.Error())
	var ce *engine.CertError
	if errors.As(err, &ce) {
		fmt.Fprintf(env.Stderr, "  subject: %s\n  issuer:  %s\n  valid:   %s to %s\n  SHA-256: %s\n",
			ce.Cert.Subject, ce.Cert.Issuer, ce.Cert.NotBefore.Format(time.DateOnly), ce.Cert.NotAfter.Format(time.DateOnly), ce.Cert.Fingerprint)
		fmt.Fprintln(env.Stderr, "  trust it with --cacert FILE, or skip the check with --insecure")
	}
}
