package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/inspect"
)

// The 效能办's template editor: a stored template (检查表) is edited as a
// new version — items added, removed, moved, reworded, their kind, scoring
// rule, deduction, cap, evidence and category changed, sections edited —
// with every fault of the draft listed at its place as it is typed
// (inspect.Template.Validate) and the deductions checked against the full
// score (Warnings). Saving stores it as the next version; stored versions
// never change, and an inspection keeps the snapshot of the version it was
// made with. Export writes a stored version as the JSON file inspectors
// import in their Templates screen or with "mingcha templates import".

type templateEditor struct {
	o       *officeScreen
	content fyne.CanvasObject

	templates []inspect.Template // the newest version of each
	pick      *widget.Select
	versions  []int
	version   *widget.Select
	base      *inspect.Template // the stored version the draft started from
	draft     *inspect.Template // saved as the next version
	next      int               // that version
	dirty     bool
	picking   bool // the selects are being filled, not chosen

	rows      []editRow
	list      *widget.List
	sel       int  // the selected row; -1 none
	loading   bool // the form is being filled: its callbacks must not write back
	selecting bool

	// The template's header.
	tplTitle, tplDescription, fullScore, bands *widget.Entry
	naPolicy                                   *widget.Select
	headerForm                                 fyne.CanvasObject
	// A section.
	secCode, secTitle *widget.Entry
	sectionForm       fyne.CanvasObject
	// An item.
	code, text, guidance, category *widget.Entry
	deduction, capEntry            *widget.Entry
	choices, unit                  *widget.Entry
	failAbove, failBelow           *widget.Entry
	kind, rule, evidence           *widget.Select
	optional                       *widget.Check
	itemForm                       fyne.CanvasObject
	formRows                       map[string][2]fyne.CanvasObject // label and field, shown by kind and rule
	noSelection                    fyne.CanvasObject

	addSection, addItem, up, down, remove *widget.Button
	revert, save, export                  *widget.Button
	status, warning, faultHead            *widget.Label
	bottom                                *fyne.Container
	faults                                []editorFault
	faultList                             *widget.List
	// Fields of the element shown whose text is not a number (or bands
	// that do not parse): the draft keeps the last good value.
	inputFaults map[string]string
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

func newTemplateEditor(o *officeScreen) *templateEditor {
	e := &templateEditor{o: o, sel: -1, inputFaults: map[string]string{}, formRows: map[string][2]fyne.CanvasObject{}}
	e.pick = widget.NewSelect(nil, func(string) { e.picked() })
	e.pick.PlaceHolder = lang.L("Choose a template")
	e.version = widget.NewSelect(nil, func(string) { e.picked() })
	e.revert = widget.NewButtonWithIcon(lang.L("Discard changes"), theme.ContentUndoIcon(), func() { e.load(e.base.ID, e.base.Version) })
	e.export = widget.NewButtonWithIcon(lang.L("Export file…"), theme.DocumentSaveIcon(), e.chooseExport)
	e.save = widget.NewButtonWithIcon(lang.L("Save as a new version"), theme.DocumentCreateIcon(), func() { e.saveVersion() })
	e.save.Importance = widget.HighImportance
	top := container.NewBorder(nil, nil,
		container.NewHBox(widget.NewLabel(lang.L("Template")), sized(e.pick, 300), widget.NewLabel(lang.L("starting from")), sized(e.version, 110)),
		container.NewHBox(e.revert, e.export, e.save))

	e.list = widget.NewList(func() int { return len(e.rows) }, e.createRow, e.updateRow)
	e.list.OnSelected = func(id widget.ListItemID) {
		if !e.selecting {
			e.selectRow(id)
		}
	}
	e.addSection = widget.NewButtonWithIcon(lang.L("Section"), theme.ContentAddIcon(), e.doAddSection)
	e.addItem = widget.NewButtonWithIcon(lang.L("Item"), theme.ContentAddIcon(), e.doAddItem)
	e.up = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { e.move(-1) })
	e.down = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { e.move(1) })
	e.remove = widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), e.doRemove)
	left := container.NewBorder(nil, container.NewHBox(e.addSection, e.addItem, e.up, e.down, e.remove), nil, nil, e.list)

	e.buildForms()
	forms := container.NewStack(e.headerForm, e.sectionForm, e.itemForm, e.noSelection)
	split := container.NewHSplit(left, container.NewVScroll(container.NewPadded(forms)))
	split.Offset = 0.42

	e.status = widget.NewLabel(lang.L("Choose a template to edit. Saving stores a new version; inspections keep the version they were made with."))
	e.status.Truncation = fyne.TextTruncateEllipsis
	e.warning = widget.NewLabel("")
	e.warning.Importance = widget.WarningImportance
	e.warning.Truncation = fyne.TextTruncateEllipsis
	e.warning.Hide()
	e.faultHead = widget.NewLabel("")
	e.faultHead.Importance = widget.DangerImportance
	e.faultList = widget.NewList(func() int { return len(e.faults) }, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(e.faults) {
			o.(*widget.Label).SetText(e.faults[i].text)
		}
	})
	e.faultList.OnSelected = func(i widget.ListItemID) {
		if i < len(e.faults) && e.faults[i].row >= 0 {
			e.list.Select(e.faults[i].row)
			e.list.ScrollTo(e.faults[i].row)
		}
		e.faultList.UnselectAll()
	}
	room := canvas.NewRectangle(color.Transparent)
	room.SetMinSize(fyne.NewSize(10, 72))
	e.bottom = container.NewVBox(widget.NewSeparator(), e.status, e.warning, e.faultHead, container.NewStack(room, e.faultList))
	e.content = container.NewBorder(container.NewVBox(top, widget.NewSeparator()), e.bottom, nil, nil, split)
	e.enableButtons()
	return e
}

// formRow adds a labelled field to a form grid, remembered by name so
// that it can be hidden where it does not apply.
func (e *templateEditor) formRow(grid *fyne.Container, name, label string, field fyne.CanvasObject) {
	l := widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	grid.Add(l)
	grid.Add(field)
	e.formRows[name] = [2]fyne.CanvasObject{l, field}
}

func (e *templateEditor) showRow(name string, on bool) {
	for _, o := range e.formRows[name] {
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

func multiline(rows int) *widget.Entry {
	en := widget.NewMultiLineEntry()
	en.Wrapping = fyne.TextWrapWord
	en.SetMinRowsVisible(rows)
	return en
}

func (e *templateEditor) buildForms() {
	// Header.
	e.tplTitle = widget.NewEntry()
	e.tplTitle.OnChanged = func(v string) { e.edit(func() { e.draft.Title = v }) }
	e.tplDescription = multiline(2)
	e.tplDescription.OnChanged = func(v string) { e.edit(func() { e.draft.Description = v }) }
	e.fullScore = widget.NewEntry()
	e.fullScore.OnChanged = func(v string) {
		e.number("full_score", v, func(f float64) { e.draft.FullScore = f })
	}
	e.naPolicy = widget.NewSelect([]string{lang.L("N/A items are left out of the score"), lang.L("N/A items are prorated (折算)")}, func(string) {
		if i := e.naPolicy.SelectedIndex(); i >= 0 {
			e.edit(func() { e.draft.NAPolicy = editorNAPolicys[i] })
		}
	})
	e.bands = widget.NewEntry()
	e.bands.SetPlaceHolder("优秀 90；良好 80；合格 60；不合格 0")
	e.bands.OnChanged = func(v string) {
		if e.loading {
			return
		}
		bands, err := parseBands(v)
		if err != "" {
			e.inputFaults["bands"] = err
			e.validate()
			return
		}
		delete(e.inputFaults, "bands")
		e.edit(func() { e.draft.Bands = bands })
	}
	header := container.New(layout.NewFormLayout())
	e.formRow(header, "title", lang.L("Title"), e.tplTitle)
	e.formRow(header, "description", lang.L("Template description"), e.tplDescription)
	e.formRow(header, "full_score", lang.L("Full score"), e.fullScore)
	e.formRow(header, "na_policy", lang.L("N/A items"), e.naPolicy)
	e.formRow(header, "bands", lang.L("Ratings"), e.bands)
	e.headerForm = container.NewVBox(heading(lang.L("Template details")), header)

	// Section.
	e.secCode = widget.NewEntry()
	e.secCode.OnChanged = func(v string) { e.edit(func() { e.section().Code = strings.TrimSpace(v) }) }
	e.secTitle = widget.NewEntry()
	e.secTitle.OnChanged = func(v string) { e.edit(func() { e.section().Title = v }) }
	sec := container.New(layout.NewFormLayout())
	e.formRow(sec, "sec_code", lang.L("Code"), e.secCode)
	e.formRow(sec, "sec_title", lang.L("Title"), e.secTitle)
	e.sectionForm = container.NewVBox(heading(lang.L("Section")), sec)

	// Item.
	e.code = widget.NewEntry()
	e.code.OnChanged = func(v string) { e.edit(func() { e.item().Code = strings.TrimSpace(v) }) }
	e.text = multiline(2)
	e.text.OnChanged = func(v string) { e.edit(func() { e.item().Text = v }) }
	e.guidance = multiline(3)
	e.guidance.OnChanged = func(v string) { e.edit(func() { e.item().Guidance = v }) }
	kinds := make([]string, len(editorKinds))
	for i, k := range editorKinds {
		kinds[i] = itemKindText(k)
	}
	e.kind = widget.NewSelect(kinds, func(string) {
		if i := e.kind.SelectedIndex(); i >= 0 && !e.loading {
			e.edit(func() { setKind(e.item(), editorKinds[i]) })
			e.fillItem() // what the kind cleared, and its fields
		}
	})
	e.category = widget.NewEntry()
	e.category.SetPlaceHolder(lang.L("e.g. 胸牌: groups the problems in the 通报"))
	e.category.OnChanged = func(v string) { e.edit(func() { e.item().Category = strings.TrimSpace(v) }) }
	e.rule = widget.NewSelect([]string{lang.L("Not scored"), lang.L("Fixed deduction"), lang.L("Per violation, up to a cap"), lang.L("Veto (一票否决)")}, func(string) {
		if i := e.rule.SelectedIndex(); i >= 0 && !e.loading {
			e.edit(func() { setRule(e.item(), editorRules[i]) })
			e.fillItem()
		}
	})
	e.deduction = widget.NewEntry()
	e.deduction.OnChanged = func(v string) { e.number("rule.deduction", v, func(f float64) { e.item().Rule.Deduction = f }) }
	e.capEntry = widget.NewEntry()
	e.capEntry.OnChanged = func(v string) { e.number("rule.cap", v, func(f float64) { e.item().Rule.Cap = f }) }
	e.evidence = widget.NewSelect([]string{lang.L("No photo"), lang.L("Photo optional"), lang.L("Photo required when failed")}, func(string) {
		if i := e.evidence.SelectedIndex(); i >= 0 {
			e.edit(func() { e.item().Evidence = editorEvidence[i] })
		}
	})
	e.optional = widget.NewCheck(lang.L("May stay unanswered"), func(on bool) { e.edit(func() { e.item().Optional = on }) })
	e.choices = multiline(3)
	e.choices.SetPlaceHolder(lang.L("One choice a line: label | deduction | ! when it is a problem (a deduction alone lowers the score, no rectification)"))
	e.choices.OnChanged = func(v string) {
		if e.loading {
			return
		}
		cs, err := parseChoices(v)
		if err != "" {
			e.inputFaults["choices"] = err
			e.validate()
			return
		}
		delete(e.inputFaults, "choices")
		e.edit(func() { e.item().Choices = cs })
	}
	e.unit = widget.NewEntry()
	e.unit.SetPlaceHolder(lang.L("e.g. 分钟"))
	e.unit.OnChanged = func(v string) { e.edit(func() { e.item().Unit = strings.TrimSpace(v) }) }
	e.failAbove = widget.NewEntry()
	e.failAbove.OnChanged = func(v string) { e.threshold("fail_above", v, func(it *inspect.Item, f *float64) { it.FailAbove = f }) }
	e.failBelow = widget.NewEntry()
	e.failBelow.OnChanged = func(v string) { e.threshold("fail_below", v, func(it *inspect.Item, f *float64) { it.FailBelow = f }) }
	codeHint := widget.NewLabel(lang.L("Keep the code when rewording: 重复问题 and 回访 match items by code."))
	codeHint.Importance = widget.LowImportance
	codeHint.Wrapping = fyne.TextWrapWord

	item := container.New(layout.NewFormLayout())
	e.formRow(item, "code", lang.L("Code"), container.NewVBox(e.code, codeHint))
	e.formRow(item, "text", lang.L("Item text"), e.text)
	e.formRow(item, "guidance", lang.L("How to check"), e.guidance)
	e.formRow(item, "kind", lang.L("Item kind"), e.kind)
	e.formRow(item, "category", lang.L("Category"), e.category)
	e.formRow(item, "rule.type", lang.L("Scoring rule"), e.rule)
	e.formRow(item, "rule.deduction", lang.L("Deduction"), e.deduction)
	e.formRow(item, "rule.cap", lang.L("Cap"), e.capEntry)
	e.formRow(item, "evidence", lang.L("Photo evidence"), e.evidence)
	e.formRow(item, "optional", "", e.optional)
	e.formRow(item, "choices", lang.L("Choices"), e.choices)
	e.formRow(item, "unit", lang.L("Unit of measure"), e.unit)
	e.formRow(item, "fail_above", lang.L("Fails above"), e.failAbove)
	e.formRow(item, "fail_below", lang.L("Fails below"), e.failBelow)
	e.itemForm = container.NewVBox(heading(lang.L("Item")), item)
	e.noSelection = container.NewCenter(widget.NewLabel(lang.L("Select the template, a section or an item to edit it.")))
	e.showForm(nil)
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

// ---- loading ----

// reload reads the templates; the one being edited stays.
func (e *templateEditor) reload() {
	templates, err := e.o.ui.store.Templates()
	if err != nil {
		e.o.ui.showError(err)
		return
	}
	e.templates = templates
	opts := make([]string, len(templates))
	for i, t := range templates {
		opts[i] = fmt.Sprintf("%s · %s", t.Title, t.ID)
	}
	e.picking = true
	e.pick.Options = opts
	e.pick.Refresh()
	e.picking = false
	switch {
	case e.base != nil:
		e.fillPickers(e.base.ID, e.base.Version)
	case len(templates) > 0:
		e.load(templates[0].ID, 0)
	}
}

// fillPickers shows template id, version v in the selects.
func (e *templateEditor) fillPickers(id string, v int) {
	e.picking = true
	defer func() { e.picking = false }()
	for i, t := range e.templates {
		if t.ID == id {
			e.pick.SetSelectedIndex(i)
		}
	}
	versions, _ := e.o.ui.store.TemplateVersions(id)
	e.versions = versions
	opts := make([]string, len(versions))
	for i, n := range versions {
		opts[i] = lang.L("version {{.Version}}", map[string]any{"Version": n})
	}
	e.version.Options = opts
	if i := slices.Index(versions, v); i >= 0 {
		e.version.SetSelectedIndex(i)
	}
	e.version.Refresh()
}

// picked follows the selects: another template or version, after asking
// whether unsaved changes may go.
func (e *templateEditor) picked() {
	if e.picking {
		return
	}
	i := e.pick.SelectedIndex()
	if i < 0 || i >= len(e.templates) {
		return
	}
	id, v := e.templates[i].ID, 0
	if e.base != nil && e.base.ID == id {
		if j := e.version.SelectedIndex(); j >= 0 && j < len(e.versions) {
			v = e.versions[j]
		}
	}
	if e.base != nil && e.base.ID == id && e.base.Version == v {
		return
	}
	if e.canLeave(func() { e.load(id, v) }) {
		e.load(id, v)
		return
	}
	// Until the user answers (and after 取消) the selects show the draft's.
	e.fillPickers(e.base.ID, e.base.Version)
}

// unsaved reports whether the draft holds changes not stored: it differs
// from its version, or a field holds text that did not reach it.
func (e *templateEditor) unsaved() bool {
	return e.draft != nil && (e.dirty || len(e.inputFaults) > 0)
}

// canLeave lets the editor go at once when it holds no unsaved changes;
// otherwise it asks (see UI.askUnsaved) and calls proceed as answered. A
// draft with faults cannot be saved: the dialog says so.
func (e *templateEditor) canLeave(proceed func()) bool {
	if !e.unsaved() {
		return true
	}
	msg := lang.L("The changes to the template {{.Title}} are not saved. Save them as a new version?", map[string]any{"Title": e.draft.Title})
	save := e.saveVersion
	if len(e.faults) > 0 {
		msg += "\n" + lang.L("They have faults, so they cannot be saved before these are corrected.")
		save = nil
	}
	e.o.ui.askUnsaved(msg, save, proceed)
	return false
}

// load starts a draft from stored template id, version v (0: the newest).
func (e *templateEditor) load(id string, v int) {
	t, err := e.o.ui.store.Template(id, v)
	if err != nil {
		e.o.ui.showError(err)
		return
	}
	next, err := e.o.ui.store.NextTemplateVersion(id)
	if err != nil {
		e.o.ui.showError(err)
		return
	}
	e.base = t
	draft := t.Clone()
	draft.Version = next
	e.draft, e.next = &draft, next
	e.inputFaults = map[string]string{}
	e.fillPickers(id, t.Version)
	e.buildRows()
	e.sel = -1
	e.list.UnselectAll()
	e.list.Refresh()
	e.showForm(nil)
	e.status.SetText(lang.L("Editing {{.Title}} version {{.Version}}; it will be saved as version {{.Next}}.",
		map[string]any{"Title": t.Title, "Version": t.Version, "Next": next}))
	e.validate()
}

// buildRows lists the header, the sections and the items of the draft.
func (e *templateEditor) buildRows() {
	e.rows = e.rows[:0]
	e.rows = append(e.rows, editRow{section: -1, item: -1})
	for si, sec := range e.draft.Sections {
		e.rows = append(e.rows, editRow{section: si, item: -1})
		for ii := range sec.Items {
			e.rows = append(e.rows, editRow{section: si, item: ii})
		}
	}
	line := widget.NewLabel("M").MinSize().Height
	full := e.createRow().MinSize().Height
	for i, r := range e.rows {
		if r.item < 0 {
			e.list.SetItemHeight(i, line)
		} else {
			e.list.SetItemHeight(i, full)
		}
	}
}

// rowOf is the row of section si, item ii (-1: the section itself).
func (e *templateEditor) rowOf(si, ii int) int {
	for i, r := range e.rows {
		if r.section == si && r.item == ii {
			return i
		}
	}
	return -1
}

func (e *templateEditor) createRow() fyne.CanvasObject {
	title := widget.NewLabel("")
	title.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	detail.SizeName = theme.SizeNameCaptionText
	indent := canvas.NewRectangle(color.Transparent)
	indent.SetMinSize(fyne.NewSize(theme.Padding()*4, 1))
	return container.NewBorder(nil, nil, indent, nil, container.NewVBox(title, detail))
}

func (e *templateEditor) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(e.rows) || e.draft == nil {
		return
	}
	row := o.(*fyne.Container)
	box, indent := row.Objects[0].(*fyne.Container), row.Objects[1]
	title, detail := box.Objects[0].(*widget.Label), box.Objects[1].(*widget.Label)
	r := e.rows[i]
	title.TextStyle = fyne.TextStyle{Bold: r.item < 0}
	switch {
	case r.section < 0:
		indent.Hide()
		detail.Hide()
		title.Importance = widget.HighImportance
		title.SetText(lang.L("Template details") + " · " + e.draft.Title)
	case r.item < 0:
		indent.Hide()
		detail.Hide()
		sec := e.draft.Sections[r.section]
		title.Importance = widget.MediumImportance
		title.SetText(fmt.Sprintf("%s %s · %s", sec.Code, sec.Title, lang.L("{{.Count}} items", map[string]any{"Count": len(sec.Items)})))
	default:
		indent.Show()
		detail.Show()
		it := &e.draft.Sections[r.section].Items[r.item]
		title.Importance = widget.MediumImportance
		text := it.Text
		if strings.TrimSpace(text) == "" {
			text = "…"
		}
		title.SetText(it.Code + "  " + text)
		detail.SetText(itemSummary(it))
	}
	title.Refresh()
}

// ---- selection and the forms ----

func (e *templateEditor) section() *inspect.Section {
	if e.sel < 0 || e.sel >= len(e.rows) || e.rows[e.sel].section < 0 {
		return &inspect.Section{} // nothing selected: a throwaway
	}
	return &e.draft.Sections[e.rows[e.sel].section]
}

func (e *templateEditor) item() *inspect.Item {
	if e.sel < 0 || e.sel >= len(e.rows) || e.rows[e.sel].item < 0 {
		return &inspect.Item{}
	}
	r := e.rows[e.sel]
	return &e.draft.Sections[r.section].Items[r.item]
}

// selectRow shows row i's form.
func (e *templateEditor) selectRow(i int) {
	if e.draft == nil || i < 0 || i >= len(e.rows) {
		return
	}
	e.sel = i
	e.inputFaults = map[string]string{}
	r := e.rows[i]
	switch {
	case r.section < 0:
		e.fillHeader()
		e.showForm(e.headerForm)
	case r.item < 0:
		e.loading = true
		sec := e.draft.Sections[r.section]
		e.secCode.SetText(sec.Code)
		e.secTitle.SetText(sec.Title)
		e.loading = false
		e.showForm(e.sectionForm)
	default:
		e.fillItem()
		e.showForm(e.itemForm)
	}
	e.enableButtons()
	e.validate()
}

// selectAt selects section si, item ii in the list.
func (e *templateEditor) selectAt(si, ii int) {
	i := e.rowOf(si, ii)
	if i < 0 {
		return
	}
	e.selecting = true
	e.list.Select(i)
	e.list.ScrollTo(i)
	e.selecting = false
	e.selectRow(i)
}

func (e *templateEditor) showForm(f fyne.CanvasObject) {
	for _, o := range []fyne.CanvasObject{e.headerForm, e.sectionForm, e.itemForm, e.noSelection} {
		if o == f || (f == nil && o == e.noSelection) {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

func (e *templateEditor) fillHeader() {
	was := e.loading
	e.loading = true
	defer func() { e.loading = was }()
	t := e.draft
	e.tplTitle.SetText(t.Title)
	e.tplDescription.SetText(t.Description)
	e.fullScore.SetText(fmtPoints(t.FullScore))
	e.naPolicy.SetSelectedIndex(0)
	if t.NAPolicy == inspect.NAProrate {
		e.naPolicy.SetSelectedIndex(1)
	}
	e.bands.SetText(formatBands(t.Bands))
}

// fillItem puts the selected item in the form and shows the fields its
// kind and rule use.
func (e *templateEditor) fillItem() {
	was := e.loading
	e.loading = true
	defer func() { e.loading = was }()
	it := e.item()
	e.code.SetText(it.Code)
	e.text.SetText(it.Text)
	e.guidance.SetText(it.Guidance)
	e.kind.SetSelectedIndex(slices.Index(editorKinds, it.Kind))
	e.category.SetText(it.Category)
	e.rule.SetSelectedIndex(slices.Index(editorRules, it.Rule.Type))
	e.deduction.SetText(fmtPoints(it.Rule.Deduction))
	e.capEntry.SetText(fmtPoints(it.Rule.Cap))
	ev := it.Evidence
	if ev == "" {
		ev = inspect.EvidenceNone
	}
	e.evidence.SetSelectedIndex(slices.Index(editorEvidence, ev))
	e.optional.SetChecked(it.Optional)
	e.choices.SetText(formatChoices(it.Choices))
	e.unit.SetText(it.Unit)
	e.failAbove.SetText(fmtThreshold(it.FailAbove))
	e.failBelow.SetText(fmtThreshold(it.FailBelow))
	for _, k := range []string{"rule.deduction", "rule.cap", "choices", "fail_above", "fail_below"} {
		delete(e.inputFaults, k)
	}
	e.showRow("choices", it.Kind == inspect.KindChoice)
	for _, n := range []string{"unit", "fail_above", "fail_below"} {
		e.showRow(n, it.Kind == inspect.KindNumber)
	}
	e.showRow("rule.cap", it.Rule.Type == inspect.RulePerViolation)
	e.showRow("rule.deduction", it.Rule.Type != inspect.RuleNone && it.Kind != inspect.KindChoice)
	e.showRow("rule.type", it.Kind != inspect.KindText)
}

func fmtThreshold(f *float64) string {
	if f == nil {
		return ""
	}
	return fmtPoints(*f)
}

// ---- editing ----

// edit applies a change from the form to the draft.
func (e *templateEditor) edit(change func()) {
	if e.loading || e.draft == nil {
		return
	}
	change()
	e.changed()
}

// changed refreshes what a change of the draft affects.
func (e *templateEditor) changed() {
	if e.sel >= 0 {
		e.list.RefreshItem(e.sel)
		if r := e.rows[e.sel]; r.item >= 0 {
			// The section's row counts its items; the header shows the title.
			e.list.RefreshItem(e.rowOf(r.section, -1))
		}
	}
	e.list.RefreshItem(0)
	e.validate()
}

// number sets a numeric field from its text, or records that it is not a
// number (the draft keeps its last good value).
func (e *templateEditor) number(field, text string, set func(float64)) {
	if e.loading || e.draft == nil {
		return
	}
	v := strings.TrimSpace(text)
	if v == "" {
		v = "0"
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		e.inputFaults[field] = lang.L("“{{.Value}}” is not a number.", map[string]any{"Value": text})
		e.validate()
		return
	}
	delete(e.inputFaults, field)
	set(f)
	e.changed()
}

// threshold sets fail_above or fail_below; empty removes it.
func (e *templateEditor) threshold(field, text string, set func(*inspect.Item, *float64)) {
	if e.loading || e.draft == nil {
		return
	}
	if strings.TrimSpace(text) == "" {
		delete(e.inputFaults, field)
		set(e.item(), nil)
		e.changed()
		return
	}
	e.number(field, text, func(f float64) { set(e.item(), &f) })
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

// uniqueCode is prefix-NN, the first not used by any item or section.
func (e *templateEditor) uniqueCode(prefix string) string {
	used := map[string]bool{}
	for _, s := range e.draft.Sections {
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

// current is the selected section and item (-1 where none).
func (e *templateEditor) current() (int, int) {
	if e.sel < 0 || e.sel >= len(e.rows) {
		return -1, -1
	}
	return e.rows[e.sel].section, e.rows[e.sel].item
}

// doAddItem adds an item after the selected one (or at the end of the
// selected section, or of the last section) and selects it.
func (e *templateEditor) doAddItem() {
	if e.draft == nil {
		return
	}
	si, ii := e.current()
	if si < 0 {
		si = len(e.draft.Sections) - 1
		ii = -1
	}
	if si < 0 {
		e.doAddSection()
		si = len(e.draft.Sections) - 1
	}
	sec := &e.draft.Sections[si]
	at := len(sec.Items)
	if ii >= 0 {
		at = ii + 1
	}
	it := inspect.Item{
		Code: e.uniqueCode(sec.Code + "-"), Kind: inspect.KindCheck,
		Rule: inspect.Rule{Type: inspect.RuleFixed, Deduction: 1}, Evidence: inspect.EvidenceOptional,
	}
	sec.Items = slices.Insert(sec.Items, at, it)
	e.structureChanged()
	e.selectAt(si, at)
	e.o.ui.win.Canvas().Focus(e.text)
}

// doAddSection adds a section after the selected one (or at the end).
func (e *templateEditor) doAddSection() {
	if e.draft == nil {
		return
	}
	si, _ := e.current()
	at := len(e.draft.Sections)
	if si >= 0 {
		at = si + 1
	}
	e.draft.Sections = slices.Insert(e.draft.Sections, at, inspect.Section{Code: e.uniqueCode("S")})
	e.structureChanged()
	e.selectAt(at, -1)
	e.o.ui.win.Canvas().Focus(e.secTitle)
}

// doRemove removes the selected item, or the selected section (asking
// first when it has items).
func (e *templateEditor) doRemove() {
	si, ii := e.current()
	switch {
	case si < 0:
		return
	case ii >= 0:
		sec := &e.draft.Sections[si]
		sec.Items = slices.Delete(sec.Items, ii, ii+1)
		e.structureChanged()
		if ii < len(sec.Items) {
			e.selectAt(si, ii)
		} else if ii > 0 {
			e.selectAt(si, ii-1)
		} else {
			e.selectAt(si, -1)
		}
	default:
		drop := func() {
			e.draft.Sections = slices.Delete(e.draft.Sections, si, si+1)
			e.structureChanged()
			if si < len(e.draft.Sections) {
				e.selectAt(si, -1)
			} else {
				e.selectAt(-1, -1)
			}
		}
		sec := e.draft.Sections[si]
		if len(sec.Items) == 0 {
			drop()
			return
		}
		dialog.ShowConfirm(lang.L("Remove section"), lang.L("Remove the section {{.Title}} and its {{.Count}} items?",
			map[string]any{"Title": sec.Code + " " + sec.Title, "Count": len(sec.Items)}), func(ok bool) {
			if ok {
				drop()
			}
		}, e.o.ui.win)
	}
}

// move moves the selected item (across into the next section at either
// end of its own) or section up (-1) or down (+1).
func (e *templateEditor) move(dir int) {
	si, ii := e.current()
	if si < 0 {
		return
	}
	secs := e.draft.Sections
	if ii < 0 {
		to := si + dir
		if to < 0 || to >= len(secs) {
			return
		}
		secs[si], secs[to] = secs[to], secs[si]
		e.structureChanged()
		e.selectAt(to, -1)
		return
	}
	items := secs[si].Items
	to := ii + dir
	switch {
	case to >= 0 && to < len(items):
		items[ii], items[to] = items[to], items[ii]
		e.structureChanged()
		e.selectAt(si, to)
	case to < 0 && si > 0: // to the end of the section before
		it := items[ii]
		secs[si].Items = slices.Delete(items, ii, ii+1)
		secs[si-1].Items = append(secs[si-1].Items, it)
		e.structureChanged()
		e.selectAt(si-1, len(secs[si-1].Items)-1)
	case to >= len(items) && si < len(secs)-1: // to the start of the next section
		it := items[ii]
		secs[si].Items = slices.Delete(items, ii, ii+1)
		secs[si+1].Items = slices.Insert(secs[si+1].Items, 0, it)
		e.structureChanged()
		e.selectAt(si+1, 0)
	}
}

// structureChanged rebuilds the rows after sections or items moved.
func (e *templateEditor) structureChanged() {
	e.buildRows()
	e.list.Refresh()
	e.validate()
}

func (e *templateEditor) enableButtons() {
	si, ii := e.current()
	on := func(b *widget.Button, ok bool) {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	loaded := e.draft != nil
	on(e.addSection, loaded)
	on(e.addItem, loaded)
	on(e.remove, si >= 0)
	on(e.up, si >= 0 && (si > 0 || ii > 0))
	last := loaded && si == len(e.draft.Sections)-1
	on(e.down, si >= 0 && (!last || (ii >= 0 && ii < len(e.draft.Sections[si].Items)-1)))
	on(e.export, e.base != nil)
	on(e.revert, e.dirty)
	on(e.save, e.dirty && len(e.faults) == 0)
}

// ---- validation ----

var (
	placeSection = regexp.MustCompile(`^sections\[(\d+)\](?: \([^)]*\))?`)
	placeItem    = regexp.MustCompile(`^\.items\[(\d+)\](?: \([^)]*\))?`)
	placeChoice  = regexp.MustCompile(`^choices\[(\d+)\]\.?`)
)

// validate lists the draft's faults at their places, its warnings, and
// whether it differs from the version it started from.
func (e *templateEditor) validate() {
	e.faults = e.faults[:0]
	if e.draft == nil {
		e.faultList.Refresh()
		e.enableButtons()
		return
	}
	// What cannot even be put in the draft comes first.
	for _, field := range []string{"full_score", "bands", "rule.deduction", "rule.cap", "choices", "fail_above", "fail_below"} {
		if msg, ok := e.inputFaults[field]; ok {
			e.faults = append(e.faults, editorFault{row: e.sel, text: e.selectedPlace(field) + "：" + msg})
		}
	}
	var ve inspect.ValidationErrors
	if err := e.draft.Validate(); err != nil {
		ve, _ = err.(inspect.ValidationErrors)
	}
	for _, f := range ve {
		place, _ := f.Params["Place"].(string)
		row, where := e.describePlace(place)
		params := make(map[string]any, len(f.Params))
		for k, v := range f.Params {
			params[k] = v
		}
		params["Place"] = where
		e.faults = append(e.faults, editorFault{row: row, text: lang.LocalizeKey(f.Key, f.Message, params)})
	}
	if len(e.faults) > 0 {
		e.faultHead.SetText(lang.L("{{.Count}} faults: the template cannot be saved until they are corrected. Select one to go to its place.",
			map[string]any{"Count": len(e.faults)}))
		e.faultHead.Show()
	} else {
		e.faultHead.Hide()
	}
	e.faultList.Refresh()
	if w := e.draft.Warnings(); len(w) > 0 {
		total := 0.0
		for _, it := range e.draft.Items() {
			total += it.MaxDeduction()
		}
		e.warning.SetText(lang.L("The items can deduct {{.Total}} points in all, not the full score {{.Full}}.",
			map[string]any{"Total": fmtPoints(total), "Full": fmtPoints(e.draft.FullScore)}))
		e.warning.Show()
	} else {
		e.warning.Hide()
	}
	e.content.Refresh() // lines shown or hidden: the bottom's height
	e.bottom.Refresh()
	e.dirty = !sameTemplate(e.draft, e.base)
	e.enableButtons()
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
func (e *templateEditor) selectedPlace(field string) string {
	si, ii := e.current()
	return e.elementName(si, ii) + " · " + fieldName(field)
}

// describePlace turns a validation place ("sections[1] (WS).items[3]
// (WS-04).rule.cap") into the row it points at and words.
func (e *templateEditor) describePlace(place string) (int, string) {
	m := placeSection.FindStringSubmatch(place)
	if m == nil {
		return 0, e.elementName(-1, -1) + " · " + fieldName(place)
	}
	si, _ := strconv.Atoi(m[1])
	rest := place[len(m[0]):]
	ii := -1
	if m := placeItem.FindStringSubmatch(rest); m != nil {
		ii, _ = strconv.Atoi(m[1])
		rest = rest[len(m[0]):]
	}
	rest = strings.TrimPrefix(rest, ".")
	if ii < 0 && rest != "items" {
		rest = "sec_" + rest
	}
	return max(e.rowOf(si, ii), 0), e.elementName(si, ii) + " · " + fieldName(rest)
}

// elementName names section si, item ii (-1: the section; si -1: the template).
func (e *templateEditor) elementName(si, ii int) string {
	if si < 0 || si >= len(e.draft.Sections) {
		return lang.L("Template details")
	}
	sec := e.draft.Sections[si]
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

// ---- saving and export ----

// saveVersion stores the draft as the next version of its template and
// reports whether it did.
func (e *templateEditor) saveVersion() bool {
	if e.draft == nil || len(e.faults) > 0 {
		return false
	}
	next, err := e.o.ui.store.NextTemplateVersion(e.draft.ID)
	if err != nil {
		e.o.ui.showError(err)
		return false
	}
	t := e.draft.Clone()
	t.Version = next
	if err := e.o.ui.desk.SaveTemplate(e.o.ui.who(), &t); err != nil {
		e.o.ui.showError(err)
		return false
	}
	e.reload()
	e.load(t.ID, t.Version)
	e.status.SetText(lang.L("Saved {{.Title}} as version {{.Version}}. New inspections use it; inspections already made keep the version they used. Export the file to hand it to the inspectors.",
		map[string]any{"Title": t.Title, "Version": t.Version}))
	return true
}

// chooseExport asks where to save the stored version shown.
func (e *templateEditor) chooseExport() {
	if e.base == nil {
		return
	}
	e.o.saveAs(fmt.Sprintf("%s-v%d.json", e.base.ID, e.base.Version), []string{".json"}, e.exportTo)
}

// exportTo writes the stored version shown (not unsaved changes) to path.
func (e *templateEditor) exportTo(path string) {
	if !strings.EqualFold(filepath.Ext(path), ".json") {
		path += ".json"
	}
	data, t, err := e.o.ui.desk.TemplateFile(e.base.ID, e.base.Version)
	if err == nil {
		err = writeFile(e.o.ui.store, path, data)
	}
	if err != nil {
		e.o.ui.showError(err)
		return
	}
	msg := lang.L("{{.Title}} version {{.Version}} saved to {{.Path}}: inspectors import it in their Templates screen.",
		map[string]any{"Title": t.Title, "Version": t.Version, "Path": path})
	if e.dirty {
		msg += " " + lang.L("Unsaved changes are not in the file.")
	}
	e.status.SetText(msg)
}
