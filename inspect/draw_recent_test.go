package inspect

import (
	"testing"
	"time"
)

func TestExcludeRecent(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	units := []Unit{{ID: "a"}, {ID: "b"}, {ID: "c"}}
	last := map[string]time.Time{"a": now.AddDate(0, 0, -3), "b": now.AddDate(0, 0, -40)}
	got := ExcludeRecent(units, last, now, 30)
	if len(got) != 2 || got[0].ID != "b" || got[1].ID != "c" {
		t.Errorf("got %+v, want b and c (a was inspected 3 days ago)", got)
	}
	if len(ExcludeRecent(units, last, now, 0)) != 3 {
		t.Error("days 0 excludes nobody")
	}
}
