package sheet

import (
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/xuri/excelize/v2"

	"mingcha/store"
)

// ChaseGroup is one unit's overdue problems, for 催办.
type ChaseGroup struct {
	UnitID, UnitName, Department string
	MaxDays                      int
	Problems                     []store.OfficeProblem
}

// ChaseGroups groups overdue problems by unit, the unit most days late
// first, each unit's problems most days late first.
func ChaseGroups(probs []store.OfficeProblem) []ChaseGroup {
	idx := map[string]int{}
	var out []ChaseGroup
	for _, p := range probs {
		i, ok := idx[p.UnitID]
		if !ok {
			i = len(out)
			idx[p.UnitID] = i
			out = append(out, ChaseGroup{UnitID: p.UnitID, UnitName: p.UnitName, Department: p.Department})
		}
		g := &out[i]
		g.Problems = append(g.Problems, p)
		g.MaxDays = max(g.MaxDays, p.DaysLate)
	}
	for i := range out {
		ps := out[i].Problems
		sort.SliceStable(ps, func(a, b int) bool { return ps[a].DaysLate > ps[b].DaysLate })
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].MaxDays != out[b].MaxDays {
			return out[a].MaxDays > out[b].MaxDays
		}
		return out[a].UnitName < out[b].UnitName
	})
	return out
}

// SheetChase is the sheet of the 催办 workbook.
const SheetChase = "催办"

// WriteChaseList writes the 催办 list as a workbook in the results
// workbook's form (title row, frozen header, autofilter, real dates,
// 逾期天数 as a number, landscape fitted to the width).
func WriteChaseList(w io.Writer, groups []ChaseGroup, now time.Time) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetChase); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	cols := []resultCol{
		{"被检查单位", 28, cellText}, {"所属部门", 18, cellText}, {"问题描述", 50, cellText}, {"发现时间", 17, cellDateTime},
		{"整改期限", 12, cellDate}, {"逾期天数", 9, cellInt}, {"责任人", 12, cellText}, {"报告编号", 22, cellText}, {"问题编号", 26, cellText},
	}
	var rows [][]any
	for _, g := range groups {
		for _, p := range g.Problems {
			rows = append(rows, []any{g.UnitName, g.Department, p.Description, p.ObservedAt, p.Deadline, p.DaysLate, p.Responsible, p.ReportID, p.ID})
		}
	}
	title := fmt.Sprintf("逾期未整改问题催办清单（截至%d年%d月%d日）", now.Year(), int(now.Month()), now.Day())
	if err := writeSheet(f, st, SheetChase, title, cols, rows); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
