package app

import (
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
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/desk"
	"mingcha/inspect"
	"mingcha/msg"
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
	note              *walkEntry
	checkButtons      [3]*widget.Button
	naButton          *widget.Button
	countEntry        *walkEntry
	countPlus         *widget.Button
	countMinus        *widget.Button
	noneButton        *widget.Button
	roster            []*rosterRow
	present           map[string]*widget.Check
	reasons           map[string]*widget.Select
	extraName         *walkEntry
	extraAdd          *widget.Button
	attendanceConfirm *widget.Button
	numberEntry       *walkEntry
	choiceButtons     []*widget.Button
	textEntry         *walkEntry
	lapButton         *widget.Button
	nextButton        *widget.Button
	reviewButton      *widget.Button
	outcome           *widget.Label
	answeredAt        *widget.Label
	thumbs            []*thumbnail
	removeButtons     []*widget.Button
	replaceButtons    []*widget.Button
	photoHint         *widget.Label // "a photo is required…", in warning colour while missing
	addPhotoButton    *widget.Button
	focusName         string // the roster row (or "\x00add", the name field) to focus after a redraw

	typing  debouncer
	photoWG sync.WaitGroup
}

// whoOn names the person behind an edit of in: the identity, else the
// inspection's first inspector (never a placeholder such as "inspector").
func (u *UI) whoOn(in *inspect.Inspection) string {
	if me := u.identity().Name; me != "" || len(in.Inspectors) == 0 {
		return u.who()
	}
	return in.Inspectors[0]
}

// ShowWalk opens the checklist walk of inspection id at item index item;
// -1 resumes at the item answered last.
func (u *UI) ShowWalk(id string, item int) {
	u.flush() // a note still waiting belongs in what is loaded next
	in, err := u.store.Inspection(id)
	if err != nil {
		u.showError(err)
		return
	}
	u.leave()
	w := &walkScreen{ui: u, who: u.whoOn(in), in: in, items: in.Template.Items(), typing: debouncer{delay: textPause, sched: u.sched}}
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
		item = in.LastWorked() // resume where the inspector was
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
	keys := widget.NewButtonWithIcon(lang.L("Keys (?)"), theme.HelpIcon(), w.showKeys)
	review := widget.NewButtonWithIcon(lang.L("Review"), theme.DocumentIcon(), func() { w.ui.ShowReview(w.in.ID) })
	review.Importance = widget.HighImportance
	w.reviewButton = review
	top := container.NewBorder(nil, nil, back, container.NewHBox(keys, next, review), title)

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
	// Remembered at once, not only on leaving: after a crash or a kill
	// the restart resumes here (QA: it went back to SP-01).
	w.ui.rememberItem()
	if w.status.Importance == widget.DangerImportance { // a refusal belongs to the item it was about
		w.setStatus(lang.L("All changes are saved as you go"), widget.MediumImportance)
	}
	w.ui.win.Canvas().Unfocus()
	if w.items[i].Kind == inspect.KindAttendance && len(w.in.Unit.Staff) > 0 {
		w.focusName = w.in.Unit.Staff[0].Name // the roster takes the keys at once
	}
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

// The walk's keys, one rule for every kind of item (nothing focused):
//
//	1 2 3   合格 / 不合格 / 不适用; on a count item 1 is 未发现 and 2 starts
//	        counting; on a choice item 1…n pick the choices in order
//	Enter   on a number item: enter its field; then 0–9 . type the number
//	        and Enter confirms and moves on. Digits pressed on a number
//	        item outside its field type nothing (they are answer keys: a
//	        "1" meant for the item before must not become "1 分钟").
//	+ −     a count up or down
//	X       不适用 on any item (where 3 is a choice or a digit)
//	T       the stopwatch's next reading (取号, 叫号, 办结 or a call)
//	B       write the note (备注); Esc leaves it
//	Enter   confirm what the item shows and move to the next item
//	J K ↑ ↓ next / previous item; N the next unanswered item
//	?  F1   these keys, in a dialog
//
// On the roster (attendance) Space toggles 在岗 on the focused row and a
// letter picks the reason (Q 请假, C 出差, H 会议, T 脱岗, B 不明, Z 在岗);
// A goes to the name of a person not on the roster, where Enter adds them.
func (w *walkScreen) typedRune(r rune) {
	it := w.items[w.cur]
	switch {
	case it.Kind == inspect.KindNumber && (r >= '0' && r <= '9' || r == '.'):
		w.setStatus(lang.L("Press Enter to type the number: digits outside the field are answer keys"), widget.WarningImportance)
	case r == '?' || r == '？':
		w.showKeys()
	case r >= '1' && r <= '9':
		w.digit(int(r - '0'))
	case r == '+' || r == '=':
		w.bump(1)
	case r == '-' || r == '−':
		w.bump(-1)
	case r == 'x' || r == 'X':
		w.setResult(inspect.ResultNA)
	case r == 't' || r == 'T':
		w.lap()
	case r == 'b' || r == 'B':
		if w.note != nil {
			w.canvas().Focus(w.note)
		}
	case r == 'a' || r == 'A':
		if w.extraName != nil {
			w.canvas().Focus(w.extraName)
		}
	case r == ' ':
		if len(w.roster) > 0 {
			w.canvas().Focus(w.roster[0])
		}
	case r == 'j' || r == 'J':
		w.next()
	case r == 'k' || r == 'K':
		w.previous()
	case r == 'n' || r == 'N':
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
		if it := w.items[w.cur]; it.Kind == inspect.KindNumber && w.numberEntry != nil {
			if a := w.in.Answers[it.Code]; a == nil || a.Number == nil && a.Result != inspect.ResultNA {
				w.canvas().Focus(w.numberEntry) // the field takes the digits now
				return
			}
		}
		w.confirmAndNext()
	case fyne.KeyF1:
		w.showKeys()
	}
}

// showKeys shows the walk's keys (the rule above, in the user's language).
func (w *walkScreen) showKeys() {
	help := widget.NewLabel(lang.L("walk.keys"))
	help.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(lang.L("Keys of the walk"), lang.L("Close"), container.NewVScroll(help), w.ui.win)
	size := w.ui.win.Canvas().Size()
	d.Resize(fyne.NewSize(min(640, size.Width*0.95), min(560, size.Height*0.9)))
	d.Show()
}

func (w *walkScreen) canvas() fyne.Canvas { return w.ui.win.Canvas() }

// digit is 1–9 pressed on the window.
func (w *walkScreen) digit(d int) {
	it := w.items[w.cur]
	switch it.Kind {
	case inspect.KindCheck:
		if d <= 3 {
			w.setResult([]inspect.Result{inspect.ResultPass, inspect.ResultFail, inspect.ResultNA}[d-1])
		}
	case inspect.KindChoice:
		if d <= len(it.Choices) {
			w.setChoice(it.Choices[d-1].Label)
		}
	case inspect.KindCount:
		switch d {
		case 1:
			w.setCount(0, true)
		case 2: // violations found: one, and the count field takes the number
			a := w.answerFor(it.Code)
			w.setCount(max(a.Count, 1), false)
			if w.countEntry != nil {
				w.canvas().Focus(w.countEntry)
				w.countEntry.selectAll()
			}
		case 3:
			w.setResult(inspect.ResultNA)
		}
	case inspect.KindAttendance:
		switch d {
		case 1:
			w.confirm()
			w.advance()
		case 2:
			if len(w.roster) > 0 {
				w.canvas().Focus(w.roster[0])
			} else if w.extraName != nil {
				w.canvas().Focus(w.extraName)
			}
		case 3:
			w.setResult(inspect.ResultNA)
		}
	case inspect.KindText:
		switch d {
		case 1:
			w.confirm()
			w.advance()
		case 2:
			w.canvas().Focus(w.textEntry)
		case 3:
			w.setResult(inspect.ResultNA)
		}
	}
}

// advance moves to the next item, or redraws the last one.
func (w *walkScreen) advance() {
	if w.cur < len(w.items)-1 {
		w.goTo(w.cur + 1)
	} else {
		w.rebuildDetail()
	}
}

// confirmAndNext is Enter: what the item shows is its answer (a count of
// 0, attendance as marked), then the next item.
func (w *walkScreen) confirmAndNext() {
	w.flush()
	switch w.items[w.cur].Kind {
	case inspect.KindCount, inspect.KindAttendance:
		w.confirm()
	}
	w.advanceUnlessPhotoNeeded()
}

// advanceUnlessPhotoNeeded moves on after an answer, but stays on an item
// whose failure needs a photo that is not attached yet, as a failed check
// does (a count of violations confirmed with Enter went on to the next
// item and left its photo to the review's list); J still moves on.
func (w *walkScreen) advanceUnlessPhotoNeeded() {
	it := w.items[w.cur]
	if a := w.in.Answers[it.Code]; a != nil && len(a.Photos) == 0 && staysOnFailure(it, inspect.Evaluate(it, a)) {
		w.rebuildDetail()
		return
	}
	w.advance()
}

// bump is + or −: the count goes up or down by one.
func (w *walkScreen) bump(by int) {
	it := w.items[w.cur]
	if it.Kind != inspect.KindCount {
		return
	}
	w.setCount(w.answerFor(it.Code).Count+by, false)
}

// answerFor copies the stored answer of code, or starts a new one.
func (w *walkScreen) answerFor(code string) inspect.Answer {
	if a := w.in.Answers[code]; a != nil {
		c := *a
		c.Photos = slices.Clone(a.Photos)
		c.Absent = slices.Clone(a.Absent)
		c.OffRoster = slices.Clone(a.OffRoster)
		c.Times = slices.Clone(a.Times)
		return c
	}
	return inspect.Answer{ItemCode: code}
}

// save writes one answer durably and shows that it did, and what it
// deducts, at once.
func (w *walkScreen) save(a inspect.Answer) bool {
	a.AnsweredAt = time.Time{}
	a.AnsweredBy = ""
	in, err := w.ui.store.SaveAnswer(w.who, w.in.ID, a)
	if err != nil {
		w.setStatus(msg.Of(err), widget.DangerImportance)
		return false
	}
	w.in = in
	w.setStatus(savedText(w.ui.store.Now()), widget.SuccessImportance)
	w.refreshProgress()
	w.list.RefreshItem(w.itemRow[slices.IndexFunc(w.items, func(it *inspect.Item) bool { return it.Code == a.ItemCode })])
	if w.items[w.cur].Code == a.ItemCode {
		w.refreshOutcome()
	}
	return true
}

func (w *walkScreen) setStatus(text string, imp widget.Importance) {
	w.status.Importance = imp
	w.status.SetText(text)
}

// draft writes the text typed into a field of item code to its draft
// file at once, before the pause in typing saves it, and returns it.
func (w *walkScreen) draft(code string, field desk.DraftField, text string) desk.Draft {
	dr := desk.Draft{Inspection: w.in.ID, Item: code, Field: field, Text: text, Who: w.who}
	if a := w.in.Answers[code]; a != nil {
		dr.Base = a.Note
		if field == desk.DraftText {
			dr.Base = a.Text
		}
	}
	w.ui.keepDraft(dr)
	return dr
}

// flush saves pending text at once (before moving on or leaving).
func (w *walkScreen) flush() { w.typing.flush() }

// staysOnFailure: a failed item that needs a photo keeps the walk there.
func staysOnFailure(it *inspect.Item, o inspect.Outcome) bool {
	return o.Failed && it.Evidence == inspect.EvidenceRequiredOnFail
}

func (w *walkScreen) setResult(r inspect.Result) {
	it := w.items[w.cur]
	a := w.answerFor(it.Code)
	a.Result = r
	if r != inspect.ResultNA && it.Kind != inspect.KindCheck {
		return
	}
	if !w.save(a) {
		return
	}
	if staysOnFailure(it, inspect.Evaluate(it, w.in.Answers[it.Code])) {
		w.rebuildDetail() // stay: the failure needs its photo
		return
	}
	w.advance()
}

func (w *walkScreen) setChoice(label string) {
	it := w.items[w.cur]
	a := w.answerFor(it.Code)
	a.Choice = label
	if a.Result == inspect.ResultNA {
		a.Result = inspect.ResultNone
	}
	if !w.save(a) {
		return
	}
	if staysOnFailure(it, inspect.Evaluate(it, w.in.Answers[it.Code])) {
		w.rebuildDetail()
		return
	}
	w.advance()
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
		if a.Text == "" {
			a.Result = inspect.ResultPass
		}
	default:
		return
	}
	if a.Result == inspect.ResultNA {
		a.Result = inspect.ResultNone
	}
	if cur := w.in.Answers[it.Code]; cur != nil && inspect.Evaluate(it, cur).Answered && cur.Result != inspect.ResultNA {
		return // already recorded: nothing to write
	}
	w.save(a)
}

// setCount records n violations; advance moves on (1 = 未发现).
func (w *walkScreen) setCount(n int, advance bool) {
	it := w.items[w.cur]
	a := w.answerFor(it.Code)
	n = max(n, 0)
	a.Count, a.Counted = n, true
	if a.Result == inspect.ResultNA {
		a.Result = inspect.ResultNone
	}
	if !w.save(a) {
		return
	}
	if w.countEntry != nil && w.countEntry.Text != strconv.Itoa(n) {
		w.countEntry.SetText(strconv.Itoa(n))
	}
	if advance {
		w.advance()
	}
}

// setPerson records person name as present or absent with reason. People
// not on the roster are kept apart (名册外): present ones count in 应到 and
// 实到, absent ones with their reason like anyone else.
func (w *walkScreen) setPerson(name, post string, onRoster, present bool, reason inspect.AbsenceReason) {
	it := w.items[w.cur]
	a := w.answerFor(it.Code)
	a.Counted = true
	a.Expected = len(w.in.Unit.Staff)
	if a.Result == inspect.ResultNA {
		a.Result = inspect.ResultNone
	}
	ai := slices.IndexFunc(a.Absent, func(p inspect.AbsentPerson) bool { return p.Name == name })
	oi := slices.IndexFunc(a.OffRoster, func(p inspect.StaffMember) bool { return p.Name == name })
	switch {
	case present:
		if ai >= 0 {
			a.Absent = slices.Delete(a.Absent, ai, ai+1)
		}
		if !onRoster && oi < 0 {
			a.OffRoster = append(a.OffRoster, inspect.StaffMember{Name: name, Post: post})
		}
	case ai >= 0:
		a.Absent[ai].Reason = reason
	default:
		if oi >= 0 {
			a.OffRoster = slices.Delete(a.OffRoster, oi, oi+1)
		}
		a.Absent = append(a.Absent, inspect.AbsentPerson{Name: name, Post: post, Reason: reason, OnRoster: onRoster})
	}
	if w.focusName != "\x00add" {
		w.focusName = name
	}
	if w.save(a) {
		w.rebuildDetail()
	}
}

// removePerson takes a person not on the roster off the list.
func (w *walkScreen) removePerson(name string) {
	it := w.items[w.cur]
	a := w.answerFor(it.Code)
	a.Absent = slices.DeleteFunc(a.Absent, func(p inspect.AbsentPerson) bool { return p.Name == name && !p.OnRoster })
	a.OffRoster = slices.DeleteFunc(a.OffRoster, func(p inspect.StaffMember) bool { return p.Name == name })
	if w.save(a) {
		w.rebuildDetail()
	}
}

// addOffRoster is Enter in the name field: a person not on the roster,
// found at their post (Space or a letter then marks them absent).
func (w *walkScreen) addOffRoster() bool {
	name := strings.TrimSpace(w.extraName.Text)
	if name == "" {
		return false
	}
	for _, s := range w.in.Unit.Staff {
		if s.Name == name {
			w.setStatus(lang.L("{{.Name}} is on the roster already", map[string]any{"Name": name}), widget.WarningImportance)
			return true
		}
	}
	w.focusName = "\x00add" // stay in the name field for the next one
	w.setPerson(name, "", false, true, "")
	return true
}

// lap is T or the stopwatch button: the next reading at the current time.
// The last reading of a queue (办结) moves on.
func (w *walkScreen) lap() {
	it := w.items[w.cur]
	if it.Timer == inspect.TimerNone {
		return
	}
	a := w.answerFor(it.Code)
	if !inspect.Lap(it, &a, w.ui.Now()) {
		return
	}
	if !w.save(a) {
		return
	}
	if it.Timer == inspect.TimerQueue && inspect.NextMark(it, &a) == "" {
		w.advance()
		return
	}
	w.rebuildDetail()
}

// resetTimer clears the stopwatch's readings (the minutes stay as typed).
func (w *walkScreen) resetTimer() {
	it := w.items[w.cur]
	a := w.answerFor(it.Code)
	a.Times = nil
	if w.save(a) {
		w.rebuildDetail()
	}
}

// outcomeText says what the current answer means for the score, at once.
func outcomeText(it *inspect.Item, o inspect.Outcome) string {
	switch {
	case !o.Answered:
		return lang.L("Not answered yet")
	case o.NA:
		return lang.L("Not applicable")
	case o.Veto:
		return lang.L("Veto: rated lowest whatever the score")
	case o.Deduction > 0 && o.Failed:
		return lang.L("A problem; deducts {{.Points}} points", map[string]any{"Points": fmtPoints(o.Deduction)}) + explainOutcome(o)
	case o.Deduction > 0:
		return lang.L("Deducts {{.Points}} points; not a problem to rectify", map[string]any{"Points": fmtPoints(o.Deduction)})
	case o.Failed:
		return lang.L("A problem, no deduction")
	}
	return lang.L("No deduction")
}

// explainOutcome words a per-violation deduction: 3 × 2 points, capped at 5.
func explainOutcome(o inspect.Outcome) string {
	if o.PerViolation <= 0 {
		return ""
	}
	return lang.L(" ({{.Count}} × {{.Points}} points)", map[string]any{"Count": o.Violations, "Points": fmtPoints(o.PerViolation)}) +
		capText(o.Capped, o.Cap)
}

func capText(capped bool, limit float64) string {
	if !capped {
		return ""
	}
	return lang.L(", capped at {{.Cap}}", map[string]any{"Cap": fmtPoints(limit)})
}

func (w *walkScreen) refreshOutcome() {
	if w.outcome == nil {
		return
	}
	it := w.items[w.cur]
	a := w.in.Answers[it.Code]
	o := inspect.Evaluate(it, a)
	w.outcome.SetText(outcomeText(it, o))
	w.outcome.Importance = widget.MediumImportance
	if o.Failed {
		w.outcome.Importance = widget.DangerImportance
	}
	w.outcome.Refresh()
	w.answeredAt.SetText(answeredText(a))
}

// answeredText is when (and by whom) the answer was last recorded.
func answeredText(a *inspect.Answer) string {
	if a == nil || a.AnsweredAt.IsZero() {
		return ""
	}
	t := a.AnsweredAt.In(inspect.Zone).Format("15:04:05")
	if a.AnsweredBy == "" {
		return lang.L("Recorded at {{.Time}}", map[string]any{"Time": t})
	}
	return lang.L("Recorded at {{.Time}} by {{.Name}}", map[string]any{"Time": t, "Name": a.AnsweredBy})
}

// rebuildDetail draws the current item's panel from the stored answer. A
// roster row or the name field that had the keys keeps them; otherwise
// nothing in the panel holds the focus, so the walk's keys work.
func (w *walkScreen) rebuildDetail() {
	it := w.items[w.cur]
	a := w.in.Answers[it.Code]
	sec := w.in.Template.Sections[w.rows[w.itemRow[w.cur]].section]
	focus := w.focusName
	w.focusName = ""
	w.canvas().Unfocus()

	head := widget.NewLabel(fmt.Sprintf("%s · %s · %d / %d", sec.Title, it.Code, w.cur+1, len(w.items)))
	text := widget.NewLabelWithStyle(it.Text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text.Wrapping = fyne.TextWrapWord
	guidance := widget.NewLabel(it.Guidance)
	guidance.Wrapping = fyne.TextWrapWord

	box := container.NewVBox(head, text, guidance, widget.NewSeparator())
	w.roster, w.choiceButtons, w.lapButton = nil, nil, nil
	w.countEntry, w.numberEntry, w.textEntry, w.extraName = nil, nil, nil, nil
	box.Add(w.control(it, a))
	if it.Timer != inspect.TimerNone {
		box.Add(w.stopwatch(it, a))
	}
	w.outcome = widget.NewLabel("")
	w.outcome.Wrapping = fyne.TextWrapWord
	w.answeredAt = widget.NewLabel("")
	w.answeredAt.Importance = widget.LowImportance
	box.Add(w.outcome)
	box.Add(w.answeredAt)
	w.refreshOutcome()

	w.note = w.newEntry(true)
	w.note.SetMinRowsVisible(3)
	w.note.SetPlaceHolder(lang.L("Note (B to write, Esc to leave, saved as you type)"))
	if a != nil {
		w.note.SetText(a.Note)
	}
	code := it.Code
	w.note.OnChanged = func(s string) {
		dr := w.draft(code, desk.DraftNote, s)
		w.typing.call(func() {
			a := w.answerFor(code)
			if a.Note != s {
				a.Note = s
				if !w.save(a) {
					return // the draft stays for the next open
				}
			}
			w.ui.dropDraft(dr)
		})
	}
	box.Add(widget.NewLabelWithStyle(lang.L("Note"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	box.Add(w.note)
	box.Add(w.photoRow(it, a))

	prev := widget.NewButtonWithIcon(lang.L("Previous (K)"), theme.NavigateBackIcon(), w.previous)
	next := widget.NewButtonWithIcon(lang.L("Next (J)"), theme.NavigateNextIcon(), w.next)
	w.nextButton = next
	box.Add(container.NewHBox(prev, next))

	w.detail.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewPadded(box))}
	w.detail.Refresh()
	switch {
	case focus == "\x00add" && w.extraName != nil:
		w.canvas().Focus(w.extraName)
	case focus != "":
		for _, r := range w.roster {
			if r.name == focus {
				w.canvas().Focus(r)
			}
		}
	}
}

// control is the input for the item's kind. Buttons, not radio groups or
// check boxes: a tapped button does not keep the focus, so the keys go on
// working after a click.
func (w *walkScreen) control(it *inspect.Item, a *inspect.Answer) fyne.CanvasObject {
	var ans inspect.Answer
	if a != nil {
		ans = *a
	}
	naButton := func(label string) *widget.Button {
		b := widget.NewButton(label, func() { w.setResult(inspect.ResultNA) })
		if ans.Result == inspect.ResultNA {
			b.Importance = widget.HighImportance
		}
		w.naButton = b
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
		w.countEntry.onRune = func(r rune) bool {
			switch r {
			case '+', '=':
				w.bump(1)
			case '-', '−':
				w.bump(-1)
			default:
				return false
			}
			w.countEntry.selectAll()
			return true
		}
		w.countEntry.onEnter = w.confirmAndNext
		w.countEntry.OnChanged = func(s string) {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 0 {
				return
			}
			if cur := w.in.Answers[it.Code]; cur == nil || cur.Count != n || !cur.Counted {
				w.setCount(n, false)
			}
		}
		w.countMinus = widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() { w.bump(-1) })
		w.countPlus = widget.NewButtonWithIcon("", theme.ContentAddIcon(), func() { w.bump(1) })
		w.noneButton = widget.NewButton(lang.L("None found (1)"), func() { w.setCount(0, true) })
		label := widget.NewLabel(lang.L("Violations (2, then digits or + −)"))
		return container.NewVBox(
			container.NewHBox(label, w.countMinus, container.NewGridWrap(fyne.NewSize(80, w.countEntry.MinSize().Height), w.countEntry), w.countPlus),
			container.NewHBox(w.noneButton, naButton(lang.L("Not applicable (3)"))))

	case inspect.KindAttendance:
		return w.attendance(it, ans, naButton(lang.L("Not applicable (3)")))

	case inspect.KindNumber:
		w.numberEntry = w.newEntry(false)
		if ans.Number != nil {
			w.numberEntry.SetText(fmtPoints(*ans.Number))
		}
		saveNumber := func(s string) {
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
			if a.Number != nil && *a.Number == v && a.Result != inspect.ResultNA {
				return
			}
			a.Number = &v
			if a.Result == inspect.ResultNA {
				a.Result = inspect.ResultNone
			}
			w.save(a)
		}
		w.numberEntry.OnChanged = saveNumber // at once: the deduction shows as the digits come
		w.numberEntry.onEnter = func() {
			saveNumber(w.numberEntry.Text)
			w.advanceUnlessPhotoNeeded()
		}
		w.numberEntry.SetPlaceHolder(lang.L("Enter, then the number"))
		unit := widget.NewLabel(it.Unit)
		return container.NewBorder(nil, nil, nil, container.NewHBox(unit, naButton(lang.L("Not applicable (X)"))), w.numberEntry)

	case inspect.KindChoice:
		row := container.NewHBox()
		for i, c := range it.Choices {
			label := c.Label
			b := widget.NewButton(fmt.Sprintf("%s (%d)", label, i+1), func() { w.setChoice(label) })
			if ans.Choice == label && ans.Result != inspect.ResultNA {
				b.Importance = widget.HighImportance
				if c.Fails {
					b.Importance = widget.DangerImportance
				}
			}
			w.choiceButtons = append(w.choiceButtons, b)
			row.Add(b)
		}
		return container.NewVBox(row, container.NewHBox(naButton(lang.L("Not applicable (X)"))))

	default: // text
		w.textEntry = w.newEntry(true)
		w.textEntry.SetText(ans.Text)
		w.textEntry.SetPlaceHolder(lang.L("2 to write, Enter when done; 1 if there is nothing to add"))
		w.textEntry.OnChanged = func(s string) {
			dr := w.draft(it.Code, desk.DraftText, s)
			w.typing.call(func() {
				a := w.answerFor(it.Code)
				if a.Text != s {
					a.Text = s
					if !w.save(a) {
						return
					}
				}
				w.ui.dropDraft(dr)
			})
		}
		w.textEntry.onEnter = func() {
			w.flush()
			w.advance()
		}
		return w.textEntry
	}
}

// attendance lists the unit's roster and the people found who are not on
// it, each present or absent with a reason, and the name field to add one.
func (w *walkScreen) attendance(it *inspect.Item, ans inspect.Answer, na fyne.CanvasObject) fyne.CanvasObject {
	absent := map[string]inspect.AbsentPerson{}
	for _, p := range ans.Absent {
		absent[p.Name] = p
	}
	w.present = map[string]*widget.Check{}
	w.reasons = map[string]*widget.Select{}
	list := container.NewVBox()
	add := func(name, post string, onRoster bool) {
		p, isAbsent := absent[name]
		row := newRosterRow(w, name, post, onRoster, !isAbsent, p.Reason)
		w.roster = append(w.roster, row)
		w.present[name] = row.check
		w.reasons[name] = row.reason
		list.Add(row)
	}
	for _, s := range w.in.Unit.Staff {
		add(s.Name, s.Post, true)
	}
	for _, s := range ans.OffRoster {
		add(s.Name, s.Post, false)
	}
	for _, p := range ans.Absent {
		if !p.OnRoster {
			add(p.Name, p.Post, false)
		}
	}
	for i, r := range w.roster {
		r.index = i
	}
	counted := ans
	counted.Expected = len(w.in.Unit.Staff)
	summary := widget.NewLabel(lang.L("Expected {{.Expected}}, present {{.Present}}",
		map[string]any{"Expected": counted.Due(), "Present": counted.Present()}))
	if counted.Due() == 0 {
		summary.SetText(lang.L("The unit has no roster: add the people found below."))
	}
	keys := widget.NewLabel(lang.L("2 or Space: to the roster · Space: present/absent · Q leave, C trip, H meeting, T off post, B unknown, Z present · A: add a person · Enter: done"))
	keys.Wrapping = fyne.TextWrapWord
	keys.Importance = widget.LowImportance
	w.extraName = w.newEntry(false)
	w.extraName.SetPlaceHolder(lang.L("Name of a person not on the roster (Enter adds)"))
	w.extraName.onEnter = func() {
		if !w.addOffRoster() {
			w.confirmAndNext()
		}
	}
	w.extraName.onUp = func() {
		if len(w.roster) > 0 {
			w.canvas().Focus(w.roster[len(w.roster)-1])
		}
	}
	w.extraAdd = widget.NewButtonWithIcon(lang.L("Add person"), theme.ContentAddIcon(), func() { w.addOffRoster() })
	w.attendanceConfirm = widget.NewButton(lang.L("Confirm attendance (1)"), func() {
		w.confirm()
		w.advance()
	})
	return container.NewVBox(summary, keys, list, container.NewBorder(nil, nil, nil, w.extraAdd, w.extraName), container.NewHBox(w.attendanceConfirm, na))
}

// photoRow shows the item's photos, each with its capture time and the
// buttons to remove or replace it, and the button to add more.
func (w *walkScreen) photoRow(it *inspect.Item, a *inspect.Answer) fyne.CanvasObject {
	add := widget.NewButtonWithIcon(lang.L("Add photos"), theme.MediaPhotoIcon(), w.choosePhoto)
	w.addPhotoButton = add
	hint := lang.L("or drag image files onto the window")
	if it.Evidence == inspect.EvidenceRequiredOnFail {
		hint = lang.L("A photo is required when this item fails") + " · " + hint
	}
	h := widget.NewLabel(hint)
	h.Importance = widget.LowImportance
	if a != nil && len(a.Photos) == 0 && staysOnFailure(it, inspect.Evaluate(it, a)) {
		h.Importance = widget.WarningImportance // failed, and the photo is still missing
	}
	w.photoHint = h
	row := container.NewHBox()
	w.thumbs, w.removeButtons, w.replaceButtons = nil, nil, nil
	if a != nil {
		for _, hash := range a.Photos {
			t := newThumbnail(hash, w.ui.photos, w.ui.showPhoto)
			w.thumbs = append(w.thumbs, t)
			taken := widget.NewLabel(w.takenText(hash))
			taken.Importance = widget.LowImportance
			if meta, err := w.ui.store.Photo(hash); err == nil && w.in.CapturedOutsideVisit(meta.TakenAt) {
				taken.Importance = widget.WarningImportance
			}
			remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { w.removePhoto(hash) })
			replace := widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), func() { w.chooseReplacement(hash) })
			w.removeButtons = append(w.removeButtons, remove)
			w.replaceButtons = append(w.replaceButtons, replace)
			row.Add(container.NewVBox(t, taken, container.NewHBox(replace, remove)))
		}
	}
	return container.NewVBox(container.NewHBox(add, h), container.NewHScroll(row))
}

// takenText is a photo's capture time as the camera wrote it, flagged when
// it lies outside the visit.
func (w *walkScreen) takenText(hash string) string {
	meta, err := w.ui.store.Photo(hash)
	if err != nil || meta.TakenAt.IsZero() {
		return lang.L("No capture time")
	}
	t := meta.TakenAt.In(inspect.Zone).Format("01-02 15:04")
	if w.in.CapturedOutsideVisit(meta.TakenAt) {
		return lang.L("Taken {{.Time}}, outside the visit", map[string]any{"Time": t})
	}
	return lang.L("Taken {{.Time}}", map[string]any{"Time": t})
}

func (w *walkScreen) choosePhoto() {
	w.ui.pickPhotos(false, w.AddPhotos)
}

// removePhoto takes a wrongly attached photo off the current item.
func (w *walkScreen) removePhoto(hash string) {
	in, err := w.ui.store.RemovePhoto(w.who, w.in.ID, w.items[w.cur].Code, hash)
	if err != nil {
		w.setStatus(msg.Of(err), widget.DangerImportance)
		return
	}
	w.in = in
	w.setStatus(lang.L("Photo removed"), widget.SuccessImportance)
	w.refreshProgress()
	w.rebuildDetail()
}

func (w *walkScreen) chooseReplacement(hash string) {
	w.ui.pickPhotos(true, func(paths []string) { w.ReplacePhoto(hash, paths[0]) })
}

// ReplacePhoto puts the photo file path in the place of photo hash on the
// current item (read and checked off the UI goroutine, like AddPhotos).
func (w *walkScreen) ReplacePhoto(hash, path string) {
	code := w.items[w.cur].Code
	w.setStatus(lang.L("Adding photos…"), widget.MediumImportance)
	w.photoWG.Add(1)
	go func() {
		defer w.photoWG.Done()
		meta, err := w.ui.store.AddPhotoFile(w.who, path)
		var in *inspect.Inspection
		if err == nil {
			in, err = w.ui.store.ReplacePhoto(w.who, w.in.ID, code, hash, meta.Hash)
		}
		w.ui.post(func() {
			if err != nil {
				w.photoRefused(err)
				return
			}
			w.in = in
			w.setStatus(lang.L("Photo replaced"), widget.SuccessImportance)
			if w.ui.walk == w && w.items[w.cur].Code == code {
				w.rebuildDetail()
			}
		})
	}()
}

// photoRefused says why a file was not added, in a dialog of ours: Fyne's
// error dialog capitalises the message, and so the file's name.
func (w *walkScreen) photoRefused(err error) {
	w.setStatus(msg.Of(err), widget.DangerImportance)
	dialog.ShowInformation(lang.L("Photo not added"), msg.Of(err), w.ui.win)
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
// back on it through the UI's scheduler. A file that is not an image is refused by name.
func (w *walkScreen) AddPhotos(paths []string) {
	if len(paths) == 0 {
		return
	}
	code, id, st := w.items[w.cur].Code, w.in.ID, w.ui.store
	w.setStatus(lang.L("Adding photos…"), widget.MediumImportance)
	w.photoWG.Add(1)
	go func() {
		defer w.photoWG.Done()
		for _, p := range paths {
			// Stored and attached off the UI goroutine, in the store's
			// transaction on the answer as it is then: the user may have
			// left the item, or the walk, and edited it meanwhile.
			meta, err := st.AddPhotoFile(w.who, p)
			var in *inspect.Inspection
			if err == nil {
				in, err = st.AttachPhoto(w.who, id, code, meta.Hash)
			}
			w.ui.post(func() { w.photoAttached(id, code, in, err) })
		}
	}()
}

// photoAttached shows a photo stored in the background on the walk shown
// now, if it is of the same inspection (it may be a newer walk screen than
// the one the photo was added on; an older answer is never written back).
func (w *walkScreen) photoAttached(id, code string, in *inspect.Inspection, err error) {
	if err != nil {
		w.photoRefused(err)
		return
	}
	cur := w.ui.walk
	if cur == nil || cur.in.ID != id {
		return // the store has it; whatever shows the inspection next reads it
	}
	cur.in = in
	cur.setStatus(savedText(cur.ui.store.Now()), widget.SuccessImportance)
	cur.refreshProgress()
	if i := slices.IndexFunc(cur.items, func(it *inspect.Item) bool { return it.Code == code }); i >= 0 {
		cur.list.RefreshItem(cur.itemRow[i])
	}
	if cur.items[cur.cur].Code == code {
		cur.rebuildDetail()
	}
}

// walkEntry is an entry of the walk that Escape leaves: the text is saved
// and the focus goes back to the window, so that 1/2/3, J/K and N answer
// and move again.
type walkEntry struct {
	widget.Entry
	onEscape func()
	onEnter  func()          // single-line entries: Enter confirms and moves on
	onUp     func()          // ↑ leaves the field upwards (the name field under the roster)
	onRune   func(rune) bool // a rune the walk takes instead (+ and − in a count)
	onBlur   func()          // the field lost the keys
}

// FocusLost saves pending text.
func (e *walkEntry) FocusLost() {
	e.Entry.FocusLost()
	if e.onBlur != nil {
		e.onBlur()
	}
}

func (w *walkScreen) newEntry(multiLine bool) *walkEntry {
	// Leaving the field saves what waits for the pause in typing (a note
	// must not depend on the pause alone: QA, lost when killed right after).
	e := &walkEntry{onEscape: w.leaveEntry, onBlur: w.flush}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey handles Escape, Enter and ↑; every other key is the entry's.
func (e *walkEntry) TypedKey(k *fyne.KeyEvent) {
	switch {
	case k.Name == fyne.KeyEscape && e.onEscape != nil:
		e.onEscape()
	case (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && e.onEnter != nil:
		e.onEnter()
	case k.Name == fyne.KeyUp && e.onUp != nil:
		e.onUp()
	default:
		e.Entry.TypedKey(k)
	}
}

// TypedRune lets the walk take + and − in a count field.
func (e *walkEntry) TypedRune(r rune) {
	if e.onRune != nil && e.onRune(r) {
		return
	}
	e.Entry.TypedRune(r)
}

// selectAll selects the whole text, so a typed digit replaces it.
func (e *walkEntry) selectAll() {
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// leaveEntry saves pending text and gives the keys back to the walk.
func (w *walkScreen) leaveEntry() {
	w.flush()
	w.ui.win.Canvas().Unfocus()
}
