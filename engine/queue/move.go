package queue

import "slices"

// MoveBlock puts the items ids, in their present queue order, side by side
// at position to (0 is the front) of the order of the other items: the
// queue pane's "move to top/bottom" of a selection. Items not in the queue
// are ignored. One call stores every new position together, so the block
// is restored in order after a restart, never half moved.
func (q *Queue) MoveBlock(ids []ID, to int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	moving := make(map[ID]bool, len(ids))
	for _, id := range ids {
		if q.items[id] != nil {
			moving[id] = true
		}
	}
	if len(moving) == 0 {
		return
	}
	block := make([]ID, 0, len(moving))
	rest := make([]ID, 0, len(q.order)-len(moving))
	for _, id := range q.order {
		if moving[id] {
			block = append(block, id)
		} else {
			rest = append(rest, id)
		}
	}
	to = min(max(to, 0), len(rest))
	q.order = slices.Concat(rest[:to], block, rest[to:])
	// Stored positions between the neighbours', spaced evenly; everything
	// is renumbered only when they leave no room.
	var before, after int64 = 0, 0
	if to > 0 {
		before = q.items[rest[to-1]].seq
	}
	if to < len(rest) {
		after = q.items[rest[to]].seq
	} else {
		after = before + int64(len(block)+1)*seqGap
	}
	if step := (after - before) / int64(len(block)+1); step >= 1 {
		for i, id := range block {
			e := q.items[id]
			e.seq = before + int64(i+1)*step
			q.save(e)
		}
	} else {
		for n, id := range q.order {
			e := q.items[id]
			e.seq = int64(n+1) * seqGap
			q.save(e)
		}
	}
	q.rebuildLanes()
	for _, id := range block {
		q.ev.emit(Changed, q.items[id].Item)
	}
}

// Order returns the IDs of every item in queue order: what a view needs
// after a Move, without a copy of every item.
func (q *Queue) Order() []ID {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Clone(q.order)
}
