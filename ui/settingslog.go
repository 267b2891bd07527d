package ui

import "github.com/skiff-ftp/skiff/engine"

// SetLevel sets the message log's verbosity (Settings → Interface): lines
// of a more detailed level are dropped as they arrive. Any goroutine.
func (lp *logPane) SetLevel(l engine.TraceLevel) { lp.level.Store(uint32(l)) }
