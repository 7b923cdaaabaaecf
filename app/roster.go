package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/inspect"
)

// reasonKeys are the letters that pick an absence reason on a focused
// roster row: the initials of 请假 出差 会议 脱岗 不明.
var reasonKeys = map[rune]inspect.AbsenceReason{
	'q': inspect.AbsenceLeave, 'c': inspect.AbsenceTrip, 'h': inspect.AbsenceMeeting,
	't': inspect.AbsenceOffPost, 'b': inspect.AbsenceUnknown,
}

// rosterRow is one person of an attendance item: present or absent with a
// reason. It takes the keyboard focus itself (Space, the reason letters,
// ↑ ↓, Enter) and is also worked with the mouse through its check box and
// reason list.
type rosterRow struct {
	widget.BaseWidget
	w        *walkScreen
	index    int
	name     string
	post     string
	onRoster bool
	isHere   bool
	why      inspect.AbsenceReason

	focused bool
	bg      *canvas.Rectangle
	check   *widget.Check
	reason  *widget.Select
	remove  *widget.Button
	content fyne.CanvasObject
}

func newRosterRow(w *walkScreen, name, post string, onRoster, present bool, reason inspect.AbsenceReason) *rosterRow {
	r := &rosterRow{w: w, name: name, post: post, onRoster: onRoster, isHere: present, why: reason}
	label := name
	if post != "" {
		label = lang.L("{{.Name}} ({{.Post}})", map[string]any{"Name": name, "Post": post})
	}
	if !onRoster {
		label += " · " + lang.L("not on roster")
	}
	labels := make([]string, len(inspect.AbsenceReasons))
	for i, a := range inspect.AbsenceReasons {
		labels[i] = reasonText(a)
	}
	r.reason = widget.NewSelect(labels, nil)
	r.reason.PlaceHolder = lang.L("Reason")
	if !present {
		r.reason.SetSelected(reasonText(reason))
	} else {
		r.reason.Disable()
	}
	r.reason.OnChanged = func(s string) {
		for i, l := range labels {
			if l == s && (r.isHere || inspect.AbsenceReasons[i] != r.why) {
				w.setPerson(name, post, onRoster, false, inspect.AbsenceReasons[i])
			}
		}
	}
	r.check = widget.NewCheck(lang.L("Present"), nil)
	r.check.SetChecked(present)
	r.check.OnChanged = func(on bool) {
		if on != r.isHere {
			r.toggle()
		}
	}
	right := container.NewHBox(r.check, r.reason)
	if !onRoster {
		r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { w.removePerson(name) })
		right.Add(r.remove)
	}
	r.bg = canvas.NewRectangle(color.Transparent)
	r.bg.CornerRadius = theme.InputRadiusSize()
	r.content = container.NewStack(r.bg, container.NewBorder(nil, nil, widget.NewLabel(label), right))
	r.ExtendBaseWidget(r)
	return r
}

func (r *rosterRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

// toggle is Space: present ↔ absent (an absence keeps its reason, 不明 at first).
func (r *rosterRow) toggle() {
	why := r.why
	if why == "" {
		why = inspect.AbsenceUnknown
	}
	r.w.setPerson(r.name, r.post, r.onRoster, !r.isHere, why)
}

func (r *rosterRow) FocusGained() {
	r.focused = true
	r.bg.FillColor = theme.Color(theme.ColorNameFocus)
	r.bg.Refresh()
}

func (r *rosterRow) FocusLost() {
	r.focused = false
	r.bg.FillColor = color.Transparent
	r.bg.Refresh()
}

// Tapped gives the row the keys (the check box and list take their own taps).
func (r *rosterRow) Tapped(*fyne.PointEvent) { r.w.canvas().Focus(r) }

func (r *rosterRow) TypedRune(ch rune) {
	lower := ch
	if ch >= 'A' && ch <= 'Z' {
		lower = ch - 'A' + 'a'
	}
	switch {
	case ch == ' ':
		r.toggle()
	case reasonKeys[lower] != "":
		r.w.setPerson(r.name, r.post, r.onRoster, false, reasonKeys[lower])
	case lower == 'z':
		if !r.isHere {
			r.w.setPerson(r.name, r.post, r.onRoster, true, "")
		}
	case lower == 'a':
		r.w.canvas().Focus(r.w.extraName)
	default: // 1, J, K, N, X …: the walk's own keys
		r.w.canvas().Unfocus()
		r.w.typedRune(ch)
	}
}

func (r *rosterRow) TypedKey(e *fyne.KeyEvent) {
	rows := r.w.roster
	switch e.Name {
	case fyne.KeyDown:
		if r.index+1 < len(rows) {
			r.w.canvas().Focus(rows[r.index+1])
		} else {
			r.w.canvas().Focus(r.w.extraName)
		}
	case fyne.KeyUp:
		if r.index > 0 {
			r.w.canvas().Focus(rows[r.index-1])
		}
	case fyne.KeyDelete, fyne.KeyBackspace:
		if !r.onRoster {
			r.w.removePerson(r.name)
		}
	case fyne.KeyEscape:
		r.w.canvas().Unfocus()
	case fyne.KeyReturn, fyne.KeyEnter:
		r.w.canvas().Unfocus()
		r.w.confirmAndNext()
	}
}
