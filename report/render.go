package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // decoders for photo checks
	_ "image/jpeg"
	"image/png"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"mingcha/assets"
	"mingcha/inspect"
)

// PhotoSource hands out a photo's original bytes by SHA-256; store.Store
// satisfies it.
type PhotoSource interface {
	PhotoBytes(hash string) ([]byte, error)
}

// ReportPhotoSource is optionally implemented by a PhotoSource that keeps a
// report-size derivative (long side about 1600 px, upright JPEG) beside each
// original; Render prefers it so that export only copies bytes.
type ReportPhotoSource interface {
	ReportPhotoBytes(hash string) ([]byte, error)
}

// RenderOptions tune a report.
type RenderOptions struct {
	// GeneratedAt is the report's date; zero means the inspection's
	// SignedAt, else CompletedAt, else ObservedAt, so that the same
	// inspection always renders to the same bytes.
	GeneratedAt time.Time
	// Audit is the inspection's audit tail, embedded as is.
	Audit json.RawMessage
	// NoPhotos leaves the photo appendix out (the hashes stay in the data).
	NoPhotos bool

	// payload, when set, replaces the embedded JSON: tests use it to build
	// a report whose data contradicts its pages.
	payload []byte
}

const (
	fontFamily = "wqy"
	pageW      = 210.0
	pageH      = 297.0
	margin     = 15.0
	contentW   = pageW - 2*margin
	footerH    = 12.0
	bodyBottom = pageH - margin - footerH
)

// Render draws the report of an inspection as an A4 PDF with the inspection's
// data embedded as inspection.json. The result is unsigned; see Sign.
func Render(in *inspect.Inspection, photos PhotoSource, opts RenderOptions) ([]byte, error) {
	if in == nil {
		return nil, fmt.Errorf("render: no inspection")
	}
	at := opts.GeneratedAt
	for _, t := range []time.Time{in.SignedAt, in.CompletedAt, in.ObservedAt} {
		if at.IsZero() {
			at = t
		}
	}
	score := in.Score()
	payloadJSON := opts.payload
	if payloadJSON == nil {
		var err error
		// Compact: jq pretty-prints it, and indentation costs ~1.5 KB
		// of every report even compressed.
		payloadJSON, err = json.Marshal(&Payload{
			Format: PayloadFormat, GeneratedAt: at, Inspection: in, Score: score, Audit: opts.Audit,
		})
		if err != nil {
			return nil, fmt.Errorf("render: encode data: %w", err)
		}
	}
	r := &renderer{in: in, score: score, photos: photos, opts: opts, at: at, fp: Fingerprint(payloadJSON)}
	return r.render(payloadJSON)
}

type renderer struct {
	pdf    *gofpdf.Fpdf
	in     *inspect.Inspection
	score  inspect.Score
	photos PhotoSource
	opts   RenderOptions
	at     time.Time
	fp     string
	imgSeq int
	// photos in appendix order and their numbers, for cross-references
	photoList []photoRef
	photoNum  map[string]int
}

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

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("2006年01月02日 15:04")
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("2006-01-02")
}

func fmtNum(f float64) string {
	return fmt.Sprintf("%g", math.Round(f*100)/100)
}

func (r *renderer) render(payloadJSON []byte) ([]byte, error) {
	in := r.in
	p := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	r.pdf = p
	p.SetCatalogSort(true)
	p.SetCreationDate(r.at)
	p.SetModificationDate(r.at)
	p.SetCompression(true)
	p.SetMargins(margin, margin, margin)
	p.SetAutoPageBreak(true, margin+footerH)
	p.AddUTF8FontFromBytes(fontFamily, "", assets.FontTTF())
	p.SetTitle(title(in)+" "+in.Unit.Name, true)
	p.SetSubject(fmt.Sprintf("%s %s %s", in.Unit.Name, fmtDate(in.ObservedAt), in.ID), true)
	p.SetAuthor(strings.Join(in.Inspectors, "、"), true)
	p.SetCreator("Mingcha", false)
	p.SetProducer("Mingcha", false)
	c := claims{ID: in.ID, Unit: in.Unit.Name, Score: fmtScore(r.score.Value), Fingerprint: r.fp}
	p.SetKeywords(c.keywords(), false)
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(r.footer)
	p.SetAttachments([]gofpdf.Attachment{{
		Content: payloadJSON, Filename: AttachmentName, Description: "检查数据 (inspection data, JSON)",
	}})

	r.photoList = r.listPhotos()
	r.photoNum = map[string]int{}
	for i, ref := range r.photoList {
		r.photoNum[ref.hash] = i + 1
	}

	p.AddPage()
	r.header()
	r.summary()
	r.items()
	r.attendance()
	r.problems()
	r.signatures()
	if !r.opts.NoPhotos {
		r.photoAppendix()
	}
	if err := p.Error(); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	return recompress(buf.Bytes()), nil
}

func (r *renderer) font(size float64) { r.pdf.SetFont(fontFamily, "", size) }

func (r *renderer) footer() {
	p := r.pdf
	p.SetY(-(margin + 6))
	p.SetDrawColor(160, 160, 160)
	p.Line(margin, p.GetY()-1, pageW-margin, p.GetY()-1)
	r.font(8)
	p.SetTextColor(90, 90, 90)
	p.CellFormat(contentW/3, 5, fmt.Sprintf("报告编号 %s", r.in.ID), "", 0, "L", false, 0, "")
	p.CellFormat(contentW/3, 5, fmt.Sprintf("第 %d / {nb} 页", p.PageNo()), "", 0, "C", false, 0, "")
	p.CellFormat(contentW/3, 5, fmt.Sprintf("数据指纹 %s", r.fp), "", 0, "R", false, 0, "")
	p.SetTextColor(0, 0, 0)
	p.SetDrawColor(0, 0, 0)
}

// heading starts a part of the report; next is the room what follows
// needs, so that the heading never stands alone at the foot of a page.
func (r *renderer) heading(text string, next float64) {
	p := r.pdf
	if !r.ensure(14 + next) {
		p.Ln(4)
	}
	r.font(13)
	p.SetFillColor(230, 236, 245)
	p.CellFormat(contentW, 8, text, "", 1, "L", true, 0, "")
	p.SetFillColor(0, 0, 0)
	p.Ln(2)
}

// ensure starts a new page unless h millimetres fit above the footer.
func (r *renderer) ensure(h float64) bool {
	if r.pdf.GetY()+h > bodyBottom {
		r.pdf.AddPage()
		return true
	}
	return false
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
		{"检查时间", fmtTime(in.ObservedAt)},
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
		r.pdf.MultiCell(contentW, 5, fmt.Sprintf("%s %s：应到 %d 人，实到 %d 人，缺岗 %d 人。", it.Code, it.Text, a.Expected, a.Present(), len(a.Absent)), "", "L", false)
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
	r.heading("四、检查人员签名", 26+12)
	r.font(10)
	boxW, boxH := 56.0, 26.0
	perRow := 3
	for i, name := range r.in.Inspectors {
		if i%perRow == 0 {
			if i > 0 {
				p.SetY(p.GetY() + boxH + 12)
			}
			r.ensure(boxH + 12)
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
		p.CellFormat(boxW, 4, when, "", 0, "C", false, 0, "")
		p.SetXY(margin, y)
	}
	p.SetY(p.GetY() + boxH + 12)
	r.font(8)
	p.SetTextColor(90, 90, 90)
	p.MultiCell(contentW, 4.5, fmt.Sprintf("本报告由明察系统生成于 %s，附有检查数据（inspection.json）并经数字签名；页脚的数据指纹是所附数据 SHA-256 的前 16 位，可用 mingcha verify 核验。", fmtTime(r.at)), "", "L", false)
	p.SetTextColor(0, 0, 0)
}

type photoRef struct {
	hash, code, text, note string
	at                     time.Time
	also                   []string // other items the same photo documents
}

// listPhotos lists each photo once, in the order of the items, then the
// free findings.
func (r *renderer) listPhotos() []photoRef {
	seen := map[string]int{}
	var out []photoRef
	add := func(ref photoRef) {
		if k, ok := seen[ref.hash]; ok {
			// One picture can document several items.
			out[k].also = append(out[k].also, ref.code)
			return
		}
		seen[ref.hash] = len(out)
		out = append(out, ref)
	}
	for _, it := range r.in.Template.Items() {
		a := r.in.Answers[it.Code]
		if a == nil {
			continue
		}
		for _, h := range a.Photos {
			add(photoRef{hash: h, code: it.Code, text: it.Text, note: a.Note, at: a.AnsweredAt})
		}
	}
	for i, f := range r.in.Findings {
		for _, h := range f.Photos {
			add(photoRef{hash: h, code: fmt.Sprintf("发现 %d", i+1), text: f.Text})
		}
	}
	return out
}

func (r *renderer) photoAppendix() {
	refs := r.photoList
	if len(refs) == 0 {
		return
	}
	p := r.pdf
	p.AddPage()
	r.font(14)
	p.CellFormat(contentW, 10, "附件：现场照片", "", 1, "L", false, 0, "")
	slotH := (bodyBottom - margin - 12) / 2
	for i, ref := range refs {
		if i > 0 && r.ensure(slotH) {
			p.SetY(margin)
		}
		y := p.GetY()
		imgH := slotH - 22
		data, err := r.photoBytes(ref.hash)
		img, ok := imageRef{}, false
		if err == nil {
			img, ok = r.register(data)
		}
		if ok {
			w, h := fit(img.w, img.h, contentW, imgH)
			x := margin + (contentW-w)/2
			p.ImageOptions(img.name, x, y, w, h, false, img.opts, 0, "")
			p.SetDrawColor(180, 180, 180)
			p.Rect(x, y, w, h, "D")
			p.SetDrawColor(0, 0, 0)
		} else {
			p.SetDrawColor(180, 180, 180)
			p.Rect(margin, y, contentW, imgH, "D")
			p.SetXY(margin, y+imgH/2-4)
			r.font(10)
			p.CellFormat(contentW, 8, "照片无法读取", "", 0, "C", false, 0, "")
			p.SetDrawColor(0, 0, 0)
		}
		p.SetXY(margin, y+imgH+2)
		r.font(9)
		for _, ln := range r.caption(i+1, ref) {
			p.CellFormat(contentW, 4.5, ln, "", 2, "C", false, 0, "")
		}
		r.font(7)
		p.SetTextColor(90, 90, 90)
		p.CellFormat(contentW, 4, "原图 SHA-256 "+ref.hash, "", 1, "C", false, 0, "")
		p.SetTextColor(0, 0, 0)
		p.SetY(y + slotH)
	}
}

// caption says what photo n shows: the item, the inspector's note and
// when it was recorded, in at most three lines at the current font.
func (r *renderer) caption(n int, ref photoRef) []string {
	first := fmt.Sprintf("照片 %d　%s %s", n, ref.code, ref.text)
	if len(ref.also) > 0 {
		first += "（另见 " + strings.Join(ref.also, "、") + "）"
	}
	lines := r.wrap(first, contentW)
	var more []string
	if strings.TrimSpace(ref.note) != "" {
		more = append(more, "现场说明："+strings.TrimSpace(ref.note))
	}
	if !ref.at.IsZero() {
		more = append(more, "记录时间："+fmtTime(ref.at))
	}
	if len(more) > 0 {
		lines = append(lines, r.wrap(strings.Join(more, "　"), contentW)...)
	}
	if len(lines) > 3 {
		last := []rune(lines[2])
		lines = append(lines[:2], string(last[:max(0, len(last)-1)])+"…")
	}
	return lines
}

func (r *renderer) photoBytes(hash string) ([]byte, error) {
	if r.photos == nil {
		return nil, fmt.Errorf("no photo source")
	}
	if rs, ok := r.photos.(ReportPhotoSource); ok {
		if b, err := rs.ReportPhotoBytes(hash); err == nil && len(b) > 0 {
			return b, nil
		}
	}
	return r.photos.PhotoBytes(hash)
}

type imageRef struct {
	name string
	opts gofpdf.ImageOptions
	w, h int
}

// register hands an image to gofpdf after checking it decodes, so that a
// damaged photo shows as a placeholder instead of failing the whole report
// (gofpdf's errors are sticky). PNGs gofpdf cannot embed (16-bit,
// interlaced) are re-encoded as 8-bit.
func (r *renderer) register(data []byte) (imageRef, bool) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return imageRef{}, false
	}
	var typ string
	switch format {
	case "jpeg":
		typ = "JPG"
	case "png":
		typ = "PNG"
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return imageRef{}, false
		}
		hidden := inkUnderTransparency(img)
		if hidden != nil || len(data) > 28 && (data[24] > 8 || data[28] != 0) {
			nrgba := hidden
			if nrgba == nil {
				nrgba = image.NewNRGBA(img.Bounds())
				draw.Draw(nrgba, nrgba.Bounds(), img, img.Bounds().Min, draw.Src)
			}
			var buf bytes.Buffer
			if err := png.Encode(&buf, nrgba); err != nil {
				return imageRef{}, false
			}
			data = buf.Bytes()
		}
	case "gif":
		typ = "GIF"
	default:
		return imageRef{}, false
	}
	// gofpdf copies a JPEG's bytes as they are, so a full decode (70% of
	// the export time with 20 photos) would only guard against damage the
	// viewer shows anyway; a cut-off file is caught by its structure. PNG
	// and GIF are re-encoded by gofpdf, which fails on bad data.
	if typ == "JPG" {
		if !jpegComplete(data) {
			return imageRef{}, false
		}
	} else if typ == "GIF" {
		if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
			return imageRef{}, false
		}
	}
	r.imgSeq++
	ref := imageRef{name: fmt.Sprintf("img%d", r.imgSeq), opts: gofpdf.ImageOptions{ImageType: typ}, w: cfg.Width, h: cfg.Height}
	info := r.pdf.RegisterImageOptionsReader(ref.name, ref.opts, bytes.NewReader(data))
	if info == nil || r.pdf.Err() {
		return imageRef{}, false
	}
	return ref, true
}

// inkUnderTransparency returns a drawn signature (ink on a transparent
// pad) with the colour of its invisible pixels set to the ink's, or nil for
// an image without fully transparent pixels. gofpdf stores colour and
// alpha apart; a colour plane of one ink compresses to almost nothing,
// about 1 KB less per signature, and looks the same.
func inkUnderTransparency(img image.Image) *image.NRGBA {
	b := img.Bounds()
	if b.Dx()*b.Dy() > 4<<20 {
		return nil // a photo, not a signature
	}
	n := image.NewNRGBA(b)
	draw.Draw(n, b, img, b.Min, draw.Src)
	var r, g, bl, w, clear int
	for i := 0; i+3 < len(n.Pix); i += 4 {
		a := int(n.Pix[i+3])
		if a == 0 {
			clear++
			continue
		}
		r, g, bl, w = r+int(n.Pix[i])*a, g+int(n.Pix[i+1])*a, bl+int(n.Pix[i+2])*a, w+a
	}
	if clear == 0 || w == 0 {
		return nil
	}
	ink := [3]uint8{uint8(r / w), uint8(g / w), uint8(bl / w)}
	for i := 0; i+3 < len(n.Pix); i += 4 {
		if n.Pix[i+3] == 0 {
			n.Pix[i], n.Pix[i+1], n.Pix[i+2] = ink[0], ink[1], ink[2]
		}
	}
	return n
}

// jpegComplete walks a JPEG's marker segments to the first scan and
// requires an end-of-image marker after it: entropy-coded data cannot
// contain FF D9, so a file cut short lacks it.
func jpegComplete(data []byte) bool {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return false
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return false
		}
		marker := data[i+1]
		switch {
		case marker == 0xFF: // fill byte
			i++
			continue
		case marker == 0xD8 || marker == 0x01 || marker >= 0xD0 && marker <= 0xD7:
			i += 2
			continue
		case marker == 0xD9:
			return false // ends before any scan
		}
		size := int(data[i+2])<<8 | int(data[i+3])
		if size < 2 || i+2+size > len(data) {
			return false
		}
		if marker == 0xDA {
			return bytes.LastIndex(data[i+2+size:], []byte{0xFF, 0xD9}) >= 0
		}
		i += 2 + size
	}
	return false
}

func fit(w, h int, maxW, maxH float64) (float64, float64) {
	s := math.Min(maxW/float64(w), maxH/float64(h))
	return float64(w) * s, float64(h) * s
}

type rowStyle struct {
	header     bool
	labelFirst bool
	redCols    map[int]bool
	repeat     func() // redraws the table header after a page break
}

const lineH = 4.6

// tableRow draws one row of bordered cells whose text wraps within each
// cell; a row that does not fit goes to the next page, after the header.
func (r *renderer) tableRow(cols []float64, cells []string, st rowStyle) {
	p := r.pdf
	lines := r.cellLines(cols, cells)
	n := 1
	for _, l := range lines {
		n = max(n, len(l))
	}
	h := float64(n)*lineH + 2.4
	if p.GetY()+h > bodyBottom {
		p.AddPage()
		if st.repeat != nil {
			st.repeat()
		}
	}
	// Colours are set only when they change: every operator is repeated
	// on each of hundreds of cells. A black fill colour lets gofpdf write
	// black text without wrapping it in q … Q.
	x, y := margin, p.GetY()
	p.SetDrawColor(150, 150, 150)
	for i, w := range cols {
		if st.header || (st.labelFirst && i == 0) {
			p.SetFillColor(238, 238, 238)
			p.Rect(x, y, w, h, "FD")
			p.SetFillColor(0, 0, 0)
		} else {
			p.Rect(x, y, w, h, "D")
		}
		if st.redCols[i] {
			p.SetTextColor(190, 0, 0)
		}
		align := "L"
		if st.header {
			align = "C"
		}
		for k, ln := range lines[i] {
			if ln == "" {
				continue
			}
			p.SetXY(x+0.2, y+1.2+float64(k)*lineH)
			p.CellFormat(w-0.4, lineH, ln, "", 0, align, false, 0, "")
		}
		if st.redCols[i] {
			p.SetTextColor(0, 0, 0)
		}
		x += w
	}
	p.SetDrawColor(0, 0, 0)
	p.SetXY(margin, y+h)
}

func (r *renderer) cellLines(cols []float64, cells []string) [][]string {
	lines := make([][]string, len(cols))
	for i, w := range cols {
		lines[i] = r.wrap(cells[i], w-2.4)
	}
	return lines
}

// rowHeight is the height tableRow gives a row at the current font.
func (r *renderer) rowHeight(cols []float64, cells []string) float64 {
	n := 1
	for _, l := range r.cellLines(cols, cells) {
		n = max(n, len(l))
	}
	return float64(n)*lineH + 2.4
}

// wrap breaks text into lines no wider than w at the current font. Chinese
// text breaks between any two characters, Latin words at spaces when they
// can; closing marks never begin a line and opening marks never end one
// (避头尾): the character before moves down with them rather than letting
// the mark stick out of the cell.
func (r *renderer) wrap(text string, w float64) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		runes := []rune(para)
		if len(runes) == 0 {
			out = append(out, "")
			continue
		}
		for len(runes) > 0 {
			n := r.fit(runes, w)
			if n < len(runes) {
				n = breakAt(runes, n)
			}
			out = append(out, strings.TrimRight(string(runes[:n]), " "))
			runes = runes[n:]
			for len(runes) > 0 && runes[0] == ' ' {
				runes = runes[1:]
			}
		}
	}
	return out
}

// fit is how many runes from the start fit in w (at least one).
func (r *renderer) fit(runes []rune, w float64) int {
	width := 0.0
	for i, c := range runes {
		width += r.pdf.GetStringWidth(string(c))
		if width > w && i > 0 {
			return i
		}
	}
	return len(runes)
}

// breakAt moves a line break at n (runes[n] is the first that does not
// fit) back to where a reader expects it; it never returns less than 1.
func breakAt(runes []rune, n int) int {
	k := n
	if isWordRune(runes[k]) && isWordRune(runes[k-1]) {
		for j := k - 1; j > 0; j-- {
			if runes[j] == ' ' {
				k = j + 1
				break
			}
			if !isWordRune(runes[j]) {
				k = j + 1
				break
			}
		}
	}
	// 避头: pull characters down until the next line starts with no
	// closing mark; 避尾: an opening mark goes down with what it opens. A
	// run of marks too long for that keeps the plain break.
	for j := k; j > 1 && k-j < 4; j-- {
		if !strings.ContainsRune(noLineStart, runes[j]) && !strings.ContainsRune(noLineEnd, runes[j-1]) {
			return j
		}
	}
	return k
}

// isWordRune is a letter or digit of a Latin word, which is not split.
func isWordRune(c rune) bool {
	return c < 0x2E80 && c != ' ' && !strings.ContainsRune(noLineStart+noLineEnd, c) && c != '-' && c != '/'
}

// noLineStart are the marks that must not begin a line, noLineEnd those
// that must not end one.
const (
	noLineStart = "，。、；：？！）」』”’》〉】,.;:?!)%"
	noLineEnd   = "（「『“‘《〈【("
)
