package store

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mingcha/inspect"
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

// An id CreateInspection draws that is taken is drawn again; an id the
// caller gives that is taken is refused, and nothing is written.
func TestCreateInspectionDrawsAgainATakenID(t *testing.T) {
	s := mustOpenAt(t, filepath.Join(t.TempDir(), "m.db"), Options{NoBackup: true})
	defer s.Close()
	u, tpl := seed(t, s)
	ids := []string{"MC-20261201-AAAAAA", "MC-20261201-AAAAAA", "MC-20261201-AAAAAA", "MC-20261201-BBBBBB"}
	s.newID = func(time.Time) string { id := ids[0]; ids = ids[1:]; return id }
	first := newInspection(t, s, u, tpl, t0)
	second := newInspection(t, s, u, tpl, t0.Add(time.Hour))
	if first.ID != "MC-20261201-AAAAAA" || second.ID != "MC-20261201-BBBBBB" || len(ids) != 0 {
		t.Fatalf("ids %s, %s; %d left", first.ID, second.ID, len(ids))
	}
	given, err := inspect.NewInspection(first.ID, *u, tpl, inspect.ModeCovert, []string{"王督查"}, t0, t0)
	if err != nil {
		t.Fatal(err)
	}
	var ie *inspect.Error
	if err := s.CreateInspection("王督查", given); !errors.As(err, &ie) || ie.Code != inspect.ECodeConflict {
		t.Fatalf("a given id that is taken: %v", err)
	}
	if p, _ := s.ListInspections(Query{}); p.Total != 2 {
		t.Errorf("%d inspections, want 2", p.Total)
	}
}

// Inside a Batch too, a drawn id that is taken is drawn again.
func TestBatchDrawsIDs(t *testing.T) {
	s := mustOpenAt(t, filepath.Join(t.TempDir(), "m.db"), Options{NoBackup: true})
	defer s.Close()
	u, tpl := seed(t, s)
	ids := []string{"MC-20261201-CCCCCC", "MC-20261201-CCCCCC", "MC-20261201-DDDDDD"}
	s.newID = func(time.Time) string { id := ids[0]; ids = ids[1:]; return id }
	var made []string
	if err := s.Batch(func(b *Store) error {
		for i := 0; i < 2; i++ {
			made = append(made, newInspection(t, b, u, tpl, t0.Add(time.Duration(i)*time.Hour)).ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(made) != 2 || made[0] != "MC-20261201-CCCCCC" || made[1] != "MC-20261201-DDDDDD" {
		t.Fatalf("made %v", made)
	}
}
