package sheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"mingcha/inspect"
)

// Sheet names of the results workbook.
const (
	SheetRanking    = "排名"
	SheetResults    = "检查结果"
	SheetProblems   = "问题"
	SheetCategories = "问题分类"
	SheetWorkload   = "督查员工作量"
)

// StateLabel is the Chinese name of a 整改 state.
func StateLabel(s inspect.ProblemState) string {
	switch s {
	case inspect.ProblemOpen:
		return "待整改"
	case inspect.ProblemRectified:
		return "已整改"
	case inspect.ProblemVerified:
		return "已验收"
	}
	return string(s)
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return ""
}

const timeLayout = "2006-01-02 15:04"

// WriteResultsXLSX writes the overview of a period as a workbook (WriteResults
// without the office's name).
func WriteResultsXLSX(w io.Writer, o *inspect.Overview, now time.Time) error {
	return WriteResults(w, o, ResultsOptions{Now: now})
}

// ResultsOptions say who the workbook is from and when "now" is.
type ResultsOptions struct {
	Office   string           // in each sheet's title row
	Now      time.Time        // decides overdue and the days late
	Holidays inspect.Holidays // counts the working days late
}

// resultCol is one column of a results sheet.
type resultCol struct {
	head  string
	width float64
	kind  cellKind
}

type cellKind int

const (
	cellText cellKind = iota
	cellInt
	cellScore
	cellDateTime
	cellDate
)

// WriteResults writes the overview of a period as a workbook a clerk uses as
// it is, in WPS or Excel: ranking, every report's result, every problem with
// its 整改 state, problems by category and the inspectors' workload. Each
// sheet has a title row with the office and the period, a frozen header with
// an autofilter, unit names and template titles (the ids in the last
// columns), real dates and numbers with number formats, and prints landscape,
// fitted to the page width, the title rows repeated on every page.
func WriteResults(w io.Writer, o *inspect.Overview, opt ResultsOptions) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetRanking); err != nil {
		return err
	}
	for _, s := range []string{SheetResults, SheetProblems, SheetCategories, SheetWorkload} {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	title := func(what string) string {
		parts := []string{}
		if o := strings.TrimSpace(opt.Office); o != "" {
			parts = append(parts, o)
		}
		if p := periodName(o.Filter); p != "" {
			parts = append(parts, p)
		}
		return strings.Join(append(parts, "明查暗访"+what), " ")
	}

	rankCols := []resultCol{
		{"名次", 6, cellInt}, {"被检查单位", 28, cellText}, {"所属部门", 18, cellText}, {"单位类型", 12, cellText},
		{"得分", 8, cellScore}, {"满分", 7, cellScore}, {"等级", 8, cellText}, {"一票否决", 8, cellText}, {"回访得分", 9, cellScore},
		{"检查方式", 8, cellText}, {"检查时间", 17, cellDateTime}, {"本期检查次数", 12, cellInt}, {"本期问题数", 10, cellInt},
		{"上轮得分", 9, cellScore}, {"报告编号", 22, cellText}, {"单位编号", 24, cellText},
	}
	var rank [][]any
	for _, r := range o.Ranking {
		rank = append(rank, []any{
			r.Rank, r.UnitName, r.Department, KindLabel(r.UnitKind), r.Score, r.Full, r.Rating, yesNo(r.Veto), optScore(r.LaterScore),
			r.Mode.Label(), r.ObservedAt, r.Inspections, r.Problems, optScore(r.PrevScore), r.ReportID, r.UnitID,
		})
	}
	if err := writeSheet(f, st, SheetRanking, title("排名"), rankCols, rank); err != nil {
		return err
	}

	resCols := []resultCol{
		{"被检查单位", 28, cellText}, {"所属部门", 18, cellText}, {"单位类型", 12, cellText}, {"检查方式", 8, cellText},
		{"检查时间", 17, cellDateTime}, {"检查人员", 16, cellText}, {"检查表", 26, cellText}, {"得分", 8, cellScore},
		{"满分", 7, cellScore}, {"等级", 8, cellText}, {"一票否决", 8, cellText}, {"问题数", 8, cellInt},
		{"报告编号", 22, cellText}, {"更正报告", 22, cellText}, {"单位编号", 24, cellText}, {"检查表编号", 14, cellText},
	}
	var res [][]any
	for _, r := range o.Results {
		res = append(res, []any{
			r.UnitName, r.Department, KindLabel(r.UnitKind), r.Mode.Label(), r.ObservedAt, strings.Join(r.Inspectors, "、"),
			firstNonEmpty(r.TemplateTitle, r.TemplateKey), r.Score, r.Full, r.Rating, yesNo(r.Veto), len(r.Problems),
			r.ReportID, r.Amends, r.UnitID, r.TemplateKey,
		})
	}
	if err := writeSheet(f, st, SheetResults, title("检查结果"), resCols, res); err != nil {
		return err
	}

	probCols := []resultCol{
		{"被检查单位", 28, cellText}, {"所属部门", 18, cellText}, {"类别", 12, cellText}, {"问题描述", 50, cellText},
		{"涉及人员", 14, cellText}, {"发现时间", 17, cellDateTime}, {"整改期限", 12, cellDate}, {"整改状态", 10, cellText},
		{"逾期天数", 9, cellInt}, {"重复问题", 8, cellText}, {"责任人", 12, cellText}, {"备注", 30, cellText},
		{"检查项目", 10, cellText}, {"报告编号", 22, cellText}, {"问题编号", 26, cellText},
	}
	var probs [][]any
	for _, r := range o.Results {
		for _, p := range r.Problems {
			var late any = ""
			if p.Overdue(opt.Now) {
				late = inspect.WorkingDaysLate(&p, opt.Now, opt.Holidays)
			}
			var deadline any = ""
			if !p.Deadline.IsZero() {
				deadline = p.Deadline
			}
			probs = append(probs, []any{
				r.UnitName, r.Department, categoryOf(p), p.Description, strings.Join(r.People[p.ID], "、"), r.ObservedAt,
				deadline, StateLabel(p.State), late, yesNo(p.Repeat), p.Responsible, p.Note, p.ItemCode, r.ReportID, p.ID,
			})
		}
	}
	if err := writeSheet(f, st, SheetProblems, title("问题清单"), probCols, probs); err != nil {
		return err
	}

	catCols := []resultCol{{"问题类别", 14, cellText}, {"单位数", 8, cellInt}, {"问题数", 8, cellInt}, {"重复问题数", 10, cellInt},
		{"通报表述", 30, cellText}, {"涉及单位", 80, cellText}}
	var cats [][]any
	for _, c := range o.Categories {
		var names []string
		for _, u := range c.Named {
			names = append(names, u.UnitName)
		}
		cats = append(cats, []any{c.Category, c.Units, c.Problems, c.Repeats, inspect.CategoryHeadline(c), strings.Join(names, "、")})
	}
	if err := writeSheet(f, st, SheetCategories, title("问题分类"), catCols, cats); err != nil {
		return err
	}

	loadCols := []resultCol{{"督查员", 14, cellText}, {"检查次数", 10, cellInt}, {"单位数", 8, cellInt}, {"明查", 8, cellInt},
		{"暗访", 8, cellInt}, {"发现问题", 10, cellInt}}
	var load [][]any
	for _, l := range o.Workload {
		load = append(load, []any{l.Inspector, l.Inspections, l.Units, l.Open, l.Covert, l.Problems})
	}
	if err := writeSheet(f, st, SheetWorkload, title("督查员工作量"), loadCols, load); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

// Rows of a results sheet: the title, the header, then the data.
const (
	titleRow  = 1
	headerRow = 2
	firstData = 3
)

type styles struct {
	title, header, text, integer, score, dateTime, date int
}

func newStyles(f *excelize.File) (*styles, error) {
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	var s styles
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	numFmt := func(code string) *string { return &code }
	s.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	s.header = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDE4EE"}, Pattern: 1},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	s.text = mk(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	s.integer = mk(&excelize.Style{Border: border, NumFmt: 1})
	s.score = mk(&excelize.Style{Border: border, CustomNumFmt: numFmt("0.00")})
	s.dateTime = mk(&excelize.Style{Border: border, CustomNumFmt: numFmt("yyyy-mm-dd hh:mm")})
	s.date = mk(&excelize.Style{Border: border, CustomNumFmt: numFmt("yyyy-mm-dd")})
	return &s, err
}

// wall keeps a time's wall clock (the office's local time) for Excel, which
// has no time zones.
func wall(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

func writeSheet(f *excelize.File, st *styles, sheet, title string, cols []resultCol, rows [][]any) error {
	if err := f.SetCellValue(sheet, "A1", title); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", "A1", st.title); err != nil {
		return err
	}
	for i, c := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetCellValue(sheet, fmt.Sprintf("%s%d", name, headerRow), c.head); err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, name, name, c.width); err != nil {
			return err
		}
	}
	lastCol, _ := excelize.ColumnNumberToName(len(cols))
	if err := f.SetCellStyle(sheet, fmt.Sprintf("A%d", headerRow), fmt.Sprintf("%s%d", lastCol, headerRow), st.header); err != nil {
		return err
	}
	for ri, r := range rows {
		row := firstData + ri
		for ci, v := range r {
			name, _ := excelize.ColumnNumberToName(ci + 1)
			cell := fmt.Sprintf("%s%d", name, row)
			style := st.text
			switch cols[ci].kind {
			case cellInt:
				style = st.integer
			case cellScore:
				style = st.score
			case cellDateTime, cellDate:
				style = st.dateTime
				if cols[ci].kind == cellDate {
					style = st.date
				}
				if t, ok := v.(time.Time); ok {
					v = wall(t)
				}
			}
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				return err
			}
			if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
				return err
			}
		}
	}
	lastRow := max(headerRow, firstData+len(rows)-1)
	if err := f.AutoFilter(sheet, fmt.Sprintf("A%d:%s%d", headerRow, lastCol, lastRow), nil); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", firstData), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	landscape, fit, one, zero := "landscape", true, 1, 0
	paper := 9 // A4
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, Size: &paper, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sheet, titleRow, headerRow)})
}

func optScore(p *float64) any {
	if p == nil {
		return ""
	}
	return *p
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// periodName names the overview's period: 2026年5月, 2026年第二季度, 2026年,
// or from–to dates (To is exclusive).
func periodName(f inspect.Filter) string {
	from, to := f.From, f.To
	if from.IsZero() || to.IsZero() {
		return ""
	}
	first := func(t time.Time) bool { return t.Day() == 1 && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 }
	if first(from) && first(to) {
		months := (to.Year()-from.Year())*12 + int(to.Month()-from.Month())
		switch {
		case months == 1:
			return fmt.Sprintf("%d年%d月", from.Year(), int(from.Month()))
		case months == 3 && (from.Month()-1)%3 == 0:
			return fmt.Sprintf("%d年第%s季度", from.Year(), []string{"一", "二", "三", "四"}[(from.Month()-1)/3])
		case months == 12 && from.Month() == 1:
			return fmt.Sprintf("%d年", from.Year())
		}
	}
	last := to.Add(-time.Nanosecond)
	return fmt.Sprintf("%d年%d月%d日至%d年%d月%d日", from.Year(), int(from.Month()), from.Day(), last.Year(), int(last.Month()), last.Day())
}

func categoryOf(p inspect.Problem) string {
	if strings.TrimSpace(p.Category) == "" {
		return inspect.OtherCategory
	}
	return p.Category
}

// WriteTaskList writes a 抽签's task list for the inspectors, as "csv"
// (UTF-8 with BOM) or "xlsx": the drawn units in draw order with empty
// columns for date and inspectors, and the seed that reproduces the draw.
func WriteTaskList(w io.Writer, d *inspect.Draw, format string) error {
	meta := [][]any{
		{"暗访任务清单（抽签）"},
		{"抽签时间", d.At.Format(timeLayout), "种子", d.Seed, "候选单位", len(d.Candidates), "抽取", len(d.Drawn)},
	}
	if d.Filter.Department != "" || d.Filter.Kind != "" {
		meta = append(meta, []any{"范围", d.Filter.Department, KindLabel(d.Filter.Kind)})
	}
	rows := [][]any{{"序号", "单位编号", "被检查单位", "所属部门", "单位类型", "地址", "签号", "检查方式", "计划日期", "督查员"}}
	for _, u := range d.Drawn {
		rows = append(rows, []any{u.Order, u.UnitID, u.Name, u.Department, KindLabel(u.Kind), u.Address, u.Lot, "暗访", "", ""})
	}
	switch format {
	case "csv":
		if _, err := w.Write([]byte("\xEF\xBB\xBF")); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		cw.UseCRLF = true
		for _, r := range append(append(meta, []any{}), rows...) {
			rec := make([]string, len(r))
			for i, v := range r {
				rec[i] = fmt.Sprint(v)
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	case "xlsx":
		f := excelize.NewFile()
		defer f.Close()
		const sheet = "暗访任务"
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			return err
		}
		if err := writeTable(f, sheet, rows, []float64{6, 16, 28, 18, 12, 30, 18, 8, 12, 16}); err != nil {
			return err
		}
		const info = "抽签记录"
		if _, err := f.NewSheet(info); err != nil {
			return err
		}
		for i, r := range meta {
			if err := f.SetSheetRow(info, fmt.Sprintf("A%d", i+1), &r); err != nil {
				return err
			}
		}
		_, err := f.WriteTo(w)
		return err
	}
	return fmt.Errorf("task list format %q is not csv or xlsx", format)
}
