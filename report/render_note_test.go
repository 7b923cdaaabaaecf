package report

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"mingcha/inspect"
)

// TestClosingNoteNeverAlone: however long the report, the closing note
// (本报告由明察系统生成于…可用 mingcha verify 核验。) is on one page with the
// last row of signatures, and the heading 四、检查人员签名 with the first —
// the note used to break after its first line and leave its last one alone
// on a page of its own. Extra findings push the signatures down a few
// millimetres at a time, across every break position; with and without the
// line saying who signs digitally (a taller row).
func TestClosingNoteNeverAlone(t *testing.T) {
	needTool(t, "pdftotext")
	base, photos := testInspection(t)
	dir := t.TempDir()
	for _, opts := range []RenderOptions{{}, {DigitalSigners: base.Inspectors[:1]}} {
		for n := 0; n < 20; n++ {
			in := *base
			in.Findings = append([]inspect.Finding(nil), base.Findings...)
			for k := 0; k < n; k++ {
				in.Findings = append(in.Findings, inspect.Finding{ID: fmt.Sprintf("F%d", k+2), Text: strings.Repeat("窗口人员离岗未挂去向牌", 1+k%3), Category: "去向牌", Deduction: 1})
			}
			pdf, err := Render(&in, photos, opts)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, fmt.Sprintf("r%d.pdf", n))
			if err := os.WriteFile(path, pdf, 0o600); err != nil {
				t.Fatal(err)
			}
			raw, err := exec.Command("pdftotext", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			pages := strings.Split(string(raw), "\f")
			start, end, sig, head := -1, -1, -1, -1
			for i, pg := range pages {
				flat := strings.Join(strings.Fields(pg), "")
				if strings.Contains(flat, "本报告由明察系统生成于") {
					start = i
				}
				if strings.Contains(flat, "四、检查人员签名") {
					head = i
				}
				if strings.Contains(flat, "verify核验。") {
					end = i
				}
				if strings.Contains(flat, in.Inspectors[len(in.Inspectors)-1]+"20") { // the last name above its signing time
					sig = i
				}
			}
			if start < 0 || start != end || sig != start || head != sig {
				t.Errorf("%d extra findings, digital signers %v: the heading is on page %d, the last signature on %d, the note starts on %d and ends on %d",
					n, opts.DigitalSigners, head+1, sig+1, start+1, end+1)
			}
		}
	}
}
