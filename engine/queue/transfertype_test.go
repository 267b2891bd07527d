package queue_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/ftp"
	"github.com/skiff-ftp/skiff/engine/queue"
	"github.com/skiff-ftp/skiff/internal/ftptest"
)

// TestQueueTransferType against vsftpd (which converts in ASCII mode): the
// queue sends TYPE A for names in the ASCII list and TYPE I for the rest,
// on the same pooled sessions, and the files arrive converted or byte for
// byte; SetTransferType changes it for later transfers. An ASCII download
// over an existing .part starts over instead of resuming.
func TestQueueTransferType(t *testing.T) {
	s := ftptest.Start(t, ftptest.KindVsftpd, ftptest.Options{})
	s.WriteFile(t, "notes.txt", []byte("one\ntwo\n"))
	s.WriteFile(t, "data.bin", []byte("one\ntwo\n"))
	var mu sync.Mutex
	var cmds []string
	cfg := engine.Config{Host: s.Host, Port: s.Port, User: s.User, Password: s.Password, Security: engine.Plain, Timeout: 20 * time.Second,
		Trace: func(e engine.TraceEvent) {
			if e.Kind == engine.TraceCommand && (strings.HasPrefix(e.Text, "TYPE") || strings.HasPrefix(e.Text, "RETR") || strings.HasPrefix(e.Text, "STOR")) {
				mu.Lock()
				cmds = append(cmds, e.Text)
				mu.Unlock()
			}
		}}
	pool := engine.NewPool(ftp.Dialer{}, engine.PoolOptions{})
	q, err := queue.New(pool, queue.Options{
		Config:       func(context.Context, engine.SiteKey, string) (engine.Config, error) { return cfg, nil },
		Parallel:     1,
		TransferType: engine.TypeRule{Type: engine.TypeAuto, ASCIIExtensions: []string{"txt"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close(); pool.Close() })
	local := t.TempDir()
	// A .part the ASCII download must not continue.
	os.WriteFile(filepath.Join(local, "notes.txt.part"), []byte("one\n"), 0o644)
	os.WriteFile(filepath.Join(local, "up.txt"), []byte("crlf\r\nlf\n"), 0o644)
	run := func(jobs ...queue.Job) {
		t.Helper()
		for _, j := range jobs {
			j.Site = cfg.Key()
			if _, err := q.Add(j); err != nil {
				t.Fatal(err)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := q.Wait(ctx); err != nil {
			t.Fatal(err)
		}
		for _, it := range q.Items() {
			if it.State != queue.Done {
				t.Fatalf("%s: %s %s", it.Remote, it.State, it.Reason)
			}
		}
		q.RemoveFinished()
	}
	run(queue.Job{Direction: queue.Download, Remote: "/notes.txt", Local: local, Name: "notes.txt", Policy: queue.Resume},
		queue.Job{Direction: queue.Download, Remote: "/data.bin", Local: local, Name: "data.bin"},
		queue.Job{Direction: queue.Upload, Remote: "/up.txt", Local: filepath.Join(local, "up.txt")})
	for name, want := range map[string]string{"notes.txt": "one\ntwo\n", "data.bin": "one\ntwo\n"} {
		if got, _ := os.ReadFile(filepath.Join(local, name)); string(got) != want {
			t.Errorf("downloaded %s: %q, want %q", name, got, want)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(s.Root, "up.txt")); string(got) != "crlf\nlf\n" {
		t.Errorf("ASCII upload stored %q", got)
	}
	mu.Lock()
	got := strings.Join(cmds, ", ")
	cmds = nil
	mu.Unlock()
	for _, want := range []string{"TYPE A, RETR /notes.txt", "TYPE I, RETR /data.bin", "TYPE A, STOR /up.txt"} {
		if !strings.Contains(got, want) {
			t.Errorf("commands %q lack %q", got, want)
		}
	}

	q.SetTransferType(engine.TypeRule{Type: engine.TypeBinary, ASCIIExtensions: []string{"txt"}})
	run(queue.Job{Direction: queue.Upload, Remote: "/up2.txt", Local: filepath.Join(local, "up.txt")})
	if got, _ := os.ReadFile(filepath.Join(s.Root, "up2.txt")); string(got) != "crlf\r\nlf\n" {
		t.Errorf("binary upload stored %q", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(cmds, ", "); !strings.Contains(got, "TYPE I, STOR /up2.txt") {
		t.Errorf("after SetTransferType(binary): %q", got)
	}
}
