package app

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/inspect"
	"mingcha/msg"
	"mingcha/store"
)

// homePageSize is how many summaries one ListInspections call loads; the
// list asks only for the pages it shows, so 10,000 inspections open fast.
const homePageSize = 100

// homeScreen lists inspections newest first.
type homeScreen struct {
	ui      *UI
	content fyne.CanvasObject

	search    *widget.Entry
	from, to  *widget.Entry // observed on or after / on or before, 2006-01-02
	status    *widget.Select
	list      *widget.List
	count     *widget.Label
	newButton *widget.Button
	shown     bool // the list has been drawn, so it can scroll

	query    store.Query
	total    int
	pages    map[int][]store.Summary
	debounce debouncer
}

func newHomeScreen(u *UI) *homeScreen {
	h := &homeScreen{ui: u, pages: map[int][]store.Summary{}, debounce: debouncer{delay: 250 * time.Millisecond, sched: u.sched}}
	h.search = widget.NewEntry()
	h.search.SetPlaceHolder(lang.L("Search by unit name"))
	h.search.OnChanged = func(string) { h.debounce.call(h.reload) }
	h.from = dateEntry(lang.L("From"), func(string) { h.debounce.call(h.reload) })
	h.to = dateEntry(lang.L("To"), func(string) { h.debounce.call(h.reload) })
	statusOptions := []string{lang.L("All"), lang.L("Draft"), lang.L("Completed"), lang.L("Signed")}
	h.status = widget.NewSelect(statusOptions, func(string) { h.reload() })
	h.status.SetSelectedIndex(0)

	h.count = widget.NewLabel("")
	h.list = widget.NewList(h.length, h.createRow, h.updateRow)
	h.list.OnSelected = func(id widget.ListItemID) {
		h.list.UnselectAll()
		if s, ok := h.summary(id); ok {
			u.OpenInspection(s.ID)
		}
	}

	h.newButton = widget.NewButtonWithIcon(lang.L("New inspection"), theme.ContentAddIcon(), u.ShowNewInspection)
	h.newButton.Importance = widget.HighImportance
	title := widget.NewLabelWithStyle(lang.L("Inspections"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	cosign := widget.NewButtonWithIcon(lang.L("Co-sign a report…"), theme.DocumentCreateIcon(), u.startCosign)
	top := container.NewBorder(nil, nil, title, container.NewHBox(cosign, h.newButton))
	dateSize := fyne.NewSize(dateEntryWidth(h.from, h.to), h.from.MinSize().Height)
	dates := container.NewHBox(
		container.NewGridWrap(dateSize, h.from), widget.NewLabel("–"), container.NewGridWrap(dateSize, h.to))
	filters := container.NewBorder(nil, nil, nil, container.NewHBox(dates, h.status, h.count), h.search)
	head := container.NewVBox(top, filters)
	if guide := u.firstRunGuide(); guide != nil {
		head.Add(guide) // until the first inspection: identity → unit → template → inspection
	}
	h.content = container.NewBorder(head, nil, nil, nil, h.list)
	h.reload()
	return h
}

// inspectionCount is "1 inspection", "2 inspections" (Chinese: 共 1 条):
// two keys, as the translation files hold plain strings only.
func inspectionCount(n int) string {
	if n == 1 {
		return lang.L("{{.Count}} inspection", map[string]any{"Count": n})
	}
	return lang.L("{{.Count}} inspections", map[string]any{"Count": n})
}

// dateEntryWidth is wide enough for the date filters' placeholders with
// the validation icon beside them (the English "From yyyy-mm-dd" was cut
// to "From yyyy-mm-" at 140), and at least 140.
func dateEntryWidth(entries ...*widget.Entry) float32 {
	w := float32(140)
	for _, e := range entries {
		text := fyne.MeasureText(e.PlaceHolder, theme.TextSize(), fyne.TextStyle{}).Width
		w = max(w, text+3*theme.InnerPadding()+theme.IconInlineSize()+theme.LineSpacing()+2*theme.InputBorderSize()+2)
	}
	return w
}

// dateEntry is an entry for a day typed as 2006-01-02; empty is allowed.
func dateEntry(placeholder string, changed func(string)) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder(placeholder + " " + lang.L("yyyy-mm-dd"))
	e.Validator = func(s string) error {
		if _, ok := parseDay(s); !ok && strings.TrimSpace(s) != "" {
			return errors.New(lang.L("A date must look like 2006-01-02."))
		}
		return nil
	}
	e.OnChanged = changed
	return e
}

// dayLayout is how a date is typed in filters.
const dayLayout = "2006-01-02"

// parseDay reads a 2006-01-02 date of the office's zone.
func parseDay(s string) (time.Time, bool) {
	d, err := inspect.ParseDate(s)
	return d, err == nil
}

// reload starts over with the current filter. A date that does not parse
// yet (still being typed) filters nothing.
func (h *homeScreen) reload() {
	h.query = store.Query{Text: h.search.Text}
	if d, ok := parseDay(h.from.Text); ok {
		h.query.From = d
	}
	if d, ok := parseDay(h.to.Text); ok {
		h.query.To = d.AddDate(0, 0, 1) // the whole day; To is exclusive
	}
	switch h.status.SelectedIndex() {
	case 1:
		h.query.Statuses = []inspect.Status{inspect.StatusDraft}
	case 2:
		h.query.Statuses = []inspect.Status{inspect.StatusCompleted}
	case 3:
		h.query.Statuses = []inspect.Status{inspect.StatusSigned}
	}
	h.pages = map[int][]store.Summary{}
	h.total = 0
	h.loadPage(0)
	if h.list != nil {
		h.count.SetText(inspectionCount(h.total))
		if h.shown {
			h.list.ScrollToTop()
		}
		h.list.Refresh()
	}
}

func (h *homeScreen) loadPage(n int) []store.Summary {
	if p, ok := h.pages[n]; ok {
		return p
	}
	q := h.query
	q.Offset, q.Limit = n*homePageSize, homePageSize
	page, err := h.ui.store.ListInspections(q)
	if err != nil {
		h.ui.showError(err)
		return nil
	}
	h.total = page.Total
	h.pages[n] = page.Items
	return page.Items
}

func (h *homeScreen) summary(i int) (store.Summary, bool) {
	p := h.loadPage(i / homePageSize)
	if k := i % homePageSize; k < len(p) {
		return p[k], true
	}
	return store.Summary{}, false
}

func (h *homeScreen) length() int { return h.total }

func (h *homeScreen) createRow() fyne.CanvasObject {
	unit := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	unit.Truncation = fyne.TextTruncateEllipsis
	status := widget.NewLabel(lang.L("Completed")) // the widest status, so the row keeps room for it
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(container.NewBorder(nil, nil, nil, status, unit), detail)
}

func (h *homeScreen) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	s, ok := h.summary(i)
	if !ok {
		return
	}
	box := o.(*fyne.Container)
	top := box.Objects[0].(*fyne.Container)
	unit := s.UnitName
	if s.Department != "" {
		unit = s.Department + " " + unit
	}
	top.Objects[0].(*widget.Label).SetText(unit)
	status := top.Objects[1].(*widget.Label)
	status.SetText(statusText(s.Status))
	switch s.Status {
	case inspect.StatusDraft:
		status.Importance = widget.WarningImportance
	case inspect.StatusSigned:
		status.Importance = widget.SuccessImportance
	default:
		status.Importance = widget.MediumImportance
	}
	status.Refresh()
	score := fmt.Sprintf("%g %s", s.Score, msg.Rating(s.Rating))
	if s.Status == inspect.StatusDraft {
		score = lang.L("Answered") + fmt.Sprintf(" %d/%d", s.Answered, s.Total)
	}
	box.Objects[1].(*widget.Label).SetText(fmt.Sprintf("%s · %s · %s · %s",
		modeText(s.Mode), inspect.FormatTime(s.ObservedAt), score, s.TemplateTitle))
}
