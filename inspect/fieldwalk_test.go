package inspect

import (
	"errors"
	"testing"
	"time"
)

// TestChoiceDeductionIsNotAProblem: 一般 deducts and is no 整改 problem; only
// a choice marked fails is one.
func TestChoiceDeductionIsNotAProblem(t *testing.T) {
	tpl := mustTemplate(t)
	it, _ := tpl.Item("B3")
	cases := []struct {
		choice string
		points float64
		failed bool
	}{{"热情", 0, false}, {"一般", 5, false}, {"冷淡", 20, true}}
	for _, c := range cases {
		o := Evaluate(it, &Answer{ItemCode: "B3", Choice: c.choice})
		if o.Deduction != c.points || o.Failed != c.failed || o.Choice != c.choice {
			t.Errorf("%s: %+v", c.choice, o)
		}
	}
	in, err := NewInspection("i", Unit{Name: "u"}, tpl, ModeCovert, []string{"a"}, t0, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := in.SetAnswer(Answer{ItemCode: "B3", Choice: "一般"}, t0); err != nil {
		t.Fatal(err)
	}
	for _, p := range in.DeriveProblems(t0, 15, Holidays{}, nil) {
		if p.ItemCode == "B3" {
			t.Fatalf("一般 became a problem: %+v", p)
		}
	}
	if s := in.Score(); len(s.Deductions) != 1 || s.Deductions[0].Choice != "一般" || s.Deductions[0].Points != 5 {
		t.Fatalf("deductions %+v", s.Deductions)
	}
}

// TestOffRosterAttendance: people not on the roster count in 应到 and 实到
// when present, and as a violation only when absent without a reason.
func TestOffRosterAttendance(t *testing.T) {
	tpl := mustTemplate(t)
	it, _ := tpl.Item("A3")
	a := &Answer{ItemCode: "A3", Expected: 3, Counted: true,
		Absent:    []AbsentPerson{{Name: "李强", Reason: AbsenceOffPost, OnRoster: true}, {Name: "外借", Reason: AbsenceLeave}},
		OffRoster: []StaffMember{{Name: "实习生"}}}
	if a.Due() != 5 || a.Present() != 3 {
		t.Fatalf("应到 %d 实到 %d, want 5 and 3", a.Due(), a.Present())
	}
	if o := Evaluate(it, a); o.Violations != 1 || !o.Failed {
		t.Fatalf("%+v", o)
	}
	in, _ := NewInspection("i", Unit{Name: "u"}, tpl, ModeCovert, []string{"a"}, t0, t0)
	if err := in.SetAnswer(Answer{ItemCode: "A3", OffRoster: []StaffMember{{Name: " "}}}, t0); err == nil {
		t.Fatal("an off-roster person without a name was accepted")
	}
}

// TestStopwatch: 取号 → 叫号 fills the minutes, 办结 ends, nothing after;
// readings of the wrong kind or order are refused.
func TestStopwatch(t *testing.T) {
	tpl := mustTemplate(t)
	tpl.Sections[1].Items[1].Timer = TimerQueue // B2, number
	tpl.Sections[1].Items[0].Timer = TimerCalls // B1, check
	if err := tpl.Validate(); err != nil {
		t.Fatal(err)
	}
	it, _ := tpl.Item("B2")
	a := &Answer{ItemCode: "B2"}
	for i, d := range []time.Duration{0, 12*time.Minute + 20*time.Second, 30 * time.Minute} {
		if !Lap(it, a, t0.Add(d)) {
			t.Fatalf("lap %d refused", i)
		}
	}
	if Lap(it, a, t0.Add(time.Hour)) {
		t.Fatal("a fourth reading on the queue stopwatch")
	}
	if a.Number == nil || *a.Number != 12.3 || a.Times[2].Mark != MarkDone {
		t.Fatalf("%+v", a)
	}
	in, _ := NewInspection("i", Unit{Name: "u"}, tpl, ModeCovert, []string{"a"}, t0, t0)
	if err := in.SetAnswer(*a, t0); err != nil {
		t.Fatal(err)
	}
	if o := Evaluate(it, in.Answers["B2"]); o.Failed {
		t.Fatal("12.3 minutes failed a 20-minute limit")
	}
	calls, _ := tpl.Item("B1")
	c := &Answer{ItemCode: "B1", Result: ResultPass}
	Lap(calls, c, t0)
	Lap(calls, c, t0.Add(5*time.Minute))
	if err := in.SetAnswer(*c, t0); err != nil || len(in.Answers["B1"].Times) != 2 {
		t.Fatal(err)
	}
	wrong := Answer{ItemCode: "B2", Times: []TimeMark{{Mark: MarkCall, At: t0}}}
	if err := in.SetAnswer(wrong, t0); err == nil {
		t.Fatal("叫号 before 取号 accepted")
	}
	untimed := Answer{ItemCode: "B5", Result: ResultPass, Times: []TimeMark{{Mark: MarkAttempt, At: t0}}}
	if err := in.SetAnswer(untimed, t0); err == nil {
		t.Fatal("readings on an item without a stopwatch accepted")
	}
	bad := tpl.Clone()
	bad.Sections[0].Items[0].Timer = TimerQueue // A1 is a count
	if err := bad.Validate(); err == nil {
		t.Fatal("a queue stopwatch on a count item validated")
	}
}

// TestReceiptAndEnd: a 明查 needs the representative's 签收 to be signed; an
// objection needs its text; the end time is kept through a reopen.
func TestReceiptAndEnd(t *testing.T) {
	tpl := mustTemplate(t)
	in, _ := NewInspection("i", Unit{Name: "u"}, tpl, ModeOpen, []string{"a"}, t0, t0)
	for _, it := range tpl.Items() {
		a := Answer{ItemCode: it.Code, Result: ResultPass, Counted: true, Choice: "热情", Text: "好"}
		if it.Kind == KindNumber {
			v := 5.0
			a.Number, a.Result = &v, ResultNone
		}
		if err := in.SetAnswer(a, t0); err != nil {
			t.Fatal(err)
		}
	}
	end := t0.Add(time.Hour)
	if err := in.Complete(end, nil, 15, Holidays{}); err != nil {
		t.Fatal(err)
	}
	_ = in.Reopen(end.Add(time.Hour))
	_ = in.Complete(end.Add(2*time.Hour), nil, 15, Holidays{})
	if !in.EndedAt.Equal(end) {
		t.Fatalf("end time moved to %v", in.EndedAt)
	}
	_ = in.SetSignature(DrawnSignature{Inspector: "a", PNG: []byte{1}}, end)
	var e *Error
	if err := in.NeedsReceipt(); !errors.As(err, &e) || e.Key != "transition.receipt_missing" {
		t.Fatalf("signed without 签收: %v", err)
	}
	if err := in.SetReceipt(Receipt{Name: "王科长", PNG: []byte{1}, Objection: true}, end); err == nil {
		t.Fatal("an objection without text accepted")
	}
	if err := in.SetReceipt(Receipt{Name: "王科长", Post: "科长", PNG: []byte{1}, Objection: true, Text: "第 3 项当时有人在岗"}, end); err != nil {
		t.Fatal(err)
	}
	if err := in.NeedsReceipt(); err != nil {
		t.Fatal(err)
	}
	if err := in.Sign(end); err != nil {
		t.Fatal(err)
	}
	covert, _ := NewInspection("j", Unit{Name: "u"}, tpl, ModeCovert, []string{"a"}, t0, t0)
	if err := covert.SetReceipt(Receipt{Name: "x", PNG: []byte{1}}, t0); err == nil {
		t.Fatal("a 暗访 took a 签收")
	}
}

// TestProblemCountIsDerivedLength: the autosave's count of problems is the
// length of the list DeriveProblems builds, as answers fail, pass and
// findings are added.
func TestProblemCountIsDerivedLength(t *testing.T) {
	in := newDraft(t, mustTemplate(t))
	check := func(what string) {
		t.Helper()
		if got, want := in.ProblemCount(), len(in.DeriveProblems(t0, 0, Holidays{}, nil)); got != want {
			t.Fatalf("%s: ProblemCount %d, DeriveProblems %d", what, got, want)
		}
	}
	check("nothing answered")
	for _, a := range []Answer{
		{ItemCode: "A2", Result: ResultFail}, {ItemCode: "B1", Result: ResultFail},
		{ItemCode: "B3", Choice: "冷淡"}, {ItemCode: "B3", Choice: "一般"}, {ItemCode: "A1", Count: 50},
		{ItemCode: "A2", Result: ResultPass}, {ItemCode: "B5", Result: ResultFail},
	} {
		if err := in.SetAnswer(a, t0); err != nil {
			t.Fatal(err)
		}
		check(a.ItemCode)
	}
	in.Findings = append(in.Findings, Finding{ID: "f1", Text: "窗口无人", Category: "纪律"})
	check("a finding")
	if in.ProblemCount() < 3 {
		t.Fatalf("count %d: the cases above fail at least B1, B5 and the finding", in.ProblemCount())
	}
}
