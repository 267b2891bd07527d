package sftp

import "testing"

func TestIsPasswordPrompt(t *testing.T) {
	for _, tc := range []struct {
		prompt string
		echo   bool
		want   bool
	}{
		{"Password: ", false, true},
		{"skiffftp@127.0.0.1's password: ", false, true},
		{"New PASSWORD: ", false, true},
		{"Verification code: ", false, false},
		{"One-time password (echoed): ", true, false},
		{"Enter PASSCODE: ", false, false},
	} {
		t.Run(tc.prompt, func(t *testing.T) {
			if got := IsPasswordPrompt(tc.prompt, tc.echo); got != tc.want {
				t.Fatalf("IsPasswordPrompt(%q, echo %v) = %v", tc.prompt, tc.echo, got)
			}
		})
	}
}

func TestParseJump(t *testing.T) {
	for _, tc := range []struct {
		in         string
		user, host string
		port       int
		bad        bool
	}{
		{"bastion", "", "bastion", 0, false},
		{"me@bastion", "me", "bastion", 0, false},
		{"me@bastion:2222", "me", "bastion", 2222, false},
		{"bastion:0", "", "", 0, true},
		{"me@", "", "", 0, true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			u, h, p, err := parseJump(tc.in)
			if (err != nil) != tc.bad || u != tc.user || h != tc.host || p != tc.port {
				t.Fatalf("parseJump(%q) = %q, %q, %d, %v", tc.in, u, h, p, err)
			}
		})
	}
}
