package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mingcha/desk"
	"mingcha/inspect"
)

// TestReviewAutosavesResponsibleAndDeadline: 责任人 and 整改期限 on the
// review screen are saved like every other field — Enter saves at once
// ("已保存"), leaving the screen saves what is still waiting — through the
// store's AssignProblem; they survive a restart, are in the audit log and
// in the PDF, and a deadline shown and saved again does not move.
func TestReviewAutosavesResponsibleAndDeadline(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	id := createInspection(t, u)
	walkAll(t, u, c)
	u.ShowReview(id)
	test.Tap(u.review.complete)
	r := u.review
	if len(r.responsible) != 3 {
		t.Fatalf("%d editable problems, want 3", len(r.responsible))
	}
	before, err := s.Inspection(id)
	if err != nil {
		t.Fatal(err)
	}
	// Every deadline is the end of a working day in the office's zone.
	for _, p := range before.Problems {
		if !p.Deadline.Equal(inspect.EndOfDay(p.Deadline)) {
			t.Fatalf("deadline %v of %s is not the end of its day in %s", p.Deadline, p.ID, inspect.Zone)
		}
	}

	// 责任人 typed, then Enter: saved at once.
	test.Type(r.responsible[0], "王芳")
	r.responsible[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !strings.Contains(r.status.Text, "已保存 09:30:00") {
		t.Fatalf("after Enter: status %q", r.status.Text)
	}
	// 整改期限 typed, then straight to 首页: saved on the way out.
	r.deadlines[1].SetText("2026-03-20")
	test.Tap(u.nav.buttons[screenHome])
	if u.home == nil {
		t.Fatal("首页 not shown")
	}
	after, err := s.Inspection(id)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 3, 20, 23, 59, 59, 0, inspect.Zone)
	if p := after.Problems; p[0].Responsible != "王芳" || !p[1].Deadline.Equal(want) {
		t.Fatalf("stored: %q %v, want 王芳 %v", p[0].Responsible, p[1].Deadline, want)
	}
	if !after.Problems[0].Deadline.Equal(before.Problems[0].Deadline) || !after.Problems[2].Deadline.Equal(before.Problems[2].Deadline) {
		t.Errorf("untouched deadlines moved: %v %v → %v %v", before.Problems[0].Deadline, before.Problems[2].Deadline,
			after.Problems[0].Deadline, after.Problems[2].Deadline)
	}

	// A restart: the same values on the screen. Shown and left again, no
	// deadline moves (the old button saved every one a day early).
	r2 := newUIOn(u.app, w, s)
	r2.Now = u.Now
	r2.ShowReview(id)
	rv := r2.review
	if rv.responsible[0].Text != "王芳" || rv.deadlines[1].Text != "2026-03-20" {
		t.Fatalf("after a restart: %q %q", rv.responsible[0].Text, rv.deadlines[1].Text)
	}
	for i, e := range rv.deadlines {
		e.SetText(e.Text) // as if typed again, unchanged
		e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if e.Text != inspect.FormatDate(after.Problems[i].Deadline) {
			t.Errorf("deadline %d shown as %q", i, e.Text)
		}
	}
	r2.ShowHome()
	again, _ := s.Inspection(id)
	for i := range again.Problems {
		if !again.Problems[i].Deadline.Equal(after.Problems[i].Deadline) {
			t.Errorf("round trip moved deadline %d: %v → %v", i, after.Problems[i].Deadline, again.Problems[i].Deadline)
		}
	}

	// The audit log has both edits, by the named edit.
	entries, err := s.AuditFor("inspection/" + id)
	if err != nil {
		t.Fatal(err)
	}
	assigns := 0
	for _, e := range entries {
		if e.Action == "problem.assign" {
			assigns++
		}
	}
	if assigns != 2 {
		t.Errorf("%d problem.assign audit entries, want 2 (one per change, none for the round trip)", assigns)
	}

	// And the PDF shows them.
	pdf := filepath.Join(t.TempDir(), "r.pdf")
	if _, err := desk.New(s, desk.Keys{}).Export(id, pdf, desk.ExportOptions{Passphrase: "p"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(pdf); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	if !strings.Contains(text, "王芳") || !strings.Contains(text, "2026-03-20") {
		t.Errorf("the PDF lacks 王芳 or 2026-03-20:\n%s", text)
	}
}

// TestReviewStatusInSight: what the review says after a 责任人 or 整改期限
// is typed (saved, or that a deadline is no date) is in the window, not
// below its edge, whichever problem is typed into — in the walk at
// 1024×768 the message was at the foot of the problem list, out of sight.
func TestReviewStatusInSight(t *testing.T) {
	u, w, _ := newTestUI(t)
	w.Resize(fyne.NewSize(1008, 696))
	c := w.Canvas()
	completedInspection(t, u)
	r := u.review
	r.deadlines[0].SetText("2026-13-40")
	r.deadlines[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	kept := inspect.FormatDate(r.problem(r.edits[0].id).Deadline)
	if want := "“2026-13-40”不是日期（年-月-日），整改期限仍为 " + kept + "。"; r.status.Text != want {
		t.Fatalf("status %q, want %q: what was typed, and the deadline kept", r.status.Text, want)
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(r.status)
	if !r.status.Visible() || pos.Y < 0 || pos.Y+r.status.MinSize().Height > c.Size().Height {
		t.Errorf("the status is at y %v–%v of a %v-high window", pos.Y, pos.Y+r.status.MinSize().Height, c.Size().Height)
	}
}
