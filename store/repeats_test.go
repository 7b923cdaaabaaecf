package store

import (
	"math/rand"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// Completing through the repeat index gives what the unit's whole history
// gives, through completions, reopenings and an inspection backfilled
// before the others.
func TestRepeatIndexMatchesHistory(t *testing.T) {
	s := mustOpenAt(t, filepath.Join(t.TempDir(), "m.db"), Options{NoBackup: true})
	defer s.Close()
	u, tpl := seed(t, s)
	rng := rand.New(rand.NewSource(5))
	var ids []string
	for i := 0; i < 40; i++ {
		observed := t0.Add(time.Duration(i) * 24 * time.Hour)
		if i == 25 {
			observed = t0.Add(-48 * time.Hour) // backfilled: found before all others
		}
		in := newInspection(t, s, u, tpl, observed)
		a2 := inspect.Answer{ItemCode: "A2", Result: inspect.ResultPass}
		if rng.Intn(2) == 0 {
			a2.Result = inspect.ResultFail
		}
		a3 := inspect.Answer{ItemCode: "A3", Counted: true, Expected: 3}
		if rng.Intn(3) == 0 {
			a3.Absent = []inspect.AbsentPerson{{Name: "李四", Reason: inspect.AbsenceOffPost}}
		}
		for _, a := range []inspect.Answer{{ItemCode: "A1", Counted: true}, a2, a3} {
			if _, err := s.SaveAnswer("t", in.ID, a); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.CompleteInspection("t", in.ID, 15, inspect.Holidays{})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, in.ID)
		// The same rule over the whole history.
		var earlier []inspect.Problem
		_ = s.view(func(tx *bolt.Tx) error {
			earlier, err = unitProblemsTx(tx, got.UnitID, got.ID)
			return err
		})
		want := append([]inspect.Problem(nil), got.Problems...)
		inspect.MarkRepeats(want, earlier)
		for k := range want {
			if want[k].Repeat != got.Problems[k].Repeat || want[k].RepeatCount != got.Problems[k].RepeatCount ||
				len(want[k].RepeatOf) != len(got.Problems[k].RepeatOf) || (len(want[k].RepeatOf) == 1 && want[k].RepeatOf[0] != got.Problems[k].RepeatOf[0]) {
				t.Fatalf("inspection %d, %s: index gives %v %v %d, history %v %v %d", i, want[k].ID,
					got.Problems[k].Repeat, got.Problems[k].RepeatOf, got.Problems[k].RepeatCount, want[k].Repeat, want[k].RepeatOf, want[k].RepeatCount)
			}
		}
		if i%7 == 6 { // reopen an earlier one and complete it again
			back := ids[rng.Intn(len(ids))]
			if _, err := s.ReopenInspection("t", back); err != nil {
				t.Fatal(err)
			}
			if _, err := s.CompleteInspection("t", back, 15, inspect.Holidays{}); err != nil {
				t.Fatal(err)
			}
		}
	}
}
