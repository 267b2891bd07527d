package ui

import (
	"errors"

	"github.com/skiff-ftp/skiff/engine"
)

// SiteStore is what the site manager needs from the saved sites.
type SiteStore interface{}

// siteManager is the site manager dialog.
type siteManager struct {
	w     *Window
	store SiteStore
}

func newSiteManager(w *Window, s SiteStore) *siteManager { return &siteManager{w: w, store: s} }

func (sm *siteManager) show() {}

func (sm *siteManager) connectByPath(p string) {
	sm.w.showError("Cannot open site "+p, errors.New("the site manager is not available yet"))
}

func (sm *siteManager) trust(cfg engine.Config, fp string) {}

func (sm *siteManager) importFileZilla() {}
