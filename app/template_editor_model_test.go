package app

import (
	"slices"
	"strings"
	"testing"

	"mingcha/assets"
	"mingcha/inspect"
)

// The template editor's model, without a window or a Fyne test app: the
// edits by field name, the faults at their places in Chinese, warnings,
// and the structure (add, remove, move).

// combinedDraft is a draft of the bundled combined template, version 1,
// to be saved as version 2.
func combinedDraft(t *testing.T) *templateDraft {
	t.Helper()
	tpl, err := inspect.ParseTemplate(assets.TemplateFiles()["combined.json"])
	if err != nil {
		t.Fatal(err)
	}
	m := newTemplateDraft()
	m.start(tpl, 2)
	if m.dirty || m.unsaved() || m.canSave() || len(m.faults) != 0 || len(m.warnings) != 0 {
		t.Fatalf("an untouched template: dirty %v, faults %v, warnings %v", m.dirty, m.faults, m.warnings)
	}
	return m
}

func draftFaults(m *templateDraft) string {
	var out []string
	for _, f := range m.faults {
		out = append(out, f.text)
	}
	return strings.Join(out, "\n")
}

func TestTemplateDraftItemFields(t *testing.T) {
	chineseMessages(t)
	m := combinedDraft(t)
	if !m.choose(m.rowOf(0, 1)) {
		t.Fatal("no row for SP-02")
	}
	it := m.item()
	if it.Code != "SP-02" || m.text("code") != "SP-02" || m.text("problem") != it.Problem || it.Problem == "" {
		t.Fatalf("selected %+v", it)
	}

	// Every text field of an item goes to the draft and comes back.
	for field, v := range map[string]string{
		"text": "胸牌佩戴规范（第二版）", "guidance": "逐人查看", "problem": "未按规定佩戴胸牌",
		"category": "胸牌", "rule.deduction": "1.5",
	} {
		m.set(field, v)
		if got := m.text(field); got != v {
			t.Errorf("%s: set %q, shows %q", field, v, got)
		}
	}
	if it.Text != "胸牌佩戴规范（第二版）" || it.Problem != "未按规定佩戴胸牌" || it.Rule.Deduction != 1.5 {
		t.Fatalf("draft item %+v", it)
	}
	if !m.dirty || !m.canSave() || m.base.Sections[0].Items[1].Problem == "未按规定佩戴胸牌" {
		t.Fatal("the edit is not a change of the draft alone")
	}
	// Spaces around the wording go; a code and a category are trimmed too.
	m.set("rule.deduction", "2") // as it was: the deductions add up again
	m.set("problem", "  未佩戴胸牌 ")
	m.set("code", " SP-02 ")
	if it.Problem != "未佩戴胸牌" || it.Code != "SP-02" {
		t.Errorf("trimmed: %q %q", it.Problem, it.Code)
	}

	// Problem wording is validated at its place, in Chinese.
	for _, c := range []struct{ wording, fault string }{
		{"未佩戴胸牌。", "SP-02 胸牌佩戴规范（第二版） · 问题表述：问题表述是句子的一个分句，末尾不加标点。"},
		{strings.Repeat("未", 61), "SP-02 胸牌佩戴规范（第二版） · 问题表述：问题表述最多60个字。"},
	} {
		m.set("problem", c.wording)
		if got := draftFaults(m); got != c.fault {
			t.Errorf("%q: faults %q, want %q", c.wording, got, c.fault)
		}
		if m.canSave() || m.faults[0].row != m.rowOf(0, 1) {
			t.Errorf("%q: can be saved, or the fault is not at SP-02's row", c.wording)
		}
	}
	// No wording: allowed, with a warning naming the item.
	m.set("problem", "")
	if len(m.faults) != 0 || len(m.warnings) != 1 || m.warnings[0] != "SP-02 未写问题表述：通报和整改通知书将使用检查内容原文。" {
		t.Fatalf("faults %q, warnings %q", draftFaults(m), m.warnings)
	}
	m.set("problem", "未佩戴胸牌")

	// A deduction that is not a number: a fault of the field, the draft
	// keeps the last good value; correcting it clears the fault.
	m.set("rule.deduction", "abc")
	if got := draftFaults(m); got != "SP-02 胸牌佩戴规范（第二版） · 扣分：“abc”不是数字。" || it.Rule.Deduction != 2 || m.canSave() || !m.unsaved() {
		t.Fatalf("faults %q, deduction %v", got, it.Rule.Deduction)
	}
	m.set("rule.deduction", "2.5")
	if len(m.faults) != 0 || it.Rule.Deduction != 2.5 {
		t.Fatalf("faults %q", draftFaults(m))
	}
	// The deductions no longer add up to the full score (SP-02 was 2).
	m.set("rule.deduction", "3")
	if len(m.warnings) != 1 || !strings.Contains(m.warnings[0], "101") {
		t.Errorf("warnings %q", m.warnings)
	}
	m.set("rule.deduction", "2")

	// A text item can never fail: the form hides the wording unless the
	// item has one, which is then a fault to correct.
	m.setKind(inspect.KindText)
	if !m.shows("problem") || !strings.Contains(draftFaults(m), "问题表述：本项不会判为问题，不需要问题表述。") {
		t.Fatalf("text item with wording: shows %v, faults %q", m.shows("problem"), draftFaults(m))
	}
	if m.shows("rule.type") || m.shows("rule.deduction") || it.Rule.Type != inspect.RuleNone {
		t.Error("a text item shows or keeps its scoring")
	}
	m.set("problem", "")
	if m.shows("problem") || len(m.faults) != 0 {
		t.Errorf("text item without wording: shows %v, faults %q", m.shows("problem"), draftFaults(m))
	}

	// A number item: thresholds, empty removes one; it can fail only with one.
	m.setKind(inspect.KindNumber)
	m.setRule(inspect.RuleFixed)
	m.set("rule.deduction", "2")
	m.set("unit", " 分钟 ")
	m.set("fail_above", "20")
	if it.FailAbove == nil || *it.FailAbove != 20 || it.Unit != "分钟" || !m.shows("fail_above") || !m.shows("problem") {
		t.Fatalf("number item %+v", it)
	}
	m.set("fail_above", "二十")
	if *it.FailAbove != 20 || !strings.Contains(draftFaults(m), "高于此值不合格：“二十”不是数字。") {
		t.Fatalf("faults %q", draftFaults(m))
	}
	m.set("fail_above", "")
	if it.FailAbove != nil || !strings.Contains(draftFaults(m), "SP-02") {
		t.Errorf("no threshold left: %+v, faults %q", it.FailAbove, draftFaults(m))
	}

	// A choice item: choices parsed from lines; a fault names the line.
	m.setKind(inspect.KindChoice)
	m.set("choices", "佩戴规范\n未佩戴 | 2 | !")
	if len(it.Choices) != 2 || !it.Choices[1].Fails || it.Choices[1].Deduction != 2 || m.text("choices") != "佩戴规范\n未佩戴 | 2 | !" {
		t.Fatalf("choices %+v", it.Choices)
	}
	m.set("choices", "佩戴规范\n未佩戴 | 两分")
	if len(it.Choices) != 2 || !strings.Contains(draftFaults(m), "选项“未佩戴”：“两分”既不是扣分值也不是“!”。") {
		t.Fatalf("faults %q", draftFaults(m))
	}
	// Changing the kind fills the parsed fields again from the draft.
	m.setKind(inspect.KindCheck)
	if len(m.input) != 0 || it.Choices != nil {
		t.Errorf("after the kind changed: input %v, choices %v", m.input, it.Choices)
	}
	m.setEvidence(inspect.EvidenceRequiredOnFail)
	m.setOptional(true)
	if it.Evidence != inspect.EvidenceRequiredOnFail || !it.Optional {
		t.Errorf("evidence %s, optional %v", it.Evidence, it.Optional)
	}
	// Choosing another row drops what did not reach the draft.
	m.set("rule.deduction", "x")
	m.choose(0)
	if len(m.input) != 0 || strings.Contains(draftFaults(m), "不是数字") {
		t.Errorf("input faults survived the selection: %v", m.input)
	}
}

func TestTemplateDraftHeaderAndSection(t *testing.T) {
	chineseMessages(t)
	m := combinedDraft(t)
	m.choose(0)
	m.set("title", "综合检查表（第二版）")
	m.set("full_score", "120")
	m.setNAPolicy(inspect.NAProrate)
	if m.draft.Title != "综合检查表（第二版）" || m.draft.FullScore != 120 || m.draft.NAPolicy != inspect.NAProrate {
		t.Fatalf("header %+v", m.draft)
	}
	if title, _ := m.rowText(0); title != "检查表信息 · 综合检查表（第二版）" {
		t.Errorf("header row %q", title)
	}
	if len(m.warnings) != 1 || !strings.Contains(m.warnings[0], "满分 120") {
		t.Errorf("warnings %q", m.warnings)
	}
	m.set("full_score", "100")
	m.set("bands", "优秀 90；合格 60")
	if !strings.Contains(draftFaults(m), "检查表信息 · 评定等级：须有一个等级从 0 分起") {
		t.Fatalf("faults %q", draftFaults(m))
	}
	m.set("bands", "优秀 ≥ 90，良好 80")
	if len(m.draft.Bands) != 2 || m.text("bands") != "优秀 90；良好 80" {
		t.Errorf("bands %+v shown as %q", m.draft.Bands, m.text("bands"))
	}
	m.set("bands", "很好")
	if len(m.draft.Bands) != 2 || !strings.Contains(draftFaults(m), "评定等级：") {
		t.Errorf("bands that do not parse: %+v, %q", m.draft.Bands, draftFaults(m))
	}
	m.set("bands", "优秀 90；良好 80；合格 60；不合格 0")

	// A section: its title is required, the fault points at its row.
	m.choose(m.rowOf(2, -1))
	m.set("sec_title", "")
	if len(m.faults) != 1 || m.faults[0].row != m.rowOf(2, -1) || !strings.Contains(m.faults[0].text, "第 3 部分 CK · 标题：必填") {
		t.Fatalf("faults %+v", m.faults)
	}
	m.set("sec_title", "三、窗口服务")
	m.set("sec_code", " CK ")
	if m.draft.Sections[2].Code != "CK" || len(m.faults) != 0 {
		t.Errorf("section %+v, faults %q", m.draft.Sections[2], draftFaults(m))
	}
}

func TestTemplateDraftStructure(t *testing.T) {
	chineseMessages(t)
	m := combinedDraft(t)
	codes := func(si int) []string {
		var out []string
		for _, it := range m.draft.Sections[si].Items {
			out = append(out, it.Code)
		}
		return out
	}
	n0, n1, n2 := len(m.draft.Sections[0].Items), len(m.draft.Sections[1].Items), len(m.draft.Sections[2].Items)

	// An item after SP-02 with the first free code; faulty until it has a text.
	m.choose(m.rowOf(0, 1))
	si, ii := m.addItem()
	m.choose(m.rowOf(si, ii))
	if si != 0 || ii != 2 || m.item().Code != "SP-15" || len(m.rows) != 1+3+n0+1+n1+n2 {
		t.Fatalf("new item at %d,%d: %+v", si, ii, m.item())
	}
	if !strings.Contains(draftFaults(m), "SP-15 · 检查内容：必填，不能为空。") {
		t.Fatalf("faults %q", draftFaults(m))
	}
	m.set("text", "佩戴党员徽章")
	m.set("problem", "未佩戴党员徽章")
	// Up twice: first of its section; no further up.
	for range 2 {
		si, ii, ok := m.move(-1)
		if !ok {
			t.Fatal("could not move up")
		}
		m.choose(m.rowOf(si, ii))
	}
	if codes(0)[0] != "SP-15" {
		t.Fatalf("after moving up: %v", codes(0))
	}
	if up, _ := m.canMove(); up {
		t.Error("the first item of the first section can move up")
	}
	if _, _, ok := m.move(-1); ok {
		t.Error("moved up past the start")
	}
	// The last item of section 0 moves down into the start of section 1.
	m.choose(m.rowOf(0, len(m.draft.Sections[0].Items)-1))
	last := m.item().Code
	si, ii, ok := m.move(1)
	if !ok || si != 1 || ii != 0 || codes(1)[0] != last {
		t.Fatalf("moved down to %d,%d: %v", si, ii, codes(1))
	}
	// And back up to the end of section 0.
	m.choose(m.rowOf(si, ii))
	if si, ii, ok = m.move(-1); !ok || si != 0 || codes(0)[ii] != last {
		t.Fatalf("moved up to %d,%d", si, ii)
	}
	// Remove the last item: the one before it is selected next.
	m.choose(m.rowOf(si, ii))
	if si, ii = m.removeItem(si, ii); si != 0 || ii != len(m.draft.Sections[0].Items)-1 || slices.Contains(codes(0), last) {
		t.Fatalf("after removing %s: next %d,%d", last, si, ii)
	}
	// A new section after the first, then an item in it.
	m.choose(m.rowOf(0, -1))
	at := m.addSection()
	m.choose(m.rowOf(at, -1))
	if at != 1 || m.section().Code != "S01" || !strings.Contains(draftFaults(m), "第 2 部分 S01") {
		t.Fatalf("new section %d %+v: %q", at, m.section(), draftFaults(m))
	}
	si, ii = m.addItem()
	if si != 1 || ii != 0 || m.draft.Sections[1].Items[0].Code != "S01-01" {
		t.Fatalf("item of the new section at %d,%d", si, ii)
	}
	// Removing the section (the last one but the header: the next is selected).
	if si, ii = m.removeSection(1); si != 1 || ii != -1 || len(m.draft.Sections) != 3 {
		t.Fatalf("after removing the section: %d,%d, %d sections", si, ii, len(m.draft.Sections))
	}
	m.choose(m.rowOf(2, -1))
	if _, down := m.canMove(); down {
		t.Error("the last section can move down")
	}
	if si, ii = m.removeSection(2); si != -1 || ii != -1 {
		t.Errorf("after removing the last section: %d,%d", si, ii)
	}
	if !m.dirty || m.rowOf(2, -1) != -1 {
		t.Error("the structure change is not in the draft")
	}
}
