package app

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/inspect"
	"mingcha/office"
)

// The 抽签 tab: draw N units of the roster at random for the next round of
// 暗访. The seed is shown and can be typed in again: the same seed, filter
// and roster draw the same units, so anyone can check a draw. Every draw is
// recorded (seed, candidates, result) in the database and the audit log,
// and the task list goes to the inspectors as .xlsx or .csv.

type drawTab struct {
	o       *officeScreen
	content fyne.CanvasObject

	n                *widget.Entry
	department, kind *widget.Select
	departments      []string
	seed             *widget.Entry
	newSeed          *widget.Button
	drawBtn, export  *widget.Button
	earlier          *widget.Select
	draws            []inspect.Draw // recorded, newest first
	status           *widget.Label
	table            *widget.Table
	header           []string
	last             *inspect.Draw
}

func newDrawTab(o *officeScreen) *drawTab {
	d := &drawTab{o: o}
	d.n = widget.NewEntry()
	d.n.SetText("5")
	all := lang.L("All")
	d.department = widget.NewSelect([]string{all}, nil)
	kinds := []string{all}
	for _, k := range inspect.UnitKinds {
		kinds = append(kinds, kindText(k))
	}
	d.kind = widget.NewSelect(kinds, nil)
	d.department.SetSelectedIndex(0)
	d.kind.SetSelectedIndex(0)
	d.seed = widget.NewEntry()
	d.seed.SetPlaceHolder(lang.L("Empty: a new random seed"))
	d.newSeed = widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() { d.seed.SetText("") })
	d.drawBtn = widget.NewButtonWithIcon(lang.L("Draw"), theme.MediaPlayIcon(), d.doDraw)
	d.drawBtn.Importance = widget.HighImportance
	d.export = widget.NewButtonWithIcon(lang.L("Export the task list…"), theme.DocumentSaveIcon(), d.chooseFile)
	d.export.Disable()
	d.earlier = widget.NewSelect(nil, func(string) { d.showEarlier() })
	d.earlier.PlaceHolder = lang.L("Earlier draws")
	d.status = wrapped(lang.L("Draw units of the roster at random for 暗访. The seed is recorded: the same seed, filter and roster draw the same units, so anyone can check the draw."))

	d.header = []string{lang.L("No."), lang.L("Unit"), lang.L("Department"), lang.L("Unit kind"), lang.L("Address"), lang.L("Lot")}
	d.table = widget.NewTable(d.size, func() fyne.CanvasObject {
		l := widget.NewLabel("第00号单位企业登记科")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, d.updateCell)
	d.table.ShowHeaderRow = true
	d.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	d.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(d.header) {
			o.(*widget.Label).SetText(d.header[id.Col])
		}
	}
	for i, w := range []float32{56, 220, 150, 120, 250, 170} {
		d.table.SetColumnWidth(i, w)
	}

	row1 := container.NewHBox(widget.NewLabel(lang.L("How many")), sized(d.n, 64),
		widget.NewLabel(lang.L("Department")), d.department, widget.NewLabel(lang.L("Unit kind")), d.kind)
	row2 := container.NewBorder(nil, nil, widget.NewLabel(lang.L("Seed")),
		container.NewHBox(d.newSeed, d.drawBtn, d.export, sized(d.earlier, 260)), d.seed)
	d.content = container.NewBorder(container.NewVBox(row1, row2, d.status, widget.NewSeparator()), nil, nil, nil, d.table)
	return d
}

// reload offers the roster's departments and the recorded draws.
func (d *drawTab) reload() {
	units, err := d.o.ui.store.Units()
	if err != nil {
		d.o.ui.showError(err)
		return
	}
	seen := map[string]bool{}
	d.departments = d.departments[:0]
	for _, u := range units {
		if u.Department != "" && !seen[u.Department] {
			seen[u.Department] = true
			d.departments = append(d.departments, u.Department)
		}
	}
	sort.Strings(d.departments)
	chosen := d.department.Selected
	d.department.Options = append([]string{lang.L("All")}, d.departments...)
	if !slices.Contains(d.department.Options, chosen) {
		d.department.SetSelectedIndex(0)
	}
	d.department.Refresh()
	d.loadDraws()
}

func (d *drawTab) loadDraws() {
	draws, err := d.o.ui.store.Draws()
	if err != nil {
		d.o.ui.showError(err)
		return
	}
	slices.Reverse(draws)
	d.draws = draws
	opts := make([]string, len(draws))
	for i, dr := range draws {
		opts[i] = lang.L("No. {{.Seq}} · {{.Date}} · seed {{.Seed}}", map[string]any{"Seq": dr.Seq, "Date": inspect.FormatTime(dr.At), "Seed": dr.Seed})
	}
	d.earlier.Options = opts
	d.earlier.ClearSelected()
	d.earlier.Refresh()
}

// filter is the draw's filter from the selects.
func (d *drawTab) filter() inspect.DrawFilter {
	var f inspect.DrawFilter
	if i := d.department.SelectedIndex(); i > 0 && i-1 < len(d.departments) {
		f.Department = d.departments[i-1]
	}
	if i := d.kind.SelectedIndex(); i > 0 {
		f.Kind = inspect.UnitKinds[i-1]
	}
	return f
}

// doDraw draws with the seed typed in (or a new one), records the draw and
// shows it, saying whether an earlier draw with the same seed and filter
// drew the same units.
func (d *drawTab) doDraw() {
	n, err := strconv.Atoi(strings.TrimSpace(d.n.Text))
	if err != nil || n < 1 {
		d.o.ui.showError(errors.New(lang.L("Draw at least one unit: type a number.")))
		return
	}
	dr, err := d.o.off.Draw(d.o.ui.who(), d.filter(), n, d.seed.Text, 0)
	if err != nil {
		d.o.ui.showError(err)
		return
	}
	d.seed.SetText(dr.Seed)
	d.show(dr)
	msg := lang.L("Draw No. {{.Seq}}: {{.Drawn}} of {{.Candidates}} units, seed {{.Seed}}. Recorded in the audit log.",
		map[string]any{"Seq": dr.Seq, "Drawn": len(dr.Drawn), "Candidates": len(dr.Candidates), "Seed": dr.Seed})
	if r, err := d.o.off.Repeats(dr); err != nil {
		d.o.ui.showError(err)
	} else if r != nil {
		msg += " " + repeatText(r)
	}
	d.status.SetText(msg)
	d.loadDraws()
}

// repeatText says what a draw's repeat of an earlier one found.
func repeatText(r *office.DrawRepeat) string {
	if r.SameUnits {
		return lang.L("The same units as draw No. {{.Seq}} with this seed.", map[string]any{"Seq": r.Earlier.Seq})
	}
	return lang.L("Other units than draw No. {{.Seq}} with this seed: the roster has changed since.", map[string]any{"Seq": r.Earlier.Seq})
}

// showEarlier shows a recorded draw and puts its seed, number and filter
// in the form, so that Draw repeats it.
func (d *drawTab) showEarlier() {
	i := d.earlier.SelectedIndex()
	if i < 0 || i >= len(d.draws) {
		return
	}
	dr := d.draws[i]
	d.n.SetText(strconv.Itoa(dr.N))
	d.seed.SetText(dr.Seed)
	d.department.SetSelectedIndex(0)
	if j := slices.Index(d.departments, dr.Filter.Department); j >= 0 {
		d.department.SetSelectedIndex(j + 1)
	}
	d.kind.SetSelectedIndex(0)
	if j := slices.Index(inspect.UnitKinds, dr.Filter.Kind); j >= 0 {
		d.kind.SetSelectedIndex(j + 1)
	}
	d.show(&dr)
	d.status.SetText(lang.L("Draw No. {{.Seq}} of {{.Date}} by {{.By}}: {{.Drawn}} of {{.Candidates}} units, seed {{.Seed}}. Draw again to check it.",
		map[string]any{"Seq": dr.Seq, "Date": inspect.FormatTime(dr.At), "By": dr.By, "Drawn": len(dr.Drawn), "Candidates": len(dr.Candidates), "Seed": dr.Seed}))
}

func (d *drawTab) show(dr *inspect.Draw) {
	d.last = dr
	d.export.Enable()
	d.table.Refresh()
	d.table.ScrollToTop()
}

func (d *drawTab) size() (int, int) {
	if d.last == nil {
		return 0, len(d.header)
	}
	return len(d.last.Drawn), len(d.header)
}

func (d *drawTab) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if d.last == nil || id.Row >= len(d.last.Drawn) {
		l.SetText("")
		return
	}
	u := d.last.Drawn[id.Row]
	switch id.Col {
	case 0:
		l.SetText(strconv.Itoa(u.Order))
	case 1:
		l.SetText(u.Name)
	case 2:
		l.SetText(u.Department)
	case 3:
		l.SetText(kindText(u.Kind))
	case 4:
		l.SetText(u.Address)
	case 5:
		l.SetText(u.Lot)
	}
}

// chooseFile asks where to save the task list (.xlsx, or .csv by name).
func (d *drawTab) chooseFile() {
	if d.last == nil {
		return
	}
	name := fmt.Sprintf("%s-%s.xlsx", lang.L("Covert inspection tasks"), d.last.At.Local().Format("20060102"))
	d.o.saveAs(name, []string{".xlsx", ".csv"}, d.writeTasks)
}

// writeTasks writes the shown draw's task list to path: CSV (UTF-8 with a
// BOM, as Excel and WPS open it) for a .csv name, else .xlsx.
func (d *drawTab) writeTasks(path string) {
	if d.last == nil {
		return
	}
	if office.TaskFormat(path) == "" {
		path += ".xlsx"
	}
	if err := d.o.off.WriteTaskList(d.last, path, true); err != nil { // the save dialog asked
		d.o.ui.showError(err)
		return
	}
	d.status.SetText(lang.L("Task list of draw No. {{.Seq}} saved to {{.Path}}", map[string]any{"Seq": d.last.Seq, "Path": path}))
}
