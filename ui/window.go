// Package ui is Skiff's window, built with Fyne on top of engine and
// bookmarks. New takes a fyne.App so tests run it on test.NewTempApp; no
// network or disk call runs on the UI goroutine, and every engine event is
// applied with fyne.Do.
package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Options says what the window starts with.
type Options struct {
	URL  string // connect to this URL at start
	Site string // or to this saved site
}

// Window is Skiff's main window.
type Window struct {
	win fyne.Window
}

// New builds the main window on a.
func New(a fyne.App, o Options) *Window {
	w := a.NewWindow("Skiff")
	host := widget.NewEntry()
	host.SetPlaceHolder("Host")
	quick := container.NewBorder(nil, nil, widget.NewLabel("Host:"), widget.NewButton("Quickconnect", nil), host)
	local := widget.NewCard("Local site", "", widget.NewLabel("(local files)"))
	remote := widget.NewCard("Remote site", "", widget.NewLabel("(not connected)"))
	log := widget.NewCard("Message log", "", widget.NewLabel(""))
	queue := widget.NewCard("Transfer queue", "", widget.NewLabel("Queue is empty"))
	panes := container.NewHSplit(local, remote)
	body := container.NewVSplit(container.NewVSplit(log, panes), queue)
	w.SetContent(container.NewBorder(quick, nil, nil, nil, body))
	w.Resize(fyne.NewSize(1200, 760))
	return &Window{win: w}
}

// ShowAndRun shows the window and runs the app until it closes.
func (w *Window) ShowAndRun() { w.win.ShowAndRun() }
