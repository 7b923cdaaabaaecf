package store

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// TestMigrationUnitProblems writes a schema-3 file (completed inspections
// but no per-unit problem index), opens it, and finds the index filled.
func TestMigrationUnitProblems(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s := mustOpenAt(t, path, Options{NoBackup: true})
	u, tpl := seed(t, s)
	for i := 0; i < 3; i++ {
		in := newInspection(t, s, u, tpl, t0.AddDate(0, 0, i))
		for _, a := range []inspect.Answer{{ItemCode: "A1", Counted: true}, {ItemCode: "A2", Result: inspect.ResultFail}, {ItemCode: "A3", Counted: true, Expected: 1}} {
			if _, err := s.SaveAnswer("w", in.ID, a); err != nil {
				t.Fatal(err)
			}
		}
		if i < 2 { // the third stays a draft: no problems indexed
			if _, err := s.CompleteInspection("w", in.ID, 15, inspect.Holidays{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketUnitProblems); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(3))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	s2 := mustOpenAt(t, path, Options{NoBackup: true})
	ps, err := s2.UnitProblems(u.ID)
	if err != nil || len(ps) != 2 {
		t.Fatalf("after migration: %d problems, %v", len(ps), err)
	}
	if ps[0].Repeat == ps[1].Repeat {
		t.Fatalf("exactly the second occurrence is a repeat: %+v", ps)
	}
	// Reopening removes an inspection's problems from the index.
	p, _ := s2.ListInspections(Query{Statuses: []inspect.Status{inspect.StatusCompleted}, Limit: 1})
	if _, err := s2.ReopenInspection("w", p.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	if ps, _ := s2.UnitProblems(u.ID); len(ps) != 1 {
		t.Fatalf("after reopen: %d problems", len(ps))
	}
}
