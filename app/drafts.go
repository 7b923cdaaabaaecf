package app

import (
	"errors"
	"log"
	"slices"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"mingcha/desk"
	"mingcha/inspect"
	"mingcha/msg"
)

// Every key typed into a text field that is saved after a pause (a note,
// a text answer, a problem's 责任人 and 整改期限) writes the field's text
// to its draft file at once (desk.KeepDraft, no fsync); the debounced save
// removes it once the database holds the text. A process killed within
// the pause leaves the draft, and Restore recovers it.

// keepDraft writes the text of a field typed but not saved yet. A draft
// that cannot be written is logged: the debounced save still follows.
func (u *UI) keepDraft(dr desk.Draft) {
	if err := u.desk.KeepDraft(dr); err != nil {
		log.Print(err)
	}
}

// dropDraft removes a field's draft once its text is saved.
func (u *UI) dropDraft(dr desk.Draft) {
	if err := u.desk.DropDraft(dr); err != nil {
		log.Print(err)
	}
}

// recoverDrafts puts the text left by a killed process into the database
// and shows where it went, with a status line saying so. false: there was
// nothing to recover, and no screen was shown.
func (u *UI) recoverDrafts() bool {
	got, err := u.desk.RecoverDrafts()
	if err != nil {
		log.Print(err)
	}
	if len(got) == 0 {
		if err != nil {
			u.ShowHome()
			dialog.ShowError(errors.New(lang.L("Text typed before the program ended could not be recovered: {{.Error}}", map[string]any{"Error": msg.Of(err)})), u.win)
			return true
		}
		return false
	}
	last := got[len(got)-1]
	text := recoveredText(last)
	if len(got) > 1 {
		text = msg.Plural(len(got), lang.L("Recovered 1 field typed before the program ended"), lang.L("Recovered {{.Count}} fields typed before the program ended", map[string]any{"Count": len(got)}))
	}
	in, ierr := u.store.Inspection(last.Inspection)
	switch {
	case ierr != nil:
		u.ShowHome()
		return true
	case last.Item != "" && in.CanEdit() == nil:
		u.ShowWalk(in.ID, slices.IndexFunc(in.Template.Items(), func(it *inspect.Item) bool { return it.Code == last.Item }))
		u.walk.setStatus(text, widget.WarningImportance)
	default:
		u.ShowReview(in.ID)
		u.review.showStatus(text, widget.WarningImportance)
	}
	return true
}

// recoveredText says which field got its text back.
func recoveredText(dr desk.Draft) string {
	switch dr.Field {
	case desk.DraftNote:
		return lang.L("Recovered the note of {{.Item}} typed before the program ended", map[string]any{"Item": dr.Item})
	case desk.DraftText:
		return lang.L("Recovered the answer to {{.Item}} typed before the program ended", map[string]any{"Item": dr.Item})
	case desk.DraftResponsible:
		return lang.L("Recovered the responsible person typed before the program ended")
	default:
		return lang.L("Recovered the rectification deadline typed before the program ended")
	}
}
