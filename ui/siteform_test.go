package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/bookmarks"
)

// shownLabels returns the texts of the labels a user can see on the site
// form's tabs (any tab, not only the selected one): a label counts when it
// and every container and widget above it are visible.
func shownLabels(t *testing.T, f *siteForm) []string {
	t.Helper()
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch o := o.(type) {
		case *widget.Label:
			out = append(out, o.Text)
			return
		case *canvas.Text:
			out = append(out, o.Text)
			return
		case *fyne.Container:
			for _, c := range o.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.TempWidgetRenderer(t, o).Objects() {
				walk(c)
			}
		}
	}
	for _, tab := range f.tabs.Items {
		// A tab not selected has its content hidden by AppTabs: what
		// counts is what the tab shows when selected.
		vis := tab.Content.Visible()
		tab.Content.Show()
		walk(tab.Content)
		if !vis {
			tab.Content.Hide()
		}
	}
	return out
}

// TestSiteFormProtocolSwitchShowsOnlyItsRows: the site form shows what the
// selected protocol can use. FTP's encryption (TLS), account (ACCT),
// virtual host (HOST), server time offset (LIST dates; SFTP's are UTC) and
// transfer mode (passive/active) mean nothing over SSH; the key file and
// ssh-agent mean nothing over FTP. Switching back and forth hides and shows
// the rows, labels included.
func TestSiteFormProtocolSwitchShowsOnlyItsRows(t *testing.T) {
	test.NewTempApp(t)
	ftpOnly := []string{"Encryption", "Account", "Virtual host (HOST)", "Server time offset", "Transfer mode"}
	sftpOnly := []string{"Key file", "Use ssh-agent"}
	both := []string{"Host", "Port", "Logon type", "User", "Password", "Default remote directory", "Maximum connections"}

	var f *siteForm
	onUI(func() {
		f = newSiteForm()
		f.set(&bookmarks.Site{Protocol: bookmarks.FTP})
	})
	for _, p := range []bookmarks.Protocol{bookmarks.SFTP, bookmarks.FTP, bookmarks.SFTP} {
		t.Run(string(p), func(t *testing.T) {
			var shown []string
			onUI(func() {
				f.protocol.SetSelectedIndex(indexOf(protocolValues, p))
				shown = shownLabels(t, f)
			})
			want, hidden := ftpOnly, sftpOnly
			if p == bookmarks.SFTP {
				want, hidden = sftpOnly, ftpOnly
			}
			for _, l := range append(slices.Clone(both), want...) {
				if !slices.Contains(shown, l) {
					t.Errorf("%q is hidden", l)
				}
			}
			for _, l := range hidden {
				if slices.Contains(shown, l) {
					t.Errorf("%q is shown", l)
				}
			}
			var tabs []string
			onUI(func() {
				for _, it := range f.tabs.Items {
					tabs = append(tabs, it.Text)
				}
			})
			// SFTP names are UTF-8 by the protocol: no Charset tab.
			if has := slices.Contains(tabs, "Charset"); has == (p == bookmarks.SFTP) {
				t.Errorf("tabs %v for %s", tabs, p)
			}
		})
	}
}
