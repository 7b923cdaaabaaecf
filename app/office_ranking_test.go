package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"mingcha/inspect"
)

// TestRankingColumnsHoldTheirText: every cell of the 总览's ranking fits its
// column, in both languages — the 得分 of a unit rated on a veto with its
// later 回访 ("87.76（回访 86.03）") was cut after "回访8" (seen on a demo
// office database at 1057 px), and what the pane shows unscrolled reaches
// to the rating.
func TestRankingColumnsHoldTheirText(t *testing.T) {
	_, w, o := twoRounds(t)
	later := 86.03
	o.overview = &inspect.Overview{Ranking: []inspect.Ranked{
		{Rank: 1, UnitName: "区住建局审批科", Department: "区住房和城乡建设局", Score: 94, Rating: "优秀", Mode: inspect.ModeOpen},
		{Rank: 2, UnitName: "区税务局第一税务分局办税服务厅", Department: "区人力资源和社会保障局", Score: 87.76, Rating: "不合格", Veto: true, LaterScore: &later, Mode: inspect.ModeCovert},
	}}
	check := func(lang string) {
		pad := 2*theme.InnerPadding() + 2*theme.Padding()
		widths := o.rankingWidths()
		for col := range o.rankingHeader {
			for row := range o.overview.Ranking {
				text := o.rankingText(row, col)
				if w := fyne.MeasureText(text, theme.TextSize(), fyne.TextStyle{}).Width + pad; w > widths[col] {
					t.Errorf("%s: %q needs %.0f px, column %d is %.0f", lang, text, w, col, widths[col])
				}
			}
		}
	}
	check("zh")
	// In a 1008 px window the ranking's pane is narrower than the table:
	// what it shows without scrolling reaches to the rating (the department
	// comes last; before, the rating was cut to "不合格（一").
	w.Resize(fyne.NewSize(1008, 696))
	o.fitRankingColumns()
	o.ranking.Refresh()
	widths := o.rankingWidths()
	need, pane := widths[0]+widths[1]+widths[2]+widths[3], o.ranking.Size().Width
	if need > pane {
		t.Errorf("名次 to 等级 need %.0f px, the pane is %.0f", need, pane)
	}
	if o.rankingHeader[3] != "等级" || o.rankingHeader[5] != "所属部门" {
		t.Errorf("columns %q", o.rankingHeader)
	}
	englishMessages(t, o.ui)
	check("en")
}
