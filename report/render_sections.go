// The parts of an inspection report, top to bottom: header, score summary,
// item table, attendance, problems and signatures.

package report

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"mingcha/inspect"
)

func title(in *inspect.Inspection) string {
	if in.Mode == inspect.ModeCovert {
		return "明查暗访检查报告"
	}
	return "明查检查报告"
}

func reasonText(r inspect.AbsenceReason) string {
	switch r {
	case inspect.AbsenceLeave:
		return "请假"
	case inspect.AbsenceTrip:
		return "出差"
	case inspect.AbsenceMeeting:
		return "会议"
	case inspect.AbsenceOffPost:
		return "脱岗"
	case inspect.AbsenceUnknown:
		return "不明"
	}
	return string(r)
}

// fmtTime is a moment as the report prints it, in the office's zone
// (inspect.Zone) like every other time on the pages, whatever zone the
// laptop is set to: a signature or 签收 printed in the laptop's zone could
// read a day before the visit it closes.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(inspect.Zone).Format("2006年01月02日 15:04")
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return inspect.FormatDate(t)
}

func fmtNum(f float64) string {
	return fmt.Sprintf("%g", math.Round(f*100)/100)
}

func (r *renderer) header() {
	p := r.pdf
	in := r.in
	r.font(20)
	p.CellFormat(contentW, 12, title(in), "", 1, "C", false, 0, "")
	r.font(10)
	p.SetTextColor(90, 90, 90)
	p.CellFormat(contentW, 6, fmt.Sprintf("%s（第 %d 版）", in.Template.Title, in.Template.Version), "", 1, "C", false, 0, "")
	p.SetTextColor(0, 0, 0)
	p.Ln(3)
	rows := [][2]string{
		{"被检查单位", in.Unit.Name},
		{"所属部门", in.Unit.Department},
		{"检查方式", in.Mode.Label()},
		{"检查时间", visitTime(in)},
		{"检查地点", firstNonEmpty(in.Place, in.Unit.Address)},
		{"检查人员", strings.Join(in.Inspectors, "、")},
		{"报告编号", in.ID},
	}
	if in.Amends != "" {
		rows = append(rows, [2]string{"更正报告", "本报告更正 " + in.Amends})
	}
	r.font(10)
	for _, row := range rows {
		r.tableRow([]float64{30, contentW - 30}, []string{row[0], orDash(row[1])}, rowStyle{labelFirst: true})
	}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func (r *renderer) summary() {
	p := r.pdf
	s := r.score
	p.Ln(5)
	r.ensure(30)
	x, y := p.GetX(), p.GetY()
	h := 24.0
	p.SetLineWidth(0.5)
	if s.Veto {
		p.SetDrawColor(190, 0, 0)
	}
	p.Rect(x, y, contentW, h, "D")
	p.SetLineWidth(0.2)
	p.SetDrawColor(0, 0, 0)
	cw := contentW / 4
	cell := func(i int, label, value string, red bool) {
		p.SetXY(x+float64(i)*cw, y+3)
		r.font(9)
		p.SetTextColor(90, 90, 90)
		p.CellFormat(cw, 5, label, "", 2, "C", false, 0, "")
		r.font(16)
		if red {
			p.SetTextColor(190, 0, 0)
		} else {
			p.SetTextColor(0, 0, 0)
		}
		p.CellFormat(cw, 10, value, "", 0, "C", false, 0, "")
		p.SetTextColor(0, 0, 0)
	}
	cell(0, "得分", fmt.Sprintf("%s / %s", fmtScore(s.Value), fmtNum(s.Full)), false)
	rating := orDash(s.Rating)
	if s.Veto {
		rating += "（一票否决）"
	}
	cell(1, "评定等级", rating, s.Veto)
	cell(2, "扣分合计", fmtNum(s.Deducted), false)
	cell(3, "已检查项目", fmt.Sprintf("%d / %d", s.Answered, s.Total), false)
	p.SetXY(x, y+h)
	if s.Base != s.Full {
		r.font(8)
		p.SetTextColor(90, 90, 90)
		p.CellFormat(contentW, 5, fmt.Sprintf("不适用项目不计分，按 %s 分基数折算为 %s 分制。", fmtNum(s.Base), fmtNum(s.Full)), "", 1, "L", false, 0, "")
		p.SetTextColor(0, 0, 0)
	}
	p.Ln(2)
}

// sectionTitle numbers a template section as the second level of an
// official document, （一）（二）…, under the report's own 一、二、 headings;
// the template's own leading number (一、 1. （一）) is replaced.
func sectionTitle(i int, title string) string {
	return "（" + chineseNumber(i+1) + "）" + sectionNumberRE.ReplaceAllString(title, "")
}

var sectionNumberRE = regexp.MustCompile(`^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．])\s*`)

// chineseNumber writes 1–99 in Chinese numerals.
func chineseNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n > 99:
		return fmt.Sprint(n)
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	}
	return digits[n/10] + "十" + digits[n%10]
}

// photoRefs points the item table at the appendix: 见附件照片 1、2.
func (r *renderer) photoRefs(hashes []string) string {
	if len(hashes) == 0 {
		return ""
	}
	if r.opts.NoPhotos {
		return fmt.Sprintf("照片 %d 张（本报告未附）", len(hashes))
	}
	nums := make([]string, 0, len(hashes))
	for _, h := range hashes {
		if n, ok := r.photoNum[h]; ok {
			nums = append(nums, fmt.Sprint(n))
		}
	}
	return "见附件照片 " + strings.Join(nums, "、")
}

// result is what the table's result column says for an answer.
func result(it *inspect.Item, a *inspect.Answer, o inspect.Outcome) (string, bool) {
	if a == nil || !o.Answered {
		return "未检查", false
	}
	if o.NA {
		return "不适用", false
	}
	switch it.Kind {
	case inspect.KindCheck:
		if o.Failed {
			return "不合格", true
		}
		return "合格", false
	case inspect.KindCount:
		if a.Count == 0 {
			return "合格（0）", false
		}
		return fmt.Sprintf("不合格（%d）", a.Count), true
	case inspect.KindAttendance:
		return fmt.Sprintf("应到 %d\n实到 %d", a.Expected, a.Present()), o.Failed
	case inspect.KindNumber:
		if a.Number == nil {
			return "—", false
		}
		return strings.TrimSpace(fmtNum(*a.Number) + " " + it.Unit), o.Failed
	case inspect.KindChoice:
		return a.Choice, o.Failed
	case inspect.KindText:
		return "已记录", false
	}
	return "—", false
}

var itemCols = []float64{16, 74, 24, 14, contentW - 16 - 74 - 24 - 14}

func (r *renderer) itemHeader() {
	r.font(9)
	r.tableRow(itemCols, []string{"编号", "检查内容", "结果", "扣分", "说明"}, rowStyle{header: true})
}

// itemRow is one row of the item table.
type itemRow struct {
	cells []string
	style rowStyle
}

func (r *renderer) items() {
	r.heading("一、检查明细", 30)
	r.itemHeader()
	for si, sec := range r.in.Template.Sections {
		rows := make([]itemRow, len(sec.Items))
		for i := range sec.Items {
			rows[i] = r.itemRow(&sec.Items[i])
		}
		r.itemSection(sectionTitle(si, sec.Title), rows)
	}
	if len(r.in.Findings) > 0 {
		rows := make([]itemRow, len(r.in.Findings))
		for i, f := range r.in.Findings {
			rows[i] = r.findingRow(i, f)
		}
		r.itemSection(sectionTitle(len(r.in.Template.Sections), "检查表以外的发现"), rows)
	}
}

// itemSection draws a section's title row and its rows; the title moves
// to the next page with the first row rather than stand alone at the foot.
func (r *renderer) itemSection(title string, rows []itemRow) {
	p := r.pdf
	r.font(9)
	first := 0.0
	if len(rows) > 0 {
		first = r.rowHeight(itemCols, rows[0].cells)
	}
	if r.ensure(7 + first) {
		r.itemHeader()
	}
	r.font(10)
	p.SetFillColor(245, 245, 245)
	p.CellFormat(contentW, 7, title, "1", 1, "L", true, 0, "")
	p.SetFillColor(0, 0, 0)
	r.font(9)
	for _, row := range rows {
		r.tableRow(itemCols, row.cells, row.style)
	}
}

func (r *renderer) itemRow(it *inspect.Item) itemRow {
	a := r.in.Answers[it.Code]
	o := inspect.Evaluate(it, a)
	res, bad := result(it, a, o)
	ded := ""
	if o.Veto {
		ded = "否决"
		if o.Deduction > 0 {
			ded += "\n-" + fmtNum(o.Deduction)
		}
	} else if o.Deduction > 0 {
		ded = "-" + fmtNum(o.Deduction)
	}
	var note []string
	if a != nil {
		if it.Kind == inspect.KindText && a.Text != "" {
			note = append(note, a.Text)
		}
		if a.Note != "" {
			note = append(note, a.Note)
		}
		if n := len(a.Absent); n > 0 {
			note = append(note, fmt.Sprintf("缺岗 %d 人，见考勤情况", n))
		}
		if ref := r.photoRefs(a.Photos); ref != "" {
			note = append(note, ref)
		}
		if times := answerTimes(it, a, r.in.ObservedAt.Location()); times != "" {
			note = append(note, times)
		}
	}
	return itemRow{
		cells: []string{it.Code, it.Text, res, ded, strings.Join(note, "\n")},
		style: rowStyle{redCols: map[int]bool{2: bad, 3: o.Deduction > 0 || o.Veto}, repeat: r.itemHeader},
	}
}

// findingRow is a finding outside the checklist (自由发现): its deduction
// counts in the score, so the table must show it.
func (r *renderer) findingRow(i int, f inspect.Finding) itemRow {
	ded := ""
	if f.Deduction > 0 {
		ded = "-" + fmtNum(f.Deduction)
	}
	var note []string
	if f.Category != "" {
		note = append(note, "类别："+f.Category)
	}
	if ref := r.photoRefs(f.Photos); ref != "" {
		note = append(note, ref)
	}
	return itemRow{
		cells: []string{fmt.Sprintf("发现 %d", i+1), f.Text, "发现问题", ded, strings.Join(note, "\n")},
		style: rowStyle{redCols: map[int]bool{2: true, 3: f.Deduction > 0}, repeat: r.itemHeader},
	}
}

func (r *renderer) attendance() {
	type row struct {
		code string
		p    inspect.AbsentPerson
	}
	var rows []row
	for _, it := range r.in.Template.Items() {
		a := r.in.Answers[it.Code]
		if it.Kind != inspect.KindAttendance || a == nil || a.Result == inspect.ResultNA {
			continue
		}
		for _, p := range a.Absent {
			rows = append(rows, row{it.Code, p})
		}
	}
	has := false
	for _, it := range r.in.Template.Items() {
		if a := r.in.Answers[it.Code]; it.Kind == inspect.KindAttendance && a != nil && a.Result != inspect.ResultNA {
			has = true
		}
	}
	if !has {
		return
	}
	r.heading("二、考勤情况", 30)
	r.font(9)
	cols := []float64{16, 40, 50, 30, contentW - 136}
	hdr := func() {
		r.font(9)
		r.tableRow(cols, []string{"编号", "姓名", "岗位", "缺岗原因", "备注"}, rowStyle{header: true})
	}
	for _, it := range r.in.Template.Items() {
		a := r.in.Answers[it.Code]
		if it.Kind != inspect.KindAttendance || a == nil || a.Result == inspect.ResultNA {
			continue
		}
		r.font(9)
		r.pdf.MultiCell(contentW, 5, fmt.Sprintf("%s %s：应到 %d 人，实到 %d 人，缺岗 %d 人。", it.Code, it.Text, a.Due(), a.Present(), len(a.Absent))+offRosterPresent(a), "", "L", false)
		r.pdf.Ln(1)
	}
	if len(rows) == 0 {
		return
	}
	hdr()
	for _, x := range rows {
		remark := ""
		if !x.p.OnRoster {
			remark = "不在花名册"
		}
		if !x.p.Reason.Excused() {
			remark = strings.TrimLeft(remark+"；计为违纪", "；")
		}
		r.tableRow(cols, []string{x.code, x.p.Name, orDash(x.p.Post), reasonText(x.p.Reason), remark},
			rowStyle{redCols: map[int]bool{3: !x.p.Reason.Excused()}, repeat: hdr})
	}
}

func (r *renderer) problems() {
	r.heading("三、问题清单及整改要求", 30)
	if len(r.in.Problems) == 0 {
		r.font(10)
		r.pdf.CellFormat(contentW, 7, "本次检查未发现问题。", "", 1, "L", false, 0, "")
		return
	}
	cols := []float64{10, 16, 84, 24, 26, contentW - 160}
	hdr := func() {
		r.font(9)
		r.tableRow(cols, []string{"序号", "编号", "问题描述", "责任人", "整改期限", "重复问题"}, rowStyle{header: true})
	}
	hdr()
	for i, pr := range r.in.Problems {
		code := pr.ItemCode
		if code == "" {
			code = "发现"
			for k, f := range r.in.Findings {
				if f.ID == pr.FindingID {
					code = fmt.Sprintf("发现 %d", k+1)
				}
			}
		}
		rep := ""
		if pr.Repeat {
			rep = "是"
		}
		r.tableRow(cols, []string{fmt.Sprint(i + 1), code, pr.Description, orDash(pr.Responsible), fmtDate(pr.Deadline), rep},
			rowStyle{redCols: map[int]bool{5: pr.Repeat}, repeat: hdr})
	}
	r.font(8)
	r.pdf.Ln(1)
	r.pdf.MultiCell(contentW, 4.5, "被检查单位应在整改期限内完成整改，并将整改情况书面报送效能办；标为“重复问题”的，是该单位此前检查中已发现且尚未整改到位的同类问题。", "", "L", false)
}

func (r *renderer) signatures() {
	p := r.pdf
	boxW, boxH := 56.0, 26.0
	perRow := 3
	below := 12.0 // name and time under each box
	if r.opts.DigitalSigners != nil {
		below = 16 // and whether the inspector signs digitally
	}
	// The closing note stays with the last row of signatures, and the
	// heading with the first: alone, the note's last line took a page of
	// its own, and the heading was left at the foot of the page before.
	note := fmt.Sprintf("本报告由明察系统生成于 %s，附有检查数据（inspection.json）并经数字签名；页脚的数据指纹是所附数据 SHA-256 的前 16 位，可用 mingcha verify 核验。", fmtTime(r.at))
	r.font(8)
	noteLines := r.wrap(note, contentW)
	noteH := float64(len(noteLines)) * 4.5
	lastRow := (len(r.in.Inspectors) - 1) / perRow
	rowNeed := func(row int) float64 {
		if row == lastRow {
			return boxH + below + noteH
		}
		return boxH + below
	}
	r.heading("四、检查人员签名", rowNeed(0))
	r.font(10)
	for i, name := range r.in.Inspectors {
		if i%perRow == 0 {
			if i > 0 {
				p.SetY(p.GetY() + boxH + below)
			}
			r.ensure(rowNeed(i / perRow))
		}
		x := margin + float64(i%perRow)*(boxW+6)
		y := p.GetY()
		var sig *inspect.DrawnSignature
		for k := range r.in.Signatures {
			if r.in.Signatures[k].Inspector == name {
				sig = &r.in.Signatures[k]
			}
		}
		p.SetDrawColor(180, 180, 180)
		p.Rect(x, y, boxW, boxH, "D")
		p.SetDrawColor(0, 0, 0)
		if sig != nil && len(sig.PNG) > 0 {
			if img, ok := r.register(sig.PNG); ok {
				w, h := fit(img.w, img.h, boxW-4, boxH-4)
				p.ImageOptions(img.name, x+(boxW-w)/2, y+(boxH-h)/2, w, h, false, img.opts, 0, "")
			}
		}
		p.SetXY(x, y+boxH+1)
		r.font(9)
		when := "未签名"
		if sig != nil {
			when = fmtTime(sig.SignedAt)
		}
		p.CellFormat(boxW, 5, name, "", 2, "C", false, 0, "")
		r.font(8)
		p.CellFormat(boxW, 4, when, "", 2, "C", false, 0, "")
		if r.opts.DigitalSigners != nil {
			p.SetX(x)
			if slices.Contains(r.opts.DigitalSigners, name) {
				p.CellFormat(boxW, 4, "数字签名", "", 0, "C", false, 0, "")
			} else {
				p.SetTextColor(160, 60, 0)
				p.CellFormat(boxW, 4, "未数字签名", "", 0, "C", false, 0, "")
				p.SetTextColor(0, 0, 0)
			}
		}
		p.SetXY(margin, y)
	}
	p.SetY(p.GetY() + boxH + below)
	r.ensure(noteH) // no inspector named: the note alone
	r.font(8)
	p.SetTextColor(90, 90, 90)
	for _, l := range noteLines {
		p.CellFormat(contentW, 4.5, l, "", 2, "L", false, 0, "")
	}
	p.SetTextColor(0, 0, 0)
}
