package engine

import "sync/atomic"

// Quirk is something a site was seen not to do. One connection learns it
// (and says so in the trace); every later connection of the site knows it
// from the start instead of failing the same way again.
type Quirk uint32

const (
	// NoRestart: REST was refused (500, 502, 504). A transfer that would
	// resume starts from the beginning instead (ErrNoRestart tells the
	// caller, which owns the local file); REST is never sent again.
	NoRestart Quirk = 1 << iota
	// NoAppend: APPE was refused (500, 502, 504); an upload without REST
	// STREAM then cannot resume either.
	NoAppend
	// NoPipeline: a command sent in the same write as EPSV was not
	// answered as sent (a timeout, or one 502 for the whole write): one
	// command at a time from now on.
	NoPipeline
	// NoStatList: a folder listed by STAT (over the control connection)
	// differed from its LIST, STAT was refused, or a name broke its
	// reply: folders are listed by LIST from now on.
	NoStatList
)

// SiteMemory is what the connections of one site have learned about it
// (the Pool keeps one per SiteKey and hands it to every session it dials
// through Config.Memory). The zero value knows nothing. A nil *SiteMemory
// knows nothing and learns nothing. It is safe for concurrent use.
type SiteMemory struct {
	quirks atomic.Uint32
}

// Has reports whether the site is known to have q.
func (m *SiteMemory) Has(q Quirk) bool {
	return m != nil && Quirk(m.quirks.Load())&q != 0
}

// Learn records q and reports whether it was news.
func (m *SiteMemory) Learn(q Quirk) bool {
	if m == nil {
		return false
	}
	return Quirk(m.quirks.Or(uint32(q)))&q == 0
}
