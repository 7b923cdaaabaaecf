package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/inspect"
)

// signatureScreen has one pad per inspector and, for a 明查, the unit
// representative's 签收 beside them; signing locks the inspection.
type signatureScreen struct {
	ui      *UI
	in      *inspect.Inspection
	content fyne.CanvasObject
	pads    map[string]*SignaturePad
	signBtn *widget.Button
	// keyWarning says that no key on this laptop belongs to an inspector
	// (nil when one does).
	keyWarning *widget.Label

	// 签收 (明查 only)
	repName   *widget.Entry
	repPost   *widget.Entry
	repPad    *SignaturePad
	objection *widget.RadioGroup
	objText   *widget.Entry
}

// ShowSignature shows the signature pads of inspection id.
func (u *UI) ShowSignature(id string) {
	in, err := u.store.Inspection(id)
	if err != nil {
		u.showError(err)
		return
	}
	sg := &signatureScreen{ui: u, in: in, pads: map[string]*SignaturePad{}}
	box := container.NewVBox(wrapped(lang.L("Each inspector signs below with the mouse or touchpad. Signing locks the inspection; afterwards only an amendment can change it.")))
	for _, name := range in.Inspectors {
		pad := NewSignaturePad()
		sg.pads[name] = pad
		clear := widget.NewButtonWithIcon(lang.L("Clear"), theme.DeleteIcon(), pad.Clear)
		undo := widget.NewButtonWithIcon(lang.L("Undo stroke"), theme.ContentUndoIcon(), pad.Undo)
		box.Add(container.NewBorder(nil, nil, heading(name), container.NewHBox(undo, clear)))
		box.Add(pad)
	}
	if !u.desk.CanSign(in) {
		// Caught before the lock (QA #2): once signed, nothing here could
		// export the report.
		sg.keyWarning = wrapped(sg.noKeyText())
		sg.keyWarning.Importance = widget.DangerImportance
		box.Objects = append([]fyne.CanvasObject{sg.keyWarning}, box.Objects...)
	}
	var body fyne.CanvasObject = container.NewPadded(box)
	if in.Mode == inspect.ModeOpen {
		body = container.NewGridWithColumns(2, container.NewPadded(box), container.NewPadded(sg.receiptForm()))
	}
	sg.signBtn = widget.NewButtonWithIcon(lang.L("Sign and lock"), theme.ConfirmIcon(), sg.doSign)
	sg.signBtn.Importance = widget.HighImportance
	back := widget.NewButtonWithIcon(lang.L("Back to review"), theme.NavigateBackIcon(), func() { u.ShowReview(id) })
	top := container.NewBorder(nil, nil, back, nil, heading(lang.L("Signatures")+" · "+in.Unit.Name))
	// No scroll container: it would take the drags meant for the pads.
	sg.content = container.NewBorder(top, container.NewBorder(nil, nil, nil, sg.signBtn), nil, nil, body)
	u.leave()
	u.sign = sg
	u.show(screenHome, sg.content)
	u.remember(screenReview, id) // signing starts again from the review
}

// receiptForm is the unit's 签收: who signs for the unit, their post, their
// drawn signature and whether they object (with the objection in words).
func (sg *signatureScreen) receiptForm() fyne.CanvasObject {
	sg.repName = widget.NewEntry()
	sg.repName.SetPlaceHolder(lang.L("Name of the unit's representative"))
	sg.repPost = widget.NewEntry()
	sg.repPost.SetPlaceHolder(lang.L("Post, e.g. section chief"))
	sg.repPad = NewSignaturePad()
	agree, object := lang.L("No objection"), lang.L("Objection")
	sg.objText = widget.NewMultiLineEntry()
	sg.objText.SetMinRowsVisible(2)
	sg.objText.SetPlaceHolder(lang.L("The objection, in the representative's words"))
	sg.objText.Disable()
	sg.objection = widget.NewRadioGroup([]string{agree, object}, func(s string) {
		if s == object {
			sg.objText.Enable()
		} else {
			sg.objText.Disable()
		}
	})
	sg.objection.Horizontal = true
	sg.objection.SetSelected(agree)
	if r := sg.in.Receipt; r != nil {
		sg.repName.SetText(r.Name)
		sg.repPost.SetText(r.Post)
		if r.Objection {
			sg.objection.SetSelected(object)
			sg.objText.SetText(r.Text)
		}
	}
	clear := widget.NewButtonWithIcon(lang.L("Clear"), theme.DeleteIcon(), sg.repPad.Clear)
	// Two short lines, not a wrapped label: a wrapped label in a grid
	// column is measured too short and overlaps what follows.
	note := widget.NewLabel(lang.L("Signed off by the unit on the spot:") + "\n" + lang.L("the representative reads the record, signs and states any objection."))
	note.Importance = widget.LowImportance
	return container.NewVBox(
		heading(lang.L("Sign-off by the unit")), note,
		container.NewGridWithColumns(2, sg.repName, sg.repPost),
		sg.objection, sg.objText,
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("Representative's signature")), clear),
		sg.repPad)
}

// noKeyText explains that nobody here can sign the report digitally.
func (sg *signatureScreen) noKeyText() string {
	holders := strings.Join(sg.ui.desk.KeyHolders(), lang.L(", "))
	if holders == "" {
		holders = lang.L("nobody yet")
	}
	return lang.L("No key on this laptop belongs to an inspector of this report ({{.Inspectors}}); the keys here are {{.Holders}}. After signing and locking, the report can only be exported once an inspector's key file is added. Correct the inspectors (reopen as draft) or sign anyway.",
		map[string]any{"Inspectors": strings.Join(sg.in.Inspectors, lang.L(", ")), "Holders": holders})
}

// doSign asks first when nobody here could export the signed report,
// then signs.
func (sg *signatureScreen) doSign() {
	if sg.keyWarning == nil {
		sg.signAndLock()
		return
	}
	d := dialog.NewConfirm(lang.L("Sign and lock"), sg.noKeyText(), func(ok bool) {
		if ok {
			sg.signAndLock()
		}
	}, sg.ui.win)
	d.SetConfirmText(lang.L("Sign anyway"))
	d.SetDismissText(lang.L("Cancel"))
	d.Show()
}

// signAndLock stores every drawn signature and the unit's 签收, then signs; one
// missing signature leaves the inspection completed and says whose.
func (sg *signatureScreen) signAndLock() {
	u := sg.ui
	who := u.whoOn(sg.in)
	for _, name := range sg.in.Inspectors {
		pad := sg.pads[name]
		if pad.Empty() {
			continue
		}
		data, err := pad.PNG()
		if err != nil {
			u.showError(err)
			return
		}
		_, err = u.store.SetSignature(who, sg.in.ID, inspect.DrawnSignature{Inspector: name, PNG: data})
		if err != nil {
			u.showError(err)
			return
		}
	}
	if sg.in.Mode == inspect.ModeOpen && !(sg.in.Receipt != nil && sg.repPad.Empty()) {
		var data []byte
		if !sg.repPad.Empty() {
			var err error
			if data, err = sg.repPad.PNG(); err != nil {
				u.showError(err)
				return
			}
		}
		r := inspect.Receipt{Name: sg.repName.Text, Post: sg.repPost.Text, PNG: data,
			Objection: sg.objection.Selected == lang.L("Objection"), Text: sg.objText.Text}
		in, err := u.store.SetReceipt(who, sg.in.ID, r)
		if err != nil {
			u.showError(err)
			return
		}
		sg.in = in
	}
	if err := sg.in.NeedsReceipt(); err != nil {
		u.showError(err)
		return
	}
	if _, err := u.store.SignInspection(who, sg.in.ID); err != nil {
		u.showError(err)
		return
	}
	u.ShowReview(sg.in.ID)
}
