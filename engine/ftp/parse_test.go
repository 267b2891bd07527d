package ftp

import (
	"net"
	"testing"
)

func TestParsePASV(t *testing.T) {
	tests := []struct {
		msg  string
		ip   string
		port int
		bad  bool
	}{
		{msg: "Entering Passive Mode (127,0,0,1,78,52).", ip: "127.0.0.1", port: 78<<8 | 52},
		{msg: "Entering Passive Mode 10,0,0,5,4,1", ip: "10.0.0.5", port: 4<<8 | 1},
		{msg: "=192,168,1,2,200,10", ip: "192.168.1.2", port: 200<<8 | 10},
		{msg: "Passive 227 ok (1,2,3,4,5,6)", ip: "1.2.3.4", port: 5<<8 | 6},
		{msg: "Entering Passive Mode (300,0,0,1,1,1)", bad: true},
		{msg: "Entering Passive Mode (1,2,3,4,5)", bad: true},
		{msg: "no numbers", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			ip, port, err := parsePASV(tt.msg)
			if tt.bad {
				if err == nil {
					t.Fatalf("accepted: %v %d", ip, port)
				}
				return
			}
			if err != nil || !ip.Equal(net.ParseIP(tt.ip)) || port != tt.port {
				t.Fatalf("got %v %d %v", ip, port, err)
			}
		})
	}
}

func TestParseEPSV(t *testing.T) {
	tests := []struct {
		msg  string
		port int
	}{
		{"Entering Extended Passive Mode (|||6446|)", 6446},
		{"Entering Extended Passive Mode (!!!6446!)", 6446},
		{"EPSV ok (|||65535|)", 65535},
		{"Entering Extended Passive Mode (|||0|)", 0},
		{"Entering Extended Passive Mode (|1|10.0.0.1|6446|)", 6446}, // the address (RFC 2428: empty) is ignored
		{"Entering Extended Passive Mode", 0},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			port, err := parseEPSV(tt.msg)
			if (err == nil) != (tt.port != 0) || port != tt.port {
				t.Fatalf("got %d %v, want %d", port, err, tt.port)
			}
		})
	}
}

func TestParseQuoted(t *testing.T) {
	tests := []struct{ msg, want string }{
		{`"/" is the current directory`, "/"},
		{`"/a ""b"" c" is current`, `/a "b" c`},
		{`PWD: "/home/x"`, "/home/x"},
		{`"unterminated`, ""},
		{`no quotes`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			got, err := parseQuoted(tt.msg)
			if got != tt.want || (err == nil) != (tt.want != "") {
				t.Fatalf("got %q %v", got, err)
			}
		})
	}
}
