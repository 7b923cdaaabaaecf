package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/lang"

	"mingcha/inspect"
)

// templateDraft is the template editor without its widgets: the stored
// version a draft started from, the draft (saved as version next), its rows
// (the header, the sections, the items) and the one selected, and what is
// wrong with it — text typed into a field that could not reach the draft
// (a deduction that is not a number), then the draft's own faults
// (inspect.Template.Validate), each at its row and in words. The widgets
// (templateEditor) show it and pass every edit to it by field name, the
// names the validation places use ("rule.cap", "problem").
type templateDraft struct {
	base  *inspect.Template // the stored version the draft started from
	draft *inspect.Template // saved as the next version
	next  int               // that version
	rows  []editRow
	sel   int // the selected row; -1 none
	// input holds, by field of the element selected, why its text did not
	// reach the draft (the draft keeps the last good value).
	input  map[string]string
	faults []editorFault
	// warnings: allowed but probably a mistake (deductions that do not add
	// up to the full score, an item that can fail without problem wording).
	warnings []string
	dirty    bool // the draft differs from base
}

// editRow is a list row: the header (section -1), a section (item -1) or an item.
type editRow struct{ section, item int }

// editorFault is one line of the fault list and the row it points at.
type editorFault struct {
	row  int
	text string
}

// The choices of the selects, in the order of their labels.
var (
	editorKinds     = []inspect.ItemKind{inspect.KindCheck, inspect.KindCount, inspect.KindAttendance, inspect.KindNumber, inspect.KindText, inspect.KindChoice}
	editorRules     = []inspect.RuleType{inspect.RuleNone, inspect.RuleFixed, inspect.RulePerViolation, inspect.RuleVeto}
	editorEvidence  = []inspect.EvidenceRule{inspect.EvidenceNone, inspect.EvidenceOptional, inspect.EvidenceRequiredOnFail}
	editorNAPolicys = []inspect.NAPolicy{inspect.NAIgnore, inspect.NAProrate}
)

// inputFields are the fields whose text is parsed (numbers, ratings,
// choices), in the order their faults are listed.
var inputFields = []string{"full_score", "bands", "rule.deduction", "rule.cap", "choices", "fail_above", "fail_below"}

func newTemplateDraft() *templateDraft {
	return &templateDraft{sel: -1, input: map[string]string{}}
}

// start makes a draft of stored template base, to be saved as version next.
func (m *templateDraft) start(base *inspect.Template, next int) {
	m.base = base
	draft := base.Clone()
	draft.Version = next
	m.draft, m.next = &draft, next
	m.input = map[string]string{}
	m.sel = -1
	m.buildRows()
	m.validate()
}

// unsaved reports whether the draft holds changes not stored: it differs
// from its version, or a field holds text that did not reach it.
func (m *templateDraft) unsaved() bool {
	return m.draft != nil && (m.dirty || len(m.input) > 0)
}

// canSave: there are changes and nothing is wrong with them.
func (m *templateDraft) canSave() bool { return m.dirty && len(m.faults) == 0 }

// ---- rows and selection ----

// buildRows lists the header, the sections and the items of the draft.
func (m *templateDraft) buildRows() {
	m.rows = m.rows[:0]
	m.rows = append(m.rows, editRow{section: -1, item: -1})
	for si, sec := range m.draft.Sections {
		m.rows = append(m.rows, editRow{section: si, item: -1})
		for ii := range sec.Items {
			m.rows = append(m.rows, editRow{section: si, item: ii})
		}
	}
}

// rowOf is the row of section si, item ii (-1: the section itself).
func (m *templateDraft) rowOf(si, ii int) int {
	for i, r := range m.rows {
		if r.section == si && r.item == ii {
			return i
		}
	}
	return -1
}

// current is the selected section and item (-1 where none).
func (m *templateDraft) current() (int, int) {
	if m.sel < 0 || m.sel >= len(m.rows) {
		return -1, -1
	}
	return m.rows[m.sel].section, m.rows[m.sel].item
}

// choose selects row i; what the last element's fields held that did not
// reach the draft is dropped with it. It reports whether i is a row.
func (m *templateDraft) choose(i int) bool {
	if m.draft == nil || i < 0 || i >= len(m.rows) {
		return false
	}
	m.sel = i
	m.input = map[string]string{}
	m.validate()
	return true
}

// section is the selected section, or a throwaway when none is.
func (m *templateDraft) section() *inspect.Section {
	si, ii := m.current()
	if si < 0 || ii >= 0 {
		return &inspect.Section{}
	}
	return &m.draft.Sections[si]
}

// item is the selected item, or a throwaway when none is.
func (m *templateDraft) item() *inspect.Item {
	si, ii := m.current()
	if si < 0 || ii < 0 {
		return &inspect.Item{}
	}
	return &m.draft.Sections[si].Items[ii]
}

// rowText is what row i shows: a title and, for an item, a summary.
func (m *templateDraft) rowText(i int) (title, detail string) {
	r := m.rows[i]
	switch {
	case r.section < 0:
		return lang.L("Template details") + " · " + m.draft.Title, ""
	case r.item < 0:
		sec := m.draft.Sections[r.section]
		return fmt.Sprintf("%s %s · %s", sec.Code, sec.Title, lang.L("{{.Count}} items", map[string]any{"Count": len(sec.Items)})), ""
	}
	it := &m.draft.Sections[r.section].Items[r.item]
	text := it.Text
	if strings.TrimSpace(text) == "" {
		text = "…"
	}
	return it.Code + "  " + text, itemSummary(it)
}

// ---- the fields ----

// text is what field of the element selected shows in its form.
func (m *templateDraft) text(field string) string {
	if m.draft == nil {
		return ""
	}
	t, sec, it := m.draft, m.section(), m.item()
	switch field {
	case "title":
		return t.Title
	case "description":
		return t.Description
	case "full_score":
		return fmtPoints(t.FullScore)
	case "bands":
		return formatBands(t.Bands)
	case "sec_code":
		return sec.Code
	case "sec_title":
		return sec.Title
	case "code":
		return it.Code
	case "text":
		return it.Text
	case "guidance":
		return it.Guidance
	case "problem":
		return it.Problem
	case "category":
		return it.Category
	case "rule.deduction":
		return fmtPoints(it.Rule.Deduction)
	case "rule.cap":
		return fmtPoints(it.Rule.Cap)
	case "choices":
		return formatChoices(it.Choices)
	case "unit":
		return it.Unit
	case "fail_above":
		return fmtThreshold(it.FailAbove)
	case "fail_below":
		return fmtThreshold(it.FailBelow)
	}
	return ""
}

// set puts the text typed into field of the element selected into the
// draft. Text that cannot go there (a number that is not one, ratings or
// choices that do not parse) is remembered as a fault of the field, and
// the draft keeps its last good value.
func (m *templateDraft) set(field, v string) {
	if m.draft == nil {
		return
	}
	t, sec, it := m.draft, m.section(), m.item()
	delete(m.input, field)
	switch field {
	case "title":
		t.Title = v
	case "description":
		t.Description = v
	case "full_score":
		m.number(field, v, &t.FullScore)
	case "bands":
		if bands, err := parseBands(v); err != "" {
			m.input[field] = err
		} else {
			t.Bands = bands
		}
	case "sec_code":
		sec.Code = strings.TrimSpace(v)
	case "sec_title":
		sec.Title = v
	case "code":
		it.Code = strings.TrimSpace(v)
	case "text":
		it.Text = v
	case "guidance":
		it.Guidance = v
	case "problem":
		it.Problem = strings.TrimSpace(v)
	case "category":
		it.Category = strings.TrimSpace(v)
	case "rule.deduction":
		m.number(field, v, &it.Rule.Deduction)
	case "rule.cap":
		m.number(field, v, &it.Rule.Cap)
	case "choices":
		if cs, err := parseChoices(v); err != "" {
			m.input[field] = err
		} else {
			it.Choices = cs
		}
	case "unit":
		it.Unit = strings.TrimSpace(v)
	case "fail_above":
		m.threshold(field, v, &it.FailAbove)
	case "fail_below":
		m.threshold(field, v, &it.FailBelow)
	}
	m.validate()
}

// number sets *to from text ("" is 0), or records that it is not a number.
func (m *templateDraft) number(field, text string, to *float64) {
	v := strings.TrimSpace(text)
	if v == "" {
		v = "0"
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		m.input[field] = lang.L("“{{.Value}}” is not a number.", map[string]any{"Value": text})
		return
	}
	*to = f
}

// threshold sets fail_above or fail_below; empty removes it.
func (m *templateDraft) threshold(field, text string, to **float64) {
	if strings.TrimSpace(text) == "" {
		*to = nil
		return
	}
	var f float64
	m.number(field, text, &f)
	if _, bad := m.input[field]; !bad {
		*to = &f
	}
}

// setNAPolicy, setKind, setRule, setEvidence and setOptional are the
// selects and the check box of the forms.
func (m *templateDraft) setNAPolicy(p inspect.NAPolicy) {
	if m.draft != nil {
		m.draft.NAPolicy = p
		m.validate()
	}
}

// setKind changes the selected item's kind; what the new kind cannot have
// goes, and so do the faults of the fields it cleared.
func (m *templateDraft) setKind(k inspect.ItemKind) {
	m.editItem(func(it *inspect.Item) {
		setKind(it, k)
		m.clearInput()
	})
}

func (m *templateDraft) setRule(r inspect.RuleType) {
	m.editItem(func(it *inspect.Item) {
		setRule(it, r)
		m.clearInput()
	})
}

func (m *templateDraft) setEvidence(ev inspect.EvidenceRule) {
	m.editItem(func(it *inspect.Item) { it.Evidence = ev })
}

func (m *templateDraft) setOptional(on bool) {
	m.editItem(func(it *inspect.Item) { it.Optional = on })
}

// editItem changes the selected item and validates the draft.
func (m *templateDraft) editItem(change func(*inspect.Item)) {
	if m.draft != nil {
		change(m.item())
		m.validate()
	}
}

// clearInput forgets the faults of the item's parsed fields: a change of
// kind or rule fills them again from the draft.
func (m *templateDraft) clearInput() {
	for _, k := range []string{"rule.deduction", "rule.cap", "choices", "fail_above", "fail_below"} {
		delete(m.input, k)
	}
}

// shows reports whether the item form shows field for the selected item:
// what its kind and rule use, and the problem wording where the item can
// fail (or already has one, so that its fault can be corrected).
func (m *templateDraft) shows(field string) bool {
	it := m.item()
	switch field {
	case "choices":
		return it.Kind == inspect.KindChoice
	case "unit", "fail_above", "fail_below":
		return it.Kind == inspect.KindNumber
	case "rule.cap":
		return it.Rule.Type == inspect.RulePerViolation
	case "rule.deduction":
		return it.Rule.Type != inspect.RuleNone && it.Kind != inspect.KindChoice
	case "rule.type":
		return it.Kind != inspect.KindText
	case "problem":
		return it.CanFail() || it.Problem != ""
	}
	return true
}

// setKind changes an item's kind and drops what the new kind cannot have.
func setKind(it *inspect.Item, k inspect.ItemKind) {
	it.Kind = k
	if k != inspect.KindChoice {
		it.Choices = nil
	} else {
		it.Rule.Deduction = 0
	}
	if k != inspect.KindNumber {
		it.FailAbove, it.FailBelow, it.Unit = nil, nil, ""
	}
	switch {
	case k == inspect.KindText:
		it.Rule = inspect.Rule{Type: inspect.RuleNone}
	case it.Rule.Type == inspect.RulePerViolation && k != inspect.KindCount && k != inspect.KindAttendance:
		it.Rule = inspect.Rule{Type: inspect.RuleFixed, Deduction: it.Rule.Deduction}
	}
}

// setRule changes an item's rule type and drops what it cannot have.
func setRule(it *inspect.Item, r inspect.RuleType) {
	it.Rule.Type = r
	if r != inspect.RulePerViolation {
		it.Rule.Cap = 0
	}
	if r == inspect.RuleNone {
		it.Rule.Deduction = 0
	}
}

func fmtThreshold(f *float64) string {
	if f == nil {
		return ""
	}
	return fmtPoints(*f)
}

// parseBands reads "优秀 90；良好 80；合格 60；不合格 0"; the second result is
// a fault in the user's language.
func parseBands(text string) ([]inspect.Band, string) {
	var out []inspect.Band
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(";；,，、\n", r) }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		m := bandPattern.FindStringSubmatch(part)
		if m == nil {
			return nil, lang.L("Write each rating as a name and its lowest score, e.g. 优秀 90；良好 80；合格 60；不合格 0.")
		}
		min, _ := strconv.ParseFloat(m[2], 64)
		out = append(out, inspect.Band{Name: strings.TrimSpace(m[1]), Min: min})
	}
	return out, ""
}

var bandPattern = regexp.MustCompile(`^(\S.*?)[\s　≥>=]*(\d+(?:\.\d+)?)$`)

func formatBands(bands []inspect.Band) string {
	parts := make([]string, len(bands))
	for i, b := range bands {
		parts[i] = b.Name + " " + fmtPoints(b.Min)
	}
	return strings.Join(parts, "；")
}

// parseChoices reads one choice a line: "label | deduction | !" (the
// deduction and the problem mark are optional).
func parseChoices(text string) ([]inspect.Choice, string) {
	var out []inspect.Choice
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "|")
		c := inspect.Choice{Label: strings.TrimSpace(parts[0])}
		for _, p := range parts[1:] {
			p = strings.TrimSpace(p)
			switch {
			case p == "":
			case p == "!" || p == "！":
				c.Fails = true
			default:
				f, err := strconv.ParseFloat(p, 64)
				if err != nil {
					return nil, lang.L("Choice “{{.Label}}”: “{{.Value}}” is neither a deduction nor “!”.", map[string]any{"Label": c.Label, "Value": p})
				}
				c.Deduction = f
			}
		}
		out = append(out, c)
	}
	return out, ""
}

func formatChoices(cs []inspect.Choice) string {
	lines := make([]string, len(cs))
	for i, c := range cs {
		line := c.Label
		if c.Deduction != 0 || c.Fails {
			line += " | " + fmtPoints(c.Deduction)
		}
		if c.Fails {
			line += " | !"
		}
		lines[i] = line
	}
	return strings.Join(lines, "\n")
}

// ---- structure ----

// uniqueCode is prefix-NN, the first not used by any item or section.
func (m *templateDraft) uniqueCode(prefix string) string {
	used := map[string]bool{}
	for _, s := range m.draft.Sections {
		used[s.Code] = true
		for _, it := range s.Items {
			used[it.Code] = true
		}
	}
	for n := 1; ; n++ {
		c := fmt.Sprintf("%s%02d", prefix, n)
		if !used[c] {
			return c
		}
	}
}

// addItem adds an item after the selected one (or at the end of the
// selected section, or of the last section, or of a new one) and returns
// its place; the caller selects it.
func (m *templateDraft) addItem() (si, ii int) {
	si, ii = m.current()
	if si < 0 {
		si, ii = len(m.draft.Sections)-1, -1
	}
	if si < 0 {
		si = m.addSection()
	}
	sec := &m.draft.Sections[si]
	at := len(sec.Items)
	if ii >= 0 {
		at = ii + 1
	}
	it := inspect.Item{
		Code: m.uniqueCode(sec.Code + "-"), Kind: inspect.KindCheck,
		Rule: inspect.Rule{Type: inspect.RuleFixed, Deduction: 1}, Evidence: inspect.EvidenceOptional,
	}
	sec.Items = slices.Insert(sec.Items, at, it)
	m.structureChanged()
	return si, at
}

// addSection adds a section after the selected one (or at the end) and
// returns its index.
func (m *templateDraft) addSection() int {
	si, _ := m.current()
	at := len(m.draft.Sections)
	if si >= 0 {
		at = si + 1
	}
	m.draft.Sections = slices.Insert(m.draft.Sections, at, inspect.Section{Code: m.uniqueCode("S")})
	m.structureChanged()
	return at
}

// removeItem removes item ii of section si and returns the place to select
// next: the item after it, else the one before, else the section.
func (m *templateDraft) removeItem(si, ii int) (int, int) {
	sec := &m.draft.Sections[si]
	sec.Items = slices.Delete(sec.Items, ii, ii+1)
	m.structureChanged()
	switch {
	case ii < len(sec.Items):
		return si, ii
	case ii > 0:
		return si, ii - 1
	}
	return si, -1
}

// removeSection removes section si and its items and returns the place to
// select next: the section after it, else the template's header.
func (m *templateDraft) removeSection(si int) (int, int) {
	m.draft.Sections = slices.Delete(m.draft.Sections, si, si+1)
	m.structureChanged()
	if si < len(m.draft.Sections) {
		return si, -1
	}
	return -1, -1
}

// move moves the selected item (across into the next section at either
// end of its own) or section up (-1) or down (+1), and returns where it
// went; ok is false when it could not move.
func (m *templateDraft) move(dir int) (si, ii int, ok bool) {
	si, ii = m.current()
	if si < 0 {
		return si, ii, false
	}
	secs := m.draft.Sections
	if ii < 0 {
		to := si + dir
		if to < 0 || to >= len(secs) {
			return si, ii, false
		}
		secs[si], secs[to] = secs[to], secs[si]
		m.structureChanged()
		return to, -1, true
	}
	items := secs[si].Items
	to := ii + dir
	switch {
	case to >= 0 && to < len(items):
		items[ii], items[to] = items[to], items[ii]
		m.structureChanged()
		return si, to, true
	case to < 0 && si > 0: // to the end of the section before
		it := items[ii]
		secs[si].Items = slices.Delete(items, ii, ii+1)
		secs[si-1].Items = append(secs[si-1].Items, it)
		m.structureChanged()
		return si - 1, len(secs[si-1].Items) - 1, true
	case to >= len(items) && si < len(secs)-1: // to the start of the next section
		it := items[ii]
		secs[si].Items = slices.Delete(items, ii, ii+1)
		secs[si+1].Items = slices.Insert(secs[si+1].Items, 0, it)
		m.structureChanged()
		return si + 1, 0, true
	}
	return si, ii, false
}

// canMove reports whether the selection can move up and down.
func (m *templateDraft) canMove() (up, down bool) {
	si, ii := m.current()
	if si < 0 {
		return false, false
	}
	last := si == len(m.draft.Sections)-1
	return si > 0 || ii > 0, !last || (ii >= 0 && ii < len(m.draft.Sections[si].Items)-1)
}

// structureChanged rebuilds the rows after sections or items moved; the
// selection is the caller's to set again.
func (m *templateDraft) structureChanged() {
	m.buildRows()
	m.validate()
}

// ---- validation ----

var (
	placeSection = regexp.MustCompile(`^sections\[(\d+)\](?: \([^)]*\))?`)
	placeItem    = regexp.MustCompile(`^\.items\[(\d+)\](?: \([^)]*\))?`)
	placeChoice  = regexp.MustCompile(`^choices\[(\d+)\]\.?`)
)

// validate lists the draft's faults at their places, its warnings, and
// whether it differs from the version it started from.
func (m *templateDraft) validate() {
	m.faults, m.warnings = m.faults[:0], nil
	if m.draft == nil {
		m.dirty = false
		return
	}
	// What cannot even be put in the draft comes first.
	for _, field := range inputFields {
		if msg, ok := m.input[field]; ok {
			m.faults = append(m.faults, editorFault{row: m.sel, text: m.selectedPlace(field) + "：" + msg})
		}
	}
	var ve inspect.ValidationErrors
	if err := m.draft.Validate(); err != nil {
		ve, _ = err.(inspect.ValidationErrors)
	}
	for _, f := range ve {
		place, _ := f.Params["Place"].(string)
		row, where := m.describePlace(place)
		params := make(map[string]any, len(f.Params))
		for k, v := range f.Params {
			params[k] = v
		}
		params["Place"] = where
		m.faults = append(m.faults, editorFault{row: row, text: lang.LocalizeKey(f.Key, f.Message, params)})
	}
	total := 0.0
	var unworded []string
	for _, it := range m.draft.Items() {
		total += it.MaxDeduction()
		if it.CanFail() && it.Problem == "" {
			unworded = append(unworded, it.Code)
		}
	}
	if math.Abs(total-m.draft.FullScore) > 1e-6 {
		m.warnings = append(m.warnings, lang.L("The items can deduct {{.Total}} points in all, not the full score {{.Full}}.",
			map[string]any{"Total": fmtPoints(total), "Full": fmtPoints(m.draft.FullScore)}))
	}
	if len(unworded) > 0 {
		m.warnings = append(m.warnings, lang.L("No problem wording for {{.Items}}: the 通报 and the 整改通知书 will use the item text.",
			map[string]any{"Items": strings.Join(unworded, " ")}))
	}
	m.dirty = !sameTemplate(m.draft, m.base)
}

// sameTemplate compares two templates but for their versions.
func sameTemplate(a, b *inspect.Template) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	x.Version, y.Version = 0, 0
	ja, _ := json.Marshal(&x)
	jb, _ := json.Marshal(&y)
	return bytes.Equal(ja, jb)
}

// selectedPlace names a field of the element selected.
func (m *templateDraft) selectedPlace(field string) string {
	si, ii := m.current()
	return m.elementName(si, ii) + " · " + fieldName(field)
}

// describePlace turns a validation place ("sections[1] (WS).items[3]
// (WS-04).rule.cap") into the row it points at and words.
func (m *templateDraft) describePlace(place string) (int, string) {
	match := placeSection.FindStringSubmatch(place)
	if match == nil {
		return 0, m.elementName(-1, -1) + " · " + fieldName(place)
	}
	si, _ := strconv.Atoi(match[1])
	rest := place[len(match[0]):]
	ii := -1
	if match := placeItem.FindStringSubmatch(rest); match != nil {
		ii, _ = strconv.Atoi(match[1])
		rest = rest[len(match[0]):]
	}
	rest = strings.TrimPrefix(rest, ".")
	if ii < 0 && rest != "items" {
		rest = "sec_" + rest
	}
	return max(m.rowOf(si, ii), 0), m.elementName(si, ii) + " · " + fieldName(rest)
}

// elementName names section si, item ii (-1: the section; si -1: the template).
func (m *templateDraft) elementName(si, ii int) string {
	if si < 0 || si >= len(m.draft.Sections) {
		return lang.L("Template details")
	}
	sec := m.draft.Sections[si]
	if ii < 0 || ii >= len(sec.Items) {
		return lang.L("Section {{.N}} {{.Code}}", map[string]any{"N": si + 1, "Code": sec.Code})
	}
	it := sec.Items[ii]
	text := []rune(strings.TrimSpace(it.Text))
	if len(text) > 14 {
		text = append(text[:14], '…')
	}
	name := strings.TrimSpace(it.Code + " " + string(text))
	if name == "" {
		name = lang.L("Item {{.N}} of section {{.Code}}", map[string]any{"N": ii + 1, "Code": sec.Code})
	}
	return name
}

// fieldName is a field of a place in words.
func fieldName(f string) string {
	if m := placeChoice.FindStringSubmatch(f); m != nil {
		n, _ := strconv.Atoi(m[1])
		return lang.L("choice {{.N}}", map[string]any{"N": n + 1})
	}
	if strings.HasPrefix(f, "bands[") {
		return lang.L("Ratings")
	}
	switch f {
	case "code", "sec_code":
		return lang.L("Code")
	case "text":
		return lang.L("Item text")
	case "title", "sec_title":
		return lang.L("Title")
	case "guidance":
		return lang.L("How to check")
	case "problem":
		return lang.L("Problem wording")
	case "kind":
		return lang.L("Item kind")
	case "category":
		return lang.L("Category")
	case "rule.type":
		return lang.L("Scoring rule")
	case "rule.deduction":
		return lang.L("Deduction")
	case "rule.cap":
		return lang.L("Cap")
	case "evidence":
		return lang.L("Photo evidence")
	case "choices":
		return lang.L("Choices")
	case "fail_above":
		return lang.L("Fails above")
	case "fail_below":
		return lang.L("Fails below")
	case "items", "sections":
		return lang.L("Items")
	case "full_score":
		return lang.L("Full score")
	case "bands":
		return lang.L("Ratings")
	case "na_policy":
		return lang.L("N/A items")
	case "id":
		return lang.L("Template ID")
	case "version":
		return lang.L("Version")
	}
	return f
}
