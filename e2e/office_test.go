// Package e2e holds the end-to-end test of the 效能办 side (issue 5): signed
// reports from two inspectors issued by one office CA, tampered and
// foreign-signed files among them, imported, ranked, published as a signed
// 通报 and exported to .xlsx, every number checked against the inspections.
package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"mingcha/assets"
	"mingcha/docx"
	"mingcha/docx/docxtest"
	"mingcha/inspect"
	"mingcha/report"
	"mingcha/report/gongwentest"
	"mingcha/sheet"
	"mingcha/store"
)

var (
	cst      = time.FixedZone("CST", 8*3600)
	periodAt = time.Date(2026, 5, 1, 0, 0, 0, 0, cst)
)

type photoBytes map[string][]byte

func (p photoBytes) PhotoBytes(h string) ([]byte, error) {
	if b, ok := p[h]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("photo %s missing", h)
}

func tinyPNG(t testing.TB) ([]byte, string) {
	img := image.NewNRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.Set(1, 1, color.Black)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return buf.Bytes(), hex.EncodeToString(sum[:])
}

// inspection i (1–30) of unit i: a deterministic mix of failures so that
// categories, counts, a veto, attendance names and ties all occur.
func inspection(t testing.TB, tpl *inspect.Template, i int, photo string) *inspect.Inspection {
	t.Helper()
	return inspectionAt(t, tpl, i, photo, 0)
}

// inspectionAt is inspection i, or with revisit > 0 a 回访 of unit i on that
// day of May in which every item passes.
func inspectionAt(t testing.TB, tpl *inspect.Template, i int, photo string, revisit int) *inspect.Inspection {
	t.Helper()
	depts := []string{"区市场监管局", "区税务局", "区人社局"}
	kinds := []inspect.UnitKind{inspect.UnitWindow, inspect.UnitOffice, inspect.UnitServiceCenter}
	u := inspect.Unit{ID: fmt.Sprintf("U-%02d", i), Name: fmt.Sprintf("第%02d号单位", i), Department: depts[i%3], Kind: kinds[i%3]}
	observed := periodAt.AddDate(0, 0, i-1).Add(9*time.Hour + time.Duration(i)*time.Minute)
	id := fmt.Sprintf("MC-202605%02d-%04d", i, i)
	if revisit > 0 {
		observed = periodAt.AddDate(0, 0, revisit-1).Add(15 * time.Hour)
		id = fmt.Sprintf("MC-202605%02d-%04d", revisit, 100+i)
	}
	mode := inspect.ModeCovert
	if i%4 == 0 {
		mode = inspect.ModeOpen
	}
	inspector := "张督查"
	if i%2 == 0 {
		inspector = "李督查"
	}
	in, err := inspect.NewInspection(id, u, tpl, mode, []string{inspector}, observed, observed)
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
		switch {
		case revisit > 0:
		case it.Code == "SP-01" && i%3 != 0: // 胸牌: 20 units
			a.Count, a.Photos = i%3, []string{photo}
		case it.Code == "SP-04" && i%5 == 0: // 桌牌: 6 units
			a.Result, a.Photos = inspect.ResultFail, []string{photo}
		case it.Code == "JL-01" && i%7 == 0: // 脱岗 with names: 4 units
			a.Absent = []inspect.AbsentPerson{{Name: fmt.Sprintf("员工%02d", i), Reason: inspect.AbsenceOffPost, OnRoster: true}}
		case it.Code == "JL-08" && i == 13: // 午间饮酒: veto
			a.Result = inspect.ResultFail
		case it.Code == "CK-03" && i%6 == 1: // 投诉渠道: 5 units
			a.Result, a.Note = inspect.ResultFail, "投诉电话无人接听"
		}
		if err := in.SetAnswer(a, observed); err != nil {
			t.Fatalf("unit %d item %s: %v", i, it.Code, err)
		}
	}
	if err := in.Complete(observed.Add(time.Hour), nil, 15, inspect.Holidays{}); err != nil {
		t.Fatalf("unit %d: %v", i, err)
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

func signedPDF(t testing.TB, in *inspect.Inspection, photos photoBytes, id *report.Identity) []byte {
	t.Helper()
	pdf, err := report.Render(in, photos, report.RenderOptions{NoPhotos: true})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := report.Sign(pdf, id, in.Inspectors[0], in.SignedAt)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

func TestOfficeEndToEnd(t *testing.T) {
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
	foreign, _ := report.NewSelfSigned("张督查", "区效能办") // same name, not the office's key
	photo, hash := tinyPNG(t)
	photos := photoBytes{hash: photo}

	dir := t.TempDir()
	var ins []*inspect.Inspection
	var pdfs [][]byte
	for i := 1; i <= 30; i++ {
		in := inspection(t, tpl, i, hash)
		id := zhang
		if in.Inspectors[0] == "李督查" {
			id = li
		}
		data := signedPDF(t, in, photos, id)
		ins, pdfs = append(ins, in), append(pdfs, data)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("report-%02d.pdf", i)), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	bad := filepath.Join(dir, "收到的问题文件")
	if err := os.MkdirAll(bad, 0o700); err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(pdfs[4])
	flipped[len(flipped)/3] ^= 0x01
	appended := append(bytes.Clone(pdfs[8]), []byte("\n% 签名后追加的内容\n")...)
	writeBad := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(bad, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	writeBad("flipped.pdf", flipped)
	writeBad("appended.pdf", appended)
	writeBad("foreign.pdf", signedPDF(t, ins[11], photos, foreign))

	s, err := store.Open(filepath.Join(t.TempDir(), "office.db"), store.Options{NoBackup: true,
		Now: func() time.Time { return periodAt.AddDate(0, 1, 10) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// Import: 33 files, 30 accepted, 3 rejected with their reasons.
	start := time.Now()
	var progress []int
	sum, err := s.ImportReports(context.Background(), "效能办", []string{dir}, report.OfficeVerifier(ca.Pool()),
		func(p store.ImportProgress) { progress = append(progress, p.Done) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("imported 33 files in %v", time.Since(start))
	if len(sum.Files) != 33 || sum.Accepted != 30 || sum.Rejected != 3 || len(progress) != 33 {
		t.Fatalf("import: %d files, %d accepted, %d rejected, %d progress calls", len(sum.Files), sum.Accepted, sum.Rejected, len(progress))
	}
	reasons := map[string]string{}
	for _, f := range sum.Files {
		if f.Outcome == store.ImportRejected {
			reasons[filepath.Base(f.Path)] = f.Reason
		}
	}
	for name, want := range map[string]string{
		"flipped.pdf":  "", // any reason; checked below that it is a signature or structure failure
		"appended.pdf": "added after the signature",
		"foreign.pdf":  "not issued by the office CA",
	} {
		got, ok := reasons[name]
		if !ok || !strings.Contains(got, want) {
			t.Errorf("%s: reason %q, want it to mention %q", name, got, want)
		}
	}
	t.Logf("rejections: %v", reasons)
	if r := reasons["flipped.pdf"]; !strings.Contains(r, "signature") && !strings.Contains(r, "PDF") && !strings.Contains(r, "changed") {
		t.Errorf("flipped byte rejected for an unrelated reason: %q", r)
	}
	reps, _ := s.OfficeReports(inspect.Filter{}, true)
	if len(reps) != 30 {
		t.Fatalf("%d reports stored, want 30 (nothing from rejected files)", len(reps))
	}
	for _, r := range reps {
		if r.Trust != string(report.TrustOfficeCA) || (r.Signer != "张督查" && r.Signer != "李督查") {
			t.Errorf("%s: signer %s trust %s", r.ReportID, r.Signer, r.Trust)
		}
	}

	// Overview of May: the ranking and problem counts the inspections contain.
	f := inspect.Filter{From: periodAt, To: periodAt.AddDate(0, 1, 0)}
	o, err := s.Overview(f)
	if err != nil {
		t.Fatal(err)
	}
	want := expectedRanking(ins)
	if len(o.Ranking) != 30 {
		t.Fatalf("ranking has %d units", len(o.Ranking))
	}
	for i, r := range o.Ranking {
		if r.UnitName != want[i].name || r.Score != want[i].score || r.Rank != want[i].rank {
			t.Errorf("rank line %d: %d %s %g, want %d %s %g", i+1, r.Rank, r.UnitName, r.Score, want[i].rank, want[i].name, want[i].score)
		}
	}
	if last := o.Ranking[29]; !last.Veto || last.UnitName != "第13号单位" {
		t.Errorf("the vetoed unit does not rank last: %+v", last)
	}
	cats := expectedCategories(ins)
	if len(o.Categories) != len(cats) {
		t.Errorf("%d categories, want %d (%v)", len(o.Categories), len(cats), cats)
	}
	for _, c := range o.Categories {
		w := cats[c.Category]
		if c.Units != w[0] || c.Problems != w[1] {
			t.Errorf("category %s: %d units %d problems, want %d %d", c.Category, c.Units, c.Problems, w[0], w[1])
		}
	}
	if cats["胸牌"] != [2]int{20, 20} || cats["脱岗"] != [2]int{4, 4} {
		t.Errorf("the fixture changed: %v", cats)
	}
	if o.Totals.Inspections != 30 || o.Totals.Vetoes != 1 {
		t.Errorf("totals %+v", o.Totals)
	}

	// The 通报, signed with the office key; its text holds the ranking and
	// the grouped problems with their counts.
	office, _ := ca.Issue("区机关效能建设办公室", "区效能办")
	date := time.Date(2026, 6, 5, 0, 0, 0, 0, cst)
	pdf, err := report.RenderBulletin(&report.Bulletin{Office: "区机关效能建设办公室", Number: "效能通〔2026〕5号", Date: date, Overview: o})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := report.Sign(pdf, office, "区机关效能建设办公室", date)
	if err != nil {
		t.Fatal(err)
	}
	pdfPath := filepath.Join(t.TempDir(), "通报.pdf")
	if dir := os.Getenv("MINGCHA_E2E_OUT"); dir != "" {
		pdfPath = filepath.Join(dir, "bulletin.pdf") // to look at the pages
	}
	if err := os.WriteFile(pdfPath, signed, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext is not installed (poppler-utils): the 通报's text is not checked")
	} else {
		out, err := exec.Command("pdftotext", "-layout", pdfPath, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := string(out)
		for _, c := range o.Categories {
			if !strings.Contains(text, inspect.CategoryHeadline(c)) {
				t.Errorf("通报 lacks %q", inspect.CategoryHeadline(c))
			}
		}
		if !strings.Contains(text, "20家单位存在胸牌问题") {
			t.Errorf("通报 lacks the badge headline")
		}
		lines := strings.Split(text, "\n")
		for _, r := range o.Ranking {
			found := false
			for _, ln := range lines {
				f := strings.Fields(ln)
				if len(f) >= 4 && f[0] == fmt.Sprint(r.Rank) && f[1] == r.UnitName && strings.Contains(ln, fmtScore(r.Score)) {
					found = true
				}
			}
			if !found {
				t.Errorf("通报 ranking lacks line %d %s %s", r.Rank, r.UnitName, fmtScore(r.Score))
			}
		}
		for _, s := range []string{"总体情况", "主要问题", "排名情况", "整改要求", "员工07"} {
			if !strings.Contains(text, s) {
				t.Errorf("通报 lacks %q", s)
			}
		}
	}
	if _, err := exec.LookPath("pdfsig"); err == nil {
		out, _ := exec.Command("pdfsig", pdfPath).CombinedOutput()
		if !strings.Contains(string(out), "Signature is Valid") {
			t.Errorf("pdfsig on the 通报:\n%s", out)
		}
	}

	// The .xlsx reopens with the same numbers.
	var xb bytes.Buffer
	if err := sheet.WriteResultsXLSX(&xb, o, periodAt.AddDate(0, 1, 10)); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&xb)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows(sheet.SheetRanking)
	if len(rows) != 32 || !strings.Contains(rows[0][0], "2026年5月") || rows[1][0] != "名次" {
		t.Fatalf("ranking sheet: %d rows, title %q", len(rows), rows[0])
	}
	for i, r := range o.Ranking {
		row := rows[i+2]
		if row[0] != fmt.Sprint(r.Rank) || row[1] != r.UnitName || row[len(row)-1] != r.UnitID {
			t.Errorf("xlsx rank row %d: %v, want %d %s … %s", i+3, row, r.Rank, r.UnitName, r.UnitID)
		}
		if v, _ := x.GetCellValue(sheet.SheetRanking, fmt.Sprintf("E%d", i+3), excelize.Options{RawCellValue: true}); v != fmt.Sprint(r.Score) {
			t.Errorf("xlsx score of %s: %q, want %g", r.UnitName, v, r.Score)
		}
	}
	probs, _ := x.GetRows(sheet.SheetProblems)
	if len(probs)-2 != o.Totals.Problems {
		t.Errorf("problems sheet has %d rows, want %d", len(probs)-2, o.Totals.Problems)
	}
	catRows, _ := x.GetRows(sheet.SheetCategories)
	for _, cr := range catRows[2:] {
		if w := cats[cr[0]]; cr[1] != fmt.Sprint(w[0]) || cr[2] != fmt.Sprint(w[1]) {
			t.Errorf("xlsx category %s: %v, want %v", cr[0], cr[1:3], w)
		}
	}
	// Score cells are numbers, for sums in WPS.
	if typ, _ := x.GetCellType(sheet.SheetRanking, "E3"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("score cell type %v", typ)
	}
	CheckClerkWorkbook(t, x)

	// A 回访 of the veto unit later in May, all items passed: the unit stays
	// 不合格 for May (the 回访's score beside it), it is named with date and
	// finding in 总体情况, and the 通报 never says 总体良好.
	revisitDir := t.TempDir()
	rv := inspectionAt(t, tpl, 13, hash, 28)
	if err := os.WriteFile(filepath.Join(revisitDir, "revisit-13.pdf"), signedPDF(t, rv, photos, zhang), 0o600); err != nil {
		t.Fatal(err)
	}
	if sum, err := s.ImportReports(context.Background(), "效能办", []string{revisitDir}, report.OfficeVerifier(ca.Pool()), nil); err != nil || sum.Accepted != 1 {
		t.Fatalf("import the 回访: %+v %v", sum, err)
	}
	o, err = s.Overview(f)
	if err != nil {
		t.Fatal(err)
	}
	last := o.Ranking[len(o.Ranking)-1]
	if last.UnitName != "第13号单位" || !last.Veto || last.Rating != "不合格" || last.LaterScore == nil || *last.LaterScore != rv.Score().Value {
		t.Fatalf("the veto unit after its 回访: %+v (later %v, want %v)", last, last.LaterScore, rv.Score().Value)
	}
	vb := &report.Bulletin{Office: "区机关效能建设办公室", Number: "效能通〔2026〕6号", Date: date, Overview: o,
		Recipients: "各镇人民政府、街道办事处，区直各单位", CC: "区纪委监委"}
	vpdf, err := report.RenderBulletin(vb)
	if err != nil {
		t.Fatal(err)
	}
	vsigned, err := report.Sign(vpdf, office, "区机关效能建设办公室", date)
	if err != nil {
		t.Fatal(err)
	}
	vpath := filepath.Join(t.TempDir(), "通报-回访.pdf")
	if dir := os.Getenv("MINGCHA_E2E_OUT"); dir != "" {
		vpath = filepath.Join(dir, "bulletin-veto.pdf")
	}
	if err := os.WriteFile(vpath, vsigned, 0o600); err != nil {
		t.Fatal(err)
	}
	gongwentest.Check(t, vpath, gongwentest.Expect{
		Number: "效能通〔2026〕6号", Recipients: "各镇人民政府、街道办事处，区直各单位：",
		Contains: []string{
			"检查中发现一票否决问题1处：第13号单位（5月13日，工作日午间饮酒）", "相关单位本期评定为不合格",
			"主要表现为：在岗工作人员未佩戴胸牌（工作牌）（20处）", "投诉渠道不畅通（5处）",
			fmtScore(last.Score) + "（回访" + fmtScore(rv.Score().Value) + "）", "不合格（否决）", "抄送：区纪委监委。", "附件：2026年5月各单位得分排名",
		},
		// Neither the standard nor the guidance of an item reads as a problem.
		Absent: []string{"总体良好", "（记录", "在岗工作人员佩戴胸牌", "投诉渠道畅通"},
	})
	// The .docx of the same 通报: the same headings and ranking.
	doc, err := report.BulletinDocx(vb, docx.DefaultFonts)
	if err != nil {
		t.Fatal(err)
	}
	docPath := filepath.Join(t.TempDir(), "通报.docx")
	if err := os.WriteFile(docPath, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	got := docxtest.Reopen(t, docPath)
	var heads []string
	for _, p := range got.Paragraphs {
		if p[0] == "Heading 1" && p[1] != "附件" {
			heads = append(heads, p[1])
		}
	}
	if strings.Join(heads, "|") != "一、总体情况|二、主要问题|三、排名情况|四、整改要求" {
		t.Errorf(".docx headings %q", heads)
	}
	if len(got.Tables) != 1 || len(got.Tables[0]) != len(o.Ranking)+1 {
		t.Fatalf(".docx tables: %d", len(got.Tables))
	}
	for i, r := range o.Ranking {
		if row := got.Tables[0][i+1]; row[0] != fmt.Sprint(r.Rank) || row[1] != r.UnitName {
			t.Errorf(".docx ranking row %d: %q, want %d %s", i+1, row, r.Rank, r.UnitName)
		}
	}
}

func fmtScore(v float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}

type rankLine struct {
	rank  int
	name  string
	score float64
}

// expectedRanking ranks the inspections by hand: vetoes last, score down,
// then department and name; equal scores share a rank.
func expectedRanking(ins []*inspect.Inspection) []rankLine {
	type e struct {
		name, dept string
		score      float64
		veto       bool
	}
	var es []e
	for _, in := range ins {
		sc := in.Score()
		es = append(es, e{in.Unit.Name, in.Unit.Department, sc.Value, sc.Veto})
	}
	sort.Slice(es, func(i, j int) bool {
		if es[i].veto != es[j].veto {
			return !es[i].veto
		}
		if es[i].score != es[j].score {
			return es[i].score > es[j].score
		}
		if es[i].dept != es[j].dept {
			return es[i].dept < es[j].dept
		}
		return es[i].name < es[j].name
	})
	var out []rankLine
	for i, x := range es {
		r := i + 1
		if i > 0 && es[i-1].veto == x.veto && es[i-1].score == x.score {
			r = out[i-1].rank
		}
		out = append(out, rankLine{r, x.name, x.score})
	}
	return out
}

// expectedCategories counts, per category, the units with a problem in it
// and the problems.
func expectedCategories(ins []*inspect.Inspection) map[string][2]int {
	units := map[string]map[string]bool{}
	count := map[string]int{}
	for _, in := range ins {
		for _, p := range in.Problems {
			if units[p.Category] == nil {
				units[p.Category] = map[string]bool{}
			}
			units[p.Category][in.UnitID] = true
			count[p.Category]++
		}
	}
	out := map[string][2]int{}
	for c, u := range units {
		out[c] = [2]int{len(u), count[c]}
	}
	return out
}

// CheckClerkWorkbook checks what a clerk relies on in the results workbook:
// dates are dates (a number with a date format), an autofilter and a frozen
// header on every sheet, landscape A4 fitted to the width with the title
// rows repeated, 逾期天数 a number.
func CheckClerkWorkbook(t *testing.T, x *excelize.File) {
	t.Helper()
	for _, sh := range []string{sheet.SheetRanking, sheet.SheetResults, sheet.SheetProblems, sheet.SheetCategories, sheet.SheetWorkload} {
		layout, err := x.GetPageLayout(sh)
		if err != nil || layout.Orientation == nil || *layout.Orientation != "landscape" || layout.FitToWidth == nil || *layout.FitToWidth != 1 {
			t.Errorf("%s: page layout %+v %v", sh, layout, err)
		}
		props, _ := x.GetSheetProps(sh)
		if props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: not fitted to the page", sh)
		}
		panes, _ := x.GetPanes(sh)
		if !panes.Freeze || panes.YSplit != 2 {
			t.Errorf("%s: panes %+v, want the title and header frozen", sh, panes)
		}
		titles := false
		for _, dn := range x.GetDefinedName() {
			if dn.Name == "_xlnm.Print_Titles" && dn.Scope == sh && strings.Contains(dn.RefersTo, "$1:$2") {
				titles = true
			}
		}
		if !titles {
			t.Errorf("%s: no repeated title rows (%v)", sh, x.GetDefinedName())
		}
	}
	// The autofilter sits on the header row (an _xlnm._FilterDatabase name).
	filters := 0
	for _, dn := range x.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" {
			filters++
		}
	}
	if filters < 5 {
		t.Errorf("%d sheets with an autofilter, want 5", filters)
	}
	// 检查时间 (E) of the results sheet: a number formatted as a date.
	raw, _ := x.GetCellValue(sheet.SheetResults, "E3", excelize.Options{RawCellValue: true})
	shown, _ := x.GetCellValue(sheet.SheetResults, "E3")
	if _, err := strconv.ParseFloat(raw, 64); err != nil || !strings.HasPrefix(shown, "2026-05-") {
		t.Errorf("检查时间 raw %q shown %q, want a date serial shown as 2026-05-…", raw, shown)
	}
	// 逾期天数 (I) of the problems sheet: numbers where overdue.
	rows, _ := x.GetRows(sheet.SheetProblems)
	if rows[1][8] != "逾期天数" {
		t.Fatalf("problems header %q", rows[1])
	}
	late := 0
	for r := 3; r <= len(rows); r++ {
		if typ, _ := x.GetCellType(sheet.SheetProblems, fmt.Sprintf("I%d", r)); typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset {
			if v, _ := x.GetCellValue(sheet.SheetProblems, fmt.Sprintf("I%d", r)); v != "" {
				if _, err := strconv.Atoi(v); err != nil {
					t.Errorf("逾期天数 %q is not a number", v)
				}
				late++
			}
		}
	}
	if late == 0 {
		t.Error("no problem is overdue in the workbook")
	}
}
