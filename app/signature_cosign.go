package app

import (
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/desk"
)

// cosignDialog adds an inspector's signature to a report exported on
// another laptop (desk.CosignFile, as "mingcha cosign" does): the key is
// one on this laptop of an inspector who has not signed yet, or a key file
// chosen; a key whose holder is not one of the report's inspectors is
// refused by the use case.
type cosignDialog struct {
	ui     *UI
	src    string
	keys   []desk.SignerKey // the report's inspectors who have not signed
	who    *widget.Select
	key    *widget.Label
	pass   *widget.Entry
	sign   *widget.Button
	dialog *dialog.CustomDialog
	chosen string // the key file
	// done is the result's line (tests read it).
	done string
}

// startCosign asks for the signed report to co-sign.
func (u *UI) startCosign() {
	u.pickFile(purposeImport, []string{".pdf"}, func(path string) { u.cosignReport(path) })
}

// cosignReport reads the report at src and asks who co-signs it.
func (u *UI) cosignReport(src string) *cosignDialog {
	v, open, err := u.desk.ReportSigners(src)
	if err != nil {
		u.showError(err)
		return nil
	}
	if len(open) == 0 {
		dialog.ShowInformation(lang.L("Co-sign a report"), lang.L("Every inspector of report {{.ID}} has signed it: {{.Signers}}.",
			map[string]any{"ID": v.ReportID, "Signers": v.SignerNames()}), u.win)
		return nil
	}
	cd := &cosignDialog{ui: u, src: src, keys: open}
	names := make([]string, len(open))
	for i, k := range open {
		names[i] = k.Inspector
	}
	cd.key = widget.NewLabel("")
	cd.key.Truncation = fyne.TextTruncateEllipsis
	cd.pass = widget.NewPasswordEntry()
	cd.pass.OnSubmitted = func(string) { cd.next() }
	cd.who = widget.NewSelect(names, func(string) { cd.pickKey(cd.who.SelectedIndex()) })
	other := widget.NewButtonWithIcon(lang.L("Add key file…"), theme.ContentAddIcon(), func() {
		u.pickKeyFile(func(path string) {
			cd.chosen = path
			cd.showKey()
			u.win.Canvas().Focus(cd.pass)
		})
	})
	about := wrapped(lang.L("Report {{.ID}} ({{.Unit}}) is signed by {{.Signers}}. Choose who adds a signature, with their key on this laptop.",
		map[string]any{"ID": v.ReportID, "Unit": v.Unit, "Signers": v.SignerNames()}))
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Inspector"), cd.who),
		widget.NewFormItem(lang.L("Key file"), container.NewBorder(nil, nil, nil, other, cd.key)),
		widget.NewFormItem(lang.L("Passphrase"), cd.pass))
	cancel := widget.NewButton(lang.L("Cancel"), func() { cd.dialog.Hide() })
	cd.sign = widget.NewButtonWithIcon(lang.L("Co-sign…"), theme.ConfirmIcon(), cd.next)
	cd.sign.Importance = widget.HighImportance
	cd.dialog = dialog.NewCustomWithoutButtons(lang.L("Co-sign a report"), container.NewVBox(about, form), u.win)
	cd.dialog.SetButtons([]fyne.CanvasObject{cancel, cd.sign})
	cd.dialog.Resize(fyne.NewSize(min(600, u.win.Canvas().Size().Width*0.95), cd.dialog.MinSize().Height))
	cd.who.SetSelectedIndex(0)
	for i, k := range open {
		if k.Path != "" {
			cd.who.SetSelectedIndex(i) // the first who has a key here
			break
		}
	}
	cd.dialog.Show()
	u.win.Canvas().Focus(cd.pass)
	u.cosign = cd
	return cd
}

// pickKey takes the key on this laptop of inspector i, if any.
func (cd *cosignDialog) pickKey(i int) {
	if i >= 0 && i < len(cd.keys) {
		cd.chosen = cd.keys[i].Path
	}
	cd.showKey()
}

func (cd *cosignDialog) showKey() {
	if cd.chosen == "" {
		cd.key.Importance = widget.WarningImportance
		cd.key.SetText(lang.L("No key on this laptop: add the key file"))
		cd.sign.Disable()
		return
	}
	cd.key.Importance = widget.MediumImportance
	cd.key.SetText(cd.chosen)
	cd.sign.Enable()
}

// next asks where to save the co-signed report, then signs it.
func (cd *cosignDialog) next() {
	if cd.chosen == "" {
		return
	}
	u := cd.ui
	cd.dialog.Hide()
	name := strings.TrimSuffix(filepath.Base(cd.src), filepath.Ext(cd.src)) + "-cosigned.pdf"
	u.pickSave(purposeExport, name, []string{".pdf"}, func(dst string, replace bool) { cd.run(dst, replace) })
}

// run co-signs off the UI goroutine (u.work counts it); nothing is written
// unless the co-signed report verifies.
func (cd *cosignDialog) run(dst string, replace bool) {
	u := cd.ui
	progress := dialog.NewCustomWithoutButtons(lang.L("Co-signing…"), widget.NewProgressBarInfinite(), u.win)
	progress.Show()
	d, src, key, pass := u.desk, cd.src, cd.chosen, cd.pass.Text
	u.work.Add(1)
	go func() {
		defer u.work.Done()
		v, err := d.CosignFile(src, dst, key, pass, replace, nil)
		u.post(func() {
			progress.Hide()
			if err != nil {
				if desk.IsWrongPassphrase(err) {
					cd.pass.SetText("")
					cd.dialog.Show()
				}
				u.showError(err)
				return
			}
			cd.done = lang.L("Saved to {{.Path}}", map[string]any{"Path": dst}) + "\n" +
				lang.L("Signed by {{.Signers}}", map[string]any{"Signers": v.SignerNames()})
			dialog.ShowInformation(lang.L("Co-sign a report"), cd.done, u.win)
		})
	}()
}
