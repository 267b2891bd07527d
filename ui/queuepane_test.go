package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// 10,000 queued items and a flood of progress events never freeze the
// window: events only touch a map, and one rebuild applies them all.
func TestQueuePaneTenThousandItems(t *testing.T) {
	a := test.NewTempApp(t)
	q := &fakeQueue{}
	var qp *queuePane
	onUI(func() { // widgets are built on the UI goroutine, as in the window
		qp = newQueuePane(a, q)
		w := test.NewTempWindow(t, qp.content)
		w.Resize(fyne.NewSize(1000, 300))
	})
	defer qp.Close()
	const n = 10_000
	start := time.Now()
	for i := range n {
		q.add(TransferItem{Local: fmt.Sprintf("/tmp/f%05d", i), Remote: fmt.Sprintf("/r/f%05d", i), Size: 4096})
	}
	items := q.items()
	added := time.Since(start)
	start = time.Now()
	for i := range n { // progress on every item, then half of them done
		it := items[i]
		it.State, it.Done, it.Speed = Running, 2048, 1e6
		qp.event(TransferEvent{Item: it})
		if i%2 == 0 {
			it.State, it.Done = Done, 4096
			qp.event(TransferEvent{Item: it})
		}
	}
	events := time.Since(start)
	start = time.Now()
	onUI(qp.rebuild)
	rebuild := time.Since(start)
	t.Logf("10,000 added %v, 15,000 changes %v, one rebuild %v", added, events, rebuild)
	if events > time.Second*raceSlowdown {
		t.Errorf("events took %v", events)
	}
	queued, failed, done := qp.Counts()
	if queued != n/2 || done != n/2 || failed != 0 {
		t.Fatalf("counts %d %d %d", queued, failed, done)
	}
	var tab string
	onUI(func() { tab = qp.tabs.Items[0].Text })
	if tab != "Queued files (5000)" {
		t.Errorf("tab %q", tab)
	}
	if rebuild > time.Second*raceSlowdown {
		t.Errorf("rebuild took %v", rebuild)
	}
	// removing an item
	qp.event(TransferEvent{Item: q.items()[1], Removed: true})
	onUI(qp.rebuild)
	if queued, _, _ := qp.Counts(); queued != n/2-1 {
		t.Errorf("after remove: %d queued", queued)
	}
}

// Progress and finished items wait for the refresh clock, but the event
// that ends the queue's last open item is shown at once: "Queue: empty"
// (and the panes' new files) do not wait up to a refresh period.
func TestQueuePaneShowsEmptiedQueueAtOnce(t *testing.T) {
	a := test.NewTempApp(t)
	q := &fakeQueue{}
	var qp *queuePane
	onUI(func() { qp = newQueuePane(a, q) })
	defer qp.Close()
	qp.every = time.Hour // the clock never ticks during the test
	q.add(TransferItem{Local: "/tmp/a", Remote: "/r/a", Size: 1})
	q.add(TransferItem{Local: "/tmp/b", Remote: "/r/b", Size: 1})
	q.finish(0, Done, "")
	time.Sleep(50 * time.Millisecond)
	if locked(func() bool { queued, failed, done := qp.Counts(); return queued+failed+done != 0 }) {
		t.Fatal("events were applied before the refresh tick")
	}
	q.finish(1, Failed, "550 No such file")
	waitFor(t, "the emptied queue", func() bool {
		queued, failed, done := qp.Counts()
		return queued == 0 && failed == 1 && done == 1
	})
	onUI(func() {
		if got, want := qp.status.Text, "Queue: empty · 1 failed · 1 done"; got != want {
			t.Errorf("status %q, want %q", got, want)
		}
	})
}

// A rebuild that changes the tab titles (the counts) refreshes the list on
// screen only; a hidden tab's list is brought up to date when it is shown.
func TestQueuePaneRefreshesOnlyTheTabOnScreen(t *testing.T) {
	a := test.NewTempApp(t)
	q := &fakeQueue{}
	var qp *queuePane
	onUI(func() {
		qp = newQueuePane(a, q)
		w := test.NewTempWindow(t, qp.content)
		w.Resize(fyne.NewSize(1000, 300))
	})
	defer qp.Close()
	qp.every = time.Hour
	var updated [3]int
	for i, l := range qp.tables {
		update := l.UpdateCell
		l.UpdateCell = func(id widget.TableCellID, o fyne.CanvasObject) {
			updated[i]++
			update(id, o)
		}
	}
	q.add(TransferItem{Local: "/tmp/a", Remote: "/r/a", Size: 1})
	q.add(TransferItem{Local: "/tmp/b", Remote: "/r/b", Size: 1})
	q.add(TransferItem{Local: "/tmp/c", Remote: "/r/c", Size: 1})
	q.finish(2, Failed, "550 Permission denied")
	onUI(func() {
		qp.rebuild()
		for i := range qp.tables { // the user has looked at every tab once
			qp.tabs.SelectIndex(i)
		}
		qp.tabs.SelectIndex(0)
	})
	q.finish(0, Done, "")
	onUI(func() {
		updated = [3]int{}
		qp.rebuild()
		if got := qp.tabs.Items[2].Text; got != "Successful transfers (1)" {
			t.Errorf("title %q", got)
		}
		// One row left in the first tab: its cells on screen updated once,
		// not once per refresh; the hidden tabs not at all.
		if updated[0] == 0 || updated[0] > int(numQCols) || updated[1] != 0 || updated[2] != 0 {
			t.Errorf("cells updated per tab: %v, want [1…%d 0 0]", updated, numQCols)
		}
		qp.tabs.SelectIndex(2)
		if updated[2] == 0 {
			t.Error("the shown tab was not brought up to date")
		}
		var shown []string
		walkObjects(qp.content, func(o fyne.CanvasObject) {
			if c, ok := o.(*queueCell); ok && c.Visible() && c.col == qcLocal && c.item.ID != 0 {
				shown = append(shown, c.label.Text)
			}
		})
		if len(shown) != 1 || !strings.HasPrefix(shown[0], "/tmp/a") {
			t.Errorf("successful tab shows %q, want /tmp/a", shown)
		}
	})
}

// A rebuild during a burst of small files: 2,000 items, 20 more done since
// the last rebuild, so the counts in the tab titles change every time.
func BenchmarkQueuePaneRebuild(b *testing.B) {
	a := test.NewTempApp(b)
	q := &fakeQueue{}
	qp := newQueuePane(a, q)
	defer qp.Close()
	qp.every = time.Hour
	w := test.NewTempWindow(b, qp.content)
	w.Resize(fyne.NewSize(1280, 200))
	for i := range 2000 {
		q.add(TransferItem{Local: fmt.Sprintf("/home/user/Downloads/tree/dir%02d/file%03d.bin", i/100, i%100),
			Remote: fmt.Sprintf("/tree/dir%02d/file%03d.bin", i/100, i%100), Host: "127.0.0.1:", Size: 4096})
	}
	items := q.items()
	onUI(qp.rebuild)
	n := 0
	for b.Loop() {
		for range 20 {
			it := items[n%len(items)]
			it.State = Done
			if n/len(items)%2 == 1 {
				it.State = Queued
			}
			qp.event(TransferEvent{Item: it})
			n++
		}
		onUI(qp.rebuild)
	}
}
