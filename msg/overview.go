package msg

import (
	"fmt"

	"fyne.io/fyne/v2/lang"

	"mingcha/inspect"
)

// Comparison compares an overview's period with the one before it, or says
// why it does not (too few inspections then to be a fair comparison:
// inspect.Comparable). "" when there is no previous period. The window's
// 总览 and "office overview" print the same sentence.
func Comparison(o *inspect.Overview) string {
	p, pf := o.Previous, o.PrevFilter
	if p == nil || pf == nil {
		return ""
	}
	period := map[string]any{"From": inspect.FormatDate(pf.From), "To": inspect.FormatDate(pf.To.AddDate(0, 0, -1)), "Inspections": p.Inspections}
	if p.Inspections == 0 {
		return lang.L("Previous period {{.From}} – {{.To}}: no inspections, not compared.", period)
	}
	if !inspect.Comparable(o.Totals, *p) {
		return lang.L("Previous period {{.From}} – {{.To}}: only {{.Inspections}} inspections, not compared.", period)
	}
	period["Average"] = fmt.Sprintf("%.2f", p.Average)
	period["Problems"] = p.Problems
	period["AverageDelta"] = fmt.Sprintf("%+.2f", o.Totals.Average-p.Average)
	period["ProblemsDelta"] = fmt.Sprintf("%+d", o.Totals.Problems-p.Problems)
	return lang.L("Previous period {{.From}} – {{.To}}: {{.Inspections}} inspections, average {{.Average}} ({{.AverageDelta}}), {{.Problems}} problems ({{.ProblemsDelta}}).", period)
}
