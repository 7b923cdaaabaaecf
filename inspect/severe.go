package inspect

import "time"

// Severe findings: a 一票否决 and every finding of an item of the 五个严禁
// kind (Item.Severe: the prohibitions of 工作纪律 — 脱岗, playing games at
// work, drinking at lunch …) are not counted among the period's problems
// only: the 通报 names each in its 总体情况 with unit, date and what was
// found, and a veto rates the unit 不合格 for the whole period, whatever a
// later 回访 scored. The rules are written down in docs/office.md.

// SevereFinding is one such finding.
type SevereFinding struct {
	ReportID   string    `json:"report_id"`
	ProblemID  string    `json:"problem_id"`
	UnitID     string    `json:"unit_id"`
	UnitName   string    `json:"unit_name"`
	ObservedAt time.Time `json:"observed_at"`
	ItemCode   string    `json:"item"`
	What       string    `json:"what"` // the problem wording, with the inspector's note
	Veto       bool      `json:"veto,omitempty"`
}

// IsSevere reports whether a failure of the item is named on its own in the
// 通报: a veto item or an item of the 五个严禁 kind.
func (it *Item) IsSevere() bool { return it.Rule.Type == RuleVeto || it.Severe }

// severeOf lists the severe findings among an inspection's problems.
func severeOf(in *Inspection, r *ReportResult) []SevereFinding {
	var out []SevereFinding
	for _, p := range r.Problems {
		if p.ItemCode == "" {
			continue
		}
		it, ok := in.Template.Item(p.ItemCode)
		if !ok || !it.IsSevere() {
			continue
		}
		out = append(out, SevereFinding{
			ReportID: r.ReportID, ProblemID: p.ID, UnitID: r.UnitID, UnitName: r.UnitName,
			ObservedAt: r.ObservedAt, ItemCode: p.ItemCode, What: p.Description, Veto: it.Rule.Type == RuleVeto,
		})
	}
	return out
}

// MinComparableInspections is the fewest inspections a previous period must
// have for the 通报 to compare this period with it as an equal: a round of
// three visits says little about a district.
const MinComparableInspections = 5

// Comparable reports whether the previous period is a fair comparison for
// the current one: enough inspections, and not fewer than half as many.
func Comparable(cur, prev Totals) bool {
	return prev.Inspections >= MinComparableInspections && 2*prev.Inspections >= cur.Inspections
}
