package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
)

// ops are the file operations running on the browsing connection (mkdir,
// rename, delete, chmod, a custom command). They have no deadline of their
// own — a recursive delete of a large tree or a slow server may take as long
// as it takes, and the engine's inactivity timeout still catches a server
// that stopped answering — so the user can stop them: while one runs, the
// status bar shows a button that cancels every running operation. Used on
// the UI goroutine only.
type ops struct {
	next    int
	running map[int]op
	button  *widget.Button
}

type op struct {
	what   string
	cancel context.CancelFunc
}

func newOps() *ops {
	o := &ops{running: map[int]op{}}
	o.button = widget.NewButtonWithIcon("", theme.CancelIcon(), o.cancelAll)
	o.button.Hide()
	return o
}

// start registers an operation and returns its context and its end.
func (o *ops) start(what string) (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	o.next++
	id := o.next
	o.running[id] = op{what, cancel}
	o.show()
	return ctx, func() {
		cancel()
		delete(o.running, id)
		o.show()
	}
}

func (o *ops) show() {
	latest := 0
	for id := range o.running {
		latest = max(latest, id)
	}
	if latest == 0 {
		o.button.Hide()
		return
	}
	o.button.SetText("Cancel: " + o.running[latest].what)
	o.button.Show()
}

func (o *ops) cancelAll() {
	for _, r := range o.running {
		r.cancel()
	}
}

// remoteOp runs fn on the browsing connection in the background, logs and
// shows a failure (a cancel by the user is only logged), and refreshes the
// remote pane afterwards.
func (w *Window) remoteOp(what string, fn func(ctx context.Context, s engine.Session) error) {
	r := w.conn
	if r == nil {
		w.showError(what, errNotConnected)
		return
	}
	ctx, end := w.ops.start(what)
	go func() {
		err := r.do(ctx, func(s engine.Session) error { return fn(ctx, s) })
		cancelled := errors.Is(ctx.Err(), context.Canceled)
		do(func() {
			end()
			switch {
			case err != nil && cancelled:
				w.msgs.Status(what + ": cancelled")
			case err != nil:
				w.msgs.Error(what + ": " + plainError(err))
				w.showError(what, err)
			}
			if t := w.tabOf(r); t != nil {
				t.remote.Refresh()
			}
		})
	}()
}
