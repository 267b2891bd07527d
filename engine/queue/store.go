package queue

import (
	"cmp"
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// record is an item as stored: one JSON value per item in the "items"
// bucket, keyed by the big-endian ID. It never holds a password.
type record struct {
	Item
	Rel     string `json:",omitempty"`
	Below   string `json:",omitempty"`
	Started bool   `json:",omitempty"`
	Decided bool   `json:",omitempty"`
	Seq     int64
}

func recordOf(e *entry) record {
	return record{Item: e.Item, Rel: e.rel, Below: e.below, Started: e.started, Decided: e.decided, Seq: e.seq}
}

var bucketItems = []byte("items")

// store batches item changes into bbolt transactions.
type store struct {
	db      *bolt.DB
	mu      sync.Mutex
	dirty   map[ID]*record // nil: delete
	flushMu sync.Mutex     // one commit at a time, in order
	signal  chan struct{}
	stop    chan struct{}
	done    chan struct{}
	log     *slog.Logger
}

// DefaultPath is where the app keeps its queue: the user data directory
// ($XDG_DATA_HOME or ~/.local/share on Linux, ~/Library/Application Support
// on macOS, %LocalAppData% on Windows) + skiff/queue.db.
func DefaultPath() (string, error) {
	dir, err := DataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "queue.db"), nil
}

// DataDir returns Skiff's per-user data directory (not created).
func DataDir() (string, error) {
	var base string
	switch runtime.GOOS {
	case "windows":
		base = os.Getenv("LocalAppData")
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		base = filepath.Join(home, "Library", "Application Support")
	default:
		base = os.Getenv("XDG_DATA_HOME")
		if base == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", err
			}
			base = filepath.Join(home, ".local", "share")
		}
	}
	if base == "" {
		return "", errors.New("no user data directory")
	}
	return filepath.Join(base, "skiff"), nil
}

// openStore opens (creating) the queue file and reads every record.
func openStore(path string, noSync bool, log *slog.Logger) (*store, []record, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, nil, err
	}
	if noSync {
		seed(path)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout: time.Second,
		NoSync:  noSync,
		// Growing the file fsyncs it, which NoSync does not ask for either.
		NoGrowSync: noSync,
		// A queue that grows by thousands of items a second (a walked
		// tree) made bbolt remap its file, and copy every node out of the
		// old mapping, a dozen times; 4 MiB holds about 10,000 items.
		InitialMmapSize: 4 << 20,
		// etcd's settings: a hash-map freelist allocates pages in O(1),
		// and is rebuilt when the file is opened instead of written at
		// every commit.
		FreelistType:   bolt.FreelistMapType,
		NoFreelistSync: true,
	})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, nil, fmt.Errorf("queue %s is in use by another Skiff", path)
		}
		return nil, nil, fmt.Errorf("opening queue: %w", err)
	}
	var recs []record
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketItems)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			var r record
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("item %x: %w", k, err)
			}
			recs = append(recs, r)
			return nil
		})
	})
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("reading queue: %w", err)
	}
	slices.SortFunc(recs, func(a, b record) int { return cmp.Compare(a.Seq, b.Seq) })
	s := &store{db: db, dirty: map[ID]*record{}, signal: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{}), log: log}
	go s.run()
	return s, recs, nil
}

// emptyDB is a new bbolt file (4 KiB pages) as bbolt's own init writes it:
// two meta pages, an empty freelist and an empty root leaf.
// TestEmptyDBIsBboltsOwn compares it with what bbolt writes;
// `go test ./engine/queue -run EmptyDB -update` rewrites it.
//
//go:embed empty.db
var emptyDB []byte

// seed writes emptyDB to path unless path exists. bbolt creates a missing
// file itself, but fdatasyncs it whatever NoSync says, and on a disk busy
// writing back a large file that one call took 380 ms: more than the
// command-line run that waited for it spent logging in (a 1 GiB upload
// right after another, 2026-12-03). A file bbolt finds not empty it opens
// without syncing. Any error leaves the creating to bbolt.
//
// Another process opening the same path at the same moment either finds it
// missing or empty, and writes the same bytes through bbolt's init, or finds
// them written; the lock bbolt then takes lets only one of them use it.
func seed(path string) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return // it exists (bbolt opens it as it is), or bbolt will say why not
	}
	_, err = f.Write(emptyDB)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path) // a part of the template would be a corrupt queue
	}
}

func (s *store) put(r record) { s.putAll([]record{r}) }

// putAll marks records for the same commit.
func (s *store) putAll(rs []record) {
	s.mu.Lock()
	for i := range rs {
		s.dirty[rs[i].ID] = &rs[i]
	}
	s.mu.Unlock()
	s.poke()
}

func (s *store) remove(id ID) {
	s.mu.Lock()
	s.dirty[id] = nil
	s.mu.Unlock()
	s.poke()
}

func (s *store) poke() {
	select {
	case s.signal <- struct{}{}:
	default:
	}
}

// run commits batches at most every FlushInterval.
func (s *store) run() {
	defer close(s.done)
	for {
		select {
		case <-s.stop:
			return
		case <-s.signal:
		}
		select {
		case <-s.stop:
			return
		case <-time.After(FlushInterval):
		}
		if err := s.flush(); err != nil {
			s.log.Error("saving the transfer queue", "err", err)
		}
	}
}

// flush commits every pending change in one transaction.
func (s *store) flush() error {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	s.mu.Lock()
	batch := s.dirty
	s.dirty = map[ID]*record{}
	s.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketItems)
		for id, r := range batch {
			k := binary.BigEndian.AppendUint64(nil, uint64(id))
			if r == nil {
				if err := b.Delete(k); err != nil {
					return err
				}
				continue
			}
			v, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if err := b.Put(k, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		// Keep the batch for the next try, under any newer change.
		s.mu.Lock()
		for id, r := range batch {
			if _, newer := s.dirty[id]; !newer {
				s.dirty[id] = r
			}
		}
		s.mu.Unlock()
	}
	return err
}

func (s *store) close() error {
	close(s.stop)
	<-s.done
	err := s.flush()
	if cerr := s.db.Close(); err == nil {
		err = cerr
	}
	return err
}

// restore rebuilds the queue from stored records: running items come back
// queued (their partial files are continued).
func (q *Queue) restore(recs []record) {
	for _, r := range recs {
		if r.State == Running {
			r.State = Queued
		}
		r.Speed, r.Remaining = 0, -1
		e := &entry{Item: r.Item, rel: r.Rel, below: r.Below, started: r.Started, decided: r.Decided, seq: r.Seq}
		q.items[e.ID] = e
		q.order = append(q.order, e.ID)
		q.nextID = max(q.nextID, e.ID+1)
		if e.State == Queued {
			q.active++
			q.lane(e.Site).push(e)
		}
	}
}
