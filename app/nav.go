package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/inspect"
)

// Preference keys of the last screen, restored at start.
const (
	prefScreen     = "screen"            // one of the screen* names below
	prefInspection = "screen.inspection" // the inspection open in the walk or review
	prefItem       = "screen.item"       // the walk's current item
)

// Screen names stored under prefScreen.
const (
	screenHome      = "home"
	screenUnits     = "units"
	screenTemplates = "templates"
	screenSettings  = "settings"
	screenWalk      = "walk"
	screenReview    = "review"
)

// NavSection is one destination of the bar at the top of the window. The
// inspections section also holds the new-inspection form, the walk, the
// review and the signature pads.
type NavSection struct {
	Name  string               // screen name, stored as the last screen
	Label func() string        // the translated label (lang.L works only once translations are loaded)
	Icon  func() fyne.Resource // theme icons need a running app, so looked up late
	Show  func(u *UI)
}

// NavSections are the bar's destinations in order. Another file of the
// package (the 效能办 screens) appends its own in an init function.
var NavSections []NavSection

// The sections are set in init, not in the declaration: their Show methods
// draw the bar, which reads NavSections (an initialisation cycle).
func init() {
	NavSections = append([]NavSection{
		{Name: screenHome, Label: func() string { return lang.L("Inspections") }, Icon: theme.ListIcon, Show: (*UI).ShowHome},
		{Name: screenUnits, Label: func() string { return lang.L("Units") }, Icon: theme.AccountIcon, Show: (*UI).ShowUnits},
		{Name: screenTemplates, Label: func() string { return lang.L("Templates") }, Icon: theme.DocumentIcon, Show: (*UI).ShowTemplates},
		{Name: screenSettings, Label: func() string { return lang.L("Settings") }, Icon: theme.SettingsIcon, Show: (*UI).ShowSettings},
	}, NavSections...)
}

// navBar is the row of section buttons above every screen; the current
// section's button is highlighted.
type navBar struct {
	ui      *UI
	content fyne.CanvasObject
	buttons map[string]*widget.Button
	current string
}

func newNavBar(u *UI) *navBar {
	n := &navBar{ui: u, buttons: map[string]*widget.Button{}}
	row := container.NewHBox()
	for _, s := range NavSections {
		// Unsaved changes of the screen shown are asked about first.
		b := widget.NewButtonWithIcon(s.Label(), s.Icon(), func() { u.navigate(func() { s.Show(u) }) })
		b.Importance = widget.LowImportance
		n.buttons[s.Name] = b
		row.Add(b)
	}
	title := widget.NewLabelWithStyle(lang.L("Mingcha"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	n.content = container.NewVBox(container.NewBorder(nil, nil, title, nil, row), widget.NewSeparator())
	return n
}

// setCurrent highlights the button of section name.
func (n *navBar) setCurrent(name string) {
	if n.current == name {
		return
	}
	for key, b := range n.buttons {
		imp := widget.LowImportance
		if key == name {
			imp = widget.HighImportance
		}
		if b.Importance != imp {
			b.Importance = imp
			b.Refresh()
		}
	}
	n.current = name
}

// remember stores the screen (and inspection) to reopen at the next start.
// Fyne writes and fsyncs the preferences file on every change, so only
// changes are set, and the walk's item is stored when the walk is left
// (rememberItem), not at every key press.
func (u *UI) remember(screen, inspectionID string) {
	p := u.app.Preferences()
	if p.String(prefScreen) != screen || p.String(prefInspection) != inspectionID {
		setPrefs(p, map[string]any{prefScreen: screen, prefInspection: inspectionID})
	}
}

// rememberItem stores the walk's current item (leaving it or closing).
func (u *UI) rememberItem() {
	if u.walk == nil {
		return
	}
	if p := u.app.Preferences(); p.Int(prefItem) != u.walk.cur {
		p.SetInt(prefItem, u.walk.cur)
	}
}

// Restore shows the screen remembered from the last run: the walk at the
// same item, the review of the same inspection, or a section; when the
// inspection is not in this database or nothing was remembered, home, or
// the 效能办 screen for the office's database. Text a killed process
// left typed but unsaved is recovered first, and shown where it went.
func (u *UI) Restore() {
	if u.recoverDrafts() {
		return // where the recovered text went, said on its status line
	}
	p := u.app.Preferences()
	screen := p.String(prefScreen)
	id := p.String(prefInspection)
	switch screen {
	case screenWalk, screenReview:
		if in, err := u.store.Inspection(id); err == nil && id != "" {
			if screen == screenWalk && in.Status == inspect.StatusDraft {
				u.ShowWalk(id, p.Int(prefItem))
				return
			}
			u.ShowReview(id)
			return
		}
		// Gone, or of the database open last time (the preferences are the
		// program's, not the database's): this database's first screen.
		screen = ""
	}
	if screen == screenOffice {
		u.showOfficeOverview()
		return
	}
	for _, s := range NavSections {
		if s.Name == screen && (screen != screenHome || !u.officeDatabase()) {
			s.Show(u)
			return
		}
	}
	if u.officeDatabase() {
		u.showOfficeOverview() // the 效能办's database opens on its own screen
		return
	}
	u.ShowHome()
}
