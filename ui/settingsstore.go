package ui

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/skiff-ftp/skiff/bookmarks"
)

// SettingsName is the settings file, kept next to the sites.
const SettingsName = "settings.json"

// settingsStore keeps Settings in DIR/settings.json (bookmarks'
// atomic write: a kill while saving leaves the old or the new file), or
// in memory when there is no site store. Its methods touch the disk: never
// on the UI goroutine.
type settingsStore struct {
	path string // "": memory only

	mu     sync.Mutex
	mem    *Settings
	saving sync.WaitGroup // saves running in the background
}

func newSettingsStore(st SiteStore) *settingsStore {
	if st == nil {
		return &settingsStore{}
	}
	return &settingsStore{path: filepath.Join(st.Dir(), SettingsName)}
}

// load returns the saved settings, the defaults for what is missing or
// out of range, and the defaults when there is no file; a broken file is
// reported with the defaults.
func (ss *settingsStore) load() (Settings, error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.mem != nil {
		return *ss.mem, nil
	}
	s := DefaultSettings()
	if ss.path == "" {
		return s, nil
	}
	raw, err := os.ReadFile(ss.path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err == nil {
		err = json.Unmarshal(raw, &s)
	}
	if err != nil {
		return DefaultSettings(), err
	}
	return s.clean(), nil
}

// save writes s; the settings in memory change even if the disk refuses.
func (ss *settingsStore) save(s Settings) error {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.mem = &s
	if ss.path == "" {
		return nil
	}
	data, err := json.MarshalIndent(s, "", "\t")
	if err != nil {
		return err
	}
	return bookmarks.WriteFileAtomic(ss.path, append(data, '\n'))
}
