package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// charsetTab is the site form's Charset tab (FileZilla's): how the server
// writes file names. Autodetect uses UTF-8 when the server says it can
// (FEAT UTF8) and shows names as their bytes otherwise; Force UTF-8 says
// OPTS UTF8 ON whatever FEAT says; a custom charset translates every name
// in listings and commands (engine/ftp/charset.go). SFTP ignores it.
func (f *siteForm) charsetTab() fyne.CanvasObject {
	f.customCharset.SetPlaceHolder("ISO-8859-1")
	f.charset.Required = true
	f.charset.OnChanged = func(sel string) {
		if sel == charsetChoices[2] {
			f.customCharset.Enable()
		} else {
			f.customCharset.Disable()
		}
	}
	f.customCharset.Disable()
	note := widget.NewLabel("The server's character set for file names. Autodetect uses UTF-8 when the " +
		"server offers it; choose a custom charset for an older server whose names show as garbage. " +
		"A name the charset cannot write is refused before anything is sent. FTP only.")
	note.Wrapping = fyne.TextWrapWord
	return container.NewVBox(note, f.charset, widget.NewForm(widget.NewFormItem("Custom charset", f.customCharset)))
}
