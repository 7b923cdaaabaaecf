package app

import (
	"fmt"
	"image/color"
	"path/filepath"
	"slices"
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
	"mingcha/msg"
)

// The 效能办's template editor: a stored template (检查表) is edited as a
// new version — items added, removed, moved, reworded, their problem
// wording, kind, scoring rule, deduction, cap, evidence and category
// changed, sections edited — with every fault of the draft listed at its
// place as it is typed and the warnings shown (templateDraft, in
// template_editor_model.go, holds all of that; this file is its widgets).
// Saving stores it as the next version; stored versions never change, and
// an inspection keeps the snapshot of the version it was made with. Export
// writes a stored version as the JSON file inspectors import in their
// Templates screen or with "mingcha templates import".

type templateEditor struct {
	o       *officeScreen
	content fyne.CanvasObject
	m       *templateDraft

	templates []inspect.Template // the newest version of each
	pick      *widget.Select
	versions  []int
	version   *widget.Select
	picking   bool // the selects are being filled, not chosen

	list      *widget.List
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
	code, text, guidance, problem, category *widget.Entry
	deduction, capEntry                     *widget.Entry
	choices, unit                           *widget.Entry
	failAbove, failBelow                    *widget.Entry
	kind, rule, evidence                    *widget.Select
	optional                                *widget.Check
	itemForm                                fyne.CanvasObject
	formRows                                map[string][2]fyne.CanvasObject // label and field, shown by kind and rule
	noSelection                             fyne.CanvasObject
	// bound are the entries and the draft's fields they edit.
	bound []boundEntry

	addSection, addItem, up, down, remove *widget.Button
	revert, save, export                  *widget.Button
	status, warning, faultHead            *widget.Label
	bottom                                *fyne.Container
	faultList                             *widget.List
}

// boundEntry is an entry of a form and the draft's field it edits.
type boundEntry struct {
	field string
	entry *widget.Entry
}

func newTemplateEditor(o *officeScreen) *templateEditor {
	e := &templateEditor{o: o, m: newTemplateDraft(), formRows: map[string][2]fyne.CanvasObject{}}
	e.pick = widget.NewSelect(nil, func(string) { e.picked() })
	e.pick.PlaceHolder = lang.L("Choose a template")
	e.version = widget.NewSelect(nil, func(string) { e.picked() })
	e.revert = widget.NewButtonWithIcon(lang.L("Discard changes"), theme.ContentUndoIcon(), func() { e.load(e.m.base.ID, e.m.base.Version) })
	e.export = widget.NewButtonWithIcon(lang.L("Export file…"), theme.DocumentSaveIcon(), e.chooseExport)
	e.save = widget.NewButtonWithIcon(lang.L("Save as a new version"), theme.DocumentCreateIcon(), func() { e.saveVersion() })
	e.save.Importance = widget.HighImportance
	// The template to edit above; what becomes of the edit (discard,
	// export, save) at the bottom right beside the status, as in a dialog:
	// on one row the English words needed 1048 px.
	top := container.NewHBox(widget.NewLabel(lang.L("Template")), sized(e.pick, 300), widget.NewLabel(lang.L("starting from")), sized(e.version, 110))

	e.list = widget.NewList(func() int { return len(e.m.rows) }, e.createRow, e.updateRow)
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
	e.status.Wrapping = fyne.TextWrapWord // beside the buttons: the saved message needs two lines
	e.warning = widget.NewLabel("")
	e.warning.Importance = widget.WarningImportance
	e.warning.Truncation = fyne.TextTruncateEllipsis
	e.warning.Hide()
	e.faultHead = widget.NewLabel("")
	e.faultHead.Importance = widget.DangerImportance
	e.faultList = widget.NewList(func() int { return len(e.m.faults) }, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(e.m.faults) {
			o.(*widget.Label).SetText(e.m.faults[i].text)
		}
	})
	e.faultList.OnSelected = func(i widget.ListItemID) {
		if i < len(e.m.faults) && e.m.faults[i].row >= 0 {
			e.list.Select(e.m.faults[i].row)
			e.list.ScrollTo(e.m.faults[i].row)
		}
		e.faultList.UnselectAll()
	}
	room := canvas.NewRectangle(color.Transparent)
	room.SetMinSize(fyne.NewSize(10, 72))
	e.bottom = container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, container.NewHBox(e.revert, e.export, e.save), e.status),
		e.warning, e.faultHead, container.NewStack(room, e.faultList))
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

// bind makes en edit field of the draft's selected element.
func (e *templateEditor) bind(field string, en *widget.Entry) *widget.Entry {
	en.OnChanged = func(v string) {
		if e.loading || e.m.draft == nil {
			return
		}
		e.m.set(field, v)
		e.changed()
	}
	e.bound = append(e.bound, boundEntry{field, en})
	return en
}

// selected runs set with the index chosen in a select, unless the form is
// being filled.
func (e *templateEditor) selected(s **widget.Select, set func(i int)) func(string) {
	return func(string) {
		if i := (*s).SelectedIndex(); i >= 0 && !e.loading && e.m.draft != nil {
			set(i)
			e.changed()
		}
	}
}

func (e *templateEditor) buildForms() {
	// Header.
	e.tplTitle = e.bind("title", widget.NewEntry())
	e.tplDescription = e.bind("description", multiline(2))
	e.fullScore = e.bind("full_score", widget.NewEntry())
	e.naPolicy = widget.NewSelect([]string{lang.L("N/A items are left out of the score"), lang.L("N/A items are prorated (折算)")},
		e.selected(&e.naPolicy, func(i int) { e.m.setNAPolicy(editorNAPolicys[i]) }))
	e.bands = e.bind("bands", widget.NewEntry())
	e.bands.SetPlaceHolder("优秀 90；良好 80；合格 60；不合格 0")
	header := container.New(layout.NewFormLayout())
	e.formRow(header, "title", lang.L("Title"), e.tplTitle)
	e.formRow(header, "description", lang.L("Template description"), e.tplDescription)
	e.formRow(header, "full_score", lang.L("Full score"), e.fullScore)
	e.formRow(header, "na_policy", lang.L("N/A items"), e.naPolicy)
	e.formRow(header, "bands", lang.L("Ratings"), e.bands)
	e.headerForm = container.NewVBox(heading(lang.L("Template details")), header)

	// Section.
	e.secCode = e.bind("sec_code", widget.NewEntry())
	e.secTitle = e.bind("sec_title", widget.NewEntry())
	sec := container.New(layout.NewFormLayout())
	e.formRow(sec, "sec_code", lang.L("Code"), e.secCode)
	e.formRow(sec, "sec_title", lang.L("Title"), e.secTitle)
	e.sectionForm = container.NewVBox(heading(lang.L("Section")), sec)

	// Item.
	e.code = e.bind("code", widget.NewEntry())
	e.text = e.bind("text", multiline(2))
	e.guidance = e.bind("guidance", multiline(3))
	e.problem = e.bind("problem", widget.NewEntry())
	e.problem.SetPlaceHolder(lang.L("e.g. 未公示监督投诉电话: how a failure reads in the 通报 and the 整改通知书"))
	kinds := make([]string, len(editorKinds))
	for i, k := range editorKinds {
		kinds[i] = itemKindText(k)
	}
	e.kind = widget.NewSelect(kinds, e.selected(&e.kind, func(i int) {
		e.m.setKind(editorKinds[i])
		e.fill() // what the kind cleared, and its fields
	}))
	e.category = e.bind("category", widget.NewEntry())
	e.category.SetPlaceHolder(lang.L("e.g. 胸牌: groups the problems in the 通报"))
	e.rule = widget.NewSelect([]string{lang.L("Not scored"), lang.L("Fixed deduction"), lang.L("Per violation, up to a cap"), lang.L("Veto (一票否决)")},
		e.selected(&e.rule, func(i int) {
			e.m.setRule(editorRules[i])
			e.fill()
		}))
	e.deduction = e.bind("rule.deduction", widget.NewEntry())
	e.capEntry = e.bind("rule.cap", widget.NewEntry())
	e.evidence = widget.NewSelect([]string{lang.L("No photo"), lang.L("Photo optional"), lang.L("Photo required when failed")},
		e.selected(&e.evidence, func(i int) { e.m.setEvidence(editorEvidence[i]) }))
	e.optional = widget.NewCheck(lang.L("May stay unanswered"), func(on bool) {
		if !e.loading && e.m.draft != nil {
			e.m.setOptional(on)
			e.changed()
		}
	})
	e.choices = e.bind("choices", multiline(3))
	e.choices.SetPlaceHolder(lang.L("One choice a line: label | deduction | ! when it is a problem (a deduction alone lowers the score, no rectification)"))
	e.unit = e.bind("unit", widget.NewEntry())
	e.unit.SetPlaceHolder(lang.L("e.g. 分钟"))
	e.failAbove = e.bind("fail_above", widget.NewEntry())
	e.failBelow = e.bind("fail_below", widget.NewEntry())
	codeHint := widget.NewLabel(lang.L("Keep the code when rewording: 重复问题 and 回访 match items by code."))
	codeHint.Importance = widget.LowImportance
	codeHint.Wrapping = fyne.TextWrapWord

	item := container.New(layout.NewFormLayout())
	e.formRow(item, "code", lang.L("Code"), container.NewVBox(e.code, codeHint))
	e.formRow(item, "text", lang.L("Item text"), e.text)
	e.formRow(item, "guidance", lang.L("How to check"), e.guidance)
	e.formRow(item, "kind", lang.L("Item kind"), e.kind)
	e.formRow(item, "problem", lang.L("Problem wording"), e.problem)
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
	case e.m.base != nil:
		e.fillPickers(e.m.base.ID, e.m.base.Version)
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
	base := e.m.base
	id, v := e.templates[i].ID, 0
	if base != nil && base.ID == id {
		if j := e.version.SelectedIndex(); j >= 0 && j < len(e.versions) {
			v = e.versions[j]
		}
	}
	if base != nil && base.ID == id && base.Version == v {
		return
	}
	if e.canLeave(func() { e.load(id, v) }) {
		e.load(id, v)
		return
	}
	// Until the user answers (and after 取消) the selects show the draft's.
	e.fillPickers(base.ID, base.Version)
}

// canLeave lets the editor go at once when it holds no unsaved changes;
// otherwise it asks (see UI.askUnsaved) and calls proceed as answered. A
// draft with faults cannot be saved: the dialog says so.
func (e *templateEditor) canLeave(proceed func()) bool {
	if !e.m.unsaved() {
		return true
	}
	msg := lang.L("The changes to the template {{.Title}} are not saved. Save them as a new version?", map[string]any{"Title": e.m.draft.Title})
	save := e.saveVersion
	if len(e.m.faults) > 0 {
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
	e.m.start(t, next)
	e.fillPickers(id, t.Version)
	e.rowsChanged()
	e.list.UnselectAll()
	e.showForm(nil)
	e.status.SetText(lang.L("Editing {{.Title}} version {{.Version}}; it will be saved as version {{.Next}}.",
		map[string]any{"Title": t.Title, "Version": t.Version, "Next": next}))
}

// rowsChanged shows the draft's rows again after sections or items came,
// went or moved.
func (e *templateEditor) rowsChanged() {
	line := widget.NewLabel("M").MinSize().Height
	full := e.createRow().MinSize().Height
	for i, r := range e.m.rows {
		if r.item < 0 {
			e.list.SetItemHeight(i, line)
		} else {
			e.list.SetItemHeight(i, full)
		}
	}
	e.list.Refresh()
	e.showFaults()
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
	if i >= len(e.m.rows) || e.m.draft == nil {
		return
	}
	row := o.(*fyne.Container)
	box, indent := row.Objects[0].(*fyne.Container), row.Objects[1]
	title, detail := box.Objects[0].(*widget.Label), box.Objects[1].(*widget.Label)
	r := e.m.rows[i]
	text, summary := e.m.rowText(i)
	title.TextStyle = fyne.TextStyle{Bold: r.item < 0}
	title.Importance = widget.MediumImportance
	if r.section < 0 {
		title.Importance = widget.HighImportance
	}
	if r.item < 0 {
		indent.Hide()
		detail.Hide()
	} else {
		indent.Show()
		detail.Show()
		detail.SetText(summary)
	}
	title.SetText(text)
	title.Refresh()
}

// ---- selection and the forms ----

// selectRow shows row i's form.
func (e *templateEditor) selectRow(i int) {
	if !e.m.choose(i) {
		return
	}
	e.fill()
	switch r := e.m.rows[i]; {
	case r.section < 0:
		e.showForm(e.headerForm)
	case r.item < 0:
		e.showForm(e.sectionForm)
	default:
		e.showForm(e.itemForm)
	}
	e.showFaults()
}

// selectAt selects section si, item ii in the list.
func (e *templateEditor) selectAt(si, ii int) {
	i := e.m.rowOf(si, ii)
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

// fill puts the selected element in the forms and shows the item fields
// its kind and rule use.
func (e *templateEditor) fill() {
	was := e.loading
	e.loading = true
	defer func() { e.loading = was }()
	m := e.m
	for _, b := range e.bound {
		b.entry.SetText(m.text(b.field))
	}
	e.naPolicy.SetSelectedIndex(max(slices.Index(editorNAPolicys, m.draft.NAPolicy), 0))
	it := m.item()
	e.kind.SetSelectedIndex(slices.Index(editorKinds, it.Kind))
	e.rule.SetSelectedIndex(slices.Index(editorRules, it.Rule.Type))
	ev := it.Evidence
	if ev == "" {
		ev = inspect.EvidenceNone
	}
	e.evidence.SetSelectedIndex(slices.Index(editorEvidence, ev))
	e.optional.SetChecked(it.Optional)
	for _, n := range []string{"choices", "unit", "fail_above", "fail_below", "rule.cap", "rule.deduction", "rule.type", "problem"} {
		e.showRow(n, m.shows(n))
	}
}

// ---- editing ----

// changed refreshes what a change of the draft affects.
func (e *templateEditor) changed() {
	if e.m.sel >= 0 {
		e.list.RefreshItem(e.m.sel)
		if r := e.m.rows[e.m.sel]; r.item >= 0 {
			// The section's row counts its items; the header shows the title.
			e.list.RefreshItem(e.m.rowOf(r.section, -1))
		}
	}
	e.list.RefreshItem(0)
	if e.m.sel >= 0 && e.m.rows[e.m.sel].item >= 0 {
		e.showRow("problem", e.m.shows("problem")) // a threshold or a choice may make the item able to fail
	}
	e.showFaults()
}

// doAddItem adds an item after the selected one (or at the end of the
// selected section, or of the last section) and selects it.
func (e *templateEditor) doAddItem() {
	if e.m.draft == nil {
		return
	}
	si, ii := e.m.addItem()
	e.rowsChanged()
	e.selectAt(si, ii)
	e.o.ui.win.Canvas().Focus(e.text)
}

// doAddSection adds a section after the selected one (or at the end).
func (e *templateEditor) doAddSection() {
	if e.m.draft == nil {
		return
	}
	at := e.m.addSection()
	e.rowsChanged()
	e.selectAt(at, -1)
	e.o.ui.win.Canvas().Focus(e.secTitle)
}

// doRemove removes the selected item, or the selected section (asking
// first when it has items).
func (e *templateEditor) doRemove() {
	si, ii := e.m.current()
	switch {
	case si < 0:
		return
	case ii >= 0:
		si, ii = e.m.removeItem(si, ii)
		e.rowsChanged()
		e.selectAt(si, ii)
	default:
		drop := func() {
			si, ii := e.m.removeSection(si)
			e.rowsChanged()
			e.selectAt(si, ii)
		}
		sec := e.m.draft.Sections[si]
		if len(sec.Items) == 0 {
			drop()
			return
		}
		p := map[string]any{"Title": sec.Code + " " + sec.Title, "Count": len(sec.Items)}
		dialog.ShowConfirm(lang.L("Remove section"), msg.Plural(len(sec.Items), lang.L("Remove the section {{.Title}} and its one item?", p),
			lang.L("Remove the section {{.Title}} and its {{.Count}} items?", p)), func(ok bool) {
			if ok {
				drop()
			}
		}, e.o.ui.win)
	}
}

// move moves the selected item or section up (-1) or down (+1).
func (e *templateEditor) move(dir int) {
	if si, ii, ok := e.m.move(dir); ok {
		e.rowsChanged()
		e.selectAt(si, ii)
	}
}

func (e *templateEditor) enableButtons() {
	si, _ := e.m.current()
	on := func(b *widget.Button, ok bool) {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	loaded := e.m.draft != nil
	up, down := e.m.canMove()
	on(e.addSection, loaded)
	on(e.addItem, loaded)
	on(e.remove, si >= 0)
	on(e.up, up)
	on(e.down, down)
	on(e.export, e.m.base != nil)
	on(e.revert, e.m.dirty)
	on(e.save, e.m.canSave())
}

// showFaults shows the draft's faults, its warnings and what can be done
// with it now.
func (e *templateEditor) showFaults() {
	m := e.m
	if len(m.faults) > 0 {
		e.faultHead.SetText(lang.L("{{.Count}} faults: the template cannot be saved until they are corrected. Select one to go to its place.",
			map[string]any{"Count": len(m.faults)}))
		e.faultHead.Show()
	} else {
		e.faultHead.Hide()
	}
	e.faultList.Refresh()
	if len(m.warnings) > 0 {
		e.warning.SetText(strings.Join(m.warnings, "\n"))
		e.warning.Show()
	} else {
		e.warning.Hide()
	}
	e.content.Refresh() // lines shown or hidden: the bottom's height
	e.bottom.Refresh()
	e.enableButtons()
}

// ---- saving and export ----

// saveVersion stores the draft as the next version of its template and
// reports whether it did.
func (e *templateEditor) saveVersion() bool {
	if e.m.draft == nil || len(e.m.faults) > 0 {
		return false
	}
	next, err := e.o.ui.store.NextTemplateVersion(e.m.draft.ID)
	if err != nil {
		e.o.ui.showError(err)
		return false
	}
	t := e.m.draft.Clone()
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
	if e.m.base == nil {
		return
	}
	e.o.saveAs(fmt.Sprintf("%s-v%d.json", e.m.base.ID, e.m.base.Version), []string{".json"}, e.exportTo)
}

// exportTo writes the stored version shown (not unsaved changes) to path.
func (e *templateEditor) exportTo(path string) {
	if !strings.EqualFold(filepath.Ext(path), ".json") {
		path += ".json"
	}
	data, t, err := e.o.ui.desk.TemplateFile(e.m.base.ID, e.m.base.Version)
	if err == nil {
		err = writeFile(e.o.ui.store, path, data)
	}
	if err != nil {
		e.o.ui.showError(err)
		return
	}
	msg := lang.L("{{.Title}} version {{.Version}} saved to {{.Path}}: inspectors import it in their Templates screen.",
		map[string]any{"Title": t.Title, "Version": t.Version, "Path": path})
	if e.m.dirty {
		msg += " " + lang.L("Unsaved changes are not in the file.")
	}
	e.status.SetText(msg)
}
