package ftptest

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// Port plan. Every real-server instance takes one slot of slotSize ports
// below 32768 (outside Linux's ephemeral range, so no client socket can be
// sitting on them): the first is the control port, the rest its passive data
// range. Each kind has its own band, so a log line's port says which server it
// was:
//
//	twisted     8000–11999
//	ftp-srv    12000–15999
//	pyftpdlib  16000–19999
//	vsftpd     20000–23999
//	pure-ftpd  24000–27999
//	proftpd    28000–31999
//
// Slots are claimed across processes (go test runs packages in parallel) with
// an flock on /tmp/skiff-ftptest-ports/<port>.lock, held by the test process
// until cleanup; the kernel drops it if the process dies. A claimed slot whose
// ports are in use by something else is skipped.
const (
	slotSize     = 32
	bandSize     = 4000
	vsftpdBand   = 20000
	pureFTPdBand = 24000
	// slotTries bounds the search for a free slot.
	slotTries = 200
)

// The bands of scripts/more-ftp-servers.sh's servers.
const (
	twistedBand   = 8000
	ftpSrvBand    = 12000
	pyftpdlibBand = 16000
	proFTPdBand   = 28000
)

// slot is a claimed block of ports.
type slot struct {
	control                int
	passiveMin, passiveMax int
	lock                   *os.File
}

func (s *slot) release() {
	if s.lock != nil {
		s.lock.Close()
	}
}

// claimSlot claims a free slot in the band starting at base.
func claimSlot(t testing.TB, base int) (*slot, error) {
	t.Helper()
	dir := filepath.Join(os.TempDir(), "skiff-ftptest-ports")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, err
	}
	n := bandSize / slotSize
	start := rand.IntN(n)
	for i := range min(n, slotTries) {
		port := base + ((start+i)%n)*slotSize
		f, err := os.OpenFile(filepath.Join(dir, strconv.Itoa(port)+".lock"), os.O_CREATE|os.O_RDWR, 0o666)
		if err != nil {
			return nil, err
		}
		if err := tryLock(f); err != nil {
			f.Close()
			continue
		}
		if !portsFree(port, port+slotSize-1) {
			f.Close()
			continue
		}
		return &slot{control: port, passiveMin: port + 1, passiveMax: port + slotSize - 1, lock: f}, nil
	}
	return nil, fmt.Errorf("no free block of %d ports in %d–%d", slotSize, base, base+bandSize-1)
}

// portsFree reports whether every port in [lo, hi] can be bound on 127.0.0.1
// right now.
func portsFree(lo, hi int) bool {
	for p := lo; p <= hi; p++ {
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			return false
		}
		l.Close()
	}
	return true
}
