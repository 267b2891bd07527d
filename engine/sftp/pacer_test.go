package sftp

import (
	"testing"
	"time"
)

// simulate runs n requests through p against a server that answers them
// one at a time, each taking service, at oneWay from a client that takes
// send to put each on the wire. It returns the limits p allowed, one per
// request sent, and when the last reply arrived.
func simulate(p *pacer, n int, oneWay, service, send time.Duration) (limits []int, took time.Duration) {
	type req struct{ sent, back time.Duration }
	var (
		now, serverFree time.Duration
		inFlight        []req // in send order; a FIFO server answers in that order
	)
	for sent := 0; sent < n || len(inFlight) > 0; {
		if sent < n && len(inFlight) < p.allowed() {
			now += send
			start := max(now+oneWay, serverFree)
			serverFree = start + service
			inFlight = append(inFlight, req{sent: now, back: serverFree + oneWay})
			limits = append(limits, p.allowed())
			sent++
			continue
		}
		r := inFlight[0]
		inFlight = inFlight[1:]
		now = max(now, r.back)
		p.reply(r.back - r.sent)
	}
	return limits, now
}

func TestPacerKeepsOneRequestWaitingAtABusyServer(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		oneWay, service, send time.Duration
		atMost                int
	}{
		// Measured over loopback: sshd and its sftp process on one CPU take
		// about 0.45 ms a 255 KiB request, the client 0.1 ms to send it.
		{"loopback", 0, 450 * time.Microsecond, 100 * time.Microsecond, 3},
		{"a slow disk next door", 100 * time.Microsecond, 8 * time.Millisecond, 100 * time.Microsecond, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPacer(2, 16)
			limits, took := simulate(p, 2000, tc.oneWay, tc.service, tc.send)
			peak := 0
			for _, l := range limits {
				peak = max(peak, l)
			}
			if peak > tc.atMost {
				t.Errorf("up to %d requests in flight, want at most %d: they only wait at the server", peak, tc.atMost)
			}
			// The server is never left idle: as fast as 16 in flight.
			_, fixed := simulate(newPacer(16, 16), 2000, tc.oneWay, tc.service, tc.send)
			if took > fixed*105/100 {
				t.Errorf("took %v, with 16 in flight %v", took, fixed)
			}
		})
	}
}

func TestPacerCoversALongRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		n                     int
		oneWay, service, send time.Duration
		max                   int
		settle                [2]int // the limit at the end, from and to
		slower                float64
	}{
		// The path's round trip needs more than the most allowed: nearly as
		// fast as the most allowed from the start, after a few rounds that
		// double (growing by one, 300 requests take 1.37 times as long).
		{"a distant fast server", 300, 40 * time.Millisecond, 450 * time.Microsecond, 100 * time.Microsecond, 16, [2]int{16, 16}, 1.2},
		// 80 ms of round trip at 5 ms a request is 16 requests: more than
		// that only queues.
		{"a distant slow link", 2000, 40 * time.Millisecond, 5 * time.Millisecond, 100 * time.Microsecond, 64, [2]int{15, 22}, 1.1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPacer(2, tc.max)
			limits, took := simulate(p, tc.n, tc.oneWay, tc.service, tc.send)
			if got := limits[len(limits)-1]; got < tc.settle[0] || got > tc.settle[1] {
				t.Errorf("%d requests in flight at the end, want %d to %d", got, tc.settle[0], tc.settle[1])
			}
			_, fixed := simulate(newPacer(tc.max, tc.max), tc.n, tc.oneWay, tc.service, tc.send)
			if float64(took) > float64(fixed)*tc.slower {
				t.Errorf("took %v, with %d in flight %v", took, tc.max, fixed)
			}
		})
	}
}

func TestPacerStartsWithOneRequest(t *testing.T) {
	p := newPacer(2, 16)
	if got := p.allowed(); got != 1 {
		t.Fatalf("first round allows %d, want 1", got)
	}
	p.reply(time.Millisecond)
	if got := p.allowed(); got != 2 {
		t.Fatalf("after it %d, want the least, 2", got)
	}
}
