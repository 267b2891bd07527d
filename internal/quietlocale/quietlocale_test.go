package quietlocale

import (
	"os"
	"testing"
)

func TestPlain(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, true},
		{map[string]string{"LANG": "C"}, true},
		{map[string]string{"LANG": "C.UTF-8"}, true},
		{map[string]string{"LANG": "POSIX"}, true},
		{map[string]string{"LANG": "de_DE.UTF-8"}, false},
		{map[string]string{"LANG": "C", "LC_MESSAGES": "fr_FR.UTF-8"}, false},
		{map[string]string{"LANG": "de_DE.UTF-8", "LC_ALL": "C"}, true},
	}
	for _, tt := range tests {
		got := plain(messagesLocale(func(k string) string { return tt.env[k] }))
		if got != tt.want {
			t.Errorf("%v: plain %v, want %v", tt.env, got, tt.want)
		}
	}
}

func TestRestorePutsBackWhatInitChanged(t *testing.T) {
	t.Setenv("LC_MESSAGES", "en")
	key, saved, wasSet = "LC_MESSAGES", "fr_FR.UTF-8", true
	Restore()
	if got := os.Getenv("LC_MESSAGES"); got != "fr_FR.UTF-8" {
		t.Fatalf("LC_MESSAGES %q after Restore", got)
	}
	t.Setenv("LC_ALL", "en")
	key, saved, wasSet = "LC_ALL", "", false
	Restore()
	if _, ok := os.LookupEnv("LC_ALL"); ok {
		t.Fatal("LC_ALL still set after Restore; it was unset before")
	}
	os.Setenv("LC_ALL", "x") // t.Setenv's cleanup expects it to exist
}
