package app

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/chart"
	"mingcha/inspect"
	"mingcha/msg"
	"mingcha/store"
)

// The 单位档案 tab: a unit's history on one screen — every imported report
// of it, every problem found there with its 整改 state, and the 整改
// timeline (found, reported fixed, verified, reopened, closed by a 回访).

type historyTab struct {
	o       *officeScreen
	content fyne.CanvasObject

	search   *widget.Entry
	unitList *widget.List
	units    []store.OfficeUnit // every unit of the imported reports
	shown    []store.OfficeUnit // those the search matches
	selected string             // the unit id shown
	picking  bool

	title, summary *widget.Label
	list           *widget.List
	rows           []historyRow
	hist           *store.UnitHistory
	empty          fyne.CanvasObject
	detail         fyne.CanvasObject
	scores         *fyne.Container // the unit's score over time
	// open shows a file in the system's viewer (the app's OpenURL; a test
	// records it).
	open   func(*url.URL) error
	opened string // the last PDF opened (tests, status)
	// copies is where opened reply files are copied (openedReplies, removed
	// when the window closes).
	copies *replyCopies
}

// historyRow is a heading, a report, a problem or a timeline event.
type historyRow struct {
	kind int // rowHeading, rowReport, rowProblem, rowEvent, rowReplyFile
	i    int // index into the history's Reports, Problems or Timeline
	j    int // rowReplyFile: index into the reply's Files
	text string
}

const (
	rowHeading = iota
	rowReport
	rowProblem
	rowEvent
	rowReplyFile // a file of a 整改报告, under its reply; opens in the system's viewer
)

func newHistoryTab(o *officeScreen) *historyTab {
	h := &historyTab{o: o, open: o.ui.app.OpenURL, copies: openedReplies}
	h.search = widget.NewEntry()
	h.search.SetPlaceHolder(lang.L("Search units"))
	h.search.OnChanged = func(string) { h.filter() }
	h.unitList = widget.NewList(func() int { return len(h.shown) }, h.createUnitRow, h.updateUnitRow)
	h.unitList.OnSelected = func(id widget.ListItemID) {
		if !h.picking && id < len(h.shown) {
			h.show(h.shown[id].UnitID)
		}
	}
	left := container.NewBorder(h.search, nil, nil, nil, h.unitList)

	h.title = heading("")
	h.title.SizeName = theme.SizeNameSubHeadingText
	h.title.Truncation = fyne.TextTruncateEllipsis
	h.summary = widget.NewLabel("")
	h.summary.Truncation = fyne.TextTruncateEllipsis
	h.list = widget.NewList(func() int { return len(h.rows) }, h.createRow, h.updateRow)
	h.list.OnSelected = func(id widget.ListItemID) {
		h.list.UnselectAll()
		if id >= len(h.rows) {
			return
		}
		switch r := h.rows[id]; r.kind {
		case rowReport:
			h.openReport(r.i)
		case rowReplyFile:
			h.openReplyFile(r.i, r.j)
		}
	}
	h.scores = container.NewStack()
	h.detail = container.NewBorder(container.NewVBox(h.title, h.summary, h.scores, widget.NewSeparator()), nil, nil, nil, h.list)
	h.empty = container.NewCenter(widget.NewLabel(lang.L("Choose a unit to see its inspections, problems and 整改.")))
	h.detail.Hide()
	split := container.NewHSplit(left, container.NewStack(h.detail, h.empty))
	split.Offset = 0.3
	h.content = split
	return h
}

// reload reads the units of the imported reports again.
func (h *historyTab) reload() {
	units, err := h.o.ui.store.OfficeUnits()
	if err != nil {
		h.o.ui.showError(err)
		return
	}
	h.units = units
	h.filter()
	if h.selected != "" {
		h.show(h.selected)
	}
}

// filter shows the units whose name or department contains the search.
func (h *historyTab) filter() {
	q := strings.TrimSpace(h.search.Text)
	h.shown = h.shown[:0]
	for _, u := range h.units {
		if q == "" || strings.Contains(u.UnitName, q) || strings.Contains(u.Department, q) || u.UnitID == q {
			h.shown = append(h.shown, u)
		}
	}
	h.picking = true
	h.unitList.UnselectAll()
	for i, u := range h.shown {
		if u.UnitID == h.selected {
			h.unitList.Select(i)
		}
	}
	h.picking = false
	h.unitList.Refresh()
}

func (h *historyTab) createUnitRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(name, detail)
}

func (h *historyTab) updateUnitRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(h.shown) {
		return
	}
	u := h.shown[i]
	box := o.(*fyne.Container)
	box.Objects[0].(*widget.Label).SetText(u.UnitName)
	detail := box.Objects[1].(*widget.Label)
	detail.SetText(strings.TrimSpace(u.Department + " · " + lang.L("{{.Reports}} reports, {{.Open}} open",
		map[string]any{"Reports": u.Reports, "Open": u.Open})))
	detail.Importance = widget.MediumImportance
	if u.Open > 0 {
		detail.Importance = widget.WarningImportance
	}
	detail.Refresh()
}

// show shows the history of unit id.
func (h *historyTab) show(id string) {
	hist, err := h.o.off.History(id)
	if err != nil {
		h.o.ui.showError(err)
		return
	}
	h.selected, h.hist = hist.UnitID, hist
	h.empty.Hide()
	h.detail.Show()
	name := hist.UnitName
	if hist.Department != "" {
		name = hist.Department + " " + name
	}
	h.title.SetText(name)
	overdue := 0
	for _, p := range hist.Problems {
		if p.Overdue {
			overdue++
		}
	}
	h.summary.SetText(kindText(hist.Kind) + " · " + lang.L("{{.Reports}} reports, {{.Open}} of {{.Problems}} problems open",
		map[string]any{"Reports": hist.OfficeUnit.Reports, "Open": hist.Open, "Problems": hist.OfficeUnit.Problems}) +
		" · " + lang.L("{{.Count}} overdue", map[string]any{"Count": overdue}))

	h.rows = h.rows[:0]
	h.rows = append(h.rows, historyRow{kind: rowHeading, text: lang.L("Inspections ({{.Count}})", map[string]any{"Count": len(hist.Reports)})})
	for i := len(hist.Reports) - 1; i >= 0; i-- { // newest first
		h.rows = append(h.rows, historyRow{kind: rowReport, i: i})
	}
	h.rows = append(h.rows, historyRow{kind: rowHeading, text: lang.L("Problems ({{.Count}})", map[string]any{"Count": len(hist.Problems)})})
	for _, i := range newestFirst(len(hist.Problems), func(i int) time.Time { return hist.Problems[i].ObservedAt }) {
		h.rows = append(h.rows, historyRow{kind: rowProblem, i: i})
	}
	h.rows = append(h.rows, historyRow{kind: rowHeading, text: lang.L("整改 timeline")})
	for _, i := range newestFirst(len(hist.Timeline), func(i int) time.Time { return hist.Timeline[i].At }) {
		h.rows = append(h.rows, historyRow{kind: rowEvent, i: i})
		if r := hist.Timeline[i].Reply; r != nil {
			for j := range r.Files {
				h.rows = append(h.rows, historyRow{kind: rowReplyFile, i: i, j: j})
			}
		}
	}
	h.showScores(hist.UnitID)
	line := widget.NewLabel("M").MinSize().Height
	full := h.createRow().MinSize().Height
	for i, r := range h.rows {
		if r.kind == rowHeading {
			h.list.SetItemHeight(i, line)
		} else {
			h.list.SetItemHeight(i, full)
		}
	}
	h.list.Refresh()
	h.list.ScrollToOffset(0)
	h.detail.Refresh() // lays the score chart out (a zero-sized image crashes Fyne's software painter)
	h.filter()
}

func (h *historyTab) createRow() fyne.CanvasObject {
	date := widget.NewLabel("2026-12-31 23:59")
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	state := widget.NewLabel(lang.L("To rectify"))
	return container.NewBorder(nil, nil, date, state, container.NewVBox(title, detail))
}

func (h *historyTab) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(h.rows) || h.hist == nil {
		return
	}
	r := h.rows[i]
	box := o.(*fyne.Container)
	texts := box.Objects[0].(*fyne.Container)
	date, state := box.Objects[1].(*widget.Label), box.Objects[2].(*widget.Label)
	title, detail := texts.Objects[0].(*widget.Label), texts.Objects[1].(*widget.Label)
	state.Importance, title.Importance = widget.MediumImportance, widget.MediumImportance
	date.Show()
	detail.Show()
	state.Show()
	switch r.kind {
	case rowHeading:
		date.Hide()
		detail.Hide()
		state.Hide()
		title.Importance = widget.HighImportance
		title.SetText(r.text)
	case rowReport:
		rep := h.hist.Reports[r.i]
		date.SetText(inspect.FormatTime(rep.ObservedAt))
		title.SetText(lang.L("{{.ID}} · {{.Mode}} · score {{.Score}}, {{.Rating}} · {{.Problems}} problems",
			map[string]any{"ID": rep.ReportID, "Mode": modeText(rep.Mode), "Score": fmtPoints(rep.Score), "Rating": msg.Rating(rep.Rating), "Problems": len(rep.Problems)}))
		detail.SetText(lang.L("Inspectors: {{.Names}} · signed by {{.Signer}} · template {{.Template}} · click to open the signed PDF",
			map[string]any{"Names": strings.Join(rep.Inspectors, lang.L(", ")), "Signer": rep.Signer, "Template": rep.TemplateKey}))
		switch {
		case rep.SupersededBy != "":
			state.SetText(lang.L("Replaced by {{.ID}}", map[string]any{"ID": rep.SupersededBy}))
			state.Importance = widget.LowImportance
		case rep.Veto:
			state.SetText(lang.L("Veto"))
			state.Importance = widget.DangerImportance
		default:
			state.SetText(msg.Rating(rep.Rating))
		}
	case rowProblem:
		p := h.hist.Problems[r.i]
		date.SetText(inspect.FormatTime(p.ObservedAt))
		text := p.Description
		if p.Repeat {
			text = lang.L("Repeated problem") + " · " + text
		}
		title.SetText(text)
		var parts []string
		if p.Overdue {
			d := map[string]any{"Days": p.DaysLate, "Date": inspect.FormatDate(p.Deadline)}
			parts = append(parts, msg.Plural(p.DaysLate, lang.L("Overdue 1 working day (due {{.Date}})", d), lang.L("Overdue {{.Days}} working days (due {{.Date}})", d)))
			state.Importance = widget.DangerImportance
		} else if !p.Deadline.IsZero() {
			parts = append(parts, lang.L("Due {{.Date}}", map[string]any{"Date": inspect.FormatDate(p.Deadline)}))
		}
		if len(p.People) > 0 {
			parts = append(parts, strings.Join(p.People, "、"))
		}
		if p.FollowUp != "" {
			parts = append(parts, lang.L("回访 {{.ID}}", map[string]any{"ID": p.FollowUp}))
		}
		if p.Note != "" {
			parts = append(parts, p.Note)
		}
		detail.SetText(p.ID + " · " + strings.Join(parts, " · "))
		state.SetText(problemStateText(p.State))
		if p.State == inspect.ProblemVerified {
			state.Importance = widget.SuccessImportance
		}
	case rowReplyFile:
		f := h.hist.Timeline[r.i].Reply.Files[r.j]
		date.SetText("")
		title.Importance = widget.HighImportance
		title.SetText(lang.L("Attached: {{.Name}} ({{.Size}})", map[string]any{"Name": f.Name, "Size": sizeText(f.Size)}))
		detail.SetText(lang.L("SHA-256 {{.Hash}} · click to open", map[string]any{"Hash": f.SHA256[:min(16, len(f.SHA256))] + "…"}))
		state.SetText("")
	case rowEvent:
		e := h.hist.Timeline[r.i]
		date.SetText(inspect.FormatTime(e.At))
		title.SetText(eventText(&e))
		var parts []string
		if e.ProblemID != "" {
			parts = append(parts, e.ProblemID)
		}
		switch {
		case e.Reply != nil && e.Reply.Text != "":
			parts = append(parts, e.Reply.Text)
		case e.Reply != nil:
		case e.Note != "":
			parts = append(parts, e.Note)
		}
		if e.Who != "" {
			parts = append(parts, e.Who)
		}
		detail.SetText(strings.Join(parts, " · "))
		state.SetText("")
		if e.State != "" {
			state.SetText(problemStateText(e.State))
			if e.State == inspect.ProblemVerified {
				state.Importance = widget.SuccessImportance
			}
		}
	}
	title.Refresh()
	state.Refresh()
	box.Refresh() // a heading hides the date and state: lay the row out again
}

// eventText says what happened, in a line.
func eventText(e *store.HistoryEvent) string {
	switch e.Kind {
	case store.EventInspected:
		p := map[string]any{"ID": e.ReportID, "Score": fmtPoints(e.Score), "Rating": msg.Rating(e.Rating), "Problems": e.Problems}
		return msg.Plural(e.Problems, lang.L("Inspected ({{.ID}}): score {{.Score}}, {{.Rating}}, 1 problem found", p),
			lang.L("Inspected ({{.ID}}): score {{.Score}}, {{.Rating}}, {{.Problems}} problems found", p))
	case store.EventSuperseded:
		return lang.L("Report {{.ID}} replaced by its amendment {{.By}}", map[string]any{"ID": e.ReportID, "By": e.By})
	case store.EventRectified:
		return lang.L("Reported fixed: {{.Problem}}", map[string]any{"Problem": e.Problem})
	case store.EventReplied:
		if e.Reply != nil {
			return lang.L("Rectification report from {{.From}}, received {{.Date}}: {{.Problem}}",
				map[string]any{"From": e.Reply.From, "Date": inspect.FormatDate(e.Reply.ReceivedAt), "Problem": e.Problem})
		}
		return lang.L("Reported fixed: {{.Problem}}", map[string]any{"Problem": e.Problem})
	case store.EventVerified:
		return lang.L("Fix verified: {{.Problem}}", map[string]any{"Problem": e.Problem})
	case store.EventReopened:
		return lang.L("Sent back: {{.Problem}}", map[string]any{"Problem": e.Problem})
	case store.EventFollowUp:
		if e.State == inspect.ProblemVerified {
			return lang.L("回访 {{.By}} found it fixed: {{.Problem}}", map[string]any{"By": e.By, "Problem": e.Problem})
		}
		return lang.L("回访 {{.By}} found it again: {{.Problem}}", map[string]any{"By": e.By, "Problem": e.Problem})
	}
	return fmt.Sprint(e.Kind)
}

// showHistory switches to the history tab on unit id.
func (s *officeScreen) showHistory(id string) {
	s.history.selected = id
	s.tabs.SelectIndex(tabHistory) // reloads, showing id
	if s.history.hist == nil || s.history.hist.UnitID != id {
		s.history.show(id)
	}
}

// newestFirst is the indexes 0…n-1 ordered by at, newest first (stable).
func newestFirst(n int, at func(int) time.Time) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return at(idx[a]).After(at(idx[b])) })
	return idx
}

// openReport opens the signed PDF of report i as imported (the file kept
// under its hash) in the system's PDF viewer.
func (h *historyTab) openReport(i int) {
	rep := h.hist.Reports[i]
	path := h.o.ui.store.ReportPath(rep.FileSHA256)
	if _, err := os.Stat(path); err != nil {
		h.o.ui.showError(errors.New(lang.L("The signed PDF of {{.ID}} is missing from {{.Path}}.", map[string]any{"ID": rep.ReportID, "Path": path})))
		return
	}
	if err := h.open(&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}); err != nil {
		h.o.ui.showError(err)
		return
	}
	h.opened = path
}

// openReplyFile opens file j of the 整改报告 of timeline event i in the
// system's viewer. The kept file is named by its hash, without the
// extension a viewer goes by, so a copy under its own name in a temporary
// folder is opened; the kept evidence is never handed out.
func (h *historyTab) openReplyFile(i, j int) {
	f := h.hist.Timeline[i].Reply.Files[j]
	kept := h.o.ui.store.ReplyPath(f.SHA256)
	data, err := os.ReadFile(kept)
	if err != nil {
		h.o.ui.showError(errors.New(lang.L("The file {{.Name}} of the rectification report is missing from {{.Path}}.", map[string]any{"Name": f.Name, "Path": kept})))
		return
	}
	name := filepath.Base(f.Name)
	if name == "." || name == string(filepath.Separator) {
		name = f.SHA256
	}
	path, err := h.copies.write(f.SHA256, name, data)
	if err != nil {
		h.o.ui.showError(err)
		return
	}
	if err := h.open(&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}); err != nil {
		h.o.ui.showError(err)
		return
	}
	h.opened = path
}

// showScores draws the unit's score at each of its reports.
func (h *historyTab) showScores(unitID string) {
	h.scores.Objects = nil
	points, err := h.o.off.UnitScores(unitID)
	if err == nil && len(points) > 0 {
		var png []byte
		size := themed(unitChart)
		png, err = chart.UnitScores(points, chart.UnitLabels{Title: lang.L("Score over time"), Score: lang.L("Score"), Band: msg.Rating}, size)
		if err == nil {
			h.scores.Add(chartImageSized("unit-scores.png", png, size))
		}
	}
	if err != nil {
		h.scores.Add(widget.NewLabel(lang.L("The chart could not be drawn: {{.Error}}", map[string]any{"Error": err.Error()})))
	}
	h.scores.Refresh()
}
