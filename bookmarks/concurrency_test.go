package bookmarks

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/skiff-ftp/skiff/internal/winetest"
)

// TestConcurrentStoresLoseNothing has goroutines, each with its own Store
// on one directory (so they exclude each other through the file lock, not
// a mutex), add sites at once. Every site must be there afterwards.
func TestConcurrentStoresLoseNothing(t *testing.T) {
	dir := t.TempDir()
	writers, each := 8, 25
	if winetest.UnderWine() {
		// Wine's fsync costs ~0.2 s: 200 saves take longer than a
		// writer's LockTimeout allows it to lose the race for the lock.
		each = 5
	}
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

// TestKilledWriterNeverCorrupts kills writer processes in the middle of
// their saves. The file must load afterwards and hold every site whose
// save returned before the kill.
func TestKilledWriterNeverCorrupts(t *testing.T) {
	if dir := os.Getenv("SKIFF_KILLED_WRITER_DIR"); dir != "" {
		s, _ := Open(dir)
		who := os.Getenv("SKIFF_KILLED_WRITER")
		for i := 0; ; i++ {
			name := fmt.Sprintf("k%s-%d", who, i)
			if _, err := s.AddSite(RootID, Site{Name: name, Host: "h.example"}); err != nil {
				fmt.Println("error", err)
				os.Exit(1)
			}
			fmt.Println("saved", name)
		}
	}
	if testing.Short() {
		t.Skip("kills processes")
	}
	dir := t.TempDir()
	saved := map[string]bool{}
	for round := range 3 {
		var cmds []*exec.Cmd
		var mu sync.Mutex
		var wg sync.WaitGroup
		for p := range 2 {
			cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriterNeverCorrupts$", "-test.count=1")
			cmd.Env = append(os.Environ(), "SKIFF_KILLED_WRITER_DIR="+dir, fmt.Sprintf("SKIFF_KILLED_WRITER=%d.%d", round, p))
			out, _ := cmd.StdoutPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			cmds = append(cmds, cmd)
			wg.Add(1)
			go func() {
				defer wg.Done()
				sc := bufio.NewScanner(out)
				n := 0
				for sc.Scan() {
					if name, ok := strings.CutPrefix(sc.Text(), "saved "); ok {
						mu.Lock()
						saved[name] = true
						mu.Unlock()
						if n++; n == 20+10*p {
							cmd.Process.Kill()
						}
					}
				}
			}()
		}
		wg.Wait()
		for _, c := range cmds {
			c.Wait()
		}
		s, _ := Open(dir)
		tree, err := s.Load()
		if err != nil {
			t.Fatalf("round %d: the file does not load after kills: %v", round, err)
		}
		for name := range saved {
			if _, err := tree.LookupSite(name); err != nil {
				t.Fatalf("round %d: site %s was saved, then lost", round, name)
			}
		}
	}
	if len(saved) < 50 {
		t.Fatalf("only %d saves", len(saved))
	}
}
