package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/skiff-ftp/skiff/engine/listing"
)

func init() {
	register("ls", "list a remote directory: skiff ls [--json] URL", runLs)
}

// stdoutBuffer is how much of ls's output is gathered before a write to
// stdout (1 MiB): a write per few thousand entries, not per entry, whether
// stdout is a pipe, a file or a terminal.
const stdoutBuffer = 1 << 20

func runLs(ctx context.Context, env Env, args []string) int {
	fs := flag.NewFlagSet("ls", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per entry, one per line")
	cf := addConnFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: skiff ls [--json] [flags] URL\n       skiff ls [--json] --site NAME [PATH]\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(env, fs, args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	arg := ""
	switch {
	case fs.NArg() == 1:
		arg = fs.Arg(0)
	case fs.NArg() == 0 && cf.site != "":
	default:
		fs.Usage()
		return 2
	}
	cfg, path, err := cf.target(env, arg)
	if err != nil {
		fmt.Fprintf(env.Stderr, "skiff ls: %v\n", err)
		return 2
	}
	c, err := dialLister(ctx, cfg)
	if err != nil {
		reportError(env, "ls", err)
		return 1
	}
	defer c.Close()
	out := bufio.NewWriterSize(env.Stdout, stdoutBuffer)
	write := func(e listing.Entry) error { return writeText(out, e) }
	if *asJSON {
		write = func(e listing.Entry) error {
			_, err := out.Write(appendJSON(out.AvailableBuffer(), e))
			return err
		}
	}
	// Streamed: a directory of 100,000 entries is never held in memory.
	err = c.ListFunc(ctx, path, write)
	if ferr := out.Flush(); err == nil && ferr != nil {
		err = ferr
	}
	if err != nil {
		reportError(env, "ls", err)
		return 1
	}
	return 0
}

// writeText prints one ls -l like line: permissions, size, time, name.
func writeText(w io.Writer, e listing.Entry) error {
	perm := e.Perm
	switch {
	case perm == "":
		perm = e.Type.String()
	case len(perm) == 9: // Unix bits without the type letter
		perm = string("-dl"[e.Type]) + perm
	}
	size := "-"
	if e.Size >= 0 {
		size = strconv.FormatInt(e.Size, 10)
	}
	when := "-"
	switch e.Precision {
	case listing.PrecisionDay:
		when = e.ModTime.Format(time.DateOnly)
	case listing.PrecisionMinute:
		when = e.ModTime.Format("2006-01-02 15:04")
	case listing.PrecisionSecond:
		when = e.ModTime.Format(time.DateTime)
	}
	name := e.Name
	if e.Type == listing.Dir {
		name += "/"
	}
	if e.Target != "" {
		name += " -> " + e.Target
	}
	_, err := fmt.Fprintf(w, "%-10s %12s  %-19s  %s\n", perm, size, when, name)
	return err
}
