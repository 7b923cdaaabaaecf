package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"mingcha/inspect"
)

// rosterScenario is what the office sees of the reports, by unit name (the
// unit ids differ when no roster ever arrives).
type rosterScenario struct {
	Units      int
	Ranking    []string // rank name score inspections problems
	Repeats    int
	Categories []string // category units problems repeats
	Problems   []string // id state repeat
	Office     []string // name reports problems
}

func officeScenario(t *testing.T, s *Store) rosterScenario {
	t.Helper()
	var sc rosterScenario
	o, err := s.Overview(inspect.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	sc.Units, sc.Repeats = o.Totals.Units, o.Totals.Repeats
	for _, r := range o.Ranking {
		sc.Ranking = append(sc.Ranking, fmt.Sprintf("%d %s %g %d %d", r.Rank, r.UnitName, r.Score, r.Inspections, r.Problems))
	}
	for _, c := range o.Categories {
		sc.Categories = append(sc.Categories, fmt.Sprintf("%s %d %d %d", c.Category, c.Units, c.Problems, c.Repeats))
	}
	probs, err := s.OfficeProblems(inspect.ProblemFilter{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		sc.Problems = append(sc.Problems, fmt.Sprintf("%s %s %v", p.ID, p.State, p.Repeat))
	}
	sort.Strings(sc.Problems)
	units, err := s.OfficeUnits()
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		sc.Office = append(sc.Office, fmt.Sprintf("%s %d %d", u.UnitName, u.Reports, u.Problems))
	}
	return sc
}

// TestRosterOrderOneUnit: reports of one unit from three laptops — one
// with the office's unit id, one with an inspector's local id, one with
// none — and the roster arrive in every order, or the roster never: the
// reports always meet on one unit, with the same ranking, categories,
// 重复问题 and 回访 states; with a roster the unit carries the roster's id.
// (Which 回访 is named as having closed a problem can differ: a visit
// imported after a later one finds the problem closed already.)
func TestRosterOrderOneUnit(t *testing.T) {
	jia := func(id string) inspect.Unit {
		return inspect.Unit{ID: id, Name: "区工商局企业登记科", Department: "区工商局", Kind: inspect.UnitOffice}
	}
	yi := inspect.Unit{ID: "L-7", Name: "区税务局办税窗口", Department: "区税务局", Kind: inspect.UnitWindow}
	month := func(n int) time.Time { return t0.AddDate(0, n-3, 0) }
	reports := map[string]*inspect.Inspection{
		// 桌牌 missing and two without badges.
		"R1": signedInspection(t, "R1", jia("L-1"), month(1), []string{"王"},
			inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail}, inspect.Answer{ItemCode: "A1", Count: 2}),
		// 回访: badges in order (closes R1/A1), 桌牌 still missing (a 重复问题).
		"R2": signedInspection(t, "R2", jia("U-1"), month(2), []string{"李"},
			inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail}),
		// A third visit: all in order (closes R1/A2 and R2/A2).
		"R3": signedInspection(t, "R3", jia(""), month(3), []string{"张"}),
		"Y1": signedInspection(t, "Y1", yi, month(2), []string{"王"}, inspect.Answer{ItemCode: "A1", Count: 1}),
	}
	roster := []inspect.Unit{
		jia("U-1"),
		{Name: "区税务局办税窗口", Department: "区税务局", Kind: inspect.UnitWindow},
	}
	orders := [][]string{
		{"roster", "R1", "R2", "R3", "Y1"},
		{"R1", "roster", "R2", "R3", "Y1"},
		{"R1", "R2", "roster", "Y1", "R3"},
		{"R3", "R1", "Y1", "R2", "roster"},
		{"R2", "Y1", "R3", "R1", "roster"},
		{"R1", "R2", "R3", "Y1"}, // never a roster
	}
	var want *rosterScenario
	for _, order := range orders {
		name := strings.Join(order, ",")
		s := MustOpen(t, Options{NoBackup: true})
		hasRoster := false
		for _, ev := range order {
			if ev == "roster" {
				rows := append([]inspect.Unit(nil), roster...)
				if _, _, err := s.ImportUnits("office", rows); err != nil {
					t.Fatal(err)
				}
				hasRoster = true
				continue
			}
			in := reports[ev]
			data, _ := json.Marshal(in)
			r, err := s.ImportReport("office", ev+".pdf", data, &inspect.SignedReport{Inspection: in, SigningTime: in.SignedAt})
			if err != nil || r.Outcome != ImportAccepted {
				t.Fatalf("%s: import %s: %+v %v", name, ev, r, err)
			}
		}
		got := officeScenario(t, s)
		if got.Units != 2 || len(got.Office) != 2 {
			t.Fatalf("%s: %d units in the overview, %v in the office's list: want 2", name, got.Units, got.Office)
		}
		if want == nil {
			want = &got
			t.Logf("%+v", got)
		} else if fmt.Sprint(got) != fmt.Sprint(*want) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, got, *want)
		}
		// One id per unit, the roster's when there is one.
		reps, _ := s.OfficeReports(inspect.Filter{}, true)
		ids := map[string]map[string]bool{}
		for _, r := range reps {
			if ids[r.UnitName] == nil {
				ids[r.UnitName] = map[string]bool{}
			}
			ids[r.UnitName][r.UnitID] = true
			for _, p := range r.Problems {
				if p.UnitID != r.UnitID {
					t.Errorf("%s: problem %s on unit %s, its report on %s", name, p.ID, p.UnitID, r.UnitID)
				}
			}
		}
		for unit, set := range ids {
			if len(set) != 1 {
				t.Errorf("%s: %s has ids %v", name, unit, set)
			}
			if hasRoster && unit == "区工商局企业登记科" && !set["U-1"] {
				t.Errorf("%s: %s has ids %v, want the roster's U-1", name, unit, set)
			}
			if !hasRoster && !set[inspect.UnitKey("区工商局", unit)] && !set[inspect.UnitKey("区税务局", unit)] {
				t.Errorf("%s: %s has ids %v, want its name key", name, unit, set)
			}
		}
		if h, err := s.UnitHistory("区工商局企业登记科", t0); err != nil || len(h.Reports) != 3 {
			t.Errorf("%s: history of 甲: %v", name, err)
		}
		if _, err := s.VerifyAudit(); err != nil {
			t.Fatal(err)
		}
	}
	// What the scenario is: R1/A1 closed by R2, R1/A2 and R2/A2 by R3;
	// R2/A2 a 重复问题 of R1/A2.
	wantProblems := []string{
		"R1/A1 verified false", "R1/A2 verified false", "R2/A2 verified true", "Y1/A1 open false",
	}
	if fmt.Sprint(want.Problems) != fmt.Sprint(wantProblems) {
		t.Errorf("problems %v, want %v", want.Problems, wantProblems)
	}
}

// TestRosterLaterByPutUnit: a unit added by hand after its reports (the
// roster screen) gathers them as an imported roster does.
func TestRosterLaterByPutUnit(t *testing.T) {
	s := MustOpen(t, Options{NoBackup: true})
	u := inspect.Unit{ID: "L-1", Name: "区工商局企业登记科", Department: "区工商局", Kind: inspect.UnitOffice}
	in := signedInspection(t, "R1", u, t0, []string{"王"}, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail})
	data, _ := json.Marshal(in)
	if _, err := s.ImportReport("office", "R1.pdf", data, &inspect.SignedReport{Inspection: in}); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.OfficeReport("R1"); r.UnitID != inspect.UnitKey("区工商局", "区工商局企业登记科") {
		t.Fatalf("before the roster: %s", r.UnitID)
	}
	ru := inspect.Unit{Name: "区工商局企业登记科", Department: "区工商局", Kind: inspect.UnitOffice}
	if err := s.PutUnit("office", &ru); err != nil {
		t.Fatal(err)
	}
	r, _ := s.OfficeReport("R1")
	if r.UnitID != ru.ID || r.Problems[0].UnitID != ru.ID {
		t.Fatalf("after PutUnit: report on %s, problem on %s, want %s", r.UnitID, r.Problems[0].UnitID, ru.ID)
	}
	probs, _ := s.OfficeProblems(inspect.ProblemFilter{UnitID: ru.ID}, t0)
	if len(probs) != 1 {
		t.Fatalf("problems of %s: %d", ru.ID, len(probs))
	}
	entries, _ := s.AuditFor("report/R1")
	last := entries[len(entries)-1]
	if last.Action != "office.unit_resolve" {
		t.Fatalf("audit: %+v", last)
	}

	// The unit leaves the roster: R1 goes back to its name, where a report
	// of the unit imported now goes too; back on the roster, both join it.
	if err := s.DeleteUnit("office", ru.ID); err != nil {
		t.Fatal(err)
	}
	key := inspect.UnitKey("区工商局", "区工商局企业登记科")
	if r, _ := s.OfficeReport("R1"); r.UnitID != key {
		t.Fatalf("after DeleteUnit: %s", r.UnitID)
	}
	in2 := signedInspection(t, "R2", inspect.Unit{ID: ru.ID, Name: u.Name, Department: u.Department, Kind: u.Kind}, t0.AddDate(0, 0, 7), []string{"李"})
	data, _ = json.Marshal(in2)
	if _, err := s.ImportReport("office", "R2.pdf", data, &inspect.SignedReport{Inspection: in2}); err != nil {
		t.Fatal(err)
	}
	if units, _ := s.OfficeUnits(); len(units) != 1 || units[0].UnitID != key || units[0].Reports != 2 {
		t.Fatalf("without the roster unit: %+v", units)
	}
	// The 回访 R2 closed R1/A2 on the way.
	if probs, _ := s.OfficeProblems(inspect.ProblemFilter{}, t0); len(probs) != 1 || probs[0].State != inspect.ProblemVerified {
		t.Fatalf("after the 回访: %+v", probs)
	}
	again := inspect.Unit{Name: u.Name, Department: u.Department, Kind: u.Kind}
	if _, _, err := s.ImportUnits("office", []inspect.Unit{again}); err != nil {
		t.Fatal(err)
	}
	units, _ := s.OfficeUnits()
	if len(units) != 1 || units[0].UnitID == key || units[0].Reports != 2 {
		t.Fatalf("back on the roster: %+v", units)
	}
}

// TestAmendmentFamilyWhateverOrder: a report corrected twice from the same
// original (R1a signed before R1b) counts once — as R1b — whatever the
// order the three arrive in, and 整改 recorded on the original carries over
// to R1b.
func TestAmendmentFamilyWhateverOrder(t *testing.T) {
	orig := signedInspection(t, "R1", officeUnit, t0, []string{"王"}, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail})
	amend := func(id string, signed time.Duration, badges int) *inspect.Inspection {
		am, err := orig.NewAmendment(id, t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := am.SetAnswer(inspect.Answer{ItemCode: "A1", Count: badges, Photos: []string{"ab"}}, t0); err != nil {
			t.Fatal(err)
		}
		if err := am.Complete(t0, nil, 15, inspect.Holidays{}); err != nil {
			t.Fatal(err)
		}
		_ = am.SetSignature(inspect.DrawnSignature{Inspector: "王", PNG: []byte{1}}, t0)
		if err := am.Sign(t0.Add(signed)); err != nil {
			t.Fatal(err)
		}
		return am
	}
	reports := map[string]*inspect.Inspection{"R1": orig, "R1a": amend("R1a", 2*time.Hour, 1), "R1b": amend("R1b", 3*time.Hour, 2)}
	for _, order := range [][]string{
		{"R1", "rectify", "R1a", "R1b"},
		{"R1", "rectify", "R1b", "R1a"},
		{"R1a", "R1", "R1b"},
		{"R1b", "R1a", "R1"},
		{"R1a", "R1b", "R1"},
	} {
		name := strings.Join(order, ",")
		s := MustOpen(t, Options{NoBackup: true})
		rectified := false
		for _, ev := range order {
			if ev == "rectify" {
				if _, err := s.ChangeProblem("office", "R1/A2", inspect.ActionRectify, "已补桌牌"); err != nil {
					t.Fatal(err)
				}
				rectified = true
				continue
			}
			in := reports[ev]
			data, _ := json.Marshal(in)
			if r, err := s.ImportReport("office", ev+".pdf", data, &inspect.SignedReport{Inspection: in, SigningTime: in.SignedAt}); err != nil || r.Outcome != ImportAccepted {
				t.Fatalf("%s: import %s: %+v %v", name, ev, r, err)
			}
		}
		cur, _ := s.OfficeReports(inspect.Filter{}, false)
		if len(cur) != 1 || cur[0].ReportID != "R1b" {
			t.Fatalf("%s: current reports %+v", name, cur)
		}
		for id, by := range map[string]string{"R1": "R1b", "R1a": "R1b"} {
			if r, _ := s.OfficeReport(id); r.SupersededBy != by {
				t.Errorf("%s: %s replaced by %q, want %q", name, id, r.SupersededBy, by)
			}
		}
		o, _ := s.Overview(inspect.Filter{})
		if o.Totals.Inspections != 1 || o.Ranking[0].Score != 56 {
			t.Errorf("%s: overview %+v, score %g", name, o.Totals, o.Ranking[0].Score)
		}
		probs, _ := s.OfficeProblems(inspect.ProblemFilter{}, t0)
		for _, p := range probs {
			if p.ID == "R1b/A2" && rectified != (p.State == inspect.ProblemRectified) {
				t.Errorf("%s: R1b/A2 is %s (rectified on R1: %v)", name, p.State, rectified)
			}
		}
		if _, err := s.VerifyAudit(); err != nil {
			t.Fatal(err)
		}
	}
}
