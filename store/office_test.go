package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"mingcha/assets"
	"mingcha/inspect"
)

// signedInspection builds a signed inspection of the test template at unit
// u: fails maps item codes to their failing answers; the rest pass.
func signedInspection(tb testing.TB, id string, u inspect.Unit, observed time.Time, inspectors []string, fails ...inspect.Answer) *inspect.Inspection {
	tb.Helper()
	tpl, err := inspect.ParseTemplate([]byte(testTemplate))
	if err != nil {
		tb.Fatal(err)
	}
	in, err := inspect.NewInspection(id, u, tpl, inspect.ModeCovert, inspectors, observed, observed)
	if err != nil {
		tb.Fatal(err)
	}
	answers := map[string]inspect.Answer{
		"A1": {ItemCode: "A1", Counted: true},
		"A2": {ItemCode: "A2", Result: inspect.ResultPass},
		"A3": {ItemCode: "A3", Counted: true, Expected: 3},
	}
	for _, f := range fails {
		if f.ItemCode == "A1" {
			f.Photos = []string{"ab"}
		}
		answers[f.ItemCode] = f
	}
	for _, code := range []string{"A1", "A2", "A3"} {
		if err := in.SetAnswer(answers[code], observed); err != nil {
			tb.Fatal(err)
		}
	}
	if err := in.Complete(observed, nil, 15, inspect.Holidays{}); err != nil {
		tb.Fatal(err)
	}
	for _, n := range in.Inspectors {
		if err := in.SetSignature(inspect.DrawnSignature{Inspector: n, PNG: []byte{1}}, observed); err != nil {
			tb.Fatal(err)
		}
	}
	if err := in.Sign(observed.Add(time.Hour)); err != nil {
		tb.Fatal(err)
	}
	return in
}

// fakeVerify reads "files" that are the inspection's JSON; a file starting
// with "BAD" is rejected with the rest of its first line as the reason.
func fakeVerify(data []byte) (*inspect.SignedReport, *inspect.Error) {
	if reason, ok := bytes.CutPrefix(data, []byte("BAD ")); ok {
		return nil, &inspect.Error{Key: "verify.fake", Message: string(bytes.SplitN(reason, []byte("\n"), 2)[0])}
	}
	var in inspect.Inspection
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, &inspect.Error{Message: "not a report: " + err.Error()}
	}
	return &inspect.SignedReport{Inspection: &in, Signer: in.Inspectors[0], Trust: "office-ca", SigningTime: in.SignedAt}, nil
}

func writeReport(tb testing.TB, dir, name string, in *inspect.Inspection) string {
	tb.Helper()
	data, err := json.Marshal(in)
	if err != nil {
		tb.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return p
}

var officeUnit = inspect.Unit{ID: "U-1", Name: "区工商局企业登记科", Department: "区工商局", Kind: inspect.UnitOffice}

func TestImportOutcomes(t *testing.T) {
	s := MustOpen(t, Options{NoBackup: true})
	if err := s.PutUnit("office", &inspect.Unit{ID: "U-1", Name: officeUnit.Name, Department: officeUnit.Department, Kind: inspect.UnitOffice}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub", "deeper")
	if err := os.MkdirAll(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	a := signedInspection(t, "R1", officeUnit, t0, []string{"王"}, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail})
	// The same unit from a laptop with its own unit id: matched by name.
	other := officeUnit
	other.ID = "U-laptop"
	b := signedInspection(t, "R2", other, t0.Add(time.Hour), []string{"李"}, inspect.Answer{ItemCode: "A1", Count: 2})
	writeReport(t, dir, "a.pdf", a)
	writeReport(t, sub, "b.PDF", b)
	if err := os.WriteFile(filepath.Join(sub, "tampered.pdf"), []byte("BAD the signed bytes were changed\n{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a pdf"), 0o600); err != nil {
		t.Fatal(err)
	}
	var seen []ImportProgress
	sum, err := s.ImportReports(context.Background(), "office", []string{dir}, fakeVerify, func(p ImportProgress) { seen = append(seen, p) })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Accepted != 2 || sum.Rejected != 1 || len(sum.Files) != 3 || len(seen) != 3 || seen[2].Done != 3 || seen[2].Total != 3 {
		t.Fatalf("summary %+v progress %d", sum, len(seen))
	}
	for _, f := range sum.Files {
		if strings.HasSuffix(f.Path, "tampered.pdf") && (f.Outcome != ImportRejected || f.Reason != "the signed bytes were changed" || f.ReasonKey != "verify.fake") {
			t.Errorf("tampered: %+v", f)
		}
	}
	r2, err := s.OfficeReport("R2")
	if err != nil || r2.UnitID != "U-1" || r2.Problems[0].UnitID != "U-1" {
		t.Fatalf("R2 unit not matched to the roster: %+v %v", r2, err)
	}
	if _, err := os.Stat(s.ReportPath(r2.FileSHA256)); err != nil {
		t.Fatalf("PDF not kept: %v", err)
	}
	// R2's A1 problem found an hour after R1's A2: different items, no 回访 change.
	// Import again: the same files are duplicates, nothing changes.
	auditBefore, _ := s.VerifyAudit()
	sum, err = s.ImportReports(context.Background(), "office", []string{dir}, fakeVerify, nil)
	if err != nil || sum.Duplicates != 2 || sum.Accepted != 0 {
		t.Fatalf("second import: %+v %v", sum, err)
	}
	if n, _ := s.VerifyAudit(); n != auditBefore {
		t.Fatalf("a duplicate import wrote %d audit entries", n-auditBefore)
	}
	// The same report exported again (another file): a duplicate too.
	data, _ := json.Marshal(a)
	res, err := s.ImportReport("office", "again.pdf", append(data, ' '), &inspect.SignedReport{Inspection: a})
	if err != nil || res.Outcome != ImportDuplicate {
		t.Fatalf("re-export: %+v %v", res, err)
	}
	// Another report under an id already taken: rejected, nothing stored.
	forged := signedInspection(t, "R1", officeUnit, t0, []string{"王"})
	data, _ = json.Marshal(forged)
	res, err = s.ImportReport("office", "forged.pdf", data, &inspect.SignedReport{Inspection: forged})
	if err != nil || res.Outcome != ImportRejected || !strings.Contains(res.Reason, "same id R1") {
		t.Fatalf("conflicting id: %+v %v", res, err)
	}
	if res.ReasonKey != "import.id_taken" || res.ReasonParams["Report"] != "R1" || res.ReasonParams["File"] == "" {
		t.Errorf("conflicting id: key %q params %v", res.ReasonKey, res.ReasonParams)
	}
	if reps, _ := s.OfficeReports(inspect.Filter{}, true); len(reps) != 2 {
		t.Fatalf("%d reports stored", len(reps))
	}
	entries, _ := os.ReadDir(s.ReportDir())
	files := 0
	for _, e := range entries {
		sub, _ := os.ReadDir(filepath.Join(s.ReportDir(), e.Name()))
		files += len(sub)
	}
	if files != 2 {
		t.Fatalf("%d PDF files kept, want 2 (rejected and duplicate files leave none)", files)
	}
}

func TestImportCancelled(t *testing.T) {
	s := MustOpen(t, Options{NoBackup: true})
	dir := t.TempDir()
	// Reports are stored in batches: a cancel takes effect after the batch
	// being stored, so more files than one batch.
	total := 2*importBatchFiles + 8
	for i := 0; i < total; i++ {
		u := officeUnit
		u.ID, u.Name = "", fmt.Sprintf("单位%03d", i)
		writeReport(t, dir, u.Name+".pdf", signedInspection(t, fmt.Sprintf("R%03d", i), u, t0, []string{"王"}))
	}
	ctx, cancel := context.WithCancel(context.Background())
	sum, err := s.ImportReports(ctx, "office", []string{dir}, fakeVerify, func(p ImportProgress) {
		if p.Done == 5 {
			cancel()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	// The cancel takes effect after the batch being stored (at most a
	// batch: a batch is stored early when the next file is not verified).
	if !sum.Cancelled || sum.Accepted < 5 || sum.Accepted > 5+importBatchFiles || sum.Accepted+sum.Skipped != total {
		t.Fatalf("cancelled import: %d accepted, %d skipped, cancelled %v", sum.Accepted, sum.Skipped, sum.Cancelled)
	}
	reps, _ := s.OfficeReports(inspect.Filter{}, true)
	if len(reps) != sum.Accepted {
		t.Fatalf("%d reports stored, %d accepted", len(reps), sum.Accepted)
	}
	for _, r := range reps {
		if _, err := s.OfficeInspection(r.ReportID); err != nil {
			t.Fatalf("half-imported %s: %v", r.ReportID, err)
		}
	}
}

func TestAmendmentSupersedes(t *testing.T) {
	for _, order := range []string{"original first", "amendment first"} {
		t.Run(order, func(t *testing.T) {
			s := MustOpen(t, Options{NoBackup: true})
			orig := signedInspection(t, "R1", officeUnit, t0, []string{"王"}, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail})
			am, err := orig.NewAmendment("R1a", t0)
			if err != nil {
				t.Fatal(err)
			}
			// The correction: A2 did pass, one badge missing instead.
			for _, a := range []inspect.Answer{{ItemCode: "A2", Result: inspect.ResultPass}, {ItemCode: "A1", Count: 1, Photos: []string{"ab"}}} {
				if err := am.SetAnswer(a, t0); err != nil {
					t.Fatal(err)
				}
			}
			if err := am.Complete(t0, nil, 15, inspect.Holidays{}); err != nil {
				t.Fatal(err)
			}
			_ = am.SetSignature(inspect.DrawnSignature{Inspector: "王", PNG: []byte{1}}, t0)
			if err := am.Sign(t0.Add(2 * time.Hour)); err != nil {
				t.Fatal(err)
			}
			list := []*inspect.Inspection{orig, am}
			if order == "amendment first" {
				list = []*inspect.Inspection{am, orig}
			}
			for _, in := range list {
				data, _ := json.Marshal(in)
				if _, err := s.ImportReport("office", in.ID+".pdf", data, &inspect.SignedReport{Inspection: in, SigningTime: in.SignedAt}); err != nil {
					t.Fatal(err)
				}
			}
			cur, _ := s.OfficeReports(inspect.Filter{}, false)
			if len(cur) != 1 || cur[0].ReportID != "R1a" {
				t.Fatalf("current reports %+v", cur)
			}
			r1, _ := s.OfficeReport("R1")
			if r1.SupersededBy != "R1a" {
				t.Fatalf("R1 superseded by %q", r1.SupersededBy)
			}
			o, _ := s.Overview(inspect.Filter{})
			if o.Totals.Inspections != 1 || o.Ranking[0].Score != 98 || o.Totals.Problems != 1 {
				t.Fatalf("overview after amendment: %+v", o.Totals)
			}
		})
	}
}

func TestFollowUpAndRectification(t *testing.T) {
	s := MustOpen(t, Options{NoBackup: true, Now: func() time.Time { return t0.AddDate(0, 2, 0) }})
	first := signedInspection(t, "R1", officeUnit, t0, []string{"王"},
		inspect.Answer{ItemCode: "A1", Count: 2}, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail})
	imp := func(in *inspect.Inspection) ImportResult {
		t.Helper()
		data, _ := json.Marshal(in)
		r, err := s.ImportReport("office", in.ID+".pdf", data, &inspect.SignedReport{Inspection: in})
		if err != nil || r.Outcome != ImportAccepted {
			t.Fatalf("import %s: %+v %v", in.ID, r, err)
		}
		return r
	}
	imp(first)
	now := t0.AddDate(0, 2, 0)
	probs, err := s.OfficeProblems(inspect.ProblemFilter{OverdueAt: now}, now)
	if err != nil || len(probs) != 2 || !probs[0].Overdue || probs[0].DaysLate == 0 {
		t.Fatalf("overdue problems: %+v %v", probs, err)
	}
	// The unit reports A2 fixed; verifying before that is refused.
	if _, err := s.ChangeProblem("office", "R1/A2", inspect.ActionVerify, ""); inspect.ErrorCode(err) != inspect.ECodeForbidden {
		t.Fatalf("verify an open problem: %v", err)
	}
	if p, err := s.ChangeProblem("office", "R1/A2", inspect.ActionRectify, "已补桌牌"); err != nil || p.State != inspect.ProblemRectified {
		t.Fatalf("rectify: %+v %v", p, err)
	}
	if _, err := s.ChangeProblem("office", "R9/A2", inspect.ActionRectify, ""); inspect.ErrorCode(err) != inspect.ECodeNotFound {
		t.Fatalf("unknown problem: %v", err)
	}
	// 回访: badges fine now (closes A1 though never reported), 桌牌 still
	// wrong (reopens A2).
	later := signedInspection(t, "R2", officeUnit, t0.AddDate(0, 1, 0), []string{"李"}, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail})
	if r := imp(later); r.FollowUps != 2 {
		t.Fatalf("follow-ups %d, want 2", r.FollowUps)
	}
	all, _ := s.OfficeProblems(inspect.ProblemFilter{}, now)
	states := map[string]string{}
	for _, p := range all {
		states[p.ID] = string(p.State) + " " + p.FollowUp
	}
	if states["R1/A1"] != "verified R2" || states["R1/A2"] != "open R2" || states["R2/A2"] != "open " {
		t.Fatalf("states after 回访: %v", states)
	}
	for _, p := range all {
		if p.ID == "R2/A2" && !p.Repeat {
			t.Error("R2/A2 is a 重复问题 of the unfixed R1/A2")
		}
	}
	entries, _ := s.AuditFor("problem/R1/A")
	if len(entries) != 3 {
		t.Fatalf("audit of problem changes: %d entries", len(entries))
	}
	// The 回访's changes are by the 回访 and its inspector, the importer
	// named in the entry (QA: every one said "cli").
	for _, e := range entries[1:] {
		if e.Who != "回访 R2（李）" || !strings.Contains(string(e.New), `"imported_by":"office"`) {
			t.Errorf("follow-up entry by %q: %s", e.Who, e.New)
		}
	}
	if _, err := s.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
}

func TestFollowUpImportedOutOfOrder(t *testing.T) {
	s := MustOpen(t, Options{NoBackup: true})
	first := signedInspection(t, "R1", officeUnit, t0, []string{"王"}, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail})
	later := signedInspection(t, "R2", officeUnit, t0.AddDate(0, 1, 0), []string{"李"})
	for _, in := range []*inspect.Inspection{later, first} {
		data, _ := json.Marshal(in)
		if _, err := s.ImportReport("office", in.ID, data, &inspect.SignedReport{Inspection: in}); err != nil {
			t.Fatal(err)
		}
	}
	probs, _ := s.OfficeProblems(inspect.ProblemFilter{}, t0)
	if len(probs) != 1 || probs[0].State != inspect.ProblemVerified || probs[0].FollowUp != "R2" {
		t.Fatalf("the 回访 imported first did not close the problem: %+v", probs)
	}
}

func TestDrawsAndUnitImport(t *testing.T) {
	s := MustOpen(t, Options{NoBackup: true})
	units := []inspect.Unit{
		{Name: "甲", Department: "区工商局", Kind: inspect.UnitOffice},
		{Name: "乙", Department: "区工商局", Kind: inspect.UnitWindow},
		{Name: "丙", Department: "区税务局", Kind: inspect.UnitWindow},
	}
	c, u, err := s.ImportUnits("office", units)
	if err != nil || c != 3 || u != 0 {
		t.Fatalf("import: %d %d %v", c, u, err)
	}
	// Again by name, one changed: updates, no duplicates.
	again := []inspect.Unit{{Name: "甲", Department: "区工商局", Kind: inspect.UnitOffice, Address: "一楼"}, {Name: "乙", Department: "区工商局", Kind: inspect.UnitWindow}}
	c, u, err = s.ImportUnits("office", again)
	if err != nil || c != 0 || u != 1 {
		t.Fatalf("re-import: created %d updated %d %v", c, u, err)
	}
	bad := []inspect.Unit{{Name: "丁", Kind: inspect.UnitOffice}, {Name: "", Kind: inspect.UnitOffice}}
	if _, _, err := s.ImportUnits("office", bad); err == nil {
		t.Fatal("invalid unit imported")
	}
	stored, _ := s.Units()
	if len(stored) != 3 {
		t.Fatalf("%d units stored", len(stored))
	}
	d, err := inspect.DrawUnits(stored, inspect.DrawFilter{Kind: inspect.UnitWindow}, 1, "s1", t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraw("office", d); err != nil {
		t.Fatal(err)
	}
	draws, _ := s.Draws()
	if len(draws) != 1 || draws[0].Seed != "s1" || draws[0].Seq != 1 || len(draws[0].Candidates) != 2 {
		t.Fatalf("draws %+v", draws)
	}
	entries, _ := s.AuditFor("draw/")
	if len(entries) != 1 || !strings.Contains(string(entries[0].New), `"seed":"s1"`) {
		t.Fatalf("draw audit %+v", entries)
	}
	if ok, err := draws[0].Reproduce(stored); !ok || err != nil {
		t.Fatalf("reproduce: %v %v", ok, err)
	}
}

func TestImportVerifierPanics(t *testing.T) {
	s := MustOpen(t, Options{NoBackup: true})
	dir := t.TempDir()
	p := filepath.Join(dir, "x.pdf")
	_ = os.WriteFile(p, []byte("%PDF"), 0o600)
	sum, err := s.ImportReports(context.Background(), "o", []string{p}, func([]byte) (*inspect.SignedReport, *inspect.Error) { panic("boom") }, nil)
	if err != nil || sum.Rejected != 1 || !strings.Contains(sum.Files[0].Reason, "boom") {
		t.Fatalf("%+v %v", sum, err)
	}
	if _, err := s.ImportReports(context.Background(), "o", []string{filepath.Join(dir, "missing")}, fakeVerify, nil); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing path: %v", err)
	}
}

// FuzzImportPayload feeds the store what a validly signed report could
// carry: any inspection JSON. Nothing may panic, and whatever is accepted
// must list, summarise and reload.
func FuzzImportPayload(f *testing.F) {
	in := signedInspection(f, "R1", officeUnit, t0, []string{"王"}, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail})
	good, _ := json.Marshal(in)
	f.Add(good)
	am, _ := in.NewAmendment("R1a", t0)
	amj, _ := json.Marshal(am)
	f.Add(amj)
	f.Add([]byte(`{"id":"x\u0000y","unit":{"name":"a"},"status":"signed"}`))
	f.Add([]byte(`{"id":"R2","unit_id":"U-1","unit":{"name":"甲"},"status":"completed","answers":{"A1":null},"problems":[{"id":"R2/A1","item":"A1"}]}`))
	s := MustOpen(f, Options{NoBackup: true})
	f.Fuzz(func(t *testing.T, data []byte) {
		var in inspect.Inspection
		if json.Unmarshal(data, &in) != nil {
			return
		}
		res, err := s.ImportReport("fuzz", "f.pdf", data, &inspect.SignedReport{Inspection: &in})
		if err != nil {
			t.Fatalf("import error (want an outcome): %v", err)
		}
		if res.Outcome == ImportAccepted {
			if _, err := s.OfficeInspection(in.ID); err != nil {
				t.Fatalf("accepted %q but cannot reload it: %v", in.ID, err)
			}
		}
		if _, err := s.Overview(inspect.Filter{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.OfficeProblems(inspect.ProblemFilter{}, t0); err != nil {
			t.Fatal(err)
		}
	})
}

// TestImportReasonKeysTranslated: every reason key of the store's own is in
// both translation files, so the import list can show it localised.
func TestImportReasonKeysTranslated(t *testing.T) {
	files, err := filepath.Glob("office*.go")
	if err != nil {
		t.Fatal(err)
	}
	var keys [][]byte
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, regexp.MustCompile(`"import\.[a-z_]+"`).FindAll(src, -1)...)
	}
	if len(keys) < 8 {
		t.Fatalf("found %d reason keys in office*.go", len(keys))
	}
	for _, name := range []string{"en.json", "zh-Hans.json"} {
		data, err := assets.Translations.ReadFile("translations/" + name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if _, ok := m[strings.Trim(string(k), `"`)]; !ok {
				t.Errorf("%s is missing from %s", k, name)
			}
		}
	}
}
