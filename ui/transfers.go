package ui

import (
	"time"

	"github.com/skiff-ftp/skiff/engine"
)

// TransferState is where a queue item is in its life.
type TransferState uint8

const (
	Queued TransferState = iota
	Running
	Paused
	Done
	Failed
	Skipped
)

var stateNames = [...]string{"Queued", "Transferring", "Paused", "Done", "Failed", "Skipped"}

func (s TransferState) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "?"
}

// TransferItem is one row of the transfer queue as the window shows it.
type TransferItem struct {
	ID     uint64
	Upload bool
	Local  string
	Remote string
	Host   string // for the row's remote column: "host:/path"
	Size   int64  // -1 unknown
	Done   int64
	Speed  float64       // bytes per second
	Left   time.Duration // time left, 0 unknown
	State  TransferState
	Reason string // the server's reason when failed
	Dir    bool   // a folder job still being walked
	// Job is the item's job (the folder or selection queued together).
	Job uint64
	// Always is the "always use this action" answer of the item's job, in
	// the overwrite dialog's words; "" when there is none.
	Always string
	// Waiting: paused until the user connects to the item's site.
	Waiting bool
}

// alwaysForgetter is a Transfers whose jobs remember an "always use this
// action" answer, which the queue pane offers to forget.
type alwaysForgetter interface{ ForgetAlways(job uint64) }

// batcher is a Transfers that can queue several transfers as one selection.
type batcher interface{ Batch(fn func()) }

// TransferEvent reports a change of one item; Removed means it left the queue.
type TransferEvent struct {
	Item    TransferItem
	Removed bool
	// Order, when set, is the whole queue order (item IDs) after a move;
	// Item is then unused.
	Order []uint64
}

// Transfers is the transfer queue the window drives: the engine's queue
// behind an adapter in production, a fake in tests. Every method may be
// called on the UI goroutine and must not block on the network or the disk.
// Events are delivered on any goroutine through the function given to
// Subscribe; the window applies them with fyne.Do, coalesced.
type Transfers interface {
	// Download queues the remote file or folder (dir) into the local folder
	// dir under name, the server's name for it, as it is: the queue alone
	// decides whether that name is safe (it refuses "../x", "/abs/x", …).
	Download(cfg engine.Config, remote, localDir, name string, dir bool, size int64)
	// Upload queues the local file or folder to remote.
	Upload(cfg engine.Config, local, remote string, dir bool, size int64)
	Pause(id uint64)
	Resume(id uint64)
	Cancel(id uint64)
	Retry(id uint64)
	Remove(id uint64)
	// Move moves a queued item by delta places (negative: up).
	Move(id uint64, delta int)
	Subscribe(fn func(TransferEvent))
}
