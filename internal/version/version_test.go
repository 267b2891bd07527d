package version

import "testing"

func TestSetReadsDetails(t *testing.T) {
	Set([]byte("[Details]\nIcon = \"assets/icon.png\"\nName = \"Skiff\"\nID = \"org.example.x\"\nVersion = \"9.8.7\"\nBuild = 3\n"))
	if Version() != "9.8.7" || AppID() != "org.example.x" {
		t.Fatalf("got version %q id %q", Version(), AppID())
	}
}
