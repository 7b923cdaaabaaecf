package report

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
			in := withFindings(base, n)
			start, end, sig, head := -1, -1, -1, -1
			for i, flat := range flatPages(t, dir, n, in, photos, opts) {
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

// withFindings is a copy of base with n more findings, one to three lines
// long, which push everything after them down the pages.
func withFindings(base *inspect.Inspection, n int) *inspect.Inspection {
	in := *base
	in.Findings = append([]inspect.Finding(nil), base.Findings...)
	for k := 0; k < n; k++ {
		in.Findings = append(in.Findings, inspect.Finding{ID: fmt.Sprintf("F%d", k+2), Text: strings.Repeat("窗口人员离岗未挂去向牌", 1+k%3), Category: "去向牌", Deduction: 1})
	}
	return &in
}

// flatPages renders in as dir/r<n>.pdf and returns each page's text as
// pdftotext reads it, without white space.
func flatPages(t *testing.T, dir string, n int, in *inspect.Inspection, photos PhotoSource, opts RenderOptions) []string {
	t.Helper()
	pdf, err := Render(in, photos, opts)
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
	var pages []string
	for _, pg := range strings.Split(string(raw), "\f") {
		pages = append(pages, strings.Join(strings.Fields(pg), ""))
	}
	return pages
}

// TestReceiptKeptTogether: the 签收 of a 明查 — heading, the four rows and
// the representative's drawn signature — is on one page however far down
// the report pushes it (the drawing used to go alone onto the next page,
// as in the walk of a 42-item inspection with five problems).
func TestReceiptKeptTogether(t *testing.T) {
	needTool(t, "pdftotext")
	base, photos := testInspection(t)
	base.Mode = inspect.ModeOpen
	base.Receipt = &inspect.Receipt{Name: "赵六", Post: "科长", PNG: testPNG(t, 300, 100, true), SignedAt: base.SignedAt}
	dir := t.TempDir()
	for n := 0; n < 24; n++ {
		head, when, caption := -1, -1, -1
		for i, flat := range flatPages(t, dir, n, withFindings(base, n), photos, RenderOptions{}) {
			if strings.Contains(flat, "五、被检查单位签收") {
				head = i
			}
			if strings.Contains(flat, "签收时间") {
				when = i
			}
			if strings.Contains(flat, "签收人：赵六") {
				caption = i
			}
		}
		if head < 0 || head != when || when != caption {
			t.Errorf("%d extra findings: the heading is on page %d, 签收时间 on %d, the drawn signature's caption on %d", n, head+1, when+1, caption+1)
		}
	}
}

// TestReportTimesInOfficeZone: every time on the pages is in the office's
// zone, whatever zone the moments carry: the walk's report printed the
// visit and its answers in Beijing time but the signatures, the 签收 and the
// closing note in the laptop's (UTC there), so a 签收 read 12月01日 19:16
// under a visit of 12月02日 03:11.
func TestReportTimesInOfficeZone(t *testing.T) {
	needTool(t, "pdftotext")
	in, photos := testInspection(t)
	in.Mode = inspect.ModeOpen
	utc := time.Date(2024, 5, 14, 2, 5, 0, 0, time.UTC) // 10:05 in Beijing
	in.SignedAt = utc
	for i := range in.Signatures {
		in.Signatures[i].SignedAt = utc
	}
	in.Receipt = &inspect.Receipt{Name: "赵六", PNG: testPNG(t, 300, 100, true), SignedAt: utc}
	pdf, err := Render(in, photos, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	raw, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(raw)), "")
	if strings.Contains(flat, "02:05") {
		t.Errorf("a time printed in UTC (02:05):\n%s", raw)
	}
	// Each inspector's signature, the 签收 and the closing note.
	if n := strings.Count(flat, "2024年05月14日10:05"); n < len(in.Signatures)+2 {
		t.Errorf("10:05 (Beijing) printed %d times, want %d:\n%s", n, len(in.Signatures)+2, raw)
	}
}
