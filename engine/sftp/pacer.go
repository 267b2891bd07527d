package sftp

import (
	"cmp"
	"time"
)

// pacer decides how many WRITE requests an upload keeps in flight: enough
// to cover the round trip to the server, and about one more, because what
// is sent beyond that only waits in the server's buffers. Waiting there is
// not free. OpenSSH's sshd copies channel data it cannot yet hand to its
// sftp process into a buffer that grows by reallocation, a step per SSH
// packet, and moves what is left down each time half of it has been
// written on. Over loopback, with sshd and its sftp process sharing one
// CPU, 16 requests of 255 KiB in flight cost that CPU 2.4–2.6 s per GiB
// uploaded; one or two cost it 1.7–1.9 s, and the upload is that much
// faster.
//
// The measure is TCP Vegas's, on whole rounds (as many replies as requests
// allowed in flight). base is the least round trip seen; a round whose
// mean round trip is r had limit × (r − base) / r requests waiting at the
// bottleneck. Below queueLow the limit grows, above queueHigh it shrinks
// by one. It grows by one, or, until the first round that finds a queue,
// doubles when the round trips are long (longRoundTrip: a distance, which
// many requests in flight are needed to cover, not a busy server next
// door). The first round sends one request, so that base is a round trip
// without a queue.
type pacer struct {
	min, max int
	limit    int
	base     time.Duration // least round trip seen
	least    time.Duration // in this round
	sum      time.Duration // of this round's round trips
	replies  int           // in this round
	peak     int           // highest limit reached
	starting bool          // no round has found a queue yet
}

const (
	queueLow      = 0.5 // requests waiting at the bottleneck
	queueHigh     = 1.5
	longRoundTrip = 4 * time.Millisecond
)

// newPacer returns a pacer that allows from lo to hi requests (lo ≥ 1).
func newPacer(lo, hi int) *pacer {
	lo = max(lo, 1)
	hi = max(hi, lo)
	return &pacer{min: lo, max: hi, limit: 1, peak: 1, starting: true}
}

// allowed is how many requests may be in flight now.
func (p *pacer) allowed() int { return p.limit }

// reply records one request's round trip.
func (p *pacer) reply(rtt time.Duration) {
	rtt = max(rtt, time.Microsecond)
	p.base = min(rtt, cmp.Or(p.base, rtt))
	p.least = min(rtt, cmp.Or(p.least, rtt))
	p.sum += rtt
	p.replies++
	if p.replies < p.limit {
		return
	}
	mean := p.sum / time.Duration(p.replies)
	queued := float64(p.limit) * float64(mean-p.base) / float64(mean)
	switch {
	case queued < queueLow && p.starting && p.least >= longRoundTrip:
		p.limit *= 2
	case queued < queueLow:
		p.limit++
	case queued > queueHigh:
		p.starting = false
		p.limit--
	default:
		p.starting = false
	}
	p.limit = min(max(p.limit, p.min), p.max)
	p.peak = max(p.peak, p.limit)
	p.replies, p.least, p.sum = 0, 0, 0
}
