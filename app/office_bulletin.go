package app

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
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
)

// The 通报 tab: the period, the office's own opening and closing words and
// the details of the circular; the PDF is rendered and signed with the
// office key by the same code as "mingcha office bulletin".

type bulletinTab struct {
	o       *officeScreen
	content fyne.CanvasObject

	preset                                *widget.Select
	from, to                              *widget.Entry
	office, number, title, date, deadline *widget.Entry
	intro, closing                        *widget.Entry
	key                                   *widget.Entry
	chooseKey                             *widget.Button
	unsigned                              *widget.Check
	write                                 *widget.Button
	status                                *widget.Label

	// The passphrase dialog while it is open.
	passphrase *widget.Entry
	passDialog *dialog.FormDialog
	last       office.BulletinResult
}

func newBulletinTab(o *officeScreen) *bulletinTab {
	b := &bulletinTab{o: o}
	b.from, b.to = widget.NewEntry(), widget.NewEntry()
	b.preset = widget.NewSelect(periodPresets(), func(string) { b.applyPreset() })
	b.office = widget.NewEntry()
	b.office.SetPlaceHolder(lang.L("Default: the organisation named in the office key"))
	if name, err := o.off.OfficeName(); err == nil {
		b.office.SetText(name) // office config --name, or the last one signed with here
	}
	b.number = widget.NewEntry()
	b.number.SetPlaceHolder("效能通〔2026〕5号")
	b.title = widget.NewEntry()
	b.title.SetPlaceHolder(lang.L("Default: 关于…机关服务效能明查暗访情况的通报"))
	b.date = widget.NewEntry()
	b.deadline = widget.NewEntry()
	b.deadline.SetPlaceHolder(lang.L("Default: 15 working days after the date"))
	b.intro = widget.NewMultiLineEntry()
	b.intro.Wrapping = fyne.TextWrapWord
	b.intro.SetMinRowsVisible(3)
	b.intro.SetPlaceHolder(lang.L("Opening words; empty: the standard paragraph"))
	b.closing = widget.NewMultiLineEntry()
	b.closing.Wrapping = fyne.TextWrapWord
	b.closing.SetMinRowsVisible(3)
	b.closing.SetPlaceHolder(lang.L("Closing words; empty: the standard paragraph"))
	b.key = widget.NewEntry()
	b.key.SetPlaceHolder(lang.L("Default: identity.p12 beside the database"))
	b.chooseKey = widget.NewButtonWithIcon(lang.L("Choose…"), theme.FolderOpenIcon(), b.pickKey)
	b.unsigned = widget.NewCheck(lang.L("Unsigned draft (to proofread)"), func(on bool) {
		if on {
			b.key.Disable()
			b.chooseKey.Disable()
		} else {
			b.key.Enable()
			b.chooseKey.Enable()
		}
	})
	b.write = widget.NewButtonWithIcon(lang.L("Write the 通报…"), theme.DocumentSaveIcon(), b.chooseFile)
	b.write.Importance = widget.HighImportance
	b.status = wrapped(lang.L("The 通报 has 总体情况, 主要问题, 排名 and 整改要求 from the imported reports of the period, with your opening and closing words, and is signed with the office key."))

	now := o.now()
	b.date.SetText(inspect.FormatDate(now))
	b.preset.SetSelectedIndex(1) // last month: a 通报 looks back

	period := container.NewHBox(b.preset, widget.NewLabel(lang.L("From")), sized(b.from, 120), widget.NewLabel(lang.L("To")), sized(b.to, 120))
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Period"), period),
		widget.NewFormItem(lang.L("Issued by"), b.office),
		widget.NewFormItem(lang.L("Document number"), b.number),
		widget.NewFormItem(lang.L("Title"), b.title),
		widget.NewFormItem(lang.L("Date of issue"), container.NewHBox(sized(b.date, 120), widget.NewLabel(lang.L("Report back by")), sized(b.deadline, 300))),
		widget.NewFormItem(lang.L("Opening"), b.intro),
		widget.NewFormItem(lang.L("Closing"), b.closing),
		widget.NewFormItem(lang.L("Office key"), container.NewBorder(nil, nil, nil, container.NewHBox(b.chooseKey, b.unsigned), b.key)),
	)
	b.content = container.NewVScroll(container.NewVBox(form, container.NewHBox(b.write), b.status))
	return b
}

// periodPresets are the named periods a 通报 usually covers.
func periodPresets() []string {
	return []string{lang.L("This month"), lang.L("Last month"), lang.L("This quarter"), lang.L("Last quarter"), lang.L("This year"), lang.L("Last year")}
}

// presetRange is the first and last day of preset i at now
// (inspect.PresetPeriod, in the office's zone).
func presetRange(i int, now time.Time) (time.Time, time.Time) {
	from, to := inspect.PresetPeriod(inspect.Preset(i), now)
	return from, to.AddDate(0, 0, -1)
}

func (b *bulletinTab) applyPreset() {
	i := b.preset.SelectedIndex()
	if i < 0 {
		return
	}
	from, to := presetRange(i, b.o.now())
	b.from.SetText(inspect.FormatDate(from))
	b.to.SetText(inspect.FormatDate(to))
}

// pickKey chooses the office key file; the command reads it.
func (b *bulletinTab) pickKey() {
	b.o.ui.pickFile(purposeImport, []string{".p12", ".pfx"}, b.key.SetText)
}

// request reads the form; a date that does not parse is an error.
func (b *bulletinTab) request() (office.BulletinRequest, error) {
	var req office.BulletinRequest
	date := func(e *widget.Entry, optional bool) (time.Time, error) {
		if strings.TrimSpace(e.Text) == "" && optional {
			return time.Time{}, nil
		}
		t, err := inspect.ParseDate(e.Text)
		if err != nil {
			return t, periodError(err)
		}
		return t, nil
	}
	var err error
	if req.Filter.From, req.Filter.To, err = inspect.ParseRange(b.from.Text, b.to.Text); err != nil {
		return req, periodError(err)
	}
	if req.Date, err = date(b.date, false); err != nil {
		return req, err
	}
	if req.Deadline, err = date(b.deadline, true); err != nil {
		return req, err
	}
	if !req.Deadline.IsZero() {
		req.Deadline = inspect.EndOfDay(req.Deadline)
	}
	req.Office = strings.TrimSpace(b.office.Text)
	req.Number = strings.TrimSpace(b.number.Text)
	req.Title = strings.TrimSpace(b.title.Text)
	req.Intro = strings.TrimSpace(b.intro.Text)
	req.Closing = strings.TrimSpace(b.closing.Text)
	req.KeyPath = strings.TrimSpace(b.key.Text)
	req.Unsigned = b.unsigned.Checked
	req.Force = true // the save dialog asked before replacing a file
	return req, nil
}

// chooseFile checks the form, asks where to save the PDF, then for the
// passphrase of the office key.
func (b *bulletinTab) chooseFile() {
	req, err := b.request()
	if err != nil {
		b.o.ui.showError(err)
		return
	}
	name := fmt.Sprintf("%s-%s.pdf", lang.L("Bulletin"), req.Filter.From.Format("200601"))
	b.o.saveAs(name, []string{".pdf"}, func(path string) { b.sign(req, path) })
}

// sign asks for the passphrase (not for a draft) and writes the PDF.
func (b *bulletinTab) sign(req office.BulletinRequest, path string) {
	if !strings.EqualFold(filepath.Ext(path), ".pdf") {
		path += ".pdf"
	}
	if req.Unsigned {
		b.run(req, path)
		return
	}
	b.passphrase = widget.NewPasswordEntry()
	hint := wrapped(lang.L("The passphrase of the office key. The 通报 is signed with it, so that units and the public can check it came from the office unaltered."))
	hint.Importance = widget.LowImportance
	b.passDialog = dialog.NewForm(lang.L("Sign the 通报"), lang.L("Sign and save"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Passphrase"), b.passphrase),
		widget.NewFormItem("", hint),
	}, func(ok bool) {
		if ok {
			req.Passphrase = b.passphrase.Text
			b.run(req, path)
		}
	}, b.o.ui.win)
	b.passDialog.Resize(fyne.NewSize(480, b.passDialog.MinSize().Height))
	b.passphrase.OnSubmitted = func(string) { b.passDialog.Submit() }
	b.passDialog.Show()
	b.o.ui.win.Canvas().Focus(b.passphrase)
}

// run writes the 通报 in the background.
func (b *bulletinTab) run(req office.BulletinRequest, path string) {
	var res office.BulletinResult
	off := b.o.off
	b.o.background(lang.L("Writing the 通报…"), func() error {
		var err error
		res, err = off.Bulletin(req, path)
		return err
	}, func(err error) {
		if err != nil {
			b.status.SetText(msg.Of(err))
			b.status.Importance = widget.DangerImportance
			b.status.Refresh()
			b.o.ui.showError(err)
			return
		}
		b.last = res
		if name := strings.TrimSpace(req.Office); name != "" && res.Signer != "" {
			if stored, err := b.o.off.OfficeName(); err == nil && stored != name {
				if err := b.o.off.SetOfficeName(b.o.ui.who(), name); err != nil {
					b.o.ui.showError(err)
				}
			}
		}
		text := lang.L("Saved to {{.Path}}: {{.Inspections}} inspections of {{.Units}} units, {{.Problems}} problems.",
			map[string]any{"Path": path, "Inspections": res.Inspections, "Units": res.Units, "Problems": res.Problems})
		if res.Signer != "" {
			text += " " + lang.L("Signed by {{.Signer}}.", map[string]any{"Signer": res.Signer})
		} else {
			text += " " + lang.L("Not signed: a draft.")
		}
		b.status.Importance = widget.SuccessImportance
		if len(res.FontFallbacks) > 0 {
			b.status.Importance = widget.WarningImportance
		}
		b.status.SetText(withFontFallbacks(text, res.FontFallbacks))
	})
}

// periodError is the window's sentence for a date or period that inspect
// refused.
func periodError(err error) error {
	var e *inspect.Error
	if errors.As(err, &e) && e.Key == "period.end_before_start" {
		return errors.New(lang.L("The period ends before it begins."))
	}
	return errors.New(lang.L("A date must look like 2006-01-02."))
}
