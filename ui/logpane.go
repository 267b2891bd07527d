package ui

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine"
)

// maxLogLines bounds the message log in memory; older lines are dropped.
const maxLogLines = 10_000

// logPane is the message log: commands, replies, status lines and errors in
// distinct colours. Trace events arrive on connection goroutines; Add only
// appends to a pending slice and schedules one fyne.Do, so a chatty server
// never blocks a connection or floods the UI goroutine.
type logPane struct {
	list    *widget.List
	content fyne.CanvasObject
	lines   []engine.TraceEvent // ring: the oldest line is at start
	start   int
	follow  bool // scroll to the end on new lines

	level atomic.Uint32 // engine.TraceLevel: lines above it are not shown (SetLevel)

	mu        sync.Mutex
	pending   []engine.TraceEvent
	scheduled bool
	clip      func(string)
}

func newLogPane(clip func(string)) *logPane {
	lp := &logPane{follow: true, clip: clip}
	lp.list = widget.NewList(lp.length, lp.create, lp.update)
	lp.list.OnSelected = func(id widget.ListItemID) {
		lp.follow = id == lp.length()-1
	}
	copyAll := widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() { lp.clip(lp.Text()) })
	clearBtn := widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() { lp.Clear() })
	tools := container.NewVBox(copyAll, clearBtn)
	lp.content = container.NewBorder(nil, nil, nil, tools, lp.list)
	return lp
}

// Add appends a line; safe from any goroutine.
func (lp *logPane) Add(ev engine.TraceEvent) {
	if uint32(ev.Level) > lp.level.Load() {
		return // more detail than the log's verbosity (Settings)
	}
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	if ev.Kind == engine.TraceCommand {
		ev.Text = engine.MaskCommand(ev.Text)
	}
	lp.mu.Lock()
	lp.pending = append(lp.pending, ev)
	if len(lp.pending) > maxLogLines {
		lp.pending = lp.pending[len(lp.pending)-maxLogLines:]
	}
	schedule := !lp.scheduled
	lp.scheduled = true
	lp.mu.Unlock()
	if schedule {
		// Coalesce: a transfer burst traces thousands of lines a second,
		// and redrawing the list for each would starve the UI goroutine.
		// On the window's refresh clock, the lines share their frame with
		// the queue pane's rebuild.
		time.AfterFunc(refreshTick(refreshEvery), func() { do(lp.flush) })
	}
}

// Status adds one of Skiff's own status lines.
func (lp *logPane) Status(text string) {
	lp.Add(engine.TraceEvent{Kind: engine.TraceStatus, Text: text})
}

// Error adds an error line.
func (lp *logPane) Error(text string) { lp.Add(engine.TraceEvent{Kind: engine.TraceError, Text: text}) }

func (lp *logPane) flush() {
	lp.mu.Lock()
	batch := lp.pending
	lp.pending, lp.scheduled = nil, false
	lp.mu.Unlock()
	for _, ev := range batch {
		if len(lp.lines) < maxLogLines {
			lp.lines = append(lp.lines, ev)
			continue
		}
		lp.lines[lp.start] = ev
		lp.start = (lp.start + 1) % maxLogLines
	}
	lp.list.Refresh()
	if lp.follow {
		lp.list.ScrollToBottom()
	}
}

func (lp *logPane) length() int { return len(lp.lines) }

func (lp *logPane) line(i int) *engine.TraceEvent {
	return &lp.lines[(lp.start+i)%len(lp.lines)]
}

func (lp *logPane) create() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Selectable = true
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func (lp *logPane) update(id widget.ListItemID, o fyne.CanvasObject) {
	ev := lp.line(id)
	l := o.(*widget.Label)
	l.Importance = kindImportance(ev.Kind)
	l.SetText(formatTrace(ev))
}

func kindImportance(k engine.TraceKind) widget.Importance {
	switch k {
	case engine.TraceCommand:
		return widget.HighImportance
	case engine.TraceReply:
		return widget.SuccessImportance
	case engine.TraceError:
		return widget.DangerImportance
	}
	return widget.MediumImportance
}

var kindPrefix = [...]string{"Command:", "Response:", "Status:", "Error:"}

func formatTrace(ev *engine.TraceEvent) string {
	var b strings.Builder
	if !ev.Time.IsZero() {
		b.WriteString(ev.Time.Local().Format("15:04:05 "))
	}
	if int(ev.Kind) < len(kindPrefix) {
		b.WriteString(kindPrefix[ev.Kind])
	}
	b.WriteString(" ")
	b.WriteString(ev.Text)
	return b.String()
}

// Text returns the whole log, one line per event, for copying.
func (lp *logPane) Text() string {
	var b strings.Builder
	for i := range lp.length() {
		b.WriteString(formatTrace(lp.line(i)))
		b.WriteByte('\n')
	}
	return b.String()
}

// Clear empties the log.
func (lp *logPane) Clear() {
	lp.lines, lp.start = nil, 0
	lp.list.Refresh()
}
