package report

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"mingcha/docx"
	"mingcha/docx/docxtest"
	"mingcha/report/gongwentest"
)

// The 公文's page breaks, swept: the 整改通知书, the 催办 list and the 通报
// written with growing content, so that the 正文 ends on every line of a
// page, and each PDF read back with poppler page by page (pdfinfo,
// pdftotext -f N -l N): the 落款 always shares its page with lines of the
// 正文; the 版记 is on the last page, an even one, and nowhere else; no
// blank page ends the document; page numbers as GB/T 9704 7.5 has them
// (gongwentest.Check: "— N —" outside, none on a blank page before the
// 版记 page nor on that page). The sweep also asserts that it met each way
// of breaking (fits, tightened, carried over; 版记 on the same page, on its
// own page, after a blank page), so that it keeps testing them all.

var sweepDay = time.Date(2026, 12, 3, 0, 0, 0, 0, loc)

const (
	shortWording = "桌牌与就座人员不符"
	longWording  = "窗口工作人员在办理业务时态度生硬，对群众咨询的事项未做到一次性告知，群众往返多次仍未办结，且未按要求公示办事指南和监督投诉电话"
)

// sweepNotice is an 整改通知书 of n problems; extra adds that many
// sentences of 28 characters to the 联系方式, each one line more.
func sweepNotice(n, extra int, long bool) *RectifyNotice {
	nt := &RectifyNotice{Office: "区机关效能建设办公室", Number: fmt.Sprintf("效能整改〔2026〕%d号", n), Unit: "区不动产登记中心",
		Date: sweepDay, ReplyBy: sweepDay.AddDate(0, 0, 15), CC: "区纪委监委"}
	for i := 0; i < n; i++ {
		w := shortWording
		if long && i%2 == 0 {
			w = longWording
		}
		nt.Problems = append(nt.Problems, NoticeProblem{ID: fmt.Sprint(i), FoundAt: sweepDay.AddDate(0, 0, -20+i), Wording: w,
			ReportID: fmt.Sprintf("R-%04d", i+1), Deadline: sweepDay.AddDate(0, 0, 10)})
	}
	contact := []string{"联系人：王科长，电话：0571-87654321"}
	for i := 0; i < extra; i++ {
		contact = append(contact, "工作时间为每周一至周五上午九时至十二时和下午二时至五时")
	}
	nt.Contact = strings.Join(contact, "。")
	return nt
}

func sweepChase(units, per int, long bool) *ChaseList {
	c := &ChaseList{Office: "区机关效能建设办公室", Number: "效能催〔2026〕4号", Date: sweepDay}
	for u := 0; u < units; u++ {
		cu := ChaseUnit{Unit: fmt.Sprintf("第%s服务窗口", chineseNumber(u+1)), Department: "区行政服务中心"}
		for k := 0; k < per; k++ {
			w := shortWording
			if long && (u+k)%2 == 0 {
				w = longWording
			}
			cu.Problems = append(cu.Problems, ChaseProblem{ID: fmt.Sprint(u, k), FoundAt: sweepDay.AddDate(0, -1, k), Wording: w,
				Deadline: sweepDay.AddDate(0, 0, -5), DaysLate: 3 + k})
		}
		c.Units = append(c.Units, cu)
	}
	return c
}

// sweepBulletin is the veto 通报 with extra one-line paragraphs closing it.
func sweepBulletin(extra int) *Bulletin {
	b := vetoBulletin(false)
	closing := []string{"特此通报。"}
	for i := 0; i < extra; i++ {
		closing = append([]string{fmt.Sprintf("第%d条，各单位要对照检查，举一反三。", i+1)}, closing...)
	}
	b.Closing = strings.Join(closing, "\n")
	return b
}

type sweepCase struct {
	name   string
	g      *Gongwen
	pdf    []byte
	layout gwLayout
}

func TestGongwenPageBreaksSweep(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdfinfo", "pdffonts", "pdftoppm"} {
		needTool(t, tool)
	}
	fonts := GongwenFonts{}.WithDefaults()
	kinds := map[string][]sweepCase{}
	add := func(kind, name string, g *Gongwen) {
		t.Helper()
		pdf, layout, err := renderGongwen(g, fonts, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		kinds[kind] = append(kinds[kind], sweepCase{name: name, g: g, pdf: pdf, layout: layout})
	}
	// The 通知书 one line longer each time, from a full first page on, so
	// that the 正文 ends on every line of page 2 and runs onto page 3; and
	// longer problems, one to three a page.
	for extra := 0; extra <= 24; extra++ {
		add("notice", fmt.Sprintf("notice-1-%d", extra), NoticeDocument(sweepNotice(1, extra, false)))
	}
	for _, n := range []int{3, 6, 7} {
		add("notice", fmt.Sprintf("notice-%d-long", n), NoticeDocument(sweepNotice(n, 0, true)))
	}
	for _, c := range [][2]int{{1, 1}, {1, 2}, {1, 3}, {2, 1}, {2, 2}, {3, 1}, {3, 3}, {4, 2}, {5, 3}} {
		add("chase", fmt.Sprintf("chase-%d-%d", c[0], c[1]), ChaseDocument(sweepChase(c[0], c[1], true)))
	}
	for _, extra := range []int{0, 3, 4, 5, 6, 10} {
		g, err := BulletinDocument(sweepBulletin(extra))
		if err != nil {
			t.Fatal(err)
		}
		add("bulletin", fmt.Sprintf("bulletin-%d", extra), g)
	}
	keep := os.Getenv("MINGCHA_KEEP_SWEEP") // a folder, to look at the pages
	for kind, cases := range kinds {
		ends, sigs, recs := map[int]bool{}, map[string]bool{}, map[string]bool{}
		for _, c := range cases {
			ends[c.layout.BodyEnd] = true
			sigs[c.layout.Signature] = true
			recs[c.layout.Record] = true
			dir := t.TempDir()
			if keep != "" {
				dir = keep
			}
			path := filepath.Join(dir, c.name+".pdf")
			if err := os.WriteFile(path, c.pdf, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Run(c.name, func(t *testing.T) {
				t.Logf("%s %+v", c.name, c.layout)
				checkBreaks(t, path, c.g, c.layout)
				gongwentest.Check(t, path, gongwentest.Expect{Number: c.g.Number, Recipients: c.g.Recipients + "：", NoAnnex: len(c.g.Annexes) == 0})
			})
		}
		// The sweep met every way of breaking: the 正文 ended on every
		// line of a page (the 通报's and 催办's on most), the 落款 fitted,
		// tightened its page and carried lines over, and the 版记 went on
		// the same page, its own page and after a blank page.
		var rows []int
		for r := range ends {
			rows = append(rows, r)
		}
		sort.Ints(rows)
		t.Logf("%s: %d documents; 正文 ends on lines %v; 落款 %v; 版记 %v", kind, len(cases), rows, keys(sigs), keys(recs))
		for _, s := range []string{"fits", "tightened", "carried"} {
			if !sigs[s] {
				t.Errorf("%s: no document where the 落款 %s", kind, s)
			}
		}
		wantRecs := []string{"same page", "own page", "after blank"}
		if kind != "notice" {
			wantRecs = wantRecs[:2] // an 附件's table ends where it ends
		}
		for _, r := range wantRecs {
			if !recs[r] {
				t.Errorf("%s: no document with the 版记 on %s", kind, r)
			}
		}
		if kind == "notice" {
			for r := 1; r <= gwLines; r++ {
				if !ends[r] {
					t.Errorf("notice: no document whose 正文 ends on line %d of a page", r)
				}
			}
		}
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkBreaks reads the PDF page by page with poppler: the 落款 (署名 and
// 成文日期) on one page, with at least two lines of the 正文 above it; the
// 版记 on the last page only; no blank page but the one a 版记 page may
// follow; a 版记 page of its own holds nothing else.
func checkBreaks(t *testing.T, path string, g *Gongwen, layout gwLayout) {
	t.Helper()
	info, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range strings.Split(string(info), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "Pages:" {
			n, _ = strconv.Atoi(f[1])
		}
	}
	if n == 0 || n != layout.Pages {
		t.Fatalf("pdfinfo: %d pages, the writer made %d", n, layout.Pages)
	}
	date := cnDate(g.Date)
	signed := 0
	for i := 1; i <= n; i++ {
		out, err := exec.Command("pdftotext", "-layout", "-f", fmt.Sprint(i), "-l", fmt.Sprint(i), path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, l := range strings.Split(string(out), "\n") {
			if l = strings.TrimSpace(l); l != "" && l != "\f" && l != "校样" {
				lines = append(lines, strings.TrimSpace(strings.Trim(l, "\f")))
			}
		}
		hasRecord := strings.Contains(string(out), cnDate(g.PrintDate)+"印发")
		if hasRecord != (i == n) {
			t.Errorf("page %d of %d: 版记 %v", i, n, hasRecord)
		}
		if len(lines) == 0 && !(i == n-1 && layout.Record == "after blank") {
			t.Errorf("page %d of %d is blank", i, n)
		}
		if i == n && layout.Record == "own page" {
			for _, l := range lines {
				if !strings.Contains(l, "印发") && !strings.HasPrefix(l, "抄送") && !pageNumberLine(l) {
					t.Errorf("the 版记 page %d holds %q", i, l)
				}
			}
		}
		at := -1
		for k, l := range lines {
			if l == date {
				at = k
			}
		}
		if at < 0 {
			continue
		}
		signed++
		if g.Signer != "" && (at == 0 || lines[at-1] != g.Signer) {
			t.Errorf("page %d: the 成文日期 without the 署名 %q above it: %q", i, g.Signer, lines[:at])
		}
		// The 正文 lines above the 落款: from the 主送机关 on page 1, not
		// the 附件说明.
		body := 0
		started := i > 1
		for _, l := range lines[:at] {
			switch {
			case l == g.Recipients+"：" || strings.HasPrefix(l, g.Recipients+"："):
				started = true
				body++
			case !started || l == g.Signer:
			case strings.HasPrefix(l, "附件："):
				started = false // the 附件说明 and its lines
			default:
				body++
			}
		}
		if body < 2 {
			t.Errorf("page %d (%s): the 落款 with %d lines of 正文: %q", i, layout.Signature, body, lines[:at+1])
		}
	}
	if signed != 1 {
		t.Errorf("the 成文日期 %q stands on %d pages", date, signed)
	}
}

func pageNumberLine(l string) bool {
	return strings.HasPrefix(l, "— ") && strings.HasSuffix(l, " —")
}

// The .docx keeps the end of the 正文 with the 落款 the Word/WPS way: the
// last 正文 paragraph and everything up to the 落款 (blank lines, 附件说明)
// keep with the next paragraph, the Normal style has widow control (so at
// least two lines go over), and the 落款's two lines stay together. Read
// back with python-docx, for a notice (no 附件) and the 通报 (with one).
func TestGongwenDocxKeepsTheEndWithTheSignature(t *testing.T) {
	bulletin, err := BulletinDocument(sweepBulletin(2))
	if err != nil {
		t.Fatal(err)
	}
	for name, g := range map[string]*Gongwen{"notice": NoticeDocument(sweepNotice(3, 1, true)), "bulletin": bulletin} {
		data, err := GongwenDocx(g, docx.DefaultFonts)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), name+".docx")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got := docxtest.Reopen(t, path)
		sig := -1
		for i, p := range got.Paragraphs {
			if p[0] == "落款" {
				sig = i
			}
		}
		last := g.Body[len(g.Body)-1].Text
		end := -1
		for i := 0; i < sig; i++ {
			if got.Paragraphs[i][1] == last {
				end = i
			}
		}
		if sig < 0 || end < 0 {
			t.Fatalf("%s: 落款 at %d, the 正文's last paragraph at %d", name, sig, end)
		}
		for i := end; i < sig; i++ {
			if !got.KeepNext[i] {
				t.Errorf("%s: paragraph %d %q between the end of the 正文 and the 落款 does not keep with the next", name, i, got.Paragraphs[i][1])
			}
		}
		for i := 0; i < end; i++ {
			if got.KeepNext[i] && got.Paragraphs[i][0] != "heading 1" && got.Paragraphs[i][0] != "heading 2" {
				t.Errorf("%s: paragraph %d %q (%s) keeps with the next", name, i, got.Paragraphs[i][1], got.Paragraphs[i][0])
			}
		}
		if !got.WidowControl || !got.KeepLines["落款"] {
			t.Errorf("%s: Normal widow control %v, 落款 kept together %v", name, got.WidowControl, got.KeepLines["落款"])
		}
	}
}
