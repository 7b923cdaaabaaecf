package inspect

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"
)

var policyRoster = []Unit{
	{ID: "U-1", Name: "甲科", Department: "区工商局", Kind: UnitOffice},
	{ID: "U-2", Name: "乙窗口", Department: "区税务局", Kind: UnitWindow},
}

func TestRosterResolve(t *testing.T) {
	r := NewRoster(policyRoster)
	for _, c := range []struct {
		name string
		unit Unit
		want string
	}{
		{"the office's id, even under another name", Unit{ID: "U-1", Name: "甲科（新）", Department: "区工商局"}, "U-1"},
		{"a local id, matched by department and name", Unit{ID: "L-9", Name: "甲科", Department: "区工商局"}, "U-1"},
		{"no id, name with spaces around", Unit{Name: " 乙窗口 ", Department: "区税务局 "}, "U-2"},
		{"same name, other department", Unit{ID: "L-9", Name: "甲科", Department: "区财政局"}, UnitKey("区财政局", "甲科")},
		{"not on the roster", Unit{ID: "L-3", Name: "丙科", Department: "区工商局"}, UnitKey("区工商局", "丙科")},
	} {
		if got := r.Resolve(c.unit); got != c.want {
			t.Errorf("%s: Resolve = %q, want %q", c.name, got, c.want)
		}
	}
	if got := NewRoster(nil).Resolve(Unit{ID: "U-1", Name: "甲科", Department: "区工商局"}); got != UnitKey("区工商局", "甲科") {
		t.Errorf("empty roster: %q", got)
	}
	for _, c := range []struct {
		unit Unit
		want string
	}{
		{Unit{ID: "X-7", Name: "新科"}, "X-7"},                       // a row with an id keeps it
		{Unit{Name: "甲科", Department: "区工商局"}, "U-1"},              // no id: the stored unit of that name
		{Unit{Name: "丁科", Department: "区工商局"}, ""},                 // new
		{Unit{ID: "U-2", Name: "改名窗口", Department: "区税务局"}, "U-2"}, // renamed by id
	} {
		if got := r.RowID(c.unit); got != c.want {
			t.Errorf("RowID(%+v) = %q, want %q", c.unit, got, c.want)
		}
	}
	if !IsUnitKey(UnitKey("a", "b")) || IsUnitKey("U-1") {
		t.Error("IsUnitKey")
	}
}

// TestReresolveWhateverOrder imports three reports of 甲科 (one with the
// office's id, one with an inspector's local id, one without) and the
// roster, in every order: the reports always end on one unit id — the
// roster's once it arrived, the name key if it never does.
func TestReresolveWhateverOrder(t *testing.T) {
	reports := map[string]Unit{
		"r1": {ID: "U-1", Name: "甲科", Department: "区工商局"},
		"r2": {ID: "L-5", Name: "甲科", Department: "区工商局"},
		"r3": {Name: " 甲科", Department: "区工商局"},
	}
	events := []string{"r1", "r2", "r3", "roster"}
	orders := permutations(events)
	orders = append(orders, []string{"r1", "r2", "r3"}) // the roster never comes
	for _, order := range orders {
		roster := NewRoster(nil)
		placed := map[string]string{}
		rosterCame := false
		for _, ev := range order {
			if ev == "roster" {
				roster, rosterCame = NewRoster(policyRoster), true
				var ps []Placement
				for id, unit := range placed {
					ps = append(ps, Placement{ReportID: id, Unit: reports[id], UnitID: unit})
				}
				for _, m := range roster.Reresolve(ps) {
					if placed[m.ReportID] != m.From {
						t.Fatalf("%v: move %+v from the wrong unit", order, m)
					}
					placed[m.ReportID] = m.To
				}
				continue
			}
			placed[ev] = roster.Resolve(reports[ev])
		}
		want := UnitKey("区工商局", "甲科")
		if rosterCame {
			want = "U-1"
		}
		for id, got := range placed {
			if got != want {
				t.Errorf("%v: %s on %q, want %q", order, id, got, want)
			}
		}
	}

	// A report on a roster id stays there when the roster renames the unit,
	// and leaves when the unit leaves the roster; moves come by report id.
	roster := NewRoster([]Unit{{ID: "U-1", Name: "甲科（更名）", Department: "区工商局"}, {ID: "U-3", Name: "丙科"}})
	moves := roster.Reresolve([]Placement{
		{ReportID: "b", Unit: Unit{Name: "丙科"}, UnitID: UnitKey("", "丙科")},
		{ReportID: "a", Unit: Unit{Name: "甲科", Department: "区工商局"}, UnitID: "U-1"},
		{ReportID: "c", Unit: Unit{ID: "U-3", Name: "另名"}, UnitID: UnitKey("", "另名")},
		{ReportID: "d", Unit: Unit{Name: "丁科"}, UnitID: UnitKey("", "丁科")},
		// U-9 left the roster: its reports go back to their name.
		{ReportID: "e", Unit: Unit{ID: "U-9", Name: "戊科"}, UnitID: "U-9"},
	})
	want := []UnitMove{{"b", UnitKey("", "丙科"), "U-3"}, {"c", UnitKey("", "另名"), "U-3"}, {"e", "U-9", UnitKey("", "戊科")}}
	if !reflect.DeepEqual(moves, want) {
		t.Fatalf("moves %+v, want %+v", moves, want)
	}
}

func permutations(s []string) [][]string {
	if len(s) <= 1 {
		return [][]string{slices.Clone(s)}
	}
	var out [][]string
	for i := range s {
		rest := append(slices.Clone(s[:i]), s[i+1:]...)
		for _, p := range permutations(rest) {
			out = append(out, append([]string{s[i]}, p...))
		}
	}
	return out
}

func TestSupersede(t *testing.T) {
	at := func(h int) time.Time { return may.Add(time.Duration(h) * time.Hour) }
	v := func(id, amends string, h int) Version {
		return Version{ReportID: id, Amends: amends, SigningTime: at(h)}
	}
	for _, c := range []struct {
		name string
		in   []Version
		want []Supersession
	}{
		{"an original alone", []Version{v("A", "", 0)}, nil},
		{"an amendment replaces its original", []Version{v("A", "", 0), v("B", "A", 1)}, []Supersession{{"A", "B"}}},
		{"an amendment of a report not imported", []Version{v("B", "A", 1)}, nil},
		{"a chain: each by its amendment, the oldest first",
			[]Version{v("A", "", 0), v("B", "A", 1), v("C", "B", 2)}, []Supersession{{"A", "B"}, {"B", "C"}}},
		{"two amendments: the one signed later wins",
			[]Version{v("A", "", 0), v("B", "A", 1), v("C", "A", 2)}, []Supersession{{"B", "C"}, {"A", "C"}}},
		{"two amendments signed at once: the greater id",
			[]Version{v("A", "", 0), v("B", "A", 1), v("C", "A", 1)}, []Supersession{{"B", "C"}, {"A", "C"}}},
		{"two amendments of a report not imported", []Version{v("B", "A", 1), v("C", "A", 2)}, []Supersession{{"B", "C"}}},
		{"the losing amendment amended again: one current report",
			[]Version{v("A", "", 0), v("W", "A", 3), v("O", "A", 1), v("X", "O", 2)},
			[]Supersession{{"O", "X"}, {"X", "W"}, {"A", "W"}}},
		{"the amendment of the losing amendment signed last wins",
			[]Version{v("A", "", 0), v("W", "A", 2), v("O", "A", 1), v("X", "O", 3)},
			[]Supersession{{"A", "W"}, {"W", "X"}, {"O", "X"}}},
		{"a report amending itself is an original", []Version{v("A", "A", 0)}, nil},
		{"a forged cycle: the one signed last counts", []Version{v("A", "B", 1), v("B", "A", 2)}, []Supersession{{"A", "B"}}},
		{"two families at once",
			[]Version{v("A", "", 0), v("B", "A", 1), v("C", "", 0), v("D", "C", 1)}, []Supersession{{"A", "B"}, {"C", "D"}}},
		{"the same report twice", []Version{v("A", "", 0), v("B", "A", 1), v("A", "", 0)}, []Supersession{{"A", "B"}}},
	} {
		// The order the reports arrived in never matters.
		for _, in := range orderings(c.in) {
			got := Supersede(in)
			if len(got) == 0 {
				got = nil
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s (%v): %+v, want %+v", c.name, ids(in), got, c.want)
			}
		}
	}
}

func orderings(vs []Version) [][]Version {
	var out [][]Version
	for k := range vs {
		rot := append(slices.Clone(vs[k:]), vs[:k]...)
		out = append(out, rot)
		rev := slices.Clone(rot)
		slices.Reverse(rev)
		out = append(out, rev)
	}
	if len(out) == 0 {
		out = append(out, nil)
	}
	return out
}

func ids(vs []Version) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.ReportID)
	}
	return out
}

func TestCarryOver(t *testing.T) {
	prob := func(report, item, finding string) Problem {
		code := item + finding
		return Problem{ID: report + "/" + code, InspectionID: report, ItemCode: item, FindingID: finding}
	}
	rect := func(id string, s ProblemState, note string) Rectification {
		return Rectification{ProblemID: id, State: s, Note: note}
	}
	problems := map[string][]Problem{
		"A": {prob("A", "A1", ""), prob("A", "A2", ""), prob("A", "", "f1")},
		"B": {prob("B", "A1", ""), prob("B", "", "f1"), prob("B", "A3", "")},
		"C": {prob("C", "A1", ""), prob("C", "", "f1")},
		"X": {prob("X", "A1", "")},
	}
	for _, c := range []struct {
		name  string
		sups  []Supersession
		rects []Rectification
		want  []Rectification
	}{
		{"same item and same finding; an item the amendment lacks stays behind",
			[]Supersession{{"A", "B"}},
			[]Rectification{rect("A/A1", ProblemRectified, "a1"), rect("A/A2", ProblemRectified, "a2"), rect("A/f1", ProblemVerified, "f1")},
			[]Rectification{rect("B/A1", ProblemRectified, "a1"), rect("B/f1", ProblemVerified, "f1")}},
		{"the amendment's own record is kept",
			[]Supersession{{"A", "B"}},
			[]Rectification{rect("A/A1", ProblemRectified, "old"), rect("B/A1", ProblemVerified, "own")},
			nil},
		{"through a chain",
			[]Supersession{{"A", "B"}, {"B", "C"}},
			[]Rectification{rect("A/A1", ProblemRectified, "a1")},
			[]Rectification{rect("B/A1", ProblemRectified, "a1"), rect("C/A1", ProblemRectified, "a1")}},
		{"two replaced by one: the first in order (signed later) gives its record",
			[]Supersession{{"X", "C"}, {"A", "C"}},
			[]Rectification{rect("X/A1", ProblemVerified, "x"), rect("A/A1", ProblemRectified, "a"), rect("A/f1", ProblemRectified, "f")},
			[]Rectification{rect("C/A1", ProblemVerified, "x"), rect("C/f1", ProblemRectified, "f")}},
		{"nothing recorded", []Supersession{{"A", "B"}}, nil, nil},
	} {
		rects := map[string]Rectification{}
		for _, r := range c.rects {
			rects[r.ProblemID] = r
		}
		got := CarryOver(c.sups, problems, rects)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
		if len(rects) != len(c.rects) {
			t.Errorf("%s: rects changed", c.name)
		}
	}
}

func TestReplayFollowUps(t *testing.T) {
	// The first visit finds 桌牌 (A2) and badges (A1) wanting; the 回访 a
	// month later finds 桌牌 in order and badges wanting again. The two
	// reports came from laptops with different local unit ids.
	first := officeInspection(t, "r1", "L-1", "甲科", "区工商局", ModeCovert, []string{"王"}, may,
		Answer{ItemCode: "A1", Count: 1}, Answer{ItemCode: "A2", Result: ResultFail})
	second := officeInspection(t, "r2", "L-2", "甲科", "区工商局", ModeOpen, []string{"李"}, may.AddDate(0, 1, 0),
		Answer{ItemCode: "A1", Count: 2})
	visits := []Visit{{Problems: first.Problems}, {Inspection: second, Problems: second.Problems}}
	type change struct {
		id       string
		old, now ProblemState
	}
	for _, c := range []struct {
		name  string
		rects []Rectification
		want  []change
	}{
		{"nothing recorded: the fixed item is closed, the open one stays open",
			nil, []change{{"r1/A2", ProblemOpen, ProblemVerified}}},
		{"reported fixed but failed again: reopened",
			[]Rectification{{ProblemID: "r1/A1", State: ProblemRectified}},
			[]change{{"r1/A1", ProblemRectified, ProblemOpen}, {"r1/A2", ProblemOpen, ProblemVerified}}},
		{"already recorded: nothing to do",
			[]Rectification{{ProblemID: "r1/A2", State: ProblemVerified, FollowUp: "r2"}}, nil},
		{"closed by the office before the 回访: left alone",
			[]Rectification{{ProblemID: "r1/A2", State: ProblemVerified}}, nil},
	} {
		rects := map[string]Rectification{}
		for _, r := range c.rects {
			rects[r.ProblemID] = r
		}
		var got []change
		for _, ch := range ReplayFollowUps("U-1", visits, rects, may.AddDate(0, 2, 0)) {
			if ch.FollowUp != "r2" || ch.Problem.UnitID != "U-1" {
				t.Errorf("%s: %+v", c.name, ch)
			}
			got = append(got, change{ch.Problem.ID, ch.OldState, ch.Problem.State})
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	if second.UnitID != "L-2" {
		t.Fatal("the caller's inspection was changed")
	}
	// One visit: nothing to replay.
	if ch := ReplayFollowUps("U-1", visits[:1], nil, may); len(ch) != 0 {
		t.Fatalf("one visit: %+v", ch)
	}
}

func TestMarkImportedRepeats(t *testing.T) {
	day := func(d int) time.Time { return may.AddDate(0, 0, d) }
	result := func(id, unit string, observed time.Time, probs ...Problem) ReportResult {
		for i := range probs {
			probs[i].ID, probs[i].InspectionID = fmt.Sprintf("%s/%d", id, i), id
		}
		return ReportResult{ReportID: id, UnitID: unit, ObservedAt: observed, Problems: probs}
	}
	badge := Problem{ItemCode: "A1", Category: "胸牌", State: ProblemOpen}
	verified := func(p Problem, at time.Time) Problem {
		p.State, p.VerifiedAt = ProblemVerified, at
		return p
	}
	for _, c := range []struct {
		name    string
		results []ReportResult
		want    []bool // the last report's first problem, per report: repeat?
	}{
		{"same unit, earlier still open", []ReportResult{result("r1", "U", day(0), badge), result("r2", "U", day(9), badge)}, []bool{false, true}},
		{"another unit", []ReportResult{result("r1", "U", day(0), badge), result("r2", "V", day(9), badge)}, []bool{false, false}},
		{"verified before the second visit",
			[]ReportResult{result("r1", "U", day(0), verified(badge, day(5))), result("r2", "U", day(9), badge)}, []bool{false, false}},
		{"verified only after the second visit found it",
			[]ReportResult{result("r1", "U", day(0), verified(badge, day(12))), result("r2", "U", day(9), badge)}, []bool{false, true}},
		{"same category, another item",
			[]ReportResult{result("r1", "U", day(0), badge), result("r2", "U", day(9), Problem{ItemCode: "A9", Category: "胸牌"})}, []bool{false, true}},
		{"a third time, the second verified in time but itself a repeat",
			[]ReportResult{result("r1", "U", day(0), verified(badge, day(20))), result("r2", "U", day(9), verified(badge, day(10))),
				result("r3", "U", day(15), badge)}, []bool{false, true, true}},
	} {
		rs := slices.Clone(c.results)
		MarkImportedRepeats(rs)
		var got []bool
		for _, r := range rs {
			got = append(got, r.Problems[0].Repeat)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: repeats %v, want %v", c.name, got, c.want)
		}
		if c.results[len(c.results)-1].Problems[0].Repeat {
			t.Errorf("%s: the caller's problems were changed", c.name)
		}
	}
}
