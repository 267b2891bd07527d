// Package cli is Skiff's command line: `skiff ls/get/put/sites ...` and the
// flags that open the window (`skiff URL`, `--site`, `--demo`). It never
// imports Fyne; main wires the window in when Parse says so.
//
// Each subcommand lives in its own file and registers itself in init with
// register. A subcommand returns the process exit status: 0 only when the
// operation fully succeeded, 1 when it failed, 2 for usage errors.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/skiff-ftp/skiff/internal/version"
)

// Env is what a command may touch of the process, so tests can fake it.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// StdinIsTerminal / StdoutIsTerminal say whether prompting and progress bars make sense.
	StdinIsTerminal, StdoutIsTerminal bool
}

// OSEnv returns the real process environment.
func OSEnv() Env {
	return Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
		StdinIsTerminal: isTerminal(os.Stdin), StdoutIsTerminal: isTerminal(os.Stdout),
	}
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

type command struct {
	summary string
	run     func(ctx context.Context, env Env, args []string) int
}

var commands = map[string]command{}

// register adds a subcommand; called from init in the command's file.
func register(name, summary string, run func(ctx context.Context, env Env, args []string) int) {
	commands[name] = command{summary, run}
}

// Window says how to open the window when no subcommand was given.
type Window struct {
	URL  string // "ftp://user@host/path" to connect to, or ""
	Site string // "Folder/Name" of a saved site, or ""
	Demo bool   // start the built-in demo server and connect to it
}

// Parse handles the process arguments. When they name a subcommand it runs
// it and returns done=true with its exit status; --help and --version and
// usage errors are done too. Otherwise it returns how to open the window.
func Parse(ctx context.Context, args []string, env Env) (w Window, done bool, status int) {
	if len(args) > 0 {
		if c, ok := commands[args[0]]; ok {
			return w, true, c.run(ctx, env, args[1:])
		}
	}
	fs := flag.NewFlagSet("skiff", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	showVersion := fs.Bool("version", false, "print the version and exit")
	fs.BoolVar(&w.Demo, "demo", false, "start the built-in demo FTP and SFTP servers on 127.0.0.1 and connect to the FTP one")
	fs.StringVar(&w.Site, "site", "", `open connected to a saved site, e.g. "Work/Web server"`)
	fs.Usage = func() { usage(fs.Output(), fs) }
	if err := parseFlags(env, fs, args); err != nil {
		if err == flag.ErrHelp {
			return w, true, 0
		}
		return w, true, 2
	}
	if *showVersion {
		fmt.Fprintln(env.Stdout, "skiff", version.Version())
		return w, true, 0
	}
	switch fs.NArg() {
	case 0:
	case 1:
		w.URL = fs.Arg(0)
		if !strings.Contains(w.URL, "://") {
			fmt.Fprintf(env.Stderr, "skiff: unknown command or URL %q\n", w.URL)
			usage(env.Stderr, fs)
			return w, true, 2
		}
	default:
		usage(env.Stderr, fs)
		return w, true, 2
	}
	return w, false, 0
}

// parseFlags is fs.Parse for every command: --help (or -h) prints the
// usage once, to stdout, and returns flag.ErrHelp; a mistake prints flag's
// complaint and the usage to stderr. The flag package itself would print
// the usage to the flag set's output before returning ErrHelp, so the
// usage is held back while parsing. fs.Usage must write to fs.Output().
func parseFlags(env Env, fs *flag.FlagSet, args []string) error {
	show := fs.Usage
	fs.Usage = func() {}
	fs.SetOutput(env.Stderr)
	err := fs.Parse(args)
	fs.Usage = show
	switch {
	case err == flag.ErrHelp:
		fs.SetOutput(env.Stdout)
		fs.Usage()
		fs.SetOutput(env.Stderr)
	case err != nil:
		fs.Usage()
	}
	return err
}

func usage(out io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(out, "Skiff %s — an FTP, FTPS and SFTP client\n\n", version.Version())
	fmt.Fprintln(out, "Usage:")
	fmt.Fprintln(out, "  skiff [--demo] [--site NAME] [URL]   open the window (connected to URL or NAME)")
	fmt.Fprintln(out, "  skiff COMMAND [flags] ARGS           run a command; skiff COMMAND --help for its flags")
	fmt.Fprintln(out, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(out, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(out, "\nURLs: ftp://[user[:pass]@]host[:port]/path (TLS if available), ftpes:// (explicit TLS), ftps:// (implicit TLS)")
	fmt.Fprintln(out, "\nProxies: --proxy socks5://[user[:pass]@]host[:port] or http://... on every command that connects;")
	fmt.Fprintln(out, "  without it a saved site's proxy applies, and for a URL ALL_PROXY, all_proxy, HTTPS_PROXY, https_proxy")
	fmt.Fprintln(out, "  (and NO_PROXY); --proxy none connects directly")
	fmt.Fprintln(out, "\nFlags:")
	fs.SetOutput(out)
	fs.PrintDefaults()
}
