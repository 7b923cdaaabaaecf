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
	// drafts are the fields typed into since their last save (their
	// draft files, removed once saved).
	drafts map[desk.DraftField]desk.Draft
}

// saved removes the drafts of pe's fields: the database holds them (a
// deadline that is no date is kept only by the draft of the next key).
func (pe *problemEdit) saved(u *UI) {
	for field, dr := range pe.drafts {
		u.dropDraft(dr)
		delete(pe.drafts, field)
	}
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
		map[string]any{"Score": fmtPoints(sc.Value), "Full": fmtPoints(sc.Full), "Rating": msg.Rating(sc.Rating)}),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.score.SizeName = theme.SizeNameSubHeadingText
	info := widget.NewLabel(fmt.Sprintf("%s · %s · %s · %s · %s", in.Unit.Name, modeText(in.Mode), statusText(in.Status),
		in.ObservedAt.In(inspect.Zone).Format(observedLayout), strings.Join(in.Inspectors, lang.L(", "))))
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
	// The status ("已保存 …", or why a deadline was not taken) sits beside
	// the buttons, in sight whichever problem is being typed into: at the
	// foot of the list it was below the window with five problems.
	r.status.Wrapping = fyne.TextWrapWord
	r.content = container.NewBorder(top, container.NewBorder(nil, nil, nil, actions, r.status), nil, nil,
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
			desc = lang.L("[Repeat problem] {{.Problem}}", map[string]any{"Problem": desc})
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
			box.Add(widget.NewLabel(lang.L("Responsible person: {{.Name}} · Rectification deadline: {{.Date}}",
				map[string]any{"Name": who, "Date": inspect.FormatDate(p.Deadline)})))
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
		pe := &problemEdit{id: p.ID, responsible: resp, due: dl, typing: debouncer{delay: textPause, sched: r.ui.sched}, drafts: map[desk.DraftField]desk.Draft{}}
		base := desk.Draft{Inspection: in.ID, Problem: p.ID, Who: r.ui.whoOn(in)}
		changed := func(field desk.DraftField) func(string) {
			return func(s string) {
				dr := base
				dr.Field, dr.Text = field, s
				if cur := r.problem(pe.id); cur != nil {
					dr.Base = cur.Responsible
					if field == desk.DraftDeadline {
						dr.Base = inspect.FormatDate(cur.Deadline)
					}
				}
				r.ui.keepDraft(dr)
				pe.drafts[field] = dr
				pe.typing.call(func() { r.saveProblem(pe) })
			}
		}
		resp.OnChanged = changed(desk.DraftResponsible)
		dl.OnChanged = changed(desk.DraftDeadline)
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
	cur := r.problem(pe.id)
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
		pe.saved(r.ui)
		if badDate {
			r.showStatus(notADeadline(pe.due.Text, cur.Deadline), widget.DangerImportance)
		}
		return
	}
	in, err := r.ui.store.AssignProblem(r.ui.whoOn(r.in), r.in.ID, pe.id, resp, deadline)
	if err != nil {
		r.showStatus(msg.Of(err), widget.DangerImportance)
		return
	}
	r.in = in
	pe.saved(r.ui)
	if badDate {
		r.showStatus(notADeadline(pe.due.Text, cur.Deadline), widget.DangerImportance)
		return
	}
	r.showStatus(savedText(r.ui.store.Now()), widget.SuccessImportance)
}

// problem is the stored problem id of the inspection shown, or nil.
func (r *reviewScreen) problem(id string) *inspect.Problem {
	for i := range r.in.Problems {
		if r.in.Problems[i].ID == id {
			return &r.in.Problems[i]
		}
	}
	return nil
}

// notADeadline says that typed is no date and that the deadline stays kept.
func notADeadline(typed string, kept time.Time) string {
	return lang.L("“{{.Text}}” is not a date (year-month-day): the rectification deadline stays {{.Kept}}.",
		map[string]any{"Text": strings.TrimSpace(typed), "Kept": inspect.FormatDate(kept)})
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
	if _, err := r.ui.store.CompleteInspection(r.ui.whoOn(r.in), r.in.ID, inspect.DefaultDeadlineDays, hol); err != nil {
		r.ui.showError(err)
		return
	}
	r.ui.ShowReview(r.in.ID)
}

func (r *reviewScreen) doReopen() {
	_, err := r.ui.store.ReopenInspection(r.ui.whoOn(r.in), r.in.ID)
	if err != nil {
		r.ui.showError(err)
		return
	}
	r.ui.ShowWalk(r.in.ID, 0)
}

func (r *reviewScreen) doAmend() {
	am, err := r.ui.store.AmendInspection(r.ui.whoOn(r.in), r.in.ID)
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

// chooseExportFile asks where to save the PDF (our own dialog: nothing is
// created there until the signed PDF is complete), then who signs.
func (r *reviewScreen) chooseExportFile() {
	u := r.ui
	id := r.in.ID
	// The unit and the inspection's id (its date and a unique tail): a
	// unit's name and the day alone named two inspections of one unit on
	// one day alike, and the second export offered to replace the first.
	name := fmt.Sprintf("%s-%s.pdf", r.in.Unit.Name, r.in.ID)
	u.pickSave(purposeExport, name, []string{".pdf"}, func(path string, replace bool) {
		u.chooseSigners(id, exportChoice{path: path, replace: replace}, "")
	})
}

// exportChoice is what the export dialogs collected.
type exportChoice struct {
	path    string
	replace bool              // the user agreed to replace the file at path
	keys    []string          // the signing keys, the certifier first; nil: the database's own
	passes  map[string]string // passphrase by key file
	signer  string            // who a new key is made for
}

// signersDialog asks which inspectors sign with which key on this laptop
// and each key's passphrase. An inspector without a key here is printed
// and recorded as 未数字签名.
type signersDialog struct {
	dialog *dialog.CustomDialog
	keys   []desk.SignerKey
	checks []*widget.Check
	passes []*widget.Entry
	hints  []*widget.Label  // the key file, or that there is none
	adds   []*widget.Button // 新建密钥… of an inspector without a key here; nil for the others
	export *widget.Button
	in     *inspect.Inspection
	// The last 新建密钥… dialog's passphrase fields (tests type into them).
	newKeyPass, newKeyAgain *widget.Entry
	newKeyDialog            *dialog.FormDialog
}

// pickKeyFile asks for a key file, starting in the folder where this
// laptop keeps keys (every .p12 there is listed, opened here before or
// not).
func (u *UI) pickKeyFile(onChosen func(path string)) *filePicker {
	return u.showPicker(&filePicker{ui: u, purpose: purposeKeys, mode: pickOpen, exts: []string{".p12", ".pfx"}, single: true,
		start: u.desk.KeyDir(), onChosen: func(paths []string) { onChosen(paths[0]) }}, lang.L("Open a key file"), lang.L("Open"))
}

// makeKeyFor makes a new signing key for inspector of in: it says whose
// key it will be (the name, the identity's unit) and that a forgotten
// passphrase is lost, takes the passphrase twice, makes the key
// (desk.NewKey) and hands over its path and passphrase.
func (u *UI) makeKeyFor(inspector string, in *inspect.Inspection, done func(path, passphrase string)) (pass, again *widget.Entry, d *dialog.FormDialog) {
	org := u.identity().Unit
	if org == "" {
		org = "—"
	}
	facts := []*widget.FormItem{
		widget.NewFormItem(lang.L("Holder"), widget.NewLabel(inspector)),
		widget.NewFormItem(lang.L("Organisation"), widget.NewLabel(org)),
	}
	explain := lang.L("This makes {{.Name}}'s own signing key on this laptop, protected by the passphrase {{.Name}} chooses now and types at every export. Nobody can recover a forgotten passphrase, not even the office: it would issue a new key, and reports already signed stay valid.",
		map[string]any{"Name": inspector})
	return u.newPassphraseDialog(lang.L("New signing key"), lang.L("Make key"), explain, facts, func(pass string) {
		path, err := u.desk.NewKey(inspector, pass, in)
		if err != nil {
			u.showError(err)
			return
		}
		done(path, pass)
	})
}

// chooseSigners shows who signs the report (each inspector whose key is on
// this laptop, all of them by default). With no key at all yet, the first
// export makes the identity's key (its passphrase typed twice). problem,
// when not "", says what went wrong the last time.
func (u *UI) chooseSigners(id string, c exportChoice, problem string) *signersDialog {
	in, err := u.store.Inspection(id)
	if err != nil {
		u.showError(err)
		return nil
	}
	keys := u.desk.SigningKeys(in)
	sd := &signersDialog{keys: keys, in: in}
	box := container.NewVBox()
	if problem != "" {
		warn := wrapped(problem)
		warn.Importance = widget.DangerImportance
		box.Add(warn)
	}
	box.Add(wrapped(lang.L("Every inspector whose key is on this laptop signs: the first certifies the report, each further one adds a signature. An inspector without a key here is printed as 未数字签名 and can co-sign later on their own laptop.")))
	form := container.New(layout.NewFormLayout())
	var first *widget.Entry
	for i, k := range keys {
		check := widget.NewCheck(k.Inspector, func(bool) { sd.refresh() })
		pass := widget.NewPasswordEntry()
		pass.SetPlaceHolder(lang.L("Passphrase"))
		sd.checks = append(sd.checks, check)
		sd.passes = append(sd.passes, pass)
		if k.Path == "" {
			check.Disable()
			pass.Hide()
			var buttons *fyne.Container
			use := func(path, passphrase string) {
				sd.keys[i].Path = path
				check.Enable()
				check.SetChecked(true)
				pass.Show()
				pass.SetText(passphrase)
				sd.hints[i].Importance = widget.LowImportance
				sd.hints[i].SetText(path)
				if passphrase != "" {
					buttons.Hide() // the key is made: a second one would only confuse
				}
				sd.fit(u) // the passphrase field takes room now
				if passphrase == "" {
					u.win.Canvas().Focus(pass)
				}
			}
			add := widget.NewButtonWithIcon(lang.L("Add key file…"), theme.ContentAddIcon(), func() {
				u.pickKeyFile(func(path string) { use(path, "") })
			})
			newKey := widget.NewButtonWithIcon(lang.L("New key…"), theme.ContentAddIcon(), func() {
				sd.newKeyPass, sd.newKeyAgain, sd.newKeyDialog = u.makeKeyFor(k.Inspector, sd.in, use)
			})
			buttons = container.NewHBox(newKey, add)
			sd.adds = append(sd.adds, newKey)
			hint := widget.NewLabel(lang.L("No key on this laptop: 未数字签名"))
			hint.Importance = widget.WarningImportance
			hint.Truncation = fyne.TextTruncateEllipsis
			sd.hints = append(sd.hints, hint)
			form.Add(check)
			form.Add(container.NewBorder(nil, nil, nil, buttons, container.NewVBox(hint, pass)))
			continue
		}
		sd.adds = append(sd.adds, nil)
		check.SetChecked(true)
		if first == nil {
			first = pass
		}
		hint := widget.NewLabel(k.Path)
		hint.Truncation = fyne.TextTruncateEllipsis
		hint.Importance = widget.LowImportance
		sd.hints = append(sd.hints, hint)
		form.Add(check)
		form.Add(container.NewVBox(hint, pass))
	}
	box.Add(form)
	cancel := widget.NewButton(lang.L("Cancel"), func() { sd.dialog.Hide() })
	sd.export = widget.NewButtonWithIcon(lang.L("Sign and export"), theme.ConfirmIcon(), func() {
		c.keys, c.passes = nil, map[string]string{}
		for i, k := range sd.keys {
			if sd.checks[i].Checked && k.Path != "" {
				c.keys = append(c.keys, k.Path)
				c.passes[k.Path] = sd.passes[i].Text
			}
		}
		if len(c.keys) == 0 {
			return
		}
		sd.dialog.Hide()
		u.exportWith(id, c)
	})
	sd.export.Importance = widget.HighImportance
	for i, p := range sd.passes {
		last := i == len(sd.passes)-1
		next := i + 1
		p.OnSubmitted = func(string) {
			for ; !last && next < len(sd.passes); next++ {
				if sd.passes[next].Visible() {
					u.win.Canvas().Focus(sd.passes[next])
					return
				}
			}
			sd.export.OnTapped()
		}
	}
	sd.dialog = dialog.NewCustomWithoutButtons(lang.L("Who signs"), box, u.win)
	sd.dialog.SetButtons([]fyne.CanvasObject{cancel, sd.export})
	sd.fit(u)
	sd.refresh()
	sd.dialog.Show()
	if first != nil {
		u.win.Canvas().Focus(first)
	}
	u.signers = sd
	return sd
}

// fit sizes the dialog to what it holds now.
func (sd *signersDialog) fit(u *UI) {
	sd.dialog.Resize(fyne.NewSize(min(600, u.win.Canvas().Size().Width*0.95), sd.dialog.MinSize().Height))
}

// refresh enables export while some key is chosen.
func (sd *signersDialog) refresh() {
	if sd.export == nil {
		return // still being built
	}
	for i, c := range sd.checks {
		if c.Checked && sd.keys[i].Path != "" {
			sd.export.Enable()
			return
		}
	}
	sd.export.Disable()
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

// exportTo exports with the database's own key and passphrase (the first
// export makes that key; the CLI's "mingcha export" without --key).
func (u *UI) exportTo(id, path, passphrase string) {
	u.exportWith(id, exportChoice{path: path, passes: map[string]string{"": passphrase}})
}

// exportWith runs the export (desk.Export, as "mingcha export" does) with
// a progress dialog, off the UI goroutine (u.work counts it). A passphrase
// that does not unlock a key brings the question back, saying so; the
// file chosen stays. Nothing is written at the chosen path unless the
// signed PDF is complete.
func (u *UI) exportWith(id string, c exportChoice) {
	bar := widget.NewProgressBarInfinite()
	progress := dialog.NewCustomWithoutButtons(lang.L("Exporting PDF…"), bar, u.win)
	progress.Show()
	d := u.desk
	o := desk.ExportOptions{Passphrase: c.passes[""], Passphrases: c.passes, Force: c.replace, Signer: c.signer}
	if len(c.keys) > 0 {
		o.KeyPath, o.CoKeys = c.keys[0], c.keys[1:]
	}
	u.work.Add(1)
	go func() {
		defer u.work.Done()
		res, err := d.Export(id, c.path, o)
		u.post(func() {
			progress.Hide()
			if desk.IsWrongPassphrase(err) {
				problem := lang.L("The passphrase is not correct. Try again.")
				if c.passes[""] == "" && len(c.keys) == 0 {
					problem = lang.L("Enter the passphrase of the signing key.")
				}
				if len(c.keys) > 0 {
					u.chooseSigners(id, c, msg.Of(err))
					return
				}
				u.askPassphraseAgain(problem, func(p string) {
					c.passes = map[string]string{"": p}
					u.exportWith(id, c)
				})
				return
			}
			if err != nil {
				u.showError(err)
				return
			}
			dialog.ShowInformation(lang.L("Export PDF"), lang.L("Saved to {{.Path}}", map[string]any{"Path": c.path})+"\n"+
				lang.L("Signed by {{.Signers}}", map[string]any{"Signers": res.Signer}), u.win)
		})
	}()
}
