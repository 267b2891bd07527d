package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// turnoverPane is a queue pane over a fake queue that refreshes every 10 ms
// and turns its rows over at most once an hour.
func turnoverPane(t *testing.T) (*queuePane, *fakeQueue) {
	a := test.NewTempApp(t)
	q := &fakeQueue{}
	var qp *queuePane
	onUI(func() { qp = newQueuePane(a, q) })
	t.Cleanup(qp.Close)
	qp.every = 10 * time.Millisecond
	qp.turnover = time.Hour
	return qp, q
}

// During a burst of finished items the rows on screen turn over at most once
// per turnover period, while progress of the rows that stay still shows at
// every refresh tick, and the event that empties the queue waits for
// neither.
func TestQueuePaneTurnsRowsOverOncePerPeriod(t *testing.T) {
	qp, q := turnoverPane(t) // the rows never turn over twice during the test
	for _, name := range []string{"a", "b", "c"} {
		q.add(TransferItem{Local: "/tmp/" + name, Remote: "/r/" + name, Size: 100})
	}
	waitFor(t, "the queued items", func() bool { queued, _, _ := qp.Counts(); return queued == 3 })

	// The first item to end shows at the next tick: nothing turned over
	// within the period before it.
	q.finish(0, Done, "")
	waitFor(t, "the first finished item", func() bool { _, _, done := qp.Counts(); return done == 1 })

	// The second waits for the next turnover, an hour away.
	q.finish(1, Done, "")
	time.Sleep(20 * qp.every)
	if locked(func() bool { _, _, done := qp.Counts(); return done != 1 }) {
		t.Fatal("the rows turned over twice within the turnover period")
	}

	// The last item ends: the emptied queue shows at once, with the second.
	q.finish(2, Failed, "550 No such file")
	waitFor(t, "the emptied queue", func() bool {
		queued, failed, done := qp.Counts()
		return queued == 0 && failed == 1 && done == 2
	})
}

// Progress of the rows on screen is not held back by the turnover period.
func TestQueuePaneShowsProgressBetweenTurnovers(t *testing.T) {
	qp, q := turnoverPane(t)
	q.add(TransferItem{Local: "/tmp/a", Remote: "/r/a", Size: 100})
	q.add(TransferItem{Local: "/tmp/b", Remote: "/r/b", Size: 100})
	q.finish(0, Done, "") // sets the next turnover an hour away
	waitFor(t, "the finished item", func() bool { _, _, done := qp.Counts(); return done == 1 })

	it := q.items()[1]
	it.State, it.Done = Running, 50
	qp.event(TransferEvent{Item: it})
	waitFor(t, "the progress of the row on screen", func() bool {
		return len(qp.rows[0]) == 1 && qp.rows[0][0].Done == 50
	})
}
