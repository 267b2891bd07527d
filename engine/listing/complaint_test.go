package listing

import "testing"

func TestParseComplaint(t *testing.T) {
	for _, tt := range []struct {
		line string
		want Complaint
	}{
		{"ls: cannot access 'a/q': No such file or directory", ComplaintNotFound},
		{"ls: cannot access 'r': No such file or directory", ComplaintNotFound},
		{"/bin/ls: cannot open directory '/x': Permission denied", ComplaintPermission},
		{"ls: /x: Permission denied", ComplaintPermission},
		{"No such file or directory", ComplaintNotFound},
		{"  Permission denied\r", ComplaintPermission},
		{"NO SUCH FILE OR DIRECTORY", ComplaintNotFound},
		{"x: permission DENIED", ComplaintPermission},
		{"x:Permission denied", NoComplaint},
		{"ermission denied", NoComplaint},
		{"/srv/x: No such file or directory", ComplaintNotFound},
		{"ls: invalid option -- 'z'", ComplaintNotFound},
		{"-rw-r--r--   1 u g        4 Jan 01 00:00 x: No such file or directory", NoComplaint},
		{"drwxr-xr-x   2 u g     4096 Jan 01 00:00 Permission denied", NoComplaint},
		{"type=file;size=1; x: Permission denied", NoComplaint},
		{"01-02-24  10:00AM       <DIR>          no: No such file or directory", NoComplaint},
		{"total 0", NoComplaint},
		{"readme.txt", NoComplaint},
		{"ls-files.txt", NoComplaint},
		{"", NoComplaint},
	} {
		t.Run(tt.line, func(t *testing.T) {
			if got := ParseComplaint(tt.line); got != tt.want {
				t.Fatalf("ParseComplaint = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestParseComplaintAllocatesNothing: every listing line is checked, so the
// check must not copy the line (a lower-cased copy cost an allocation per
// line with a capital letter in it, which is nearly every line).
func TestParseComplaintAllocatesNothing(t *testing.T) {
	for _, line := range []string{
		"-rw-r--r--   1 owner group     4096 Jan 01 00:00 Some File.txt",
		"ls: cannot access 'a/q': No such file or directory",
	} {
		if n := testing.AllocsPerRun(100, func() { ParseComplaint(line) }); n != 0 {
			t.Errorf("%q: %v allocations", line, n)
		}
	}
}
