package app

import (
	"encoding/json"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// officeZh are the Chinese strings of the 效能办 screen and of the office
// side's errors. They are registered apart from assets/translations so that
// the office screen could be added without touching the shared files; they
// belong in zh-Hans.json (and the keys in en.json) once merged.
var officeZh = map[string]string{
	"Efficiency office": "效能办",
	"Unit kind":         "单位类型",
	" (veto)":           "（一票否决）",
	"; cancelled: {{.Skipped}} files not imported": "；已取消：{{.Skipped}} 个文件未导入",
	"Accepted":                           "已接收",
	"Cancel import":                      "取消导入",
	"Cancelling after the current file…": "当前文件完成后取消…",
	"Drop signed PDF reports or folders onto the window, or choose them. Each file is verified; a rejected file is listed with the reason and nothing from it is stored.": "将已签名的 PDF 报告或文件夹拖入窗口，或点击选择。每个文件都会验证签名；未通过的文件列出原因，其中任何内容都不会保存。",
	"Due {{.Date}}":                 "期限 {{.Date}}",
	"Duplicate":                     "重复",
	"Fix verified":                  "已验收",
	"Import a file…":                "导入文件…",
	"Import a folder…":              "导入文件夹…",
	"Import reports":                "导入报告",
	"Importing…":                    "正在导入…",
	"Inspectors' workload":          "督查员工作量",
	"Main problems":                 "主要问题",
	"No PDF file was found.":        "未找到 PDF 文件。",
	"No problems in this period.":   "本期未发现问题。",
	"Not imported":                  "未导入",
	"Note (what was done or found)": "备注（整改措施或回访情况）",
	"Overdue {{.Days}} working days (due {{.Date}})": "逾期 {{.Days}} 个工作日（期限 {{.Date}}）",
	"Overdue":          "逾期",
	"Overview":         "总览",
	"Rank":             "名次",
	"Ranking":          "排名",
	"Rating":           "等级",
	"Rectification":    "整改",
	"Rectified":        "已整改",
	"Rejected":         "未通过",
	"Reopen":           "退回重改",
	"Repeated problem": "重复问题",
	"Report verification is not available in this build.": "此版本无法验证报告。",
	"Score":      "得分",
	"Show":       "显示",
	"To rectify": "待整改",
	"Verify fix": "验收",
	"{{.Accepted}} accepted, {{.Duplicates}} duplicates, {{.Rejected}} rejected": "接收 {{.Accepted}} 份，重复 {{.Duplicates}} 份，未通过 {{.Rejected}} 份",
	"{{.Count}} problems, {{.Overdue}} overdue":                                  "共 {{.Count}} 个问题，逾期 {{.Overdue}} 个",
	"{{.Done}} of {{.Total}} files":                                              "{{.Done}} / {{.Total}} 个文件",
	"{{.ID}}: {{.State}}":                                                        "{{.ID}}：{{.State}}",
	"{{.Inspections}} inspections of {{.Units}} units (open {{.Open}}, covert {{.Covert}}), average {{.Average}}; {{.Problems}} problems, {{.Repeats}} repeated; ratings: {{.Ratings}}": "检查 {{.Units}} 家单位 {{.Inspections}} 次（明查 {{.Open}}，暗访 {{.Covert}}），平均得分 {{.Average}}；发现问题 {{.Problems}} 个，重复问题 {{.Repeats}} 个；等级：{{.Ratings}}",
	"{{.Name}}: {{.Inspections}} inspections, {{.Units}} units, {{.Problems}} problems":                                                                                                 "{{.Name}}：检查 {{.Inspections}} 次，{{.Units}} 家单位，发现问题 {{.Problems}} 个",
	// Errors of the office side (inspect, store, sheet keys).
	"office.no_problem":            "没有编号为 {{.ID}} 的问题。",
	"office.problem_superseded":    "该报告已被更正报告 {{.By}} 取代，请对更正报告中的问题操作。",
	"problem.rectify_not_open":     "只有待整改的问题才能标记为已整改（当前：{{.State}}）。",
	"problem.verify_not_rectified": "只有已整改的问题才能验收（当前：{{.State}}）。",
	"problem.reopen_not_rectified": "只有已整改的问题才能退回重改（当前：{{.State}}）。",
	"draw.no_candidates":           "没有符合条件的单位可供抽签。",
	"draw.bad_n":                   "至少抽取 1 家单位。",
	"roster.missing_name":          "第 {{.Row}} 行：单位名称为空。",
	"roster.duplicate_unit":        "第 {{.Row}} 行：{{.Name}} 已在第 {{.First}} 行列出。",
	"roster.duplicate_id":          "第 {{.Row}} 行：编号 {{.ID}} 已在第 {{.First}} 行使用。",
	"roster.column_count":          "第 {{.Row}} 行：有 {{.Got}} 列，表头有 {{.Want}} 列。",
	"roster.bad_kind":              "第 {{.Row}} 行：单位类型“{{.Value}}”无效，应为机关科室、服务窗口、行政服务中心或其他。",
	"roster.bad_staff":             "第 {{.Row}} 行：人员名单的格式应为 姓名/职务/窗口，多人用；分隔。",
}

var officeTranslations sync.Once

// LoadOfficeTranslations adds officeZh to Fyne's translations (once). The
// office screen calls it; so does the command line before it prints a
// roster's row errors. Not in init: Fyne reads the locale when
// translations are added, before main could fix a C locale.
func LoadOfficeTranslations() {
	officeTranslations.Do(func() {
		data, err := json.Marshal(officeZh)
		if err == nil {
			err = lang.AddTranslationsForLocale(data, fyne.Locale("zh-Hans"))
		}
		if err != nil {
			fyne.LogError("office translations", err)
		}
	})
}
