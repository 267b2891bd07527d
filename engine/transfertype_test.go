package engine

import "testing"

func TestTypeRuleASCII(t *testing.T) {
	exts := []string{"txt", ".HTML", " md "}
	for _, tc := range []struct {
		rule TypeRule
		name string
		want bool
	}{
		{TypeRule{TypeAuto, exts}, "a.txt", true},
		{TypeRule{TypeAuto, exts}, "/dir/INDEX.html", true},
		{TypeRule{TypeAuto, exts}, "README.md", true},
		{TypeRule{TypeAuto, exts}, "a.txt.gz", false},
		{TypeRule{TypeAuto, exts}, ".txt", false},
		{TypeRule{TypeAuto, exts}, "txt", false},
		{TypeRule{TypeAuto, exts}, "a.", false},
		{TypeRule{TypeAuto, nil}, "a.txt", false},
		{TypeRule{TypeASCII, nil}, "a.bin", true},
		{TypeRule{TypeBinary, exts}, "a.txt", false},
	} {
		if got := tc.rule.ASCII(tc.name); got != tc.want {
			t.Errorf("%v %q: %v, want %v", tc.rule, tc.name, got, tc.want)
		}
	}
}

func TestParseTransferType(t *testing.T) {
	for in, want := range map[string]TransferType{"auto": TypeAuto, "a": TypeASCII, "ASCII": TypeASCII, "i": TypeBinary, "binary": TypeBinary} {
		if got, err := ParseTransferType(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if _, err := ParseTransferType("ebcdic"); err == nil {
		t.Error("ebcdic accepted")
	}
}
