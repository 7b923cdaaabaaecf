package app

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"mingcha/inspect"
	"mingcha/store"
)

// editorOf opens the 效能办 screen's template editor on the combined template.
func editorOf(t *testing.T, u *UI) (*officeScreen, *templateEditor) {
	t.Helper()
	u.ShowOffice()
	v, _ := officeScreens.Load(u)
	o := v.(*officeScreen)
	o.tabs.SelectIndex(tabTemplates)
	e := o.editor
	if e.m.base == nil || e.m.base.ID != "combined" || e.m.next != e.m.base.Version+1 {
		t.Fatalf("editor loaded %+v", e.m.base)
	}
	return o, e
}

func faultTexts(e *templateEditor) string {
	var out []string
	for _, f := range e.m.faults {
		out = append(out, f.text)
	}
	return strings.Join(out, "\n")
}

// TestTemplateEditorNewVersion edits the combined template — reword,
// deductions, a new item with its faults listed as they are typed, kind
// and rule, moves, removal, a section — and saves it as version 2. Version
// 1 stays as it was, and so does the inspection made with it.
func TestTemplateEditorNewVersion(t *testing.T) {
	u, w, s := newTestUI(t)
	oldID := createInspection(t, u) // made with version 1
	_, e := editorOf(t, u)
	v1 := *e.m.base
	if !e.save.Disabled() || !e.revert.Disabled() || len(e.m.faults) != 0 || e.warning.Visible() {
		t.Fatalf("an untouched template: save %v, faults %q, warning %q", e.save.Disabled(), faultTexts(e), e.warning.Text)
	}

	// Reword SP-02 and change its deduction.
	e.list.Select(e.m.rowOf(0, 1))
	if e.code.Text != "SP-02" || !e.itemForm.Visible() {
		t.Fatalf("selected %q", e.code.Text)
	}
	e.text.SetText("胸牌佩戴规范（第二版措辞）")
	if e.m.draft.Sections[0].Items[1].Text != "胸牌佩戴规范（第二版措辞）" || e.save.Disabled() {
		t.Fatal("the reword did not reach the draft")
	}
	e.deduction.SetText("abc")
	if !strings.Contains(faultTexts(e), "SP-02 胸牌佩戴规范（第二版措辞） · 扣分：“abc”不是数字。") || !e.save.Disabled() {
		t.Fatalf("faults %q", faultTexts(e))
	}
	e.deduction.SetText("3")
	if len(e.m.faults) != 0 || e.m.draft.Sections[0].Items[1].Rule.Deduction != 3 {
		t.Fatalf("faults %q", faultTexts(e))
	}
	if !e.warning.Visible() || !strings.Contains(e.warning.Text, "101") {
		t.Errorf("warning %q", e.warning.Text)
	}
	e.deduction.SetText("2")

	// A new item after SP-02: listed faulty until it has a text.
	test.Tap(e.addItem)
	it := e.m.draft.Sections[0].Items[2]
	if it.Code != "SP-15" || e.m.rows[e.m.sel] != (editRow{0, 2}) || e.code.Text != "SP-15" {
		t.Fatalf("new item %+v at row %+v", it, e.m.rows[e.m.sel])
	}
	if !strings.Contains(faultTexts(e), "SP-15 · 检查内容：必填，不能为空。") {
		t.Fatalf("faults of the new item: %q", faultTexts(e))
	}
	test.Type(e.text, "工作人员佩戴党员徽章")
	e.guidance.SetText("逐人查看")
	e.category.SetText("胸牌")
	if !e.problem.Visible() || !strings.Contains(e.warning.Text, "SP-15 未写问题表述") {
		t.Fatalf("problem wording: shown %v, warning %q", e.problem.Visible(), e.warning.Text)
	}
	test.Type(e.problem, "未佩戴党员徽章")
	if strings.Contains(e.warning.Text, "问题表述") {
		t.Errorf("warning after the wording: %q", e.warning.Text)
	}
	// A count with a per-violation rule needs its cap.
	e.kind.SetSelected(itemKindText(inspect.KindCount))
	e.rule.SetSelectedIndex(slices.Index(editorRules, inspect.RulePerViolation))
	if !e.capEntry.Visible() {
		t.Fatal("the cap is hidden for a per-violation rule")
	}
	if !strings.Contains(faultTexts(e), "SP-15 工作人员佩戴党员徽章 · 扣分上限") {
		t.Fatalf("faults %q", faultTexts(e))
	}
	e.capEntry.SetText("3")
	e.evidence.SetSelectedIndex(2)
	if len(e.m.faults) != 0 {
		t.Fatalf("faults %q", faultTexts(e))
	}
	// Up past SP-02 and SP-01, then into nothing: it stays first.
	test.Tap(e.up)
	test.Tap(e.up)
	if e.m.draft.Sections[0].Items[0].Code != "SP-15" || !e.up.Disabled() {
		t.Fatalf("after moving up: %s", e.m.draft.Sections[0].Items[0].Code)
	}
	test.Tap(e.down)
	if e.m.draft.Sections[0].Items[1].Code != "SP-15" {
		t.Fatal("moving down")
	}
	// Remove SP-14 (the last of the section).
	e.list.Select(e.m.rowOf(0, len(e.m.draft.Sections[0].Items)-1))
	if e.code.Text != "SP-14" {
		t.Fatalf("selected %s", e.code.Text)
	}
	test.Tap(e.remove)
	if _, ok := e.m.draft.Item("SP-14"); ok {
		t.Fatal("SP-14 was not removed")
	}
	// Rename a section; an empty title is a fault at its place.
	e.list.Select(e.m.rowOf(2, -1))
	e.secTitle.SetText("")
	if !strings.Contains(faultTexts(e), "第 3 部分 CK · 标题：必填") {
		t.Fatalf("faults %q", faultTexts(e))
	}
	// The fault list leads to the place.
	e.list.Select(0)
	e.faultList.Select(0)
	if e.m.sel != e.m.rowOf(2, -1) || !e.sectionForm.Visible() {
		t.Fatal("choosing the fault did not select the section")
	}
	e.secTitle.SetText("三、窗口服务（30分，第二版）")
	// The header: full score and ratings.
	e.list.Select(0)
	e.bands.SetText("优秀 90；合格 60")
	if !strings.Contains(faultTexts(e), "检查表信息 · 评定等级：须有一个等级从 0 分起") {
		t.Fatalf("faults %q", faultTexts(e))
	}
	e.bands.SetText("优秀 ≥ 90；良好 80；合格 60；不合格 0")
	// SP-14 (1.5) went, SP-15 (cap 3) came: 101.5 of 100.
	if len(e.m.faults) != 0 || !strings.Contains(e.warning.Text, "101.5") {
		t.Fatalf("faults %q, warning %q", faultTexts(e), e.warning.Text)
	}
	// Save as version 2.
	test.Tap(e.save)
	if versions, _ := s.TemplateVersions("combined"); !slices.Equal(versions, []int{1, 2}) {
		t.Fatalf("versions %v", versions)
	}
	v2, err := s.Template("combined", 2)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := v2.Item("SP-02"); got.Text != "胸牌佩戴规范（第二版措辞）" {
		t.Errorf("v2 SP-02 %q", got.Text)
	}
	if got, ok := v2.Item("SP-15"); !ok || got.Kind != inspect.KindCount || got.Rule.Cap != 3 || got.Evidence != inspect.EvidenceRequiredOnFail || got.Category != "胸牌" || got.Problem != "未佩戴党员徽章" {
		t.Errorf("v2 SP-15 %+v", got)
	}
	if v2.Sections[0].Items[1].Code != "SP-15" || v2.Sections[2].Title != "三、窗口服务（30分，第二版）" || len(v2.Bands) != 4 {
		t.Errorf("v2 order or section: %s %q", v2.Sections[0].Items[1].Code, v2.Sections[2].Title)
	}
	// Version 1 unchanged, and the inspection made with it keeps it.
	if again, _ := s.Template("combined", 1); !reflect.DeepEqual(again, &v1) {
		t.Fatal("version 1 changed")
	}
	in, err := s.Inspection(oldID)
	if err != nil {
		t.Fatal(err)
	}
	if in.Template.Version != 1 || !reflect.DeepEqual(in.Template, v1) {
		t.Fatalf("the inspection made with v1 now has version %d", in.Template.Version)
	}
	if e.m.base.Version != 2 || e.m.next != 3 || !e.save.Disabled() || !strings.Contains(e.status.Text, "已保存为第 2 版") {
		t.Fatalf("after saving: base v%d next %d status %q", e.m.base.Version, e.m.next, e.status.Text)
	}
	entries, _ := s.AuditFor("template/combined@2")
	if len(entries) != 1 || entries[0].Who != u.who() {
		t.Fatalf("audit %+v", entries)
	}
	// A new inspection uses version 2.
	if id := createInspection(t, u); id != "" {
		if in, _ := s.Inspection(id); in.Template.Version != 2 {
			t.Errorf("a new inspection uses version %d", in.Template.Version)
		}
	}
	_ = w
}

// TestTemplateEditorDiscard: switching version with unsaved changes asks;
// Discard changes returns to the stored version.
func TestTemplateEditorDiscard(t *testing.T) {
	u, w, _ := newTestUI(t)
	_, e := editorOf(t, u)
	e.list.Select(e.m.rowOf(1, 0))
	e.text.SetText("改过的文字")
	if e.revert.Disabled() {
		t.Fatal("nothing to discard")
	}
	test.Tap(e.revert)
	if e.m.dirty || e.m.draft.Sections[1].Items[0].Text == "改过的文字" {
		t.Fatal("the change survived Discard")
	}
	// Removing a section with items asks first.
	e.list.Select(e.m.rowOf(1, -1))
	test.Tap(e.remove)
	if text := overlayText(w.Canvas()); !strings.Contains(text, "及其14个项目") {
		t.Fatalf("confirm: %q", text)
	}
	clearOverlays(w.Canvas())
	if len(e.m.draft.Sections) != 3 {
		t.Fatal("removed without asking")
	}
}

// TestTemplateExportImportRoundTrip: the editor's export is the file the
// inspectors' Templates screen imports, and it arrives unchanged.
func TestTemplateExportImportRoundTrip(t *testing.T) {
	u, _, _ := newTestUI(t)
	_, e := editorOf(t, u)
	e.list.Select(e.m.rowOf(0, 0))
	e.guidance.SetText("逐人查看胸牌，记录未佩戴人数（第二版）")
	test.Tap(e.save)
	file := filepath.Join(t.TempDir(), "combined-v2")
	e.exportTo(file)
	data, err := os.ReadFile(file + ".json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "逐人查看胸牌") || !strings.Contains(e.status.Text, "督查员在“检查表”界面导入即可") {
		t.Fatalf("status %q", e.status.Text)
	}

	// An inspector's database, which has version 1.
	opts := store.Options{NoBackup: true, Now: func() time.Time { return testClock }}
	s2, err := store.Open(filepath.Join(t.TempDir(), "inspector.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	v1, _ := u.store.Template("combined", 1)
	if err := s2.PutTemplate("督查员", v1); err != nil {
		t.Fatal(err)
	}
	inspector := newUIOn(u.app, u.win, s2)
	inspector.ShowTemplates()
	if !inspector.templates.importTemplate(data, "combined-v2.json") {
		t.Fatal("the inspector's Templates screen refused the export")
	}
	got, err := s2.Template("combined", 0)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := u.store.Template("combined", 2)
	if !reflect.DeepEqual(got, want) {
		t.Fatal("the imported template differs from the exported one")
	}
}
