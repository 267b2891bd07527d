package cli

import (
	"bufio"
	"context"
	"encoding/json"
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

// lsEntry is one line of `skiff ls --json`; the field names are a contract.
type lsEntry struct {
	Name        string  `json:"name"`
	Type        string  `json:"type"`        // file, dir, link
	Size        int64   `json:"size"`        // -1 when unknown
	Modified    *string `json:"modified"`    // RFC 3339, null when unknown
	Precision   *string `json:"precision"`   // day, minute, second; null when no time
	Permissions string  `json:"permissions"` // as the server showed them
	Owner       string  `json:"owner"`       //
	Group       string  `json:"group"`       //
	Target      string  `json:"target"`      // link target
	Raw         string  `json:"raw"`         // the server's line
	Unparsed    bool    `json:"unparsed"`    // no parser understood raw
}

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
	out := bufio.NewWriterSize(env.Stdout, 64<<10)
	write := writeText
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		write = func(w io.Writer, e listing.Entry) error { return enc.Encode(jsonEntry(e)) }
	}
	// Streamed: a directory of 100,000 entries is never held in memory.
	err = c.ListFunc(ctx, path, func(e listing.Entry) error { return write(out, e) })
	if ferr := out.Flush(); err == nil && ferr != nil {
		err = ferr
	}
	if err != nil {
		reportError(env, "ls", err)
		return 1
	}
	return 0
}

func jsonEntry(e listing.Entry) *lsEntry {
	j := &lsEntry{
		Name: e.Name, Type: e.Type.String(), Size: e.Size, Permissions: e.Perm,
		Owner: e.Owner, Group: e.Group, Target: e.Target, Raw: e.Raw, Unparsed: e.Unparsed,
	}
	if !e.ModTime.IsZero() && e.Precision != listing.PrecisionNone {
		m := e.ModTime.Format(time.RFC3339)
		p := e.Precision.String()
		j.Modified, j.Precision = &m, &p
	}
	return j
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
