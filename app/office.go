package app

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/inspect"
	"mingcha/msg"
	"mingcha/office"
	"mingcha/store"
)

// The 效能办 screen: import signed reports (with progress and cancel), the
// overview of a period (ranking, problems by category), and the 整改 list
// with overdue problems highlighted. It is a section of the navigation bar
// (NavSections, appended below).

const screenOffice = "office"

func init() {
	NavSections = append(NavSections, NavSection{
		Name:  screenOffice,
		Label: func() string { return lang.L("Efficiency office") },
		Icon:  theme.StorageIcon,
		Show:  (*UI).ShowOffice,
	})
}

// officeScreens remembers the screen shown in each window, for the drop
// handler and tests; the UI struct belongs to the screens it was built with.
var officeScreens sync.Map // *UI → *officeScreen

// ShowOffice shows the 效能办 screen.
func (u *UI) ShowOffice() {
	u.leave()
	s := newOfficeScreen(u)
	officeScreens.Store(u, s)
	watchTheme(u)
	u.guard = s
	u.show(screenOffice, s.content)
	u.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) { s.dropped(uris) })
	u.remember(screenOffice, "")
}

// OfficeScreen builds the 效能办 screen's content for u, for a caller that
// places it itself.
func OfficeScreen(u *UI) fyne.CanvasObject { return newOfficeScreen(u).content }

type officeScreen struct {
	ui      *UI
	content fyne.CanvasObject
	tabs    *container.AppTabs
	now     func() time.Time
	off     *office.Office
	// verify, when set, checks imported reports instead of the office's
	// verifier (a test holds a file in the middle of an import).
	verify  store.ReportVerifier
	running sync.WaitGroup // background work: an import, a file being written

	// import
	chooseFolder, chooseFile, cancel *widget.Button
	progress                         *widget.ProgressBar
	importStatus                     *widget.Label
	importList                       *widget.List
	results                          []store.ImportResult
	stop                             context.CancelFunc

	// overview
	preset                 *widget.Select
	from, to               *widget.Entry
	department, kind, mode *widget.Select
	departments            []string
	refresh, exportResults *widget.Button
	totals, compare        *widget.Label
	ranking                *widget.Table
	categories             *fyne.Container // a row per category: headline and count, then the units
	charts                 *fyne.Container // ranking, categories, trend
	chartGen               int             // the overview whose charts are being drawn
	chartFilter            inspect.Filter  // the period and filters of the charts shown (redrawn in a new theme)
	workload               *widget.Label
	overview               *inspect.Overview
	overviewErr            *widget.Label
	rankingHeader          []string

	// 整改
	problemFilter                 *widget.Select
	problemList                   *widget.List
	problems                      []store.OfficeProblem
	selected                      int
	note                          *widget.Entry
	rectify, verifyFix, reopenBtn *widget.Button
	unitHistory                   *widget.Button
	problemStatus                 *widget.Label
	actions                       *rectifyActions // 整改报告, 延期, 通知书, 催办, bulk (office_rectify.go)

	// The other tabs, each in its own file.
	history  *historyTab
	bulletin *bulletinTab
	draw     *drawTab
	roster   *rosterTab
	editor   *templateEditor
}

// The tabs of the screen, in order.
const (
	tabImport = iota
	tabOverview
	tabProblems
	tabHistory
	tabBulletin
	tabDraw
	tabRoster
	tabTemplates
)

func newOfficeScreen(u *UI) *officeScreen {
	s := &officeScreen{ui: u, now: u.Now, selected: -1}
	if s.now == nil {
		s.now = time.Now
	}
	// The office's use cases on the window's clock (tests fix it).
	s.off = u.office.On(u.store)
	s.off.Now = s.now
	s.history = newHistoryTab(s)
	s.bulletin = newBulletinTab(s)
	s.draw = newDrawTab(s)
	s.roster = newRosterTab(s)
	s.editor = newTemplateEditor(s)
	s.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("Import reports"), theme.DownloadIcon(), s.buildImport()),
		container.NewTabItemWithIcon(lang.L("Overview"), theme.GridIcon(), s.buildOverview()),
		container.NewTabItemWithIcon(lang.L("Rectification"), theme.ConfirmIcon(), s.buildProblems()),
		container.NewTabItemWithIcon(lang.L("Unit history"), theme.HistoryIcon(), s.history.content),
		container.NewTabItemWithIcon(lang.L("Bulletin"), theme.DocumentIcon(), s.bulletin.content),
		container.NewTabItemWithIcon(lang.L("Draw"), theme.ListIcon(), s.draw.content),
		container.NewTabItemWithIcon(lang.L("Roster"), theme.AccountIcon(), s.roster.content),
		container.NewTabItemWithIcon(lang.L("Edit templates"), theme.DocumentCreateIcon(), s.editor.content),
	)
	// The other tabs read the store when they are first shown.
	s.tabs.OnSelected = func(*container.TabItem) { s.tabShown(s.tabs.SelectedIndex()) }
	s.content = s.tabs
	s.reloadOverview()
	s.reloadProblems()
	return s
}

// canLeave asks about unsaved changes of the template editor.
func (s *officeScreen) canLeave(proceed func()) bool { return s.editor.canLeave(proceed) }

// tabShown loads what tab i shows.
func (s *officeScreen) tabShown(i int) {
	switch i {
	case tabHistory:
		s.history.reload()
	case tabDraw:
		s.draw.reload()
	case tabRoster:
		s.roster.reload()
	case tabTemplates:
		s.editor.reload()
	}
}

// saveAs asks where to save a file (name suggested, exts offered) and
// calls write with the path chosen.
// Our own dialog (app/filepick.go): Chinese words, the export folder
// remembered, and nothing created before write.
func (s *officeScreen) saveAs(name string, exts []string, write func(path string)) {
	s.ui.pickSave(purposeExport, name, exts, func(path string, _ bool) { write(path) })
}

// openFile asks for a file (exts offered) and calls read with its name and
// at most limit bytes of it (a larger file is refused).
func (s *officeScreen) openFile(exts []string, limit int64, read func(name string, data []byte)) {
	s.ui.pickFile(purposeImport, exts, func(path string) {
		data, err := readLimited(path, limit)
		if err != nil {
			s.ui.showError(err)
			return
		}
		read(filepath.Base(path), data)
	})
}

// background runs work off the UI goroutine behind a progress dialog, then
// done with its error on the UI goroutine (running counts it).
func (s *officeScreen) background(title string, work func() error, done func(error)) {
	progress := dialog.NewCustomWithoutButtons(title, widget.NewProgressBarInfinite(), s.ui.win)
	progress.Show()
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		err := work()
		s.ui.post(func() {
			progress.Hide()
			done(err)
		})
	}()
}

// writeFile writes data to path durably (temp file, fsync, rename), never
// over the database, its backups, stores or a key file. The save dialog
// asked before replacing an existing file.
func writeFile(st *store.Store, path string, data []byte) error {
	if err := st.WriteOutput(path, data, true); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// ---- import ----

func (s *officeScreen) buildImport() fyne.CanvasObject {
	s.chooseFolder = widget.NewButtonWithIcon(lang.L("Import a folder…"), theme.FolderOpenIcon(), s.pickFolder)
	s.chooseFolder.Importance = widget.HighImportance
	s.chooseFile = widget.NewButtonWithIcon(lang.L("Import a file…"), theme.FileIcon(), s.pickFile)
	s.cancel = widget.NewButtonWithIcon(lang.L("Cancel import"), theme.CancelIcon(), s.cancelImport)
	s.cancel.Disable()
	s.progress = widget.NewProgressBar()
	s.importStatus = wrapped(lang.L("Drop signed PDF reports or folders onto the window, or choose them. Each file is verified; a rejected file is listed with the reason and nothing from it is stored."))
	s.importList = widget.NewList(func() int { return len(s.results) }, s.createImportRow, s.updateImportRow)
	top := container.NewVBox(
		container.NewHBox(s.chooseFolder, s.chooseFile, s.cancel),
		s.progress, s.importStatus, widget.NewSeparator())
	return container.NewBorder(top, nil, nil, nil, s.importList)
}

func (s *officeScreen) createImportRow() fyne.CanvasObject {
	outcome := widget.NewLabel(lang.L("Duplicate"))
	file := widget.NewLabel("")
	file.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, outcome, nil, container.NewVBox(file, detail))
}

func (s *officeScreen) updateImportRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(s.results) {
		return
	}
	r := s.results[i]
	box := o.(*fyne.Container)
	texts := box.Objects[0].(*fyne.Container)
	outcome := box.Objects[1].(*widget.Label)
	file, detail := texts.Objects[0].(*widget.Label), texts.Objects[1].(*widget.Label)
	file.SetText(r.Path)
	switch r.Outcome {
	case store.ImportAccepted:
		outcome.SetText(lang.L("Accepted"))
		outcome.Importance = widget.SuccessImportance
		detail.SetText(fmt.Sprintf("%s · %s · %.2f · %s", r.ReportID, r.Unit, r.Score, r.Signer))
	case store.ImportDuplicate:
		outcome.SetText(lang.L("Duplicate"))
		outcome.Importance = widget.MediumImportance
		detail.SetText(msg.ImportReason(r))
	case store.ImportRejected:
		outcome.SetText(lang.L("Rejected"))
		outcome.Importance = widget.DangerImportance
		detail.SetText(msg.ImportReason(r))
	default:
		outcome.SetText(lang.L("Not imported"))
		outcome.Importance = widget.WarningImportance
		detail.SetText(msg.ImportReason(r))
	}
	outcome.Refresh()
}

func (s *officeScreen) pickFolder() {
	s.ui.pickFolderFor(purposeImport, func(dir string) { s.startImport([]string{dir}) })
}

func (s *officeScreen) pickFile() {
	s.ui.pickFile(purposeImport, []string{".pdf"}, func(path string) { s.startImport([]string{path}) })
}

func (s *officeScreen) dropped(uris []fyne.URI) {
	var paths []string
	for _, u := range uris {
		if u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	if len(paths) > 0 {
		s.startImport(paths)
	}
}

// startImport imports paths in the background; the progress bar and list
// follow each file, Cancel stops between two files.
func (s *officeScreen) startImport(paths []string) {
	if s.stop != nil {
		return // one import at a time
	}
	verify, err := s.verify, error(nil)
	if verify == nil {
		verify, err = s.off.Verifier()
	}
	if err != nil {
		s.ui.showError(err)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	s.results = nil
	s.importList.Refresh()
	s.progress.SetValue(0)
	s.importStatus.SetText(lang.L("Importing…"))
	s.cancel.Enable()
	s.chooseFolder.Disable()
	s.chooseFile.Disable()
	who, off := s.ui.who(), s.off
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		sum, err := off.Import(ctx, who, paths, verify, func(p store.ImportProgress) {
			s.ui.post(func() {
				s.results = append(s.results, p.Last)
				s.progress.SetValue(float64(p.Done) / float64(max(p.Total, 1)))
				s.importStatus.SetText(lang.L("{{.Done}} of {{.Total}} files", map[string]any{"Done": p.Done, "Total": p.Total}))
				s.importList.Refresh()
			})
		})
		cancel()
		s.ui.post(func() { s.importDone(sum, err) })
	}()
}

func (s *officeScreen) importDone(sum store.ImportSummary, err error) {
	s.stop = nil
	s.cancel.Disable()
	s.chooseFolder.Enable()
	s.chooseFile.Enable()
	if err != nil {
		s.importStatus.SetText(msg.Of(err))
		s.importStatus.Importance = widget.DangerImportance
		s.importStatus.Refresh()
		return
	}
	s.results = sum.Files
	s.importList.Refresh()
	msg := lang.L("{{.Accepted}} accepted, {{.Duplicates}} duplicates, {{.Rejected}} rejected",
		map[string]any{"Accepted": sum.Accepted, "Duplicates": sum.Duplicates, "Rejected": sum.Rejected})
	if sum.Cancelled {
		msg += lang.L("; cancelled: {{.Skipped}} files not imported", map[string]any{"Skipped": sum.Skipped})
	}
	if len(sum.Files) == 0 {
		msg = lang.L("No PDF file was found.")
	}
	s.importStatus.SetText(msg)
	s.importStatus.Importance = widget.MediumImportance
	if sum.Rejected > 0 {
		s.importStatus.Importance = widget.WarningImportance
	}
	s.importStatus.Refresh()
	s.reloadOverview()
	s.reloadProblems()
}

func (s *officeScreen) cancelImport() {
	if s.stop != nil {
		s.stop()
		s.cancel.Disable()
		s.importStatus.SetText(lang.L("Cancelling after the current file…"))
	}
}

// ---- overview ----

func (s *officeScreen) buildOverview() fyne.CanvasObject {
	// The last month that has reports (QA: the current month is often
	// still empty), else the current month.
	first, last := presetRange(int(inspect.ThisMonth), s.off.LastReported(s.now()))
	s.from = widget.NewEntry()
	s.from.SetText(inspect.FormatDate(first))
	s.to = widget.NewEntry()
	s.to.SetText(inspect.FormatDate(last))
	s.preset = widget.NewSelect(periodPresets()[:5], func(string) { s.applyPreset() })
	s.preset.PlaceHolder = lang.L("Period")
	all := lang.L("All")
	s.department = widget.NewSelect([]string{all}, func(string) { s.reloadOverview() })
	kinds := []string{all}
	for _, k := range inspect.UnitKinds {
		kinds = append(kinds, kindText(k))
	}
	s.kind = widget.NewSelect(kinds, func(string) { s.reloadOverview() })
	s.mode = widget.NewSelect([]string{all, lang.L("Open (mode)"), lang.L("Covert")}, func(string) { s.reloadOverview() })
	s.refresh = widget.NewButtonWithIcon(lang.L("Show"), theme.ViewRefreshIcon(), s.reloadOverview)
	s.totals = wrapped("")
	s.compare = wrapped("")
	s.overviewErr = widget.NewLabel("")
	s.overviewErr.Importance = widget.DangerImportance
	s.overviewErr.Hide()
	s.categories = container.NewVBox()
	s.charts = container.NewVBox()
	s.workload = wrapped("")
	// 所属部门 last: where the pane is narrower than the table (1008–1100 px
	// windows), what is cut off is the department, not the rating.
	s.rankingHeader = []string{lang.L("Rank"), lang.L("Unit"), lang.L("Score"), lang.L("Rating"), lang.L("Mode"), lang.L("Department")}
	s.ranking = widget.NewTable(s.rankingSize, func() fyne.CanvasObject {
		l := widget.NewLabel("第00号单位企业登记科")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, s.updateRankingCell)
	s.ranking.ShowHeaderRow = true
	s.ranking.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.ranking.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(s.rankingHeader) {
			o.(*widget.Label).SetText(s.rankingHeader[id.Col])
		}
	}
	s.fitRankingColumns()
	s.department.SetSelectedIndex(0)
	s.kind.SetSelectedIndex(0)
	s.mode.SetSelectedIndex(0)

	// Two rows, so that the English labels fit 1024 px too.
	form := container.NewVBox(
		container.NewHBox(s.preset, widget.NewLabel(lang.L("From")), sized(s.from, 120), widget.NewLabel(lang.L("To")), sized(s.to, 120), s.refresh),
		container.NewHBox(widget.NewLabel(lang.L("Department")), s.department, widget.NewLabel(lang.L("Unit kind")), s.kind,
			widget.NewLabel(lang.L("Mode")), s.mode))
	side := container.NewVScroll(container.NewVBox(s.charts, heading(lang.L("Main problems")), s.categories,
		heading(lang.L("Inspectors' workload")), s.workload))
	s.exportResults = widget.NewButtonWithIcon(lang.L("Export results (.xlsx)…"), theme.DocumentSaveIcon(), s.chooseResultsFile)
	rankingHead := container.NewBorder(nil, nil, heading(lang.L("Ranking")), s.exportResults)
	split := container.NewHSplit(container.NewBorder(rankingHead, nil, nil, nil, s.ranking), side)
	split.Offset = 0.6
	return container.NewBorder(container.NewVBox(form, s.overviewErr, s.totals, s.compare), nil, nil, nil, split)
}

// applyPreset shows the preset period chosen (本月, 上月, 本季度, 上季度, 本年).
func (s *officeScreen) applyPreset() {
	i := s.preset.SelectedIndex()
	if i < 0 {
		return
	}
	from, to := presetRange(i, s.now())
	s.from.SetText(inspect.FormatDate(from))
	s.to.SetText(inspect.FormatDate(to))
	s.reloadOverview()
}

// fitRankingColumns makes each column of the ranking as wide as its widest
// text (QA: names were cut off), within bounds.
func (s *officeScreen) fitRankingColumns() {
	for col, w := range s.rankingWidths() {
		s.ranking.SetColumnWidth(col, w)
	}
}

// rankingWidths are the ranking's column widths: the widest text of each
// column and the label's inset, at most a bound per column.
func (s *officeScreen) rankingWidths() []float32 {
	size, style := theme.TextSize(), fyne.TextStyle{}
	pad := 2*theme.InnerPadding() + 2*theme.Padding() // the label's inset on both sides, and a little air
	limits := []float32{70, 360, 220, 220, 90, 260}   // 得分 holds "87.76（回访86.03）"
	widths := make([]float32, len(s.rankingHeader))
	for col := range s.rankingHeader {
		w := fyne.MeasureText(s.rankingHeader[col], size, fyne.TextStyle{Bold: true}).Width
		if s.overview != nil {
			for row := range s.overview.Ranking {
				w = max(w, fyne.MeasureText(s.rankingText(row, col), size, style).Width)
			}
		}
		widths[col] = min(w+pad, limits[col])
	}
	return widths
}

// sized keeps an entry at least w wide inside an HBox.
func sized(o fyne.CanvasObject, w float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
}

func (s *officeScreen) filter() (inspect.Filter, error) {
	var f inspect.Filter
	var err error
	if f.From, f.To, err = inspect.ParseRange(s.from.Text, s.to.Text); err != nil {
		return f, periodError(err)
	}
	if i := s.department.SelectedIndex(); i > 0 && i-1 < len(s.departments) {
		f.Department = s.departments[i-1]
	}
	if i := s.kind.SelectedIndex(); i > 0 {
		f.Kind = inspect.UnitKinds[i-1]
	}
	switch s.mode.SelectedIndex() {
	case 1:
		f.Mode = inspect.ModeOpen
	case 2:
		f.Mode = inspect.ModeCovert
	}
	return f, nil
}

func (s *officeScreen) reloadOverview() {
	if s.totals == nil || s.refresh == nil {
		return // still being built
	}
	f, err := s.filter()
	if err != nil {
		s.overviewErr.SetText(err.Error())
		s.overviewErr.Show()
		return
	}
	s.overviewErr.Hide()
	o, err := s.off.Overview(f)
	if err != nil {
		s.overviewErr.SetText(msg.Of(err))
		s.overviewErr.Show()
		return
	}
	s.overview = o
	s.updateDepartments()
	t := o.Totals
	var ratings []string
	for _, r := range o.Ratings {
		ratings = append(ratings, lang.L("{{.Rating}} {{.Units}}", map[string]any{"Rating": msg.Rating(r.Rating), "Units": r.Units}))
	}
	s.totals.SetText(lang.L("{{.Inspections}} inspections of {{.Units}} units (open {{.Open}}, covert {{.Covert}}), average {{.Average}}; {{.Problems}} problems, {{.Repeats}} repeated; ratings: {{.Ratings}}",
		map[string]any{
			"Inspections": t.Inspections, "Units": t.Units, "Open": t.Open, "Covert": t.Covert,
			"Average": fmt.Sprintf("%.2f", t.Average), "Problems": t.Problems, "Repeats": t.Repeats, "Ratings": strings.Join(ratings, lang.L(", ")),
		}))
	s.compare.SetText(msg.Comparison(o))
	s.categories.Objects = nil
	for _, c := range o.Categories {
		var names []string
		for _, u := range c.Named {
			names = append(names, u.UnitName)
		}
		// The count stays with its headline (QA: "7" wrapped onto its own line).
		head := widget.NewLabelWithStyle(lang.L("{{.Category}} at {{.Units}} units ({{.Count}} problems)", map[string]any{"Category": c.Category, "Units": c.Units, "Count": c.Problems}),
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		head.Wrapping = fyne.TextWrapBreak
		units := widget.NewLabel(strings.Join(names, lang.L(", ")))
		units.Wrapping = fyne.TextWrapBreak
		s.categories.Add(container.NewVBox(head, units))
	}
	if len(o.Categories) == 0 {
		s.categories.Add(widget.NewLabel(lang.L("No problems in this period.")))
	}
	s.categories.Refresh()
	s.showCharts(f)
	var loads []string
	for _, l := range o.Workload {
		loads = append(loads, lang.L("{{.Name}}: {{.Inspections}} inspections, {{.Units}} units, {{.Problems}} problems",
			map[string]any{"Name": l.Inspector, "Inspections": l.Inspections, "Units": l.Units, "Problems": l.Problems}))
	}
	s.workload.SetText(strings.Join(loads, "\n"))
	s.fitRankingColumns()
	s.ranking.Refresh()
}

// updateDepartments offers the departments of the office's reports.
func (s *officeScreen) updateDepartments() {
	if s.overview == nil || s.department.SelectedIndex() > 0 {
		return
	}
	reps, err := s.ui.store.OfficeReports(inspect.Filter{}, false)
	if err != nil {
		return
	}
	seen := map[string]bool{}
	var depts []string
	for _, r := range reps {
		if r.Department != "" && !seen[r.Department] {
			seen[r.Department] = true
			depts = append(depts, r.Department)
		}
	}
	sort.Strings(depts)
	s.departments = depts
	s.department.Options = append([]string{lang.L("All")}, depts...)
}

func (s *officeScreen) rankingSize() (int, int) {
	if s.overview == nil {
		return 0, len(s.rankingHeader)
	}
	return len(s.overview.Ranking), len(s.rankingHeader)
}

func (s *officeScreen) updateRankingCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if s.overview == nil || id.Row >= len(s.overview.Ranking) {
		l.SetText("")
		return
	}
	r := s.overview.Ranking[id.Row]
	l.Importance = widget.MediumImportance
	if id.Col == 3 && r.Veto {
		l.Importance = widget.DangerImportance
	}
	l.SetText(s.rankingText(id.Row, id.Col))
	l.Refresh()
}

// scoreText is a score to two decimals at most (66.67, 90, 92.5).
func scoreText(f float64) string { return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64) }

// rankingText is the text of a cell of the ranking.
func (s *officeScreen) rankingText(row, col int) string {
	r := s.overview.Ranking[row]
	switch col {
	case 0:
		return fmt.Sprint(r.Rank)
	case 1:
		return r.UnitName
	case 2:
		text := scoreText(r.Score)
		if r.LaterScore != nil {
			text += lang.L(" (回访 {{.Score}})", map[string]any{"Score": scoreText(*r.LaterScore)})
		}
		return text
	case 3:
		if r.Veto {
			return msg.Rating(r.Rating) + lang.L(" (veto)")
		}
		return msg.Rating(r.Rating)
	case 4:
		return modeText(r.Mode)
	case 5:
		return r.Department
	}
	return ""
}

// chooseResultsFile asks where to save the workbook of the period shown.
func (s *officeScreen) chooseResultsFile() {
	f, err := s.filter()
	if err != nil {
		s.ui.showError(err)
		return
	}
	name := fmt.Sprintf("%s-%s-%s.xlsx", lang.L("Results"), f.From.Format("20060102"), f.To.AddDate(0, 0, -1).Format("20060102"))
	s.saveAs(name, []string{".xlsx"}, s.writeResults)
}

// writeResults writes the results, problems, categories and workload of
// the overview's period and filters as an .xlsx workbook (the sheets of
// "mingcha office export").
func (s *officeScreen) writeResults(path string) {
	f, err := s.filter()
	if err != nil {
		s.ui.showError(err)
		return
	}
	if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
		path += ".xlsx"
	}
	var o *inspect.Overview
	off := s.off
	s.background(lang.L("Writing the workbook…"), func() error {
		var err error
		o, err = off.ExportResults(f, path, true) // the save dialog asked
		return err
	}, func(err error) {
		if err != nil {
			s.ui.showError(err)
			return
		}
		s.overviewErr.Hide()
		s.totals.SetText(lang.L("Saved {{.Results}} results and {{.Problems}} problems to {{.Path}}",
			map[string]any{"Results": len(o.Results), "Problems": o.Totals.Problems, "Path": path}))
	})
}

// ---- 整改 ----

func (s *officeScreen) buildProblems() fyne.CanvasObject {
	s.problemFilter = widget.NewSelect([]string{lang.L("All"), lang.L("Overdue"), lang.L("To rectify"), lang.L("Rectified"), lang.L("Fix verified")},
		func(string) { s.reloadProblems() })
	s.problemList = widget.NewList(func() int { return len(s.problems) }, s.createProblemRow, s.updateProblemRow)
	s.problemList.OnSelected = func(id widget.ListItemID) { s.selected = id; s.updateActions() }
	s.problemList.OnUnselected = func(widget.ListItemID) { s.selected = -1; s.updateActions() }
	s.note = widget.NewEntry()
	s.note.SetPlaceHolder(lang.L("Note (what was done or found)"))
	s.rectify = widget.NewButton(lang.L("Rectified"), func() { s.act(inspect.ActionRectify) })
	s.verifyFix = widget.NewButton(lang.L("Verify fix"), func() { s.act(inspect.ActionVerify) })
	s.reopenBtn = widget.NewButton(lang.L("Reopen"), func() { s.act(inspect.ActionReopen) })
	s.unitHistory = widget.NewButtonWithIcon(lang.L("Unit history"), theme.HistoryIcon(), func() {
		if s.selected >= 0 && s.selected < len(s.problems) {
			s.showHistory(s.problems[s.selected].UnitID)
		}
	})
	s.problemStatus = widget.NewLabel("")
	s.problemStatus.Wrapping = fyne.TextWrapWord
	s.actions = newRectifyActions(s)
	s.problemFilter.SetSelectedIndex(0)
	s.updateActions()
	a := s.actions
	bottom := container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, container.NewHBox(s.rectify, s.verifyFix, s.reopenBtn), s.note),
		container.NewHBox(a.wholeUnit, a.reply, a.extend, a.notice, s.unitHistory), s.problemStatus)
	top := container.NewBorder(nil, nil, container.NewHBox(widget.NewLabel(lang.L("Show")), s.problemFilter), nil,
		container.NewHBox(a.chaseXLSX, a.chasePDF, a.noticeAll))
	return container.NewBorder(top, bottom, nil, nil, s.problemList)
}

func (s *officeScreen) problemQuery() inspect.ProblemFilter {
	var f inspect.ProblemFilter
	switch s.problemFilter.SelectedIndex() {
	case 1:
		f = s.off.OverdueFilter(f)
	case 2:
		f.States = []inspect.ProblemState{inspect.ProblemOpen}
	case 3:
		f.States = []inspect.ProblemState{inspect.ProblemRectified}
	case 4:
		f.States = []inspect.ProblemState{inspect.ProblemVerified}
	}
	return f
}

func (s *officeScreen) reloadProblems() {
	if s.problemList == nil {
		return
	}
	list, err := s.off.Problems(s.problemQuery())
	if err != nil {
		s.problemStatus.SetText(msg.Of(err))
		return
	}
	s.problems = list
	s.selected = -1
	s.problemList.UnselectAll()
	s.problemList.Refresh()
	overdue := 0
	for _, p := range list {
		if p.Overdue {
			overdue++
		}
	}
	s.problemStatus.SetText(lang.L("{{.Count}} problems, {{.Overdue}} overdue", map[string]any{"Count": len(list), "Overdue": overdue}))
	s.updateActions()
}

func (s *officeScreen) createProblemRow() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	// Placeholders as wide as the widest texts, so the row keeps room for them.
	state := widget.NewLabel(lang.L("To rectify"))
	due := widget.NewLabel(lang.L("Overdue {{.Days}} working days (due {{.Date}})", map[string]any{"Days": 99, "Date": "2026-12-31"}))
	return container.NewBorder(nil, nil, nil, container.NewHBox(due, state), container.NewVBox(title, detail))
}

func (s *officeScreen) updateProblemRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(s.problems) {
		return
	}
	p := s.problems[i]
	box := o.(*fyne.Container)
	texts := box.Objects[0].(*fyne.Container)
	right := box.Objects[1].(*fyne.Container)
	title, detail := texts.Objects[0].(*widget.Label), texts.Objects[1].(*widget.Label)
	due, state := right.Objects[0].(*widget.Label), right.Objects[1].(*widget.Label)
	name := p.UnitName
	if p.Department != "" {
		name = p.Department + " " + name
	}
	if p.Repeat {
		name += " · " + lang.L("Repeated problem")
	}
	title.SetText(name)
	text := p.Description
	if p.FollowUp != "" {
		text += " · " + lang.L("回访 {{.ID}}", map[string]any{"ID": p.FollowUp})
	}
	if p.Note != "" {
		text += " · " + p.Note
	}
	detail.SetText(text)
	state.SetText(problemStateText(p.State))
	state.Importance = widget.MediumImportance
	if p.State == inspect.ProblemVerified {
		state.Importance = widget.SuccessImportance
	}
	due.Importance = widget.MediumImportance
	if p.Overdue {
		d := map[string]any{"Days": p.DaysLate, "Date": inspect.FormatDate(p.Deadline)}
		due.SetText(msg.Plural(p.DaysLate, lang.L("Overdue 1 working day (due {{.Date}})", d), lang.L("Overdue {{.Days}} working days (due {{.Date}})", d)))
		due.Importance = widget.DangerImportance
	} else {
		due.SetText(lang.L("Due {{.Date}}", map[string]any{"Date": inspect.FormatDate(p.Deadline)}))
	}
	due.Refresh()
	state.Refresh()
}

func problemStateText(st inspect.ProblemState) string {
	switch st {
	case inspect.ProblemRectified:
		return lang.L("Rectified")
	case inspect.ProblemVerified:
		return lang.L("Fix verified")
	}
	return lang.L("To rectify")
}

func (s *officeScreen) updateActions() {
	var st inspect.ProblemState
	if s.selected >= 0 && s.selected < len(s.problems) {
		st = s.problems[s.selected].State
	}
	enable := func(b *widget.Button, on bool) {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	enable(s.rectify, st == inspect.ProblemOpen)
	enable(s.verifyFix, st == inspect.ProblemRectified)
	enable(s.reopenBtn, st == inspect.ProblemRectified)
	enable(s.unitHistory, st != "")
	if s.actions != nil {
		s.actions.update()
		if s.actions.wholeUnit.Checked { // the unit's problems in the step's starting state
			enable(s.rectify, len(s.actions.targets(inspect.ProblemOpen)) > 0)
			enable(s.verifyFix, len(s.actions.targets(inspect.ProblemRectified)) > 0)
			enable(s.reopenBtn, len(s.actions.targets(inspect.ProblemRectified)) > 0)
		}
	}
}

func (s *officeScreen) act(a inspect.Action) {
	if s.selected < 0 || s.selected >= len(s.problems) || s.actions.actAll(a) {
		return
	}
	id := s.problems[s.selected].ID
	p, err := s.off.Act(s.ui.who(), id, a, s.note.Text)
	if err != nil {
		s.ui.showError(err)
		return
	}
	s.note.SetText("")
	s.reloadProblems()
	s.problemStatus.SetText(lang.L("{{.ID}}: {{.State}}", map[string]any{"ID": p.ID, "State": problemStateText(p.State)}))
}
