package inspect

import (
	"testing"
	"time"
)

// TestWorkingDaysLateSameInstantAnyZone: the days late of one instant do
// not depend on the zone now is written in (a laptop on UTC, one abroad).
func TestWorkingDaysLateSameInstantAnyZone(t *testing.T) {
	utc := time.UTC
	plus8 := time.FixedZone("+08:00", 8*3600)
	minus5 := time.FixedZone("-05:00", -5*3600)
	// Due at the end of Friday 6 March 2026 in the office's zone.
	p := &Problem{State: ProblemOpen, Deadline: time.Date(2026, 3, 6, 23, 59, 59, 0, Zone)}
	hol := Holidays{Off: map[string]bool{"2026-03-10": true}}
	tests := []struct {
		name string
		at   time.Time // the instant, in the office's zone
		want int
	}{
		{"before the deadline", time.Date(2026, 3, 6, 12, 0, 0, 0, Zone), 0},
		{"saturday just after midnight", time.Date(2026, 3, 7, 0, 30, 0, 0, Zone), 0},
		{"monday early morning", time.Date(2026, 3, 9, 1, 0, 0, 0, Zone), 1},
		{"monday late evening", time.Date(2026, 3, 9, 23, 30, 0, 0, Zone), 1},
		{"tuesday, a holiday", time.Date(2026, 3, 10, 7, 0, 0, 0, Zone), 1},
		{"wednesday before 8:00", time.Date(2026, 3, 11, 7, 59, 0, 0, Zone), 2},
	}
	for _, tt := range tests {
		for _, z := range []*time.Location{utc, plus8, minus5} {
			now := tt.at.In(z)
			if got := WorkingDaysLate(p, now, hol); got != tt.want {
				t.Errorf("%s, now %s: %d working days late, want %d", tt.name, now.Format(time.RFC3339), got, tt.want)
			}
		}
	}
	// A deadline stored with another zone's offset is the same instant.
	q := *p
	q.Deadline = p.Deadline.In(minus5)
	if got := WorkingDaysLate(&q, time.Date(2026, 3, 9, 1, 0, 0, 0, Zone).In(utc), hol); got != 1 {
		t.Errorf("deadline in -05:00: %d", got)
	}
}

func TestAddWorkingDaysEndsInTheOfficeZone(t *testing.T) {
	// Observed Friday 6 March 20:00 in the office = 12:00 UTC; 1 working
	// day later is Monday 9 March, ending 23:59:59 in the office's zone.
	from := time.Date(2026, 3, 6, 12, 0, 0, 0, time.UTC)
	got := AddWorkingDays(from, 1, Holidays{})
	if want := time.Date(2026, 3, 9, 23, 59, 59, 0, Zone); !got.Equal(want) {
		t.Errorf("AddWorkingDays = %v, want %v", got, want)
	}
	// 18:00 on 6 March in -05:00 is 7 March in the office: Monday again.
	late := time.Date(2026, 3, 6, 18, 0, 0, 0, time.FixedZone("-05:00", -5*3600))
	if got := AddWorkingDays(late, 1, Holidays{}); !got.Equal(time.Date(2026, 3, 9, 23, 59, 59, 0, Zone)) {
		t.Errorf("from %v: %v", late, got)
	}
}

func TestParsePeriod(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, Zone) }
	tests := []struct {
		in       string
		from, to time.Time
		key      string
	}{
		{"2026-05", d(2026, 5, 1), d(2026, 6, 1), ""},
		{" 2026-5 ", d(2026, 5, 1), d(2026, 6, 1), ""},
		{"2026-12", d(2026, 12, 1), d(2027, 1, 1), ""},
		{"2026Q2", d(2026, 4, 1), d(2026, 7, 1), ""},
		{"2026q4", d(2026, 10, 1), d(2027, 1, 1), ""},
		{"2026", d(2026, 1, 1), d(2027, 1, 1), ""},
		{"2026-13", time.Time{}, time.Time{}, "period.no_month"},
		{"2026Q5", time.Time{}, time.Time{}, "period.invalid"},
		{"May", time.Time{}, time.Time{}, "period.invalid"},
	}
	for _, tt := range tests {
		from, to, err := ParsePeriod(tt.in)
		if tt.key != "" {
			if e, ok := err.(*Error); !ok || e.Key != tt.key {
				t.Errorf("ParsePeriod(%q) error %v, want %s", tt.in, err, tt.key)
			}
			continue
		}
		if err != nil || !from.Equal(tt.from) || !to.Equal(tt.to) || from.Location() != Zone {
			t.Errorf("ParsePeriod(%q) = %v %v %v, want %v %v", tt.in, from, to, err, tt.from, tt.to)
		}
	}
}

func TestParseRangeIncludesTheLastDay(t *testing.T) {
	from, to, err := ParseRange("2026-05-01", "2026-05-31")
	if err != nil || !from.Equal(time.Date(2026, 5, 1, 0, 0, 0, 0, Zone)) || !to.Equal(time.Date(2026, 6, 1, 0, 0, 0, 0, Zone)) {
		t.Errorf("ParseRange = %v %v %v", from, to, err)
	}
	if PeriodLabel(from, to) != "2026-05-01 – 2026-05-31" {
		t.Errorf("label %q", PeriodLabel(from, to))
	}
	if _, _, err := ParseRange("2026-05-31", "2026-05-01"); err == nil {
		t.Error("a period that ends before it begins")
	}
	if _, _, err := ParseRange("2026-02-31", "2026-03-01"); err == nil {
		t.Error("31 February")
	}
}

func TestDeadlineRoundTrip(t *testing.T) {
	for _, s := range []string{"2026-03-20", "2026-12-31", "2027-01-01"} {
		d, err := ParseDeadline(s)
		if err != nil {
			t.Fatal(err)
		}
		if FormatDate(d) != s || !EndOfDay(d).Equal(d) {
			t.Errorf("%s → %v → %s", s, d, FormatDate(d))
		}
		// As JSON stores it and reads it back (a fixed +08:00 offset).
		var back time.Time
		data, _ := d.MarshalJSON()
		if err := back.UnmarshalJSON(data); err != nil || !back.Equal(d) || FormatDate(back) != s {
			t.Errorf("%s after JSON: %v", s, back)
		}
		if again, _ := ParseDeadline(FormatDate(back)); !again.Equal(d) {
			t.Errorf("%s moved to %v after a round trip", s, again)
		}
	}
}
