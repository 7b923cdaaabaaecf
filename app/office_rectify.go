package app

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/inspect"
	"mingcha/msg"
	"mingcha/office"
	"mingcha/store"
)

// The 整改 tab's paperwork, by the same code as the CLI (office/notice.go):
// a unit's 整改报告 received (date, who, text, attached files), 延期 with a
// reason and a new deadline, the 催办 list (.xlsx or a printable PDF), the
// 整改通知书 of the selected problem's unit or of every unit with open
// problems in the 总览's period, and "all of this unit's problems" for any
// of these actions.

// rectifyActions holds the widgets of the actions and of their open dialog.
type rectifyActions struct {
	s *officeScreen

	wholeUnit                      *widget.Check
	reply, extend, notice          *widget.Button
	noticeAll, chaseXLSX, chasePDF *widget.Button

	// The dialog open, its fields (tests fill them and submit).
	form                                       *dialog.FormDialog
	replyDate, replyFrom, replyText            *widget.Entry
	replyFiles                                 []string
	replyFileList                              *widget.Label
	extendUntil, extendReason                  *widget.Entry
	noticeNumber, noticeReplyBy, noticeContact *widget.Entry
	noticeKey, noticePass                      *widget.Entry
	noticeUnsigned                             *widget.Check
	status                                     string // the last outcome, as shown
}

func newRectifyActions(s *officeScreen) *rectifyActions {
	r := &rectifyActions{s: s}
	r.wholeUnit = widget.NewCheck(lang.L("All of this unit's problems"), func(bool) { s.updateActions() })
	r.reply = widget.NewButtonWithIcon(lang.L("整改报告 received…"), theme.MailComposeIcon(), r.askReply)
	r.extend = widget.NewButtonWithIcon(lang.L("Extend deadline…"), theme.HistoryIcon(), r.askExtend)
	r.notice = widget.NewButtonWithIcon(lang.L("整改通知书…"), theme.DocumentCreateIcon(), func() { r.askNotice(false) })
	r.noticeAll = widget.NewButtonWithIcon(lang.L("整改通知书 for the period…"), theme.DocumentCreateIcon(), func() { r.askNotice(true) })
	r.chaseXLSX = widget.NewButtonWithIcon(lang.L("催办 list (.xlsx)…"), theme.DocumentSaveIcon(), func() { r.chooseChase(".xlsx") })
	r.chasePDF = widget.NewButtonWithIcon(lang.L("催办 list (PDF)…"), theme.DocumentPrintIcon(), func() { r.chooseChase(".pdf") })
	return r
}

// targets are the problems an action applies to: the selected one, or with
// "all of this unit's problems" every problem of its unit in the list that
// is in state (any state when "").
func (r *rectifyActions) targets(state inspect.ProblemState) []store.OfficeProblem {
	s := r.s
	if s.selected < 0 || s.selected >= len(s.problems) {
		return nil
	}
	sel := s.problems[s.selected]
	if !r.wholeUnit.Checked {
		if state != "" && sel.State != state {
			return nil
		}
		return []store.OfficeProblem{sel}
	}
	var out []store.OfficeProblem
	for _, p := range s.problems {
		if p.UnitID == sel.UnitID && (state == "" || p.State == state) {
			out = append(out, p)
		}
	}
	return out
}

func ids(ps []store.OfficeProblem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// done shows the outcome of an action and reloads the list.
func (r *rectifyActions) done(text string) {
	r.s.reloadProblems()
	r.status = text
	r.s.problemStatus.SetText(text)
}

// ---- 整改报告 ----

func (r *rectifyActions) askReply() {
	targets := r.targets(inspect.ProblemOpen)
	if len(targets) == 0 {
		return
	}
	r.replyDate = widget.NewEntry()
	r.replyDate.SetText(inspect.FormatDate(r.s.now()))
	r.replyFrom = widget.NewEntry()
	r.replyFrom.SetPlaceHolder(lang.L("Name and post of the sender"))
	r.replyText = widget.NewMultiLineEntry()
	r.replyText.SetPlaceHolder(lang.L("What the unit reports it did"))
	r.replyText.SetMinRowsVisible(3)
	r.replyText.Wrapping = fyne.TextWrapWord
	r.replyFiles = nil
	r.replyFileList = wrapped(lang.L("No file attached."))
	attach := widget.NewButtonWithIcon(lang.L("Attach a file…"), theme.ContentAddIcon(), r.pickReplyFile)
	p := map[string]any{"Count": len(targets), "Unit": targets[0].UnitName}
	title := msg.Plural(len(targets), lang.L("整改报告 for one problem of {{.Unit}}", p), lang.L("整改报告 for {{.Count}} problems of {{.Unit}}", p))
	r.form = dialog.NewForm(title, lang.L("Record"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Received on"), r.replyDate),
		widget.NewFormItem(lang.L("From"), r.replyFrom),
		widget.NewFormItem(lang.L("Text"), r.replyText),
		widget.NewFormItem(lang.L("Files"), container.NewBorder(nil, nil, nil, attach, r.replyFileList)),
	}, func(ok bool) {
		if ok {
			r.recordReply(ids(targets))
		}
	}, r.s.ui.win)
	r.form.Resize(fyne.NewSize(560, r.form.MinSize().Height))
	r.form.Show()
}

func (r *rectifyActions) pickReplyFile() {
	r.s.ui.pickFile(purposeImport, nil, r.addReplyFile) // our own dialog (filepick.go)
}

func (r *rectifyActions) addReplyFile(path string) {
	r.replyFiles = append(r.replyFiles, path)
	names := make([]string, len(r.replyFiles))
	for i, p := range r.replyFiles {
		names[i] = filepath.Base(p)
	}
	r.replyFileList.SetText(strings.Join(names, "\n"))
	if r.form != nil { // grow with the list, which would otherwise cover the buttons
		r.form.Resize(fyne.NewSize(560, r.form.MinSize().Height))
	}
}

// recordReply keeps the files and records the reply in the background.
func (r *rectifyActions) recordReply(problems []string) {
	at, err := inspect.ParseDate(r.replyDate.Text)
	if err != nil {
		r.s.ui.showError(periodError(err))
		return
	}
	req := office.ReplyRequest{Problems: problems, ReceivedAt: at, From: r.replyFrom.Text, Text: r.replyText.Text, Files: r.replyFiles}
	if strings.TrimSpace(req.From) == "" {
		r.s.ui.showError(errors.New(lang.L("Say who sent the 整改报告.")))
		return
	}
	var rep store.Reply
	off, who := r.s.off, r.s.ui.who()
	r.s.background(lang.L("Recording the 整改报告…"), func() error {
		var err error
		rep, err = off.Reply(who, req)
		return err
	}, func(err error) {
		if err != nil {
			r.s.ui.showError(err)
			return
		}
		r.done(lang.L("rectification report from {{.From}} recorded: {{.Problems}} problems rectified, {{.Files}} files kept", map[string]any{
			"From": rep.From, "Problems": len(rep.Problems), "Files": len(rep.Files)}))
	})
}

// ---- 延期 ----

func (r *rectifyActions) askExtend() {
	targets := r.targets(inspect.ProblemOpen)
	if len(targets) == 0 {
		return
	}
	r.extendUntil = widget.NewEntry()
	// Two weeks more: from the deadline, or from today when it has passed
	// (an extension still overdue is none).
	from := targets[0].Deadline
	if now := r.s.now(); from.Before(now) {
		from = now
	}
	r.extendUntil.SetText(inspect.FormatDate(from.AddDate(0, 0, 14)))
	r.extendReason = widget.NewMultiLineEntry()
	r.extendReason.SetPlaceHolder(lang.L("Why the unit gets more time (required)"))
	r.extendReason.SetMinRowsVisible(2)
	p := map[string]any{"Count": len(targets), "Unit": targets[0].UnitName}
	title := msg.Plural(len(targets), lang.L("Extend the deadline of one problem of {{.Unit}}", p), lang.L("Extend the deadline of {{.Count}} problems of {{.Unit}}", p))
	r.form = dialog.NewForm(title, lang.L("Extend"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("New deadline"), r.extendUntil),
		widget.NewFormItem(lang.L("Reason"), r.extendReason),
	}, func(ok bool) {
		if ok {
			r.extendTo(ids(targets))
		}
	}, r.s.ui.win)
	r.form.Resize(fyne.NewSize(520, r.form.MinSize().Height))
	r.form.Show()
}

func (r *rectifyActions) extendTo(problems []string) {
	until, err := inspect.ParseDate(r.extendUntil.Text)
	if err != nil {
		r.s.ui.showError(periodError(err))
		return
	}
	ps, err := r.s.off.ExtendAll(r.s.ui.who(), problems, until, r.extendReason.Text)
	if err != nil {
		r.s.reloadProblems()
		r.s.ui.showError(err)
		return
	}
	p := map[string]any{"Count": len(ps), "Date": inspect.FormatDate(until)}
	r.done(msg.Plural(len(ps), lang.L("One problem: deadline extended to {{.Date}}", p), lang.L("{{.Count}} problems: deadline extended to {{.Date}}", p)))
}

// ---- 整改通知书 ----

// askNotice asks for the notice's details and the key's passphrase; all:
// every unit with open problems found in the 总览's period, into a folder.
func (r *rectifyActions) askNotice(all bool) {
	var unitID, unitName string
	if !all {
		t := r.targets("")
		if len(t) == 0 {
			return
		}
		unitID, unitName = t[0].UnitID, t[0].UnitName
	}
	var f inspect.Filter
	if all {
		var err error
		if f, err = r.s.filter(); err != nil {
			r.s.ui.showError(err)
			return
		}
	}
	r.noticeNumber = widget.NewEntry()
	r.noticeNumber.SetPlaceHolder(lang.L("e.g. 效能整改〔2026〕3号"))
	r.noticeReplyBy = widget.NewEntry()
	r.noticeReplyBy.SetPlaceHolder(lang.L("default: 15 working days"))
	r.noticeContact = widget.NewEntry()
	r.noticeContact.SetPlaceHolder(lang.L("e.g. 联系人：王明，电话：0571-88886666"))
	r.noticeKey = widget.NewEntry()
	r.noticeKey.SetText(strings.TrimSpace(r.s.bulletin.key.Text))
	r.noticeKey.SetPlaceHolder(lang.L("identity.p12 beside the database"))
	r.noticePass = widget.NewPasswordEntry()
	r.noticeUnsigned = widget.NewCheck(lang.L("Proof (not signed, marked 校样)"), func(on bool) {
		if on {
			r.noticePass.Disable()
		} else {
			r.noticePass.Enable()
		}
	})
	title := lang.L("整改通知书 to {{.Unit}}", map[string]any{"Unit": unitName})
	if all {
		title = lang.L("整改通知书 for every unit with open problems from {{.From}} to {{.To}}", map[string]any{
			"From": inspect.FormatDate(f.From), "To": inspect.FormatDate(f.To.AddDate(0, 0, -1))})
	}
	r.form = dialog.NewForm(title, lang.L("Choose where to save…"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Number"), r.noticeNumber),
		widget.NewFormItem(lang.L("Reply by"), r.noticeReplyBy),
		widget.NewFormItem(lang.L("Contact"), r.noticeContact),
		widget.NewFormItem(lang.L("Office key"), r.noticeKey),
		widget.NewFormItem(lang.L("Passphrase"), r.noticePass),
		widget.NewFormItem("", r.noticeUnsigned),
	}, func(ok bool) {
		if !ok {
			return
		}
		req, err := r.noticeRequest()
		if err != nil {
			r.s.ui.showError(err)
			return
		}
		if all {
			r.s.ui.pickFolderFor(purposeExport, func(dir string) { r.writeNotices(req, f, dir) })
			return
		}
		req.Unit = unitID
		r.s.saveAs(lang.L("整改通知书-{{.Unit}}.pdf", map[string]any{"Unit": unitName}), []string{".pdf"}, func(path string) {
			if !strings.EqualFold(filepath.Ext(path), ".pdf") {
				path += ".pdf"
			}
			r.writeNotice(req, path)
		})
	}, r.s.ui.win)
	r.form.Resize(fyne.NewSize(560, r.form.MinSize().Height))
	r.form.Show()
}

func (r *rectifyActions) noticeRequest() (office.NoticeRequest, error) {
	req := office.NoticeRequest{Office: strings.TrimSpace(r.s.bulletin.office.Text), Number: strings.TrimSpace(r.noticeNumber.Text),
		Contact: r.noticeContact.Text, KeyPath: strings.TrimSpace(r.noticeKey.Text), Passphrase: r.noticePass.Text,
		Unsigned: r.noticeUnsigned.Checked, Force: true, Who: r.s.ui.who(), Date: r.s.now()}
	if t := strings.TrimSpace(r.noticeReplyBy.Text); t != "" {
		d, err := inspect.ParseDate(t)
		if err != nil {
			return req, periodError(err)
		}
		req.ReplyBy = inspect.EndOfDay(d)
	}
	if !req.Unsigned && req.Passphrase == "" {
		return req, errors.New(lang.L("Type the passphrase of the office key, or write a proof."))
	}
	return req, nil
}

func (r *rectifyActions) writeNotice(req office.NoticeRequest, path string) {
	var res office.NoticeResult
	off := r.s.off
	r.s.background(lang.L("Writing the 整改通知书…"), func() error {
		var err error
		res, err = off.Notice(req, path)
		return err
	}, func(err error) {
		if err != nil {
			r.s.ui.showError(err)
			return
		}
		r.done(withFontFallbacks(noticeText([]office.NoticeResult{res}), res.FontFallbacks))
	})
}

func (r *rectifyActions) writeNotices(req office.NoticeRequest, f inspect.Filter, dir string) {
	var res []office.NoticeResult
	off := r.s.off
	r.s.background(lang.L("Writing the 整改通知书…"), func() error {
		var err error
		res, err = off.Notices(req, f, dir)
		return err
	}, func(err error) {
		if len(res) > 0 {
			r.done(withFontFallbacks(noticeText(res), res[0].FontFallbacks))
		}
		if err != nil {
			r.s.ui.showError(err)
		}
	})
}

// noticeText says what was written.
func noticeText(res []office.NoticeResult) string {
	n := 0
	for _, x := range res {
		n += x.Problems
	}
	signed := lang.L("signed")
	if len(res) > 0 && res[0].Signer == "" {
		signed = lang.L("proofs, not signed")
	}
	where := ""
	if len(res) > 0 {
		where = filepath.Dir(res[0].Path)
	}
	if len(res) == 1 {
		where = res[0].Path
	}
	return lang.L("{{.Notices}} 整改通知书 ({{.Problems}} problems, {{.Signed}}) saved to {{.Path}}", map[string]any{
		"Notices": len(res), "Problems": n, "Signed": signed, "Path": where})
}

// withFontFallbacks is the outcome text of a 公文 written, followed by a
// line per role whose chosen font file could not be used (the document has
// the automatic face instead).
func withFontFallbacks(text string, fs []office.FontChoice) string {
	if w := office.FontFallbacks(fs); w != "" {
		return text + "\n" + w
	}
	return text
}

// ---- 催办 ----

func (r *rectifyActions) chooseChase(ext string) {
	name := fmt.Sprintf("%s-%s%s", lang.L("Chase list"), r.s.now().In(inspect.Zone).Format("20060102"), ext)
	r.s.saveAs(name, []string{ext}, func(path string) {
		if !strings.EqualFold(filepath.Ext(path), ext) {
			path += ext
		}
		r.writeChase(path)
	})
}

func (r *rectifyActions) writeChase(path string) {
	off, name := r.s.off, strings.TrimSpace(r.s.bulletin.office.Text)
	var units, problems int
	var fallbacks []office.FontChoice
	r.s.background(lang.L("Writing the 催办 list…"), func() error {
		res, err := off.WriteChase(path, name, true) // the save dialog asked
		fallbacks = res.FontFallbacks
		for _, g := range res.Groups {
			units++
			problems += len(g.Problems)
		}
		return err
	}, func(err error) {
		if errors.Is(err, office.ErrNoOverdue) {
			r.done(lang.L("No problem is overdue."))
			return
		}
		if err != nil {
			r.s.ui.showError(err)
			return
		}
		r.done(withFontFallbacks(lang.L("催办 list saved to {{.Path}}: {{.Problems}} overdue problems of {{.Units}} units", map[string]any{
			"Path": path, "Problems": problems, "Units": units}), fallbacks))
	})
}

// ---- wiring into the 整改 tab ----

// update enables what the selection allows.
func (r *rectifyActions) update() {
	enable := func(b *widget.Button, on bool) {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	open := len(r.targets(inspect.ProblemOpen)) > 0
	enable(r.reply, open)
	enable(r.extend, open)
	enable(r.notice, r.s.selected >= 0 && r.s.selected < len(r.s.problems))
}

// actAll applies a 整改 step to the targets in the state it starts from.
func (r *rectifyActions) actAll(a inspect.Action) bool {
	if !r.wholeUnit.Checked {
		return false
	}
	from := inspect.ProblemRectified
	if a == inspect.ActionRectify {
		from = inspect.ProblemOpen
	}
	targets := r.targets(from)
	if len(targets) == 0 {
		return true
	}
	ps, err := r.s.off.ActAll(r.s.ui.who(), ids(targets), a, r.s.note.Text)
	if err != nil {
		r.s.reloadProblems()
		r.s.ui.showError(err)
		return true
	}
	r.s.note.SetText("")
	p := map[string]any{"Count": len(ps), "Unit": targets[0].UnitName, "State": problemStateText(targetState(a))}
	r.done(msg.Plural(len(ps), lang.L("One problem of {{.Unit}}: {{.State}}", p), lang.L("{{.Count}} problems of {{.Unit}}: {{.State}}", p)))
	return true
}

func targetState(a inspect.Action) inspect.ProblemState {
	switch a {
	case inspect.ActionRectify:
		return inspect.ProblemRectified
	case inspect.ActionVerify:
		return inspect.ProblemVerified
	}
	return inspect.ProblemOpen
}
