package bookmarks

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
)

// TestConcurrentStoresLoseNothing has goroutines, each with its own Store
// on one directory (so they exclude each other through the file lock, not
// a mutex), add sites at once. Every site must be there afterwards.
func TestConcurrentStoresLoseNothing(t *testing.T) {
	dir := t.TempDir()
	const writers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(dir)
			if err != nil {
				errs <- err
				return
			}
			for i := range each {
				if _, err := s.AddSite(RootID, Site{Name: fmt.Sprintf("w%d-%d", w, i), Host: "h.example"}); err != nil {
					errs <- err
				}
				if _, err := s.Load(); err != nil { // readers never see half a file
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s, _ := Open(dir)
	tree, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tree.Sites()); n != writers*each {
		t.Fatalf("%d sites, want %d", n, writers*each)
	}
}

// TestConcurrentProcessesLoseNothing runs the test binary as several
// processes adding sites to one store at once.
func TestConcurrentProcessesLoseNothing(t *testing.T) {
	if dir := os.Getenv("SKIFF_STORE_WRITER_DIR"); dir != "" {
		s, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		who := os.Getenv("SKIFF_STORE_WRITER")
		n, _ := strconv.Atoi(os.Getenv("SKIFF_STORE_WRITER_N"))
		for i := range n {
			if _, err := s.AddSite(RootID, Site{Name: fmt.Sprintf("p%s-%d", who, i), Host: "h.example"}); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	dir := t.TempDir()
	const procs, each = 4, 30
	var cmds []*exec.Cmd
	for p := range procs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestConcurrentProcessesLoseNothing$", "-test.count=1")
		cmd.Env = append(os.Environ(), "SKIFF_STORE_WRITER_DIR="+dir, "SKIFF_STORE_WRITER="+strconv.Itoa(p),
			"SKIFF_STORE_WRITER_N="+strconv.Itoa(each))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatalf("writer process: %v", err)
		}
	}
	s, _ := Open(dir)
	tree, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tree.Sites()); n != procs*each {
		t.Fatalf("%d sites, want %d", n, procs*each)
	}
	matches, _ := os.ReadDir(dir)
	for _, m := range matches {
		switch m.Name() {
		case FileName, BackupName, lockName:
		default:
			t.Errorf("left behind: %s", m.Name())
		}
	}
}
