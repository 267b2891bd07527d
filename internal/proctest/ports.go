package proctest

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// Band is a range of ports one kind of server takes its slots from.
type Band struct {
	Name  string
	Base  int
	Width int
}

// Bands is the port plan of every kind of test server.
var (
	BandProxy     = Band{"proxy", 4000, 2000}
	BandSSHD      = Band{"sshd", 6000, 2000}
	BandTwisted   = Band{"twisted", 8000, 4000}
	BandFtpSrv    = Band{"ftp-srv", 12000, 4000}
	BandPyftpdlib = Band{"pyftpdlib", 16000, 4000}
	BandVsftpd    = Band{"vsftpd", 20000, 4000}
	BandPureFTPd  = Band{"pure-ftpd", 24000, 4000}
	BandProFTPd   = Band{"proftpd", 28000, 4000}

	Bands = []Band{BandProxy, BandSSHD, BandTwisted, BandFtpSrv, BandPyftpdlib, BandVsftpd, BandPureFTPd, BandProFTPd}
)

// claimTries bounds the search for a free slot.
const claimTries = 200

// Claim claims size consecutive ports in band that nothing listens on and
// returns the first. They stay claimed until t's cleanup.
func Claim(t testing.TB, band Band, size int) (int, error) {
	t.Helper()
	dir := filepath.Join(os.TempDir(), "skiff-test-ports")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return 0, err
	}
	n := band.Width / size
	start := rand.IntN(n)
	for i := range min(n, claimTries) {
		port := band.Base + ((start+i)%n)*size
		f, err := os.OpenFile(filepath.Join(dir, strconv.Itoa(port)+".lock"), os.O_CREATE|os.O_RDWR, 0o666)
		if err != nil {
			return 0, err
		}
		if err := tryLock(f); err != nil {
			f.Close()
			continue
		}
		if !portsFree(port, port+size-1) {
			f.Close()
			continue
		}
		t.Cleanup(func() { f.Close() })
		return port, nil
	}
	return 0, fmt.Errorf("no free block of %d ports in %s's band %d–%d", size, band.Name, band.Base, band.Base+band.Width-1)
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
