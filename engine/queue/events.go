package queue

import "sync"

// events delivers queue events to subscribers, in order, on one goroutine of
// its own, so that emitting never blocks the queue (it is done under the
// queue's lock) and subscribers may call back into the queue.
type events struct {
	mu      sync.Mutex
	subs    map[int]func(Event)
	nextSub int
	pending []Event
	signal  chan struct{}
	stop    chan struct{}
	done    chan struct{}
}

func newEvents() *events {
	ev := &events{subs: map[int]func(Event){}, signal: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{})}
	go ev.run()
	return ev
}

func (ev *events) subscribe(fn func(Event)) func() {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	id := ev.nextSub
	ev.nextSub++
	ev.subs[id] = fn
	return func() {
		ev.mu.Lock()
		delete(ev.subs, id)
		ev.mu.Unlock()
	}
}

// emit queues an event; it never blocks. Without subscribers it is dropped
// without waking the delivering goroutine: the command line subscribes to
// nothing, and a wake-up per state change cost it a thread switch per event.
func (ev *events) emit(k EventKind, it Item) {
	ev.mu.Lock()
	if len(ev.subs) == 0 {
		ev.mu.Unlock()
		return
	}
	ev.pending = append(ev.pending, Event{k, it})
	ev.mu.Unlock()
	select {
	case ev.signal <- struct{}{}:
	default:
	}
}

func (ev *events) run() {
	defer close(ev.done)
	for {
		select {
		case <-ev.signal:
		case <-ev.stop:
			ev.deliver() // what was emitted before close still arrives
			return
		}
		ev.deliver()
	}
}

func (ev *events) deliver() {
	for {
		ev.mu.Lock()
		batch := ev.pending
		ev.pending = nil
		subs := make([]func(Event), 0, len(ev.subs))
		for _, fn := range ev.subs {
			subs = append(subs, fn)
		}
		ev.mu.Unlock()
		if len(batch) == 0 {
			return
		}
		for _, e := range batch {
			for _, fn := range subs {
				fn(e)
			}
		}
	}
}

func (ev *events) close() {
	close(ev.stop)
	<-ev.done
}
