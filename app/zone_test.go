package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/inspect"
)

// TestWalkTimesInOfficeZone: the times the walk shows beside each other are
// in one zone, the office's. In the walk under Xvfb (a laptop set to UTC)
// the stopwatch read "取号 19:18:59" above "记录于 03:19:00", and the status
// bar "已保存 19:19:00".
func TestWalkTimesInOfficeZone(t *testing.T) {
	chineseMessages(t)
	at := time.Date(2026, 12, 1, 19, 18, 59, 0, time.UTC) // 03:18:59 on the 2nd in Beijing
	if got := marksText([]inspect.TimeMark{{Mark: inspect.MarkTake, At: at}}); !strings.Contains(got, "03:18:59") {
		t.Errorf("stopwatch reading %q, want 03:18:59", got)
	}
	if got := savedText(at); !strings.Contains(got, "03:18:59") {
		t.Errorf("status %q, want 03:18:59", got)
	}
}

// TestHomeDateFiltersHoldTheirPlaceholders: the home screen's date filters
// show their whole placeholder beside the validation icon in both
// languages (in English "From yyyy-mm-dd" was cut at 1024×768).
func TestHomeDateFiltersHoldTheirPlaceholders(t *testing.T) {
	for _, english := range []bool{false, true} {
		u, w, _ := newTestUI(t)
		if english {
			englishMessages(t, u)
		}
		w.Resize(fyne.NewSize(1008, 696))
		u.ShowHome()
		for _, e := range []*widget.Entry{u.home.from, u.home.to} {
			need := fyne.MeasureText(e.PlaceHolder, theme.TextSize(), fyne.TextStyle{}).Width +
				3*theme.InnerPadding() + theme.IconInlineSize()
			if e.Size().Width < need {
				t.Errorf("english %v: %q in %v px, needs %v", english, e.PlaceHolder, e.Size().Width, need)
			}
		}
	}
}

// TestInspectionCountOneForm: the home screen's count reads the same way
// for one inspection as for none or many (Chinese showed "共 0 条" and then
// "1 项检查").
func TestInspectionCountOneForm(t *testing.T) {
	chineseMessages(t)
	for n, want := range map[int]string{0: "共 0 条", 1: "共 1 条", 2: "共 2 条"} {
		if got := inspectionCount(n); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
}

// TestUnitsFirstNameFocused: with no unit yet, the units screen opens with
// the cursor in the new unit's name (its focus was asked for before the
// screen was on the window: Fyne logged "Failed to focus object which is
// not part of the canvas" and the field had no cursor).
func TestUnitsFirstNameFocused(t *testing.T) {
	u, w, s := newTestUI(t)
	units, err := s.Units()
	if err != nil {
		t.Fatal(err)
	}
	for _, un := range units {
		if err := s.DeleteUnit("test", un.ID); err != nil {
			t.Fatal(err)
		}
	}
	u.ShowUnits()
	if got := w.Canvas().Focused(); got != u.units.name {
		t.Errorf("focused %T %v, want the unit's name", got, got)
	}
}

// TestPassphraseStrengthSaysWhatItRates: under a new passphrase the
// strength line names what it rates (it read a lone "中" under the field).
func TestPassphraseStrengthSaysWhatItRates(t *testing.T) {
	chineseMessages(t)
	for level, want := range map[int]string{2: "口令强度：中", 3: "口令强度：强"} {
		if got, _ := strengthText(level); got != want {
			t.Errorf("level %d: %q, want %q", level, got, want)
		}
	}
}

// TestExportNamesDiffer: two inspections of one unit on one day are
// offered different file names to export to (both were 单位-日期.pdf, and
// the second export asked to replace the first's report).
func TestExportNamesDiffer(t *testing.T) {
	u, _, _ := newTestUI(t)
	c := u.win.Canvas()
	var names []string
	for range 2 {
		id := createInspection(t, u)
		walkAll(t, u, c)
		u.ShowReview(id)
		test.Tap(u.review.complete)
		u.review.chooseExportFile()
		names = append(names, u.lastPicker.name.Text)
		clearOverlays(c)
	}
	if names[0] == names[1] || !strings.HasPrefix(names[0], "企业登记科-") || !strings.HasSuffix(names[0], ".pdf") {
		t.Errorf("export names %q", names)
	}
}
