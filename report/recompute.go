package report

import (
	"mingcha/inspect"
)

// checkProblems: the embedded problem list is the one the answers, findings
// and template derive — every failed item and every free finding once, in
// order, with the wording derived from them; nothing left out, nothing
// added. What the inspector may set in review (responsible person,
// deadline, 重复问题) is theirs and not compared.
func checkProblems(in *inspect.Inspection) *inspect.Error {
	derived := in.DeriveProblems(in.ObservedAt, inspect.DefaultDeadlineDays, inspect.Holidays{}, in.Problems)
	stated := map[string]bool{}
	for _, p := range in.Problems {
		stated[p.ID] = true
	}
	want := map[string]bool{}
	for _, d := range derived {
		want[d.ID] = true
		if !stated[d.ID] {
			return bad("verify.problem_missing", map[string]any{"Problem": problemName(d)},
				"the embedded problem list leaves out %s, which the answers give", problemName(d))
		}
	}
	for _, p := range in.Problems {
		if !want[p.ID] {
			return bad("verify.problem_extra", map[string]any{"Problem": problemName(p)},
				"the embedded problem list has %s, which no answer or finding gives", problemName(p))
		}
	}
	if len(derived) != len(in.Problems) {
		return bad("verify.problems_repeated", nil, "the embedded problem list names a problem twice")
	}
	for i, d := range derived {
		p := in.Problems[i]
		if p.ID != d.ID || p.InspectionID != d.InspectionID || p.ItemCode != d.ItemCode || p.FindingID != d.FindingID ||
			p.Category != d.Category || p.Description != d.Description || p.UnitID != d.UnitID {
			return bad("verify.problem_changed", map[string]any{"Problem": problemName(d)},
				"the embedded problem %s does not read as the answers give it", problemName(d))
		}
	}
	return nil
}

// problemName is the item code or finding id of a problem.
func problemName(p inspect.Problem) string {
	if p.ItemCode != "" {
		return p.ItemCode
	}
	if p.FindingID != "" {
		return p.FindingID
	}
	return p.ID
}
