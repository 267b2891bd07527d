package mirror

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

// Zone is what a sync learned about the clock of a server that has only
// LIST: the offset of its LIST times from UTC, and whether its MDTM times
// are in the same zone (vsftpd with use_localtime=YES) instead of UTC.
type Zone struct {
	Offset    time.Duration `json:"offset"`
	MDTMLocal bool          `json:"mdtmLocal"`
}

// zoneStep rounds learned offsets: zones are whole quarter hours, and the
// rounding absorbs a clock a few minutes off and LIST's minute.
const zoneStep = 15 * time.Minute

var zoneKey = []byte("zone")

// loadZone reads the Zone kept in file, if one was learned.
func loadZone(file string) (Zone, bool) {
	var z Zone
	if _, err := os.Stat(file); err != nil {
		return z, false
	}
	db, err := bolt.Open(file, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		return z, false
	}
	defer db.Close()
	ok := false
	db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(zoneKey); b != nil {
			ok = json.Unmarshal(b.Get(zoneKey), &z) == nil
		}
		return nil
	})
	return z, ok
}

// saveZone keeps z in file.
func saveZone(file string, z Zone) error {
	db, err := bolt.Open(file, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(zoneKey)
		if err != nil {
			return err
		}
		v, _ := json.Marshal(z)
		return b.Put(zoneKey, v)
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

// applyZone makes the remote's sessions read times in zone z: the LIST
// times already scanned are shifted from the old offset to the new one,
// and idle sessions, dialled with the old settings, are closed.
func (s *Sync) applyZone(z Zone) {
	cfg := &s.Remote.Config
	if d := cfg.TZOffset - z.Offset; d != 0 {
		for p, f := range s.remote.Files {
			if f.Time.Source == SourceList && f.Time.Known() {
				f.Time.T = f.Time.T.Add(d)
				s.remote.Files[p] = f
			}
		}
	}
	if cfg.TZOffset != z.Offset || cfg.MDTMLocal != z.MDTMLocal {
		cfg.TZOffset, cfg.MDTMLocal = z.Offset, z.MDTMLocal
		s.Remote.Pool.CloseSite(cfg.Key())
	}
}

// probeZone learns the zone of a LIST-only server by its own clock: it
// uploads an empty file, reads its time by LIST and MDTM, and deletes it.
// Only where the sync may write (an upload that is not a dry run).
func (s *Sync) probeZone(ctx context.Context) (Zone, error) {
	var z Zone
	name := fmt.Sprintf("skiff-clock-probe-%d.tmp", time.Now().UnixNano())
	p := s.Remote.abs(name)
	err := s.Remote.session(ctx, func(sess engine.Session) error {
		if s.rootMissing {
			if err := sess.Mkdir(ctx, s.Remote.Root, true); err != nil {
				return err
			}
			s.rootMissing = false
		}
		if sess.Features().MLSD {
			return nil // MLSD and MDTM are UTC: nothing to learn
		}
		t0 := time.Now()
		if _, err := sess.Store(ctx, p, 0, strings.NewReader("")); err != nil {
			return err
		}
		now := t0.Add(time.Since(t0) / 2)
		defer sess.Delete(ctx, p)
		cfg := s.Remote.Config
		entries, err := sess.List(ctx, s.Remote.Root)
		if err != nil {
			return err
		}
		var e listing.Entry
		for _, x := range entries {
			if x.Name == name {
				e = x
			}
		}
		if e.ModTime.IsZero() {
			return errors.New("the clock probe file is not listed")
		}
		z.Offset = e.ModTime.Add(cfg.TZOffset).Sub(now).Round(zoneStep) // LIST's wall clock against ours
		st, err := sess.Stat(ctx, p)
		if err == nil && !st.ModTime.IsZero() && st.Precision == listing.PrecisionSecond {
			mt := st.ModTime
			if cfg.MDTMLocal {
				mt = mt.Add(cfg.TZOffset) // back to what the server said
			}
			mdtmOff := mt.Sub(now).Round(zoneStep)
			z.MDTMLocal = mdtmOff != 0 && mdtmOff == z.Offset
		}
		return nil
	})
	return z, err
}

// learnMDTMZone decides, for a server whose LIST offset the site gives,
// whether its MDTM is in that zone too: it compares one file's MDTM with
// its LIST time to the minute. false when nothing can tell.
func (s *Sync) learnMDTMZone(ctx context.Context) (z Zone, ok bool, err error) {
	cfg := s.Remote.Config
	z.Offset = cfg.TZOffset
	if cfg.TZOffset == 0 {
		return z, false, nil // LIST and MDTM agree on UTC, or nothing can tell
	}
	var f File
	for _, x := range sorted(s.remote) {
		if !x.Dir && x.Time.Source == SourceList && x.Time.Precision == PrecisionMinute {
			f = x
			break
		}
	}
	if f.Path == "" {
		return z, false, nil
	}
	err = s.Remote.session(ctx, func(sess engine.Session) error {
		st, err := sess.Stat(ctx, s.Remote.abs(f.Path))
		if err != nil || st.ModTime.IsZero() || st.Precision != listing.PrecisionSecond {
			return err
		}
		said := st.ModTime // what the server said, as UTC
		if cfg.MDTMLocal {
			said = said.Add(cfg.TZOffset)
		}
		wall := f.Time.T.Add(cfg.TZOffset)
		switch {
		case said.Sub(wall).Abs() <= PrecisionMinute:
			z.MDTMLocal, ok = true, true
		case said.Sub(f.Time.T).Abs() <= PrecisionMinute:
			ok = true
		}
		return nil
	})
	return z, ok, err
}

// learnZone settles the zone of a LIST-only FTP server before the plan:
// a zone learned before, else the clock probe (uploads that may write),
// else the site's offset and a comparison of LIST with MDTM.
func (s *Sync) learnZone(ctx context.Context) error {
	if s.Remote.Config.Protocol != engine.ProtocolFTP || !s.rootMissing && s.remote.Source != SourceList {
		return nil
	}
	if s.StateFile != "" {
		if z, ok := loadZone(s.StateFile); ok {
			s.applyZone(z)
			return nil
		}
	}
	var z Zone
	var ok bool
	var err error
	if s.Options.Direction == Up && s.MayWrite {
		z, err = s.probeZone(ctx)
		ok = err == nil
	} else {
		z, ok, err = s.learnMDTMZone(ctx)
	}
	if err != nil || !ok {
		return err
	}
	s.applyZone(z)
	if s.StateFile != "" && s.MayWrite {
		if err := os.MkdirAll(dirOf(s.StateFile), 0o700); err != nil {
			return err
		}
		return saveZone(s.StateFile, z)
	}
	return nil
}
