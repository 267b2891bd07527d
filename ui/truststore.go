package ui

import (
	"strings"
	"sync"

	"fyne.io/fyne/v2"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
)

// trustStore is the window's view of bookmarks.Trust: the TLS decisions made
// for quick connections, kept next to the sites in the site store's folder
// (in memory when there is no site store). The first use moves what older
// versions kept in Fyne's preferences (which Fyne writes non-atomically: a
// kill can leave an empty file) into it, then deletes them there. Its
// methods read or write a file: never call them on the UI goroutine.
type trustStore struct {
	prefs fyne.Preferences
	st    *bookmarks.Store // nil: mem only

	mu       sync.Mutex
	mem      bookmarks.Trust
	migrated bool
}

// Where older versions kept the decisions (Fyne preferences).
const (
	prefTrusted = "tls.trusted" // "host:port FINGERPRINT"
	prefPlainOK = "tls.plainok" // "host:port"
	prefHadTLS  = "tls.seen"    // "host:port"
)

func newTrustStore(p fyne.Preferences, st *bookmarks.Store) *trustStore {
	return &trustStore{prefs: p, st: st}
}

// get returns the decisions; ts.mu must be held.
func (ts *trustStore) get() bookmarks.Trust {
	ts.migrate()
	if ts.st == nil {
		return ts.mem
	}
	t, err := ts.st.Trust()
	if err != nil {
		return ts.mem // unreadable: what this run decided
	}
	return t
}

// update changes the decisions; ts.mu must be held. The change is kept in
// memory too, so a store that cannot be written still holds it this run.
func (ts *trustStore) update(fn func(*bookmarks.Trust)) error {
	ts.migrate()
	fn(&ts.mem)
	if ts.st == nil {
		return nil
	}
	return ts.st.UpdateTrust(fn)
}

// migrate moves the preferences' decisions into the store once; ts.mu must
// be held. They are deleted from the preferences only when saved.
func (ts *trustStore) migrate() {
	if ts.migrated {
		return
	}
	ts.migrated = true
	trusted, plain, seen := ts.prefs.StringList(prefTrusted), ts.prefs.StringList(prefPlainOK), ts.prefs.StringList(prefHadTLS)
	if len(trusted)+len(plain)+len(seen) == 0 {
		return
	}
	add := func(t *bookmarks.Trust) {
		for _, e := range trusted {
			if i := strings.LastIndexByte(e, ' '); i > 0 {
				t.TrustCertificate(e[:i], e[i+1:])
			}
		}
		for _, a := range seen {
			t.SawTLS(a)
		}
		for _, a := range plain {
			if !t.PlainAccepted(a) {
				t.PlainOK = append(t.PlainOK, a)
			}
		}
	}
	add(&ts.mem)
	if ts.st != nil && ts.st.UpdateTrust(add) != nil {
		return
	}
	for _, k := range []string{prefTrusted, prefPlainOK, prefHadTLS} {
		ts.prefs.RemoveValue(k)
	}
}

// trusted returns the certificates trusted always for cfg's server.
func (ts *trustStore) trusted(cfg engine.Config) []string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t := ts.get()
	return t.Fingerprints(cfg.Addr())
}

// plainAccepted reports whether the user said "always" to plain FTP for
// cfg's server, and the server has not offered TLS since.
func (ts *trustStore) plainAccepted(cfg engine.Config) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t := ts.get()
	return t.PlainAccepted(cfg.Addr())
}

// hadTLS reports whether cfg's server has offered TLS before.
func (ts *trustStore) hadTLS(cfg engine.Config) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t := ts.get()
	return t.HadTLS(cfg.Addr())
}

func (ts *trustStore) change(fn func(*bookmarks.Trust)) error {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.update(fn)
}
