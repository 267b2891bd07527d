package ui

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine/mirror"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// The Synchronize… dialog (WinSCP's checklist): the two folders the panes
// show, a direction (upload, download, or both ways: mirror.TwoWay on the
// state the last two-way sync recorded, conflicts shown and left alone
// until the user picks a side), criteria, excludes and whether to delete; a preview of
// every action the plan (mirror.Sync.Plan, the one `skiff sync` makes)
// holds, each row checkable and reversible; Start queues the checked
// transfers in the window's queue (so pause, retry and crash-resume apply),
// then deletes, then records the sync state. Scans and the run are off the
// UI goroutine and can be stopped.

// Criteria as the dialog names them.
var criteriaNames = []string{"Time and size", "Size only", "Checksum"}

// syncPollEvery is how often a run looks at its queue items.
const syncPollEvery = 100 * time.Millisecond

// syncRow is one action of the preview.
type syncRow struct {
	a        mirror.Action // as planned
	on       bool          // checked
	reversed bool          // the target's file goes to the source instead
	// twoWay: a row of a two-way plan, where a conflict (changed on both
	// sides) is resolved by reversing it: reversed with localWins uploads,
	// without it downloads.
	twoWay    bool
	localWins bool
}

// sides returns a two-way action's local and remote file (Src and Dst,
// swapped for a download).
func sides(a mirror.Action) (local, remote mirror.File) {
	if a.Kind == mirror.Download {
		return a.Dst, a.Src
	}
	return a.Src, a.Dst
}

// isFile: f was scanned and is a file.
func isFile(f mirror.File) bool { return f.Path != "" && !f.Dir }

// reversible: the row is a file that the target has, so the target's
// version can win instead (upload ↔ download). In a two-way plan: a copy
// of a file both sides have, a delete (the side it deletes from gives its
// file back), or a conflict between two files.
func (r syncRow) reversible() bool {
	a := r.a
	if a.Dir || a.Kind == mirror.Mkdir {
		return false
	}
	if r.twoWay {
		l, rm := sides(a)
		switch a.Kind {
		case mirror.Upload, mirror.Download:
			return isFile(l) && isFile(rm)
		case mirror.Delete:
			return true
		}
		return a.Conflict && isFile(l) && isFile(rm)
	}
	return a.Dst.Path != "" && !a.Dst.Dir && (a.Src.Path == "" || !a.Src.Dir)
}

// action is what the row does when checked.
func (r syncRow) action(d mirror.Direction) mirror.Action {
	if !r.reversed {
		return r.a
	}
	a := r.a
	if !r.twoWay {
		back := mirror.Download
		if d == mirror.Down {
			back = mirror.Upload
		}
		return mirror.Action{Kind: back, Path: a.Path, Size: a.Dst.Size, Reason: "reversed (" + a.Reason + ")", Src: a.Dst, Dst: a.Src}
	}
	l, rm := sides(a)
	up, why := false, "reversed"
	switch a.Kind {
	case mirror.Upload:
	case mirror.Download:
		up = true
	case mirror.Delete:
		up = a.Local // the local file stays and goes back to the server
	default: // a conflict
		up, why = r.localWins, "remote wins"
		if up {
			why = "local wins"
		}
	}
	if up {
		return mirror.Action{Kind: mirror.Upload, Path: a.Path, Size: l.Size, Reason: why + " (" + a.Reason + ")", Src: l, Dst: rm}
	}
	return mirror.Action{Kind: mirror.Download, Path: a.Path, Size: rm.Size, Reason: why + " (" + a.Reason + ")", Src: rm, Dst: l}
}

// kindName is the preview's word for what a row does.
func (r syncRow) kindName(d mirror.Direction) string {
	a := r.action(d)
	if a.Kind == mirror.Keep && a.Conflict {
		return "conflict"
	}
	return a.Kind.String()
}

// previewRows turns a plan into the preview's rows: everything but files
// and folders that are the same. Deletes are checked only with del;
// conflicts never (they do nothing unless reversed).
func previewRows(p mirror.Plan, del bool) []syncRow {
	var rows []syncRow
	for _, a := range p.Actions {
		switch {
		case a.Kind == mirror.Keep && !a.Conflict:
			continue
		case a.Kind == mirror.Delete:
			rows = append(rows, syncRow{a: a, on: del})
		case a.Kind == mirror.Keep:
			rows = append(rows, syncRow{a: a})
		default:
			rows = append(rows, syncRow{a: a, on: true})
		}
	}
	return rows
}

// runPlan is what Start carries out: the checked rows, and the folders
// their copies need even where the folder's own row was unchecked.
func runPlan(rows []syncRow, d mirror.Direction) mirror.Plan {
	var p mirror.Plan
	need := map[string]bool{}
	for _, r := range rows {
		a := r.action(d)
		if r.on && (a.Kind == mirror.Upload || a.Kind == mirror.Download) {
			for q := path.Dir(a.Path); q != "." && q != "/"; q = path.Dir(q) {
				need[q] = true
			}
		}
	}
	for _, r := range rows {
		a := r.action(d)
		switch {
		case a.Kind == mirror.Keep:
		case r.on, a.Kind == mirror.Mkdir && need[a.Path]:
			p.Actions = append(p.Actions, a)
		}
	}
	return p
}

// recordPlan is the plan the State is recorded from: the original one
// without the reversed rows (their files were copied against the
// direction: compared afresh next time).
func recordPlan(p mirror.Plan, rows []syncRow) mirror.Plan {
	rev := map[string]bool{}
	for _, r := range rows {
		if r.reversed {
			rev[r.a.Path] = true
		}
	}
	out := mirror.Plan{Undecided: p.Undecided, DeleteRefused: p.DeleteRefused}
	for _, a := range p.Actions {
		if !rev[a.Path] {
			out.Actions = append(out.Actions, a)
		}
	}
	return out
}

// deleteShare counts the target's files the checked deletes remove (a
// folder's files included) and all its files outside the excludes.
func deleteShare(rows []syncRow, target mirror.Tree, excludes []string, d mirror.Direction) (deleted, files int) {
	return deleteShareOf(rows, target, d == mirror.Down, excludes, d)
}

// deleteShareOf is deleteShare of the side tree is (local or not): in a
// two-way plan each side has deletes of its own.
func deleteShareOf(rows []syncRow, tree mirror.Tree, local bool, excludes []string, d mirror.Direction) (deleted, files int) {
	var gone []mirror.Action
	for _, r := range rows {
		if a := r.action(d); r.on && a.Kind == mirror.Delete && (!r.twoWay || a.Local == local) {
			gone = append(gone, a)
		}
	}
	for p, f := range tree.Files {
		if f.Dir || mirror.Excluded(excludes, p) {
			continue
		}
		files++
		for _, a := range gone {
			if p == a.Path || a.Dir && strings.HasPrefix(p, a.Path+"/") {
				deleted++
				break
			}
		}
	}
	return deleted, files
}

// syncDialog is the Synchronize… dialog of the folders the panes showed
// when it opened.
type syncDialog struct {
	w             *Window
	local, remote string

	dlg       dialog.Dialog
	direction *widget.RadioGroup
	criteria  *widget.Select
	excludes  *widget.Entry
	del       *widget.Check
	list      *widget.List
	counts    *widget.Label
	status    *widget.Label
	compare   *widget.Button
	start     *widget.Button
	stop      *widget.Button

	dir     mirror.Direction // of the plan shown
	twoWay  bool             // the plan shown is a two-way one
	s       *mirror.Sync     // the plan's sync: its trees and state file
	release func()
	plan    mirror.Plan
	rows    []syncRow
	gen     int
	cancel  context.CancelFunc // the scan or the run under way
	running bool
	// finished is the last run's outcome; "" while none ended (tests).
	finished string
}

// showSynchronize opens the Synchronize… dialog for the folders shown.
func (w *Window) showSynchronize() {
	pp := w.pair()
	if !w.connected || pp.local.cwd == "" || pp.remote.cwd == "" {
		w.showError("Synchronize", errors.New("connect to a server first: Synchronize makes the folder of one pane match the folder of the other"))
		return
	}
	sd := &syncDialog{w: w, local: pp.local.cwd, remote: pp.remote.cwd}
	w.sv.dialog = sd
	sd.build()
	sd.replan()
	if conn := w.conn; conn != nil {
		go func() {
			f := conn.features(context.Background())
			if len(f.Hash) > 0 {
				do(func() { sd.criteria.Options = criteriaNames; sd.criteria.Refresh() })
			}
		}()
	}
}

func (sd *syncDialog) build() {
	w := sd.w
	sd.direction = widget.NewRadioGroup([]string{"Local → remote (upload)", "Remote → local (download)", "Both ways (two-way)"}, func(string) {
		sd.labelDelete()
		sd.replan()
	})
	sd.direction.Horizontal = true
	sd.direction.Required = true
	sd.direction.Selected = sd.direction.Options[0]
	sd.criteria = widget.NewSelect(criteriaNames[:2], func(string) { sd.replan() })
	sd.criteria.Selected = criteriaNames[0]
	sd.excludes = widget.NewEntry()
	sd.excludes.SetPlaceHolder("*.tmp .git node_modules — globs separated by spaces; Enter applies them")
	sd.excludes.OnSubmitted = func(string) { sd.replan() }
	if w.filters != nil {
		sd.excludes.Text = strings.Join(w.filterGlobs(), " ") // the saved filters turned on
	}
	sd.del = widget.NewCheck(deleteOneWay, func(on bool) {
		for i := range sd.rows {
			if sd.rows[i].a.Kind == mirror.Delete && !sd.rows[i].reversed {
				sd.rows[i].on = on
			}
		}
		sd.showRows()
	})
	form := widget.NewForm(
		widget.NewFormItem("Local folder", widget.NewLabel(sd.local)),
		widget.NewFormItem("Remote folder", widget.NewLabel(sd.remote)),
		widget.NewFormItem("Direction", sd.direction),
		widget.NewFormItem("Compare by", sd.criteria),
		widget.NewFormItem("Exclude", sd.excludes),
		widget.NewFormItem("", sd.del),
	)
	sd.list = widget.NewList(func() int { return len(sd.rows) }, sd.newRow, sd.updateRow)
	sd.counts = widget.NewLabel("")
	sd.counts.Wrapping = fyne.TextWrapWord
	sd.status = widget.NewLabel("")
	sd.status.Truncation = fyne.TextTruncateEllipsis
	sd.compare = widget.NewButtonWithIcon("Compare again", theme.ViewRefreshIcon(), sd.replan)
	sd.start = widget.NewButtonWithIcon("Start", theme.MediaPlayIcon(), sd.startRun)
	sd.start.Importance = widget.HighImportance
	sd.stop = widget.NewButtonWithIcon("Stop", theme.MediaStopIcon(), sd.stopWork)
	closeBtn := widget.NewButton("Close", sd.close)
	buttons := container.NewHBox(sd.compare, layout.NewSpacer(), sd.stop, sd.start, closeBtn)
	top := container.NewVBox(form, widget.NewSeparator(), sd.counts)
	bottom := container.NewVBox(sd.status, buttons)
	content := container.NewBorder(top, bottom, nil, nil, sd.list)
	sd.dlg = dialog.NewCustomWithoutButtons("Synchronize", content, w.win)
	size := w.win.Canvas().Size()
	sd.dlg.Resize(fyne.NewSize(max(size.Width*0.85, 640), max(size.Height*0.85, 480)))
	sd.dlg.Show()
}

// The Delete check's words for a one-way and a two-way sync.
const (
	deleteOneWay = "Delete files that are not in the source"
	deleteTwoWay = "Delete on each side what was deleted on the other since the last two-way sync"
)

// labelDelete words the Delete check for the direction chosen.
func (sd *syncDialog) labelDelete() {
	text := deleteOneWay
	if sd.direction.Selected == sd.direction.Options[2] {
		text = deleteTwoWay
	}
	if sd.del != nil && sd.del.Text != text {
		sd.del.SetText(text)
	}
}

// options are what the controls ask for. Deletes are always planned (and
// shown, unchecked unless asked); the cap is asked at Start.
func (sd *syncDialog) options() mirror.Options {
	o := mirror.Options{Delete: true, ForceDelete: true}
	switch sd.direction.Selected {
	case sd.direction.Options[1]:
		o.Direction = mirror.Down
	case sd.direction.Options[2]:
		o.TwoWay = true
	}
	switch sd.criteria.Selected {
	case criteriaNames[1]:
		o.Criteria = mirror.SizeOnly
	case criteriaNames[2]:
		o.Criteria = mirror.Checksum
	}
	o.Excludes = strings.Fields(sd.excludes.Text)
	return o
}

// replan scans both folders again and shows the new plan.
func (sd *syncDialog) replan() {
	if sd.running || sd.list == nil {
		return
	}
	sd.stopWork()
	o := sd.options()
	for _, g := range o.Excludes {
		if _, err := path.Match(g, ""); err != nil {
			sd.status.SetText(fmt.Sprintf("Exclude %q: %v", g, err))
			return
		}
	}
	s, release, err := sd.w.newSync(sd.local, sd.remote, o)
	if err != nil {
		sd.status.SetText("Cannot compare: " + plainError(err))
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	sd.cancel = cancel
	sd.gen++
	gen := sd.gen
	sd.rows, sd.plan = nil, mirror.Plan{}
	sd.showRows()
	sd.status.SetText("Comparing " + sd.local + " with " + sd.remote + "…")
	sd.setBusy(true)
	go func() {
		p, err := s.Plan(ctx)
		do(func() {
			if gen != sd.gen {
				release()
				return
			}
			sd.cancel = nil
			sd.setBusy(false)
			if sd.release != nil {
				sd.release()
			}
			sd.s, sd.release, sd.dir, sd.twoWay = s, release, o.Direction, o.TwoWay
			if err != nil {
				sd.status.SetText("Cannot compare: " + plainError(err))
				return
			}
			sd.plan = p
			sd.rows = previewRows(p, sd.del.Checked)
			for i := range sd.rows {
				sd.rows[i].twoWay = o.TwoWay
			}
			sd.showRows()
			var notes []string
			if probs := append(s.Source().Problems, s.Target().Problems...); len(probs) > 0 {
				notes = append(notes, "part of the scan failed, so nothing is deleted: "+strings.Join(probs, "; "))
			}
			if len(sd.rows) == 0 {
				notes = append([]string{"Nothing to do: the target matches the source."}, notes...)
			}
			sd.status.SetText(strings.Join(notes, " "))
		})
	}()
}

// setBusy enables the controls that make sense while scanning or running.
func (sd *syncDialog) setBusy(busy bool) {
	for _, b := range []*widget.Button{sd.compare, sd.start} {
		if busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if busy {
		sd.stop.Enable()
	} else {
		sd.stop.Disable()
	}
}

// stopWork stops the scan or the run under way: a run's transfers that
// have not finished leave the queue, nothing is deleted or recorded.
func (sd *syncDialog) stopWork() {
	sd.gen++
	if sd.cancel != nil {
		sd.cancel()
		sd.cancel = nil
	}
	if !sd.running {
		sd.setBusy(false)
	}
}

func (sd *syncDialog) close() {
	if !sd.running {
		sd.stopWork()
		if sd.release != nil {
			sd.release()
			sd.release = nil
		}
	}
	sd.dlg.Hide()
}

// showRows refreshes the checklist and its counts.
func (sd *syncDialog) showRows() {
	sd.list.Refresh()
	sd.counts.SetText(sd.countText())
	if len(sd.rows) == 0 || sd.running {
		sd.start.Disable()
	} else if sd.cancel == nil {
		sd.start.Enable()
	}
}

// countText counts the rows per kind (checked of all) and the bytes the
// checked transfers move.
func (sd *syncDialog) countText() string {
	if len(sd.rows) == 0 {
		return ""
	}
	type count struct{ all, on int }
	n := map[string]*count{}
	var bytes, delBytes int64
	for _, r := range sd.rows {
		k := r.kindName(sd.dir)
		if n[k] == nil {
			n[k] = &count{}
		}
		n[k].all++
		if !r.on {
			continue
		}
		n[k].on++
		switch a := r.action(sd.dir); a.Kind {
		case mirror.Upload, mirror.Download:
			bytes += max(a.Size, 0)
		case mirror.Delete:
			delBytes += max(a.Size, 0)
		}
	}
	var parts []string
	for _, k := range []string{"upload", "download", "mkdir", "delete", "conflict"} {
		if c := n[k]; c != nil {
			parts = append(parts, fmt.Sprintf("%s %d of %d", k, c.on, c.all))
		}
	}
	s := "Checked: " + strings.Join(parts, " · ") + " — " + humanSize(bytes) + " to transfer"
	if delBytes > 0 {
		s += ", " + humanSize(delBytes) + " to delete"
	}
	return s
}

// syncRowView is a checklist row: check, kind, path and reason, size,
// reverse.
type syncRowView struct {
	widget.BaseWidget
	check   *widget.Check
	kind    *widget.Label
	what    *widget.Label
	size    *widget.Label
	reverse *widget.Button
	content fyne.CanvasObject
}

func (sd *syncDialog) newRow() fyne.CanvasObject {
	v := &syncRowView{check: widget.NewCheck("", nil), kind: widget.NewLabel("download"),
		what: widget.NewLabel(""), size: widget.NewLabel("1023.9 MB"),
		reverse: widget.NewButtonWithIcon("Reverse", theme.MailReplyIcon(), nil)}
	v.what.Truncation = fyne.TextTruncateEllipsis
	v.size.Alignment = fyne.TextAlignTrailing
	v.reverse.Importance = widget.LowImportance
	kind := container.NewGridWrap(v.kind.MinSize(), v.kind)
	size := container.NewGridWrap(v.size.MinSize(), v.size)
	v.content = container.NewBorder(nil, nil, container.NewHBox(v.check, kind), container.NewHBox(size, v.reverse), v.what)
	v.ExtendBaseWidget(v)
	return v
}

func (v *syncRowView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

func (sd *syncDialog) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	v := o.(*syncRowView)
	if i >= len(sd.rows) {
		return
	}
	r := sd.rows[i]
	a := r.action(sd.dir)
	v.check.OnChanged = nil
	v.check.SetChecked(r.on)
	v.check.OnChanged = func(on bool) { sd.rows[i].on = on; sd.counts.SetText(sd.countText()) }
	if a.Kind == mirror.Keep || sd.running {
		v.check.Disable()
	} else {
		v.check.Enable()
	}
	v.kind.SetText(r.kindName(sd.dir))
	name := a.Path
	if a.Dir {
		name += "/"
	}
	v.what.SetText(name + " — " + a.Reason)
	if a.Dir || a.Size < 0 {
		v.size.SetText("")
	} else {
		v.size.SetText(humanSize(a.Size))
	}
	v.reverse.OnTapped = func() { sd.reverseRow(i) }
	if r.reversible() && !sd.running {
		v.reverse.Enable()
	} else {
		v.reverse.Disable()
	}
}

// reverseRow makes row i copy the other way (the target's file wins), or
// back; a reversed row is checked.
func (sd *syncDialog) reverseRow(i int) {
	r := &sd.rows[i]
	if !r.reversible() {
		return
	}
	if r.twoWay && r.a.Kind == mirror.Keep {
		// A conflict: left alone → local wins → remote wins → left alone.
		switch {
		case !r.reversed:
			r.reversed, r.localWins = true, true
		case r.localWins:
			r.localWins = false
		default:
			r.reversed = false
		}
		r.on = r.reversed
		sd.showRows()
		return
	}
	r.reversed = !r.reversed
	r.on = r.reversed || r.a.Kind == mirror.Upload || r.a.Kind == mirror.Download || r.a.Kind == mirror.Delete && sd.del.Checked
	sd.showRows()
}

// startRun asks about deletes above the cap, then runs the checked rows.
func (sd *syncDialog) startRun() {
	if sd.running || sd.s == nil || len(sd.rows) == 0 {
		return
	}
	excludes := sd.options().Excludes
	deleted, files := deleteShare(sd.rows, sd.s.Target(), excludes, sd.dir)
	side := "the target's"
	if sd.twoWay {
		// Each side against its own files: the remote one, then the local.
		deleted, files = deleteShareOf(sd.rows, sd.s.Target(), false, excludes, sd.dir)
		side = "the server's"
		if ld, lf := deleteShareOf(sd.rows, sd.s.Source(), true, excludes, sd.dir); float64(ld) > mirror.DefaultMaxDeleteShare*float64(lf) {
			deleted, files, side = ld, lf, "the local folder's"
		}
	}
	if deleted > 0 && float64(deleted) > mirror.DefaultMaxDeleteShare*float64(files) {
		msg := fmt.Sprintf("This deletes %d of %s %d files, more than %.0f%%.\nDelete them?", deleted, side, files, mirror.DefaultMaxDeleteShare*100)
		d := dialog.NewConfirm("Synchronize", msg, func(yes bool) {
			if yes {
				sd.run()
			}
		}, sd.w.win)
		d.SetConfirmText("Delete them")
		d.SetDismissText("Cancel")
		d.Show()
		return
	}
	sd.run()
}

// run queues the checked transfers, waits for them, deletes, records.
func (sd *syncDialog) run() {
	w := sd.w
	b, ok := w.opts.Transfers.(*QueueBridge)
	q := (*queue.Queue)(nil)
	if ok {
		q = b.queue()
	}
	if q == nil {
		sd.status.SetText("Cannot synchronize: no transfer queue")
		return
	}
	if s := w.currentSettings(); !s.PreserveTimes {
		// The next comparison is exact only when each copy takes its
		// source's time; the queue does that for every transfer or none.
		s.PreserveTimes = true
		w.setSettings(s)
		w.msgs.Status("Preserve timestamps turned on: a synchronization keeps the source's times.")
	}
	b.Remember(w.cfg)
	s, rp, rec := sd.s, runPlan(sd.rows, sd.dir), recordPlan(sd.plan, sd.rows)
	ctx, cancel := context.WithCancel(context.Background())
	sd.cancel = cancel
	sd.running, sd.finished = true, ""
	sd.setBusy(true)
	sd.showRows()
	sd.status.SetText("Queueing…")
	ref := w.cfg.URL("")
	go func() {
		out := sd.execute(ctx, q, s, rp, rec, ref)
		do(func() {
			sd.running, sd.cancel = false, nil
			sd.finished = out
			sd.setBusy(false)
			sd.start.Disable() // the plan is spent: Compare again
			sd.list.Refresh()
			sd.status.SetText(out)
			w.msgs.Status("Synchronize " + sd.local + " ↔ " + sd.remote + ": " + out)
			w.local.Refresh()
			w.remote.Refresh()
		})
	}()
}

// execute carries out rp and returns its outcome in words. Off the UI
// goroutine.
func (sd *syncDialog) execute(ctx context.Context, q *queue.Queue, s *mirror.Sync, rp, rec mirror.Plan, ref string) string {
	queued, err := s.Enqueue(ctx, q, rp, ref)
	if err != nil {
		for _, qd := range queued {
			q.Cancel(qd.ID)
		}
		return "Cannot queue the transfers: " + plainError(err)
	}
	items := map[string]queue.Item{}
	tick := time.NewTicker(syncPollEvery)
	defer tick.Stop()
	for {
		left := 0
		for _, qd := range queued {
			it, ok := q.Get(qd.ID)
			switch {
			case !ok:
				delete(items, qd.Action.Path)
			case it.State == queue.Done || it.State == queue.Failed || it.State == queue.Skipped:
				items[qd.Action.Path] = it
			default:
				left++
			}
		}
		if left == 0 {
			break
		}
		done := len(queued) - left
		do(func() { sd.status.SetText(fmt.Sprintf("Transferring: %d of %d done…", done, len(queued))) })
		select {
		case <-ctx.Done():
			for _, qd := range queued {
				if it, ok := q.Get(qd.ID); ok && it.State != queue.Done && it.State != queue.Failed && it.State != queue.Skipped {
					q.Cancel(qd.ID)
				}
			}
			return "Stopped: the transfers not finished were removed from the queue; nothing was deleted."
		case <-tick.C:
		}
	}
	copied, failed := 0, 0
	for _, it := range items {
		if it.State == queue.Done {
			copied++
		} else {
			failed++
		}
	}
	failed += len(queued) - len(items) // removed from the queue meanwhile
	deletes := rp.Count(mirror.Delete)
	dfailed := s.Delete(ctx, rp)
	var rerr error
	if s.Options.TwoWay {
		rerr = s.RecordTwoWay(ctx, rec, items)
	} else {
		rerr = s.Record(rec, items)
	}
	parts := []string{fmt.Sprintf("%d copied", copied)}
	if n := rp.Count(mirror.Mkdir); n > 0 {
		parts = append(parts, fmt.Sprintf("%d folders created", n))
	}
	if deletes > 0 {
		parts = append(parts, fmt.Sprintf("%d deleted", deletes-len(dfailed)))
	}
	if failed+len(dfailed) > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", failed+len(dfailed)))
	}
	out := "Done: " + strings.Join(parts, ", ") + "."
	if rerr != nil {
		out += " The sync state was not saved: " + rerr.Error()
	}
	return out
}
