package app

import (
	"errors"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// passphraseStrength rates a new passphrase: 0 too short (refused), 1
// weak, 2 fair, 3 strong — by length and the kinds of characters in it.
func passphraseStrength(p string) int {
	n := len([]rune(p))
	if n < 8 {
		return 0
	}
	var lower, upper, digit, other bool
	for _, r := range p {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true // punctuation, spaces, Chinese characters
		}
	}
	kinds := 0
	for _, k := range []bool{lower, upper, digit, other} {
		if k {
			kinds++
		}
	}
	switch {
	case n >= 14 && kinds >= 2, n >= 10 && kinds >= 3:
		return 3
	case n >= 10 || kinds >= 2:
		return 2
	}
	return 1
}

func strengthText(level int) (string, widget.Importance) {
	switch level {
	case 0:
		return lang.L("Too short: at least 8 characters"), widget.DangerImportance
	case 1:
		return lang.L("Weak: longer, or mix letters, digits and signs"), widget.WarningImportance
	case 2:
		return lang.L("Fair passphrase"), widget.MediumImportance
	}
	return lang.L("Strong passphrase"), widget.SuccessImportance
}

// askNewPassphrase is the first export's dialog: it explains, before the
// key is made, that a forgotten passphrase cannot be recovered (the office
// issues a new key), and takes the passphrase twice with a strength hint.
func (u *UI) askNewPassphrase(then func(passphrase string)) (pass, again *widget.Entry, d *dialog.FormDialog) {
	explain := lang.L("This first export makes your signing key, protected by the passphrase you choose now. Nobody can recover a forgotten passphrase, not even the office: it would issue you a new key, and reports you signed stay valid.")
	return u.newPassphraseDialog(lang.L("Make your signing key"), lang.L("Make key and export"), explain, nil, then)
}

// newPassphraseDialog takes a new key's passphrase twice with a strength
// hint, under explain and the facts the key will hold (shown before the
// fields); then gets the passphrase once both agree.
func (u *UI) newPassphraseDialog(title, confirm, explainText string, facts []*widget.FormItem, then func(passphrase string)) (pass, again *widget.Entry, d *dialog.FormDialog) {
	pass = widget.NewPasswordEntry()
	again = widget.NewPasswordEntry()
	pass.Validator = func(s string) error {
		if passphraseStrength(s) == 0 {
			return errors.New(lang.L("Too short: at least 8 characters"))
		}
		return nil
	}
	again.Validator = func(s string) error {
		if s != pass.Text {
			return errors.New(lang.L("The two passphrases differ"))
		}
		return nil
	}
	explain := widget.NewLabel(explainText)
	explain.Wrapping = fyne.TextWrapWord
	strength := widget.NewLabel("")
	match := widget.NewLabel("")
	items := append([]*widget.FormItem{widget.NewFormItem("", explain)}, facts...)
	items = append(items,
		widget.NewFormItem(lang.L("New passphrase"), pass),
		widget.NewFormItem("", strength),
		widget.NewFormItem(lang.L("Type it again"), again),
		widget.NewFormItem("", match),
	)
	d = dialog.NewForm(title, confirm, lang.L("Cancel"), items, func(ok bool) {
		if ok {
			then(pass.Text)
		}
	}, u.win)
	check := func() {
		if pass.Text == "" {
			// Nothing typed yet: what is asked, not a fault.
			strength.Text, strength.Importance = lang.L("At least 8 characters"), widget.LowImportance
		} else {
			strength.Text, strength.Importance = strengthText(passphraseStrength(pass.Text))
		}
		strength.Refresh()
		switch {
		case again.Text == "":
			match.SetText("")
		case again.Text != pass.Text:
			match.Importance = widget.DangerImportance
			match.SetText(lang.L("The two passphrases differ"))
		default:
			match.Importance = widget.SuccessImportance
			match.SetText(lang.L("The two passphrases match"))
		}
		again.Validate()
	}
	pass.OnChanged = func(string) { check() }
	again.OnChanged = func(string) { check() }
	again.OnSubmitted = func(string) {
		if passphraseStrength(pass.Text) > 0 && again.Text == pass.Text {
			d.Submit()
		}
	}
	pass.OnSubmitted = func(string) { u.win.Canvas().Focus(again) }
	d.Resize(fyne.NewSize(min(520, u.win.Canvas().Size().Width*0.95), d.MinSize().Height))
	d.Show()
	check()
	u.win.Canvas().Focus(pass)
	return pass, again, d
}
