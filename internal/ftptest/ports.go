package ftptest

import (
	"testing"

	"github.com/skiff-ftp/skiff/internal/proctest"
)

// Every real-server instance takes one slot of slotSize ports in its kind's
// band of proctest's port plan: the first is the control port, the rest its
// passive data range. Slots are claimed across processes (proctest.Claim).
const slotSize = 32

// The bands of the servers (proctest's port plan).
var (
	vsftpdBand    = proctest.BandVsftpd
	pureFTPdBand  = proctest.BandPureFTPd
	twistedBand   = proctest.BandTwisted
	ftpSrvBand    = proctest.BandFtpSrv
	pyftpdlibBand = proctest.BandPyftpdlib
	proFTPdBand   = proctest.BandProFTPd
)

// slot is a claimed block of ports, released at the test's cleanup.
type slot struct {
	control                int
	passiveMin, passiveMax int
}

// claimSlot claims a free slot in band.
func claimSlot(t testing.TB, band proctest.Band) (*slot, error) {
	t.Helper()
	port, err := proctest.Claim(t, band, slotSize)
	if err != nil {
		return nil, err
	}
	return &slot{control: port, passiveMin: port + 1, passiveMax: port + slotSize - 1}, nil
}
