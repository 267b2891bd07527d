package ui

import (
	"strings"

	"fyne.io/fyne/v2"

	"github.com/skiff-ftp/skiff/engine"
)

// Server is a connection the window offers by name in its Server menu, such
// as the demo's FTP and SFTP servers (skiff --demo).
type Server struct {
	Name   string
	Config engine.Config
	Dir    string // remote folder to open; "" the login folder
}

// serverItems are the Server menu's entries for Options.Servers.
func (w *Window) serverItems() []*fyne.MenuItem {
	var items []*fyne.MenuItem
	for _, s := range w.opts.Servers {
		items = append(items, fyne.NewMenuItem("Connect to "+s.Name, func() { w.useTab(""); w.Connect(s.Config, s.Dir) }))
	}
	if len(items) > 0 {
		items = append([]*fyne.MenuItem{fyne.NewMenuItemSeparator()}, items...)
	}
	return items
}

// announceServers says in the message log which servers the Server menu
// offers, so a user of the demo finds the SFTP one.
func (w *Window) announceServers() {
	if len(w.opts.Servers) == 0 {
		return
	}
	var names []string
	for _, s := range w.opts.Servers {
		names = append(names, s.Name+" ("+s.Config.URL("")+")")
	}
	w.msgs.Status("Also offered in the Server menu: " + strings.Join(names, ", "))
}
