package mirror

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Record is what one file's two sides were after the last sync.
type Record struct {
	SrcSize int64     `json:"s"`
	SrcTime time.Time `json:"t"`
	DstSize int64     `json:"d"`
	// DstTime is the target's time as scanned after the sync (two-way
	// syncs; zero when unknown).
	DstTime time.Time `json:"dt,omitzero"`
}

// unchanged reports whether the source is as recorded and the target still
// has the recorded size: the target then holds the source's content, whatever
// its time says (a server that cannot set times gives every upload its own).
func (r Record) unchanged(s, d File, tol time.Duration) bool {
	if !s.Time.Known() || s.Size < 0 || s.Size != r.SrcSize || d.Size != r.DstSize {
		return false
	}
	return s.Time.T.Sub(r.SrcTime).Abs() <= s.Time.Precision+tol
}

// State is the record of the last sync of one folder pair, by path.
type State map[string]Record

// stateBucket holds one folder pair's State.
var stateBucket = []byte("state")

// LoadState reads the State kept in file; a missing file is an empty State.
func LoadState(file string) (State, error) {
	st := State{}
	if _, err := os.Stat(file); errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	db, err := bolt.Open(file, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		return st, err
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(stateBucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var r Record
			if err := json.Unmarshal(v, &r); err != nil {
				return nil // a record we cannot read is a file we compare afresh
			}
			st[string(k)] = r
			return nil
		})
	})
	return st, err
}

// SaveState replaces the State kept in file with st, in one transaction.
func SaveState(file string, st State) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	db, err := bolt.Open(file, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(stateBucket) != nil {
			if err := tx.DeleteBucket(stateBucket); err != nil {
				return err
			}
		}
		b, err := tx.CreateBucket(stateBucket)
		if err != nil {
			return err
		}
		for p, r := range st {
			v, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(p), v); err != nil {
				return err
			}
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

func dirOf(file string) string { return filepath.Dir(file) }
