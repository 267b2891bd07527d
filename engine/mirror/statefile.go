package mirror

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// StateFile is where the State of one folder pair of one site is kept, in
// the queue's data folder: the same file for `skiff sync` and the window's
// Synchronize, so either one's record serves the other. A two-way sync
// keeps a State of its own (it records both sides' times): pass TwoWay.
func StateFile(d Direction, twoWay bool, site engine.SiteKey, remoteRoot, local string) (string, error) {
	dir, err := queue.DataDir()
	if err != nil {
		return "", err
	}
	pair := fmt.Appendf(nil, "%d\x00%+v\x00%s\x00%s", d, site, remoteRoot, local)
	if twoWay {
		pair = append(pair, "\x00two-way"...)
	}
	h := sha256.Sum256(pair)
	return filepath.Join(dir, "sync", hex.EncodeToString(h[:8])+".db"), nil
}
