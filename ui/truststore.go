package ui

import (
	"log/slog"
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
// kill can leave an empty file) into it, then deletes them there.
//
// The decisions are read from the disk once and kept in memory; changes
// apply to memory at once (so any goroutine sees them in the order they
// were made, also on the UI goroutine, which never waits for the disk) and
// are written by one background writer, in order. The readers (trusted,
// plainAccepted, hadTLS) may read the file the first time: not on the UI
// goroutine.
type trustStore struct {
	prefs fyne.Preferences
	st    *bookmarks.Store // nil: memory only
	log   *slog.Logger

	mu       sync.Mutex
	loaded   bool
	mem      bookmarks.Trust
	ops      []func(*bookmarks.Trust) // changes not yet written, in order
	flushing bool
	flushed  sync.WaitGroup
}

// Where older versions kept the decisions (Fyne preferences).
const (
	prefTrusted = "tls.trusted" // "host:port FINGERPRINT"
	prefPlainOK = "tls.plainok" // "host:port"
	prefHadTLS  = "tls.seen"    // "host:port"
)

func newTrustStore(p fyne.Preferences, st *bookmarks.Store, log *slog.Logger) *trustStore {
	return &trustStore{prefs: p, st: st, log: log}
}

// get returns the decisions, reading them the first time; ts.mu must be held.
func (ts *trustStore) get() bookmarks.Trust {
	if !ts.loaded {
		ts.loaded = true
		ts.migrate()
		if ts.st != nil {
			if t, err := ts.st.Trust(); err == nil {
				ts.mem = t
			} else {
				ts.log.Warn("TLS decisions unreadable", "err", err)
			}
		}
		for _, fn := range ts.ops { // made before the first read, not yet on disk
			fn(&ts.mem)
		}
	}
	return ts.mem
}

// change applies fn to the decisions now and writes it in the background.
// It never touches the disk itself: safe on the UI goroutine.
func (ts *trustStore) change(fn func(*bookmarks.Trust)) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.loaded {
		fn(&ts.mem)
	}
	ts.ops = append(ts.ops, fn)
	if !ts.flushing {
		ts.flushing = true
		ts.flushed.Add(1)
		go ts.flush()
	}
}

// flush writes the pending changes, in order, until there are none.
func (ts *trustStore) flush() {
	defer ts.flushed.Done()
	ts.mu.Lock()
	ts.get() // the preferences are moved before anything newer is written
	ts.mu.Unlock()
	for {
		ts.mu.Lock()
		batch := ts.ops
		ts.ops = nil
		if len(batch) == 0 {
			ts.flushing = false
			ts.mu.Unlock()
			return
		}
		ts.mu.Unlock()
		if ts.st == nil {
			continue
		}
		if err := ts.st.UpdateTrust(func(t *bookmarks.Trust) {
			for _, fn := range batch {
				fn(t)
			}
		}); err != nil {
			ts.log.Warn("TLS decisions not saved", "err", err)
		}
	}
}

// migrate moves the preferences' decisions into the store (once, from
// get); ts.mu must be held. They are deleted from the preferences only when
// saved.
func (ts *trustStore) migrate() {
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
	if ts.st != nil {
		if err := ts.st.UpdateTrust(add); err != nil {
			ts.log.Warn("TLS decisions not moved out of the preferences", "err", err)
			return
		}
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
