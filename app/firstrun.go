package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/store"
)

// firstRunGuide is the home screen's guidance until the first inspection
// exists: set one's identity, add a unit, check the templates, start the
// first inspection — each step with its button and a tick once done. Nil
// when every step is done.
func (u *UI) firstRunGuide() fyne.CanvasObject {
	units, _ := u.store.Units()
	tpls, _ := u.store.Templates()
	page, _ := u.store.ListInspections(store.Query{Limit: 1})
	steps := []struct {
		done   bool
		text   string
		button string
		show   func()
	}{
		{u.identity().Name != "", lang.L("Set your name and office (they sign your reports)"), lang.L("Settings"), u.ShowSettings},
		{len(units) > 0, lang.L("Add the units you inspect, with their staff roster"), lang.L("Units"), u.ShowUnits},
		{len(tpls) > 0, lang.L("Look at the checklists (the defaults are ready to use)"), lang.L("Templates"), u.ShowTemplates},
		{page.Total > 0, lang.L("Start your first inspection"), lang.L("New inspection"), u.ShowNewInspection},
	}
	if steps[0].done && steps[1].done && steps[3].done {
		return nil
	}
	box := container.NewVBox(widget.NewLabelWithStyle(lang.L("Getting started"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for i, s := range steps {
		icon := widget.NewIcon(theme.RadioButtonIcon())
		if s.done {
			icon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
		}
		b := widget.NewButton(s.button, s.show)
		if !s.done {
			b.Importance = widget.HighImportance
		}
		box.Add(container.NewBorder(nil, nil, container.NewHBox(icon, widget.NewLabel(fmt.Sprintf("%d.", i+1))), b, widget.NewLabel(s.text)))
	}
	return widget.NewCard("", "", box)
}
