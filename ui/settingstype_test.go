package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// serverConfig is a plain FTP config for an ftptest server.
func serverConfig(s *ftptest.Server) engine.Config {
	return engine.Config{Host: s.Host, Port: s.Port, User: s.User, Password: s.Password, Security: engine.Plain}
}

// changeSettings opens Edit → Settings…, lets edit change the form and
// saves.
func changeSettings(t *testing.T, w *Window, edit func(f *settingsForm)) {
	t.Helper()
	onUI(w.showSettings)
	waitFor(t, "settings dialog", func() bool { return w.win.Canvas().Overlays().Top() != nil })
	onUI(func() { edit(w.settingsForm) })
	onUI(func() { tapButton(t, w, "Save") })
	waitFor(t, "settings dialog closed", func() bool { return w.win.Canvas().Overlays().Top() == nil })
}

// logText is the message log's text (UI goroutine).
func logText(w *Window) string {
	var s string
	onUI(func() { s = w.msgs.Text() })
	return s
}

// waitLog waits until the message log contains text and returns it
// (polling from here: onUI must not run inside waitFor).
func waitLog(t *testing.T, w *Window, text string) string {
	t.Helper()
	var log string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if log = logText(w); strings.Contains(log, text) {
			return log
		}
	}
	t.Fatalf("the log never showed %q:\n%s", text, log)
	return ""
}

// TestSettingTransferType: Settings → Transfer type decides the TYPE the
// engine sends for the queue's transfers, against vsftpd (which converts
// in ASCII mode): ASCII stores a CRLF/LF file with the server's LF line
// ends, Binary byte for byte, Auto by the ASCII file types typed in the
// dialog.
func TestSettingTransferType(t *testing.T) {
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	s.MkdirAll(t, "up")
	w, local := ftpWindow(t)
	mixed := "crlf\r\nlf\n"
	cases := []struct {
		label, exts string
		file        string
		want        string
		typ         string
	}{
		{"ASCII", "", "one.dat", "crlf\nlf\n", "TYPE A"},
		{"Binary", "", "two.dat", mixed, "TYPE I"},
		{"Auto", "txt dat", "three.dat", "crlf\nlf\n", "TYPE A"},
		{"Auto", "txt", "four.dat", mixed, "TYPE I"},
	}
	for _, tc := range cases {
		if err := os.WriteFile(filepath.Join(local, tc.file), []byte(mixed), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	onUI(func() {
		w.Connect(serverConfig(s), "/up")
	})
	waitFor(t, "connected", func() bool { return w.connected && w.remote.cwd == "/up" })
	for i, tc := range cases {
		changeSettings(t, w, func(f *settingsForm) {
			f.transferType.SetSelected(tc.label)
			if tc.exts != "" {
				f.asciiExts.SetText(tc.exts)
			}
		})
		if i == 2 {
			onUI(w.showSettings)
			shotAtSizes(t, w, "settings-transfer-type")
			onUI(func() { tapButton(t, w, "Cancel") })
		}
		onUI(func() {
			w.msgs.Clear()
			w.local.Refresh()
		})
		waitFor(t, "local listing", func() bool { return rowOf(w.local.table, tc.file) >= 0 })
		onUI(func() {
			w.local.table.SelectName(tc.file)
			w.upload()
		})
		waitFor(t, tc.file+" uploaded", func() bool { _, _, d := w.queue.Counts(); return d == i+1 })
		if got, _ := os.ReadFile(filepath.Join(s.Root, "up", tc.file)); string(got) != tc.want {
			t.Errorf("%s (%s %q): the server stored %q, want %q", tc.file, tc.label, tc.exts, got, tc.want)
		}
		log := waitLog(t, w, "STOR /up/"+tc.file)
		i := strings.Index(log, "STOR /up/"+tc.file)
		if j := strings.LastIndex(log[:max(i, 0)], "Command: TYPE "); i < 0 || j < 0 || !strings.HasPrefix(log[j+len("Command: "):], tc.typ) {
			t.Errorf("%s (%s): the log does not show %s before STOR:\n%s", tc.file, tc.label, tc.typ, log)
		}
	}
}

// TestSettingLogLevel: Settings → Message log changes what the log pane
// receives: normal has commands and first reply lines, verbose adds the
// rest of multi-line replies (FEAT's list), debug adds listings' raw lines.
func TestSettingLogLevel(t *testing.T) {
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	s.WriteFile(t, "pub/listed-file.txt", []byte("x"))
	for _, tc := range []struct {
		label          string
		feat, rawLines bool
	}{
		{"Normal", false, false},
		{"Verbose", true, false},
		{"Debug", true, true},
	} {
		t.Run(tc.label, func(t *testing.T) {
			w, _ := ftpWindow(t)
			changeSettings(t, w, func(f *settingsForm) { f.logLevel.SetSelected(tc.label) })
			onUI(func() { w.Connect(serverConfig(s), "/pub") })
			waitFor(t, "listing", func() bool { return w.remote.cwd == "/pub" && rowOf(w.remote.table, "listed-file.txt") >= 0 })
			log := waitLog(t, w, "Response: 226")
			if !strings.Contains(log, "Command: FEAT") || !strings.Contains(log, "Response: 211") {
				t.Errorf("no FEAT exchange in the log:\n%s", log)
			}
			if got := strings.Contains(log, "Response:  REST STREAM"); got != tc.feat {
				t.Errorf("FEAT's lines shown: %v, want %v:\n%s", got, tc.feat, log)
			}
			raw := strings.Contains(log, "Response: -rw-") && strings.Contains(log, " listed-file.txt\n")
			if raw != tc.rawLines {
				t.Errorf("raw listing lines shown: %v, want %v:\n%s", raw, tc.rawLines, log)
			}
		})
	}
}
