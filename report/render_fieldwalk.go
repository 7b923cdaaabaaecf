package report

import (
	"fmt"
	"strings"
	"time"

	"mingcha/inspect"
)

// PhotoTimeSource is optionally implemented by a PhotoSource that knows
// when each photo was taken (EXIF); store.Store does. The capture time is
// printed in the photo's caption, flagged when outside the visit.
type PhotoTimeSource interface {
	PhotoTakenAt(hash string) time.Time
}

// visitTime is the 检查时间 row: the observed start and, once completed,
// the end.
func visitTime(in *inspect.Inspection) string {
	if in.EndedAt.IsZero() {
		return fmtTime(in.ObservedAt)
	}
	end := in.EndedAt.In(in.ObservedAt.Location())
	if fmtDate(end) == fmtDate(in.ObservedAt) {
		return fmtTime(in.ObservedAt) + " 至 " + end.Format("15:04")
	}
	return fmtTime(in.ObservedAt) + " 至 " + fmtTime(end)
}

// markNames are the stopwatch's readings as printed.
var markNames = map[inspect.Mark]string{
	inspect.MarkTake: "取号", inspect.MarkCall: "叫号", inspect.MarkDone: "办结", inspect.MarkAttempt: "拨打",
}

// answerTimes is the remark line of an answer's times: the stopwatch's
// readings and when the answer was recorded, in the visit's time zone.
func answerTimes(it *inspect.Item, a *inspect.Answer, loc *time.Location) string {
	var parts []string
	for _, m := range a.Times {
		parts = append(parts, markNames[m.Mark]+" "+m.At.In(loc).Format("15:04:05"))
	}
	if it.Timer == inspect.TimerQueue && len(a.Times) >= 2 {
		parts = append(parts, "等候 "+fmtNum(inspect.WaitMinutes(a.Times))+" 分钟")
	}
	if !a.AnsweredAt.IsZero() {
		parts = append(parts, "记录 "+a.AnsweredAt.In(loc).Format("15:04"))
	}
	return strings.Join(parts, "　")
}

// takenLine is a photo caption's capture time, flagged outside the visit.
func (r *renderer) takenLine(hash string) string {
	src, ok := r.photos.(PhotoTimeSource)
	if !ok {
		return ""
	}
	at := src.PhotoTakenAt(hash)
	if at.IsZero() {
		return "拍摄时间：无（照片未记录）"
	}
	line := "拍摄时间：" + fmtTime(at.In(r.in.ObservedAt.Location()))
	if r.in.CapturedOutsideVisit(at) {
		line += "（不在检查时段内）"
	}
	return line
}

// receiptBoxH is the height of the box of the representative's drawn
// signature, in millimetres.
const receiptBoxH = 26.0

// receipt is the unit representative's 签收 of a 明查: name, post, their
// drawn signature and 无异议 / 有异议 with the objection, printed inside the
// signed pages. The heading, the rows and the drawing go on one page (the
// drawing used to follow its table onto a page of its own).
func (r *renderer) receipt() {
	in := r.in
	if in.Mode != inspect.ModeOpen {
		return
	}
	p := r.pdf
	rc := in.Receipt
	cols := []float64{30, contentW - 30}
	if rc == nil {
		r.heading("五、被检查单位签收", 40)
		r.font(10)
		r.tableRow(cols, []string{"签收", "未签收"}, rowStyle{labelFirst: true})
		return
	}
	opinion := "无异议"
	if rc.Objection {
		opinion = "有异议：" + rc.Text
	}
	rows := [][2]string{
		{"签收人", rc.Name},
		{"职务", orDash(rc.Post)},
		{"意见", opinion},
		{"签收时间", fmtTime(rc.SignedAt)},
	}
	r.font(10)
	block := receiptBoxH + 8 // the drawing and its caption
	for _, row := range rows {
		block += r.rowHeight(cols, row[:])
	}
	r.heading("五、被检查单位签收", min(block, bodyBottom-margin-14))
	r.font(10)
	for _, row := range rows {
		r.tableRow(cols, []string{row[0], row[1]}, rowStyle{labelFirst: true, redCols: map[int]bool{1: row[0] == "意见" && rc.Objection}})
	}
	boxW, boxH := 56.0, receiptBoxH
	r.ensure(boxH + 8)
	x, y := margin, p.GetY()+2
	p.SetDrawColor(180, 180, 180)
	p.Rect(x, y, boxW, boxH, "D")
	p.SetDrawColor(0, 0, 0)
	if len(rc.PNG) > 0 {
		if img, ok := r.register(rc.PNG); ok {
			w, h := fit(img.w, img.h, boxW-4, boxH-4)
			p.ImageOptions(img.name, x+(boxW-w)/2, y+(boxH-h)/2, w, h, false, img.opts, 0, "")
		}
	}
	p.SetXY(x, y+boxH+1)
	r.font(9)
	p.CellFormat(boxW, 5, fmt.Sprintf("签收人：%s", rc.Name), "", 1, "C", false, 0, "")
	p.Ln(2)
}

// offRosterPresent names the people not on the roster found at their post
// (名册外在岗), who count in 应到 and 实到.
func offRosterPresent(a *inspect.Answer) string {
	if len(a.OffRoster) == 0 {
		return ""
	}
	names := make([]string, len(a.OffRoster))
	for i, p := range a.OffRoster {
		names[i] = p.Name
		if p.Post != "" {
			names[i] += "（" + p.Post + "）"
		}
	}
	return "名册外在岗：" + strings.Join(names, "、") + "。"
}
