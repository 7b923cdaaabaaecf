package msg

import (
	"testing"
	"time"

	"mingcha/inspect"
)

// TestComparison: a previous period with no inspections, too few, and
// enough to compare, as both faces print them.
func TestComparison(t *testing.T) {
	locale(t, "en")
	prev := &inspect.Filter{From: time.Date(2026, 10, 1, 0, 0, 0, 0, inspect.Zone), To: time.Date(2026, 11, 1, 0, 0, 0, 0, inspect.Zone)}
	cur := inspect.Totals{Inspections: 15, Average: 88.47, Problems: 62}
	for _, tt := range []struct {
		prev *inspect.Totals
		want string
	}{
		{nil, ""},
		{&inspect.Totals{}, "Previous period 2026-10-01 – 2026-10-31: no inspections, not compared."},
		{&inspect.Totals{Inspections: 4, Average: 70, Problems: 9}, "Previous period 2026-10-01 – 2026-10-31: only 4 inspections, not compared."},
		{&inspect.Totals{Inspections: 12, Average: 90.5, Problems: 70}, "Previous period 2026-10-01 – 2026-10-31: 12 inspections, average 90.50 (-2.03), 70 problems (-8)."},
	} {
		o := &inspect.Overview{Totals: cur, Previous: tt.prev, PrevFilter: prev}
		if got := Comparison(o); got != tt.want {
			t.Errorf("previous %+v:\n got %q\nwant %q", tt.prev, got, tt.want)
		}
	}
	locale(t, "zh-Hans")
	o := &inspect.Overview{Totals: cur, Previous: &inspect.Totals{}, PrevFilter: prev}
	if got, want := Comparison(o), "上一时段 2026-10-01 至 2026-10-31 没有检查，不作比较。"; got != want {
		t.Errorf("in Chinese: %q, want %q", got, want)
	}
}

// locale makes lang.L answer in tag's language ("en", "zh-Hans") for the
// rest of the test, on every platform (under Wine LANG is not the system's
// language); the system's language comes back after it.
func locale(t *testing.T, tag string) {
	t.Helper()
	t.Cleanup(func() { _ = LoadTranslations() })
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	UseLanguage(tag)
}
