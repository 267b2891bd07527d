package ftp

import (
	"context"
	"sync"
	"testing"

	"github.com/skiff-ftp/skiff/engine"
)

// TestTraceLevels: a FEAT list's lines are verbose, a listing's raw lines
// debug and made only when Config.TraceLevel asks for them.
func TestTraceLevels(t *testing.T) {
	for _, level := range []engine.TraceLevel{engine.TraceNormal, engine.TraceDebug} {
		t.Run(level.String(), func(t *testing.T) {
			s := newFakeServer(t, "SIZE", "MDTM")
			s.put("/listed.txt", []byte("x"))
			var mu sync.Mutex
			got := map[string]engine.TraceLevel{}
			c := dialFake(t, s, func(cfg *engine.Config) {
				cfg.TraceLevel = level
				cfg.Trace = func(e engine.TraceEvent) {
					mu.Lock()
					got[e.Text] = e.Level
					mu.Unlock()
				}
			})
			if _, err := c.List(context.Background(), "/"); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if l, ok := got["LIST -a /"]; !ok || l != engine.TraceNormal {
				t.Errorf("command: %v %v", l, ok)
			}
			if l, ok := got[" SIZE"]; !ok || l != engine.TraceVerbose {
				t.Errorf("FEAT line: %v %v (%v)", l, ok, got)
			}
			raw := "-rw-r--r--    1 1000     1000            1 Jan 02  2024 listed.txt"
			l, ok := got[raw]
			if want := level == engine.TraceDebug; ok != want || ok && l != engine.TraceDebug {
				t.Errorf("raw listing line traced %v at %v, want traced %v at debug", ok, l, want)
			}
		})
	}
}
