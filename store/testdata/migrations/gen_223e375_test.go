//go:build fixtures

// This file wrote schema7.db. It is kept for the record, not compiled
// (testdata is outside every package): it ran as a test of package store at
// commit 223e375, the last commit whose Mingcha wrote schema 7:
//
//	mkdir /tmp/fx7 && git archive 223e375 | tar -x -C /tmp/fx7
//	cp gen_223e375_test.go /tmp/fx7/store/
//	cd /tmp/fx7 && MINGCHA_FIXTURES=$PWD/out go test -tags fixtures ./store -run TestWriteFixtures7
package store

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"mingcha/inspect"
)

var fixture7At = time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)

// Schema 7 as a draft's autosaves left it: MC-…-000001 completed, and the
// draft MC-…-000002 with two answers autosaved (its answers in drafts/,
// stored with zstd without entropy coding, its summary plain beside them,
// carrying the time of the last autosave, 10:15, which its record does
// not, and its answers' audit entries stored with zstd and dictionary 1
// without entropy coding).
func TestWriteFixtures7(t *testing.T) {
	out := os.Getenv("MINGCHA_FIXTURES")
	if out == "" {
		t.Skip("MINGCHA_FIXTURES names the folder to write to")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	now := fixture7At
	s, err := Open(filepath.Join(out, "schema7.db"), Options{NoBackup: true, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
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
	for i, id := range []string{"MC-20261130-000001", "MC-20261201-000002"} {
		observed := fixture7At.AddDate(0, 0, i-1)
		in, err := inspect.NewInspection(id, *u, tpl, inspect.ModeCovert, []string{"王督查"}, observed, observed)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateInspection("王督查", in); err != nil {
			t.Fatal(err)
		}
		answers := []inspect.Answer{{ItemCode: "A1", Counted: true}, {ItemCode: "A2", Result: inspect.ResultFail, Note: "无桌牌"},
			{ItemCode: "A3", Counted: true, Expected: 2}}
		if i == 1 {
			answers = answers[:2]
		}
		for j, a := range answers {
			now = fixture7At.Add(time.Duration(30+15*j) * time.Minute)
			if _, err := s.SaveAnswer("王督查", id, a); err != nil {
				t.Fatal(err)
			}
		}
		if i == 0 {
			if _, err := s.CompleteInspection("王督查", id, 15, inspect.Holidays{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
