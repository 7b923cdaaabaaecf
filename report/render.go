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
		payloadJSON, err = json.MarshalIndent(&Payload{
			Format: PayloadFormat, GeneratedAt: at, Inspection: in, Score: score, Audit: opts.Audit,
		}, "", "  ")
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
}

func title(in *inspect.Inspection) string {
	if in.Mode == inspect.ModeCovert {
		return "明查暗访检查报告"
	}
	return "明查检查报告"
}

func modeText(m inspect.Mode) string {
	switch m {
	case inspect.ModeCovert:
		return "暗访"
	case inspect.ModeOpen:
		return "明查"
	}
	return string(m)
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
	return buf.Bytes(), nil
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

func (r *renderer) heading(text string) {
	p := r.pdf
	r.ensure(20)
	p.Ln(4)
	r.font(13)
	p.SetFillColor(230, 236, 245)
	p.CellFormat(contentW, 8, text, "", 1, "L", true, 0, "")
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
		{"检查方式", modeText(in.Mode)},
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

func (r *renderer) items() {
	p := r.pdf
	r.heading("一、检查明细")
	r.itemHeader()
	for _, sec := range r.in.Template.Sections {
		r.font(9)
		if r.ensure(14) {
			r.itemHeader()
		}
		r.font(10)
		p.SetFillColor(245, 245, 245)
		p.CellFormat(contentW, 7, sec.Title, "1", 1, "L", true, 0, "")
		r.font(9)
		for i := range sec.Items {
			it := &sec.Items[i]
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
				if n := len(a.Photos); n > 0 {
					note = append(note, fmt.Sprintf("照片 %d 张，见附件", n))
				}
			}
			r.tableRow(itemCols, []string{it.Code, it.Text, res, ded, strings.Join(note, "\n")},
				rowStyle{redCols: map[int]bool{2: bad, 3: o.Deduction > 0 || o.Veto}, repeat: r.itemHeader})
		}
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
	r.heading("二、考勤情况")
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
	r.heading("三、问题清单及整改要求")
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
			code = "自由发现"
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
	r.heading("四、检查人员签名")
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
	p.MultiCell(contentW, 4.5, fmt.Sprintf("本报告由明查系统生成于 %s，附有检查数据（inspection.json）并经数字签名；页脚的数据指纹是所附数据 SHA-256 的前 16 位，可用 mingcha verify 核验。", fmtTime(r.at)), "", "L", false)
	p.SetTextColor(0, 0, 0)
}

type photoRef struct {
	hash, code, text string
	at               time.Time
}

func (r *renderer) photoList() []photoRef {
	seen := map[string]bool{}
	var out []photoRef
	for _, it := range r.in.Template.Items() {
		a := r.in.Answers[it.Code]
		if a == nil {
			continue
		}
		for _, h := range a.Photos {
			if !seen[h] {
				seen[h] = true
				out = append(out, photoRef{h, it.Code, it.Text, a.AnsweredAt})
			}
		}
	}
	for _, f := range r.in.Findings {
		for _, h := range f.Photos {
			if !seen[h] {
				seen[h] = true
				out = append(out, photoRef{h, "自由发现", f.Text, time.Time{}})
			}
		}
	}
	return out
}

func (r *renderer) photoAppendix() {
	refs := r.photoList()
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
			p.ImageOptions(img.name, margin+(contentW-w)/2, y, w, h, false, img.opts, 0, "")
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
		caption := fmt.Sprintf("照片 %d　%s %s", i+1, ref.code, ref.text)
		if !ref.at.IsZero() {
			caption += "　" + fmtTime(ref.at)
		}
		p.MultiCell(contentW, 4.5, caption, "", "L", false)
		r.font(7)
		p.SetTextColor(90, 90, 90)
		p.CellFormat(contentW, 4, "原图 SHA-256 "+ref.hash, "", 1, "L", false, 0, "")
		p.SetTextColor(0, 0, 0)
		p.SetY(y + slotH)
	}
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
		if len(data) > 28 && (data[24] > 8 || data[28] != 0) {
			img, _, err := image.Decode(bytes.NewReader(data))
			if err != nil {
				return imageRef{}, false
			}
			rgba := image.NewNRGBA(img.Bounds())
			draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
			var buf bytes.Buffer
			if err := png.Encode(&buf, rgba); err != nil {
				return imageRef{}, false
			}
			data = buf.Bytes()
		}
	case "gif":
		typ = "GIF"
	default:
		return imageRef{}, false
	}
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return imageRef{}, false
	}
	r.imgSeq++
	ref := imageRef{name: fmt.Sprintf("img%d", r.imgSeq), opts: gofpdf.ImageOptions{ImageType: typ}, w: cfg.Width, h: cfg.Height}
	info := r.pdf.RegisterImageOptionsReader(ref.name, ref.opts, bytes.NewReader(data))
	if info == nil || r.pdf.Err() {
		return imageRef{}, false
	}
	return ref, true
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
	lines := make([][]string, len(cols))
	n := 1
	for i, w := range cols {
		lines[i] = r.wrap(cells[i], w-2.4)
		n = max(n, len(lines[i]))
	}
	h := float64(n)*lineH + 2.4
	if p.GetY()+h > bodyBottom {
		p.AddPage()
		if st.repeat != nil {
			st.repeat()
		}
	}
	x, y := margin, p.GetY()
	for i, w := range cols {
		fill := "D"
		if st.header || (st.labelFirst && i == 0) {
			p.SetFillColor(238, 238, 238)
			fill = "FD"
		}
		p.SetDrawColor(150, 150, 150)
		p.Rect(x, y, w, h, fill)
		if st.redCols[i] {
			p.SetTextColor(190, 0, 0)
		}
		align := "L"
		if st.header {
			align = "C"
		}
		for k, ln := range lines[i] {
			p.SetXY(x+0.2, y+1.2+float64(k)*lineH)
			p.CellFormat(w-0.4, lineH, ln, "", 0, align, false, 0, "")
		}
		p.SetTextColor(0, 0, 0)
		x += w
	}
	p.SetDrawColor(0, 0, 0)
	p.SetXY(margin, y+h)
}

// wrap breaks text into lines no wider than w at the current font: Chinese
// text breaks between any two characters, Latin text at spaces when it can.
func (r *renderer) wrap(text string, w float64) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		runes := []rune(para)
		start, lastSpace := 0, -1
		width := 0.0
		for i := 0; i < len(runes); i++ {
			c := runes[i]
			cw := r.pdf.GetStringWidth(string(c))
			if c == ' ' {
				lastSpace = i
			}
			if width+cw > w && i > start {
				cut := i
				if strings.ContainsRune(noLineStart, c) {
					// 避头: closing punctuation stays on the line it closes.
					cut = i + 1
				} else if lastSpace > start && c != ' ' && isLatin(c) {
					cut = lastSpace + 1
				}
				if cut > i {
					out = append(out, string(runes[start:cut]))
					start, lastSpace, width = cut, -1, 0
					continue
				}
				out = append(out, strings.TrimRight(string(runes[start:cut]), " "))
				start = cut
				lastSpace = -1
				width = r.pdf.GetStringWidth(string(runes[start : i+1]))
				continue
			}
			width += cw
		}
		out = append(out, string(runes[start:]))
	}
	return out
}

func isLatin(c rune) bool { return c < 0x2E80 }

// noLineStart are the marks that must not begin a line.
const noLineStart = "，。、；：？！）」』”’》〉】,.;:?!)"
