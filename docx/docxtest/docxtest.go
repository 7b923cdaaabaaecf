// Package docxtest reopens a .docx with python-docx, an independent parser,
// for the tests of the packages that write one.
package docxtest

import (
	"encoding/json"
	"os/exec"
	"testing"
)

// Reopened is what python-docx reads back from a .docx.
type Reopened struct {
	Paragraphs [][2]string        `json:"paragraphs"` // style name, text
	Tables     [][][]string       `json:"tables"`
	Fonts      map[string]string  `json:"fonts"` // style name → east Asian face
	Sizes      map[string]float64 `json:"sizes"` // style name → points
	Red        string             `json:"red"`
	EvenOdd    bool               `json:"even_odd"`
	Footer     string             `json:"footer"`
	EvenFooter string             `json:"even_footer"`
	Header     string             `json:"header"`
	Title      string             `json:"title"`
	Author     string             `json:"author"`
	// Pictures are the inline pictures' sizes in millimetres, in order.
	Pictures [][2]float64 `json:"pictures"`
	// KeepNext is, per paragraph, whether it is kept with the next one.
	KeepNext []bool `json:"keep_next"`
	// WidowControl: the Normal style's; KeepLines: style name → keep_together.
	WidowControl bool            `json:"widow_control"`
	KeepLines    map[string]bool `json:"keep_lines"`
}

const pyReopen = `
import json, sys, docx
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
out = {"paragraphs": [[p.style.name, p.text] for p in d.paragraphs],
       "tables": [[[c.text for c in r.cells] for r in t.rows] for t in d.tables],
       "fonts": {}, "sizes": {}}
for s in d.styles:
    if s.type != 1:
        continue
    rpr = s.element.rPr
    if rpr is not None and rpr.rFonts is not None and rpr.rFonts.get(qn("w:eastAsia")):
        out["fonts"][s.name] = rpr.rFonts.get(qn("w:eastAsia"))
    if s.font.size is not None:
        out["sizes"][s.name] = s.font.size.pt
    if s.name == "发文机关标志" and s.font.color.rgb is not None:
        out["red"] = str(s.font.color.rgb)
sec = d.sections[0]
out["even_odd"] = d.settings.odd_and_even_pages_header_footer
out["footer"] = sec.footer.paragraphs[0].text
out["even_footer"] = sec.even_page_footer.paragraphs[0].text
out["header"] = sec.header.paragraphs[0].text
out["title"] = d.core_properties.title
out["author"] = d.core_properties.author
out["pictures"] = [[s.width.mm, s.height.mm] for s in d.inline_shapes]
out["keep_next"] = [bool(p.paragraph_format.keep_with_next) for p in d.paragraphs]
out["widow_control"] = bool(d.styles["Normal"].paragraph_format.widow_control)
out["keep_lines"] = {s.name: bool(s.paragraph_format.keep_together) for s in d.styles if s.type == 1}
json.dump(out, sys.stdout, ensure_ascii=False)
`

// Python finds a python3 that has python-docx (Debian's python3-docx is in
// /usr/bin; a python3 earlier in PATH may lack it).
func Python(tb testing.TB) string {
	tb.Helper()
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import docx").Run() == nil {
			return py
		}
	}
	tb.Fatal("no python3 with python-docx (Debian: python3-docx)")
	return ""
}

// Reopen reopens a .docx with python-docx.
func Reopen(tb testing.TB, path string) Reopened {
	tb.Helper()
	out, err := exec.Command(Python(tb), "-c", pyReopen, path).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			tb.Fatalf("python-docx: %v\n%s", err, ee.Stderr)
		}
		tb.Fatalf("python-docx: %v", err)
	}
	var r Reopened
	if err := json.Unmarshal(out, &r); err != nil {
		tb.Fatalf("python-docx output: %v\n%s", err, out)
	}
	return r
}
