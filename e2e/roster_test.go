package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mingcha/assets"
	"mingcha/inspect"
	"mingcha/report"
	"mingcha/sheet"
	"mingcha/store"
)

// rosterInspection is a signed inspection of unit u with every item in
// order except the failures given (item code → the failing answer's change).
func rosterInspection(t *testing.T, tpl *inspect.Template, id string, u inspect.Unit, inspector string, observed time.Time, photo string, fails map[string]func(*inspect.Answer)) *inspect.Inspection {
	t.Helper()
	in, err := inspect.NewInspection(id, u, tpl, inspect.ModeCovert, []string{inspector}, observed, observed)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range in.Template.Items() {
		a := inspect.Answer{ItemCode: it.Code}
		switch it.Kind {
		case inspect.KindCheck:
			a.Result = inspect.ResultPass
		case inspect.KindCount:
			a.Counted = true
		case inspect.KindAttendance:
			a.Counted, a.Expected = true, 5
		case inspect.KindNumber:
			n := 10.0
			a.Number = &n
		case inspect.KindChoice:
			a.Choice = it.Choices[0].Label
		case inspect.KindText:
			a.Text = "秩序良好"
		}
		if f := fails[it.Code]; f != nil {
			f(&a)
			a.Photos = []string{photo}
		}
		if err := in.SetAnswer(a, observed); err != nil {
			t.Fatalf("%s item %s: %v", id, it.Code, err)
		}
	}
	if err := in.Complete(observed.Add(time.Hour), nil, 15, inspect.Holidays{}); err != nil {
		t.Fatal(err)
	}
	sig, _ := tinyPNG(t)
	if err := in.SetSignature(inspect.DrawnSignature{Inspector: inspector, PNG: sig}, observed); err != nil {
		t.Fatal(err)
	}
	if err := in.Sign(observed.Add(2 * time.Hour)); err != nil {
		t.Fatal(err)
	}
	return in
}

// TestRosterBeforeOrAfterReports: signed reports of one unit from two
// inspectors — one laptop with its own unit id, one with the office's — and
// of a second unit, imported with the office's roster (a CSV) first, in
// between, last or never. The overview, the ranking and the signed 通报's
// text are the same each time: the unit's reports meet on one unit.
func TestRosterBeforeOrAfterReports(t *testing.T) {
	tpl, err := inspect.ParseTemplate(assets.TemplateFiles()["combined.json"])
	if err != nil {
		t.Fatal(err)
	}
	ca, err := report.NewCA("区机关效能建设办公室")
	if err != nil {
		t.Fatal(err)
	}
	zhang, _ := ca.Issue("张督查", "区效能办")
	li, _ := ca.Issue("李督查", "区效能办")
	office, _ := ca.Issue("区机关效能建设办公室", "区效能办")
	photo, hash := tinyPNG(t)
	photos := photoBytes{hash: photo}

	jia := func(id string) inspect.Unit {
		return inspect.Unit{ID: id, Name: "区市场监管局登记窗口", Department: "区市场监管局", Kind: inspect.UnitWindow}
	}
	yi := inspect.Unit{Name: "区税务局办税窗口", Department: "区税务局", Kind: inspect.UnitWindow}
	day := func(d int) time.Time { return periodAt.AddDate(0, 0, d-1).Add(9 * time.Hour) }
	badges := func(a *inspect.Answer) { a.Count = 2 }
	sign := func(a *inspect.Answer) { a.Result = inspect.ResultFail }
	ins := map[string]*inspect.Inspection{
		// 张's laptop knows 甲 by its own id; 李's by the office's.
		"A1": rosterInspection(t, tpl, "MC-20260505-0001", jia("L-0042"), "张督查", day(5), hash, map[string]func(*inspect.Answer){"SP-01": badges}),
		"A2": rosterInspection(t, tpl, "MC-20260520-0002", jia("U-JIA"), "李督查", day(20), hash, map[string]func(*inspect.Answer){"SP-01": badges, "SP-04": sign}),
		"B1": rosterInspection(t, tpl, "MC-20260510-0003", yi, "张督查", day(10), hash, map[string]func(*inspect.Answer){"SP-04": sign}),
	}
	src := t.TempDir()
	files := map[string]string{}
	for name, in := range ins {
		id := zhang
		if in.Inspectors[0] == "李督查" {
			id = li
		}
		p := filepath.Join(src, name+".pdf")
		if err := os.WriteFile(p, signedPDF(t, in, photos, id), 0o600); err != nil {
			t.Fatal(err)
		}
		files[name] = p
	}
	roster, err := sheet.ReadRosterCSV([]byte("编号,单位名称,所属部门,单位类型\n" +
		"U-JIA,区市场监管局登记窗口,区市场监管局,服务窗口\n" +
		",区税务局办税窗口,区税务局,服务窗口\n"))
	if err != nil {
		t.Fatal(err)
	}

	period := inspect.Filter{From: periodAt, To: periodAt.AddDate(0, 1, 0)}
	date := time.Date(2026, 6, 5, 0, 0, 0, 0, cst)
	_, havePdftotext := exec.LookPath("pdftotext")
	var wantLines []string
	var wantText string
	for _, order := range [][]string{
		{"roster", "A1", "A2", "B1"},
		{"A1", "roster", "B1", "A2"},
		{"A2", "B1", "A1", "roster"},
		{"A1", "A2", "B1"},
	} {
		name := strings.Join(order, ",")
		s, err := store.Open(filepath.Join(t.TempDir(), "office.db"), store.Options{NoBackup: true,
			Now: func() time.Time { return periodAt.AddDate(0, 1, 10) }})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range order {
			if ev == "roster" {
				if _, _, err := s.ImportUnits("效能办", append([]inspect.Unit(nil), roster.Units...)); err != nil {
					t.Fatal(err)
				}
				continue
			}
			sum, err := s.ImportReports(context.Background(), "效能办", []string{files[ev]}, report.OfficeVerifier(ca.Pool()), nil)
			if err != nil || sum.Accepted != 1 {
				t.Fatalf("%s: import %s: %+v %v", name, ev, sum, err)
			}
		}
		o, err := s.Overview(period)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, r := range o.Ranking {
			lines = append(lines, fmt.Sprintf("%d %s %g %d %d", r.Rank, r.UnitName, r.Score, r.Inspections, r.Problems))
		}
		for _, c := range o.Categories {
			lines = append(lines, fmt.Sprintf("%s %d %d %d", c.Category, c.Units, c.Problems, c.Repeats))
		}
		lines = append(lines, fmt.Sprintf("units %d inspections %d problems %d repeats %d", o.Totals.Units, o.Totals.Inspections, o.Totals.Problems, o.Totals.Repeats))
		if o.Totals.Units != 2 || len(o.Ranking) != 2 {
			t.Fatalf("%s: %d units: %v", name, o.Totals.Units, lines)
		}
		// 甲's latest report ranks it; both its reports and their problems count.
		for _, r := range o.Ranking {
			if r.UnitName == jia("").Name && (r.Inspections != 2 || r.Problems != 3 || r.ReportID != ins["A2"].ID) {
				t.Errorf("%s: 甲 ranked %+v", name, r)
			}
		}
		// The badge problem found again is a 重复问题 of the first.
		if o.Totals.Repeats != 1 {
			t.Errorf("%s: %d 重复问题, want 1", name, o.Totals.Repeats)
		}
		if wantLines == nil {
			wantLines = lines
			t.Logf("overview: %v", lines)
		} else if fmt.Sprint(lines) != fmt.Sprint(wantLines) {
			t.Errorf("%s: overview\n%v\nwant\n%v", name, lines, wantLines)
		}

		pdf, err := report.RenderBulletin(&report.Bulletin{Office: "区机关效能建设办公室", Number: "效能通〔2026〕6号", Date: date, Overview: o})
		if err != nil {
			t.Fatal(err)
		}
		signed, err := report.Sign(pdf, office, "区机关效能建设办公室", date)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		if havePdftotext != nil {
			continue
		}
		pdfPath := filepath.Join(t.TempDir(), "通报.pdf")
		if err := os.WriteFile(pdfPath, signed, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-layout", pdfPath, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := string(out)
		if n := strings.Count(text, jia("").Name); n == 0 {
			t.Errorf("%s: the 通报 does not name 甲", name)
		}
		rankLines := 0
		for _, ln := range strings.Split(text, "\n") {
			if f := strings.Fields(ln); len(f) >= 2 && f[1] == jia("").Name {
				rankLines++
			}
		}
		if rankLines != 1 {
			t.Errorf("%s: 甲 has %d lines in the 通报's ranking, want 1", name, rankLines)
		}
		for _, c := range o.Categories {
			if !strings.Contains(text, inspect.CategoryHeadline(c)) {
				t.Errorf("%s: the 通报 lacks %q", name, inspect.CategoryHeadline(c))
			}
		}
		if wantText == "" {
			wantText = text
		} else if text != wantText {
			t.Errorf("%s: the 通报's text differs from the roster-first one", name)
		}
	}
	if havePdftotext != nil {
		t.Log("pdftotext is not installed (poppler-utils): the 通报's text is not checked")
	}
}
