package app

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/inspect"
)

// textPause is how long typing must stop before a note or text is saved.
const textPause = 600 * time.Millisecond

// walkRow is one line of the walk's left list: a section title or an item.
type walkRow struct {
	section int
	item    int // index into items, -1 for the section title
}

// walkScreen is the checklist walk: items on the left, the current item on
// the right. Every change is saved at once through store.SaveAnswer.
type walkScreen struct {
	ui      *UI
	who     string
	in      *inspect.Inspection
	items   []*inspect.Item
	rows    []walkRow
	itemRow []int
	cur     int
	content fyne.CanvasObject

	list      *widget.List
	progress  *widget.Label
	status    *widget.Label
	detail    *fyne.Container
	selecting bool

	// Widgets of the current item, rebuilt with it.
	note         *walkEntry
	checkButtons [3]*widget.Button
	countEntry   *walkEntry
	countPlus    *widget.Button
	countMinus   *widget.Button
	present      map[string]*widget.Check
	reasons      map[string]*widget.Select
	extraName    *walkEntry
	extraAdd     *widget.Button
	numberEntry  *walkEntry
	choice       *widget.RadioGroup
	textEntry    *walkEntry
	thumbs       []*thumbnail

	typing  debouncer
	photoWG sync.WaitGroup
}

// ShowWalk opens the checklist walk of inspection id at item index item.
func (u *UI) ShowWalk(id string, item int) {
	u.flush() // a note still waiting belongs in what is loaded next
	in, err := u.store.Inspection(id)
	if err != nil {
		u.showError(err)
		return
	}
	u.leave()
	w := &walkScreen{ui: u, who: u.who(), in: in, items: in.Template.Items(), typing: debouncer{delay: textPause}}
	w.itemRow = make([]int, len(w.items))
	n := 0
	for si, sec := range in.Template.Sections {
		w.rows = append(w.rows, walkRow{section: si, item: -1})
		for range sec.Items {
			w.itemRow[n] = len(w.rows)
			w.rows = append(w.rows, walkRow{section: si, item: n})
			n++
		}
	}
	w.build()
	u.walk = w
	u.show(screenHome, w.content)
	u.remember(screenWalk, id)
	c := u.win.Canvas()
	c.SetOnTypedRune(w.typedRune)
	c.SetOnTypedKey(w.typedKey)
	u.win.SetOnDropped(w.dropped)
	if item < 0 || item >= len(w.items) {
		item = 0
	}
	w.goTo(item)
}

func (w *walkScreen) build() {
	w.progress = widget.NewLabel("")
	w.status = widget.NewLabel(lang.L("All changes are saved as you go"))
	w.status.Truncation = fyne.TextTruncateEllipsis
	w.list = widget.NewList(
		func() int { return len(w.rows) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewIcon(theme.RadioButtonIcon()), nil, l)
		},
		w.updateRow,
	)
	w.list.OnSelected = func(id widget.ListItemID) {
		if w.selecting || id >= len(w.rows) {
			return
		}
		if r := w.rows[id]; r.item >= 0 {
			w.goTo(r.item)
		} else if id+1 < len(w.rows) {
			w.goTo(w.rows[id+1].item)
		}
	}
	w.detail = container.NewStack()

	back := widget.NewButtonWithIcon(lang.L("Home"), theme.HomeIcon(), w.ui.ShowHome)
	title := widget.NewLabelWithStyle(fmt.Sprintf("%s · %s · %s", w.in.Unit.Name, modeText(w.in.Mode), w.in.Template.Title),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	next := widget.NewButtonWithIcon(lang.L("Next unanswered (N)"), theme.MailForwardIcon(), w.nextUnanswered)
	review := widget.NewButtonWithIcon(lang.L("Review"), theme.DocumentIcon(), func() { w.ui.ShowReview(w.in.ID) })
	review.Importance = widget.HighImportance
	top := container.NewBorder(nil, nil, back, container.NewHBox(next, review), title)

	left := container.NewBorder(w.progress, nil, nil, nil, w.list)
	split := container.NewHSplit(left, w.detail)
	split.Offset = 0.36
	w.content = container.NewBorder(top, w.status, nil, nil, split)
	w.refreshProgress()
}

func (w *walkScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	box := o.(*fyne.Container)
	label := box.Objects[0].(*widget.Label)
	icon := box.Objects[1].(*widget.Icon)
	r := w.rows[id]
	if r.item < 0 {
		label.TextStyle = fyne.TextStyle{Bold: true}
		label.SetText(w.in.Template.Sections[r.section].Title)
		icon.Hide()
		return
	}
	it := w.items[r.item]
	label.TextStyle = fyne.TextStyle{}
	label.SetText(it.Code + " " + it.Text)
	icon.Show()
	o2 := inspect.Evaluate(it, w.in.Answers[it.Code])
	switch {
	case !o2.Answered:
		icon.SetResource(theme.RadioButtonIcon())
	case o2.NA:
		icon.SetResource(theme.ContentRemoveIcon())
	case o2.Failed:
		icon.SetResource(theme.NewErrorThemedResource(theme.CancelIcon()))
	default:
		icon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	}
}

func (w *walkScreen) refreshProgress() {
	s := w.in.Score()
	w.progress.SetText(lang.L("Answered {{.Answered}} / {{.Total}}, deducted {{.Deducted}} points",
		map[string]any{"Answered": s.Answered, "Total": s.Total, "Deducted": fmtPoints(s.Deducted)}))
}

func fmtPoints(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// goTo makes item i current, saving any text still waiting.
func (w *walkScreen) goTo(i int) {
	if i < 0 || i >= len(w.items) {
		return
	}
	w.flush()
	w.cur = i
	w.ui.win.Canvas().Unfocus()
	w.rebuildDetail()
	w.selecting = true
	w.list.Select(w.itemRow[i])
	w.list.ScrollTo(w.itemRow[i])
	w.selecting = false
}

func (w *walkScreen) next()     { w.goTo(min(w.cur+1, len(w.items)-1)) }
func (w *walkScreen) previous() { w.goTo(max(w.cur-1, 0)) }

func (w *walkScreen) nextUnanswered() {
	w.flush()
	if i := w.in.NextUnanswered(w.cur); i >= 0 {
		w.goTo(i)
		return
	}
	w.setStatus(lang.L("Every item is answered"), widget.SuccessImportance)
}

func (w *walkScreen) typedRune(r rune) {
	switch r {
	case '1':
		w.resultKey(inspect.ResultPass)
	case '2':
		w.resultKey(inspect.ResultFail)
	case '3':
		w.resultKey(inspect.ResultNA)
	case 'j', 'J':
		w.next()
	case 'k', 'K':
		w.previous()
	case 'n', 'N':
		w.nextUnanswered()
	}
}

func (w *walkScreen) typedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyDown:
		w.next()
	case fyne.KeyUp:
		w.previous()
	case fyne.KeyReturn, fyne.KeyEnter:
		if w.note != nil {
			w.ui.win.Canvas().Focus(w.note)
		}
	}
}

// resultKey is 1/2/3: on a check item 合格/不合格/不适用; on other kinds 1
// confirms what is recorded (e.g. a count of 0) and 3 is 不适用.
func (w *walkScreen) resultKey(r inspect.Result) {
	it := w.items[w.cur]
	switch {
	case it.Kind == inspect.KindCheck || r == inspect.ResultNA:
		w.setResult(r)
	case r == inspect.ResultPass:
		w.confirm()
	}
}

// answerFor copies the stored answer of code, or starts a new one.
func (w *walkScreen) answerFor(code string) inspect.Answer {
	if a := w.in.Answers[code]; a != nil {
		c := *a
		c.Photos = slices.Clone(a.Photos)
		c.Absent = slices.Clone(a.Absent)
		return c
	}
	return inspect.Answer{ItemCode: code}
}

// save writes one answer durably and shows that it did.
func (w *walkScreen) save(a inspect.Answer) bool {
	a.AnsweredAt = time.Time{}
	a.AnsweredBy = ""
	in, err := w.ui.store.SaveAnswer(w.who, w.in.ID, a)
	if err != nil {
		w.setStatus(Message(err), widget.DangerImportance)
		return false
	}
	w.in = in
	w.setStatus(savedText(w.ui.store.Now()), widget.SuccessImportance)
	w.refreshProgress()
	w.list.RefreshItem(w.itemRow[slices.IndexFunc(w.items, func(it *inspect.Item) bool { return it.Code == a.ItemCode })])
	return true
}

func (w *walkScreen) setStatus(text string, imp widget.Importance) {
	w.status.Importance = imp
	w.status.SetText(text)
}

// flush saves pending text at once (before moving on or leaving).
func (w *walkScreen) flush() { w.typing.flush() }

func (w *walkScreen) setResult(r inspect.Result) {
	it := w.items[w.cur]
	a := w.answerFor(it.Code)
	a.Result = r
	if !w.save(a) {
		return
	}
	if r == inspect.ResultFail {
		w.rebuildDetail() // stay: a failure wants a note and a photo
		return
	}
	if w.cur < len(w.items)-1 {
		w.goTo(w.cur + 1)
	} else {
		w.rebuildDetail()
	}
}

// confirm records a count, attendance or text as it stands (e.g. 0 violations).
func (w *walkScreen) confirm() {
	it := w.items[w.cur]
	a := w.answerFor(it.Code)
	switch it.Kind {
	case inspect.KindCount:
		a.Counted = true
	case inspect.KindAttendance:
		a.Counted = true
		a.Expected = len(w.in.Unit.Staff)
	case inspect.KindText:
		a.Result = inspect.ResultPass
	default:
		return
	}
	if a.Result == inspect.ResultNA {
		a.Result = inspect.ResultNone
	}
	if w.save(a) {
		w.rebuildDetail()
	}
}

func (w *walkScreen) setCount(n int) {
	it := w.items[w.cur]
	a := w.answerFor(it.Code)
	if n < 0 {
		n = 0
	}
	a.Count, a.Counted = n, true
	if a.Result == inspect.ResultNA {
		a.Result = inspect.ResultNone
	}
	if w.save(a) && w.countEntry != nil && w.countEntry.Text != strconv.Itoa(n) {
		w.countEntry.SetText(strconv.Itoa(n))
	}
}

// setAbsent records person name (on the roster or not) as absent with
// reason, or present when absent is false.
func (w *walkScreen) setAbsent(name, post string, onRoster, absent bool, reason inspect.AbsenceReason) {
	it := w.items[w.cur]
	a := w.answerFor(it.Code)
	a.Counted = true
	a.Expected = len(w.in.Unit.Staff)
	if a.Result == inspect.ResultNA {
		a.Result = inspect.ResultNone
	}
	i := slices.IndexFunc(a.Absent, func(p inspect.AbsentPerson) bool { return p.Name == name })
	switch {
	case absent && i >= 0:
		a.Absent[i].Reason = reason
	case absent:
		a.Absent = append(a.Absent, inspect.AbsentPerson{Name: name, Post: post, Reason: reason, OnRoster: onRoster})
	case i >= 0:
		a.Absent = slices.Delete(a.Absent, i, i+1)
	}
	if w.save(a) {
		w.rebuildDetail()
	}
}

// rebuildDetail draws the current item's panel from the stored answer.
func (w *walkScreen) rebuildDetail() {
	it := w.items[w.cur]
	a := w.in.Answers[it.Code]
	sec := w.in.Template.Sections[w.rows[w.itemRow[w.cur]].section]

	head := widget.NewLabel(fmt.Sprintf("%s · %s · %d / %d", sec.Title, it.Code, w.cur+1, len(w.items)))
	text := widget.NewLabelWithStyle(it.Text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text.Wrapping = fyne.TextWrapWord
	guidance := widget.NewLabel(it.Guidance)
	guidance.Wrapping = fyne.TextWrapWord

	box := container.NewVBox(head, text, guidance, widget.NewSeparator())
	box.Add(w.control(it, a))
	if o := inspect.Evaluate(it, a); o.Answered {
		msg := lang.L("Answered")
		switch {
		case o.NA:
			msg = lang.L("Not applicable")
		case o.Veto:
			msg = lang.L("Veto: rated lowest whatever the score")
		case o.Deduction > 0:
			msg = lang.L("Deducts {{.Points}} points", map[string]any{"Points": fmtPoints(o.Deduction)})
		case o.Failed:
			msg = lang.L("A problem, no deduction")
		}
		outcome := widget.NewLabel(msg)
		if o.Failed {
			outcome.Importance = widget.DangerImportance
		}
		box.Add(outcome)
	}

	w.note = w.newEntry(true)
	w.note.SetMinRowsVisible(3)
	w.note.SetPlaceHolder(lang.L("Note (Enter to write, Esc to leave, saved as you type)"))
	if a != nil {
		w.note.SetText(a.Note)
	}
	code := it.Code
	w.note.OnChanged = func(s string) {
		w.typing.call(func() {
			a := w.answerFor(code)
			if a.Note != s {
				a.Note = s
				w.save(a)
			}
		})
	}
	box.Add(widget.NewLabelWithStyle(lang.L("Note"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	box.Add(w.note)
	box.Add(w.photoRow(it, a))

	prev := widget.NewButtonWithIcon(lang.L("Previous (K)"), theme.NavigateBackIcon(), w.previous)
	next := widget.NewButtonWithIcon(lang.L("Next (J)"), theme.NavigateNextIcon(), w.next)
	box.Add(container.NewHBox(prev, next))

	w.detail.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewPadded(box))}
	w.detail.Refresh()
}

// control is the input for the item's kind.
func (w *walkScreen) control(it *inspect.Item, a *inspect.Answer) fyne.CanvasObject {
	var ans inspect.Answer
	if a != nil {
		ans = *a
	}
	naButton := func() *widget.Button {
		b := widget.NewButton(lang.L("Not applicable (3)"), func() { w.setResult(inspect.ResultNA) })
		if ans.Result == inspect.ResultNA {
			b.Importance = widget.HighImportance
		}
		return b
	}
	switch it.Kind {
	case inspect.KindCheck:
		labels := []string{lang.L("Pass (1)"), lang.L("Fail (2)"), lang.L("Not applicable (3)")}
		results := []inspect.Result{inspect.ResultPass, inspect.ResultFail, inspect.ResultNA}
		row := container.NewGridWithColumns(3)
		for i := range labels {
			r := results[i]
			b := widget.NewButton(labels[i], func() { w.setResult(r) })
			if ans.Result == r {
				b.Importance = widget.HighImportance
				if r == inspect.ResultFail {
					b.Importance = widget.DangerImportance
				}
			}
			w.checkButtons[i] = b
			row.Add(b)
		}
		return row

	case inspect.KindCount:
		w.countEntry = w.newEntry(false)
		w.countEntry.SetText(strconv.Itoa(ans.Count))
		w.countEntry.OnChanged = func(s string) {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 0 {
				return
			}
			if cur := w.in.Answers[it.Code]; cur == nil || cur.Count != n || !cur.Counted {
				w.setCount(n)
			}
		}
		w.countMinus = widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() {
			w.setCount(w.answerFor(it.Code).Count - 1)
		})
		w.countPlus = widget.NewButtonWithIcon("", theme.ContentAddIcon(), func() {
			w.setCount(w.answerFor(it.Code).Count + 1)
		})
		none := widget.NewButton(lang.L("None found (1)"), w.confirm)
		label := widget.NewLabel(lang.L("Violations"))
		return container.NewHBox(label, w.countMinus, container.NewGridWrap(fyne.NewSize(80, w.countEntry.MinSize().Height), w.countEntry), w.countPlus, none, naButton())

	case inspect.KindAttendance:
		return w.attendance(it, ans, naButton())

	case inspect.KindNumber:
		w.numberEntry = w.newEntry(false)
		if ans.Number != nil {
			w.numberEntry.SetText(fmtPoints(*ans.Number))
		}
		w.numberEntry.OnChanged = func(s string) {
			w.typing.call(func() {
				s = strings.TrimSpace(s)
				a := w.answerFor(it.Code)
				if s == "" {
					return
				}
				v, err := strconv.ParseFloat(s, 64)
				if err != nil {
					w.setStatus(lang.L("Not a number: {{.Text}}", map[string]any{"Text": s}), widget.DangerImportance)
					return
				}
				a.Number = &v
				if a.Result == inspect.ResultNA {
					a.Result = inspect.ResultNone
				}
				w.save(a)
			})
		}
		return container.NewBorder(nil, nil, nil, container.NewHBox(widget.NewLabel(it.Unit), naButton()), w.numberEntry)

	case inspect.KindChoice:
		labels := make([]string, len(it.Choices))
		for i, c := range it.Choices {
			labels[i] = c.Label
		}
		w.choice = widget.NewRadioGroup(labels, nil)
		w.choice.SetSelected(ans.Choice)
		w.choice.OnChanged = func(s string) {
			a := w.answerFor(it.Code)
			if s == "" || s == a.Choice {
				return
			}
			a.Choice = s
			if a.Result == inspect.ResultNA {
				a.Result = inspect.ResultNone
			}
			w.save(a)
		}
		return container.NewVBox(w.choice, naButton())

	default: // text
		w.textEntry = w.newEntry(true)
		w.textEntry.SetText(ans.Text)
		w.textEntry.OnChanged = func(s string) {
			w.typing.call(func() {
				a := w.answerFor(it.Code)
				if a.Text != s {
					a.Text = s
					w.save(a)
				}
			})
		}
		return w.textEntry
	}
}

// attendance lists the unit's roster with present/absent and a reason, and
// the people found absent who are not on it.
func (w *walkScreen) attendance(it *inspect.Item, ans inspect.Answer, na fyne.CanvasObject) fyne.CanvasObject {
	reasonLabels := make([]string, len(inspect.AbsenceReasons))
	for i, r := range inspect.AbsenceReasons {
		reasonLabels[i] = reasonText(r)
	}
	reasonOf := func(label string) inspect.AbsenceReason {
		if i := slices.Index(reasonLabels, label); i >= 0 {
			return inspect.AbsenceReasons[i]
		}
		return inspect.AbsenceUnknown
	}
	absent := map[string]inspect.AbsentPerson{}
	for _, p := range ans.Absent {
		absent[p.Name] = p
	}
	w.present = map[string]*widget.Check{}
	w.reasons = map[string]*widget.Select{}
	grid := container.New(layout.NewFormLayout())
	addRow := func(name, post string, onRoster bool) {
		p, isAbsent := absent[name]
		label := name
		if post != "" {
			label += "（" + post + "）"
		}
		if !onRoster {
			label += " · " + lang.L("not on roster")
		}
		reason := widget.NewSelect(reasonLabels, nil)
		reason.PlaceHolder = lang.L("Reason")
		if isAbsent {
			reason.SetSelected(reasonText(p.Reason))
		} else {
			reason.Disable()
		}
		reason.OnChanged = func(s string) { w.setAbsent(name, post, onRoster, true, reasonOf(s)) }
		var right fyne.CanvasObject = reason
		if onRoster {
			check := widget.NewCheck(lang.L("Present"), nil)
			check.SetChecked(!isAbsent)
			check.OnChanged = func(present bool) {
				w.setAbsent(name, post, true, !present, inspect.AbsenceUnknown)
			}
			w.present[name] = check
			right = container.NewHBox(check, reason)
		} else {
			remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { w.setAbsent(name, post, false, false, "") })
			right = container.NewHBox(reason, remove)
		}
		w.reasons[name] = reason
		grid.Add(widget.NewLabel(label))
		grid.Add(right)
	}
	for _, s := range w.in.Unit.Staff {
		addRow(s.Name, s.Post, true)
	}
	for _, p := range ans.Absent {
		if !p.OnRoster {
			addRow(p.Name, p.Post, false)
		}
	}
	expected := len(w.in.Unit.Staff)
	summary := widget.NewLabel(lang.L("Expected {{.Expected}}, present {{.Present}}",
		map[string]any{"Expected": expected, "Present": (&inspect.Answer{Expected: expected, Absent: ans.Absent}).Present()}))
	if expected == 0 {
		summary.SetText(lang.L("The unit has no roster: add the absent people below."))
	}
	w.extraName = w.newEntry(false)
	w.extraName.SetPlaceHolder(lang.L("Name of a person not on the roster"))
	w.extraAdd = widget.NewButtonWithIcon(lang.L("Add absent person"), theme.ContentAddIcon(), func() {
		name := strings.TrimSpace(w.extraName.Text)
		if name == "" {
			return
		}
		w.setAbsent(name, "", false, true, inspect.AbsenceUnknown)
	})
	confirm := widget.NewButton(lang.L("Confirm attendance (1)"), w.confirm)
	return container.NewVBox(summary, grid, container.NewBorder(nil, nil, nil, w.extraAdd, w.extraName), container.NewHBox(confirm, na))
}

// photoRow shows the item's photos and the button to add more.
func (w *walkScreen) photoRow(it *inspect.Item, a *inspect.Answer) fyne.CanvasObject {
	add := widget.NewButtonWithIcon(lang.L("Add photo"), theme.MediaPhotoIcon(), w.choosePhoto)
	hint := lang.L("or drag image files onto the window")
	if it.Evidence == inspect.EvidenceRequiredOnFail {
		hint = lang.L("A photo is required when this item fails") + " · " + hint
	}
	h := widget.NewLabel(hint)
	h.Importance = widget.LowImportance
	row := container.NewHBox()
	w.thumbs = nil
	if a != nil {
		for _, hash := range a.Photos {
			t := newThumbnail(hash, w.ui.photos, w.ui.showPhoto)
			w.thumbs = append(w.thumbs, t)
			row.Add(t)
		}
	}
	return container.NewVBox(container.NewHBox(add, h), container.NewHScroll(row))
}

func (w *walkScreen) choosePhoto() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			w.ui.showError(err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		w.AddPhotos([]string{path})
	}, w.ui.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".jpg", ".jpeg", ".png", ".gif", ".JPG", ".JPEG", ".PNG"}))
	d.Show()
}

func (w *walkScreen) dropped(_ fyne.Position, uris []fyne.URI) {
	var paths []string
	for _, u := range uris {
		if u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	w.AddPhotos(paths)
}

// AddPhotos adds image files to the current item. Reading, hashing and
// checking a large photo happens off the UI goroutine; the answer is saved
// back on it through fyne.Do. A file that is not an image is refused by name.
func (w *walkScreen) AddPhotos(paths []string) {
	if len(paths) == 0 {
		return
	}
	code := w.items[w.cur].Code
	w.setStatus(lang.L("Adding photos…"), widget.MediumImportance)
	w.photoWG.Add(1)
	go func() {
		defer w.photoWG.Done()
		for _, p := range paths {
			meta, err := w.ui.store.AddPhotoFile(w.who, p)
			fyne.Do(func() {
				if err != nil {
					w.setStatus(Message(err), widget.DangerImportance)
					dialog.ShowError(errors.New(Message(err)), w.ui.win)
					return
				}
				a := w.answerFor(code)
				if !slices.Contains(a.Photos, meta.Hash) {
					a.Photos = append(a.Photos, meta.Hash)
				}
				if w.save(a) && w.ui.walk == w && w.items[w.cur].Code == code {
					w.rebuildDetail()
				}
			})
		}
	}()
}

// walkEntry is an entry of the walk that Escape leaves: the text is saved
// and the focus goes back to the window, so that 1/2/3, J/K and N answer
// and move again.
type walkEntry struct {
	widget.Entry
	onEscape func()
}

func (w *walkScreen) newEntry(multiLine bool) *walkEntry {
	e := &walkEntry{onEscape: w.leaveEntry}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey handles Escape; every other key is the entry's.
func (e *walkEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// leaveEntry saves pending text and gives the keys back to the walk.
func (w *walkScreen) leaveEntry() {
	w.flush()
	w.ui.win.Canvas().Unfocus()
}
