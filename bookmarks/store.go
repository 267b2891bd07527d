package bookmarks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Store file names and limits.
const (
	FileName      = "sites.json"     // the sites
	BackupName    = "sites.json.bak" // the version before the last save
	lockName      = "sites.lock"     // flocked while a process changes FileName
	SchemaVersion = 1                // the "schema" this version reads and writes

	// MaxFileSize bounds what Load reads; a bigger file is reported, not
	// parsed (10,000 sites take about 4 MB).
	MaxFileSize = 64 << 20
	// LockTimeout is how long a change waits for another process's change.
	LockTimeout = 10 * time.Second
)

// EnvConfigDir names the environment variable that moves the store (and the
// history) out of os.UserConfigDir()/skiff; tests and portable installs set it.
const EnvConfigDir = "SKIFF_CONFIG_DIR"

// ErrBusy is returned when another process held the store's lock for longer
// than LockTimeout.
var ErrBusy = errors.New("the site file is locked by another Skiff process")

// CorruptError reports a site file that cannot be read or parsed: empty,
// truncated, not JSON, not a valid tree, too large, or unreadable. The file
// is left untouched and the store refuses to write until the user restores
// the backup (Store.RestoreBackup) or moves the file away.
type CorruptError struct {
	Path string
	Err  error
	// Backup is the path of a backup that loads, or "" when there is none;
	// BackupTime is its modification time.
	Backup     string
	BackupTime time.Time
}

func (e *CorruptError) Error() string {
	msg := fmt.Sprintf("the site file %s cannot be read (%v); it was left untouched", e.Path, e.Err)
	if e.Backup != "" {
		msg += fmt.Sprintf("; a backup from %s can be restored", e.BackupTime.Format(time.DateTime))
	} else {
		msg += "; there is no usable backup"
	}
	return msg
}

func (e *CorruptError) Unwrap() error { return e.Err }

// SchemaError reports a site file written by a newer Skiff. It is left
// untouched: rewriting it would drop what this version does not know.
type SchemaError struct {
	Path             string
	Found, Supported int
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("the site file %s was written by a newer Skiff (schema %d; this version reads %d); it was left untouched",
		e.Path, e.Found, e.Supported)
}

// file is the JSON document: the root folder's children plus a version.
type file struct {
	Schema  int       `json:"schema"`
	Folders []*Folder `json:"folders"`
	Sites   []*Site   `json:"sites"`
	Proxy   *Proxy    `json:"proxy,omitempty"` // the default proxy (Tree.Proxy)
}

// Store is the site file in a directory. It is safe for concurrent use by
// goroutines and by processes: every change runs under an exclusive lock on
// a lock file, re-reads the file, applies the change to what is on disk
// now, and writes the result atomically. Nothing is merged, so nothing is
// lost: two processes that add a site each end with both sites.
type Store struct {
	dir string

	// Secrets receives the passwords of sites: Delete deletes items,
	// Duplicate copies them, the FileZilla import stores them. Nil means
	// no keychain: such operations skip passwords. Set it before use.
	Secrets *Keychain

	mu   sync.Mutex // serializes this Store's changes; the file lock serializes processes
	last *Tree      // the tree as last read or written
}

// DefaultDir returns os.UserConfigDir()/skiff.
func DefaultDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no configuration directory: %w", err)
	}
	return filepath.Join(d, "skiff"), nil
}

// DirFromEnv returns $SKIFF_CONFIG_DIR when set, else DefaultDir.
func DirFromEnv(getenv func(string) string) (string, error) {
	if d := getenv(EnvConfigDir); d != "" {
		return d, nil
	}
	return DefaultDir()
}

// Open returns the store in dir, creating dir (mode 0700) if needed. It does
// not read the file: Load does.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("bookmarks: no store directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return &Store{dir: dir}, nil
}

// Dir returns the store's directory.
func (s *Store) Dir() string { return s.dir }

// KnownHostsName is Skiff's own known-hosts file in the store's directory:
// the SFTP host keys the user chose to trust always (window and command
// line alike). ~/.ssh/known_hosts is read too but never written.
const KnownHostsName = "known_hosts"

// KnownHostsPath returns the path of Skiff's known-hosts file.
func (s *Store) KnownHostsPath() string { return filepath.Join(s.dir, KnownHostsName) }

// Path returns the site file's path.
func (s *Store) Path() string { return filepath.Join(s.dir, FileName) }

// Load reads the site file and returns a snapshot. A missing file is an
// empty tree. A broken file is a *CorruptError, a newer one a *SchemaError.
// Reading takes no lock: writes replace the file by rename, so a reader sees
// the old or the new version, never half of one.
func (s *Store) Load() (*Tree, error) {
	t, _, err := s.read()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.last = t
	s.mu.Unlock()
	return t.Clone(), nil
}

// Tree returns the last tree loaded or written by this Store (loading it the
// first time). Use Load to see other processes' changes.
func (s *Store) Tree() (*Tree, error) {
	s.mu.Lock()
	last := s.last
	s.mu.Unlock()
	if last == nil {
		return s.Load()
	}
	return last.Clone(), nil
}

// read returns the tree on disk and the raw bytes (nil when there is no file).
func (s *Store) read() (*Tree, []byte, error) {
	raw, err := readLimited(s.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return NewTree(), nil, nil
	}
	if err == nil {
		var t *Tree
		if t, err = decode(raw); err == nil {
			return t, raw, nil
		}
		var se *SchemaError
		if errors.As(err, &se) {
			se.Path = s.Path()
			return nil, nil, se
		}
	}
	ce := &CorruptError{Path: s.Path(), Err: err}
	if _, err := s.loadBackup(); err == nil {
		ce.Backup = filepath.Join(s.dir, BackupName)
		if fi, err := os.Stat(ce.Backup); err == nil {
			ce.BackupTime = fi.ModTime()
		}
	}
	return nil, nil, ce
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("file is larger than %d MiB", MaxFileSize>>20)
	}
	return b, nil
}

// decode parses and checks a site file.
func decode(raw []byte) (*Tree, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, errors.New("the file is empty")
	}
	var v struct {
		Schema *int `json:"schema"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	switch {
	case v.Schema == nil:
		return nil, errors.New("no schema version: not a Skiff site file")
	case *v.Schema > SchemaVersion:
		return nil, &SchemaError{Found: *v.Schema, Supported: SchemaVersion}
	case *v.Schema < 1:
		return nil, fmt.Errorf("invalid schema version %d", *v.Schema)
	}
	var f file
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("not a valid site file: %w", err)
	}
	t := &Tree{Root: &Folder{ID: RootID, Folders: f.Folders, Sites: f.Sites}, Proxy: f.Proxy}
	if err := t.check(); err != nil {
		return nil, fmt.Errorf("not a valid site file: %w", err)
	}
	return t, nil
}

func encode(t *Tree) ([]byte, error) {
	f := file{Schema: SchemaVersion, Folders: t.Root.Folders, Sites: t.Root.Sites, Proxy: t.Proxy}
	if f.Folders == nil {
		f.Folders = []*Folder{}
	}
	if f.Sites == nil {
		f.Sites = []*Site{}
	}
	b, err := json.MarshalIndent(f, "", "\t")
	return append(b, '\n'), err
}

func (s *Store) loadBackup() ([]byte, error) {
	raw, err := readLimited(filepath.Join(s.dir, BackupName))
	if err != nil {
		return nil, err
	}
	if _, err := decode(raw); err != nil {
		return nil, err
	}
	return raw, nil
}

// Update runs fn on the current tree under the store's lock and saves the
// result atomically, keeping the previous file as BackupName. If fn returns
// an error nothing is written. If the file on disk is corrupt, fn is not
// called and the file is not touched. It returns a snapshot of the saved tree.
func (s *Store) Update(fn func(*Tree) error) (*Tree, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	release, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer release()
	s.removeStaleTemps()
	t, raw, err := s.read()
	if err != nil {
		return nil, err
	}
	if err := fn(t); err != nil {
		return nil, err
	}
	if err := t.check(); err != nil {
		return nil, err
	}
	data, err := encode(t)
	if err != nil {
		return nil, err
	}
	if raw != nil && !bytes.Equal(raw, data) {
		if err := writeAtomic(filepath.Join(s.dir, BackupName), raw); err != nil {
			return nil, fmt.Errorf("saving the backup: %w", err)
		}
	}
	if err := writeAtomic(s.Path(), data); err != nil {
		return nil, fmt.Errorf("saving sites: %w", err)
	}
	s.last = t
	return t.Clone(), nil
}

// RestoreBackup replaces the site file by the backup. The file it replaces
// is kept as sites.json.broken-TIMESTAMP, never deleted.
func (s *Store) RestoreBackup() (*Tree, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	release, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer release()
	raw, err := s.loadBackup()
	if err != nil {
		return nil, fmt.Errorf("the backup cannot be restored: %w", err)
	}
	if _, err := os.Stat(s.Path()); err == nil {
		keep := s.Path() + ".broken-" + time.Now().UTC().Format("20060102T150405.000")
		if err := os.Rename(s.Path(), keep); err != nil {
			return nil, err
		}
	}
	if err := writeAtomic(s.Path(), raw); err != nil {
		return nil, err
	}
	t, _ := decode(raw)
	s.last = t
	return t.Clone(), nil
}

// removeStaleTemps deletes temporary files a crashed save left behind. It
// runs under the lock, when no save is in progress.
func (s *Store) removeStaleTemps() {
	entries, _ := os.ReadDir(s.dir)
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, FileName+".tmp-") || strings.HasPrefix(n, BackupName+".tmp-") {
			os.Remove(filepath.Join(s.dir, n))
		}
	}
}

// lock takes the cross-process lock, waiting up to LockTimeout.
func (s *Store) lock() (release func(), err error) {
	return lockPath(filepath.Join(s.dir, lockName), LockTimeout)
}

func lockPath(path string, timeout time.Duration) (release func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if ok {
			return func() { unlock(f); f.Close() }, nil
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, ErrBusy
		}
		time.Sleep(wait)
	}
}

// writeAtomic replaces path by data: a temporary file in the same directory,
// fsynced, renamed over path, then the directory fsynced. A crash leaves the
// old or the new file, never a mix. Files are 0600.
func writeAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// AddFolder creates a folder in parentID (RootID for the top level).
func (s *Store) AddFolder(parentID, name string) (Folder, error) {
	var f *Folder
	_, err := s.Update(func(t *Tree) (err error) { f, err = t.AddFolder(parentID, name); return })
	if err != nil {
		return Folder{}, err
	}
	return *f.Clone(), nil
}

// AddSite adds site to parentID and returns it with its new ID.
func (s *Store) AddSite(parentID string, site Site) (Site, error) {
	site.ID = ""
	var added *Site
	_, err := s.Update(func(t *Tree) (err error) { added, err = t.AddSite(parentID, site); return })
	if err != nil {
		return Site{}, err
	}
	return *added.Clone(), nil
}

// UpdateSite replaces the fields of the site with site.ID by site's (the
// site manager's Save); its place in the tree is kept. Two processes saving
// the same site: the last one wins, for that site only.
func (s *Store) UpdateSite(site Site) error {
	_, err := s.Update(func(t *Tree) error { return t.UpdateSite(site) })
	return err
}

// Rename renames a site or folder; IDs and passwords are kept.
func (s *Store) Rename(id, name string) error {
	_, err := s.Update(func(t *Tree) error { return t.Rename(id, name) })
	return err
}

// Move moves a site or folder into folder toID; IDs and passwords are kept.
func (s *Store) Move(id, toID string) error {
	_, err := s.Update(func(t *Tree) error { return t.Move(id, toID) })
	return err
}

// TrustCertificate adds a SHA-256 fingerprint (engine.CertInfo.Fingerprint,
// "AB:CD:…") to the site's trusted certificates: the "always trust" answer
// to a certificate prompt. Adding one already there is not an error.
func (s *Store) TrustCertificate(siteID, fingerprint string) error {
	fp := strings.ToUpper(strings.TrimSpace(fingerprint))
	if fp == "" {
		return fmt.Errorf("%w: empty fingerprint", ErrInvalid)
	}
	_, err := s.Update(func(t *Tree) error {
		site, ok := t.Site(siteID)
		if !ok {
			return fmt.Errorf("site %s: %w", siteID, ErrNotFound)
		}
		if !slices.Contains(site.TrustedFingerprints, fp) {
			site.TrustedFingerprints = append(site.TrustedFingerprints, fp)
		}
		return nil
	})
	return err
}

// Duplicate copies a site or folder next to itself under a free name and
// copies the passwords of the copied sites in the keychain. The copy is
// saved even when a password could not be copied; the error says so.
func (s *Store) Duplicate(ctx context.Context, id string) (copyID string, err error) {
	var ids map[string]string
	if _, err := s.Update(func(t *Tree) (err error) { copyID, ids, err = t.Duplicate(id); return }); err != nil {
		return "", err
	}
	if s.Secrets == nil {
		return copyID, nil
	}
	var errs []error
	for from, to := range ids {
		for _, item := range secretItems {
			pw, err := s.Secrets.Get(ctx, item(from))
			if errors.Is(err, ErrNoPassword) {
				continue
			}
			if err == nil {
				err = s.Secrets.Set(ctx, item(to), pw)
			}
			errs = append(errs, err)
		}
	}
	return copyID, errors.Join(errs...)
}

// Delete removes a site, or a folder and everything in it, and then the
// keychain items of the removed sites. The sites are gone even when the
// keychain fails; the error says which items remain.
func (s *Store) Delete(ctx context.Context, id string) error {
	var gone []string
	if _, err := s.Update(func(t *Tree) (err error) { gone, err = t.Delete(id); return }); err != nil {
		return err
	}
	if s.Secrets == nil {
		return nil
	}
	var errs []error
	for _, sid := range gone {
		for _, item := range secretItems {
			if err := s.Secrets.Delete(ctx, item(sid)); err != nil && !errors.Is(err, ErrNoPassword) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// WriteFileAtomic replaces path by data the way the store saves its own
// files: a temporary file in the same folder, fsynced, renamed over path,
// then the folder fsynced; the file is 0600. For other files kept next to
// the sites (the window's settings).
func WriteFileAtomic(path string, data []byte) error { return writeAtomic(path, data) }
