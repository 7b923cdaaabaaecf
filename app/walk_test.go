package app

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mingcha/assets"
	"mingcha/inspect"
	"mingcha/msg"
	"mingcha/report"
	"mingcha/store"
)

// testClock is the fixed time of every test store.
// testClock is a Monday morning in the office's zone.
var testClock = time.Date(2026, 3, 2, 9, 30, 0, 0, inspect.Zone)

// newTestUI opens a store in a temp dir with the combined template and a
// unit with a roster of three, and a 1100×720 headless window in Chinese.
func newTestUI(t *testing.T) (*UI, fyne.Window, *store.Store) {
	t.Helper()
	chineseMessages(t)
	a := test.NewTempApp(t)
	a.Settings().SetTheme(NewTheme("light"))

	opts := store.Options{NoBackup: true, Now: func() time.Time { return testClock }}
	s, err := store.Open(filepath.Join(t.TempDir(), "mingcha.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	tpl, err := inspect.ParseTemplate(assets.TemplateFiles()["combined.json"])
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutTemplate("test", tpl); err != nil {
		t.Fatal(err)
	}
	unit := inspect.Unit{Name: "企业登记科", Department: "区市场监管局", Kind: inspect.UnitWindow, Staff: []inspect.StaffMember{
		{Name: "王芳", Post: "科长"}, {Name: "李强", Post: "窗口 3"}, {Name: "赵敏", Post: "窗口 4"},
	}}
	if err := s.PutUnit("test", &unit); err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1100, 720))
	u := newUIOn(a, w, s)
	u.Now = func() time.Time { return testClock }
	u.storeOpts = opts
	return u, w, s
}

func writePNG(t *testing.T, name string, c color.Color) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for y := 0; y < 30; y++ {
		for x := 0; x < 40; x++ {
			img.Set(x, y, c)
		}
	}
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

func key(c fyne.Canvas, name fyne.KeyName) { c.OnTypedKey()(&fyne.KeyEvent{Name: name}) }

// createInspection fills the new-inspection form as a user would.
func createInspection(t *testing.T, u *UI) string {
	t.Helper()
	u.ShowHome()
	test.Tap(u.home.newButton)
	f := u.form
	if f == nil {
		t.Fatal("the new-inspection form did not open")
	}
	f.unit.SetSelectedIndex(0)
	f.mode.SetSelected("暗访")
	f.inspectors.SetText("")
	test.Type(f.inspectors, "张三，李四")
	test.Type(f.place, "一楼大厅")
	test.Tap(f.create)
	if u.walk == nil {
		t.Fatal("creating did not open the walk")
	}
	return u.walk.in.ID
}

// walkAll answers the whole combined template: SP-01 last (via N) with a
// count of 2 and a photo, SP-02 failed with a note and a photo, one person
// 脱岗 on JL-01, every other count 0 and every other check 合格 by key.
func walkAll(t *testing.T, u *UI, c fyne.Canvas) {
	t.Helper()
	w := u.walk
	key(c, fyne.KeyDown) // leave SP-01 for the "next unanswered" jump
	photo2 := writePNG(t, "badge.png", color.RGBA{200, 30, 30, 255})
	for steps := 0; steps < 200; steps++ {
		it := w.items[w.cur]
		if inspect.Evaluate(it, w.in.Answers[it.Code]).Answered {
			break
		}
		before := w.cur
		switch {
		case it.Code == "SP-02":
			test.Tap(w.checkButtons[1]) // 不合格, by tapping
			test.TypeOnCanvas(c, "b")
			if c.Focused() != w.note {
				t.Fatal("B did not focus the note")
			}
			test.Type(w.note, "胸牌反戴")
			key(c, fyne.KeyEscape)
			w.note.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
			w.AddPhotos([]string{photo2})
			settle(u)
		case it.Kind == inspect.KindCheck:
			test.TypeOnCanvas(c, "1")
		case it.Kind == inspect.KindCount:
			test.TypeOnCanvas(c, "1")
		case it.Kind == inspect.KindAttendance:
			c.Unfocus()
			test.Tap(w.present["李强"]) // uncheck: absent
			w.reasons["李强"].SetSelected("脱岗")
		case it.Kind == inspect.KindNumber:
			test.Type(w.numberEntry, "15")
		case it.Kind == inspect.KindChoice:
			test.Tap(w.choiceButtons[0]) // 热情
		case it.Kind == inspect.KindText:
			test.Type(w.textEntry, "整体秩序良好")
		}
		if w.cur == before {
			if before == len(w.items)-1 {
				w.flush()
				break
			}
			test.TypeOnCanvas(c, "j")
		}
	}
	// SP-01 is the one left: N jumps there.
	test.TypeOnCanvas(c, "n")
	if got := w.items[w.cur].Code; got != "SP-01" {
		t.Fatalf("N went to %s, want SP-01", got)
	}
	test.Tap(w.countPlus)
	test.Tap(w.countPlus)
	if w.countEntry.Text != "2" {
		t.Errorf("count entry shows %q after + +, want 2", w.countEntry.Text)
	}
	bad := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(bad, []byte("not a photo"), 0o600); err != nil {
		t.Fatal(err)
	}
	w.AddPhotos([]string{bad, writePNG(t, "nobadge.png", color.RGBA{30, 30, 200, 255})})
	settle(u)
	if c.Overlays().Top() == nil {
		t.Error("no dialog for the refused notes.txt")
	}
	for c.Overlays().Top() != nil {
		c.Overlays().Remove(c.Overlays().Top())
	}
	if len(w.thumbs) != 1 {
		t.Errorf("SP-01 shows %d thumbnails, want 1", len(w.thumbs))
	}
}

func TestWalkWholeInspection(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	id := createInspection(t, u)
	walkAll(t, u, c)
	if !strings.Contains(u.walk.status.Text, "已保存 09:30:00") {
		t.Errorf("status = %q, want 已保存 09:30:00", u.walk.status.Text)
	}
	if blockers := u.walk.in.Blockers(); len(blockers) > 0 {
		t.Fatalf("after the walk still blocked: %+v", blockers)
	}

	test.TypeOnCanvas(c, "y") // unknown keys do nothing
	u.ShowReview(id)
	r := u.review
	if want := "得分 94 / 100 · 优秀"; r.score.Text != want {
		t.Errorf("review score = %q, want %q", r.score.Text, want)
	}
	test.Tap(r.complete)
	r = u.review
	if r.in.Status != inspect.StatusCompleted {
		t.Fatalf("status after complete = %s", r.in.Status)
	}
	if len(r.responsible) != 3 {
		t.Fatalf("%d problems listed, want 3 (SP-01, SP-02, JL-01)", len(r.responsible))
	}
	test.Type(r.responsible[0], "王芳")
	r = u.review

	test.Tap(r.signButton)
	sg := u.sign
	for _, name := range []string{"张三", "李四"} {
		pad := sg.pads[name]
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(pad)
		test.Drag(c, pos.AddXY(40, 60), 80, 20)
		test.Drag(c, pos.AddXY(140, 40), 30, 50)
		if pad.Empty() {
			t.Fatalf("pad of %s is empty after dragging", name)
		}
	}
	test.Tap(sg.signBtn)
	if u.review == nil || u.review.in.Status != inspect.StatusSigned {
		t.Fatal("signing did not lead to a signed review")
	}

	// The store holds exactly what was done.
	in, err := s.Inspection(id)
	if err != nil {
		t.Fatal(err)
	}
	if in.Status != inspect.StatusSigned || in.Mode != inspect.ModeCovert || in.Place != "一楼大厅" ||
		strings.Join(in.Inspectors, ",") != "张三,李四" || in.Unit.Name != "企业登记科" {
		t.Errorf("header: status %s mode %s place %q inspectors %v unit %q", in.Status, in.Mode, in.Place, in.Inspectors, in.Unit.Name)
	}
	if len(in.Answers) != len(in.Template.Items()) {
		t.Errorf("%d answers, want %d", len(in.Answers), len(in.Template.Items()))
	}
	for _, it := range in.Template.Items() {
		a := in.Answers[it.Code]
		if a == nil {
			t.Errorf("%s: no answer", it.Code)
			continue
		}
		switch {
		case it.Code == "SP-01":
			if a.Count != 2 || !a.Counted || len(a.Photos) != 1 {
				t.Errorf("SP-01 = count %d counted %v photos %d, want 2 true 1", a.Count, a.Counted, len(a.Photos))
			}
		case it.Code == "SP-02":
			if a.Result != inspect.ResultFail || a.Note != "胸牌反戴" || len(a.Photos) != 1 {
				t.Errorf("SP-02 = %s %q photos %d", a.Result, a.Note, len(a.Photos))
			}
		case it.Kind == inspect.KindCheck:
			if a.Result != inspect.ResultPass {
				t.Errorf("%s = %q, want pass", it.Code, a.Result)
			}
		case it.Kind == inspect.KindCount:
			if a.Count != 0 || !a.Counted {
				t.Errorf("%s = count %d counted %v, want 0 true", it.Code, a.Count, a.Counted)
			}
		case it.Kind == inspect.KindAttendance:
			if a.Expected != 3 || len(a.Absent) != 1 || a.Absent[0].Name != "李强" ||
				a.Absent[0].Reason != inspect.AbsenceOffPost || !a.Absent[0].OnRoster {
				t.Errorf("JL-01 = expected %d absent %+v", a.Expected, a.Absent)
			}
		case it.Kind == inspect.KindNumber:
			if a.Number == nil || *a.Number != 15 {
				t.Errorf("%s = %v, want 15", it.Code, a.Number)
			}
		case it.Kind == inspect.KindChoice:
			if a.Choice != "热情" {
				t.Errorf("%s = %q", it.Code, a.Choice)
			}
		case it.Kind == inspect.KindText:
			if a.Text != "整体秩序良好" {
				t.Errorf("%s = %q", it.Code, a.Text)
			}
		}
	}
	if len(in.Signatures) != 2 {
		t.Fatalf("%d signatures, want 2", len(in.Signatures))
	}
	for _, sig := range in.Signatures {
		img, err := png.Decode(strings.NewReader(string(sig.PNG)))
		if err != nil || img.Bounds().Dx() < 100 {
			t.Errorf("signature of %s: %v", sig.Inspector, err)
		}
	}
	if in.Problems[0].Responsible != "王芳" {
		t.Errorf("responsible of the first problem = %q", in.Problems[0].Responsible)
	}
	if sc := in.Score(); sc.Value != 94 || sc.Rating != "优秀" {
		t.Errorf("stored score %v %s", sc.Value, sc.Rating)
	}

	// Signed is read-only; an amendment is a new draft.
	test.Tap(u.review.amend)
	if u.walk == nil || u.walk.in.Amends != id || u.walk.in.Status != inspect.StatusDraft {
		t.Fatal("amend did not open a draft amendment")
	}
}

func TestPhotoNotImageRefusedByName(t *testing.T) {
	u, _, _ := newTestUI(t)
	createInspection(t, u)
	bad := filepath.Join(t.TempDir(), "report.docx")
	if err := os.WriteFile(bad, []byte("PK\x03\x04 not an image"), 0o600); err != nil {
		t.Fatal(err)
	}
	u.walk.AddPhotos([]string{bad})
	settle(u)
	if got := u.walk.status.Text; !strings.Contains(got, "report.docx") || !strings.Contains(got, "不是") {
		t.Errorf("status = %q, want the file named and refused in Chinese", got)
	}
}

func TestNoteSavedAfterPause(t *testing.T) {
	u, _, s := newTestUI(t)
	id := createInspection(t, u)
	test.Type(u.walk.note, "暂记")
	if in, _ := s.Inspection(id); in.Answers["SP-01"] != nil && in.Answers["SP-01"].Note != "" {
		t.Fatal("the note was saved before the pause")
	}
	waitPause(u, &u.walk.typing)
	in, err := s.Inspection(id)
	if err != nil {
		t.Fatal(err)
	}
	if a := in.Answers["SP-01"]; a == nil || a.Note != "暂记" {
		t.Errorf("the note was not saved after the pause: %+v", a)
	}
	if !strings.Contains(u.walk.status.Text, "已保存") {
		t.Errorf("status after the pause: %q", u.walk.status.Text)
	}
}

func TestHomeListsNewestFirstAndFilters(t *testing.T) {
	u, _, s := newTestUI(t)
	units, _ := s.Units()
	tpls, _ := s.Templates()
	for i := 0; i < 250; i++ {
		in, err := inspect.NewInspection("", units[0], &tpls[0], inspect.ModeOpen, []string{"张三"},
			testClock.Add(-time.Duration(i)*time.Hour), testClock)
		if err != nil {
			t.Fatal(err)
		}
		in.ID = store.NewID(testClock) + string(rune('a'+i%26))
		if err := s.CreateInspection("test", in); err != nil {
			t.Fatal(err)
		}
	}
	u.ShowHome()
	h := u.home
	if h.length() != 250 {
		t.Fatalf("list length %d, want 250", h.length())
	}
	first, _ := h.summary(0)
	last, _ := h.summary(249)
	if !first.ObservedAt.After(last.ObservedAt) {
		t.Error("not newest first")
	}
	if len(h.pages) > 2 {
		t.Errorf("%d pages loaded for the first and last rows", len(h.pages))
	}
	h.status.SetSelectedIndex(3) // signed
	if h.length() != 0 {
		t.Errorf("signed filter: %d rows, want 0", h.length())
	}
	h.status.SetSelectedIndex(0)
	h.search.SetText("不存在")
	h.debounce.flush()
	if h.length() != 0 {
		t.Errorf("search: %d rows, want 0", h.length())
	}
}

func TestMessage(t *testing.T) {
	newTestUI(t) // Chinese
	if got := msg.Of(store.ErrInUse); !strings.Contains(got, "数据库已被另一个明察窗口打开") {
		t.Errorf("ErrInUse → %q", got)
	}
	if got := msg.Of(&store.DamagedError{Path: "x"}); !strings.Contains(got, "损坏") {
		t.Errorf("DamagedError → %q", got)
	}
	_, err := inspect.NewInspection("x", inspect.Unit{}, nil, inspect.ModeOpen, nil, testClock, testClock)
	got := msg.Of(err)
	if lines := strings.Split(got, "\n"); len(lines) != 3 || lines[0] != "至少需要一名检查人员。" {
		t.Errorf("validation errors → %q", got)
	}
}

// TestWindowExport: the review's export runs desk.Export, the code of
// "mingcha export", with a real store and a real key: the first export
// asks for the passphrase of the new signing key and creates it beside the
// database; a wrong passphrase brings the form back for the same file; a
// draft is refused in the user's language. The files verify as reports.
func TestWindowExport(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	draft := createInspection(t, u)
	id := createInspection(t, u)
	walkAll(t, u, c)
	u.ShowReview(id)
	test.Tap(u.review.complete)
	if u.review.in.Status != inspect.StatusCompleted {
		t.Fatal("not completed")
	}
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first.pdf"), filepath.Join(dir, "second.pdf")

	// No key yet, nothing typed: the window asks for the new key's passphrase.
	u.exportTo(id, first, "")
	settle(u)
	if !strings.Contains(overlayText(c), "请输入签名密钥的口令") {
		t.Fatalf("no passphrase asked for a new key: %q", overlayText(c))
	}
	again, ok := c.Focused().(*widget.Entry)
	if !ok || !again.Password {
		t.Fatalf("the passphrase entry is not focused: %T", c.Focused())
	}
	test.Type(again, "秘密 pass")
	test.Tap(dialogButton(t, c, "导出"))
	settle(u)
	if !strings.Contains(overlayText(c), "已保存到 "+first) {
		t.Fatalf("first export: %q", overlayText(c))
	}
	keyPath := filepath.Join(filepath.Dir(s.Path()), "identity.p12")
	if _, err := os.Stat(keyPath); err != nil {
		t.Fatalf("no signing key beside the database: %v", err)
	}
	verified := func(path string) *report.Verification {
		t.Helper()
		return verifyFile(t, path)
	}
	if v := verified(first); v.ReportID != id || v.Signer != "张三" {
		t.Errorf("first report: id %s signer %s", v.ReportID, v.Signer)
	}

	// The key exists now: a typo, then the right passphrase, same file.
	clearOverlays(c)
	pass, d := u.askPassphrase(func(p string) { u.exportTo(id, second, p) })
	if c.Focused() != pass {
		t.Error("the passphrase entry is not focused")
	}
	test.Type(pass, "typo")
	d.Submit()
	settle(u)
	if !strings.Contains(overlayText(c), "口令不正确，请重试") {
		t.Fatalf("wrong passphrase: %q", overlayText(c))
	}
	again, ok = c.Focused().(*widget.Entry)
	if !ok || !again.Password || again == pass {
		t.Fatalf("the new passphrase entry is not focused: %T", c.Focused())
	}
	test.Type(again, "秘密 pass")
	test.Tap(dialogButton(t, c, "导出"))
	settle(u)
	if !strings.Contains(overlayText(c), "已保存到 "+second) {
		t.Fatalf("second export: %q", overlayText(c))
	}
	verified(second)

	// A draft: the reason reaches the user in Chinese.
	clearOverlays(c)
	u.exportTo(draft, filepath.Join(dir, "draft.pdf"), "秘密 pass")
	settle(u)
	if !strings.Contains(overlayText(c), "仍是草稿") {
		t.Errorf("draft export: %q", overlayText(c))
	}
	if _, err := os.Stat(filepath.Join(dir, "draft.pdf")); err == nil {
		t.Error("a draft was exported")
	}
}
