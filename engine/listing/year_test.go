package listing

import (
	"strings"
	"testing"
	"time"
)

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

// TestYearRule pins the rule for dates without a year: the most recent year
// in which the date is not more than a day in the future.
func TestYearRule(t *testing.T) {
	tests := []struct {
		now  time.Time
		date string
		want time.Time
	}{
		// 31 December: tomorrow is next year, the day after is not.
		{utc(2023, 12, 31, 12, 0), "Dec 31 23:59", utc(2023, 12, 31, 23, 59)},
		{utc(2023, 12, 31, 12, 0), "Jan  1 00:00", utc(2024, 1, 1, 0, 0)},
		{utc(2023, 12, 31, 12, 0), "Jan  1 12:00", utc(2024, 1, 1, 12, 0)},
		{utc(2023, 12, 31, 12, 0), "Jan  1 12:01", utc(2023, 1, 1, 12, 1)},
		{utc(2023, 12, 31, 12, 0), "Jan  2 00:00", utc(2023, 1, 2, 0, 0)},
		// 1 January: yesterday is last year.
		{utc(2024, 1, 1, 0, 30), "Dec 31 23:00", utc(2023, 12, 31, 23, 0)},
		{utc(2024, 1, 1, 0, 30), "Jan  1 12:00", utc(2024, 1, 1, 12, 0)},
		{utc(2024, 1, 1, 0, 30), "Jan  2 01:00", utc(2023, 1, 2, 1, 0)},
		{utc(2024, 1, 1, 0, 30), "Dec 31  2022", utc(2022, 12, 31, 0, 0)},
		// 29 February goes to the most recent leap year the rule allows.
		{utc(2024, 3, 1, 0, 0), "Feb 29 12:00", utc(2024, 2, 29, 12, 0)},
		{utc(2025, 3, 1, 0, 0), "Feb 29 12:00", utc(2024, 2, 29, 12, 0)},
		{utc(2024, 2, 28, 13, 0), "Feb 29 12:00", utc(2024, 2, 29, 12, 0)},
		{utc(2024, 2, 27, 12, 0), "Feb 29 12:00", utc(2020, 2, 29, 12, 0)},
		{utc(2023, 6, 1, 0, 0), "Feb 29 12:00", utc(2020, 2, 29, 12, 0)},
		{utc(2101, 3, 1, 0, 0), "Feb 29 12:00", utc(2096, 2, 29, 12, 0)}, // 2100 is not a leap year
		{utc(2024, 3, 1, 0, 0), "Feb 28 12:00", utc(2024, 2, 28, 12, 0)},
	}
	for _, tt := range tests {
		line := "-rw-r--r-- 1 u g 1 " + tt.date + " f"
		t.Run(tt.now.Format("2006-01-02T15:04")+" "+tt.date, func(t *testing.T) {
			es, _, err := ParseList(strings.NewReader(line), Options{Now: tt.now})
			if err != nil || len(es) != 1 || es[0].Unparsed {
				t.Fatalf("ParseList(%q) = %+v, %v", line, es, err)
			}
			if !es[0].ModTime.Equal(tt.want) {
				t.Errorf("ModTime = %v, want %v", es[0].ModTime, tt.want)
			}
		})
	}
	t.Run("Feb 30 is not a date", func(t *testing.T) {
		es, unparsed, _ := ParseList(strings.NewReader("-rw-r--r-- 1 u g 1 Feb 30 12:00 f"), Options{Now: utc(2024, 3, 1, 0, 0)})
		if unparsed != 1 || len(es) != 1 || es[0].Name != "f" {
			t.Errorf("got %+v, %d unparsed; want one unparsed entry named f", es, unparsed)
		}
	})
}

// TestTimeZone pins how TZOffset and Location turn a server's wall clock into
// UTC, for times and for "now" in the year rule.
func TestTimeZone(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		berlin = nil
	}
	tests := []struct {
		name string
		o    Options
		line string
		want time.Time
	}{
		{"no offset: wall clock is UTC", Options{Now: utc(2024, 4, 1, 0, 0)},
			"-rw-r--r-- 1 u g 1 Mar 29 12:00 f", utc(2024, 3, 29, 12, 0)},
		{"server on UTC+2: TZOffset 2h", Options{TZOffset: 2 * time.Hour, Now: utc(2024, 4, 1, 0, 0)},
			"-rw-r--r-- 1 u g 1 Mar 29 12:00 f", utc(2024, 3, 29, 10, 0)},
		{"Location Tokyo", Options{Location: tokyo, Now: utc(2024, 4, 1, 0, 0)},
			"-rw-r--r-- 1 u g 1 Mar 29 12:00 f", utc(2024, 3, 29, 3, 0)},
		{"Location wins over TZOffset", Options{Location: tokyo, TZOffset: 5 * time.Hour, Now: utc(2024, 4, 1, 0, 0)},
			"-rw-r--r-- 1 u g 1 Mar 29 12:00 f", utc(2024, 3, 29, 3, 0)},
		{"offset applies to dates with a year", Options{TZOffset: -time.Hour, Now: utc(2024, 4, 1, 0, 0)},
			"-rw-r--r-- 1 u g 1 Mar 29  2020 f", utc(2020, 3, 29, 1, 0)},
		{"offset applies to IIS", Options{TZOffset: time.Hour, Now: utc(2024, 4, 1, 0, 0)},
			"03-29-24  12:00PM                 1 f", utc(2024, 3, 29, 11, 0)},
		// Server on UTC-5: at 03:00 UTC on 1 January its clock says 31 December
		// 22:00, so "Jan 1 23:30" is 25.5 hours ahead: last year.
		{"year rule on the server's clock", Options{TZOffset: -5 * time.Hour, Now: utc(2024, 1, 1, 3, 0)},
			"-rw-r--r-- 1 u g 1 Jan  1 23:30 f", utc(2023, 1, 2, 4, 30)},
		{"Location Tokyo on New Year", Options{Location: tokyo, Now: utc(2023, 12, 31, 16, 0)},
			"-rw-r--r-- 1 u g 1 Jan  1 09:00 f", utc(2024, 1, 1, 0, 0)},
	}
	if berlin != nil {
		tests = append(tests, struct {
			name string
			o    Options
			line string
			want time.Time
		}{"Location Berlin in summer time", Options{Location: berlin, Now: utc(2024, 8, 1, 0, 0)},
			"-rw-r--r-- 1 u g 1 Jul  1 12:00 f", utc(2024, 7, 1, 10, 0)})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, _, err := ParseList(strings.NewReader(tt.line), tt.o)
			if err != nil || len(es) != 1 || es[0].Unparsed {
				t.Fatalf("ParseList(%q) = %+v, %v", tt.line, es, err)
			}
			if got := es[0].ModTime; !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("ModTime = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("MLSD ignores the site's zone", func(t *testing.T) {
		e, err := ParseMLST(" type=file;modify=20240329120000; f")
		if err != nil || !e.ModTime.Equal(utc(2024, 3, 29, 12, 0)) || e.Name != "f" {
			t.Errorf("ParseMLST = %+v, %v", e, err)
		}
	})
}
