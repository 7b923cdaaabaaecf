package report

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"mingcha/inspect"
)

func bulletinOverview() *inspect.Overview {
	bands := []inspect.Band{{Name: "优秀", Min: 90}, {Name: "合格", Min: 60}, {Name: "不合格", Min: 0}}
	at := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, loc) }
	res := func(id, unit string, t time.Time, score float64, cats ...string) inspect.ReportResult {
		r := inspect.ReportResult{ReportID: id, UnitID: unit, UnitName: unit, Department: "区工商局", Mode: inspect.ModeCovert,
			Inspectors: []string{"张督查"}, ObservedAt: t, Full: 100, Score: score, Bands: bands, ItemTexts: map[string]string{}}
		for i, c := range cats {
			code := fmt.Sprintf("X%d", i)
			r.Problems = append(r.Problems, inspect.Problem{ID: id + "/" + code, InspectionID: id, UnitID: unit, ItemCode: code,
				Category: c, State: inspect.ProblemOpen, FoundAt: t})
			r.ItemTexts[code] = c + "不规范"
		}
		switch {
		case score >= 90:
			r.Rating = "优秀"
		case score >= 60:
			r.Rating = "合格"
		default:
			r.Rating = "不合格"
		}
		return r
	}
	all := []inspect.ReportResult{
		res("a1", "甲科", at(4, 3), 80, "胸牌"),
		res("b1", "乙科", at(4, 5), 70, "胸牌", "桌牌"),
		res("a2", "甲科", at(5, 6), 95),
		res("b2", "乙科", at(5, 7), 88, "胸牌"),
	}
	f := inspect.Filter{From: time.Date(2026, 5, 1, 0, 0, 0, 0, loc), To: time.Date(2026, 6, 1, 0, 0, 0, 0, loc)}
	o := inspect.Summarize(all, f)
	pf, pt := inspect.PreviousPeriod(f.From, f.To)
	prev := f
	prev.From, prev.To = pf, pt
	o.CompareWith(inspect.Summarize(all, prev))
	return o
}

func TestBulletinDeterministicWithComparison(t *testing.T) {
	b := &Bulletin{Office: "区效能办", Date: time.Date(2026, 6, 3, 0, 0, 0, 0, loc), Overview: bulletinOverview(),
		Intro: "根据工作安排，开展了五月份暗访。", Closing: "特此通报。"}
	one, err := RenderBulletin(b)
	if err != nil {
		t.Fatal(err)
	}
	two, _ := RenderBulletin(b)
	if !bytes.Equal(one, two) {
		t.Fatal("the same 通报 rendered twice differs")
	}
	if BulletinTitle(b.Overview) != "关于2026年5月机关服务效能明查暗访情况的通报" {
		t.Errorf("title %q", BulletinTitle(b.Overview))
	}
	needTool(t, "pdftotext")
	path := writeTemp(t, "bulletin.pdf", one)
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	// May: 甲 95, 乙 88 → average 91.5; April: 80, 70 → 75: up 16.5.
	for _, want := range []string{
		"关于2026年5月机关服务效能明查暗访情况的通报", "根据工作安排，开展了五月份暗访。", "特此通报。",
		"平均得分91.5分", "上一轮（2026年4月）仅检查2次", "不作比较",
		"1家单位存在胸牌问题", "重复问题1处", "乙科", "2026年6月3日",
	} {
		if !strings.Contains(strings.Join(strings.Fields(text), ""), strings.Join(strings.Fields(want), "")) {
			t.Errorf("通报 lacks %q", want)
		}
	}
}

func TestPeriodText(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, loc) }
	cases := []struct {
		from, to time.Time
		want     string
	}{
		{d(2026, 5, 1), d(2026, 6, 1), "2026年5月"},
		{d(2026, 4, 1), d(2026, 7, 1), "2026年第二季度"},
		{d(2026, 1, 1), d(2027, 1, 1), "2026年"},
		{d(2026, 5, 10), d(2026, 5, 21), "2026年5月10日至2026年5月20日"},
	}
	for _, c := range cases {
		if got := periodText(c.from, c.to); got != c.want {
			t.Errorf("periodText = %q, want %q", got, c.want)
		}
	}
}

// The 总体情况 names each 一票否决 with unit, date and what was found, lists
// only the ratings units earned, never says 总体良好 beside a veto, and
// compares with a previous round only when it is comparable.
func TestGeneralText(t *testing.T) {
	o := &inspect.Overview{
		Filter: inspect.Filter{From: time.Date(2026, 11, 1, 0, 0, 0, 0, loc), To: time.Date(2026, 12, 1, 0, 0, 0, 0, loc)},
		Totals: inspect.Totals{Inspections: 12, Units: 8, Open: 4, Covert: 8, Average: 92.5, Problems: 9, Vetoes: 1,
			Ratings: map[string]int{"优秀": 7, "不合格": 1}},
		Ratings: []inspect.RatingCount{{Rating: "优秀", Units: 7}, {Rating: "良好"}, {Rating: "合格"}, {Rating: "不合格", Units: 1}},
		Severe: []inspect.SevereFinding{{UnitName: "区民政局", ObservedAt: time.Date(2026, 11, 5, 10, 0, 0, 0, loc),
			What: "上班时间赌博：两人打牌", Veto: true}},
		Previous:   &inspect.Totals{Inspections: 10, Average: 90, Problems: 12},
		PrevFilter: &inspect.Filter{From: time.Date(2026, 10, 1, 0, 0, 0, 0, loc), To: time.Date(2026, 11, 1, 0, 0, 0, 0, loc)},
	}
	got := GeneralText(o)
	for _, want := range []string{
		"其中优秀7家、不合格1家（一票否决1家）。", "区民政局（11月5日，上班时间赌博：两人打牌）", "本期评定为不合格",
		"与上一轮（2026年10月）相比，检查12次（上轮10次），平均得分上升2.5分，发现问题减少3处。",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("总体情况 lacks %q:\n%s", want, got)
		}
	}
	for _, bad := range []string{"总体良好", "良好0家", "合格0家", " 家", " 处"} {
		if strings.Contains(got, bad) {
			t.Errorf("总体情况 says %q:\n%s", bad, got)
		}
	}
	o.Previous.Inspections = 4
	if got := GeneralText(o); !strings.Contains(got, "上一轮（2026年10月）仅检查4次") || strings.Contains(got, "相比") {
		t.Errorf("a round of 4 inspections compared:\n%s", got)
	}
}
