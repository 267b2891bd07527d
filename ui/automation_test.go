package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestAutomationFromEnv(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	a := test.NewTempApp(t)
	if auto := AutomationFromEnv(env(nil), a); auto != nil || auto.RateLimit() != 0 {
		t.Fatalf("no variables: %+v, want nil", auto)
	}
	auto := AutomationFromEnv(env(map[string]string{
		"SKIFF_BENCH": "1", "SKIFF_BENCH_DOWNLOAD": "/tree", "SKIFF_BENCH_INTO": "/tmp/dst",
		"SKIFF_BENCH_SCROLL": "1", "SKIFF_RATE_LIMIT": "65536",
	}), a)
	if auto == nil || auto.Download != "/tree" || auto.Into != "/tmp/dst" || !auto.ScrollToEnd ||
		auto.RateLimit() != 65536 || auto.OnFirstRows == nil || auto.OnQueueDone == nil {
		t.Fatalf("got %+v", auto)
	}
	if auto := AutomationFromEnv(env(map[string]string{"SKIFF_RATE_LIMIT": "fast"}), a); auto == nil || auto.Rate != 0 {
		t.Fatalf("a bad rate: %+v, want no limit", auto)
	}
}
