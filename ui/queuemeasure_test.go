package ui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestQueuePaneRebuildTenThousandRows measures what the refresh clock pays
// with 10,000 rows in the queue: a rebuild after one progress event per
// row, with the table on screen (the figure the brief asks to report).
func TestQueuePaneRebuildTenThousandRows(t *testing.T) {
	a := test.NewTempApp(t)
	q := &fakeQueue{}
	var qp *queuePane
	onUI(func() {
		qp = newQueuePane(a, q)
		w := test.NewTempWindow(t, qp.content)
		w.Resize(fyne.NewSize(1280, 300))
	})
	defer qp.Close()
	qp.every = time.Hour
	const n = 10_000
	for i := range n {
		q.add(TransferItem{Local: fmt.Sprintf("/home/u/Downloads/f%05d.bin", i), Remote: fmt.Sprintf("/pub/f%05d.bin", i), Host: "127.0.0.1:", Size: 4096})
	}
	items := q.items()
	onUI(qp.rebuild) // the first builds the cells
	var total time.Duration
	const rounds = 10
	for r := range rounds {
		for i := range n {
			it := items[i]
			it.State, it.Done, it.Speed = Running, int64(r*100+i%100), 1e6
			qp.event(TransferEvent{Item: it})
		}
		start := time.Now()
		onUI(qp.rebuild)
		total += time.Since(start)
	}
	t.Logf("rebuild of 10,000 rows: %v (mean of %d)", total/rounds, rounds)
	if queued, _, _ := qp.Counts(); queued != n {
		t.Fatalf("%d queued", queued)
	}
	if total/rounds > time.Second*raceSlowdown/4 {
		t.Errorf("a rebuild of 10,000 rows took %v", total/rounds)
	}
}
