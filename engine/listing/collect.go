package listing

// Collector gathers the entries of a listing as they stream in, in chunks
// that are never moved: a slice grown by append copies everything it holds
// at each doubling, and a 100,000-entry folder (13.6 MB of entries) then
// moved 27 MB more, all of it pointers under the collector's write
// barriers — 0.3 s of CPU between launch and the rows on screen
// (bench/gui.sh). Entries makes the one slice of exact size at the end.
// The zero Collector is empty and ready.
type Collector struct {
	chunks [][]Entry
	n      int
}

// Chunk sizes: the first chunk is small (most folders are), each next one
// twice the last, up to collectMaxChunk entries (about 0.5 MB).
const (
	collectFirstChunk = 64
	collectMaxChunk   = 4096
)

// Add appends e.
func (c *Collector) Add(e Entry) {
	k := len(c.chunks)
	if k == 0 || len(c.chunks[k-1]) == cap(c.chunks[k-1]) {
		size := collectFirstChunk
		if k > 0 {
			size = min(2*cap(c.chunks[k-1]), collectMaxChunk)
		}
		c.chunks = append(c.chunks, make([]Entry, 0, size))
		k++
	}
	c.chunks[k-1] = append(c.chunks[k-1], e)
	c.n++
}

// Len is the number of entries added.
func (c *Collector) Len() int { return c.n }

// Entries returns the entries in the order added, in one slice (nil when
// none), and empties c. A listing that fitted its first chunk is returned
// as it is; a longer one is copied once into a slice of exact size.
func (c *Collector) Entries() []Entry {
	var out []Entry
	switch len(c.chunks) {
	case 0:
	case 1:
		out = c.chunks[0]
	default:
		out = make([]Entry, 0, c.n)
		for _, ch := range c.chunks {
			out = append(out, ch...)
		}
	}
	c.chunks, c.n = nil, 0
	return out
}
