package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/skiff-ftp/skiff/engine"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		in               string
		host, user, pass string
		port             int
		sec              engine.Security
		dir              string
		bad              bool
	}{
		{in: "ftp://example.com/", host: "example.com", dir: "/"},
		{in: "ftp://bob:s3cret@example.com:2121/pub/x", host: "example.com", user: "bob", pass: "s3cret", port: 2121, dir: "/pub/x"},
		{in: "ftpes://bob@h", host: "h", user: "bob", sec: engine.TLSExplicit},
		{in: "ftps://h", host: "h", sec: engine.TLSImplicit},
		{in: "http://h", bad: true},
		{in: "ftp://h:99999", bad: true},
		{in: "ftp:///nohost", bad: true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			cfg, dir, err := engine.ParseURL(tc.in)
			if tc.bad {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Host != tc.host || cfg.User != tc.user || cfg.Password != tc.pass || cfg.Port != tc.port || cfg.Security != tc.sec || dir != tc.dir {
				t.Errorf("got %+v dir %q", cfg, dir)
			}
		})
	}
}

func TestQuickConnectFieldsAndHistoryWithoutPassword(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	qc := newQuickConnect(w.Canvas)
	w.SetContent(qc.content)
	var got engine.Config
	var gotDir string
	qc.OnConnect = func(c engine.Config, d string) { got, gotDir = c, d }
	test.Type(qc.host, "ftp://alice@files.example:2121/www")
	test.Type(qc.pass, "pw")
	qc.security.SetSelectedIndex(int(engine.TLSExplicit))
	qc.Connect()
	if got.Host != "files.example" || got.User != "alice" || got.Password != "pw" || got.Port != 2121 || gotDir != "/www" {
		t.Fatalf("config %+v dir %q", got, gotDir)
	}
	if len(qc.history) != 1 || qc.history[0] != "ftp://alice@files.example:2121" {
		t.Fatalf("history %q", qc.history)
	}
	qc.host.SetText("plain.example")
	qc.user.SetText("")
	qc.pass.SetText("")
	qc.port.SetText("")
	qc.Connect()
	if got.User != "anonymous" || got.Password != engine.AnonymousPassword || got.Security != engine.TLSExplicit {
		t.Fatalf("anonymous config %+v", got)
	}
	qc.fill(qc.history[1])
	if qc.host.Text != "files.example" || qc.port.Text != "2121" || qc.pass.Text != "" {
		t.Errorf("fill: host %q port %q pass %q", qc.host.Text, qc.port.Text, qc.pass.Text)
	}
	qc.port.SetText("abc")
	var bad error
	qc.OnError = func(err error) { bad = err }
	qc.Connect()
	if bad == nil {
		t.Error("a bad port was accepted")
	}
}
