// Package bookmarks is the data behind Skiff's site manager: saved sites in
// nested folders, the quick-connect history, passwords in the OS keychain,
// import from FileZilla's sitemanager.xml and export to JSON. It imports
// neither Fyne nor the engine; internal/cli (SiteConfig) maps a Site to an
// engine.Config.
//
// # Storage
//
// Sites live in one JSON file, Store.Path() = DIR/sites.json, where DIR is
// os.UserConfigDir()/skiff or $SKIFF_CONFIG_DIR (DirFromEnv). The document
// is {"schema": 1, "folders": [...], "sites": [...]}; folders nest; every
// site and folder has a random, stable ID. Names are unique within a folder,
// so a path such as "Work/Web server" (SplitPath: `\/` escapes a slash in a
// name) names one site.
//
// Every save writes a temporary file, fsyncs it, renames it over
// sites.json and fsyncs the directory, after saving the previous version
// as sites.json.bak the same way: a crash leaves the old or the new file.
// A file that is empty, truncated, not JSON, invalid, larger than
// MaxFileSize or unreadable is a *CorruptError (with the backup's path when
// the backup loads); one from a newer Skiff is a *SchemaError. Either way
// the file is left untouched and every change fails until the user calls
// Store.RestoreBackup, which keeps the broken file as
// sites.json.broken-TIMESTAMP.
//
// # Concurrency
//
// A Store is safe for concurrent use, and any number of Skiff processes may
// share one directory. Each change (Store.Update and the methods built on
// it) takes an exclusive flock on DIR/sites.lock (LockFileEx on Windows),
// re-reads sites.json, applies the change to the tree on disk now, writes
// it and unlocks. Changes are operations, not snapshots, so no one's site
// is lost and nothing needs merging. Readers take no lock: the rename makes
// every read see a whole file. The kernel drops the lock of a process that
// dies; a change waits at most LockTimeout for another, then ErrBusy.
//
// A Tree from Load is the caller's snapshot: Children and IsFolder drive a
// widget.Tree (IDs are its UIDs, RootID its root); call Load again after a
// change or to see another process's.
//
// SFTP host keys the user trusts always are in DIR/known_hosts
// (KnownHostsPath), OpenSSH's format, shared by the window and the command
// line.
//
// The quick-connect history (Store.History, AddHistory: the last
// HistoryMax servers, never a password) is DIR/history.json, written the
// same atomic way under DIR/history.lock. It is disposable: a corrupt
// history is reported by History and replaced by the next AddHistory.
//
// The TLS decisions made outside the sites (Trust: certificates trusted
// always, servers accepted without TLS, servers seen with TLS, by
// "host:port") are DIR/trust.json, written the same atomic way under
// DIR/trust.lock; a corrupt one is reported and replaced by the next
// UpdateTrust (the worst loss is a question asked again).
//
// # Passwords
//
// Passwords go to the OS keychain (Keychain: go-keyring, service "Skiff",
// account = site ID; an SFTP key's passphrase, when the user asks to keep
// it, under PassphraseID) and nowhere else: not in sites.json, the backup, the
// history, an export, a log line or an error. Site has no password field;
// HistoryEntry neither. Because the key is the ID, renaming or moving a
// site keeps its password; Store.Delete deletes it, Store.Duplicate copies
// it. Each keychain call runs with a deadline (DefaultKeychainTimeout) since
// an unlock prompt can block forever. When there is no keychain (no Secret
// Service on the session bus, locked and not unlocked, refused, timed out)
// calls fail with a *KeychainError whose message is plain; callers then ask
// for the password each session and keep it in memory only.
//
// On the command line a ~/.netrc (NetrcLookup) is a further, read-only
// password source.
//
// # Import and export
//
// ParseFileZilla reads sitemanager.xml (Protocol 0, 3, 4, 6 as FTP/FTPS;
// 1 as SFTP with its key file; others skipped), and Store.ImportFileZilla
// adds the result under a folder and moves base64 passwords into the
// keychain; master-password-protected ones (encoding="crypt") cannot be
// decrypted and are reported. Store.Export writes the tree as JSON without
// passwords (there are none to leave out).
package bookmarks
