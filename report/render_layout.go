// Layout primitives of the report: fonts, headings, page breaks and
// bordered table rows whose text wraps by the rules of Chinese typesetting.

package report

import (
	"strings"
)

func (r *renderer) font(size float64) { r.pdf.SetFont(fontFamily, "", size) }

func (r *renderer) heading(text string, next float64) {
	p := r.pdf
	if !r.ensure(14 + next) {
		p.Ln(4)
	}
	r.font(13)
	p.SetFillColor(230, 236, 245)
	p.CellFormat(contentW, 8, text, "", 1, "L", true, 0, "")
	p.SetFillColor(0, 0, 0)
	p.Ln(2)
}

// ensure starts a new page unless h millimetres fit above the footer.
func (r *renderer) ensure(h float64) bool {
	if r.pdf.GetY()+h > bodyBottom {
		r.pdf.AddPage()
		return true
	}
	return false
}

type rowStyle struct {
	header     bool
	labelFirst bool
	redCols    map[int]bool
	repeat     func() // redraws the table header after a page break
}

const lineH = 4.6

// tableRow draws one row of bordered cells whose text wraps within each
// cell; a row that does not fit goes to the next page, after the header. A
// row taller than a page (a long note) is not moved but continues: each
// page holds as many of its lines as fit, in cells framed on that page,
// and the header is repeated above the continuation.
func (r *renderer) tableRow(cols []float64, cells []string, st rowStyle) {
	p := r.pdf
	lines := r.cellLines(cols, cells)
	n := 1
	for _, l := range lines {
		n = max(n, len(l))
	}
	h := float64(n)*lineH + 2.4
	// A fresh page has this much room below a repeated header row.
	fresh := bodyBottom - margin - (lineH + 2.4)
	if p.GetY()+h > bodyBottom && (h <= fresh || r.rowLinesFit() < 3) {
		r.rowBreak(st)
	}
	for start := 0; ; {
		take := min(n-start, r.rowLinesFit())
		if take < 1 {
			r.rowBreak(st)
			continue
		}
		r.rowPart(cols, lines, start, start+take, st)
		start += take
		if start >= n {
			return
		}
		r.rowBreak(st)
	}
}

// rowLinesFit is how many text lines of a table row fit above the footer.
func (r *renderer) rowLinesFit() int {
	return int((bodyBottom - r.pdf.GetY() - 2.4) / lineH)
}

// rowBreak starts a new page for a table row and redraws the header.
func (r *renderer) rowBreak(st rowStyle) {
	r.pdf.AddPage()
	if st.repeat != nil {
		st.repeat()
	}
}

// rowPart draws lines [from, to) of every cell of a row as one band of
// framed cells at the current position.
func (r *renderer) rowPart(cols []float64, lines [][]string, from, to int, st rowStyle) {
	p := r.pdf
	h := float64(to-from)*lineH + 2.4
	// Colours are set only when they change: every operator is repeated
	// on each of hundreds of cells. A black fill colour lets gofpdf write
	// black text without wrapping it in q … Q.
	x, y := margin, p.GetY()
	p.SetDrawColor(150, 150, 150)
	for i, w := range cols {
		if st.header || (st.labelFirst && i == 0) {
			p.SetFillColor(238, 238, 238)
			p.Rect(x, y, w, h, "FD")
			p.SetFillColor(0, 0, 0)
		} else {
			p.Rect(x, y, w, h, "D")
		}
		if st.redCols[i] {
			p.SetTextColor(190, 0, 0)
		}
		align := "L"
		if st.header {
			align = "C"
		}
		for k := from; k < to && k < len(lines[i]); k++ {
			if lines[i][k] == "" {
				continue
			}
			p.SetXY(x+0.2, y+1.2+float64(k-from)*lineH)
			p.CellFormat(w-0.4, lineH, lines[i][k], "", 0, align, false, 0, "")
		}
		if st.redCols[i] {
			p.SetTextColor(0, 0, 0)
		}
		x += w
	}
	p.SetDrawColor(0, 0, 0)
	p.SetXY(margin, y+h)
}

func (r *renderer) cellLines(cols []float64, cells []string) [][]string {
	lines := make([][]string, len(cols))
	for i, w := range cols {
		lines[i] = r.wrap(cells[i], w-2.4)
	}
	return lines
}

// rowHeight is the height tableRow gives a row at the current font.
func (r *renderer) rowHeight(cols []float64, cells []string) float64 {
	n := 1
	for _, l := range r.cellLines(cols, cells) {
		n = max(n, len(l))
	}
	return float64(n)*lineH + 2.4
}

// wrap breaks text into lines no wider than w at the current font. Chinese
// text breaks between any two characters, Latin words at spaces when they
// can; closing marks never begin a line and opening marks never end one
// (避头尾): the character before moves down with them rather than letting
// the mark stick out of the cell.
func (r *renderer) wrap(text string, w float64) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		runes := []rune(para)
		if len(runes) == 0 {
			out = append(out, "")
			continue
		}
		for len(runes) > 0 {
			n := r.fit(runes, w)
			if n < len(runes) {
				n = breakAt(runes, n)
			}
			out = append(out, strings.TrimRight(string(runes[:n]), " "))
			runes = runes[n:]
			for len(runes) > 0 && runes[0] == ' ' {
				runes = runes[1:]
			}
		}
	}
	return out
}

// fit is how many runes from the start fit in w (at least one).
func (r *renderer) fit(runes []rune, w float64) int {
	width := 0.0
	for i, c := range runes {
		width += r.pdf.GetStringWidth(string(c))
		if width > w && i > 0 {
			return i
		}
	}
	return len(runes)
}

// breakAt moves a line break at n (runes[n] is the first that does not
// fit) back to where a reader expects it; it never returns less than 1.
func breakAt(runes []rune, n int) int {
	k := n
	if isWordRune(runes[k]) && isWordRune(runes[k-1]) {
		for j := k - 1; j > 0; j-- {
			if runes[j] == ' ' {
				k = j + 1
				break
			}
			if !isWordRune(runes[j]) {
				k = j + 1
				break
			}
		}
	}
	// 避头: pull characters down until the next line starts with no
	// closing mark; 避尾: an opening mark goes down with what it opens. A
	// run of marks too long for that keeps the plain break.
	for j := k; j > 1 && k-j < 4; j-- {
		if !strings.ContainsRune(noLineStart, runes[j]) && !strings.ContainsRune(noLineEnd, runes[j-1]) {
			return j
		}
	}
	return k
}

// isWordRune is a letter or digit of a Latin word, which is not split.
func isWordRune(c rune) bool {
	return c < 0x2E80 && c != ' ' && !strings.ContainsRune(noLineStart+noLineEnd, c) && c != '-' && c != '/'
}

// noLineStart are the marks that must not begin a line, noLineEnd those
// that must not end one.
const (
	noLineStart = "，。、；：？！）」』”’》〉】,.;:?!)%"
	noLineEnd   = "（「『“‘《〈【("
)
