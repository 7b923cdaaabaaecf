package report

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"
	"gonum.org/v1/plot/vg"

	"mingcha/chart"
	"mingcha/inspect"
)

// The 通报: the 效能办's published account of a round of 明查暗访, in the
// usual form of an official circular — 总体情况, 主要问题, 排名, 整改要求 —
// with the office's own opening and closing words. The overview it is
// written from is embedded as bulletin.json; the caller signs the PDF with
// the office key (Sign).

// BulletinAttachment is the file name of the embedded overview.
const BulletinAttachment = "bulletin.json"

// Bulletin is what a 通报 says.
type Bulletin struct {
	Office   string            // 发文单位, e.g. 区机关效能建设办公室
	Number   string            // 文号, e.g. 效能通〔2026〕5号 (optional)
	Title    string            // default: 关于<period>机关服务效能明查暗访情况的通报
	Date     time.Time         // 成文日期; also the PDF's fixed dates
	Intro    string            // opening paragraph(s); default a standard one
	Closing  string            // closing paragraph(s); default a standard one
	Deadline time.Time         // units report their 整改 back by then; default 15 working days after Date
	Overview *inspect.Overview // the period (with Previous for the comparison)

	Recipients string       // 主送机关; default 各有关单位
	CC         string       // 抄送 (optional)
	Printer    string       // 印发机关; default Office
	PrintDate  time.Time    // 印发日期; default Date
	Proof      bool         // an unsigned proof: "校样" on every page
	Fonts      GongwenFonts // the office's 公文 fonts; missing faces are the bundled ones
	// Trend, when set, is drawn in the 附件 beside the ranking and the
	// categories (the last 12 months, inspect.Trend).
	Trend []inspect.TrendPoint
	// Edited, when set, replaces the generated 正文 paragraph by paragraph:
	// the draft the office edited (BulletinDocument gives the generated one).
	Edited []Para
}

// RenderBulletin lays the 通报 out as a 公文 (RenderGongwen) with the
// overview embedded as bulletin.json. The result is unsigned.
func RenderBulletin(b *Bulletin) ([]byte, error) {
	if b == nil || b.Overview == nil {
		return nil, fmt.Errorf("bulletin: no overview")
	}
	if b.Date.IsZero() {
		return nil, fmt.Errorf("bulletin: no date")
	}
	data, err := json.MarshalIndent(b.Overview, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("bulletin: encode overview: %w", err)
	}
	g, err := BulletinDocument(b)
	if err != nil {
		return nil, err
	}
	return RenderGongwen(g, b.Fonts, []gofpdf.Attachment{{Content: data, Filename: BulletinAttachment, Description: "通报数据 (overview, JSON)"}})
}

// BulletinDocument is the 通报 as a 公文: 版头, 主送, the 正文 (总体情况 with
// the severe findings, 主要问题 by category, 排名, 整改要求), 落款, the ranking
// and the charts as 附件, 版记.
func BulletinDocument(b *Bulletin) (*Gongwen, error) {
	if b == nil || b.Overview == nil {
		return nil, fmt.Errorf("bulletin: no overview")
	}
	w := &bulletinWriter{b: b, o: b.Overview}
	title := strings.TrimSpace(b.Title)
	if title == "" {
		title = BulletinTitle(w.o)
	}
	office := strings.TrimSpace(b.Office)
	issuer := office
	if issuer != "" && !strings.HasSuffix(issuer, "文件") {
		issuer += "文件"
	}
	g := &Gongwen{
		Issuer: issuer, Number: strings.TrimSpace(b.Number), Title: title,
		Recipients: firstText(b.Recipients, "各有关单位"), Signer: office, Date: b.Date,
		CC: strings.TrimSpace(b.CC), Printer: firstText(b.Printer, office), PrintDate: b.PrintDate, Proof: b.Proof,
	}
	if g.PrintDate.IsZero() {
		g.PrintDate = b.Date
	}
	if len(b.Edited) > 0 {
		g.Body = append([]Para(nil), b.Edited...)
	} else {
		g.Body = w.body()
	}
	annex, err := w.rankingAnnex()
	if err != nil {
		return nil, err
	}
	if annex != nil {
		g.Annexes = append(g.Annexes, *annex)
	}
	return g, nil
}

type bulletinWriter struct {
	b *Bulletin
	o *inspect.Overview
}

func lines(level Level, text string) []Para {
	var out []Para
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, Para{Level: level, Text: l})
		}
	}
	return out
}

func (w *bulletinWriter) body() []Para {
	b := w.b
	var out []Para
	out = append(out, lines(LevelBody, firstText(b.Intro, w.defaultIntro()))...)
	out = append(out, Para{Level: LevelHeading1, Text: "一、总体情况"})
	out = append(out, lines(LevelBody, GeneralText(w.o))...)
	out = append(out, Para{Level: LevelHeading1, Text: "二、主要问题"})
	out = append(out, w.problems()...)
	out = append(out, Para{Level: LevelHeading1, Text: "三、排名情况"})
	if len(w.o.Ranking) == 0 {
		out = append(out, Para{Text: "本期无检查结果。"})
	} else {
		out = append(out, Para{Text: fmt.Sprintf("按各单位本期最近一次检查得分排序（本期有一票否决的单位按否决所在检查评定，列于最后），共%d家，详见附件。", len(w.o.Ranking))})
	}
	out = append(out, Para{Level: LevelHeading1, Text: "四、整改要求"})
	out = append(out, lines(LevelBody, w.requirements())...)
	if closing := firstText(b.Closing, defaultClosing); closing != "" {
		out = append(out, lines(LevelBody, closing)...)
	}
	return out
}

// BulletinTitle is the default title for the overview's period.
func BulletinTitle(o *inspect.Overview) string {
	return "关于" + periodText(o.Filter.From, o.Filter.To) + "机关服务效能明查暗访情况的通报"
}

func cnDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// periodText names a period: a month (2026年5月), a quarter
// (2026年第二季度), a year, or from–to dates. To is exclusive.
func periodText(from, to time.Time) string {
	if from.IsZero() || to.IsZero() {
		return ""
	}
	last := to.Add(-time.Nanosecond)
	if isFirstOfMonth(from) && isFirstOfMonth(to) {
		months := (to.Year()-from.Year())*12 + int(to.Month()-from.Month())
		switch {
		case months == 1:
			return fmt.Sprintf("%d年%d月", from.Year(), int(from.Month()))
		case months == 3 && (from.Month()-1)%3 == 0:
			return fmt.Sprintf("%d年第%s季度", from.Year(), chineseNumber(int(from.Month()-1)/3+1))
		case months == 12 && from.Month() == 1:
			return fmt.Sprintf("%d年", from.Year())
		}
	}
	return cnDate(from) + "至" + cnDate(last)
}

func isFirstOfMonth(t time.Time) bool {
	return t.Day() == 1 && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0
}

func bNum(f float64) string {
	s := fmt.Sprintf("%.2f", math.Round(f*100)/100)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

func firstText(s, def string) string {
	if strings.TrimSpace(s) != "" {
		return strings.TrimSpace(s)
	}
	return def
}

func (w *bulletinWriter) defaultIntro() string {
	office := firstText(w.b.Office, "我办")
	return fmt.Sprintf("为进一步加强机关作风建设，提升服务效能，%s组织对%s进行了明查暗访。现将有关情况通报如下：",
		office, w.scopeText())
}

func (w *bulletinWriter) scopeText() string {
	f := w.o.Filter
	var parts []string
	if f.Department != "" {
		parts = append(parts, f.Department+"所属")
	} else {
		parts = append(parts, "全区")
	}
	switch f.Kind {
	case inspect.UnitOffice:
		parts = append(parts, "机关科室")
	case inspect.UnitWindow:
		parts = append(parts, "服务窗口")
	case inspect.UnitServiceCenter:
		parts = append(parts, "行政服务中心")
	default:
		parts = append(parts, "机关单位和服务窗口")
	}
	return strings.Join(parts, "")
}

const defaultClosing = "各单位要以此次通报为契机，举一反三，对照检查，切实转变工作作风，提升服务质量。效能办将持续开展明查暗访，对问题突出、整改不力的单位和个人，依规依纪严肃处理。"

// GeneralText is the 通报's 总体情况: what was done, the scores and ratings,
// every 一票否决 and 五个严禁-kind finding by unit, date and what was found,
// the judgement that follows from them, and the comparison with the
// previous period when that is a fair one (inspect.Comparable).
func GeneralText(o *inspect.Overview) string {
	t := o.Totals
	var sb strings.Builder
	period := periodText(o.Filter.From, o.Filter.To)
	if period != "" {
		period += "，"
	}
	fmt.Fprintf(&sb, "%s采取明查与暗访相结合的方式（明查%d次，暗访%d次），对%d家单位开展检查%d次。",
		period, t.Open, t.Covert, t.Units, t.Inspections)
	if t.Units > 0 {
		fmt.Fprintf(&sb, "各单位平均得分%s分", bNum(t.Average))
		sb.WriteString(ratingsText(o))
		sb.WriteString("。")
	}
	fmt.Fprintf(&sb, "共发现问题%d处", t.Problems)
	if t.Repeats > 0 {
		fmt.Fprintf(&sb, "，其中重复问题%d处", t.Repeats)
	}
	sb.WriteString("。")
	if s := severeText(o); s != "" {
		sb.WriteString("\n" + s)
	}
	sb.WriteString(judgement(o))
	if p := o.Previous; p != nil && p.Inspections > 0 {
		prev := "上一轮"
		if o.PrevFilter != nil {
			prev += "（" + periodText(o.PrevFilter.From, o.PrevFilter.To) + "）"
		}
		if inspect.Comparable(t, *p) {
			fmt.Fprintf(&sb, "\n与%s相比，检查%d次（上轮%d次），平均得分%s，发现问题%s。",
				prev, t.Inspections, p.Inspections, change(t.Average-p.Average, "分"), changeInt(t.Problems-p.Problems, "处"))
		} else {
			fmt.Fprintf(&sb, "\n%s仅检查%d次，与本次检查数量差距较大，不作比较。", prev, p.Inspections)
		}
	} else if o.PrevFilter != nil {
		sb.WriteString("\n上一轮无检查数据，本次不作比较。")
	}
	return sb.String()
}

// ratingsText lists the ratings that units earned ("，其中优秀3家、良好2家"),
// never a band with no unit ("合格0家"); a period without a unit in the
// lowest band says so.
func ratingsText(o *inspect.Overview) string {
	var rs []string
	for _, r := range o.Ratings {
		if r.Units > 0 {
			rs = append(rs, fmt.Sprintf("%s%d家", r.Rating, r.Units))
		}
	}
	out := ""
	if len(rs) > 0 {
		out = "，其中" + strings.Join(rs, "、")
	}
	if o.Totals.Vetoes > 0 {
		out += fmt.Sprintf("（一票否决%d家）", o.Totals.Vetoes)
	}
	if n := len(o.Ratings); n > 1 && o.Ratings[n-1].Units == 0 {
		out += "，无" + o.Ratings[n-1].Rating + "单位"
	}
	return out
}

// severeText names each 一票否决 and 五个严禁-kind finding of the period.
func severeText(o *inspect.Overview) string {
	var veto, other []string
	for _, f := range o.Severe {
		line := fmt.Sprintf("%s（%d月%d日，%s）", f.UnitName, int(f.ObservedAt.Month()), f.ObservedAt.Day(), strings.TrimRight(f.What, "。；;"))
		if f.Veto {
			veto = append(veto, line)
		} else {
			other = append(other, line)
		}
	}
	var sb strings.Builder
	if len(veto) > 0 {
		fmt.Fprintf(&sb, "检查中发现一票否决问题%d处：%s，相关单位本期评定为%s。", len(veto), strings.Join(veto, "；"), lowestRating(o))
	}
	if len(other) > 0 {
		fmt.Fprintf(&sb, "发现违反工作纪律问题%d处：%s。", len(other), strings.Join(other, "；"))
	}
	return sb.String()
}

func lowestRating(o *inspect.Overview) string {
	if n := len(o.Ratings); n > 0 {
		return o.Ratings[n-1].Rating
	}
	return "不合格"
}

// judgement is the overall sentence: by the average, the share of units
// rated in the lowest band and the severe findings. A period with a 一票否决
// is never "总体良好" (docs/office.md).
func judgement(o *inspect.Overview) string {
	t := o.Totals
	if t.Units == 0 {
		return ""
	}
	low := 0
	if n := len(o.Ratings); n > 0 {
		low = o.Ratings[n-1].Units
	}
	share := float64(low) / float64(t.Units)
	severe := len(o.Severe) > 0
	switch {
	case t.Vetoes > 0 && t.Average >= 80 && share <= 0.1:
		return "从检查情况看，大部分单位作风总体较好，但个别单位存在严重违反工作纪律的问题，性质恶劣，必须严肃处理。"
	case t.Vetoes > 0:
		return "从检查情况看，部分单位作风纪律松弛、服务不规范等问题较为突出，个别单位存在严重违反工作纪律的问题，必须严肃处理。"
	case t.Average >= 90 && share == 0 && !severe:
		return "从检查情况看，各单位作风总体良好，服务规范有序。"
	case t.Average >= 80 && share <= 0.1:
		return "从检查情况看，大部分单位作风总体较好，但仍有部分单位存在作风纪律不严、服务不规范等问题。"
	default:
		return "从检查情况看，部分单位作风纪律松弛、服务不规范等问题较为突出，需切实加以整改。"
	}
}

func change(d float64, unit string) string {
	switch {
	case math.Abs(d) < 0.005:
		return "持平"
	case d > 0:
		return "上升" + bNum(d) + unit
	}
	return "下降" + bNum(-d) + unit
}

func changeInt(d int, unit string) string {
	switch {
	case d == 0:
		return "持平"
	case d > 0:
		return fmt.Sprintf("增加%d%s", d, unit)
	}
	return fmt.Sprintf("减少%d%s", -d, unit)
}

// problems is 主要问题: per category a 二级标题 ("（一）11家单位存在胸牌问题")
// and a paragraph with the count, the problem wordings (主要表现为) and the
// units named; then the units with 重复问题.
func (w *bulletinWriter) problems() []Para {
	o := w.o
	if len(o.Categories) == 0 {
		return []Para{{Text: "本次检查未发现问题。"}}
	}
	var out []Para
	for i, c := range o.Categories {
		out = append(out, Para{Level: LevelHeading2, Text: fmt.Sprintf("（%s）%s", chineseNumber(i+1), inspect.CategoryHeadline(c))})
		var sb strings.Builder
		fmt.Fprintf(&sb, "共%d处", c.Problems)
		if c.Repeats > 0 {
			fmt.Fprintf(&sb, "，其中重复问题%d处", c.Repeats)
		}
		sb.WriteString("。")
		var items []string
		for _, it := range c.Items {
			items = append(items, fmt.Sprintf("%s（%d处）", strings.TrimRight(it.Text, "。；;"), it.Problems))
		}
		if len(items) > 0 {
			sb.WriteString("主要表现为：" + strings.Join(items, "；") + "。")
		}
		var units []string
		for _, u := range c.Named {
			name := u.UnitName
			if u.Problems > 1 {
				name += fmt.Sprintf("（%d处）", u.Problems)
			}
			if len(u.People) > 0 {
				name += "（涉及人员：" + strings.Join(u.People, "、") + "）"
			}
			units = append(units, name)
		}
		sb.WriteString("涉及单位：" + strings.Join(units, "、") + "。")
		out = append(out, Para{Text: sb.String()})
	}
	if len(o.Repeats) > 0 {
		byUnit := map[string]int{}
		names := map[string]string{}
		for _, r := range o.Results {
			names[r.UnitID] = r.UnitName
		}
		for _, p := range o.Repeats {
			byUnit[p.UnitID]++
		}
		var list []string
		for id, n := range byUnit {
			list = append(list, fmt.Sprintf("%s（%d处）", names[id], n))
		}
		sort.Strings(list)
		out = append(out, Para{Text: "以下单位存在重复问题，前次检查发现的问题至今未整改到位：" + strings.Join(list, "、") + "。"})
	}
	return out
}

// rankingScore is a ranked unit's score, with a veto unit's 回访 beside it.
func rankingScore(r inspect.Ranked) string {
	score := bNum(r.Score)
	if r.LaterScore != nil {
		score += "（回访" + bNum(*r.LaterScore) + "）"
	}
	return score
}

func rankingRating(r inspect.Ranked) string {
	if r.Veto {
		return r.Rating + "（否决）"
	}
	return r.Rating
}

// cellWidth is the width in mm a table cell of 11 pt needs for the longest
// of texts (a full-width character about 3.9 mm, a digit or Latin letter
// half), padded, and at least minChars full characters.
func cellWidth(texts []string, minChars int) float64 {
	w := float64(minChars) * 3.9
	for _, t := range texts {
		n := 0.0
		for _, r := range t {
			if r < 0x2E80 {
				n += 2.0
			} else {
				n += 3.9
			}
		}
		w = max(w, n)
	}
	return w + 3
}

// rankingAnnex is the 附件: the ranking table and the charts.
func (w *bulletinWriter) rankingAnnex() (*Annex, error) {
	o := w.o
	if len(o.Ranking) == 0 {
		return nil, nil
	}
	a := &Annex{Title: periodText(o.Filter.From, o.Filter.To) + "各单位得分排名"}
	header := []string{"名次", "被检查单位", "所属部门", "得分", "等级", "方式"}
	// 所属部门, 得分 and 等级 as wide as their longest texts (QA: a
	// department took three lines), within bounds; the unit's name takes
	// the rest (mm of the 156 mm 版心).
	var depts, scores, ratings []string
	for _, r := range o.Ranking {
		depts = append(depts, r.Department)
		scores = append(scores, rankingScore(r))
		ratings = append(ratings, rankingRating(r))
	}
	dept := min(36, cellWidth(depts, 4))
	score, rating := min(32, cellWidth(scores, 2)), min(30, cellWidth(ratings, 2))
	a.Widths = []float64{12, 156 - 26 - dept - score - rating, dept, score, rating, 14}
	withPrev := o.Previous != nil && inspect.Comparable(o.Totals, *o.Previous)
	if withPrev {
		header = append(header, "上轮")
		a.Widths = []float64{12, 156 - 40 - dept - score - rating, dept, score, rating, 12, 16}
	}
	a.Rows = append(a.Rows, header)
	for _, r := range o.Ranking {
		cells := []string{fmt.Sprint(r.Rank), r.UnitName, r.Department, rankingScore(r), rankingRating(r), r.Mode.Label()}
		if withPrev {
			prev := "—"
			if r.PrevScore != nil {
				prev = bNum(*r.PrevScore)
			}
			cells = append(cells, prev)
		}
		a.Rows = append(a.Rows, cells)
	}
	// Each picture a little narrower than the one before: gofpdf orders the
	// images of a catalog-sorted PDF by width only, and two of one width
	// would come out in map order (the same 通报 would differ byte for byte).
	size := chart.Size{Width: 15.6 * vg.Centimeter, Height: 8 * vg.Centimeter, DPI: 150}
	if len(o.Ranking) > 10 {
		size.Height = vg.Length(min(22, 3+0.6*float64(len(o.Ranking)))) * vg.Centimeter
	}
	img, err := chart.Ranking(o, chart.DefaultRankingLabels, size)
	if err != nil {
		return nil, err
	}
	a.Images = append(a.Images, img)
	if len(o.Categories) > 0 {
		img, err := chart.Categories(o, chart.DefaultCategoryLabels, chart.Size{Width: 15.5 * vg.Centimeter, Height: chart.CategoriesHeight(len(o.Categories), 7*vg.Centimeter), DPI: 150})
		if err != nil {
			return nil, err
		}
		a.Images = append(a.Images, img)
	}
	if len(w.b.Trend) > 0 {
		img, err := chart.Trend(w.b.Trend, chart.DefaultTrendLabels, chart.Size{Width: 15.4 * vg.Centimeter, Height: 9 * vg.Centimeter, DPI: 150})
		if err != nil {
			return nil, err
		}
		a.Images = append(a.Images, img)
	}
	return a, nil
}

func (w *bulletinWriter) requirements() string {
	deadline := w.b.Deadline
	if deadline.IsZero() {
		deadline = inspect.AddWorkingDays(w.b.Date, inspect.DefaultDeadlineDays, inspect.Holidays{})
	}
	office := firstText(w.b.Office, "效能办")
	var sb strings.Builder
	fmt.Fprintf(&sb, "1. 被通报存在问题的单位要认真对照通报内容，逐条制定整改措施，明确责任人和完成时限，于%s前整改到位。\n", cnDate(deadline))
	fmt.Fprintf(&sb, "2. 整改情况（问题清单、整改措施、责任人、完成时间及照片等佐证材料）经单位主要负责人签字后，于%s前书面报送%s。\n", cnDate(deadline), office)
	sb.WriteString("3. 存在重复问题的单位要深入剖析原因，在整改报告中专门说明，并建立长效机制，防止问题反弹。\n")
	fmt.Fprintf(&sb, "4. %s将适时组织回访，对整改不到位、问题反复出现的单位，视情予以通报批评并纳入年度效能考评。", office)
	return sb.String()
}
