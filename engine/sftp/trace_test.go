package sftp

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"
)

// packet frames an SFTP packet: uint32 length, then the body.
func packet(body []byte) []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...)
}

// TestPacketScannerSplitsAnyChunking: however the stream is cut into
// writes (a header alone, a packet and a half, byte by byte), each packet
// is handed over once, whole up to headMax bytes, and an empty packet
// does not derail the framing.
func TestPacketScannerSplitsAnyChunking(t *testing.T) {
	bodies := [][]byte{
		{fxpOpen, 0, 0, 0, 1, 0, 0, 0, 3, 'a', '/', 'b', 0, 0, 0, 1},
		{},
		bytes.Repeat([]byte{fxpWrite}, 40_000), // longer than headMax
		{fxpClose, 0, 0, 0, 2, 0, 0, 0, 1, 'h'},
	}
	var stream []byte
	for _, b := range bodies {
		stream = append(stream, packet(b)...)
	}
	for _, chunk := range []int{1, 3, 4, 5, 7, 1000, 65536, -1} {
		t.Run(fmt.Sprintf("chunks of %d", chunk), func(t *testing.T) {
			var got [][]byte
			s := packetScanner{on: func(p []byte) { got = append(got, append([]byte(nil), p...)) }}
			r := rand.New(rand.NewPCG(1, 2))
			for rest := stream; len(rest) > 0; {
				n := chunk
				if n < 0 {
					n = 1 + r.IntN(9000) // random cuts
				}
				n = min(n, len(rest))
				s.feed(rest[:n])
				rest = rest[n:]
			}
			want := [][]byte{bodies[0], bodies[2][:headMax], bodies[3]}
			if len(got) != len(want) {
				t.Fatalf("%d packets, want %d (the empty one is skipped)", len(got), len(want))
			}
			for i := range want {
				if !bytes.Equal(got[i], want[i]) {
					t.Errorf("packet %d: got %d bytes %x…, want %d bytes", i, len(got[i]), got[i][:min(12, len(got[i]))], len(want[i]))
				}
			}
		})
	}
}

// TestStatusRecorderKeepsFailuresOnly: OK and EOF statuses (every READ's
// end) do not replace the server's failure message.
func TestStatusRecorderKeepsFailuresOnly(t *testing.T) {
	status := func(id, code uint32, msg string) []byte {
		b := []byte{fxpStatus}
		b = binary.BigEndian.AppendUint32(b, id)
		b = binary.BigEndian.AppendUint32(b, code)
		b = binary.BigEndian.AppendUint32(b, uint32(len(msg)))
		return append(b, msg...)
	}
	var r statusRecorder
	r.reply(status(1, 3, "Permission denied"))
	r.reply(status(2, fxOK, "Success"))
	r.reply(status(3, fxEOF, "End of file"))
	st := r.take()
	if st == nil || st.Code != 3 || st.Message != "Permission denied" {
		t.Fatalf("take = %+v", st)
	}
	if st := r.take(); st != nil {
		t.Fatalf("second take = %+v, want nil", st)
	}
	// It sees every reply of an upload, one OK per WRITE: those cost nothing.
	ok := status(4, fxOK, "Success")
	if n := testing.AllocsPerRun(100, func() { r.reply(ok) }); n != 0 {
		t.Errorf("an OK status made %v allocations, want 0", n)
	}
}
