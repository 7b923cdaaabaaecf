package app

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/desk"
	"mingcha/inspect"
	"mingcha/msg"
)

// templatesScreen lists the checklists (检查表), shows one with its
// sections and items, and imports a template file.
type templatesScreen struct {
	ui      *UI
	content fyne.CanvasObject

	templates []inspect.Template
	versions  map[string]int // stored versions per template id
	list      *widget.List
	importBtn *widget.Button
	status    *widget.Label

	// The shown template.
	shown      *inspect.Template
	title      *widget.Label
	info       *widget.Label
	bands      *widget.Label
	warning    *widget.Label
	rows       []walkRow // sections and items, as in the walk
	flat       []*inspect.Item
	items      *widget.List
	itemDetail *widget.Label
	detail     fyne.CanvasObject
	empty      fyne.CanvasObject
	selecting  bool

	// The last refused import, one localised line per fault.
	faults    []string
	faultList *widget.List
}

// ShowTemplates shows the templates screen.
func (u *UI) ShowTemplates() {
	u.leave()
	s := &templatesScreen{ui: u}
	s.build()
	s.reload("")
	u.templates = s
	u.show(screenTemplates, s.content)
	u.remember(screenTemplates, "")
}

func (s *templatesScreen) build() {
	s.list = widget.NewList(func() int { return len(s.templates) }, s.createRow, s.updateRow)
	s.list.OnSelected = func(id widget.ListItemID) {
		if !s.selecting && id < len(s.templates) {
			s.view(&s.templates[id])
		}
	}
	s.importBtn = widget.NewButtonWithIcon(lang.L("Import template…"), theme.FolderOpenIcon(), s.chooseFile)
	s.importBtn.Importance = widget.HighImportance
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	left := container.NewBorder(container.NewBorder(nil, nil, heading(lang.L("Templates")), s.importBtn), s.status, nil, nil, s.list)

	// One line each: a wrapped label above a list gets its height late.
	line := func(l *widget.Label) *widget.Label {
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	s.title = line(heading(""))
	s.title.SizeName = theme.SizeNameSubHeadingText
	s.info = line(widget.NewLabel(""))
	s.bands = line(widget.NewLabel(""))
	s.warning = line(widget.NewLabel(""))
	s.warning.Importance = widget.WarningImportance
	s.items = widget.NewList(func() int { return len(s.rows) }, s.createItemRow, s.updateItemRow)
	s.items.OnSelected = func(id widget.ListItemID) {
		if !s.selecting && id < len(s.rows) {
			s.showItem(id)
		}
	}
	s.itemDetail = wrapped("")
	s.itemDetail.Selectable = true
	top := container.NewVBox(s.title, s.info, s.bands, s.warning, widget.NewSeparator())
	itemsAndDetail := container.NewVSplit(s.items, container.NewVScroll(s.itemDetail))
	itemsAndDetail.Offset = 0.75
	s.detail = container.NewBorder(top, nil, nil, nil, itemsAndDetail)
	s.empty = container.NewCenter(widget.NewLabel(lang.L("No templates yet: import one.")))
	right := container.NewStack(s.detail, s.empty)
	split := container.NewHSplit(left, container.NewPadded(right))
	split.Offset = 0.32
	s.content = split
}

func (s *templatesScreen) createRow() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(title, detail)
}

func (s *templatesScreen) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(s.templates) {
		return
	}
	t := &s.templates[i]
	box := o.(*fyne.Container)
	box.Objects[0].(*widget.Label).SetText(t.Title)
	box.Objects[1].(*widget.Label).SetText(templateLine(t, s.versions[t.ID]))
}

// templateLine is "combined · v3 · 25 items" (with the number of stored
// versions when there is more than one).
func templateLine(t *inspect.Template, versions int) string {
	line := fmt.Sprintf("%s · v%d · %s", t.ID, t.Version, lang.L("{{.Count}} items", map[string]any{"Count": len(t.Items())}))
	if versions > 1 {
		line += " · " + lang.L("{{.Count}} versions stored", map[string]any{"Count": versions})
	}
	return line
}

// reload reads the templates again and shows selectID (or the first).
func (s *templatesScreen) reload(selectID string) {
	templates, err := s.ui.store.Templates()
	if err != nil {
		s.ui.showError(err)
	}
	s.templates = templates
	s.versions = map[string]int{}
	for _, t := range templates {
		if v, err := s.ui.store.TemplateVersions(t.ID); err == nil {
			s.versions[t.ID] = len(v)
		}
	}
	s.list.Refresh()
	i := slices.IndexFunc(templates, func(t inspect.Template) bool { return t.ID == selectID })
	if i < 0 && len(templates) > 0 {
		i = 0
	}
	if i < 0 {
		s.shown = nil
		s.detail.Hide()
		s.empty.Show()
		return
	}
	s.selecting = true
	s.list.Select(i)
	s.list.ScrollTo(i)
	s.selecting = false
	s.view(&s.templates[i])
}

// view shows template t: its header, bands and every section and item.
func (s *templatesScreen) view(t *inspect.Template) {
	s.shown = t
	s.empty.Hide()
	s.detail.Show()
	s.title.SetText(t.Title)
	na := lang.L("N/A items are left out of the score")
	if t.NAPolicy == inspect.NAProrate {
		na = lang.L("N/A items are prorated (折算)")
	}
	s.info.SetText(lang.L("ID {{.ID}} · version {{.Version}} · full score {{.Full}} · {{.Count}} items",
		map[string]any{"ID": t.ID, "Version": t.Version, "Full": fmtPoints(t.FullScore), "Count": len(t.Items())}) + " · " + na)
	bands := slices.Clone(t.Bands)
	slices.SortFunc(bands, func(a, b inspect.Band) int { return int(math.Copysign(1, b.Min-a.Min)) })
	parts := make([]string, len(bands))
	for i, b := range bands {
		parts[i] = fmt.Sprintf("%s ≥ %s", b.Name, fmtPoints(b.Min))
	}
	s.bands.SetText(lang.L("Ratings") + "：" + strings.Join(parts, " · "))
	total := 0.0
	for _, it := range t.Items() {
		total += it.MaxDeduction()
	}
	if math.Abs(total-t.FullScore) > 1e-6 {
		s.warning.SetText(lang.L("The items can deduct {{.Total}} points in all, not the full score {{.Full}}.",
			map[string]any{"Total": fmtPoints(total), "Full": fmtPoints(t.FullScore)}))
		s.warning.Show()
	} else {
		s.warning.Hide()
	}

	s.flat = t.Items()
	s.rows = s.rows[:0]
	n := 0
	for si, sec := range t.Sections {
		s.rows = append(s.rows, walkRow{section: si, item: -1})
		for range sec.Items {
			s.rows = append(s.rows, walkRow{section: si, item: n})
			n++
		}
	}
	// A section row is one line; item rows keep the template's three.
	line := widget.NewLabel("M").MinSize().Height
	for i, r := range s.rows {
		if r.item < 0 {
			s.items.SetItemHeight(i, line)
		}
	}
	s.items.UnselectAll()
	s.items.ScrollToOffset(0) // ScrollToTop panics before the list is drawn
	s.items.Refresh()
	s.showDescription()
}

func (s *templatesScreen) createItemRow() fyne.CanvasObject {
	text := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text.Truncation = fyne.TextTruncateEllipsis
	guidance := widget.NewLabel("")
	guidance.Truncation = fyne.TextTruncateEllipsis
	guidance.SizeName = theme.SizeNameCaptionText
	rule := widget.NewLabel("")
	rule.Truncation = fyne.TextTruncateEllipsis
	indent := canvas.NewRectangle(color.Transparent)
	indent.SetMinSize(fyne.NewSize(theme.Padding()*4, 1))
	return container.NewBorder(nil, nil, indent, nil, container.NewVBox(text, guidance, rule))
}

func (s *templatesScreen) updateItemRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(s.rows) || s.shown == nil {
		return
	}
	row := o.(*fyne.Container)
	box, indent := row.Objects[0].(*fyne.Container), row.Objects[1]
	text := box.Objects[0].(*widget.Label)
	guidance := box.Objects[1].(*widget.Label)
	rule := box.Objects[2].(*widget.Label)
	r := s.rows[i]
	if r.item < 0 {
		sec := s.shown.Sections[r.section]
		text.Importance = widget.HighImportance
		text.SetText(fmt.Sprintf("%s %s · %s", sec.Code, sec.Title,
			lang.L("{{.Count}} items", map[string]any{"Count": len(sec.Items)})))
		guidance.Hide()
		rule.Hide()
		indent.Hide()
		return
	}
	indent.Show()
	it := s.flat[r.item]
	text.Importance = widget.MediumImportance
	text.SetText(it.Code + "  " + it.Text)
	guidance.SetText(it.Guidance)
	guidance.Show()
	rule.SetText(itemSummary(it))
	rule.Show()
}

// showDescription fills the panel under the list before an item is chosen.
func (s *templatesScreen) showDescription() {
	text := lang.L("Select an item to see all of it.")
	if d := strings.TrimSpace(s.shown.Description); d != "" {
		text = d + "\n\n" + text
	}
	s.itemDetail.SetText(text)
}

// showItem shows the whole of row i's item under the list.
func (s *templatesScreen) showItem(i int) {
	r := s.rows[i]
	if r.item < 0 {
		sec := s.shown.Sections[r.section]
		s.itemDetail.SetText(sec.Code + " " + sec.Title)
		return
	}
	it := s.flat[r.item]
	lines := []string{it.Code + " " + it.Text}
	if it.Guidance != "" {
		lines = append(lines, lang.L("How to check")+"："+it.Guidance)
	}
	lines = append(lines, itemSummary(it))
	for _, c := range it.Choices {
		line := "· " + c.Label
		if c.Deduction > 0 {
			line += " " + lang.L("deducts {{.Points}}", map[string]any{"Points": fmtPoints(c.Deduction)})
		}
		if c.Fails {
			line += " · " + lang.L("a problem")
		} else if c.Deduction > 0 {
			line += " · " + lang.L("score only, not a problem")
		}
		lines = append(lines, line)
	}
	if it.FailAbove != nil {
		lines = append(lines, lang.L("Fails above {{.Value}} {{.Unit}}", map[string]any{"Value": fmtPoints(*it.FailAbove), "Unit": it.Unit}))
	}
	if it.FailBelow != nil {
		lines = append(lines, lang.L("Fails below {{.Value}} {{.Unit}}", map[string]any{"Value": fmtPoints(*it.FailBelow), "Unit": it.Unit}))
	}
	s.itemDetail.SetText(strings.Join(lines, "\n"))
}

// itemSummary is an item's kind, scoring rule and evidence rule in a line.
func itemSummary(it *inspect.Item) string {
	parts := []string{itemKindText(it.Kind), ruleText(it)}
	if e := evidenceText(it.Evidence); e != "" {
		parts = append(parts, e)
	}
	if it.Optional {
		parts = append(parts, lang.L("optional"))
	}
	return strings.Join(parts, " · ")
}

func itemKindText(k inspect.ItemKind) string {
	switch k {
	case inspect.KindCheck:
		return lang.L("Pass / fail")
	case inspect.KindCount:
		return lang.L("Count")
	case inspect.KindAttendance:
		return lang.L("Attendance")
	case inspect.KindNumber:
		return lang.L("Measured value")
	case inspect.KindChoice:
		return lang.L("Choice")
	default:
		return lang.L("Text")
	}
}

// ruleText says how a failed item is scored.
func ruleText(it *inspect.Item) string {
	r := it.Rule
	p := map[string]any{"Points": fmtPoints(r.Deduction), "Cap": fmtPoints(r.Cap)}
	switch r.Type {
	case inspect.RuleFixed:
		if it.Kind == inspect.KindChoice {
			return lang.L("deduction by choice")
		}
		return lang.L("deduct {{.Points}} points when failed", p)
	case inspect.RulePerViolation:
		return lang.L("deduct {{.Points}} points per violation, at most {{.Cap}}", p)
	case inspect.RuleVeto:
		if r.Deduction > 0 {
			return lang.L("veto, and deduct {{.Points}} points", p)
		}
		return lang.L("veto")
	default:
		return lang.L("not scored")
	}
}

func evidenceText(e inspect.EvidenceRule) string {
	switch e {
	case inspect.EvidenceRequiredOnFail:
		return lang.L("photo required when failed")
	case inspect.EvidenceOptional:
		return lang.L("photo optional")
	}
	return ""
}

func (s *templatesScreen) chooseFile() {
	s.ui.pickFile(purposeImport, []string{".json"}, func(path string) {
		data, err := readLimited(path, inspect.MaxTemplateSize)
		if err != nil {
			s.ui.showError(err)
			return
		}
		s.importTemplate(data, filepath.Base(path))
	})
}

// importTemplate parses, validates and stores a template file. Every fault
// is listed with its place; a stored version with other content gets the
// store's message. It reports whether the template was stored.
func (s *templatesScreen) importTemplate(data []byte, name string) bool {
	t, err := s.ui.desk.ImportTemplate(s.ui.who(), data)
	var bad *desk.InvalidTemplateError
	if errors.As(err, &bad) {
		s.showFaults(name, faultLines(bad.Err))
		return false
	}
	if err != nil {
		s.ui.showError(err)
		return false
	}
	s.faults = nil
	s.reload(t.ID)
	s.status.SetText(lang.L("Imported {{.Title}} (version {{.Version}}).", map[string]any{"Title": t.Title, "Version": t.Version}))
	return true
}

// faultLines is one localised line per fault of err.
func faultLines(err error) []string {
	return strings.Split(msg.Of(err), "\n")
}

// showFaults lists a refused template's faults in a dialog, one row each,
// in a virtualised list (a hostile file can have thousands).
func (s *templatesScreen) showFaults(name string, faults []string) {
	s.faults = faults
	const width = 760
	s.faultList = widget.NewList(func() int { return len(s.faults) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Wrapping = fyne.TextWrapWord
			return container.NewBorder(nil, nil, widget.NewLabel("0000."), nil, l)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(s.faults[i])
			box.Objects[1].(*widget.Label).SetText(fmt.Sprintf("%d.", i+1))
		})
	// Wrapped rows: measure each at the width it will get.
	numWidth := widget.NewLabel("0000.").MinSize().Width
	measure := widget.NewLabel("")
	measure.Wrapping = fyne.TextWrapWord
	for i, f := range faults {
		measure.SetText(f)
		measure.Resize(fyne.NewSize(width-numWidth-4*theme.Padding()-theme.ScrollBarSize(), 1))
		s.faultList.SetItemHeight(i, measure.MinSize().Height)
	}
	head := wrapped(lang.L("{{.Name}} was not imported: {{.Count}} faults. Correct them in the file and import it again.",
		map[string]any{"Name": name, "Count": len(faults)}))
	d := dialog.NewCustom(lang.L("Template not imported"), lang.L("Close"),
		container.NewBorder(head, nil, nil, nil, s.faultList), s.ui.win)
	d.Resize(fyne.NewSize(width, 520))
	d.Show()
}
