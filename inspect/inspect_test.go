package inspect

import (
	"errors"
	"fmt"
	"os"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC) // a Friday

func mustTemplate(tb testing.TB) *Template {
	tb.Helper()
	data, err := os.ReadFile("testdata/small.json")
	if err != nil {
		tb.Fatal(err)
	}
	tpl, err := ParseTemplate(data)
	if err != nil {
		tb.Fatalf("parse: %v", err)
	}
	return tpl
}

func newDraft(tb testing.TB, tpl *Template) *Inspection {
	tb.Helper()
	u := Unit{ID: "u1", Name: "区工商局企业登记科", Kind: UnitOffice, Staff: []StaffMember{{Name: "张三"}, {Name: "李四"}}}
	in, err := NewInspection("i1", u, tpl, ModeCovert, []string{"王督查", " "}, t0, t0)
	if err != nil {
		tb.Fatal(err)
	}
	return in
}

func num(f float64) *float64 { return &f }

func TestScoring(t *testing.T) {
	pass := func(code string) Answer { return Answer{ItemCode: code, Result: ResultPass} }
	allPass := []Answer{
		{ItemCode: "A1", Counted: true}, pass("A2"), {ItemCode: "A3", Expected: 5, Counted: true},
		pass("B1"), {ItemCode: "B2", Number: num(5)}, {ItemCode: "B3", Choice: "热情"}, pass("B5"),
	}
	with := func(repl ...Answer) []Answer {
		out := append([]Answer(nil), allPass...)
		for _, r := range repl {
			for i := range out {
				if out[i].ItemCode == r.ItemCode {
					out[i] = r
				}
			}
		}
		return out
	}
	cases := []struct {
		name     string
		policy   NAPolicy
		answers  []Answer
		findings []Finding
		want     float64
		rating   string
		veto     bool
	}{
		{"all pass", NAIgnore, allPass, nil, 100, "优秀", false},
		{"count under cap", NAIgnore, with(Answer{ItemCode: "A1", Count: 3}), nil, 94, "优秀", false},
		{"count capped", NAIgnore, with(Answer{ItemCode: "A1", Count: 9}), nil, 90, "优秀", false},
		{"fixed fail", NAIgnore, with(Answer{ItemCode: "A2", Result: ResultFail}), nil, 80, "良好", false},
		{"attendance: excused absences free", NAIgnore, with(Answer{ItemCode: "A3", Expected: 5, Absent: []AbsentPerson{
			{Name: "张三", Reason: AbsenceLeave, OnRoster: true}, {Name: "李四", Reason: AbsenceMeeting, OnRoster: true},
		}}), nil, 100, "优秀", false},
		{"attendance: 脱岗 and 不明 deducted", NAIgnore, with(Answer{ItemCode: "A3", Expected: 5, Absent: []AbsentPerson{
			{Name: "张三", Reason: AbsenceOffPost, OnRoster: true}, {Name: "赵六", Reason: AbsenceUnknown},
		}}), nil, 90, "优秀", false},
		{"veto forces lowest band", NAIgnore, with(Answer{ItemCode: "B1", Result: ResultFail}), nil, 90, "不合格", true},
		{"number over threshold", NAIgnore, with(Answer{ItemCode: "B2", Number: num(35)}), nil, 90, "优秀", false},
		{"number at threshold passes", NAIgnore, with(Answer{ItemCode: "B2", Number: num(20)}), nil, 100, "优秀", false},
		{"choice deduction", NAIgnore, with(Answer{ItemCode: "B3", Choice: "一般"}), nil, 95, "优秀", false},
		{"free finding deduction", NAIgnore, allPass, []Finding{{ID: "F1", Text: "窗口无人", Deduction: 15}}, 85, "良好", false},
		{"clamped at zero", NAIgnore, with(
			Answer{ItemCode: "A1", Count: 50}, Answer{ItemCode: "A2", Result: ResultFail},
			Answer{ItemCode: "A3", Expected: 9, Absent: []AbsentPerson{{Name: "a", Reason: AbsenceOffPost}, {Name: "b", Reason: AbsenceOffPost}, {Name: "c", Reason: AbsenceOffPost}, {Name: "d", Reason: AbsenceOffPost}, {Name: "e", Reason: AbsenceOffPost}}},
			Answer{ItemCode: "B3", Choice: "冷淡"}, Answer{ItemCode: "B5", Result: ResultFail},
		), []Finding{{ID: "F1", Text: "x", Deduction: 40}}, 0, "不合格", false},
		{"N/A ignored keeps full score", NAIgnore, with(Answer{ItemCode: "A2", Result: ResultNA}, Answer{ItemCode: "B5", Result: ResultFail}), nil, 90, "优秀", false},
		{"N/A prorated", NAProrate, with(Answer{ItemCode: "A2", Result: ResultNA}, Answer{ItemCode: "B5", Result: ResultFail}), nil, 87.5, "良好", false},
		{"prorate without N/A is plain", NAProrate, with(Answer{ItemCode: "B5", Result: ResultFail}), nil, 90, "优秀", false},
		{"band edge 60 is 合格", NAIgnore, with(Answer{ItemCode: "A2", Result: ResultFail}, Answer{ItemCode: "B3", Choice: "冷淡"}), nil, 60, "合格", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tpl := mustTemplate(t)
			tpl.NAPolicy = c.policy
			in := newDraft(t, tpl)
			for _, a := range c.answers {
				if err := in.SetAnswer(a, t0); err != nil {
					t.Fatalf("SetAnswer %s: %v", a.ItemCode, err)
				}
			}
			in.Findings = c.findings
			s := in.Score()
			if s.Value != c.want || s.Rating != c.rating || s.Veto != c.veto {
				t.Fatalf("score = %v %s veto=%v, want %v %s veto=%v (deductions %+v)", s.Value, s.Rating, s.Veto, c.want, c.rating, c.veto, s.Deductions)
			}
		})
	}
}

func TestScoreAllNAProrated(t *testing.T) {
	tpl := mustTemplate(t)
	tpl.NAPolicy = NAProrate
	in := newDraft(t, tpl)
	for _, it := range tpl.Items() {
		if err := in.SetAnswer(Answer{ItemCode: it.Code, Result: ResultNA}, t0); err != nil {
			t.Fatal(err)
		}
	}
	if s := in.Score(); s.Value != 100 || s.Base != 0 {
		t.Fatalf("all N/A: %+v", s)
	}
}

func TestEvaluateCapReason(t *testing.T) {
	tpl := mustTemplate(t)
	it, _ := tpl.Item("A1")
	o := Evaluate(it, &Answer{ItemCode: "A1", Count: 7})
	if o.Deduction != 10 || o.Violations != 7 || !o.Capped || o.Cap != 10 || o.PerViolation != 2 {
		t.Fatalf("%+v", o)
	}
	if o := Evaluate(it, nil); o.Answered {
		t.Fatal("nil answer counted as answered")
	}
	if o := Evaluate(it, &Answer{ItemCode: "A1"}); o.Answered {
		t.Fatal("count never recorded counted as answered")
	}
}

func fullyAnswered(t *testing.T, in *Inspection) {
	t.Helper()
	for _, a := range []Answer{
		{ItemCode: "A1", Count: 2, Photos: []string{"abc"}}, {ItemCode: "A2", Result: ResultFail, Note: "无职责"},
		{ItemCode: "A3", Expected: 3, Counted: true}, {ItemCode: "B1", Result: ResultPass},
		{ItemCode: "B2", Number: num(10)}, {ItemCode: "B3", Choice: "热情"}, {ItemCode: "B5", Result: ResultPass},
	} {
		if err := in.SetAnswer(a, t0); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTransitions(t *testing.T) {
	tpl := mustTemplate(t)
	sig := DrawnSignature{Inspector: "王督查", PNG: []byte{1}}
	type step func(in *Inspection) error
	complete := func(in *Inspection) error { return in.Complete(t0, nil, 15, Holidays{}) }
	sign := func(in *Inspection) error { return in.Sign(t0) }
	reopen := func(in *Inspection) error { return in.Reopen(t0) }
	edit := func(in *Inspection) error { return in.SetAnswer(Answer{ItemCode: "A2", Result: ResultPass}, t0) }
	setSig := func(in *Inspection) error { return in.SetSignature(sig, t0) }
	amend := func(in *Inspection) error { _, err := in.NewAmendment("i2", t0); return err }
	cases := []struct {
		name    string
		setup   []step
		do      step
		wantKey string // "" = allowed
	}{
		{"sign a draft", nil, sign, "transition.sign_draft"},
		{"reopen a draft", nil, reopen, "transition.already_draft"},
		{"amend a draft", nil, amend, "transition.amend_unsigned"},
		{"complete twice", []step{complete}, complete, "transition.already_completed"},
		{"edit completed", []step{complete}, edit, "inspection.completed_readonly"},
		{"sign without drawn signature", []step{complete}, sign, "transition.signature_missing"},
		{"amend completed", []step{complete}, amend, "transition.amend_unsigned"},
		{"edit signed", []step{complete, setSig, sign}, edit, "inspection.signed_immutable"},
		{"complete signed", []step{complete, setSig, sign}, complete, "inspection.signed_immutable"},
		{"reopen signed", []step{complete, setSig, sign}, reopen, "inspection.signed_immutable"},
		{"sign twice", []step{complete, setSig, sign}, sign, "transition.already_signed"},
		{"resign signature after signing", []step{complete, setSig, sign}, setSig, "inspection.signed_immutable"},
		{"allowed: reopen completed", []step{complete}, reopen, ""},
		{"allowed: sign completed", []step{complete, setSig}, sign, ""},
		{"allowed: amend signed", []step{complete, setSig, sign}, amend, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := newDraft(t, tpl)
			fullyAnswered(t, in)
			for i, s := range c.setup {
				if err := s(in); err != nil {
					t.Fatalf("setup %d: %v", i, err)
				}
			}
			before := in.Status
			err := c.do(in)
			if c.wantKey == "" {
				if err != nil {
					t.Fatalf("want allowed, got %v", err)
				}
				return
			}
			var de *Error
			if !errors.As(err, &de) || de.Key != c.wantKey {
				t.Fatalf("want %s, got %v", c.wantKey, err)
			}
			if de.Message == "" || in.Status != before {
				t.Fatalf("refused transition changed state or gave no message: %v %s", de, in.Status)
			}
		})
	}
}

func TestCompleteBlockers(t *testing.T) {
	tpl := mustTemplate(t)
	in := newDraft(t, tpl)
	if err := in.SetAnswer(Answer{ItemCode: "A1", Count: 1}, t0); err != nil {
		t.Fatal(err)
	}
	err := in.Complete(t0, nil, 15, Holidays{})
	var ve ValidationErrors
	if !errors.As(err, &ve) {
		t.Fatalf("want ValidationErrors, got %v", err)
	}
	keys := map[string]int{}
	for _, e := range ve {
		keys[e.Key]++
	}
	// A1 failed without photo; A2 A3 B1 B2 B3 B5 unanswered; B4 optional.
	if keys["complete.photo_missing"] != 1 || keys["complete.unanswered"] != 6 {
		t.Fatalf("blockers: %v", ve)
	}
	if in.Status != StatusDraft {
		t.Fatal("status changed")
	}
	if err := in.SetAnswer(Answer{ItemCode: "A1", Count: 1, Photos: []string{"h"}}, t0); err != nil {
		t.Fatal(err)
	}
	if n := len(in.Blockers()); n != 6 {
		t.Fatalf("blockers after photo: %d", n)
	}
}

func TestAnswerValidation(t *testing.T) {
	tpl := mustTemplate(t)
	in := newDraft(t, tpl)
	bad := []Answer{
		{ItemCode: "ZZ", Result: ResultPass},
		{ItemCode: "A2", Result: "maybe"},
		{ItemCode: "A1", Count: -1},
		{ItemCode: "B3", Choice: "很好"},
		{ItemCode: "A3", Expected: 1, Absent: []AbsentPerson{{Name: "a", Reason: AbsenceLeave, OnRoster: true}, {Name: "b", Reason: AbsenceLeave, OnRoster: true}}},
		{ItemCode: "A3", Expected: 3, Absent: []AbsentPerson{{Name: "", Reason: AbsenceLeave}}},
		{ItemCode: "A3", Expected: 3, Absent: []AbsentPerson{{Name: "a", Reason: "holiday"}}},
	}
	for _, a := range bad {
		if err := in.SetAnswer(a, t0); err == nil {
			t.Errorf("accepted %+v", a)
		}
	}
	if len(in.Answers) != 0 {
		t.Fatalf("refused answers were stored: %v", in.Answers)
	}
}

func TestNewInspectionValidation(t *testing.T) {
	tpl := mustTemplate(t)
	_, err := NewInspection("x", Unit{}, tpl, "secret", nil, t0, t0)
	var ve ValidationErrors
	if !errors.As(err, &ve) || len(ve) != 3 {
		t.Fatalf("want 3 errors, got %v", err)
	}
	in := newDraft(t, tpl)
	if len(in.Inspectors) != 1 {
		t.Fatalf("blank inspector kept: %q", in.Inspectors)
	}
	// The snapshot is a copy: changing the template afterwards leaves it alone.
	tpl.Sections[0].Items[0].Text = "changed"
	if in.Template.Sections[0].Items[0].Text == "changed" {
		t.Fatal("template snapshot shares memory with the template")
	}
}

func TestProgressAndNextUnanswered(t *testing.T) {
	in := newDraft(t, mustTemplate(t))
	_ = in.SetAnswer(Answer{ItemCode: "A1", Counted: true}, t0)
	_ = in.SetAnswer(Answer{ItemCode: "A3", Counted: true, Expected: 2}, t0)
	if a, n := in.Progress(); a != 2 || n != 8 {
		t.Fatalf("progress %d/%d", a, n)
	}
	if i := in.NextUnanswered(0); i != 1 {
		t.Fatalf("next after 0 = %d", i)
	}
	if i := in.NextUnanswered(1); i != 3 {
		t.Fatalf("next after 1 = %d", i)
	}
	if i := in.NextUnanswered(7); i != 1 {
		t.Fatalf("wrap = %d", i)
	}
}

func TestWorkingDays(t *testing.T) {
	fri := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	cases := []struct {
		n    int
		hol  Holidays
		want string
	}{
		{1, Holidays{}, "2026-11-23"},
		{5, Holidays{}, "2026-11-27"},
		{15, Holidays{}, "2026-12-11"},
		{1, Holidays{Off: map[string]bool{"2026-11-23": true}}, "2026-11-24"},
		{1, Holidays{Workdays: map[string]bool{"2026-11-21": true}}, "2026-11-21"},
	}
	for _, c := range cases {
		got := AddWorkingDays(fri, c.n, c.hol)
		if got.Format("2006-01-02") != c.want || got.Hour() != 23 {
			t.Errorf("%d working days after Friday: %v, want %s", c.n, got, c.want)
		}
	}
}

func TestProblemsAndRepeats(t *testing.T) {
	tpl := mustTemplate(t)
	in := newDraft(t, tpl)
	fullyAnswered(t, in)
	in.Findings = []Finding{{ID: "F1", Text: "窗口人员玩手机", Category: "上班娱乐"}}
	earlier := []Problem{
		{ID: "old/A2", InspectionID: "old", UnitID: "u1", ItemCode: "A2", State: ProblemOpen, FoundAt: t0.AddDate(0, -1, 0)},
		{ID: "old/A1", InspectionID: "old", UnitID: "u1", ItemCode: "A1", State: ProblemVerified, FoundAt: t0.AddDate(0, -1, 0)},
		{ID: "oth/A1", InspectionID: "oth", UnitID: "u2", ItemCode: "A1", State: ProblemOpen, FoundAt: t0.AddDate(0, -1, 0)},
		{ID: "old/F9", InspectionID: "old", UnitID: "u1", Category: "上班娱乐", State: ProblemVerified, Repeat: true, FoundAt: t0.AddDate(0, -2, 0)},
	}
	if err := in.Complete(t0, earlier, 15, Holidays{}); err != nil {
		t.Fatal(err)
	}
	got := map[string]Problem{}
	for _, p := range in.Problems {
		got[p.ID] = p
	}
	if len(got) != 3 {
		t.Fatalf("problems: %+v", in.Problems)
	}
	if p := got["i1/A2"]; !p.Repeat || p.RepeatOf[0] != "old/A2" || p.Description != "桌牌规范：无职责" || p.State != ProblemOpen {
		t.Errorf("A2: %+v", p)
	}
	if p := got["i1/A1"]; p.Repeat {
		t.Errorf("A1 repeats a verified, non-repeat problem or another unit's: %+v", p)
	}
	if p := got["i1/F1"]; !p.Repeat {
		t.Errorf("finding in a category that was a repeat not flagged: %+v", p)
	}
	if d := got["i1/A2"].Deadline.Format("2006-01-02"); d != "2026-12-11" {
		t.Errorf("deadline %s", d)
	}
}

func TestProblemStates(t *testing.T) {
	p := Problem{ID: "p", State: ProblemOpen, Deadline: t0}
	if !p.Overdue(t0.Add(time.Hour)) || p.Overdue(t0.Add(-time.Hour)) {
		t.Fatal("overdue")
	}
	if err := p.Verify(t0, ""); err == nil {
		t.Fatal("verified an open problem")
	}
	if err := p.Reopen(t0, ""); err == nil {
		t.Fatal("reopened an open problem")
	}
	if err := p.Rectify(t0, "已整改"); err != nil || p.State != ProblemRectified {
		t.Fatal(err)
	}
	if err := p.Rectify(t0, ""); err == nil {
		t.Fatal("rectified twice")
	}
	if err := p.Reopen(t0, "回访仍未整改"); err != nil || p.State != ProblemOpen {
		t.Fatal(err)
	}
	_ = p.Rectify(t0, "")
	if err := p.Verify(t0, ""); err != nil || !p.Resolved() || p.Overdue(t0.AddDate(1, 0, 0)) {
		t.Fatal(err)
	}
	if err := p.Rectify(t0, ""); err == nil {
		t.Fatal("rectified a verified problem")
	}
}

func TestAmendmentIsIndependent(t *testing.T) {
	in := newDraft(t, mustTemplate(t))
	fullyAnswered(t, in)
	_ = in.Complete(t0, nil, 15, Holidays{})
	_ = in.SetSignature(DrawnSignature{Inspector: "王督查", PNG: []byte{1}}, t0)
	if err := in.Sign(t0); err != nil {
		t.Fatal(err)
	}
	am, err := in.NewAmendment("i2", t0)
	if err != nil {
		t.Fatal(err)
	}
	if am.Amends != "i1" || am.Status != StatusDraft || len(am.Signatures) != 0 {
		t.Fatalf("%+v", am)
	}
	if err := am.SetAnswer(Answer{ItemCode: "A1", Count: 5, Photos: []string{"x"}}, t0); err != nil {
		t.Fatal(err)
	}
	if in.Answers["A1"].Count != 2 {
		t.Fatal("amendment changed the signed original")
	}
}

func TestAssignProblem(t *testing.T) {
	in := newDraft(t, mustTemplate(t))
	fullyAnswered(t, in)
	if err := in.AssignProblem("i1/A2", "张三", time.Time{}, t0); err == nil {
		t.Fatal("assigned on a draft")
	}
	if err := in.Complete(t0, nil, 15, Holidays{}); err != nil {
		t.Fatal(err)
	}
	dl := t0.AddDate(0, 0, 30)
	if err := in.AssignProblem("i1/A2", " 张三 ", dl, t0); err != nil {
		t.Fatal(err)
	}
	for _, p := range in.Problems {
		if p.ID == "i1/A2" && (p.Responsible != "张三" || !p.Deadline.Equal(dl)) {
			t.Fatalf("%+v", p)
		}
	}
	if err := in.AssignProblem("i1/A2", "x", t0.AddDate(0, 0, -3), t0); ErrorCode(err) != ECodeInvalid {
		t.Fatalf("deadline before visit: %v", err)
	}
	if err := in.AssignProblem("i1/ZZ", "x", dl, t0); ErrorCode(err) != ECodeNotFound {
		t.Fatalf("unknown problem: %v", err)
	}
	_ = in.SetSignature(DrawnSignature{Inspector: "王督查", PNG: []byte{1}}, t0)
	_ = in.Sign(t0)
	if err := in.AssignProblem("i1/A2", "李四", dl, t0); ErrorCode(err) != ECodeForbidden {
		t.Fatalf("signed: %v", err)
	}
}

func TestModeLabel(t *testing.T) {
	for m, want := range map[Mode]string{ModeOpen: "明查", ModeCovert: "暗访", "odd": "odd"} {
		if got := m.Label(); got != want {
			t.Errorf("%q.Label() = %q, want %q", m, got, want)
		}
	}
}

// A unit failing the same item at every visit: each 重复问题 links to the
// visit before only, with the chain's count, so the record stays one id
// however long the history.
func TestMarkRepeatsLinksTheMostRecent(t *testing.T) {
	base := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	var history []Problem
	for i := 0; i < 30; i++ {
		p := []Problem{{ID: fmt.Sprintf("i%02d/A2", i), InspectionID: fmt.Sprintf("i%02d", i), UnitID: "U",
			ItemCode: "A2", State: ProblemOpen, FoundAt: base.AddDate(0, 0, 7*i)}}
		MarkRepeats(p, history)
		if i == 0 {
			if p[0].Repeat {
				t.Fatal("the first occurrence is a repeat")
			}
		} else if !p[0].Repeat || len(p[0].RepeatOf) != 1 || p[0].RepeatOf[0] != history[len(history)-1].ID || p[0].RepeatCount != i {
			t.Fatalf("visit %d: %+v", i, p[0])
		}
		if i > 0 {
			p[0].State = ProblemVerified // a repeat stays linkable once fixed
		}
		history = append(history, p[0])
	}
	// A verified problem that was no repeat breaks the chain.
	fresh := []Problem{{ID: "x/B1", InspectionID: "x", UnitID: "U", ItemCode: "B1", FoundAt: base}}
	later := []Problem{{ID: "y/B1", InspectionID: "y", UnitID: "U", ItemCode: "B1", FoundAt: base.AddDate(0, 1, 0)}}
	fresh[0].State = ProblemVerified
	MarkRepeats(later, fresh)
	if later[0].Repeat {
		t.Fatalf("a verified, non-repeat problem made a repeat: %+v", later[0])
	}
}
