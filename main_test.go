package main

import (
	"bytes"
	"context"
	"errors"
	"github.com/skiff-ftp/skiff/internal/testreq"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// skiffBinary builds the real binary once per test run (the cgo build is
// cached by go build).
func skiffBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "skiff")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestCommandLine(t *testing.T) {
	bin := skiffBinary(t)
	toml, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Version\s*=\s*"([^"]+)"`).FindSubmatch(toml)
	if m == nil {
		t.Fatal("FyneApp.toml has no Version")
	}
	tests := []struct {
		args       []string
		wantStatus int
		wantStdout string
		wantStderr string
	}{
		{[]string{"--help"}, 0, "Usage:", ""},
		{[]string{"--version"}, 0, "skiff " + string(m[1]), ""},
		{[]string{"--no-such-flag"}, 2, "", "Usage:"},
		{[]string{"bogus-command"}, 2, "", "Usage:"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			cmd := exec.Command(bin, tt.args...)
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			status := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				status = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if status != tt.wantStatus {
				t.Errorf("exit status %d, want %d", status, tt.wantStatus)
			}
			if !strings.Contains(out.String(), tt.wantStdout) {
				t.Errorf("stdout %q lacks %q", out.String(), tt.wantStdout)
			}
			if !strings.Contains(errb.String(), tt.wantStderr) {
				t.Errorf("stderr %q lacks %q", errb.String(), tt.wantStderr)
			}
		})
	}
}

// TestWindowScreenshot starts the real window on the X display (Xvfb under
// make test), captures the screen with ImageMagick and checks it is not
// blank. The PNG is kept in test-output/ for people to look at.
func TestWindowScreenshot(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		testreq.Missing(t, "no DISPLAY: run go test under xvfb-run")
	}
	for _, tool := range []string{"import", "identify"} {
		if _, err := exec.LookPath(tool); err != nil {
			testreq.Missing(t, "%s (ImageMagick) not installed", tool)
		}
	}
	bin := skiffBinary(t)
	outDir := os.Getenv("SKIFF_TEST_OUTPUT")
	if outDir == "" {
		outDir = "test-output"
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(outDir, "window.png")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	// A private config and data home: the smoke test must not touch the user's sites or queue.
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"), "XDG_DATA_HOME="+filepath.Join(home, "data"))
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()

	colours := 0
	deadline := time.Now().Add(45 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(time.Second)
		if cmd.ProcessState != nil {
			t.Fatalf("skiff exited early:\n%s", logs.String())
		}
		if out, err := exec.Command("import", "-window", "root", shot).CombinedOutput(); err != nil {
			t.Fatalf("import: %v\n%s", err, out)
		}
		out, err := exec.Command("identify", "-format", "%k", shot).Output()
		if err != nil {
			t.Fatalf("identify: %v", err)
		}
		colours, _ = strconv.Atoi(strings.TrimSpace(string(out)))
		if colours >= 200 {
			break
		}
	}
	if colours < 200 {
		t.Fatalf("screenshot %s has %d distinct colours; the window did not render\n%s", shot, colours, logs.String())
	}
	t.Logf("screenshot %s: %d distinct colours", shot, colours)
}

// In the C locale (containers, cron, CI) Fyne's initialiser used to print
// "Fyne error: Error parsing user locale C" before every command.
func TestCLocaleIsQuiet(t *testing.T) {
	bin := skiffBinary(t)
	for _, env := range [][]string{{"LANG=C"}, {"LANG=C.UTF-8"}, {"LC_ALL=POSIX"}, {}} {
		var out, errb bytes.Buffer
		cmd := exec.Command(bin, "--version")
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, env...)
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v: %v\n%s", env, err, errb.String())
		}
		if errb.Len() != 0 {
			t.Errorf("%v: stderr %q, want nothing", env, errb.String())
		}
	}
}

// The window's soft memory limit: the floor while the live heap is small
// (the 100,000-row listing's freed spans go back to the system instead of
// lifting the peak), twice the live heap beyond, so the collector never
// runs back to back.
func TestSoftLimit(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		name string
		live uint64
		want int64
	}{
		{"no heap yet", 0, 48 * mib},
		{"idle window, 11 MiB", 11 * mib, 48 * mib},
		{"100,000 rows, 41 MiB", 41 * mib, 82 * mib},
		{"a million rows, 300 MiB", 300 * mib, 600 * mib},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := softLimit(tc.live); got != tc.want {
				t.Errorf("softLimit(%d MiB) = %.1f MiB, want %.1f MiB", tc.live/mib, float64(got)/mib, float64(tc.want)/mib)
			}
		})
	}
}
