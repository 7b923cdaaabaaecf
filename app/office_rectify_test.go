package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"mingcha/inspect"
)

// 延期 of all of a unit's problems is all or nothing: a new deadline that
// is not later than one problem's refuses the lot, names that problem and
// changes no deadline and no audit entry; a later one extends both.
func TestOfficeExtendAllOrNothing(t *testing.T) {
	u, w, o := twoRounds(t)
	a := o.actions
	o.tabs.SelectIndex(tabProblems)
	o.problemFilter.SetSelectedIndex(1) // overdue
	var sel int = -1
	for i, p := range o.problems {
		if p.UnitName == "窗口2" {
			sel = i
		}
	}
	if sel < 0 {
		t.Fatal("no problem of 窗口2")
	}
	o.problemList.Select(sel)
	a.wholeUnit.SetChecked(true)
	targets := a.targets(inspect.ProblemOpen)
	if len(targets) != 2 || targets[0].Deadline.Equal(targets[1].Deadline) {
		t.Fatalf("targets %+v", targets)
	}
	early, late := targets[0], targets[1]
	if late.Deadline.Before(early.Deadline) {
		early, late = late, early
	}
	auditBefore := 0
	for _, p := range targets {
		es, _ := u.store.AuditFor("problem/" + p.ID)
		auditBefore += len(es)
	}
	between := inspect.EndOfDay(early.Deadline.AddDate(0, 0, 1))
	if !between.Before(late.Deadline) {
		t.Fatalf("deadlines %s and %s are a day apart", early.Deadline, late.Deadline)
	}
	// Through the widgets: the button, the dialog's entries and its 延期.
	extend := func(until time.Time) {
		t.Helper()
		o.problemList.Select(sel)
		a.wholeUnit.SetChecked(true)
		test.Tap(a.extend)
		a.extendUntil.SetText("")
		test.Type(a.extendUntil, inspect.FormatDate(until))
		test.Type(a.extendReason, "窗口装修")
		test.Tap(dialogButton(t, w.Canvas(), "延期"))
		settle(u)
	}
	extend(between)
	text := overlayText(w.Canvas())
	if !strings.Contains(text, late.ID) || !strings.Contains(text, "新的整改期限须晚于原期限") || !strings.Contains(text, "这2处问题均未延期") {
		t.Fatalf("the refusal: %q", text)
	}
	clearOverlays(w.Canvas())
	after := 0
	got, _ := u.store.OfficeProblems(inspect.ProblemFilter{UnitID: early.UnitID}, testClock)
	for _, p := range got {
		if p.ID == early.ID && !p.Deadline.Equal(early.Deadline) {
			t.Errorf("%s extended by a refused batch: %s", p.ID, p.Deadline)
		}
		es, _ := u.store.AuditFor("problem/" + p.ID)
		after += len(es)
	}
	if after != auditBefore {
		t.Errorf("audit entries %d → %d after a refused batch", auditBefore, after)
	}
	// A date after both: both extended, each audited.
	extend(late.Deadline.AddDate(0, 0, 7))
	got, _ = u.store.OfficeProblems(inspect.ProblemFilter{UnitID: early.UnitID}, testClock)
	after = 0
	for _, p := range got {
		if inspect.FormatDate(p.Deadline) != inspect.FormatDate(late.Deadline.AddDate(0, 0, 7)) {
			t.Errorf("%s: deadline %s", p.ID, p.Deadline)
		}
		es, _ := u.store.AuditFor("problem/" + p.ID)
		after += len(es)
	}
	if after != auditBefore+2 || !strings.Contains(a.status, "2处问题") {
		t.Errorf("audit entries %d → %d, status %q", auditBefore, after, a.status)
	}
}
