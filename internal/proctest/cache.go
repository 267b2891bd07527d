package proctest

import (
	"fmt"
	"os"
	"path/filepath"
)

// CacheDir is where a script unpacked a kind of server: $env when set, else
// <repo root>/.cache/<name>, found by walking up from the working directory
// to go.mod.
func CacheDir(env, name string) (string, error) {
	if d := os.Getenv(env); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, ".cache", name), nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("no go.mod above %s", wd)
		}
	}
}
