//go:build fixtures

// This file wrote schema0.db, schema1.db and schema2.db. It is kept for the
// record, not compiled (testdata is outside every package): it ran as a test
// of package store at commit da2ea5e, the last commit whose Mingcha wrote
// schema 2:
//
//	git worktree add --detach /tmp/fx2 da2ea5e
//	cp gen_da2ea5e_test.go /tmp/fx2/store/
//	cd /tmp/fx2 && MINGCHA_FIXTURES=$PWD/out go test -tags fixtures ./store -run TestWriteFixtures
//
// No Mingcha ever wrote schema 1 (the first commit already migrated to
// 2): schema1.db is schema2.db's bytes as written by that build, with the
// index migration 2 adds deleted and the version set back to 1 — exactly
// what a schema-1 build held, since migration 2 only adds an index.
package store

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

var fixtureAt = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)

// fillInspections writes the inspector's side: a template, a unit and three
// inspections (a draft, a completed one and a signed one, each with 桌牌
// failed where it is not a draft).
func fillInspections(t *testing.T, s *Store) {
	tpl, err := inspect.ParseTemplate([]byte(testTemplate))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutTemplate("admin", tpl); err != nil {
		t.Fatal(err)
	}
	u := &inspect.Unit{ID: "U-1", Name: "区工商局企业登记科", Department: "区工商局", Kind: inspect.UnitOffice,
		Staff: []inspect.StaffMember{{Name: "张三", Post: "科长"}, {Name: "李四"}}}
	if err := s.PutUnit("admin", u); err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{"MC-20261118-000001", "MC-20261119-000002", "MC-20261120-000003"} {
		observed := fixtureAt.AddDate(0, 0, i-2)
		in, err := inspect.NewInspection(id, *u, tpl, inspect.ModeCovert, []string{"王督查"}, observed, observed)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateInspection("王督查", in); err != nil {
			t.Fatal(err)
		}
		answers := []inspect.Answer{{ItemCode: "A1", Counted: true}, {ItemCode: "A2", Result: inspect.ResultFail, Note: "无桌牌"},
			{ItemCode: "A3", Counted: true, Expected: 2}}
		if i == 0 {
			answers = answers[:1]
		}
		for _, a := range answers {
			if _, err := s.SaveAnswer("王督查", id, a); err != nil {
				t.Fatal(err)
			}
		}
		if i == 0 {
			continue
		}
		if _, err := s.CompleteInspection("王督查", id, 15, inspect.Holidays{}); err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			if _, err := s.SetSignature("王督查", id, inspect.DrawnSignature{Inspector: "王督查", PNG: []byte{1, 2, 3}}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.SignInspection("王督查", id); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestWriteFixtures(t *testing.T) {
	out := os.Getenv("MINGCHA_FIXTURES")
	if out == "" {
		t.Skip("MINGCHA_FIXTURES names the folder to write to")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	// schema 0: a bbolt file nobody wrote to.
	db, err := bolt.Open(filepath.Join(out, "schema0.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	// schema 2, as this build writes it.
	s2, err := Open(filepath.Join(out, "schema2.db"), Options{NoBackup: true, Now: func() time.Time { return fixtureAt }})
	if err != nil {
		t.Fatal(err)
	}
	fillInspections(t, s2)
	s2.Close()

	// schema 1: the same without migration 2's index.
	s1, err := Open(filepath.Join(out, "schema1.db"), Options{NoBackup: true, Now: func() time.Time { return fixtureAt }})
	if err != nil {
		t.Fatal(err)
	}
	fillInspections(t, s1)
	err = s1.db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketIdxObserved); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(1))
	})
	if err != nil {
		t.Fatal(err)
	}
	s1.Close()
}
