package bookmarks

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"time"
)

// History file name and length.
const (
	HistoryName = "history.json"
	historyLock = "history.lock"
	HistoryMax  = 10 // quick-connect entries kept
)

// HistoryEntry is one quick connection. It has no password field on
// purpose: the history never holds one.
type HistoryEntry struct {
	Host      string    `json:"host"`
	Port      int       `json:"port,omitempty"`
	User      string    `json:"user,omitempty"`
	Protocol  Protocol  `json:"protocol,omitempty"`
	Security  Security  `json:"security,omitempty"`
	RemoteDir string    `json:"remoteDir,omitempty"`
	Time      time.Time `json:"time"`
}

// same reports whether two entries name the same server and account.
func (e HistoryEntry) same(o HistoryEntry) bool {
	return e.Host == o.Host && e.Port == o.Port && e.User == o.User && e.Protocol == o.Protocol && e.Security == o.Security
}

type historyFile struct {
	Schema  int            `json:"schema"`
	Entries []HistoryEntry `json:"entries"`
}

// History returns the quick-connect history, newest first. A missing file
// is an empty history; a broken one is a *CorruptError (and the next
// AddHistory replaces it: the history is disposable, unlike the sites).
func (s *Store) History() ([]HistoryEntry, error) {
	raw, err := readLimited(filepath.Join(s.dir, HistoryName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &CorruptError{Path: filepath.Join(s.dir, HistoryName), Err: err}
	}
	var h historyFile
	if err := json.Unmarshal(raw, &h); err != nil {
		return nil, &CorruptError{Path: filepath.Join(s.dir, HistoryName), Err: fmt.Errorf("not valid JSON: %w", err)}
	}
	if h.Schema > SchemaVersion {
		return nil, &SchemaError{Path: filepath.Join(s.dir, HistoryName), Found: h.Schema, Supported: SchemaVersion}
	}
	return h.Entries, nil
}

// AddHistory puts e first in the history (Time defaults to now), removing
// an older entry for the same server and account, and keeps HistoryMax.
func (s *Store) AddHistory(e HistoryEntry) error {
	if e.Host == "" {
		return fmt.Errorf("%w: history entry without a host", ErrInvalid)
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Time = e.Time.UTC().Truncate(time.Second)
	return s.updateHistory(func(h []HistoryEntry) []HistoryEntry {
		h = slices.DeleteFunc(h, e.same)
		h = append([]HistoryEntry{e}, h...)
		return h[:min(len(h), HistoryMax)]
	})
}

// ClearHistory empties the history.
func (s *Store) ClearHistory() error {
	return s.updateHistory(func([]HistoryEntry) []HistoryEntry { return nil })
}

func (s *Store) updateHistory(fn func([]HistoryEntry) []HistoryEntry) error {
	release, err := lockPath(filepath.Join(s.dir, historyLock), LockTimeout)
	if err != nil {
		return err
	}
	defer release()
	h, err := s.History()
	var se *SchemaError
	if errors.As(err, &se) {
		return err
	}
	h = fn(h) // a corrupt history (err != nil) starts over
	if h == nil {
		h = []HistoryEntry{}
	}
	data, err := json.MarshalIndent(historyFile{Schema: SchemaVersion, Entries: h}, "", "\t")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(s.dir, HistoryName), append(data, '\n'))
}
