//go:build fixtures

// This file wrote schema3.db. It is kept for the record, not compiled
// (testdata is outside every package): it ran as a test of package store at
// commit 70a0059, the commit that brought schemas 3 and 4 together. No
// Mingcha ever wrote schema 3 alone (that build's completion needs the
// schema-4 index), so the file is what this build wrote with migration 4's
// index deleted and the version set back to 3 — exactly a schema-3 file,
// since migration 4 only adds that index:
//
//	git worktree add --detach /tmp/fx3 70a0059
//	cp gen_70a0059_test.go /tmp/fx3/store/
//	cd /tmp/fx3 && MINGCHA_FIXTURES=$PWD/out go test -tags fixtures ./store -run TestWriteFixtures
package store

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

var fixtureAt = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)

func TestWriteFixtures(t *testing.T) {
	out := os.Getenv("MINGCHA_FIXTURES")
	if out == "" {
		t.Skip("MINGCHA_FIXTURES names the folder to write to")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := Open(filepath.Join(out, "schema3.db"), Options{NoBackup: true, Now: func() time.Time { return fixtureAt }})
	if err != nil {
		t.Fatal(err)
	}

	// The inspector's side: two completed inspections of one unit, both
	// with 桌牌 failed (the second a 重复问题), and a draft.
	tpl, err := inspect.ParseTemplate([]byte(testTemplate))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutTemplate("admin", tpl); err != nil {
		t.Fatal(err)
	}
	u := &inspect.Unit{ID: "U-1", Name: "区工商局企业登记科", Department: "区工商局", Kind: inspect.UnitOffice}
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
		for _, a := range []inspect.Answer{{ItemCode: "A1", Counted: true}, {ItemCode: "A2", Result: inspect.ResultFail},
			{ItemCode: "A3", Counted: true, Expected: 2}} {
			if _, err := s.SaveAnswer("王督查", id, a); err != nil {
				t.Fatal(err)
			}
		}
		if i < 2 {
			if _, err := s.CompleteInspection("王督查", id, 15, inspect.Holidays{}); err != nil {
				t.Fatal(err)
			}
		}
	}

	// The office's side: a roster, two imported reports of 甲 (the second
	// a 回访 that finds 桌牌 in order), one of 乙 with its 整改 reported,
	// and a 抽签.
	roster := []inspect.Unit{
		{ID: "U-1", Name: "区工商局企业登记科", Department: "区工商局", Kind: inspect.UnitOffice},
		{ID: "U-2", Name: "区税务局办税窗口", Department: "区税务局", Kind: inspect.UnitWindow},
	}
	if _, _, err := s.ImportUnits("效能办", roster); err != nil {
		t.Fatal(err)
	}
	reports := []*inspect.Inspection{
		signedInspection(t, "R1", roster[0], fixtureAt.AddDate(0, -1, 0), []string{"王督查"},
			inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail}),
		signedInspection(t, "R2", roster[0], fixtureAt.AddDate(0, 0, -5), []string{"李督查"}),
		signedInspection(t, "R3", roster[1], fixtureAt.AddDate(0, 0, -4), []string{"李督查"},
			inspect.Answer{ItemCode: "A1", Count: 2}),
	}
	for _, in := range reports {
		data, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.ImportReport("效能办", in.ID+".pdf", data, &inspect.SignedReport{Inspection: in, Signer: in.Inspectors[0], Trust: "office-ca", SigningTime: in.SignedAt})
		if err != nil || r.Outcome != ImportAccepted {
			t.Fatalf("import %s: %+v %v", in.ID, r, err)
		}
	}
	if _, err := s.ChangeProblem("效能办", "R3/A1", inspect.ActionRectify, "已佩戴"); err != nil {
		t.Fatal(err)
	}
	d, err := inspect.DrawUnits(roster, inspect.DrawFilter{}, 1, "种子", fixtureAt)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraw("效能办", d); err != nil {
		t.Fatal(err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketUnitProblems); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(3))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}
