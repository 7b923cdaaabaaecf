package app

import (
	"strings"
	"testing"
	"time"

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
