package main

import (
	"bytes"
	"io"
	"strings"

	"golang.org/x/text/width"
)

// table lines up the tab-separated cells of what is written to it, as
// text/tabwriter does (a cell ends at a tab; the text after a line's last
// tab is not a column), but measures cells as a terminal shows them: a
// Chinese character takes two columns. text/tabwriter counts runes, so a
// unit name like 区税务局第一税务分局 pushed every later cell of its row
// out of line. Columns are two spaces apart. Flush writes the lines.
type table struct {
	w   io.Writer
	buf bytes.Buffer
}

func newTable(w io.Writer) *table { return &table{w: w} }

func (t *table) Write(p []byte) (int, error) { return t.buf.Write(p) }

// Flush writes the buffered lines with their columns padded.
func (t *table) Flush() error {
	text := t.buf.String()
	t.buf.Reset()
	trailing := strings.HasSuffix(text, "\n")
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	rows := make([][]string, len(lines))
	var widths []int
	for i, l := range lines {
		rows[i] = strings.Split(l, "\t")
		for c, cell := range rows[i][:len(rows[i])-1] {
			if c == len(widths) {
				widths = append(widths, 0)
			}
			widths[c] = max(widths[c], displayWidth(cell))
		}
	}
	var out strings.Builder
	for i, cells := range rows {
		for c, cell := range cells {
			out.WriteString(cell)
			if c < len(cells)-1 {
				out.WriteString(strings.Repeat(" ", widths[c]-displayWidth(cell)+2))
			}
		}
		if i < len(rows)-1 || trailing {
			out.WriteByte('\n')
		}
	}
	_, err := io.WriteString(t.w, out.String())
	return err
}

// displayWidth is how many terminal columns s takes: two for East Asian
// wide and fullwidth characters (Han, kana, fullwidth punctuation such as
// （）：), one for the rest.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
