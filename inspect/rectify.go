package inspect

import (
	"sort"
	"time"
)

// Rectification (整改) is the office's record of where a problem stands. A
// signed report is immutable, so the problem inside it keeps the state it
// was signed with; the office keeps this record beside it, keyed by the
// problem id, and applies it when it lists problems.
type Rectification struct {
	ProblemID   string       `json:"problem_id"`
	State       ProblemState `json:"state"`
	RectifiedAt time.Time    `json:"rectified_at,omitzero"`
	VerifiedAt  time.Time    `json:"verified_at,omitzero"`
	Note        string       `json:"note,omitempty"`
	FollowUp    string       `json:"follow_up,omitempty"` // the 回访 report that closed or reopened it
	UpdatedAt   time.Time    `json:"updated_at"`
	UpdatedBy   string       `json:"updated_by,omitempty"`
	// Deadline is a deadline extended by the office (延期); zero keeps the
	// report's own.
	Deadline time.Time `json:"deadline,omitzero"`
}

// Apply puts the record's state onto a problem.
func (r *Rectification) Apply(p *Problem) {
	if r == nil || r.State == "" {
		return
	}
	p.State, p.RectifiedAt, p.VerifiedAt = r.State, r.RectifiedAt, r.VerifiedAt
	if !r.Deadline.IsZero() {
		p.Deadline = r.Deadline
	}
	if r.Note != "" {
		p.Note = r.Note
	}
}

// RectificationOf records a problem's current state.
func RectificationOf(p *Problem, followUp, by string, now time.Time) Rectification {
	return Rectification{
		ProblemID: p.ID, State: p.State, RectifiedAt: p.RectifiedAt, VerifiedAt: p.VerifiedAt,
		Note: p.Note, FollowUp: followUp, UpdatedAt: now, UpdatedBy: by, Deadline: p.Deadline,
	}
}

// Action is an office change to a problem's 整改 state.
type Action string

const (
	ActionRectify Action = "rectify"    // the unit reports it fixed: open → rectified
	ActionVerify  Action = "verify-fix" // a check confirms the fix: rectified → verified
	ActionReopen  Action = "reopen"     // the fix did not hold: rectified → open
)

// Do applies an office action to a problem, by the domain's state rules.
func (p *Problem) Do(a Action, now time.Time, note string) error {
	switch a {
	case ActionRectify:
		return p.Rectify(now, note)
	case ActionVerify:
		return p.Verify(now, note)
	case ActionReopen:
		return p.Reopen(now, note)
	}
	return Errorf(ECodeInvalid, "problem.bad_action", map[string]any{"Action": string(a)},
		"%q is not rectify, verify-fix or reopen", a)
}

// ProblemChange is what a 回访 did to an earlier problem.
type ProblemChange struct {
	Problem  Problem      `json:"problem"` // after the change
	OldState ProblemState `json:"old_state"`
	FollowUp string       `json:"follow_up"`
	Passed   bool         `json:"passed"` // the re-checked item passed
}

// FollowUp applies a 回访 to the earlier problems of the same unit: each
// unresolved problem on an item the follow-up re-checked (answered, not
// 不适用) is closed (verified) when the item now passes — whether or not
// the unit reported it rectified, since the office saw it fixed — and
// reopened when it fails again (a problem still open stays open). Free
// findings name no item and are left for the office to close by hand.
// Only problems found before the follow-up count. It returns the changes.
func FollowUp(earlier []Problem, in *Inspection, now time.Time) []ProblemChange {
	var out []ProblemChange
	for _, p := range earlier {
		if p.UnitID != in.UnitID || p.InspectionID == in.ID || p.InspectionID == in.Amends ||
			p.ItemCode == "" || p.State == ProblemVerified || !p.FoundAt.Before(in.ObservedAt) {
			continue
		}
		it, ok := in.Template.Item(p.ItemCode)
		if !ok {
			continue
		}
		o := Evaluate(it, in.Answers[p.ItemCode])
		if !o.Answered || o.NA {
			continue
		}
		old := p.State
		switch {
		case !o.Failed:
			if p.State == ProblemOpen {
				p.RectifiedAt = in.ObservedAt
			}
			p.State, p.VerifiedAt = ProblemVerified, in.ObservedAt
			p.Note = "回访确认已整改（" + in.ID + "）"
		case p.State == ProblemRectified:
			p.State, p.RectifiedAt = ProblemOpen, time.Time{}
			p.Note = "回访发现仍未整改（" + in.ID + "）"
		default:
			continue
		}
		out = append(out, ProblemChange{Problem: p, OldState: old, FollowUp: in.ID, Passed: !o.Failed})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Problem.ID < out[j].Problem.ID })
	return out
}

// WorkingDaysLate counts the working days from a problem's deadline to now
// while it is still open: 0 when it is not overdue. Days are dates in
// Zone, so one instant gives one answer whatever zone now carries.
func WorkingDaysLate(p *Problem, now time.Time, hol Holidays) int {
	if !p.Overdue(now) {
		return 0
	}
	d := Day(p.Deadline)
	end := Day(now)
	n := 0
	for d.Before(end) {
		d = d.AddDate(0, 0, 1)
		if hol.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// ProblemFilter selects problems for the 整改 list.
type ProblemFilter struct {
	States     []ProblemState
	OverdueAt  time.Time // non-zero: only problems overdue at this time
	UnitID     string
	Department string
}

// Match reports whether p (of a unit in department) is selected.
func (f ProblemFilter) Match(p *Problem, department string) bool {
	if len(f.States) > 0 {
		ok := false
		for _, s := range f.States {
			if p.State == s {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	if !f.OverdueAt.IsZero() && !p.Overdue(f.OverdueAt) {
		return false
	}
	if f.UnitID != "" && p.UnitID != f.UnitID {
		return false
	}
	if f.Department != "" && department != f.Department {
		return false
	}
	return true
}
