package bookmarks

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestHistoryKeepsTheLastTen(t *testing.T) {
	s := newStore(t)
	for i := range 15 {
		if err := s.AddHistory(HistoryEntry{Host: fmt.Sprintf("h%d.example", i), User: "u"}); err != nil {
			t.Fatal(err)
		}
	}
	s.AddHistory(HistoryEntry{Host: "h10.example", User: "u"}) // again: moves to the front
	h, err := s.History()
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != HistoryMax || h[0].Host != "h10.example" || h[1].Host != "h14.example" || h[HistoryMax-1].Host != "h5.example" {
		var hosts []string
		for _, e := range h {
			hosts = append(hosts, e.Host)
		}
		t.Fatalf("history %v", hosts)
	}
	if err := s.ClearHistory(); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.History(); len(h) != 0 {
		t.Fatal("not cleared")
	}
}

func TestHistoryHasNoPasswordField(t *testing.T) {
	for _, typ := range []reflect.Type{reflect.TypeFor[HistoryEntry](), reflect.TypeFor[Site](), reflect.TypeFor[Folder]()} {
		for f := range typ.Fields() {
			if strings.Contains(strings.ToLower(f.Name), "pass") || strings.Contains(strings.ToLower(f.Tag.Get("json")), "pass") {
				t.Errorf("%s has a field %s", typ, f.Name)
			}
		}
	}
}

func TestHistoryCorruptStartsOver(t *testing.T) {
	s := newStore(t)
	os.WriteFile(filepath.Join(s.Dir(), HistoryName), []byte("{trunc"), 0o600)
	var ce *CorruptError
	if _, err := s.History(); !errors.As(err, &ce) {
		t.Fatalf("History: %v", err)
	}
	if err := s.AddHistory(HistoryEntry{Host: "a.example"}); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(s.Dir(), HistoryName))
	var f historyFile
	if err := json.Unmarshal(raw, &f); err != nil || len(f.Entries) != 1 || f.Schema != SchemaVersion {
		t.Fatalf("%s %v", raw, err)
	}
	if err := s.AddHistory(HistoryEntry{}); !errors.Is(err, ErrInvalid) {
		t.Fatal("entry without a host accepted")
	}
}
