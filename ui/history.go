package ui

import (
	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/internal/connect"
)

// The quick-connect history lives in the site store (bookmarks' history
// file: atomic, at most 10 entries, no password field); without a store it
// lasts only as long as the window. Both directions run off the UI
// goroutine.

// loadHistory fills the quick-connect drop-down from the store.
func (w *Window) loadHistory() {
	st := w.opts.Sites
	if st == nil {
		return
	}
	go func() {
		es, err := st.History()
		if err != nil {
			w.log.Warn("quick-connect history unreadable", "err", err)
		}
		urls := make([]string, 0, len(es))
		for _, e := range es {
			cfg, _ := connect.HistoryConfig(e)
			urls = append(urls, cfg.URL(""))
		}
		do(func() { w.qc.history = urls })
	}()
}

// saveHistory records the quick-connect list's change: h[0] was just used,
// or h is empty because the user cleared it.
func (w *Window) saveHistory(h []string) {
	st := w.opts.Sites
	if st == nil {
		return
	}
	var first string
	if len(h) > 0 {
		first = h[0]
	}
	go func() {
		var err error
		if first == "" {
			err = st.ClearHistory()
		} else if cfg, dir, perr := engine.ParseURL(first); perr == nil {
			err = st.AddHistory(connect.HistoryEntry(cfg, dir))
		}
		if err != nil {
			w.log.Warn("quick-connect history not saved", "err", err)
		}
	}()
}
