package app

import (
	"errors"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/desk"
	"mingcha/inspect"
	"mingcha/msg"
	"mingcha/sheet"
)

// The 名册 tab: the office's unit roster in and out of spreadsheets (.xlsx
// and .csv, GBK CSV from Excel included). A file with bad rows imports
// nothing; its rows are listed with their faults, and the user may choose
// to import the good rows.

type rosterTab struct {
	o       *officeScreen
	content fyne.CanvasObject

	importBtn, exportBtn *widget.Button
	status               *widget.Label
	table                *widget.Table
	header               []string
	units                []inspect.Unit

	// A file with bad rows, waiting for the user's choice.
	pending     *sheet.Roster
	pendingName string
	faults      []string
	faultList   *widget.List
	goodRows    *widget.Button
	dismiss     *widget.Button
	faultDialog dialog.Dialog
}

func newRosterTab(o *officeScreen) *rosterTab {
	r := &rosterTab{o: o}
	r.importBtn = widget.NewButtonWithIcon(lang.L("Import a roster (.xlsx, .csv)…"), theme.FolderOpenIcon(), r.chooseImport)
	r.importBtn.Importance = widget.HighImportance
	r.exportBtn = widget.NewButtonWithIcon(lang.L("Export the roster…"), theme.DocumentSaveIcon(), r.chooseExport)
	r.status = wrapped(lang.L("Columns are found by their header: 单位名称 (required), 编号, 所属部门, 单位类型, 地址, 人员名单 (王芳/科长/3号窗口；李强//4号窗口). A unit already on the roster (same 编号, or same department and name) is updated."))
	r.header = []string{lang.L("Unit"), lang.L("Department"), lang.L("Unit kind"), lang.L("Staff"), lang.L("Address"), lang.L("Unit ID")}
	r.table = widget.NewTable(r.size, func() fyne.CanvasObject {
		l := widget.NewLabel("第00号单位企业登记科")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, r.updateCell)
	r.table.ShowHeaderRow = true
	r.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	r.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(r.header) {
			o.(*widget.Label).SetText(r.header[id.Col])
		}
	}
	for i, w := range []float32{230, 150, 120, 64, 260, 150} {
		r.table.SetColumnWidth(i, w)
	}
	top := container.NewVBox(container.NewHBox(r.importBtn, r.exportBtn), r.status, widget.NewSeparator())
	r.content = container.NewBorder(top, nil, nil, nil, r.table)
	return r
}

// reload reads the roster again.
func (r *rosterTab) reload() {
	units, err := r.o.ui.store.Units()
	if err != nil {
		r.o.ui.showError(err)
		return
	}
	r.units = units
	r.table.Refresh()
}

func (r *rosterTab) size() (int, int) { return len(r.units), len(r.header) }

func (r *rosterTab) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row >= len(r.units) {
		l.SetText("")
		return
	}
	u := &r.units[id.Row]
	switch id.Col {
	case 0:
		l.SetText(u.Name)
	case 1:
		l.SetText(u.Department)
	case 2:
		l.SetText(kindText(u.Kind))
	case 3:
		l.SetText(strconv.Itoa(len(u.Staff)))
	case 4:
		l.SetText(u.Address)
	case 5:
		l.SetText(u.ID)
	}
}

func (r *rosterTab) chooseImport() {
	r.o.openFile([]string{".xlsx", ".csv", ".txt", ".XLSX", ".CSV"}, sheet.MaxFileSize, r.importRoster)
}

// importRoster reads a roster file. Without bad rows it is stored at once;
// otherwise nothing is stored and the bad rows are listed, with the choice
// to import the good ones.
func (r *rosterTab) importRoster(name string, data []byte) {
	ro, err := desk.ReadRoster(name, data)
	if err != nil {
		if errors.Is(err, sheet.ErrNoHeader) {
			err = errors.New(lang.L("{{.Name}} has no header row with a 单位名称 (unit name) column; nothing was imported.", map[string]any{"Name": name}))
		}
		r.o.ui.showError(err)
		return
	}
	r.store(name, ro, false)
}

// rowFault is a bad row's message in the user's language.
func rowFault(e sheet.RowError) string {
	return msg.Row(e.Key, e.Message, e.Params)
}

// showFaults lists the pending file's bad rows in a dialog.
func (r *rosterTab) showFaults() {
	ro := r.pending
	r.faults = make([]string, len(ro.Errors))
	for i, e := range ro.Errors {
		r.faults[i] = rowFault(e)
	}
	r.faultList = widget.NewList(func() int { return len(r.faults) }, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(r.faults) {
			o.(*widget.Label).SetText(r.faults[i])
		}
	})
	head := wrapped(lang.L("{{.Name}} has {{.Bad}} bad rows and {{.Good}} good ones. Nothing has been imported. Correct the file and import it again, or import only the good rows.",
		map[string]any{"Name": r.pendingName, "Bad": len(ro.Errors), "Good": len(ro.Units)}))
	r.goodRows = widget.NewButtonWithIcon(lang.L("Import the {{.Count}} good rows", map[string]any{"Count": len(ro.Units)}), theme.ConfirmIcon(), r.importGood)
	r.goodRows.Importance = widget.HighImportance
	if len(ro.Units) == 0 {
		r.goodRows.Disable()
	}
	r.dismiss = widget.NewButtonWithIcon(lang.L("Import nothing"), theme.CancelIcon(), r.dropPending)
	body := container.NewBorder(head, container.NewHBox(layout.NewSpacer(), r.dismiss, r.goodRows), nil, nil, r.faultList)
	r.faultDialog = dialog.NewCustomWithoutButtons(lang.L("Roster not imported"), body, r.o.ui.win)
	r.faultDialog.Resize(fyne.NewSize(760, 480))
	r.faultDialog.Show()
}

// importGood stores the good rows of the pending file.
func (r *rosterTab) importGood() {
	if r.pending == nil {
		return
	}
	ro, name := r.pending, r.pendingName
	r.dropPending()
	r.store(name, ro, true)
}

func (r *rosterTab) dropPending() {
	r.pending = nil
	if r.faultDialog != nil {
		r.faultDialog.Hide()
		r.faultDialog = nil
	}
}

// store saves the units of ro in one transaction (desk.ImportRoster): a
// roster with bad rows is stored only when goodRows; otherwise nothing is
// stored and the bad rows are listed, with the choice to import the good
// ones.
func (r *rosterTab) store(name string, ro *sheet.Roster, goodRows bool) {
	res, err := r.o.ui.desk.ImportRoster(r.o.ui.who(), ro, goodRows)
	var bad *desk.BadRowsError
	switch {
	case errors.As(err, &bad):
		r.pending, r.pendingName = ro, name
		r.showFaults()
		return
	case errors.Is(err, desk.ErrNoUnits):
		r.o.ui.showError(errors.New(lang.L("{{.Name}} has no unit to import.", map[string]any{"Name": name})))
		return
	case err != nil:
		r.o.ui.showError(err)
		return
	}
	text := lang.L("{{.Name}} ({{.Encoding}}): {{.Count}} units, {{.New}} new, {{.Updated}} updated, {{.Same}} unchanged.",
		map[string]any{"Name": name, "Encoding": ro.Encoding, "Count": len(ro.Units), "New": res.Created, "Updated": res.Updated, "Same": res.Unchanged})
	if res.LeftOut > 0 {
		text += " " + msg.Plural(res.LeftOut, lang.L("1 bad row was left out."), lang.L("{{.Count}} bad rows were left out.", map[string]any{"Count": res.LeftOut}))
	}
	r.status.SetText(text)
	r.reload()
}

func (r *rosterTab) chooseExport() {
	r.o.saveAs(lang.L("Unit roster")+".xlsx", []string{".xlsx", ".csv"}, r.export)
}

// export writes the roster to path: CSV (UTF-8 with a BOM) for a .csv
// name, else .xlsx.
func (r *rosterTab) export(path string) {
	path, n, err := r.o.ui.desk.ExportRoster(path, true, true)
	if err != nil {
		r.o.ui.showError(err)
		return
	}
	r.status.SetText(lang.L("{{.Count}} units saved to {{.Path}}", map[string]any{"Count": n, "Path": path}))
}
