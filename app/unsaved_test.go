package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mingcha/inspect"
)

// dialogButton is the button labelled text in the topmost overlay.
func dialogButton(t *testing.T, c fyne.Canvas, text string) *widget.Button {
	t.Helper()
	top := c.Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog with %q", text)
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("the dialog has no button %q: %q", text, overlayText(c))
	return nil
}

// answer taps the button labelled text of the unsaved-changes dialog.
func answer(t *testing.T, c fyne.Canvas, text string) {
	t.Helper()
	if got := overlayText(c); !strings.Contains(got, "有未保存的修改") {
		t.Fatalf("no unsaved-changes dialog: %q", got)
	}
	test.Tap(dialogButton(t, c, text))
	if c.Overlays().Top() != nil {
		t.Fatalf("a dialog is still open after %s: %q", text, overlayText(c))
	}
}

// TestUnitEditorAsksBeforeLeaving: an edited unit is not lost by leaving
// the section: 取消 stays with the edit, 不保存 leaves the store as it was,
// 保存 stores it, and a unit that does not validate stays on the screen.
func TestUnitEditorAsksBeforeLeaving(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	u.ShowUnits()
	us := u.units
	id := us.editingID

	// Nothing changed: the bar leaves at once.
	test.Tap(u.nav.buttons[screenHome])
	if u.home == nil || c.Overlays().Top() != nil {
		t.Fatal("an untouched unit asked before leaving")
	}

	u.ShowUnits()
	us = u.units
	us.name.SetText("企业登记科（改）")
	test.Tap(u.nav.buttons[screenHome])
	if got := overlayText(c); !strings.Contains(got, "对“企业登记科”的修改尚未保存") {
		t.Fatalf("dialog: %q", got)
	}
	if u.units != us || u.home != nil {
		t.Fatal("left before the user answered")
	}
	// A second request while the dialog is up does not stack another.
	u.navigate(func() { t.Error("navigated while the dialog was open") })
	if n := len(c.Overlays().List()); n != 1 {
		t.Errorf("%d dialogs open", n)
	}
	answer(t, c, "取消")
	if u.units != us || us.name.Text != "企业登记科（改）" || u.nav.current != screenUnits {
		t.Fatalf("取消: units %v, name %q, section %q", u.units == us, us.name.Text, u.nav.current)
	}

	test.Tap(u.nav.buttons[screenTemplates])
	answer(t, c, "不保存")
	if u.templates == nil || u.units != nil {
		t.Fatal("不保存 did not go to the templates")
	}
	if got, _ := s.Unit(id); got.Name != "企业登记科" {
		t.Errorf("不保存 stored %q", got.Name)
	}

	u.ShowUnits()
	us = u.units
	us.name.SetText("企业登记科（改）")
	test.Tap(u.nav.buttons[screenSettings])
	answer(t, c, "保存")
	if u.settings == nil {
		t.Fatal("保存 did not go on to the settings")
	}
	if got, _ := s.Unit(id); got.Name != "企业登记科（改）" {
		t.Errorf("保存 stored %q", got.Name)
	}

	// A save that fails stays, with the faults under the roster.
	u.ShowUnits()
	us = u.units
	us.name.SetText("")
	test.Tap(u.nav.buttons[screenHome])
	answer(t, c, "保存")
	if u.units != us || !strings.Contains(us.errors.Text, "请填写单位名称。") {
		t.Fatalf("failed save: units %v, errors %q", u.units == us, us.errors.Text)
	}
}

// TestUnitEditorAsksBeforeOpeningAnother: choosing another unit in the
// list or adding one asks about the unit being edited.
func TestUnitEditorAsksBeforeOpeningAnother(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	other := inspect.Unit{Name: "婚姻登记处", Department: "区民政局", Kind: inspect.UnitWindow}
	if err := s.PutUnit("test", &other); err != nil {
		t.Fatal(err)
	}
	u.ShowUnits()
	us := u.units
	first := us.editingID
	edited := us.shown[indexOfUnit(us, "企业登记科")]
	if first != edited.ID {
		us.list.Select(indexOfUnit(us, "企业登记科"))
	}
	first = us.editingID
	test.Tap(us.addStaff)
	test.Type(us.staff[3].name, "钱七")

	us.list.Select(indexOfUnit(us, "婚姻登记处"))
	answer(t, c, "取消")
	if us.editingID != first || len(us.staff) != 4 || us.staff[3].name.Text != "钱七" {
		t.Fatalf("取消: editing %q with %d staff", us.editingID, len(us.staff))
	}
	// The list shows the unit still being edited.
	us.list.Select(indexOfUnit(us, "企业登记科")) // already selected: nothing happens
	if c.Overlays().Top() != nil {
		t.Fatal("selecting the unit being edited asked")
	}

	test.Tap(us.add)
	answer(t, c, "取消")
	if us.editingID != first {
		t.Fatal("add did not wait for the answer")
	}

	us.list.Select(indexOfUnit(us, "婚姻登记处"))
	answer(t, c, "保存")
	if us.editingID != other.ID || us.name.Text != "婚姻登记处" {
		t.Fatalf("保存 then open: editing %q %q", us.editingID, us.name.Text)
	}
	if got, _ := s.Unit(first); len(got.Staff) != 4 || got.Staff[3].Name != "钱七" {
		t.Errorf("保存 stored %+v", got.Staff)
	}

	us.department.SetText("区民政局（改）")
	test.Tap(us.add)
	answer(t, c, "不保存")
	if us.editingID != "" || us.name.Text != "" {
		t.Fatal("不保存 did not open an empty editor")
	}
	if got, _ := s.Unit(other.ID); got.Department != "区民政局" {
		t.Errorf("不保存 stored %q", got.Department)
	}
	// An empty new unit is no change; a typed name is.
	test.Tap(u.nav.buttons[screenHome])
	if u.home == nil {
		t.Fatal("an empty new unit asked before leaving")
	}
	u.ShowUnits()
	test.Tap(u.units.add)
	test.Type(u.units.name, "新")
	test.Tap(u.nav.buttons[screenHome])
	if got := overlayText(c); !strings.Contains(got, "新单位尚未保存") {
		t.Errorf("new unit: %q", got)
	}
}

// TestTemplateEditorAsksBeforeLeaving: the 效能办's template editor asks
// before the section is left, another version is opened or the window is
// closed; a draft with faults cannot be saved from the dialog.
func TestTemplateEditorAsksBeforeLeaving(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	_, e := editorOf(t, u)
	e.list.Select(e.m.rowOf(1, 0))
	e.text.SetText("改过的文字")

	test.Tap(u.nav.buttons[screenUnits])
	if got := overlayText(c); !strings.Contains(got, "对模板《") || !strings.Contains(got, "要保存为新版本吗") {
		t.Fatalf("dialog: %q", got)
	}
	answer(t, c, "取消")
	if u.units != nil || u.guard == nil || e.m.draft.Sections[1].Items[0].Text != "改过的文字" {
		t.Fatal("取消 did not stay with the edit")
	}

	// Closing the window asks too (Run's close intercept goes through navigate).
	closed := false
	u.navigate(func() { closed = true })
	answer(t, c, "取消")
	if closed {
		t.Fatal("closed after 取消")
	}

	test.Tap(u.nav.buttons[screenUnits])
	answer(t, c, "保存")
	if u.units == nil {
		t.Fatal("保存 did not go on to the units")
	}
	if versions, _ := s.TemplateVersions("combined"); len(versions) != 2 {
		t.Fatalf("versions after 保存: %v", versions)
	}
	if tpl, _ := s.Template("combined", 2); tpl.Sections[1].Items[0].Text != "改过的文字" {
		t.Error("version 2 lacks the edit")
	}

	// Opening another version of the template in the editor.
	_, e = editorOf(t, u) // the newest: version 2
	e.list.Select(e.m.rowOf(0, 0))
	e.text.SetText("又改了")
	e.version.SetSelectedIndex(0) // version 1
	answer(t, c, "取消")
	if e.m.base.Version != 2 || e.version.Selected != "第 2 版" || e.m.draft.Sections[0].Items[0].Text != "又改了" {
		t.Fatalf("取消: base v%d, select %q", e.m.base.Version, e.version.Selected)
	}
	e.version.SetSelectedIndex(0)
	answer(t, c, "不保存")
	if e.m.base.Version != 1 || e.m.unsaved() {
		t.Fatalf("不保存: base v%d, unsaved %v", e.m.base.Version, e.m.unsaved())
	}

	// Text that is not a number is an unsaved change that cannot be saved.
	e.list.Select(e.m.rowOf(0, 1))
	e.deduction.SetText("abc")
	u.navigate(func() { closed = true })
	if got := overlayText(c); !strings.Contains(got, "改正之前无法保存") {
		t.Errorf("faulty draft: %q", got)
	}
	if !dialogButton(t, c, "保存").Disabled() {
		t.Error("a faulty draft can be saved from the dialog")
	}
	answer(t, c, "不保存")
	if !closed {
		t.Error("不保存 did not close")
	}
	if versions, _ := s.TemplateVersions("combined"); len(versions) != 2 {
		t.Errorf("versions: %v", versions)
	}
}
