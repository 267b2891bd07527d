// Command skiff is a desktop FTP/FTPS client with a command line.
//
// main only wires: it parses the arguments (internal/cli), runs a subcommand
// or builds the app, the stores, the engine and the window, and exits.
package main

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2/app"

	"github.com/skiff-ftp/skiff/assets"
	"github.com/skiff-ftp/skiff/internal/cli"
	"github.com/skiff-ftp/skiff/internal/version"
	"github.com/skiff-ftp/skiff/ui"
)

//go:embed FyneApp.toml
var metadata []byte

func main() {
	version.Set(metadata)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	w, done, status := cli.Parse(ctx, os.Args[1:], cli.OSEnv())
	if done {
		stop()
		os.Exit(status)
	}

	a := app.NewWithID(version.AppID())
	a.SetIcon(assets.Icon)
	opts := ui.Options{URL: w.URL, Site: w.Site}
	if w.Demo {
		fmt.Fprintln(os.Stderr, "skiff: demo server not yet available")
	}
	ui.New(a, opts).ShowAndRun()
}
