package report

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mingcha/inspect"
)

// timedPhotos is a photo source that knows when each photo was taken.
type timedPhotos struct {
	fakePhotos
	taken map[string]time.Time
}

func (p timedPhotos) PhotoTakenAt(hash string) time.Time { return p.taken[hash] }

// TestFieldWalkContent: a 明查's report prints the unit's 签收 with the
// objection, the visit's end, the stopwatch's readings, the off-roster
// person present and each photo's capture time (flagged outside the visit).
func TestFieldWalkContent(t *testing.T) {
	needTool(t, "pdftotext")
	in, photos := testInspection(t)
	in.Status = inspect.StatusDraft
	in.Mode = inspect.ModeOpen
	now := in.ObservedAt.Add(90 * time.Minute)
	for _, it := range in.Template.Items() {
		a := *in.Answers[it.Code]
		switch {
		case it.Timer == inspect.TimerQueue:
			a.Times = nil
			for _, d := range []time.Duration{0, 12 * time.Minute, 25 * time.Minute} {
				inspect.Lap(it, &a, in.ObservedAt.Add(d))
			}
		case it.Kind == inspect.KindAttendance:
			a.OffRoster = []inspect.StaffMember{{Name: "小刘", Post: "实习"}}
		default:
			continue
		}
		if err := in.SetAnswer(a, now); err != nil {
			t.Fatal(err)
		}
	}
	in.EndedAt = now
	if err := in.SetReceipt(inspect.Receipt{Name: "周科长", Post: "科长", PNG: testPNG(t, 300, 100, true),
		Objection: true, Text: "王五当时外出送件"}, now); err != nil {
		t.Fatal(err)
	}
	in.Status = inspect.StatusSigned
	var hash string
	for h := range photos {
		hash = h
	}
	src := timedPhotos{photos, map[string]time.Time{hash: in.ObservedAt.Add(-26 * time.Hour)}}
	pdf, err := Render(in, src, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, "fw.pdf", pdf)
	if dir := os.Getenv("MINGCHA_SCREENSHOTS"); dir != "" { // the page with the 签收, for docs/screenshots
		if err := exec.Command("pdftoppm", "-f", "3", "-l", "3", "-r", "70", "-png", "-singlefile", path, filepath.Join(dir, "report-receipt")).Run(); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), "") // wrapped lines join again
	for _, want := range []string{
		"五、被检查单位签收", "周科长", "有异议：王五当时外出送件",
		"09:40 至 11:10",
		"取号 09:40:00", "叫号 09:52:00", "办结 10:05:00", "等候 12 分钟",
		"名册外在岗：小刘（实习）", "应到 7 人，实到 5 人",
		"拍摄时间：2024年05月13日 07:40（不在检查时段内）",
	} {
		if !strings.Contains(text, strings.ReplaceAll(want, " ", "")) {
			t.Errorf("the report does not say %q", want)
		}
	}
}
