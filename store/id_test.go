package store

import (
	"strings"
	"testing"
	"time"
)

// TestNewIDDateInOfficeZone: an id carries the date of the office's zone —
// 23:49 UTC on the 22nd is 07:49 on the 23rd in Shanghai, the date the
// window and the report show — whatever zone now is given in.
func TestNewIDDateInOfficeZone(t *testing.T) {
	instant := time.Date(2026, 11, 22, 23, 49, 0, 0, time.UTC)
	for _, zone := range []*time.Location{time.UTC, time.FixedZone("EST", -5*3600), time.FixedZone("CST", 8*3600)} {
		if id := NewID(instant.In(zone)); !strings.HasPrefix(id, "MC-20261123-") || len(id) != len("MC-20261123-7F3A9C") {
			t.Errorf("NewID at %v = %s, want MC-20261123-XXXXXX", instant.In(zone), id)
		}
	}
}
