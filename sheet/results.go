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

// WriteResultsXLSX writes the overview of a period as a workbook for
// further work in WPS or Excel: ranking, every report's result, every
// problem with its 整改 state, problems by category and the inspectors'
// workload. Scores and counts are numbers, not text. now decides overdue.
func WriteResultsXLSX(w io.Writer, o *inspect.Overview, now time.Time) error {
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

	rank := [][]any{{
		"名次", "单位编号", "被检查单位", "所属部门", "单位类型", "得分", "满分", "等级", "一票否决",
		"检查方式", "检查时间", "报告编号", "本期检查次数", "本期问题数", "上轮得分",
	}}
	for _, r := range o.Ranking {
		var prev any = ""
		if r.PrevScore != nil {
			prev = *r.PrevScore
		}
		rank = append(rank, []any{
			r.Rank, r.UnitID, r.UnitName, r.Department, KindLabel(r.UnitKind), r.Score, r.Full,
			r.Rating, yesNo(r.Veto), r.Mode.Label(), r.ObservedAt.Format(timeLayout), r.ReportID, r.Inspections, r.Problems, prev,
		})
	}
	if err := writeTable(f, SheetRanking, rank, []float64{6, 16, 28, 18, 12, 8, 8, 8, 8, 8, 17, 22, 12, 10, 10}); err != nil {
		return err
	}

	res := [][]any{{
		"报告编号", "单位编号", "被检查单位", "所属部门", "单位类型", "检查方式", "检查时间", "检查人员",
		"检查表", "得分", "满分", "等级", "一票否决", "问题数", "更正报告",
	}}
	for _, r := range o.Results {
		res = append(res, []any{
			r.ReportID, r.UnitID, r.UnitName, r.Department, KindLabel(r.UnitKind), r.Mode.Label(),
			r.ObservedAt.Format(timeLayout), strings.Join(r.Inspectors, "、"), r.TemplateKey, r.Score, r.Full, r.Rating,
			yesNo(r.Veto), len(r.Problems), r.Amends,
		})
	}
	if err := writeTable(f, SheetResults, res, []float64{22, 16, 28, 18, 12, 8, 17, 16, 14, 8, 8, 8, 8, 8, 22}); err != nil {
		return err
	}

	probs := [][]any{{
		"问题编号", "报告编号", "被检查单位", "所属部门", "类别", "检查项目", "问题描述", "涉及人员",
		"发现时间", "整改期限", "整改状态", "逾期", "重复问题", "责任人", "备注",
	}}
	for _, r := range o.Results {
		for _, p := range r.Problems {
			probs = append(probs, []any{
				p.ID, r.ReportID, r.UnitName, r.Department, categoryOf(p), p.ItemCode, p.Description,
				strings.Join(r.People[p.ID], "、"), r.ObservedAt.Format(timeLayout), dateOf(p.Deadline), StateLabel(p.State),
				yesNo(p.Overdue(now)), yesNo(p.Repeat), p.Responsible, p.Note,
			})
		}
	}
	if err := writeTable(f, SheetProblems, probs, []float64{26, 22, 28, 18, 12, 10, 50, 14, 17, 12, 10, 6, 8, 12, 30}); err != nil {
		return err
	}

	cats := [][]any{{"问题类别", "单位数", "问题数", "重复问题数", "通报表述", "涉及单位"}}
	for _, c := range o.Categories {
		var names []string
		for _, u := range c.Named {
			names = append(names, u.UnitName)
		}
		cats = append(cats, []any{c.Category, c.Units, c.Problems, c.Repeats, inspect.CategoryHeadline(c), strings.Join(names, "、")})
	}
	if err := writeTable(f, SheetCategories, cats, []float64{14, 8, 8, 10, 30, 80}); err != nil {
		return err
	}

	load := [][]any{{"督查员", "检查次数", "单位数", "明查", "暗访", "发现问题"}}
	for _, l := range o.Workload {
		load = append(load, []any{l.Inspector, l.Inspections, l.Units, l.Open, l.Covert, l.Problems})
	}
	if err := writeTable(f, SheetWorkload, load, []float64{14, 10, 8, 8, 8, 10}); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err := f.WriteTo(w)
	return err
}

func categoryOf(p inspect.Problem) string {
	if strings.TrimSpace(p.Category) == "" {
		return inspect.OtherCategory
	}
	return p.Category
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
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
