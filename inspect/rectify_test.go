package inspect

import (
	"testing"
	"time"
)

func TestFollowUp(t *testing.T) {
	first := officeInspection(t, "r1", "u1", "甲", "", ModeCovert, []string{"王"}, may,
		Answer{ItemCode: "A1", Count: 2}, Answer{ItemCode: "A2", Result: ResultFail}, Answer{ItemCode: "B5", Result: ResultFail})
	probs := first.Problems // A1, A2, B5, all open
	if len(probs) != 3 {
		t.Fatalf("%d problems", len(probs))
	}
	for i := range probs {
		if probs[i].ItemCode == "A2" {
			if err := probs[i].Rectify(may.AddDate(0, 0, 3), "已补桌牌"); err != nil {
				t.Fatal(err)
			}
		}
	}
	probs = append(probs, Problem{ID: "r1/F1", InspectionID: "r1", UnitID: "u1", FindingID: "F1", State: ProblemOpen, FoundAt: may})
	// 回访: A1 fixed (never reported), A2 fails again although reported
	// fixed, B5 not re-checked (N/A).
	later := officeInspection(t, "r2", "u1", "甲", "", ModeOpen, []string{"李"}, may.AddDate(0, 0, 20),
		Answer{ItemCode: "A2", Result: ResultFail}, Answer{ItemCode: "B5", Result: ResultNA})
	changes := FollowUp(probs, later, may.AddDate(0, 0, 20))
	got := map[string][2]ProblemState{}
	for _, c := range changes {
		got[c.Problem.ID] = [2]ProblemState{c.OldState, c.Problem.State}
		if c.FollowUp != "r2" {
			t.Errorf("follow-up id %q", c.FollowUp)
		}
	}
	want := map[string][2]ProblemState{
		"r1/A1": {ProblemOpen, ProblemVerified},
		"r1/A2": {ProblemRectified, ProblemOpen},
	}
	if len(got) != len(want) || got["r1/A1"] != want["r1/A1"] || got["r1/A2"] != want["r1/A2"] {
		t.Errorf("changes %v, want %v", got, want)
	}
	// A follow-up of another unit, or one before the problem, changes nothing.
	other := officeInspection(t, "r3", "u2", "乙", "", ModeOpen, []string{"李"}, may.AddDate(0, 0, 20))
	if c := FollowUp(probs, other, may); len(c) != 0 {
		t.Errorf("other unit changed %v", c)
	}
	before := officeInspection(t, "r4", "u1", "甲", "", ModeOpen, []string{"李"}, may.AddDate(0, 0, -1))
	if c := FollowUp(probs, before, may); len(c) != 0 {
		t.Errorf("earlier inspection changed %v", c)
	}
}

func TestOfficeActions(t *testing.T) {
	now := may
	cases := []struct {
		from   ProblemState
		action Action
		to     ProblemState
		ok     bool
	}{
		{ProblemOpen, ActionRectify, ProblemRectified, true},
		{ProblemRectified, ActionVerify, ProblemVerified, true},
		{ProblemRectified, ActionReopen, ProblemOpen, true},
		{ProblemOpen, ActionVerify, ProblemOpen, false},
		{ProblemOpen, ActionReopen, ProblemOpen, false},
		{ProblemVerified, ActionRectify, ProblemVerified, false},
		{ProblemVerified, ActionReopen, ProblemVerified, false},
		{ProblemOpen, Action("close"), ProblemOpen, false},
	}
	for _, c := range cases {
		p := Problem{ID: "x", State: c.from}
		err := p.Do(c.action, now, "")
		if (err == nil) != c.ok || p.State != c.to {
			t.Errorf("%s --%s-->: state %s err %v; want %s ok=%v", c.from, c.action, p.State, err, c.to, c.ok)
		}
		if err != nil && ErrorCode(err) == "internal" {
			t.Errorf("%s: error is not a domain error", c.action)
		}
	}
	r := Rectification{State: ProblemRectified, RectifiedAt: now, Note: "已整改"}
	p := Problem{State: ProblemOpen}
	r.Apply(&p)
	if p.State != ProblemRectified || p.Note != "已整改" || !p.RectifiedAt.Equal(now) {
		t.Errorf("apply: %+v", p)
	}
}

func TestWorkingDaysLate(t *testing.T) {
	// Found Friday 2026-11-20; 15 working days → Friday 2026-12-11 23:59:59.
	found := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	p := Problem{State: ProblemOpen, Deadline: AddWorkingDays(found, 15, Holidays{})}
	if got := p.Deadline.Format(time.DateOnly); got != "2026-12-11" {
		t.Fatalf("deadline %s", got)
	}
	cases := []struct {
		now  time.Time
		hol  Holidays
		late int
	}{
		{time.Date(2026, 12, 11, 18, 0, 0, 0, time.UTC), Holidays{}, 0},                                        // on the day
		{time.Date(2026, 12, 12, 9, 0, 0, 0, time.UTC), Holidays{}, 0},                                         // Saturday
		{time.Date(2026, 12, 14, 9, 0, 0, 0, time.UTC), Holidays{}, 1},                                         // Monday
		{time.Date(2026, 12, 18, 9, 0, 0, 0, time.UTC), Holidays{}, 5},                                         // a week on
		{time.Date(2026, 12, 18, 9, 0, 0, 0, time.UTC), Holidays{Off: map[string]bool{"2026-12-15": true}}, 4}, // a holiday
	}
	for _, c := range cases {
		if got := WorkingDaysLate(&p, c.now, c.hol); got != c.late {
			t.Errorf("%s: %d working days late, want %d", c.now.Format(time.DateOnly), got, c.late)
		}
	}
	p.State = ProblemRectified
	if WorkingDaysLate(&p, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Holidays{}) != 0 {
		t.Error("a rectified problem is not late")
	}
}
