package app

import (
	"fmt"
	"image/color"
	"reflect"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/inspect"
	"mingcha/msg"
)

// unitsScreen is the roster of 被检查单位: the list on the left, the
// selected unit's details and staff on the right.
type unitsScreen struct {
	ui      *UI
	content fyne.CanvasObject
	// onScreen is set once content is the window's: focus can only go to
	// a field on the canvas (Fyne logs and drops it otherwise).
	onScreen bool

	all    []inspect.Unit // every unit, as Units returns them
	shown  []inspect.Unit // those matching the search
	search *widget.Entry
	list   *widget.List
	count  *widget.Label
	add    *widget.Button

	// The editor; editingID is "" for a unit not stored yet. loaded is the
	// unit as the editor showed it when opened: what differs is unsaved.
	editingID  string
	loaded     inspect.Unit
	heading    *widget.Label
	name       *widget.Entry
	department *widget.Entry
	kind       *widget.Select
	address    *widget.Entry
	staff      []*staffRow
	staffBox   *fyne.Container
	addStaff   *widget.Button
	errors     *widget.Label
	status     *widget.Label
	save       *widget.Button
	delete     *widget.Button
	selecting  bool // the list selection is being set by code
}

// staffRow is one person of the roster being edited.
type staffRow struct {
	name, post, window *widget.Entry
	remove             *widget.Button
	content            fyne.CanvasObject
}

// ShowUnits shows the units screen.
func (u *UI) ShowUnits() {
	u.leave()
	s := &unitsScreen{ui: u}
	s.build()
	s.reload("")
	u.units = s
	u.guard = s
	u.show(screenUnits, s.content)
	s.onScreen = true
	if s.editingID == "" {
		u.win.Canvas().Focus(s.name) // no unit yet: type the first one's name
	}
	u.remember(screenUnits, "")
}

func (s *unitsScreen) build() {
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(lang.L("Search units"))
	s.search.OnChanged = func(string) { s.filter() }
	s.count = widget.NewLabel("")
	s.list = widget.NewList(func() int { return len(s.shown) }, s.createRow, s.updateRow)
	s.list.OnSelected = s.selected
	s.add = widget.NewButtonWithIcon(lang.L("Add unit"), theme.ContentAddIcon(), s.addUnit)
	s.add.Importance = widget.HighImportance
	left := container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, heading(lang.L("Units")), s.add), container.NewBorder(nil, nil, nil, s.count, s.search)),
		nil, nil, nil, s.list)

	s.heading = heading("")
	s.name = widget.NewEntry()
	s.name.SetPlaceHolder(lang.L("e.g. Enterprise Registration Section"))
	s.department = widget.NewEntry()
	s.department.SetPlaceHolder(lang.L("e.g. District Market Regulation Bureau"))
	s.kind = widget.NewSelect(kindLabels(), nil)
	s.address = widget.NewEntry()
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Unit name"), s.name),
		widget.NewFormItem(lang.L("Department"), s.department),
		widget.NewFormItem(lang.L("Kind"), s.kind),
		widget.NewFormItem(lang.L("Address"), s.address),
	)
	s.staffBox = container.NewVBox()
	s.addStaff = widget.NewButtonWithIcon(lang.L("Add person"), theme.ContentAddIcon(), func() {
		row := s.addStaffRow(inspect.StaffMember{})
		s.ui.win.Canvas().Focus(row.name)
	})
	// The header keeps the rows' column widths: a gap as wide as their delete button.
	gap := canvas.NewRectangle(color.Transparent)
	gap.SetMinSize(widget.NewButtonWithIcon("", theme.DeleteIcon(), nil).MinSize())
	columns := container.NewBorder(nil, nil, nil, gap,
		container.NewGridWithColumns(3, heading(lang.L("Name")), heading(lang.L("Post")), heading(lang.L("Window number"))))
	s.errors = widget.NewLabel("")
	s.errors.Wrapping = fyne.TextWrapWord
	s.errors.Importance = widget.DangerImportance
	s.errors.Hide()
	s.status = widget.NewLabel("")
	s.save = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), func() { s.doSave() })
	s.save.Importance = widget.HighImportance
	s.delete = widget.NewButtonWithIcon(lang.L("Delete unit"), theme.DeleteIcon(), s.confirmDelete)
	s.delete.Importance = widget.DangerImportance

	editor := container.NewVBox(s.heading, form, widget.NewSeparator(),
		heading(lang.L("Staff roster")), wrapped(lang.L("Attendance and badges are checked person by person against this list.")),
		columns, s.staffBox, container.NewHBox(s.addStaff), s.errors)
	right := container.NewBorder(nil, container.NewBorder(nil, nil, s.status, container.NewHBox(s.delete, s.save)), nil, nil,
		container.NewVScroll(container.NewPadded(editor)))
	split := container.NewHSplit(left, right)
	split.Offset = 0.34
	s.content = split
}

func (s *unitsScreen) createRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(name, detail)
}

func (s *unitsScreen) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(s.shown) {
		return
	}
	unit := s.shown[i]
	box := o.(*fyne.Container)
	box.Objects[0].(*widget.Label).SetText(unit.Name)
	parts := []string{kindText(unit.Kind)}
	if unit.Department != "" {
		parts = append(parts, unit.Department)
	}
	parts = append(parts, lang.L("{{.Count}} staff", map[string]any{"Count": len(unit.Staff)}))
	box.Objects[1].(*widget.Label).SetText(strings.Join(parts, " · "))
}

// reload reads the units again and opens selectID (the first unit when it
// is "" and none is being edited, a new unit when there are none).
func (s *unitsScreen) reload(selectID string) {
	units, err := s.ui.store.Units()
	if err != nil {
		s.ui.showError(err)
	}
	s.all = units
	s.filter()
	hidden := func() bool {
		return !slices.ContainsFunc(s.shown, func(u inspect.Unit) bool { return u.ID == selectID }) &&
			slices.ContainsFunc(s.all, func(u inspect.Unit) bool { return u.ID == selectID })
	}
	if selectID != "" && hidden() { // the search hides the unit just saved
		s.search.SetText("") // filters again
	}
	if selectID == "" && len(s.shown) > 0 {
		selectID = s.shown[0].ID
	}
	if i := slices.IndexFunc(s.shown, func(u inspect.Unit) bool { return u.ID == selectID }); i >= 0 {
		s.selectRow(i)
		s.edit(s.shown[i])
		return
	}
	s.newUnit()
}

// filter shows the units whose name or department contains the search text.
func (s *unitsScreen) filter() {
	q := strings.ToLower(strings.TrimSpace(s.search.Text))
	s.shown = s.shown[:0]
	for _, u := range s.all {
		if q == "" || strings.Contains(strings.ToLower(u.Name+" "+u.Department+" "+u.Address), q) {
			s.shown = append(s.shown, u)
		}
	}
	s.count.SetText(lang.L("{{.Count}} units", map[string]any{"Count": len(s.shown)}))
	s.list.UnselectAll()
	s.list.Refresh()
}

func (s *unitsScreen) selectRow(i int) {
	s.selecting = true
	s.list.Select(i)
	s.list.ScrollTo(i)
	s.selecting = false
}

// selected opens the unit chosen in the list, after asking about unsaved
// changes of the one being edited; until the user answers, the list keeps
// showing the one being edited.
func (s *unitsScreen) selected(id widget.ListItemID) {
	if s.selecting || id >= len(s.shown) {
		return
	}
	target := s.shown[id].ID
	if target == s.editingID {
		return
	}
	if !s.canLeave(func() { s.reload(target) }) {
		s.selectUnit(s.editingID)
		return
	}
	s.edit(s.shown[id])
}

// selectUnit marks unit id in the list (none for "" or a unit not shown)
// without opening it.
func (s *unitsScreen) selectUnit(id string) {
	if i := slices.IndexFunc(s.shown, func(u inspect.Unit) bool { return u.ID == id }); id != "" && i >= 0 {
		s.selectRow(i)
		return
	}
	s.selecting = true
	s.list.UnselectAll()
	s.selecting = false
}

// addUnit is the Add unit button: an empty editor, once unsaved changes
// of the unit being edited are saved or given up.
func (s *unitsScreen) addUnit() {
	if s.canLeave(s.newUnit) {
		s.newUnit()
	}
}

// canLeave lets the editor go at once when it holds no unsaved changes;
// otherwise it asks (see UI.askUnsaved) and calls proceed as answered.
func (s *unitsScreen) canLeave(proceed func()) bool {
	if !s.unsaved() {
		return true
	}
	msg := lang.L("The new unit is not saved. Save it?")
	if s.editingID != "" {
		msg = lang.L("The changes to {{.Name}} are not saved. Save them?", map[string]any{"Name": s.loaded.Name})
	}
	s.ui.askUnsaved(msg, s.doSave, proceed)
	return false
}

// unsaved reports whether the editor differs from the unit it opened.
func (s *unitsScreen) unsaved() bool {
	return !reflect.DeepEqual(s.formUnit(), s.loaded)
}

// newUnit clears the editor for a unit to be added.
func (s *unitsScreen) newUnit() {
	s.selecting = true
	s.list.UnselectAll()
	s.selecting = false
	s.edit(inspect.Unit{Kind: inspect.UnitOffice})
	if s.onScreen {
		s.ui.win.Canvas().Focus(s.name)
	}
}

// edit fills the editor with unit.
func (s *unitsScreen) edit(unit inspect.Unit) {
	s.editingID = unit.ID
	if unit.ID == "" {
		s.heading.SetText(lang.L("New unit"))
		s.delete.Disable()
	} else {
		s.heading.SetText(unit.Name)
		s.delete.Enable()
	}
	s.name.SetText(unit.Name)
	s.department.SetText(unit.Department)
	if i := slices.Index(inspect.UnitKinds, unit.Kind); i >= 0 {
		s.kind.SetSelectedIndex(i)
	} else {
		s.kind.ClearSelected()
	}
	s.address.SetText(unit.Address)
	s.staff = nil
	s.staffBox.RemoveAll()
	for _, m := range unit.Staff {
		s.addStaffRow(m)
	}
	s.setErrors("")
	s.status.SetText("")
	s.loaded = s.formUnit()
}

// addStaffRow appends an editable person to the roster.
func (s *unitsScreen) addStaffRow(m inspect.StaffMember) *staffRow {
	r := &staffRow{name: widget.NewEntry(), post: widget.NewEntry(), window: widget.NewEntry()}
	r.name.SetText(m.Name)
	r.name.SetPlaceHolder(lang.L("Name"))
	r.post.SetText(m.Post)
	r.post.SetPlaceHolder(lang.L("e.g. clerk"))
	r.window.SetText(m.Window)
	r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { s.removeStaffRow(r) })
	r.content = container.NewBorder(nil, nil, nil, r.remove, container.NewGridWithColumns(3, r.name, r.post, r.window))
	s.staff = append(s.staff, r)
	s.staffBox.Add(r.content)
	return r
}

func (s *unitsScreen) removeStaffRow(r *staffRow) {
	s.staff = slices.DeleteFunc(s.staff, func(x *staffRow) bool { return x == r })
	s.staffBox.Remove(r.content)
}

func (s *unitsScreen) setErrors(text string) {
	s.errors.SetText(text)
	if text == "" {
		s.errors.Hide()
	} else {
		s.errors.Show()
	}
}

// current is the unit as the editor shows it. Rows left completely empty
// are dropped (from the screen too, so that row numbers in messages match).
func (s *unitsScreen) current() inspect.Unit {
	for _, r := range slices.Clone(s.staff) {
		if r.empty() {
			s.removeStaffRow(r)
		}
	}
	return s.formUnit()
}

func (r *staffRow) empty() bool {
	return strings.TrimSpace(r.name.Text+r.post.Text+r.window.Text) == ""
}

// formUnit is the unit as the editor shows it, empty rows left out, the
// screen unchanged.
func (s *unitsScreen) formUnit() inspect.Unit {
	unit := inspect.Unit{
		ID: s.editingID, Name: strings.TrimSpace(s.name.Text), Department: strings.TrimSpace(s.department.Text),
		Address: strings.TrimSpace(s.address.Text),
	}
	if i := s.kind.SelectedIndex(); i >= 0 && i < len(inspect.UnitKinds) {
		unit.Kind = inspect.UnitKinds[i]
	}
	for _, r := range s.staff {
		if r.empty() {
			continue
		}
		unit.Staff = append(unit.Staff, inspect.StaffMember{
			Name: strings.TrimSpace(r.name.Text),
			Post: strings.TrimSpace(r.post.Text), Window: strings.TrimSpace(r.window.Text),
		})
	}
	return unit
}

// doSave validates and stores the unit; faults are listed under the
// roster. It reports whether the unit was stored.
func (s *unitsScreen) doSave() bool {
	unit := s.current()
	if err := s.ui.store.PutUnit(s.ui.who(), &unit); err != nil {
		s.setErrors(msg.Of(err))
		s.status.SetText("")
		return false
	}
	s.reload(unit.ID)
	s.status.SetText(savedText(s.ui.store.Now()))
	return true
}

func (s *unitsScreen) confirmDelete() {
	if s.editingID == "" {
		return
	}
	d := dialog.NewConfirm(lang.L("Delete unit"),
		lang.L("Delete {{.Name}} and its staff roster?", map[string]any{"Name": s.name.Text}),
		func(ok bool) {
			if ok {
				s.doDelete()
			}
		}, s.ui.win)
	d.SetConfirmText(lang.L("Delete"))
	d.SetConfirmImportance(widget.DangerImportance)
	d.SetDismissText(lang.L("Cancel"))
	d.Show()
}

// doDelete removes the unit being edited; the store refuses a unit that
// inspections refer to, and says how many.
func (s *unitsScreen) doDelete() {
	if err := s.ui.store.DeleteUnit(s.ui.who(), s.editingID); err != nil {
		s.ui.showError(err)
		return
	}
	s.reload("")
	s.status.SetText(lang.L("Deleted"))
}

// kindLabels are the unit kinds' labels in inspect.UnitKinds order.
func kindLabels() []string {
	out := make([]string, len(inspect.UnitKinds))
	for i, k := range inspect.UnitKinds {
		out[i] = kindText(k)
	}
	return out
}

// kindText is 机关科室 / 服务窗口 / 行政服务中心 / 其他.
func kindText(k inspect.UnitKind) string {
	switch k {
	case inspect.UnitOffice:
		return lang.L("Office")
	case inspect.UnitWindow:
		return lang.L("Service window")
	case inspect.UnitServiceCenter:
		return lang.L("Administrative service centre")
	case inspect.UnitOther:
		return lang.L("Other kind")
	}
	return fmt.Sprint(k)
}
