package inspect

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// officeInspection builds a completed inspection of the small template at
// unit (id, name, department) with the given failures: code → answer.
func officeInspection(tb testing.TB, id, unitID, unit, dept string, mode Mode, inspectors []string, observed time.Time, fails ...Answer) *Inspection {
	tb.Helper()
	tpl := mustTemplate(tb)
	u := Unit{ID: unitID, Name: unit, Department: dept, Kind: UnitWindow}
	in, err := NewInspection(id, u, tpl, mode, inspectors, observed, observed)
	if err != nil {
		tb.Fatal(err)
	}
	answers := map[string]Answer{
		"A1": {ItemCode: "A1", Counted: true}, "A2": {ItemCode: "A2", Result: ResultPass},
		"A3": {ItemCode: "A3", Expected: 5, Counted: true}, "B1": {ItemCode: "B1", Result: ResultPass},
		"B2": {ItemCode: "B2", Number: num(5)}, "B3": {ItemCode: "B3", Choice: "热情"}, "B5": {ItemCode: "B5", Result: ResultPass},
	}
	for _, f := range fails {
		answers[f.ItemCode] = f
	}
	for _, code := range []string{"A1", "A2", "A3", "B1", "B2", "B3", "B5"} {
		a := answers[code]
		if code == "A1" && a.Count > 0 {
			a.Photos = []string{"p"}
		}
		if err := in.SetAnswer(a, observed); err != nil {
			tb.Fatal(err)
		}
	}
	if err := in.Complete(observed, nil, 15, Holidays{}); err != nil {
		tb.Fatal(err)
	}
	return in
}

var may = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)

func TestSummarizeRankingAndCategories(t *testing.T) {
	day := func(d int) time.Time { return may.AddDate(0, 0, d-1).Add(10 * time.Hour) }
	ins := []*Inspection{
		// 甲: 2 without badge (−4) → 96, then a 回访 later in May, all pass → 100.
		officeInspection(t, "r1", "u1", "甲科", "区工商局", ModeCovert, []string{"王", "李"}, day(3), Answer{ItemCode: "A1", Count: 2}),
		officeInspection(t, "r2", "u1", "甲科", "区工商局", ModeOpen, []string{"王"}, day(20)),
		// 乙: badge (−2), 桌牌 (−20), one of two absent without excuse (−5) → 73.
		officeInspection(t, "r3", "u2", "乙窗口", "区税务局", ModeCovert, []string{"李"}, day(5),
			Answer{ItemCode: "A1", Count: 1}, Answer{ItemCode: "A2", Result: ResultFail},
			Answer{ItemCode: "A3", Expected: 5, Absent: []AbsentPerson{{Name: "赵六", Reason: AbsenceOffPost, OnRoster: true}, {Name: "钱七", Reason: AbsenceLeave, OnRoster: true}}}),
		// 丙: 午间饮酒 veto, score 90 but ranks last.
		officeInspection(t, "r4", "u3", "丙科", "区工商局", ModeCovert, []string{"张"}, day(6), Answer{ItemCode: "B1", Result: ResultFail}),
		// 丁 and 戊: 桌牌 (−20) and a badge (−2) → 78 both: they share rank 2.
		officeInspection(t, "r5", "u4", "丁科", "区财政局", ModeOpen, []string{"张"}, day(7), Answer{ItemCode: "A2", Result: ResultFail}, Answer{ItemCode: "A1", Count: 1}),
		officeInspection(t, "r6", "u5", "戊科", "区财政局", ModeOpen, []string{"张"}, day(8), Answer{ItemCode: "A2", Result: ResultFail}, Answer{ItemCode: "A1", Count: 1}),
		// Outside the period (April): ignored in the overview, counted for repeats.
		officeInspection(t, "r0", "u4", "丁科", "区财政局", ModeOpen, []string{"张"}, may.AddDate(0, 0, -10), Answer{ItemCode: "A2", Result: ResultFail}),
	}
	var all []ReportResult
	for _, in := range ins {
		all = append(all, ResultOf(in))
	}
	o := Summarize(all, Filter{From: may, To: may.AddDate(0, 1, 0)})

	type row struct {
		rank  int
		unit  string
		score float64
		n     int
	}
	var got []row
	for _, r := range o.Ranking {
		got = append(got, row{r.Rank, r.UnitName, r.Score, r.Inspections})
	}
	want := []row{{1, "甲科", 100, 2}, {2, "丁科", 78, 1}, {2, "戊科", 78, 1}, {4, "乙窗口", 73, 1}, {5, "丙科", 90, 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ranking\n got %v\nwant %v", got, want)
	}
	if o.Totals.Inspections != 6 || o.Totals.Units != 5 || o.Totals.Covert != 3 || o.Totals.Open != 3 || o.Totals.Vetoes != 1 {
		t.Errorf("totals %+v", o.Totals)
	}
	if o.Totals.Average != (100+78+78+73+90)/5.0 {
		t.Errorf("average %v", o.Totals.Average)
	}
	ratings := fmt.Sprint(o.Ratings)
	if ratings != "[{优秀 1} {良好 0} {合格 3} {不合格 1}]" {
		t.Errorf("ratings %s", ratings)
	}
	// Problems: r1 A1, r3 A1 A2 A3, r4 B1, r5 and r6 A2 A1 → 胸牌 4 units, 桌牌 3, 脱岗 1, 饮酒 1.
	heads := map[string]string{}
	for _, c := range o.Categories {
		heads[c.Category] = CategoryHeadline(c)
	}
	if heads["胸牌"] != "4家单位存在胸牌问题" || heads["桌牌"] != "3家单位存在桌牌问题" || heads["脱岗"] != "1家单位存在脱岗问题" {
		t.Errorf("headlines %v", heads)
	}
	if o.Categories[0].Category != "胸牌" || o.Totals.Problems != 9 {
		t.Errorf("first category %s, problems %d", o.Categories[0].Category, o.Totals.Problems)
	}
	for _, c := range o.Categories {
		if c.Category == "脱岗" && !reflect.DeepEqual(c.Named[0].People, []string{"赵六"}) {
			t.Errorf("脱岗 names %v, want 赵六 only (钱七 was on leave)", c.Named[0].People)
		}
	}
	// 丁科's 桌牌 in May repeats April's, still open.
	if len(o.Repeats) != 1 || o.Repeats[0].ID != "r5/A2" || o.Repeats[0].RepeatOf[0] != "r0/A2" {
		t.Errorf("repeats %+v", o.Repeats)
	}
	loads := map[string]Workload{}
	for _, w := range o.Workload {
		loads[w.Inspector] = w
	}
	if loads["王"].Inspections != 2 || loads["王"].Units != 1 || loads["李"].Inspections != 2 || loads["李"].Covert != 2 || loads["张"].Inspections != 3 {
		t.Errorf("workload %+v", o.Workload)
	}
}

func TestSummarizeFilters(t *testing.T) {
	at := may.Add(48 * time.Hour)
	all := []ReportResult{
		ResultOf(officeInspection(t, "a", "u1", "甲", "区工商局", ModeCovert, []string{"王"}, at)),
		ResultOf(officeInspection(t, "b", "u2", "乙", "区税务局", ModeOpen, []string{"王"}, at)),
	}
	all[1].UnitKind = UnitOffice
	cases := []struct {
		name string
		f    Filter
		want int
	}{
		{"all", Filter{}, 2},
		{"department", Filter{Department: "区税务局"}, 1},
		{"kind", Filter{Kind: UnitWindow}, 1},
		{"mode", Filter{Mode: ModeCovert}, 1},
		{"before", Filter{To: at}, 0},
		{"to exclusive", Filter{From: at, To: at.Add(time.Second)}, 2},
	}
	for _, c := range cases {
		if got := Summarize(all, c.f).Totals.Inspections; got != c.want {
			t.Errorf("%s: %d inspections, want %d", c.name, got, c.want)
		}
	}
}

func TestRepeatResolvedByOffice(t *testing.T) {
	early := officeInspection(t, "r1", "u1", "甲", "", ModeOpen, []string{"王"}, may, Answer{ItemCode: "A2", Result: ResultFail})
	later := officeInspection(t, "r2", "u1", "甲", "", ModeOpen, []string{"王"}, may.AddDate(0, 1, 0), Answer{ItemCode: "A2", Result: ResultFail})
	a, b := ResultOf(early), ResultOf(later)
	if o := Summarize([]ReportResult{b, a}, Filter{}); o.Totals.Repeats != 1 {
		t.Fatalf("open earlier problem: repeats %d, want 1", o.Totals.Repeats)
	}
	a.Problems[0].State, a.Problems[0].VerifiedAt = ProblemVerified, may.AddDate(0, 0, 10)
	if o := Summarize([]ReportResult{a, b}, Filter{}); o.Totals.Repeats != 0 {
		t.Fatalf("earlier problem verified before: repeats %d, want 0", o.Totals.Repeats)
	}
	// Verified only after the second visit found it again: a repeat all the same.
	a.Problems[0].VerifiedAt = may.AddDate(0, 2, 0)
	if o := Summarize([]ReportResult{a, b}, Filter{}); o.Totals.Repeats != 1 {
		t.Fatalf("earlier problem verified after: repeats %d, want 1", o.Totals.Repeats)
	}
}

func TestPreviousPeriod(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	cases := []struct {
		from, to, pf, pt time.Time
	}{
		{d(2026, 5, 1), d(2026, 6, 1), d(2026, 4, 1), d(2026, 5, 1)},     // a month
		{d(2026, 4, 1), d(2026, 7, 1), d(2026, 1, 1), d(2026, 4, 1)},     // a quarter
		{d(2026, 1, 1), d(2026, 2, 1), d(2025, 12, 1), d(2026, 1, 1)},    // across the year
		{d(2026, 5, 10), d(2026, 5, 20), d(2026, 4, 30), d(2026, 5, 10)}, // a campaign of 10 days
	}
	for _, c := range cases {
		pf, pt := PreviousPeriod(c.from, c.to)
		if !pf.Equal(c.pf) || !pt.Equal(c.pt) {
			t.Errorf("PreviousPeriod(%s, %s) = %s, %s; want %s, %s", c.from.Format(time.DateOnly), c.to.Format(time.DateOnly),
				pf.Format(time.DateOnly), pt.Format(time.DateOnly), c.pf.Format(time.DateOnly), c.pt.Format(time.DateOnly))
		}
	}
}

func TestCompareWith(t *testing.T) {
	prev := Summarize([]ReportResult{ResultOf(officeInspection(t, "a", "u1", "甲", "", ModeOpen, []string{"王"}, may, Answer{ItemCode: "A2", Result: ResultFail}))}, Filter{})
	cur := Summarize([]ReportResult{ResultOf(officeInspection(t, "b", "u1", "甲", "", ModeOpen, []string{"王"}, may.AddDate(0, 1, 0)))}, Filter{})
	cur.CompareWith(prev)
	if cur.Previous == nil || cur.Previous.Average != 80 || cur.Ranking[0].PrevScore == nil || *cur.Ranking[0].PrevScore != 80 {
		t.Fatalf("comparison: %+v %+v", cur.Previous, cur.Ranking[0])
	}
}

// A 一票否决 decides the unit's rating for the whole period: a 回访 nine
// days later that scored 100 does not make the unit 优秀; the 回访's score
// is kept beside the veto, and the veto is a severe finding of the period.
func TestVetoDecidesThePeriod(t *testing.T) {
	day := func(d int) time.Time { return may.AddDate(0, 0, d-1).Add(10 * time.Hour) }
	ins := []*Inspection{
		officeInspection(t, "v1", "u3", "丙科", "区工商局", ModeCovert, []string{"张"}, day(6), Answer{ItemCode: "B1", Result: ResultFail, Note: "两人饮酒"}),
		officeInspection(t, "v2", "u3", "丙科", "区工商局", ModeOpen, []string{"张"}, day(15)),
		officeInspection(t, "v3", "u1", "甲科", "区工商局", ModeOpen, []string{"王"}, day(8)),
	}
	var all []ReportResult
	for _, in := range ins {
		all = append(all, ResultOf(in))
	}
	o := Summarize(all, Filter{From: may, To: may.AddDate(0, 1, 0)})
	if len(o.Ranking) != 2 {
		t.Fatalf("ranking %+v", o.Ranking)
	}
	last := o.Ranking[1]
	if last.UnitName != "丙科" || !last.Veto || last.Rating != "不合格" || last.ReportID != "v1" || last.Score != 90 {
		t.Errorf("veto unit ranked %+v, want 丙科 by v1, 不合格", last)
	}
	if last.LaterScore == nil || *last.LaterScore != 100 || last.LaterReportID != "v2" {
		t.Errorf("later 回访 score %v (%s), want 100 from v2", last.LaterScore, last.LaterReportID)
	}
	if o.Totals.Vetoes != 1 || o.Totals.Ratings["不合格"] != 1 {
		t.Errorf("totals %+v", o.Totals)
	}
	if len(o.Severe) != 1 || o.Severe[0].UnitName != "丙科" || !o.Severe[0].Veto || !o.Severe[0].ObservedAt.Equal(day(6)) {
		t.Fatalf("severe %+v", o.Severe)
	}
	if w := o.Severe[0].What; w != "工作日午间饮酒：两人饮酒" {
		t.Errorf("severe finding reads %q", w)
	}
}

func TestComparable(t *testing.T) {
	for _, c := range []struct {
		cur, prev int
		want      bool
	}{{20, 4, false}, {20, 9, false}, {20, 10, true}, {6, 5, true}, {3, 3, false}} {
		if got := Comparable(Totals{Inspections: c.cur}, Totals{Inspections: c.prev}); got != c.want {
			t.Errorf("Comparable(%d, %d) = %v", c.cur, c.prev, got)
		}
	}
}
