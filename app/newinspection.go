package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/inspect"
	"mingcha/store"
)

// observedLayout is how the observed date/time is typed.
const observedLayout = "2006-01-02 15:04"

// newInspectionForm collects what NewInspection needs.
type newInspectionForm struct {
	ui      *UI
	content fyne.CanvasObject

	units     []inspect.Unit
	templates []inspect.Template

	unit       *widget.Select
	template   *widget.Select
	mode       *widget.RadioGroup
	inspectors *widget.Entry
	observed   *widget.Entry
	place      *widget.Entry
	create     *widget.Button
}

// ShowNewInspection shows the form for a new inspection.
func (u *UI) ShowNewInspection() {
	u.leave()
	f := &newInspectionForm{ui: u}
	f.unit = widget.NewSelect(nil, nil)
	f.unit.PlaceHolder = lang.L("Choose a unit")
	f.loadUnits("")
	addUnit := widget.NewButtonWithIcon(lang.L("Add unit"), theme.ContentAddIcon(), f.showAddUnit)

	f.template = widget.NewSelect(nil, nil)
	f.template.PlaceHolder = lang.L("Choose a template")
	templates, err := u.store.Templates()
	if err != nil {
		u.showError(err)
	}
	f.templates = templates
	names := make([]string, len(templates))
	for i, t := range templates {
		names[i] = fmt.Sprintf("%s (v%d)", t.Title, t.Version)
	}
	f.template.Options = names
	if len(names) > 0 {
		f.template.SetSelectedIndex(0)
	}

	f.mode = widget.NewRadioGroup([]string{lang.L("Open (mode)"), lang.L("Covert")}, nil)
	f.mode.Horizontal = true
	f.mode.Required = true
	f.mode.SetSelected(lang.L("Open (mode)"))

	f.inspectors = widget.NewEntry()
	f.inspectors.SetPlaceHolder(lang.L("Names, separated by commas"))
	f.inspectors.SetText(strings.Join(prefillInspectors(u.identity().Name, u.store), ", "))
	f.observed = widget.NewEntry()
	f.observed.SetText(u.Now().In(inspect.Zone).Format(observedLayout))
	f.observed.Validator = func(s string) error {
		_, err := time.ParseInLocation(observedLayout, strings.TrimSpace(s), inspect.Zone)
		return err
	}
	f.place = widget.NewEntry()
	f.place.SetPlaceHolder(lang.L("e.g. window 3, second floor"))
	// Enter in the last field (and in the others) creates, as the button.
	submit := func(string) { f.submit() }
	f.place.OnSubmitted, f.observed.OnSubmitted, f.inspectors.OnSubmitted = submit, submit, submit

	form := widget.NewForm(
		widget.NewFormItem(lang.L("Unit"), container.NewBorder(nil, nil, nil, addUnit, f.unit)),
		widget.NewFormItem(lang.L("Template"), f.template),
		widget.NewFormItem(lang.L("Mode"), f.mode),
		widget.NewFormItem(lang.L("Inspectors"), f.inspectors),
		widget.NewFormItem(lang.L("Observed at"), f.observed),
		widget.NewFormItem(lang.L("Place"), f.place),
	)
	f.create = widget.NewButtonWithIcon(lang.L("Create and start"), theme.ConfirmIcon(), f.submit)
	f.create.Importance = widget.HighImportance
	back := widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), u.ShowHome)
	title := widget.NewLabelWithStyle(lang.L("New inspection"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.content = container.NewBorder(container.NewBorder(nil, nil, back, nil, title), nil, nil, nil,
		container.NewVScroll(container.NewVBox(form, container.NewHBox(f.create))))
	u.form = f
	u.show(screenHome, f.content)
}

// loadUnits fills the unit Select and selects selectID if given.
func (f *newInspectionForm) loadUnits(selectID string) {
	units, err := f.ui.store.Units()
	if err != nil {
		f.ui.showError(err)
	}
	f.units = units
	opts := make([]string, len(units))
	for i, u := range units {
		opts[i] = unitLabel(u)
	}
	f.unit.Options = opts
	for i, u := range units {
		if u.ID == selectID {
			f.unit.SetSelectedIndex(i)
		}
	}
	f.unit.Refresh()
}

func unitLabel(u inspect.Unit) string {
	if u.Department != "" && !strings.Contains(u.Name, u.Department) {
		return u.Department + " " + u.Name
	}
	return u.Name
}

// showAddUnit asks for a unit's name, department and roster (one person a
// line, "name, post").
func (f *newInspectionForm) showAddUnit() {
	name := widget.NewEntry()
	dept := widget.NewEntry()
	kind := widget.NewSelect(kindLabels(), nil)
	kind.SetSelectedIndex(0)
	staff := widget.NewMultiLineEntry()
	staff.SetPlaceHolder(lang.L("One person a line: name, post"))
	staff.SetMinRowsVisible(4)
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("Unit name"), name),
		widget.NewFormItem(lang.L("Department"), dept),
		widget.NewFormItem(lang.L("Kind"), kind),
		widget.NewFormItem(lang.L("Staff"), staff),
	}
	dialog.ShowForm(lang.L("Add unit"), lang.L("Add"), lang.L("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		u := inspect.Unit{Name: strings.TrimSpace(name.Text), Department: strings.TrimSpace(dept.Text),
			Kind: inspect.UnitKinds[max(0, kind.SelectedIndex())], Staff: parseStaff(staff.Text)}
		if err := f.ui.store.PutUnit(f.ui.who(), &u); err != nil {
			f.ui.showError(err)
			return
		}
		f.loadUnits(u.ID)
	}, f.ui.win)
}

// parseStaff reads "name, post" lines (Chinese or ASCII comma).
func parseStaff(text string) []inspect.StaffMember {
	var out []inspect.StaffMember
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.ReplaceAll(line, "，", ","))
		if line == "" {
			continue
		}
		name, post, _ := strings.Cut(line, ",")
		out = append(out, inspect.StaffMember{Name: strings.TrimSpace(name), Post: strings.TrimSpace(post)})
	}
	return out
}

// splitNames reads a comma- (or 、-) separated list of names.
func splitNames(s string) []string {
	s = strings.NewReplacer("，", ",", "、", ",", ";", ",", "；", ",").Replace(s)
	var out []string
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// prefillInspectors is who the form proposes: the identity first (the
// key on this laptop is theirs), with the colleagues of the last
// inspection they took part in; without an identity the last inspectors.
func prefillInspectors(me string, s *store.Store) []string {
	var last []string
	_, _ = s.Setting(settingLastInspectors, &last)
	if me == "" {
		return last
	}
	if !slices.Contains(last, me) {
		return []string{me}
	}
	return append([]string{me}, slices.DeleteFunc(slices.Clone(last), func(n string) bool { return n == me })...)
}

// submit creates the draft and opens the walk; inspectors that leave out
// the identity are asked about first (their reports could not be signed
// with the key on this laptop).
func (f *newInspectionForm) submit() {
	names := splitNames(f.inspectors.Text)
	me := f.ui.identity().Name
	if me == "" || len(names) == 0 || slices.Contains(names, me) || f.ui.desk.CanSign(&inspect.Inspection{Inspectors: names}) {
		f.createDraft()
		return
	}
	d := dialog.NewConfirm(lang.L("New inspection"),
		lang.L("You ({{.Me}}) are not among the inspectors ({{.Names}}). Only an inspector's key can sign the report, and no key on this laptop is theirs. Create it anyway?",
			map[string]any{"Me": me, "Names": strings.Join(names, lang.L(", "))}),
		func(ok bool) {
			if ok {
				f.createDraft()
			}
		}, f.ui.win)
	d.SetConfirmText(lang.L("Create anyway"))
	d.SetDismissText(lang.L("Cancel"))
	d.Show()
}

// createDraft creates the draft and opens the walk.
func (f *newInspectionForm) createDraft() {
	u := f.ui
	var unit inspect.Unit
	if i := f.unit.SelectedIndex(); i >= 0 && i < len(f.units) {
		unit = f.units[i]
	}
	var tpl *inspect.Template
	if i := f.template.SelectedIndex(); i >= 0 && i < len(f.templates) {
		tpl = &f.templates[i]
	}
	mode := inspect.ModeOpen
	if f.mode.Selected == lang.L("Covert") {
		mode = inspect.ModeCovert
	}
	observed, err := time.ParseInLocation(observedLayout, strings.TrimSpace(f.observed.Text), inspect.Zone)
	if err != nil {
		u.showError(errors.New(lang.L("Observed at must look like 2006-01-02 15:04.")))
		return
	}
	names := splitNames(f.inspectors.Text)
	now := u.store.Now()
	in, err := inspect.NewInspection("", unit, tpl, mode, names, observed, now) // the store draws its id
	if err != nil {
		u.showError(err)
		return
	}
	in.Place = strings.TrimSpace(f.place.Text)
	who := names[0]
	if err := u.store.CreateInspection(who, in); err != nil {
		u.showError(err)
		return
	}
	if err := u.store.PutSetting(who, settingLastInspectors, names); err != nil {
		u.showError(err)
	}
	u.ShowWalk(in.ID, 0)
}
