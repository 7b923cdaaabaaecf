package app

import (
	"fyne.io/fyne/v2/lang"

	"mingcha/inspect"
	"mingcha/msg"
)

// deductionText is one line of the score's explanation: the points, the
// item and how they came about (3 × 2 points, capped at 5 · 一票否决).
func deductionText(d inspect.Deduction) string {
	line := lang.L("−{{.Points}}  {{.Code}} {{.Text}}", map[string]any{"Points": fmtPoints(d.Points), "Code": d.ItemCode, "Text": d.Text})
	switch {
	case d.PerViolation > 0:
		line += lang.L(" ({{.Count}} × {{.Points}} points)", map[string]any{"Count": d.Violations, "Points": fmtPoints(d.PerViolation)}) +
			capText(d.Capped, d.Cap)
	case d.Choice != "":
		line += lang.L(" (chose {{.Choice}})", map[string]any{"Choice": d.Choice})
	}
	if d.Veto {
		line += lang.L(" · veto: rated lowest whatever the score")
	}
	return line
}

// scoreExplanation says how the score was reached: the deductions, the
// 基数 after N/A proration, the veto and the band.
func scoreExplanation(sc inspect.Score) string {
	p := map[string]any{"Full": fmtPoints(sc.Full), "Deducted": fmtPoints(sc.Deducted), "Base": fmtPoints(sc.Base),
		"Score": fmtPoints(sc.Value), "Rating": msg.Rating(sc.Rating)}
	text := lang.L("{{.Full}} minus {{.Deducted}} deducted = {{.Score}}", p)
	if sc.Prorated {
		text = lang.L("Items not applicable leave the base: {{.Full}} → {{.Base}}; ({{.Base}} − {{.Deducted}}) ÷ {{.Base}} × {{.Full}} = {{.Score}}", p)
	}
	if sc.Veto {
		return text + lang.L("; a veto item failed, so the rating is {{.Rating}} whatever the score", p)
	}
	return text + lang.L("; rating {{.Rating}}", p)
}
