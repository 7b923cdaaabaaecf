package app

import (
	"strings"
	"testing"
)

// TestExportNamesMissingGlyphs: before a report whose text holds a
// character no bundled font draws is exported, the window names it (with
// its code point) and asks; 䶮 and 𬌗 are drawn and need no question.
func TestExportNamesMissingGlyphs(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	id := createInspection(t, u)
	in, err := s.Inspection(id)
	if err != nil {
		t.Fatal(err)
	}

	in.Unit.Name = "郑𬌗吴䶮办事处"
	r := &reviewScreen{ui: u, in: in}
	r.doExport()
	if got := overlayText(c); strings.Contains(got, "没有内置字体") {
		t.Errorf("a name every character of which is drawn is warned about: %q", got)
	}

	in.Unit.Name = "郑\U0010FFFD办事处"
	r.doExport()
	got := overlayText(c)
	if !strings.Contains(got, "没有内置字体") || !strings.Contains(got, "U+10FFFD") || !strings.Contains(got, "仍要导出吗") {
		t.Errorf("export of a name with U+10FFFD: %q, want a question naming it", got)
	}
}
