package app

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/desk"
	"mingcha/inspect"
	"mingcha/msg"
	"mingcha/report"
)

// deadlineLayout is how a 整改 deadline is typed: a date in the office's
// zone (inspect.Zone); the deadline is the end of that day.
const deadlineLayout = inspect.DateLayout

// reviewScreen shows the score, deductions, blockers and problems, and
// moves the inspection on: complete, sign, amend, export.
type reviewScreen struct {
	ui      *UI
	in      *inspect.Inspection
	content fyne.CanvasObject

	score       *widget.Label
	blockers    []*widget.Button
	complete    *widget.Button
	signButton  *widget.Button
	amend       *widget.Button
	export      *widget.Button
	responsible []*widget.Entry
	deadlines   []*widget.Entry
	// edits are the editable problems (a completed inspection's), each
	// autosaved after a pause in typing like every other field.
	edits []*problemEdit
	// status says "已保存 …" after a problem's durable save, or why not.
	status *widget.Label
}

// problemEdit is one problem's 责任人 and 整改期限 on the review screen.
type problemEdit struct {
	id               string
	responsible, due *widget.Entry
	typing           debouncer
}

// ShowReview shows the review of inspection id.
func (u *UI) ShowReview(id string) {
	u.flush()
	in, err := u.store.Inspection(id)
	if err != nil {
		u.showError(err)
		return
	}
	u.leave()
	r := &reviewScreen{ui: u, in: in, status: widget.NewLabel("")}
	r.build()
	u.review = r
	u.show(screenHome, r.content)
	u.remember(screenReview, id)
}

func heading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (r *reviewScreen) build() {
	u, in := r.ui, r.in
	sc := in.Score()
	r.score = widget.NewLabelWithStyle(lang.L("Score {{.Score}} / {{.Full}} · {{.Rating}}",
		map[string]any{"Score": fmtPoints(sc.Value), "Full": fmtPoints(sc.Full), "Rating": sc.Rating}),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.score.SizeName = theme.SizeNameSubHeadingText
	info := widget.NewLabel(fmt.Sprintf("%s · %s · %s · %s · %s", in.Unit.Name, modeText(in.Mode), statusText(in.Status),
		in.ObservedAt.In(inspect.Zone).Format(observedLayout), strings.Join(in.Inspectors, "、")))
	info.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(r.score, wrapped(scoreExplanation(sc)), info)
	if sc.Veto {
		v := widget.NewLabel(lang.L("Veto: rated lowest whatever the score"))
		v.Importance = widget.DangerImportance
		box.Add(v)
	}
	box.Add(widget.NewLabel(lang.L("Answered {{.Answered}} / {{.Total}}, deducted {{.Deducted}} points",
		map[string]any{"Answered": sc.Answered, "Total": sc.Total, "Deducted": fmtPoints(sc.Deducted)})))

	if in.Status == inspect.StatusDraft {
		blockers := in.Blockers()
		box.Add(widget.NewSeparator())
		if len(blockers) == 0 {
			ok := widget.NewLabel(lang.L("Nothing blocks completion."))
			ok.Importance = widget.SuccessImportance
			box.Add(ok)
		} else {
			box.Add(heading(lang.L("Still to do before completion ({{.Count}})", map[string]any{"Count": len(blockers)})))
			index := map[string]int{}
			for i, it := range in.Template.Items() {
				index[it.Code] = i
			}
			for _, b := range blockers {
				what := lang.L("Not answered")
				if b.Kind == "photo_missing" {
					what = lang.L("Photo missing")
				}
				i := index[b.ItemCode]
				btn := widget.NewButton(fmt.Sprintf("%s %s — %s", b.ItemCode, what, b.Text), func() { u.ShowWalk(in.ID, i) })
				btn.Alignment = widget.ButtonAlignLeading
				r.blockers = append(r.blockers, btn)
				box.Add(btn)
			}
		}
	}

	box.Add(widget.NewSeparator())
	box.Add(heading(lang.L("Deductions")))
	if len(sc.Deductions) == 0 {
		box.Add(widget.NewLabel(lang.L("No deductions.")))
	}
	for _, d := range sc.Deductions {
		box.Add(wrapped(deductionText(d)))
	}

	box.Add(widget.NewSeparator())
	box.Add(r.problems())
	if len(r.edits) > 0 {
		box.Add(r.status)
	}

	r.complete = widget.NewButtonWithIcon(lang.L("Complete inspection"), theme.ConfirmIcon(), r.doComplete)
	r.complete.Importance = widget.HighImportance
	r.signButton = widget.NewButtonWithIcon(lang.L("Sign"), theme.DocumentCreateIcon(), func() { u.ShowSignature(in.ID) })
	r.signButton.Importance = widget.HighImportance
	reopen := widget.NewButtonWithIcon(lang.L("Reopen as draft"), theme.ContentUndoIcon(), r.doReopen)
	r.amend = widget.NewButtonWithIcon(lang.L("Create amendment"), theme.ContentCopyIcon(), r.doAmend)
	r.export = widget.NewButtonWithIcon(lang.L("Export PDF"), theme.DownloadIcon(), r.doExport)
	actions := container.NewHBox()
	back := widget.NewButtonWithIcon(lang.L("Home"), theme.HomeIcon(), u.ShowHome)
	switch in.Status {
	case inspect.StatusDraft:
		actions.Add(widget.NewButtonWithIcon(lang.L("Back to checklist"), theme.NavigateBackIcon(), func() { u.ShowWalk(in.ID, 0) }))
		actions.Add(r.complete)
	case inspect.StatusCompleted:
		actions.Add(reopen)
		actions.Add(r.export)
		actions.Add(r.signButton)
	case inspect.StatusSigned:
		actions.Add(r.export)
		actions.Add(r.amend)
	}
	title := heading(lang.L("Review"))
	top := container.NewBorder(nil, nil, back, nil, title)
	r.content = container.NewBorder(top, container.NewBorder(nil, nil, nil, actions), nil, nil,
		container.NewVScroll(container.NewPadded(box)))
}

// problems lists the problems: a preview while draft, editable
// (responsible person, 整改 deadline) once completed, fixed once signed.
func (r *reviewScreen) problems() fyne.CanvasObject {
	in := r.in
	probs := in.Problems
	if in.Status == inspect.StatusDraft {
		probs = in.DeriveProblems(r.ui.store.Now(), inspect.DefaultDeadlineDays, inspect.Holidays{}, in.Problems)
	}
	box := container.NewVBox(heading(lang.L("Problems ({{.Count}})", map[string]any{"Count": len(probs)})))
	if len(probs) == 0 {
		box.Add(widget.NewLabel(lang.L("No problems.")))
		return box
	}
	if in.Status == inspect.StatusDraft {
		box.Add(widget.NewLabel(lang.L("Preview: the list is fixed when the inspection is completed. Deadline {{.Days}} working days.",
			map[string]any{"Days": inspect.DefaultDeadlineDays})))
	}
	editable := in.Status == inspect.StatusCompleted
	for _, p := range probs {
		desc := p.Description
		if p.Repeat {
			desc = "【" + lang.L("Repeat problem") + "】" + desc
		}
		l := wrapped(desc)
		if p.Repeat {
			l.Importance = widget.WarningImportance
		}
		box.Add(l)
		if !editable {
			who := p.Responsible
			if who == "" {
				who = "—"
			}
			box.Add(widget.NewLabel(lang.L("Responsible person") + "：" + who + " · " +
				lang.L("Rectification deadline") + "：" + inspect.FormatDate(p.Deadline)))
			continue
		}
		resp := widget.NewEntry()
		resp.SetText(p.Responsible)
		resp.SetPlaceHolder(lang.L("Responsible person"))
		dl := widget.NewEntry()
		dl.SetText(inspect.FormatDate(p.Deadline))
		dl.Validator = func(s string) error {
			_, err := inspect.ParseDeadline(s)
			return err
		}
		pe := &problemEdit{id: p.ID, responsible: resp, due: dl, typing: debouncer{delay: textPause, sched: r.ui.sched}}
		changed := func(string) { pe.typing.call(func() { r.saveProblem(pe) }) }
		resp.OnChanged, dl.OnChanged = changed, changed
		// Enter and leaving the field save at once, as in the walk.
		submitted := func(string) { pe.typing.flush() }
		resp.OnSubmitted, dl.OnSubmitted = submitted, submitted
		r.edits = append(r.edits, pe)
		r.responsible = append(r.responsible, resp)
		r.deadlines = append(r.deadlines, dl)
		box.Add(container.New(layout.NewFormLayout(),
			widget.NewLabel(lang.L("Responsible person")), resp,
			widget.NewLabel(lang.L("Rectification deadline")), dl))
	}
	return box
}

// flush saves what is still waiting for its pause in typing.
func (r *reviewScreen) flush() {
	for _, pe := range r.edits {
		pe.typing.flush()
	}
}

// saveProblem stores one problem's responsible person and deadline through
// the store's named edit (Inspection.AssignProblem), when they changed. A
// deadline that is not a date keeps the stored one and says so.
func (r *reviewScreen) saveProblem(pe *problemEdit) {
	var cur *inspect.Problem
	for i := range r.in.Problems {
		if r.in.Problems[i].ID == pe.id {
			cur = &r.in.Problems[i]
		}
	}
	if cur == nil {
		return
	}
	resp := strings.TrimSpace(pe.responsible.Text)
	deadline, err := inspect.ParseDeadline(pe.due.Text)
	badDate := err != nil
	if badDate {
		deadline = time.Time{} // AssignProblem keeps the stored deadline
	}
	if resp == cur.Responsible && (badDate || deadline.Equal(cur.Deadline)) {
		if badDate {
			r.showStatus(lang.L("A deadline must look like 2006-01-02."), widget.DangerImportance)
		}
		return
	}
	in, err := r.ui.store.AssignProblem(r.ui.who(), r.in.ID, pe.id, resp, deadline)
	if err != nil {
		r.showStatus(msg.Of(err), widget.DangerImportance)
		return
	}
	r.in = in
	if badDate {
		r.showStatus(lang.L("A deadline must look like 2006-01-02."), widget.DangerImportance)
		return
	}
	r.showStatus(savedText(r.ui.store.Now()), widget.SuccessImportance)
}

func (r *reviewScreen) showStatus(text string, imp widget.Importance) {
	r.status.Text, r.status.Importance = text, imp
	r.status.Refresh()
}

func (r *reviewScreen) doComplete() {
	// 整改 deadlines count working days with the office's holiday calendar
	// (法定节假日 and 调休), when one is configured.
	hol, err := r.ui.store.Holidays()
	if err != nil {
		r.ui.showError(err)
		return
	}
	if _, err := r.ui.store.CompleteInspection(r.ui.who(), r.in.ID, inspect.DefaultDeadlineDays, hol); err != nil {
		r.ui.showError(err)
		return
	}
	r.ui.ShowReview(r.in.ID)
}

func (r *reviewScreen) doReopen() {
	_, err := r.ui.store.ReopenInspection(r.ui.who(), r.in.ID)
	if err != nil {
		r.ui.showError(err)
		return
	}
	r.ui.ShowWalk(r.in.ID, 0)
}

func (r *reviewScreen) doAmend() {
	am, err := r.ui.store.AmendInspection(r.ui.who(), r.in.ID)
	if err != nil {
		r.ui.showError(err)
		return
	}
	r.ui.ShowWalk(am.ID, 0)
}

// doExport asks where to save the PDF, then for the passphrase of the
// signing key, and renders it off the UI goroutine.
func (r *reviewScreen) doExport() {
	u := r.ui
	if m := report.InspectionMissingGlyphs(r.in); len(m) > 0 {
		// Named before the export, so that nobody signs a report with a
		// name printed as empty boxes without knowing.
		dialog.ShowConfirm(lang.L("Export PDF"), lang.L("No bundled font has {{.Chars}}; the report will show an empty box for each. Export anyway?",
			map[string]any{"Chars": report.RuneList(m)}), func(ok bool) {
			if ok {
				r.chooseExportFile()
			}
		}, u.win)
		return
	}
	r.chooseExportFile()
}

// chooseExportFile asks where to save the PDF, then for the passphrase.
func (r *reviewScreen) chooseExportFile() {
	u := r.ui
	id := r.in.ID
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if wc == nil {
			return
		}
		path := wc.URI().Path()
		_ = wc.Close()
		// No key yet: the first export makes it, and its passphrase is
		// typed twice.
		if !u.desk.HasSigningKey() {
			u.askNewPassphrase(func(pass string) { u.exportTo(id, path, pass) })
			return
		}
		u.askPassphrase(func(pass string) { u.exportTo(id, path, pass) })
	}, u.win)
	d.SetFileName(fmt.Sprintf("%s-%s.pdf", r.in.Unit.Name, r.in.ObservedAt.Format("20060102")))
	d.Show()
}

// askPassphrase asks for the passphrase of the signing key and calls then
// with it, unless the user cancels. It returns the entry and the dialog.
func (u *UI) askPassphrase(then func(passphrase string)) (*widget.Entry, *dialog.FormDialog) {
	return u.askPassphraseAgain("", then)
}

// askPassphraseAgain is askPassphrase with problem (what was wrong with
// the last one; "" for none) shown above the entry.
func (u *UI) askPassphraseAgain(problem string, then func(passphrase string)) (*widget.Entry, *dialog.FormDialog) {
	pass := widget.NewPasswordEntry()
	hint := widget.NewLabel(lang.L("It unlocks your signing key. On the first export it protects the new key: remember it."))
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("Passphrase"), pass),
		widget.NewFormItem("", hint),
	}
	if problem != "" {
		warn := widget.NewLabel(problem)
		warn.Wrapping = fyne.TextWrapWord
		warn.Importance = widget.DangerImportance
		items = append([]*widget.FormItem{widget.NewFormItem("", warn)}, items...)
	}
	d := dialog.NewForm(lang.L("Sign and export"), lang.L("Export"), lang.L("Cancel"), items, func(ok bool) {
		if ok {
			then(pass.Text)
		}
	}, u.win)
	d.Resize(fyne.NewSize(460, d.MinSize().Height))
	pass.OnSubmitted = func(string) { d.Submit() }
	d.Show()
	u.win.Canvas().Focus(pass)
	return pass, d
}

// exportTo runs the export (desk.Export, as "mingcha export" does) with a
// progress dialog, off the UI goroutine (u.work counts it). A passphrase that does
// not unlock the key brings the passphrase form back, saying so; the file
// chosen stays.
func (u *UI) exportTo(id, path, passphrase string) {
	bar := widget.NewProgressBarInfinite()
	progress := dialog.NewCustomWithoutButtons(lang.L("Exporting PDF…"), bar, u.win)
	progress.Show()
	d := u.desk
	u.work.Add(1)
	go func() {
		defer u.work.Done()
		_, err := d.Export(id, path, desk.ExportOptions{Passphrase: passphrase})
		u.post(func() {
			progress.Hide()
			if desk.IsWrongPassphrase(err) {
				problem := lang.L("The passphrase is not correct. Try again.")
				if passphrase == "" {
					problem = lang.L("Enter the passphrase of the signing key.")
				}
				u.askPassphraseAgain(problem, func(p string) { u.exportTo(id, path, p) })
				return
			}
			if err != nil {
				u.showError(err)
				return
			}
			dialog.ShowInformation(lang.L("Export PDF"), lang.L("Saved to {{.Path}}", map[string]any{"Path": path}), u.win)
		})
	}()
}
