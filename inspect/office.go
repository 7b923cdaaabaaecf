package inspect

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The 效能办 side: what the office knows about the signed reports it
// received, and the overview of a period (ranking, rating counts, problems
// grouped by category, 重复问题, inspectors' workload).

// SignedReport is a report that passed verification: the inspection it
// carries and who signed it. The report package fills it; the store keeps it.
type SignedReport struct {
	Inspection  *Inspection
	Signer      string // the certificate's common name
	SignerUnit  string // the certificate's organisation
	Trust       string // e.g. "office-ca", "self-signed"
	SigningTime time.Time
	Signers     []string // every signer's name, the certifier first
	// PagesSHA256 is the digest of what the report's pages show: a report
	// with the same id and data but other pages is no duplicate.
	PagesSHA256 string
}

// ReportResult is the part of an accepted report that the overview needs: one
// small record per report, so that a period of thousands of inspections is
// ranked without decoding their answers.
type ReportResult struct {
	ReportID    string    `json:"id"`
	UnitID      string    `json:"unit_id"`
	UnitName    string    `json:"unit_name"`
	Department  string    `json:"department,omitempty"`
	UnitKind    UnitKind  `json:"unit_kind,omitempty"`
	Mode        Mode      `json:"mode"`
	Inspectors  []string  `json:"inspectors"`
	ObservedAt  time.Time `json:"observed_at"`
	TemplateKey string    `json:"template_key"`
	// TemplateTitle is the template's title, for people (the key is for
	// machines); empty in results stored before it was kept.
	TemplateTitle string    `json:"template_title,omitempty"`
	Full          float64   `json:"full"`
	Score         float64   `json:"score"`
	Rating        string    `json:"rating"`
	Veto          bool      `json:"veto,omitempty"`
	Bands         []Band    `json:"bands,omitempty"` // the template's, to order rating counts
	Amends        string    `json:"amends,omitempty"`
	Problems      []Problem `json:"problems,omitempty"`
	// ReportedUnitID is the unit id the report carries (the inspector's
	// roster's), so that the unit can be resolved again when the office's
	// roster changes.
	ReportedUnitID string `json:"reported_unit_id,omitempty"`
	// People names the persons behind a problem where the data has them
	// (absent without excuse), by problem id.
	People map[string][]string `json:"people,omitempty"`
	// ItemTexts are the problem wordings of the failed items, by code, for
	// grouping (Item.ProblemWording: never the standard or the guidance).
	ItemTexts map[string]string `json:"item_texts,omitempty"`
	// Severe are the report's 一票否决 and 五个严禁-kind findings.
	Severe []SevereFinding `json:"severe,omitempty"`
}

// ResultOf condenses an inspection. Problems are the inspection's own list
// (fixed at completion), re-derived only when it has none recorded.
func ResultOf(in *Inspection) ReportResult {
	sc := in.Score()
	r := ReportResult{
		ReportID: in.ID, UnitID: in.UnitID, UnitName: in.Unit.Name, Department: in.Unit.Department,
		UnitKind: in.Unit.Kind, Mode: in.Mode, Inspectors: append([]string(nil), in.Inspectors...),
		ObservedAt: in.ObservedAt, TemplateKey: in.Template.Key(), TemplateTitle: in.Template.Title, Full: sc.Full, Score: sc.Value,
		Rating: sc.Rating, Veto: sc.Veto, Bands: append([]Band(nil), in.Template.Bands...), Amends: in.Amends,
		ReportedUnitID: in.Unit.ID,
	}
	if r.UnitID == "" {
		r.UnitID = UnitKey(in.Unit.Department, in.Unit.Name)
	}
	probs := in.Problems
	if len(probs) == 0 && in.Status != StatusDraft {
		probs = in.DeriveProblems(in.ObservedAt, 0, Holidays{}, nil)
	}
	for _, p := range probs {
		if p.UnitID == "" {
			p.UnitID = r.UnitID
		}
		r.Problems = append(r.Problems, p)
		if p.ItemCode == "" {
			continue
		}
		it, ok := in.Template.Item(p.ItemCode)
		if !ok {
			continue
		}
		if r.ItemTexts == nil {
			r.ItemTexts = map[string]string{}
		}
		r.ItemTexts[p.ItemCode] = it.ProblemWording()
		if a := in.Answers[p.ItemCode]; a != nil && it.Kind == KindAttendance {
			var names []string
			for _, ap := range a.Absent {
				if !ap.Reason.Excused() {
					names = append(names, ap.Name)
				}
			}
			if len(names) > 0 {
				if r.People == nil {
					r.People = map[string][]string{}
				}
				r.People[p.ID] = names
			}
		}
	}
	r.Severe = severeOf(in, &r)
	return r
}

// Filter selects results for an overview. Zero fields match all; To is
// exclusive.
type Filter struct {
	From       time.Time `json:"from,omitzero"`
	To         time.Time `json:"to,omitzero"`
	Department string    `json:"department,omitempty"`
	Kind       UnitKind  `json:"kind,omitempty"`
	Mode       Mode      `json:"mode,omitempty"`
}

// Match reports whether a result falls in the filter.
func (f Filter) Match(r *ReportResult) bool {
	if !f.From.IsZero() && r.ObservedAt.Before(f.From) {
		return false
	}
	if !f.To.IsZero() && !r.ObservedAt.Before(f.To) {
		return false
	}
	if f.Department != "" && r.Department != f.Department {
		return false
	}
	if f.Kind != "" && r.UnitKind != f.Kind {
		return false
	}
	if f.Mode != "" && r.Mode != f.Mode {
		return false
	}
	return true
}

// Ranked is one unit's line in the ranking.
type Ranked struct {
	Rank        int       `json:"rank"`
	UnitID      string    `json:"unit_id"`
	UnitName    string    `json:"unit_name"`
	Department  string    `json:"department,omitempty"`
	UnitKind    UnitKind  `json:"unit_kind,omitempty"`
	Score       float64   `json:"score"`
	Full        float64   `json:"full"`
	Rating      string    `json:"rating"`
	Veto        bool      `json:"veto,omitempty"`
	ReportID    string    `json:"report_id"` // the report the score comes from
	ObservedAt  time.Time `json:"observed_at"`
	Mode        Mode      `json:"mode"`
	Inspections int       `json:"inspections"` // reports of the unit in the period
	Problems    int       `json:"problems"`    // problems found there in the period
	PrevScore   *float64  `json:"prev_score,omitempty"`
	// LaterScore is the score of a later 回访 in the period when a veto
	// earlier in the period decides the unit's rating (shown beside it).
	LaterScore    *float64 `json:"later_score,omitempty"`
	LaterReportID string   `json:"later_report_id,omitempty"`
}

// RatingCount is how many ranked units earned a rating.
type RatingCount struct {
	Rating string `json:"rating"`
	Units  int    `json:"units"`
}

// ItemCount is how often one item failed within a category.
type ItemCount struct {
	ItemCode string `json:"item"`
	Text     string `json:"text"`
	Problems int    `json:"problems"`
	Units    int    `json:"units"`
}

// UnitProblems names a unit with the problems of one category found there.
type UnitProblems struct {
	UnitID   string   `json:"unit_id"`
	UnitName string   `json:"unit_name"`
	Problems int      `json:"problems"`
	People   []string `json:"people,omitempty"`
}

// CategoryCount groups the problems of a period by category: "11家单位存在
// 胸牌问题" is Units 11, Category 胸牌.
type CategoryCount struct {
	Category string         `json:"category"`
	Units    int            `json:"units"`
	Problems int            `json:"problems"`
	Repeats  int            `json:"repeats"`
	Named    []UnitProblems `json:"named"` // the units, most problems first
	Items    []ItemCount    `json:"items"`
}

// Workload is what one inspector did in the period.
type Workload struct {
	Inspector   string `json:"inspector"`
	Inspections int    `json:"inspections"`
	Units       int    `json:"units"`
	Open        int    `json:"open"`
	Covert      int    `json:"covert"`
	Problems    int    `json:"problems"`
}

// Totals are the headline numbers of a period, also kept for comparison.
type Totals struct {
	Inspections int            `json:"inspections"`
	Units       int            `json:"units"`
	Open        int            `json:"open"`
	Covert      int            `json:"covert"`
	Average     float64        `json:"average"` // of the ranked (latest) scores
	Problems    int            `json:"problems"`
	Repeats     int            `json:"repeats"`
	Vetoes      int            `json:"vetoes"`
	Ratings     map[string]int `json:"ratings"`
}

// Overview is the 效能办's view of a period.
type Overview struct {
	Filter     Filter          `json:"filter"`
	Totals     Totals          `json:"totals"`
	Ranking    []Ranked        `json:"ranking"`
	Ratings    []RatingCount   `json:"ratings"`
	Categories []CategoryCount `json:"categories"`
	Repeats    []Problem       `json:"repeats"`
	Workload   []Workload      `json:"workload"`
	Problems   []Problem       `json:"-"` // every problem of the period, for 整改 lists and exports
	Results    []ReportResult  `json:"-"` // the results of the period, oldest first
	Previous   *Totals         `json:"previous,omitempty"`
	PrevFilter *Filter         `json:"previous_filter,omitempty"`
	// Severe are the period's 一票否决 and 五个严禁-kind findings, oldest
	// first, named one by one in the 通报's 总体情况.
	Severe []SevereFinding `json:"severe,omitempty"`
}

// OtherCategory is the group of problems whose item names no category.
const OtherCategory = "其他"

// Summarize builds the overview of the results that match f. all is every
// accepted result the office holds (any period): 重复问题 are judged against
// the unit's whole history, not just the period.
//
// Ranking: each unit is ranked by its latest report in the period — a 回访
// later in the period replaces the earlier score, as the 通报 reports the
// state the unit was last found in — except that a unit with a 一票否决
// anywhere in the period is ranked by that report (rated 不合格, the later
// 回访's score kept in LaterScore); units with a 一票否决 rank after all
// others; equal scores share a rank (1, 2, 2, 4). Problems, categories and
// workload count every report in the period.
func Summarize(all []ReportResult, f Filter) *Overview {
	sorted := make([]ReportResult, len(all))
	copy(sorted, all)
	sort.SliceStable(sorted, func(i, j int) bool {
		if !sorted[i].ObservedAt.Equal(sorted[j].ObservedAt) {
			return sorted[i].ObservedAt.Before(sorted[j].ObservedAt)
		}
		return sorted[i].ReportID < sorted[j].ReportID
	})
	MarkImportedRepeats(sorted)

	o := &Overview{Filter: f, Totals: Totals{Ratings: map[string]int{}}}
	for i := range sorted {
		if f.Match(&sorted[i]) {
			o.Results = append(o.Results, sorted[i])
		}
	}
	o.rank()
	o.count()
	return o
}

func (o *Overview) rank() {
	latest := map[string]int{} // unit → index in o.Results
	vetoed := map[string]int{} // unit → index of its latest vetoed report
	count := map[string]int{}
	probs := map[string]int{}
	for i, r := range o.Results {
		latest[r.UnitID] = i // Results are oldest first
		if r.Veto {
			vetoed[r.UnitID] = i
		}
		count[r.UnitID]++
		probs[r.UnitID] += len(r.Problems)
		o.Severe = append(o.Severe, r.Severe...)
	}
	for unit, i := range latest {
		var later *ReportResult
		if v, ok := vetoed[unit]; ok && v != i {
			later = &o.Results[i]
			i = v
		}
		r := o.Results[i]
		rk := Ranked{
			UnitID: unit, UnitName: r.UnitName, Department: r.Department, UnitKind: r.UnitKind,
			Score: r.Score, Full: r.Full, Rating: r.Rating, Veto: r.Veto, ReportID: r.ReportID,
			ObservedAt: r.ObservedAt, Mode: r.Mode, Inspections: count[unit], Problems: probs[unit],
		}
		if later != nil {
			s := later.Score
			rk.LaterScore, rk.LaterReportID = &s, later.ReportID
		}
		o.Ranking = append(o.Ranking, rk)
	}
	sort.Slice(o.Ranking, func(i, j int) bool {
		a, b := &o.Ranking[i], &o.Ranking[j]
		if a.Veto != b.Veto {
			return !a.Veto
		}
		if pa, pb := pct(a), pct(b); pa != pb {
			return pa > pb
		}
		if a.Department != b.Department {
			return a.Department < b.Department
		}
		if a.UnitName != b.UnitName {
			return a.UnitName < b.UnitName
		}
		return a.UnitID < b.UnitID
	})
	for i := range o.Ranking {
		r := &o.Ranking[i]
		r.Rank = i + 1
		if i > 0 {
			p := &o.Ranking[i-1]
			if p.Veto == r.Veto && pct(p) == pct(r) {
				r.Rank = p.Rank
			}
		}
	}
}

// pct puts scores of templates with different full scores on one scale.
func pct(r *Ranked) float64 {
	if r.Full <= 0 {
		return r.Score
	}
	return math.Round(r.Score/r.Full*1e6) / 1e6
}

func (o *Overview) count() {
	t := &o.Totals
	t.Inspections = len(o.Results)
	t.Units = len(o.Ranking)
	sum := 0.0
	bandMin := map[string]float64{}
	for _, r := range o.Results {
		for _, b := range r.Bands {
			if m, ok := bandMin[b.Name]; !ok || b.Min > m {
				bandMin[b.Name] = b.Min
			}
		}
	}
	for _, r := range o.Ranking {
		sum += r.Score
		t.Ratings[r.Rating]++
		if r.Veto {
			t.Vetoes++
		}
	}
	if t.Units > 0 {
		t.Average = math.Round(sum/float64(t.Units)*100) / 100
	}
	for name, n := range t.Ratings {
		o.Ratings = append(o.Ratings, RatingCount{Rating: name, Units: n})
	}
	// Every band of the templates in use is listed, even with no unit in it.
	for name := range bandMin {
		if _, ok := t.Ratings[name]; !ok {
			o.Ratings = append(o.Ratings, RatingCount{Rating: name})
		}
	}
	sort.Slice(o.Ratings, func(i, j int) bool {
		mi, oki := bandMin[o.Ratings[i].Rating]
		mj, okj := bandMin[o.Ratings[j].Rating]
		if oki != okj {
			return oki
		}
		if mi != mj {
			return mi > mj
		}
		return o.Ratings[i].Rating < o.Ratings[j].Rating
	})

	type catAcc struct {
		c     CategoryCount
		units map[string]*UnitProblems
		items map[string]*ItemCount
		itemU map[string]map[string]bool
	}
	cats := map[string]*catAcc{}
	type loadAcc struct {
		w     Workload
		units map[string]bool
	}
	loads := map[string]*loadAcc{}
	for _, r := range o.Results {
		switch r.Mode {
		case ModeCovert:
			t.Covert++
		default:
			t.Open++
		}
		for _, name := range r.Inspectors {
			l := loads[name]
			if l == nil {
				l = &loadAcc{w: Workload{Inspector: name}, units: map[string]bool{}}
				loads[name] = l
			}
			l.w.Inspections++
			l.units[r.UnitID] = true
			if r.Mode == ModeCovert {
				l.w.Covert++
			} else {
				l.w.Open++
			}
			l.w.Problems += len(r.Problems)
		}
		for _, p := range r.Problems {
			t.Problems++
			o.Problems = append(o.Problems, p)
			if p.Repeat {
				t.Repeats++
				o.Repeats = append(o.Repeats, p)
			}
			cat := strings.TrimSpace(p.Category)
			if cat == "" {
				cat = OtherCategory
			}
			a := cats[cat]
			if a == nil {
				a = &catAcc{
					c: CategoryCount{Category: cat}, units: map[string]*UnitProblems{},
					items: map[string]*ItemCount{}, itemU: map[string]map[string]bool{},
				}
				cats[cat] = a
			}
			a.c.Problems++
			if p.Repeat {
				a.c.Repeats++
			}
			u := a.units[r.UnitID]
			if u == nil {
				u = &UnitProblems{UnitID: r.UnitID, UnitName: r.UnitName}
				a.units[r.UnitID] = u
			}
			u.Problems++
			u.People = appendNew(u.People, r.People[p.ID]...)
			key := p.ItemCode
			text := r.ItemTexts[p.ItemCode]
			if key == "" {
				key, text = "finding:"+p.Description, p.Description
			}
			ic := a.items[key]
			if ic == nil {
				ic = &ItemCount{ItemCode: p.ItemCode, Text: text}
				a.items[key] = ic
				a.itemU[key] = map[string]bool{}
			}
			ic.Problems++
			a.itemU[key][r.UnitID] = true
		}
	}
	for _, a := range cats {
		c := a.c
		c.Units = len(a.units)
		for _, u := range a.units {
			c.Named = append(c.Named, *u)
		}
		sort.Slice(c.Named, func(i, j int) bool {
			if c.Named[i].Problems != c.Named[j].Problems {
				return c.Named[i].Problems > c.Named[j].Problems
			}
			return c.Named[i].UnitName < c.Named[j].UnitName
		})
		for key, ic := range a.items {
			ic.Units = len(a.itemU[key])
			c.Items = append(c.Items, *ic)
		}
		sort.Slice(c.Items, func(i, j int) bool {
			if c.Items[i].Problems != c.Items[j].Problems {
				return c.Items[i].Problems > c.Items[j].Problems
			}
			return c.Items[i].ItemCode+c.Items[i].Text < c.Items[j].ItemCode+c.Items[j].Text
		})
		o.Categories = append(o.Categories, c)
	}
	sort.Slice(o.Categories, func(i, j int) bool {
		a, b := &o.Categories[i], &o.Categories[j]
		if a.Units != b.Units {
			return a.Units > b.Units
		}
		if a.Problems != b.Problems {
			return a.Problems > b.Problems
		}
		return a.Category < b.Category
	})
	for _, l := range loads {
		l.w.Units = len(l.units)
		o.Workload = append(o.Workload, l.w)
	}
	sort.Slice(o.Workload, func(i, j int) bool {
		if o.Workload[i].Inspections != o.Workload[j].Inspections {
			return o.Workload[i].Inspections > o.Workload[j].Inspections
		}
		return o.Workload[i].Inspector < o.Workload[j].Inspector
	})
}

func appendNew(list []string, names ...string) []string {
	for _, n := range names {
		found := false
		for _, x := range list {
			if x == n {
				found = true
				break
			}
		}
		if !found {
			list = append(list, n)
		}
	}
	return list
}

// CompareWith records the previous period's totals and each unit's previous
// score, for the 通报's comparison with the last round.
func (o *Overview) CompareWith(prev *Overview) {
	if prev == nil {
		return
	}
	t := prev.Totals
	o.Previous = &t
	pf := prev.Filter
	o.PrevFilter = &pf
	scores := map[string]float64{}
	for _, r := range prev.Ranking {
		scores[r.UnitID] = r.Score
	}
	for i := range o.Ranking {
		if s, ok := scores[o.Ranking[i].UnitID]; ok {
			o.Ranking[i].PrevScore = &s
		}
	}
}

// PreviousPeriod is the period of the same length just before [from, to):
// whole calendar months map to the months before (a quarter to the previous
// quarter), anything else to the same number of days.
func PreviousPeriod(from, to time.Time) (time.Time, time.Time) {
	if from.IsZero() || to.IsZero() || !to.After(from) {
		return time.Time{}, time.Time{}
	}
	if isMonthStart(from) && isMonthStart(to) {
		months := (to.Year()-from.Year())*12 + int(to.Month()-from.Month())
		return from.AddDate(0, -months, 0), from
	}
	days := int(math.Round(to.Sub(from).Hours() / 24))
	if days < 1 {
		return from.Add(-to.Sub(from)), from
	}
	return from.AddDate(0, 0, -days), from
}

func isMonthStart(t time.Time) bool {
	return t.Day() == 1 && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// CategoryHeadline is the 通报's sentence for a category, e.g.
// "11家单位存在胸牌问题" (counts are written without spaces).
func CategoryHeadline(c CategoryCount) string {
	return strconv.Itoa(c.Units) + "家单位存在" + c.Category + "问题"
}
