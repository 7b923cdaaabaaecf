package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"mingcha/assets"
	"mingcha/docx/docxtest"
	"mingcha/inspect"
	"mingcha/office"
	"mingcha/report"
	"mingcha/sheet"
	"mingcha/store"
)

// officeReports writes n signed reports of the combined template, unit i
// failing the badge item i%3 times, signed by an identity the CA issued.
func officeReports(t *testing.T, dir string, ca *report.CA, n int) []*inspect.Inspection {
	t.Helper()
	tpl, err := inspect.ParseTemplate(assets.TemplateFiles()["combined.json"])
	if err != nil {
		t.Fatal(err)
	}
	id, err := ca.Issue("张督查", "区效能办")
	if err != nil {
		t.Fatal(err)
	}
	var out []*inspect.Inspection
	observed := time.Date(2026, 5, 4, 9, 0, 0, 0, time.Local)
	for i := 1; i <= n; i++ {
		u := inspect.Unit{ID: fmt.Sprintf("U-%d", i), Name: fmt.Sprintf("单位%d", i), Department: "区工商局", Kind: inspect.UnitWindow}
		in, err := inspect.NewInspection(fmt.Sprintf("R-%d", i), u, tpl, inspect.ModeCovert, []string{"张督查"}, observed, observed)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range in.Template.Items() {
			a := inspect.Answer{ItemCode: it.Code, Result: inspect.ResultNA}
			if it.Code == "SP-01" {
				a = inspect.Answer{ItemCode: it.Code, Counted: true, Count: i % 3, Photos: []string{"00"}}
			}
			if err := in.SetAnswer(a, observed); err != nil {
				t.Fatal(err)
			}
		}
		if err := in.Complete(observed, nil, 15, inspect.Holidays{}); err != nil {
			t.Fatal(err)
		}
		_ = in.SetSignature(inspect.DrawnSignature{Inspector: "张督查", PNG: []byte{1}}, observed)
		if err := in.Sign(observed); err != nil {
			t.Fatal(err)
		}
		pdf, err := report.Render(in, nil, report.RenderOptions{NoPhotos: true})
		if err != nil {
			t.Fatal(err)
		}
		signed, err := report.Sign(pdf, id, "张督查", observed)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, in.ID+".pdf"), signed, 0o600); err != nil {
			t.Fatal(err)
		}
		out = append(out, in)
	}
	return out
}

func TestOfficeCommands(t *testing.T) {
	tmp := t.TempDir()
	db := filepath.Join(tmp, "office.db")
	t.Setenv("MINGCHA_CA_PASSPHRASE", "ca-secret")
	t.Setenv("MINGCHA_PASSPHRASE", "office-secret")
	t.Setenv("MINGCHA_USER", "效能办小王")
	caDir := filepath.Join(tmp, "ca")
	if code, out, errs := runCLI(t, "ca", "init", "--db", db, "--out", caDir, "--name", "区效能办"); code != 0 {
		t.Fatalf("ca init: %s %s", out, errs)
	}
	caData, _ := os.ReadFile(filepath.Join(caDir, "office-ca.p12"))
	ca, err := report.LoadCA(caData, "ca-secret")
	if err != nil {
		t.Fatal(err)
	}
	reports := filepath.Join(tmp, "reports")
	_ = os.MkdirAll(reports, 0o700)
	ins := officeReports(t, reports, ca, 6)
	// One file tampered: the import lists it and fails, the rest goes in.
	data, _ := os.ReadFile(filepath.Join(reports, "R-2.pdf"))
	_ = os.WriteFile(filepath.Join(reports, "R-2-copy.pdf"), append(data, "\n%%EOF\n"...), 0o600)

	if code, out, errs := runCLI(t, "office", "config", "--db", db, "--ca", filepath.Join(caDir, "office-ca.pem")); code != 0 || !strings.Contains(out, "office CA set") {
		t.Fatalf("office config: %s %s", out, errs)
	}
	code, out, errs := runCLI(t, "office", "import", "--db", db, reports)
	if code == 0 || !strings.Contains(out, "accepted 6") || !strings.Contains(out, "REJECTED") || !strings.Contains(errs, "1 of 7 files were rejected") {
		t.Fatalf("office import: %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = runCLI(t, "office", "import", "--db", db, "--json", filepath.Join(reports, "R-1.pdf"))
	var sum store.ImportSummary
	if code != 0 || json.Unmarshal([]byte(out), &sum) != nil || sum.Duplicates != 1 {
		t.Fatalf("second import: %d %s", code, out)
	}

	code, out, errs = runCLI(t, "office", "overview", "--db", db, "--period", "2026-05", "--json")
	var o inspect.Overview
	if code != 0 || json.Unmarshal([]byte(out), &o) != nil {
		t.Fatalf("overview: %d %s %s", code, out, errs)
	}
	badge := 0
	for _, in := range ins {
		if in.Answers["SP-01"].Count > 0 {
			badge++
		}
	}
	if o.Totals.Inspections != 6 || len(o.Categories) != 1 || o.Categories[0].Units != badge || o.Ranking[0].Score != 100 {
		t.Fatalf("overview %+v %+v", o.Totals, o.Categories)
	}
	if code, out, _ := runCLI(t, "office", "overview", "--db", db, "--from", "2026-05-01", "--to", "2026-05-31"); code != 0 ||
		!strings.Contains(out, fmt.Sprintf("胸牌 (units %d,", badge)) {
		t.Fatalf("overview text: %s", out)
	}
	if code, _, errs := runCLI(t, "office", "overview", "--db", db, "--period", "2026-13"); code == 0 || !strings.Contains(errs, "no month 13") {
		t.Fatalf("bad period: %s", errs)
	}

	// 整改: the deadlines (15 working days after 2026-05-04) have passed.
	code, out, _ = runCLI(t, "office", "problems", "--db", db, "--overdue", "--json")
	var probs []store.OfficeProblem
	if code != 0 || json.Unmarshal([]byte(out), &probs) != nil || len(probs) != badge || !probs[0].Overdue {
		t.Fatalf("problems: %s", out)
	}
	pid := probs[0].ID
	if code, _, errs := runCLI(t, "office", "verify-fix", "--db", db, pid); code == 0 || errs == "" {
		t.Fatal("verified an open problem")
	}
	if code, out, _ := runCLI(t, "office", "rectify", "--db", db, pid, "--note", "已补发胸牌"); code != 0 || !strings.Contains(out, "rectified") {
		t.Fatalf("rectify: %s", out)
	}
	if code, out, _ := runCLI(t, "office", "verify-fix", "--db", db, pid); code != 0 || !strings.Contains(out, "fix verified") {
		t.Fatalf("verify-fix: %s", out)
	}
	code, out, _ = runCLI(t, "office", "problems", "--db", db, "--overdue", "--json")
	if code != 0 || json.Unmarshal([]byte(out), &probs) != nil || len(probs) != badge-1 {
		t.Fatalf("overdue after the fix: %s", out)
	}

	// The 通报, signed with an office key the CA issued.
	officeKey, _ := ca.Issue("区效能办", "区机关效能建设办公室")
	p12, _ := officeKey.MarshalP12("office-secret")
	keyPath := filepath.Join(tmp, "office.p12")
	_ = os.WriteFile(keyPath, p12, 0o600)
	intro := filepath.Join(tmp, "intro.txt")
	_ = os.WriteFile(intro, []byte("根据区委工作部署，五月份开展了窗口服务专项暗访。"), 0o600)
	pdfPath := filepath.Join(tmp, "通报.pdf")
	code, out, errs = runCLI(t, "office", "bulletin", "--db", db, "--period", "2026-05", "-o", pdfPath, "--key", keyPath,
		"--intro-file", intro, "--number", "效能通〔2026〕5号", "--date", "2026-06-05")
	if code != 0 || !strings.Contains(out, "signed by 区效能办") {
		t.Fatalf("bulletin: %s %s", out, errs)
	}
	if text := pdfText(t, pdfPath); text != "" && (!strings.Contains(text, "窗口服务专项暗访") || !strings.Contains(text, "区机关效能建设办公室")) {
		t.Errorf("bulletin text lacks the intro or the office:\n%s", text)
	}
	// Draft → edit → proof → sign: the generated 正文 as a text draft, an
	// edit in it, an unsigned proof (校样 on every page) with its .docx.
	draft := filepath.Join(tmp, "通报草稿.md")
	if code, out, errs := runCLI(t, "office", "bulletin", "--db", db, "--period", "2026-05", "--draft", draft); code != 0 {
		t.Fatalf("bulletin --draft: %s %s", out, errs)
	}
	text, _ := os.ReadFile(draft)
	if !strings.Contains(string(text), "# 一、总体情况") {
		t.Fatalf("draft:\n%s", text)
	}
	edited := strings.Replace(string(text), "# 四、整改要求", "# 四、整改要求\n\n经研究，对以上单位提出如下整改要求。", 1)
	_ = os.WriteFile(draft, []byte(edited), 0o600)
	proof, proofDocx := filepath.Join(tmp, "校样.pdf"), filepath.Join(tmp, "通报.docx")
	code, out, errs = runCLI(t, "office", "bulletin", "--db", db, "--period", "2026-05", "-o", proof, "--unsigned",
		"--from-draft", draft, "--docx", proofDocx, "--recipients", "区直各单位", "--cc", "区纪委监委")
	if code != 0 || !strings.Contains(out, "signed by nobody") {
		t.Fatalf("proof: %s %s", out, errs)
	}
	if text := pdfText(t, proof); text != "" && (!strings.Contains(text, "经研究，对以上单位提出如下整改要求。") || !strings.Contains(text, "校样") ||
		!strings.Contains(text, "区直各单位：") || !strings.Contains(text, "抄送：区纪委监委。")) {
		t.Errorf("proof lacks the edit, the 校样 mark, 主送 or 抄送:\n%s", text)
	}
	if got := docxtest.Reopen(t, proofDocx); got.Header != "校样" || len(got.Tables) != 1 {
		t.Errorf("proof .docx: header %q, %d tables", got.Header, len(got.Tables))
	}
	// mingcha verify checks a 通报 too, and against the office CA.
	caPEM := filepath.Join(tmp, "ca.pem")
	_ = os.WriteFile(caPEM, ca.CertPEM(), 0o600)
	if code, out, errs := runCLI(t, "verify", "--ca", caPEM, pdfPath); code != 0 || !strings.Contains(out, "valid: bulletin") || !strings.Contains(out, "trust office-ca") {
		t.Fatalf("verify bulletin: %d %s %s", code, out, errs)
	}

	// 整改通知书 for one unit: signed, verifies, names exactly that unit's
	// open problems (with their report ids), recorded on each of them.
	target := probs[1]
	rs, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	open, _ := rs.OfficeProblems(inspect.ProblemFilter{UnitID: target.UnitID, States: []inspect.ProblemState{inspect.ProblemOpen}}, time.Now())
	others, _ := rs.OfficeProblems(inspect.ProblemFilter{}, time.Now())
	rs.Close()
	noticePath, noticeDocx := filepath.Join(tmp, "整改通知书.pdf"), filepath.Join(tmp, "整改通知书.docx")
	code, out, errs = runCLI(t, "office", "notice", "--db", db, target.UnitName, "-o", noticePath, "--key", keyPath,
		"--number", "效能整改〔2026〕1号", "--date", "2026-06-05", "--contact", "联系人：王明，电话：0571-88886666", "--docx", noticeDocx)
	if code != 0 || !strings.Contains(out, "signed by 区效能办") {
		t.Fatalf("notice: %d %s %s", code, out, errs)
	}
	if code, out, errs := runCLI(t, "verify", "--ca", caPEM, noticePath); code != 0 || !strings.Contains(out, "valid: rectification notice") {
		t.Fatalf("verify notice: %d %s %s", code, out, errs)
	}
	if text := strings.Join(strings.Fields(pdfText(t, noticePath)), ""); text != "" {
		if !strings.Contains(text, target.UnitName+"：") || !strings.Contains(text, "效能整改〔2026〕1号") || !strings.Contains(text, "联系人：王明") {
			t.Errorf("notice lacks 主送, 文号 or contact:\n%s", text)
		}
		for _, p := range others {
			named := strings.Contains(text, "检查报告"+p.ReportID)
			want := p.UnitID == target.UnitID && p.State == inspect.ProblemOpen
			if named != want {
				t.Errorf("notice names problem %s of %s: %v, want %v", p.ID, p.UnitName, named, want)
			}
		}
	}
	if got := docxtest.Reopen(t, noticeDocx); len(got.Paragraphs) == 0 || !strings.Contains(fmt.Sprint(got.Paragraphs), target.UnitName) {
		t.Errorf("notice .docx: %q", got.Paragraphs)
	}
	rs, err = store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range open {
		if refs, err := rs.Notices(p.ID); err != nil || len(refs) != 1 || refs[0].Number != "效能整改〔2026〕1号" {
			t.Errorf("notices of %s: %+v %v", p.ID, refs, err)
		}
	}
	rs.Close()
	if len(open) == 0 {
		t.Fatal("the unit has no open problem")
	}

	// 延期: a later deadline with a reason, audited; refused without one.
	ext := open[0].ID
	if code, _, errs := runCLI(t, "office", "extend", "--db", db, ext, "--until", "2099-08-31"); code == 0 || errs == "" {
		t.Fatal("extended without a reason")
	}
	if code, out, errs := runCLI(t, "office", "extend", "--db", db, ext, "--until", "2099-08-31", "--reason", "装修期间暂停窗口服务"); code != 0 || !strings.Contains(out, "2099-08-31") {
		t.Fatalf("extend: %d %s %s", code, out, errs)
	}
	rs, err = store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := rs.OfficeProblems(inspect.ProblemFilter{UnitID: target.UnitID}, time.Now())
	audit, _ := rs.AuditFor("problem/" + ext)
	rs.Close()
	for _, p := range after {
		if p.ID == ext && p.Deadline.Format(time.DateOnly) != "2099-08-31" {
			t.Errorf("deadline after 延期: %s", p.Deadline)
		}
	}
	if aj, _ := json.Marshal(audit); !strings.Contains(string(aj), "装修期间暂停窗口服务") {
		t.Error("the 延期 reason is not in the audit log")
	}
	// 催办: the overdue problems by unit, and as a workbook.
	chase := filepath.Join(tmp, "催办.xlsx")
	code, out, errs = runCLI(t, "office", "chase", "--db", db, "-o", chase)
	if code != 0 || !strings.Contains(out, " late") {
		t.Fatalf("chase: %d %s %s", code, out, errs)
	}
	if strings.Contains(out, ext) {
		t.Errorf("the extended problem is still listed as overdue:\n%s", out)
	}
	cx, err := excelize.OpenFile(chase)
	if err != nil {
		t.Fatal(err)
	}
	crows, _ := cx.GetRows(sheet.SheetChase)
	cx.Close()
	if len(crows) < 3 || crows[1][5] != "逾期天数" {
		t.Errorf("催办 workbook rows %q", crows)
	}

	if code, out, errs := runCLI(t, "office", "history", "--db", db, "单位1"); code != 0 || !strings.Contains(out, "R-1") || !strings.Contains(out, "fix verified") ||
		!strings.Contains(out, "已补发胸牌") {
		t.Fatalf("history: %s %s", out, errs)
	}
	if code, _, errs := runCLI(t, "office", "history", "--db", db, "单位99"); code == 0 || !strings.Contains(errs, "单位99") {
		t.Fatalf("history of an unknown unit: %s", errs)
	}

	// The window's 通报 goes through the same code: the passphrase it asked
	// for, a wrong one refused.
	func() {
		s, err := store.Open(db, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		req := office.BulletinRequest{
			Filter: inspect.Filter{From: time.Date(2026, 5, 1, 0, 0, 0, 0, time.Local), To: time.Date(2026, 6, 1, 0, 0, 0, 0, time.Local)},
			Date:   time.Date(2026, 6, 5, 0, 0, 0, 0, time.Local), KeyPath: keyPath, Intro: "窗口服务专项暗访（窗口版）", Passphrase: "typo",
		}
		win := filepath.Join(tmp, "通报-window.pdf")
		if _, err := office.New(s, office.Keys{}).Bulletin(req, win); !errors.Is(err, report.ErrWrongPassphrase) {
			t.Fatalf("wrong passphrase: %v", err)
		}
		req.Passphrase = "office-secret"
		res, err := office.New(s, office.Keys{}).Bulletin(req, win)
		if err != nil || res.Signer != "区效能办" || res.Inspections != 6 {
			t.Fatalf("window bulletin: %+v %v", res, err)
		}
		if code, out, errs := runCLI(t, "verify", win); code != 0 || !strings.Contains(out, "通报") {
			t.Errorf("verify the window's 通报: %s %s", out, errs)
		}
		if text := pdfText(t, win); text != "" && !strings.Contains(text, "窗口版") {
			t.Errorf("the window's 通报 lacks its intro:\n%s", text)
		}
	}()

	xlsx := filepath.Join(tmp, "results.xlsx")
	if code, out, errs := runCLI(t, "office", "export", "--db", db, "--period", "2026-05", "-o", xlsx); code != 0 {
		t.Fatalf("export: %s %s", out, errs)
	}
	x, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("检查结果")
	x.Close()
	if len(rows) != 8 { // title, header, six results
		t.Fatalf("results sheet: %d rows", len(rows))
	}

	// 抽签 without a roster draws from the units the imported reports name;
	// --skip-recent leaves out those inspected lately (here: all of them).
	if code, out, errs := runCLI(t, "office", "draw", "--db", db, "--n", "2", "--seed", "无名册"); code != 0 || !strings.Contains(out, "单位") {
		t.Fatalf("draw without a roster: %d %s %s", code, out, errs)
	}
	if code, out, _ := runCLI(t, "office", "draw", "--db", db, "--n", "1", "--skip-recent", "36500"); code == 0 {
		t.Fatalf("drew a unit inspected within 100 years: %s", out)
	}

	// Roster: a GBK CSV with a bad row imports nothing, then the good rows.
	csv := "单位名称,所属部门,单位类型\n窗口甲,区工商局,服务窗口\n,区税务局,机关科室\n窗口乙,区工商局,服务窗口\n"
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(csv))
	rosterPath := filepath.Join(tmp, "名册.csv")
	_ = os.WriteFile(rosterPath, gbk, 0o600)
	code, out, errs = runCLI(t, "units", "import", "--db", db, rosterPath)
	if code == 0 || !strings.Contains(out, "Row 3") || !strings.Contains(errs, "nothing was imported") {
		t.Fatalf("roster with a bad row: %d %s %s", code, out, errs)
	}
	if code, out, errs := runCLI(t, "units", "import", "--db", db, "--good-rows", rosterPath); code != 0 || !strings.Contains(out, "2 new") || !strings.Contains(out, "GBK") {
		t.Fatalf("--good-rows: %s %s", out, errs)
	}
	exported := filepath.Join(tmp, "units.xlsx")
	if code, out, _ := runCLI(t, "units", "export", "--db", db, "-o", exported); code != 0 || !strings.Contains(out, "units 2") {
		t.Fatalf("units export: %s", out)
	}

	// 抽签: the same seed draws the same; recorded in the audit log.
	tasks := filepath.Join(tmp, "tasks.csv")
	code, out1, _ := runCLI(t, "office", "draw", "--db", db, "--n", "1", "--seed", "2026-05-抽签", "-o", tasks)
	_, out2, _ := runCLI(t, "office", "draw", "--db", db, "--n", "1", "--seed", "2026-05-抽签")
	line := func(s string) string { return strings.Split(s, "\n")[1] }
	if code != 0 || line(out1) != line(out2) {
		t.Fatalf("draws differ:\n%s\n%s", out1, out2)
	}
	if b, err := os.ReadFile(tasks); err != nil || !strings.Contains(string(b), "2026-05-抽签") {
		t.Fatalf("task list: %v %s", err, b)
	}
	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	entries, _ := s.AuditFor("draw/")
	if len(entries) != 3 || entries[0].Who != "效能办小王" { // the draw without a roster, then two with it
		t.Fatalf("draw audit: %+v", entries)
	}
}

// pdfText returns pdftotext's output, or "" when poppler is not installed.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext is not installed (poppler-utils)")
		return ""
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestTemplatesExport: a version exported from one database imports into
// another as the same template.
func TestTemplatesExport(t *testing.T) {
	tmp := t.TempDir()
	officeDB, inspector := filepath.Join(tmp, "office.db"), filepath.Join(tmp, "inspector.db")
	s, err := store.Open(officeDB, store.Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	v1, _ := inspect.ParseTemplate(assets.TemplateFiles()["combined.json"])
	v2 := v1.Clone()
	v2.Version = v1.Version + 1
	v2.Sections[0].Items[0].Text = "工作人员在岗时佩戴胸牌（第二版措辞）"
	for _, tpl := range []*inspect.Template{v1, &v2} {
		if err := s.PutTemplate("效能办", tpl); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	file := filepath.Join(tmp, "combined.json")
	code, out, errs := runCLI(t, "templates", "export", "--db", officeDB, v1.ID, "-o", file)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("v%d", v2.Version)) {
		t.Fatalf("export: %d %s %s", code, out, errs)
	}
	if code, out, errs := runCLI(t, "templates", "import", "--db", inspector, file); code != 0 {
		t.Fatalf("import: %s %s", out, errs)
	}
	code, old, _ := runCLI(t, "templates", "export", "--db", officeDB, v1.ID, "--version", fmt.Sprint(v1.Version))
	if back, err := inspect.ParseTemplate([]byte(old)); code != 0 || err != nil || back.Version != v1.Version || back.Sections[0].Items[0].Text != v1.Sections[0].Items[0].Text {
		t.Fatalf("export of version %d to stdout: %v", v1.Version, err)
	}
	if code, _, errs := runCLI(t, "templates", "export", "--db", officeDB, "nosuch"); code == 0 || errs == "" {
		t.Fatal("exported a template that does not exist")
	}
	s, err = store.Open(inspector, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Template(v1.ID, 0)
	if err != nil || got.Version != v2.Version || got.Sections[0].Items[0].Text != v2.Sections[0].Items[0].Text {
		t.Fatalf("imported %+v %v", got, err)
	}
}
