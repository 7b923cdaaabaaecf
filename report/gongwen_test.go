package report

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"mingcha/docx"
	"mingcha/docx/docxtest"
	"mingcha/inspect"
	"mingcha/internal/sfnt"
	"mingcha/report/gongwentest"
)

// vetoOverview is November: eight units, a 一票否决 at 区民政局 on the 5th
// and a 回访 there on the 14th that scored 90.82.
func vetoOverview() *inspect.Overview {
	bands := []inspect.Band{{Name: "优秀", Min: 90}, {Name: "良好", Min: 80}, {Name: "合格", Min: 60}, {Name: "不合格", Min: 0}}
	at := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, loc) }
	var all []inspect.ReportResult
	add := func(id, unit string, day int, score float64, veto bool, probs ...[2]string) {
		r := inspect.ReportResult{ReportID: id, UnitID: unit, UnitName: unit, Department: "区直机关", ObservedAt: at(day),
			Mode: inspect.ModeCovert, Full: 100, Score: score, Veto: veto, Bands: bands, TemplateKey: "combined@1",
			ItemTexts: map[string]string{}}
		r.Rating = (&inspect.Template{Bands: bands}).Rating(score)
		if veto {
			r.Rating = "不合格"
		}
		for i, p := range probs {
			code := fmt.Sprintf("X-%s", p[0])
			pr := inspect.Problem{ID: fmt.Sprintf("%s/%d", id, i), InspectionID: id, UnitID: unit, ItemCode: code, Category: p[0], Description: p[1], FoundAt: at(day)}
			r.Problems = append(r.Problems, pr)
			r.ItemTexts[code] = p[1]
			if p[0] == "赌博" {
				r.Severe = append(r.Severe, inspect.SevereFinding{ReportID: id, ProblemID: pr.ID, UnitID: unit, UnitName: unit, ObservedAt: at(day), ItemCode: code, What: p[1] + "：两名工作人员在办公室打牌", Veto: true})
			}
		}
		all = append(all, r)
	}
	badge := [2]string{"胸牌", "在岗工作人员未佩戴胸牌（工作牌）"}
	phone := [2]string{"公示栏", "未公示监督投诉电话或号码失效"}
	desk := [2]string{"桌牌", "桌牌与就座人员不符"}
	add("m1", "区民政局", 5, 62, true, [2]string{"赌博", "上班时间赌博"}, badge)
	add("m2", "区民政局", 14, 90.82, false)
	add("s1", "区市场监督管理局企业登记窗口", 6, 96, false)
	add("s2", "区税务局第一税务分局办税服务厅", 7, 88, false, badge, phone)
	add("s3", "区人力资源和社会保障局社保经办窗口", 9, 84, false, badge, desk)
	add("s4", "区医疗保障局", 10, 92, false, phone)
	add("s5", "区不动产登记中心", 12, 78, false, badge, desk, phone)
	add("s6", "区公安分局户政窗口", 17, 94, false)
	add("s7", "区住房和城乡建设局", 19, 86, false, badge)
	o := inspect.Summarize(all, inspect.Filter{From: time.Date(2026, 11, 1, 0, 0, 0, 0, loc), To: time.Date(2026, 12, 1, 0, 0, 0, 0, loc)})
	return o
}

func vetoBulletin(proof bool) *Bulletin {
	return &Bulletin{Office: "区机关效能建设办公室", Number: "效能通〔2026〕12号", Date: time.Date(2026, 12, 3, 0, 0, 0, 0, loc),
		Overview: vetoOverview(), Recipients: "各镇人民政府、街道办事处，区直各单位", CC: "区纪委监委，区委组织部", Proof: proof}
}

// The 通报 as a 公文, checked by poppler's tools rather than ours.
func TestBulletinIsAGongwen(t *testing.T) {
	needTool(t, "pdftotext")
	needTool(t, "pdffonts")
	needTool(t, "pdftoppm")
	pdf, err := RenderBulletin(vetoBulletin(false))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "通报.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("MINGCHA_KEEP") != "" {
		_ = os.WriteFile(os.Getenv("MINGCHA_KEEP"), pdf, 0o644)
	}
	gongwentest.Check(t, path, gongwentest.Expect{
		Number: "效能通〔2026〕12号", Recipients: "各镇人民政府、街道办事处，区直各单位：",
		Contains: []string{"区民政局（11月5日，上班时间赌博：两名工作人员在办公室打牌）", "附件：2026年11月各单位得分排名",
			"62（回访90.82）", "不合格（否决）", "抄送：区纪委监委，区委组织部。", "区机关效能建设办公室", "2026年12月3日印发",
			"主要表现为：在岗工作人员未佩戴胸牌（工作牌）（5处）"},
		Absent: []string{"总体良好", "合格0家", "（记录"},
	})
}

func TestBreakLinesKeepsPunctuationRules(t *testing.T) {
	// 27 characters then "，": the comma may not start the next line.
	text := strings.Repeat("字", 28) + "，后文" + strings.Repeat("字", 26) + "（括号）"
	for _, l := range breakLines(text, 0) {
		if lineCells(l) > gwChars {
			t.Errorf("line of %g cells: %q", lineCells(l), l)
		}
		r, _ := utf8.DecodeRuneInString(l)
		if strings.ContainsRune(gwNoStart, r) {
			t.Errorf("line starts with %q: %q", r, l)
		}
		last, _ := utf8.DecodeLastRuneInString(l)
		if strings.ContainsRune(gwNoEnd, last) {
			t.Errorf("line ends with %q: %q", last, l)
		}
	}
}

// The .docx of the same 通报 reopens in python-docx with the same headings
// and the same ranking as the PDF.
func TestBulletinDocx(t *testing.T) {
	b := vetoBulletin(true)
	data, err := BulletinDocx(b, docx.DefaultFonts)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "通报.docx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	got := docxtest.Reopen(t, path)
	g, _ := BulletinDocument(b)
	var wantHeads, gotHeads []string
	for _, p := range g.Body {
		if p.Level == LevelHeading1 || p.Level == LevelHeading2 {
			wantHeads = append(wantHeads, p.Text)
		}
	}
	for _, p := range got.Paragraphs {
		if (p[0] == "Heading 1" || p[0] == "Heading 2") && p[1] != "附件" {
			gotHeads = append(gotHeads, p[1])
		}
	}
	if strings.Join(gotHeads, "|") != strings.Join(wantHeads, "|") {
		t.Errorf("headings\n%q\nwant\n%q", gotHeads, wantHeads)
	}
	if len(got.Tables) != 1 || len(got.Tables[0]) != len(b.Overview.Ranking)+1 {
		t.Fatalf("tables %q", got.Tables)
	}
	for i, r := range b.Overview.Ranking {
		row := got.Tables[0][i+1]
		if row[0] != fmt.Sprint(r.Rank) || row[1] != r.UnitName {
			t.Errorf("ranking row %d: %q, want %d %s", i+1, row, r.Rank, r.UnitName)
		}
	}
	if last := got.Tables[0][len(got.Tables[0])-1]; last[1] != "区民政局" || last[3] != "62（回访90.82）" || last[4] != "不合格（否决）" {
		t.Errorf("veto row %q", last)
	}
	if got.Header != "校样" || got.Footer != "— 1 —" {
		t.Errorf("proof header %q, footer %q", got.Header, got.Footer)
	}
	// The 附件's pictures, as in the PDF, 150 mm wide with their aspect.
	annex := g.Annexes[0]
	if len(got.Pictures) != len(annex.Images) || len(got.Pictures) < 2 {
		t.Fatalf("%d pictures in the .docx, %d in the 附件", len(got.Pictures), len(annex.Images))
	}
	for i, p := range got.Pictures {
		if p[0] < 149.5 || p[0] > 150.5 || p[1] < 40 {
			t.Errorf("picture %d is %.1f × %.1f mm", i+1, p[0], p[1])
		}
	}
}

// An unsigned proof carries 校样 on every page.
func TestProofMarksEveryPage(t *testing.T) {
	needTool(t, "pdftotext")
	pdf, err := RenderBulletin(vetoBulletin(true))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "校样.pdf")
	if keep := os.Getenv("MINGCHA_KEEP_PROOF"); keep != "" {
		path = keep // to look at the pages
	}
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	raw, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(strings.TrimRight(string(raw), "\f"), "\f")
	for i, p := range pages {
		if !strings.Contains(p, "校样") {
			t.Errorf("page %d of %d has no 校样 mark", i+1, len(pages))
		}
	}
}

// Every paragraph of the generated 正文 survives a round trip through the
// text draft, and an edit made there reaches the document.
func TestDraftRoundTrip(t *testing.T) {
	b := vetoBulletin(false)
	g, err := BulletinDocument(b)
	if err != nil {
		t.Fatal(err)
	}
	back := ParseDraft(DraftText(g.Body))
	if fmt.Sprint(back) != fmt.Sprint(g.Body) {
		t.Fatalf("round trip\n%v\nwant\n%v", back, g.Body)
	}
	edited := strings.Replace(DraftText(g.Body), "# 四、整改要求", "# 四、整改要求\n\n> 经研究，现提出以下要求：", 1)
	b.Edited = ParseDraft(edited)
	g2, _ := BulletinDocument(b)
	found := false
	for _, p := range g2.Body {
		if p.Level == LevelPlain && p.Text == "经研究，现提出以下要求：" {
			found = true
		}
	}
	if !found || len(g2.Body) != len(g.Body)+1 {
		t.Errorf("the edited draft was not used: %d paragraphs", len(g2.Body))
	}
}

func lineCells(s string) float64 {
	w := 0.0
	for _, r := range s {
		w += cells(r)
	}
	return w
}

// A unit or person named with characters beyond GB 2312 prints in every
// face of a 公文: the bundled faces gain the glyphs the document uses, and
// pdftotext gives the names back.
func TestGongwenPrintsRareNames(t *testing.T) {
	needTool(t, "pdftotext")
	rare := []rune{'䶮', '𬌗', '堃'}
	g := &Gongwen{Issuer: "区机关效能建设办公室文件", Number: "效能通〔2026〕1号", Title: "关于吴䶮同志的通报",
		Recipients: "各单位", Signer: "区机关效能建设办公室", Printer: "区机关效能建设办公室",
		Date: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), PrintDate: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
		Body: []Para{{Level: 1, Text: "一、郑𬌗离岗"}, {Level: 2, Text: "（一）王堃"}, {Text: "3号窗口郑𬌗离岗未挂去向牌，导办吴䶮称其外出办事。"}}}
	fonts := GongwenFonts{}.WithDefaults().completedFor(g)
	for name, face := range map[string][]byte{"仿宋": fonts.FangSong.Data, "楷体": fonts.KaiTi.Data, "黑体": fonts.HeiTi.Data, "标题": fonts.Title.Data} {
		f, err := sfnt.Parse(face, 0)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range rare {
			if !f.Has(r) {
				t.Errorf("%s face lacks %c after completing", name, r)
			}
		}
	}
	pdf, err := RenderGongwen(g, GongwenFonts{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "rare.pdf")
	if keep := os.Getenv("MINGCHA_KEEP_RARE"); keep != "" {
		path = keep // to look at the page
	}
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	raw, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"吴䶮", "郑𬌗", "王堃"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("pdftotext lost %q", want)
		}
	}
}
