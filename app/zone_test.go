package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
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
