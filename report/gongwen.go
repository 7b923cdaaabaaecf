package report

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
)

// A 公文 per GB/T 9704-2012, the form of the office's 通报 and 整改通知书: 版头
// (发文机关标志 in red, 文号 under it, the red separator under the 文号),
// 标题, 主送机关, 正文 in 仿宋 三号 on a grid of 28 characters × 22 lines with
// 黑体 一级 and 楷体 二级 headings, 附件说明, 落款 and 成文日期 (never on a
// page without 正文: mainPart), 附件 on pages of their own, 版记 (抄送,
// 印发机关 and 印发日期) on the last, even page (record) and page numbers
// "— 1 —" outside on alternating sides. The same Gongwen is written as a PDF
// (RenderGongwen) and as a .docx (GongwenDocx), so the office's WPS/OA path
// gets the same text.

// Level is what a paragraph of the 正文 is.
type Level int

const (
	LevelBody     Level = iota // 正文 paragraph, indented two characters
	LevelHeading1              // 一级标题 "一、…", 黑体
	LevelHeading2              // 二级标题 "（一）…", 楷体
	LevelPlain                 // no indent (主送机关 is separate; e.g. a list line)
)

// Para is one paragraph of a 公文's 正文.
type Para struct {
	Level Level  `json:"level"`
	Text  string `json:"text"`
}

// Annex is an 附件: a title, a table (first row the header) and pictures.
type Annex struct {
	Title  string     `json:"title"`
	Note   string     `json:"note,omitempty"` // a paragraph under the title
	Widths []float64  `json:"widths,omitempty"`
	Rows   [][]string `json:"rows,omitempty"`
	Images [][]byte   `json:"-"` // PNG
}

// Gongwen is a whole 公文.
type Gongwen struct {
	Issuer     string    `json:"issuer"`            // 发文机关标志, e.g. 区机关效能建设办公室文件
	Number     string    `json:"number,omitempty"`  // 文号, e.g. 效能通〔2026〕12号
	Title      string    `json:"title"`             // 标题
	Recipients string    `json:"recipients"`        // 主送机关, e.g. 各镇人民政府、街道办事处，区直各单位
	Body       []Para    `json:"body"`              // 正文
	Signer     string    `json:"signer"`            // 落款 (发文机关署名)
	Date       time.Time `json:"date"`              // 成文日期
	Annexes    []Annex   `json:"annexes,omitempty"` // 附件
	CC         string    `json:"cc,omitempty"`      // 抄送
	Printer    string    `json:"printer"`           // 印发机关
	PrintDate  time.Time `json:"print_date"`        // 印发日期
	// Proof marks every page "校样": a draft to proofread, not the document.
	Proof bool `json:"proof,omitempty"`
}

// The 版心 (GB/T 9704 5.2): A4, 156 mm × 225 mm, top margin 37 mm, left
// 28 mm; 正文 三号 (16 pt) at 28 characters a line and 22 lines a page.
const (
	gwPageW    = 210.0
	gwPageH    = 297.0
	gwTop      = 37.0
	gwLeft     = 28.0
	gwW        = 156.0
	gwH        = 225.0
	gwChars    = 28
	gwLines    = 22
	gwCell     = gwW / gwChars // one character
	gwLine     = gwH / gwLines // one line
	gwBodyPt   = 16.0          // 三号
	gwTitlePt  = 22.0          // 二号
	gwIssuerPt = 40.0
	gwNumberPt = 14.0 // 4号: page numbers, 版记
)

var gwRed = [3]int{230, 0, 18}

// Punctuation that may not start a line, and that may not end one (标点禁则).
const (
	gwNoStart = "，。、；：？！）》」』”’〕】…—·,.;:?!)%"
	gwNoEnd   = "（《「『“‘〔【("
)

type gwWriter struct {
	pdf   *gofpdf.Fpdf
	g     *Gongwen
	row   int // the next grid line of the page, 0–21 (more on a tightened page)
	pages int
	fam   map[string]string // role key ("fangsong", …) → the gofpdf family of its face
	// On a page tightened to keep the 落款 with the end of the 正文, the
	// lines from grid line from on are pitch apart instead of gwLine.
	from  int
	pitch float64
	// unnumbered: the pages added now carry no page number (the blank page
	// before a 版记 page, and that 版记 page: GB/T 9704 7.5).
	unnumbered bool
	layout     gwLayout
}

// gwRow is one planned line of the 主体: its face, text and left edge.
type gwRow struct {
	face, text string
	x          float64 // mm from the paper's left edge
	body       bool    // a line of the 正文 (主送机关 and headings too), not the 附件说明 or 落款
	keep       bool    // a heading's line: never the last line of a page
}

// RenderGongwen lays the 公文 out as an A4 PDF, attachments embedded (e.g.
// bulletin.json); unsigned.
func RenderGongwen(g *Gongwen, fonts GongwenFonts, attach []gofpdf.Attachment) ([]byte, error) {
	out, _, err := renderGongwen(g, fonts, attach)
	return out, err
}

// gwLayout is how the pages were broken, for the tests that sweep the
// break positions.
type gwLayout struct {
	BodyEnd   int    // the grid row where the 正文 ended on its last page, before the 落款
	Signature string // "fits", "tightened" (the page holds more lines) or "carried" (正文 lines went over with the 落款)
	Carried   int    // 正文 lines carried over to the 落款's page
	Rows      int    // lines on the 落款's page (more than 22 when tightened)
	Record    string // where the 版记 went: "same page", "own page" or "after blank"
	ForRecord bool   // the 落款's page was tightened to hold the 版记 as well
	Pages     int
}

func renderGongwen(g *Gongwen, fonts GongwenFonts, attach []gofpdf.Attachment) (out []byte, layout gwLayout, err error) {
	if g == nil || g.Date.IsZero() {
		return nil, layout, fmt.Errorf("公文: no date")
	}
	// gofpdf panics on some inputs; no panic leaves the package.
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("公文: rendering failed: %v", p)
		}
	}()
	fonts = fonts.WithDefaults().completedFor(g)
	p := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	p.SetCatalogSort(true)
	p.SetCreationDate(g.Date)
	p.SetModificationDate(g.Date)
	p.SetCompression(true)
	p.SetMargins(gwLeft, gwTop, gwPageW-gwLeft-gwW)
	p.SetAutoPageBreak(false, 0)
	fam := map[string]string{}
	for _, r := range fonts.roles() {
		// The family names the face, so that pdffonts shows which one
		// each role used ("utf8fangsong-lxgwwenkai-regular").
		fam[r.key] = r.key + "-" + r.face.pdfName()
		p.AddUTF8FontFromBytes(fam[r.key], "", r.face.Data)
	}
	p.SetTitle(g.Title, true)
	p.SetAuthor(g.Signer, true)
	p.SetCreator("Mingcha", false)
	p.SetProducer("Mingcha", false)
	if len(attach) > 0 {
		p.SetAttachments(attach)
	}
	w := &gwWriter{pdf: p, g: g, fam: fam}
	p.SetHeaderFuncMode(func() { w.pageFurniture() }, false)
	w.newPage()
	w.head()
	w.mainPart()
	for i, a := range g.Annexes {
		w.annex(i, a)
	}
	w.record()
	w.layout.Pages = w.pages
	if err := p.Error(); err != nil {
		return nil, layout, fmt.Errorf("公文: %w", err)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, layout, fmt.Errorf("公文: %w", err)
	}
	return buf.Bytes(), w.layout, nil
}

func (w *gwWriter) newPage() {
	w.from, w.pitch = 0, 0
	w.pdf.AddPage()
	w.pages++
	w.row = 0
}

// pageFurniture draws what every page has: the page number "— N —" in 4号
// 宋体 (here the 仿宋 face's digits) 7 mm under the 版心, right on odd pages
// and left on even ones, one character in; and a proof's 校样 mark.
func (w *gwWriter) pageFurniture() {
	p := w.pdf
	n := p.PageNo()
	if !w.unnumbered {
		p.SetFont(w.fam["fangsong"], "", gwNumberPt)
		text := fmt.Sprintf("— %d —", n)
		tw := p.GetStringWidth(text)
		x := gwLeft + gwW - gwCell - tw
		if n%2 == 0 {
			x = gwLeft + gwCell
		}
		p.SetTextColor(0, 0, 0)
		p.Text(x, gwTop+gwH+7+4, text)
	}
	if w.g.Proof {
		p.SetFont(w.fam["heiti"], "", 28)
		p.SetTextColor(gwRed[0], gwRed[1], gwRed[2])
		p.SetAlpha(0.55, "Normal")
		p.TransformBegin()
		p.TransformRotate(20, gwPageW-36, 24)
		p.Text(gwPageW-50, 28, "校样")
		p.TransformEnd()
		p.SetAlpha(1, "Normal")
		p.SetTextColor(0, 0, 0)
	}
}

// rowTop is the top of grid line row on this page.
func (w *gwWriter) rowTop(row int) float64 {
	if w.pitch > 0 && row > w.from {
		return gwTop + float64(w.from)*gwLine + float64(row-w.from)*w.pitch
	}
	return gwTop + float64(row)*gwLine
}

// lineY is the baseline of grid line row on this page.
func (w *gwWriter) lineY(row int) float64 {
	pitch := gwLine
	if w.pitch > 0 && row >= w.from {
		pitch = w.pitch
	}
	return w.rowTop(row) + pitch*0.72
}

// head draws the 版头: the 发文机关标志 in red, the 文号 under it, the red
// separator under the 文号 (GB/T 9704 7.2), then the 标题 two lines down.
func (w *gwWriter) head() {
	p := w.pdf
	g := w.g
	if g.Issuer != "" {
		size := gwIssuerPt
		p.SetFont(w.fam["title"], "", size)
		for p.GetStringWidth(g.Issuer) > gwW && size > 20 {
			size -= 2
			p.SetFont(w.fam["title"], "", size)
		}
		p.SetTextColor(gwRed[0], gwRed[1], gwRed[2])
		tw := p.GetStringWidth(g.Issuer)
		p.Text(gwLeft+(gwW-tw)/2, gwTop+25, g.Issuer)
		p.SetTextColor(0, 0, 0)
	}
	// The 文号 two lines under the 发文机关标志, the separator 4 mm under it.
	numberY := gwTop + 25 + 2*gwLine
	if g.Number != "" {
		p.SetFont(w.fam["fangsong"], "", gwBodyPt)
		tw := p.GetStringWidth(g.Number)
		p.Text(gwLeft+(gwW-tw)/2, numberY, g.Number)
	}
	lineAt := numberY + 4
	p.SetDrawColor(gwRed[0], gwRed[1], gwRed[2])
	p.SetLineWidth(0.7)
	p.Line(gwLeft, lineAt, gwLeft+gwW, lineAt)
	p.SetLineWidth(0.2)
	p.SetDrawColor(0, 0, 0)
	// The title two lines under the separator.
	w.row = int((lineAt-gwTop)/gwLine) + 2
	p.SetFont(w.fam["title"], "", gwTitlePt)
	for _, line := range w.breakTitle(g.Title) {
		tw := p.GetStringWidth(line)
		p.Text(gwLeft+(gwW-tw)/2, w.lineY(w.row), line)
		w.row++
	}
	w.row++ // one blank line before the 主送机关
}

// breakTitle splits a long title into lines of at most 20 characters,
// breaking after 关于…的 where it can, never leaving a closing mark to start
// a line.
func (w *gwWriter) breakTitle(title string) []string {
	runes := []rune(title)
	const max = 20
	var out []string
	for len(runes) > max {
		cut := max
		// Prefer a break right after "的" or before "通报" in the last third.
		for k := max; k > max*2/3; k-- {
			if runes[k-1] == '的' || runes[k-1] == '于' {
				cut = k
				break
			}
		}
		for cut < len(runes) && strings.ContainsRune(gwNoStart, runes[cut]) {
			cut++
		}
		out = append(out, string(runes[:cut]))
		runes = runes[cut:]
	}
	return append(out, string(runes))
}

// cells is how many grid cells a rune takes: a CJK character or full-width
// mark one, an ASCII letter or digit half.
func cells(r rune) float64 {
	if r < 0x2E80 && r != '—' && r != '…' && r != '“' && r != '”' && r != '‘' && r != '’' && r != '·' {
		return 0.5
	}
	return 1
}

// breakLines breaks text into lines of the 28-character grid, the first
// indent cells narrower, by 标点禁则: a closing mark never starts a line (the
// character before it goes down with it) and an opening mark never ends
// one; digits and Latin words are not split.
func breakLines(text string, indent float64) []string {
	runes := []rune(text)
	var out []string
	start := 0
	width := indent
	for i := 0; i < len(runes); i++ {
		cw := cells(runes[i])
		if width+cw <= gwChars+1e-9 {
			width += cw
			continue
		}
		cut := i
		// A closing mark may not start the next line: take the character
		// before it down too (repeat for "。”").
		for cut > start+1 && strings.ContainsRune(gwNoStart, runes[cut]) {
			cut--
		}
		// An opening mark may not end this line.
		for cut > start+1 && strings.ContainsRune(gwNoEnd, runes[cut-1]) {
			cut--
		}
		// Digits and Latin words stay whole.
		if cells(runes[cut]) == 0.5 && cells(runes[cut-1]) == 0.5 && gwWordRune(runes[cut]) && gwWordRune(runes[cut-1]) {
			k := cut
			for k > start+1 && gwWordRune(runes[k-1]) && cells(runes[k-1]) == 0.5 {
				k--
			}
			if k > start+1 {
				cut = k
			}
		}
		out = append(out, string(runes[start:cut]))
		start = cut
		width = 0
		for _, r := range runes[start : i+1] {
			width += cells(r)
		}
	}
	if start < len(runes) || len(out) == 0 {
		out = append(out, string(runes[start:]))
	}
	return out
}

func gwWordRune(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '.' || r == '%'
}

// paraRows breaks one paragraph into planned rows of the grid, each
// character in its cell (half a cell for ASCII), the first line indented
// indent characters.
func paraRows(face, text string, indent float64, heading, body bool) []gwRow {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	var rows []gwRow
	for i, line := range breakLines(text, indent) {
		x := gwLeft
		if i == 0 {
			x += indent * gwCell
		}
		rows = append(rows, gwRow{face: face, text: line, x: x, body: body, keep: heading})
	}
	return rows
}

// para writes one paragraph on the grid now (an 附件's note), a new page
// when the page is full.
func (w *gwWriter) para(face, text string, indent float64) {
	for _, r := range paraRows(face, text, indent, false, true) {
		if w.row >= gwLines {
			w.newPage()
		}
		w.gridLine(r.face, r.text, r.x, w.lineY(w.row))
		w.row++
	}
}

// gridLine draws a line character by character on the grid.
func (w *gwWriter) gridLine(face, line string, x, y float64) {
	p := w.pdf
	p.SetFont(w.fam[face], "", gwBodyPt)
	var run strings.Builder
	runX := x
	flush := func() {
		if run.Len() > 0 {
			p.Text(runX, y, run.String())
			run.Reset()
		}
	}
	for _, r := range line {
		cw := cells(r) * gwCell
		if cells(r) == 0.5 {
			// ASCII in a run, at its own width centred in its half cells.
			if run.Len() == 0 {
				runX = x
			}
			run.WriteRune(r)
			x += cw
			continue
		}
		flush()
		gw := p.GetStringWidth(string(r))
		p.Text(x+(cw-gw)/2, y, string(r))
		x += cw
	}
	flush()
}

// bodyRows plans the 主送机关 and the 正文.
func (w *gwWriter) bodyRows() [][]gwRow {
	var paras [][]gwRow
	if r := strings.TrimSpace(w.g.Recipients); r != "" {
		paras = append(paras, paraRows("fangsong", r+"：", 0, true, true)) // kept with the first line under it, as a heading
	}
	for _, para := range w.g.Body {
		switch para.Level {
		case LevelHeading1:
			paras = append(paras, paraRows("heiti", para.Text, 2, true, true))
		case LevelHeading2:
			paras = append(paras, paraRows("kaiti", para.Text, 2, true, true))
		case LevelPlain:
			paras = append(paras, paraRows("fangsong", para.Text, 0, false, true))
		default:
			paras = append(paras, paraRows("fangsong", para.Text, 2, false, true))
		}
	}
	return paras
}

// tailRows plans what follows the 正文 and may not leave it: the 附件说明
// one line under the 正文 ("附件：1. …"), then the 落款 and 成文日期.
func (w *gwWriter) tailRows() []gwRow {
	g := w.g
	var rows []gwRow
	if len(g.Annexes) > 0 {
		rows = append(rows, gwRow{})
		if len(g.Annexes) == 1 {
			rows = append(rows, paraRows("fangsong", "附件："+g.Annexes[0].Title, 2, false, false)...)
		}
		for i, a := range g.Annexes {
			if len(g.Annexes) == 1 {
				break
			}
			prefix := "　　　"
			if i == 0 {
				prefix = "附件："
			}
			rows = append(rows, paraRows("fangsong", fmt.Sprintf("%s%d. %s", prefix, i+1, a.Title), 2, false, false)...)
		}
	}
	return append(rows, w.signatureRows()...)
}

// signatureRows are the 落款 and 成文日期 right-aligned four characters in
// (GB/T 9704 7.3.5.1), two lines under the 正文 (or 附件说明) to leave the
// 印章 its place, the date in Arabic numerals.
func (w *gwWriter) signatureRows() []gwRow {
	g := w.g
	rows := []gwRow{{}, {}}
	date := cnDate(g.Date)
	dw := 0.0
	for _, r := range date {
		dw += cells(r)
	}
	// The date ends four characters from the right; the 署名 is centred on it.
	dateX := gwLeft + gwW - (4+dw)*gwCell
	if g.Signer != "" {
		sw := float64(utf8.RuneCountInString(g.Signer))
		sx := dateX + (dw-sw)/2*gwCell
		if sx+sw*gwCell > gwLeft+gwW {
			sx = gwLeft + gwW - sw*gwCell
		}
		rows = append(rows, gwRow{face: "fangsong", text: g.Signer, x: sx})
	}
	return append(rows, gwRow{face: "fangsong", text: date, x: dateX})
}

// The most a page may be tightened to keep the 落款 with the 正文: two
// lines more than its grid, and lines at least 9 mm apart (the grid's are
// 10.2 mm; 三号 characters are 5.6 mm high).
const (
	gwMaxExtraRows = 2
	gwMinPitch     = 9.0
)

// mainPart lays out the 主体 on the grid: 主送机关, 正文, 附件说明, 落款.
// A 一级/二级 heading never ends a page. The 落款 never stands on a page
// of its own (GB/T 9704 7.3.5.5: when the space left cannot hold the 印章
// and 成文日期, adjust the line spacing; "此页无正文" is not allowed): when
// the 附件说明 and 落款 do not fit under the 正文, the page where the 正文
// ends is tightened by up to two lines if that keeps its lines at least 9
// mm apart; otherwise the last two lines of the 正文 (and a heading above
// them) go over to the next page with the 落款.
func (w *gwWriter) mainPart() {
	type page struct {
		start int // the first grid line the 主体 may use (under the 版头 on page 1)
		rows  []gwRow
	}
	pages := []page{{start: w.row}}
	cur := func() *page { return &pages[len(pages)-1] }
	used := func() int { return cur().start + len(cur().rows) }
	for _, para := range w.bodyRows() {
		if len(para) > 0 && para[0].keep && used()+2 > gwLines {
			pages = append(pages, page{})
		}
		for _, r := range para {
			if used() >= gwLines {
				pages = append(pages, page{})
			}
			cur().rows = append(cur().rows, r)
		}
	}
	w.layout.BodyEnd = used()
	tail := w.tailRows()
	last := cur()
	need := used() + len(tail)
	bodyLines := func(p *page) int {
		n := 0
		for _, r := range p.rows {
			if r.body {
				n++
			}
		}
		return n
	}
	// carry moves the last k rows of the page before last over to the
	// top of the last, with a heading left at the foot of that page.
	carry := func(from *page, k int, to *page) int {
		k = min(k, len(from.rows))
		for k < len(from.rows) && from.rows[len(from.rows)-k-1].keep {
			k++
		}
		to.rows = append(append([]gwRow(nil), from.rows[len(from.rows)-k:]...), to.rows...)
		from.rows = from.rows[:len(from.rows)-k]
		w.layout.Carried += k
		return k
	}
	pitch := 0.0
	switch {
	case need <= gwLines && len(pages) > 1 && bodyLines(last) < 2:
		// The 正文 ran one line onto this page: one more comes over,
		// so that the 落款 stands under two.
		w.layout.Signature = "carried"
		carry(&pages[len(pages)-2], 2-bodyLines(last), last)
	case need <= gwLines:
		w.layout.Signature = "fits"
	case need-gwLines <= gwMaxExtraRows && float64(gwLines-last.start)*gwLine/float64(need-last.start) >= gwMinPitch:
		w.layout.Signature = "tightened"
		pitch = float64(gwLines-last.start) * gwLine / float64(need-last.start)
	case bodyLines(last) == 0:
		// Nothing to carry (a page with no 正文 at all): the 落款 stays
		// on it, tightened as far as it must be.
		w.layout.Signature = "tightened"
		pitch = float64(gwLines-last.start) * gwLine / float64(need-last.start)
	default:
		w.layout.Signature = "carried"
		// At least two lines of the 正文 go over; a heading (or the
		// 主送机关's line) left at the foot of the page goes with them.
		pages = append(pages, page{})
		carry(&pages[len(pages)-2], 2, cur())
	}
	cur().rows = append(cur().rows, tail...)
	w.layout.Rows = used()
	// With no 附件 the 版记 follows on this page when it is even. Rather
	// than a blank page and a 版记 page, the page is tightened (its lines
	// still at least 9 mm apart) to hold the 版记 too.
	if len(w.g.Annexes) == 0 && len(pages)%2 == 0 {
		pg := cur()
		p := gwLine
		if pitch > 0 {
			p = pitch
		}
		room := gwH - w.recordHeight() - gwLine - float64(pg.start)*gwLine
		if n := float64(used() - pg.start); n*p > room {
			if q := room/n - 1e-6; q >= gwMinPitch {
				pitch = q
				w.layout.ForRecord = true
			}
		}
	}
	for i, pg := range pages {
		if i > 0 {
			w.newPage()
		}
		w.row = pg.start
		if i == len(pages)-1 && pitch > 0 {
			w.from, w.pitch = pg.start, pitch
		}
		for _, r := range pg.rows {
			if r.text != "" {
				w.gridLine(r.face, r.text, r.x, w.lineY(w.row))
			}
			w.row++
		}
	}
}

// annex starts an 附件 on a new page: "附件" (黑体) in the top left, its
// title centred, the table, then the pictures.
func (w *gwWriter) annex(i int, a Annex) {
	p := w.pdf
	w.newPage()
	label := "附件"
	if len(w.g.Annexes) > 1 {
		label = fmt.Sprintf("附件%d", i+1)
	}
	w.gridLine("heiti", label, gwLeft, w.lineY(0))
	w.row = 2
	p.SetFont(w.fam["title"], "", gwTitlePt)
	for _, line := range w.breakTitle(a.Title) {
		tw := p.GetStringWidth(line)
		p.Text(gwLeft+(gwW-tw)/2, w.lineY(w.row), line)
		w.row++
	}
	w.row++
	if a.Note != "" {
		w.para("fangsong", a.Note, 2)
	}
	y := gwTop + float64(w.row)*gwLine
	if len(a.Rows) > 0 {
		y = w.table(a, y)
	}
	for k, img := range a.Images {
		name := fmt.Sprintf("annex%d-%d", i, k)
		info := p.RegisterImageOptionsReader(name, gofpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(img))
		if info == nil {
			continue
		}
		h := gwW * info.Height() / info.Width()
		if y+h > gwTop+gwH {
			w.newPage()
			y = gwTop
		}
		p.ImageOptions(name, gwLeft, y+3, gwW, h, false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		y += h + 6
	}
	w.row = int((y-gwTop)/gwLine + 0.999)
}

// table draws an 附件's table in 4号 仿宋, the header row repeated on each
// page, and returns where it ends.
func (w *gwWriter) table(a Annex, y float64) float64 {
	p := w.pdf
	const pt = 11.0 // tables a size below 小四, so a unit name and "62（回访90.82）" fit a line
	const lineH = 6.2
	widths := a.Widths
	total := 0.0
	for _, cw := range widths {
		total += cw
	}
	scale := gwW / total
	row := func(cells []string, header bool) float64 {
		face := "fangsong"
		if header {
			face = "heiti"
		}
		p.SetFont(w.fam[face], "", pt)
		lines := make([][]string, len(widths))
		n := 1
		for i, cw := range widths {
			text := ""
			if i < len(cells) {
				text = cells[i]
			}
			lines[i] = wrapWidth(p, text, cw*scale-2)
			n = max(n, len(lines[i]))
		}
		h := float64(n)*lineH + 2
		if y+h > gwTop+gwH {
			w.newPage()
			y = gwTop
			if !header {
				y = w.tableHeader(a, y, widths, scale, lineH, pt)
			}
			p.SetFont(w.fam[face], "", pt)
		}
		x := gwLeft
		for i, cw := range widths {
			cw *= scale
			p.Rect(x, y, cw, h, "D")
			for k, ln := range lines[i] {
				tw := p.GetStringWidth(ln)
				lx := x + (cw-tw)/2
				if !header && i == 1 {
					lx = x + 1
				}
				p.Text(lx, y+1+float64(k)*lineH+lineH*0.72, ln)
			}
			x += cw
		}
		y += h
		return y
	}
	p.SetLineWidth(0.25)
	row(a.Rows[0], true)
	for _, r := range a.Rows[1:] {
		row(r, false)
	}
	return y
}

func (w *gwWriter) tableHeader(a Annex, y float64, widths []float64, scale, lineH, pt float64) float64 {
	p := w.pdf
	p.SetFont(w.fam["heiti"], "", pt)
	h := lineH + 2
	x := gwLeft
	for i, cw := range widths {
		cw *= scale
		p.Rect(x, y, cw, h, "D")
		if i < len(a.Rows[0]) {
			tw := p.GetStringWidth(a.Rows[0][i])
			p.Text(x+(cw-tw)/2, y+1+lineH*0.72, a.Rows[0][i])
		}
		x += cw
	}
	return y + h
}

// wrapWidth breaks text to a width at the current font (table cells).
func wrapWidth(p *gofpdf.Fpdf, text string, width float64) []string {
	var out []string
	var line []rune
	for _, r := range text {
		if len(line) > 0 && p.GetStringWidth(string(append(line, r))) > width && !strings.ContainsRune(gwNoStart, r) {
			out = append(out, string(line))
			line = nil
		}
		line = append(line, r)
	}
	return append(out, string(line))
}

// gwRecordRow is the height of one line of the 版记 (4号).
const gwRecordRow = 7.0

// recordHeight is the 版记's height: 抄送 (if any) and 印发机关 and 日期.
func (w *gwWriter) recordHeight() float64 {
	if w.g.CC != "" {
		return 2 * gwRecordRow
	}
	return gwRecordRow
}

// record draws the 版记 at the foot of the document's last page (GB/T 9704
// 7.4): 抄送, then 印发机关 left and 印发日期 right, between a thick rule
// above, thin rules between and a thick rule below that lies on the
// 版心's lower edge. A 公文 is printed on both sides and the 版记 is on its
// last face, the back of the last sheet: an even page. So it goes under
// the 落款 (or the last 附件) when that page is even and has room; on the
// next page when that page is odd, even if it would have fitted (a page
// that holds only the 版记 is then right); and when an even page is full,
// on the page after a blank one, and then neither the blank page nor the
// 版记 page carries a page number (GB/T 9704 7.5).
func (w *gwWriter) record() {
	p := w.pdf
	g := w.g
	bottom := gwTop + gwH
	rowH := gwRecordRow
	top := bottom - w.recordHeight()
	fits := w.rowTop(w.row)+gwLine <= top
	switch {
	case w.pages%2 == 0 && fits:
		w.layout.Record = "same page"
	case w.pages%2 == 1:
		w.layout.Record = "own page"
		w.newPage()
	default:
		w.layout.Record = "after blank"
		w.unnumbered = true
		w.newPage()
		w.newPage()
	}
	p.SetLineWidth(0.35)
	p.Line(gwLeft, top, gwLeft+gwW, top)
	p.Line(gwLeft, bottom, gwLeft+gwW, bottom)
	p.SetLineWidth(0.25)
	p.SetFont(w.fam["fangsong"], "", gwNumberPt)
	y := top
	if g.CC != "" {
		p.Text(gwLeft+gwCell, y+rowH*0.7, "抄送："+g.CC+"。")
		y += rowH
		p.Line(gwLeft, y, gwLeft+gwW, y)
	}
	p.Text(gwLeft+gwCell, y+rowH*0.7, g.Printer)
	date := cnDate(g.PrintDate) + "印发"
	p.Text(gwLeft+gwW-gwCell-p.GetStringWidth(date), y+rowH*0.7, date)
	p.SetLineWidth(0.2)
}
