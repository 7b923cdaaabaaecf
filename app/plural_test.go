package app

import (
	"strings"
	"testing"
)

// TestOfficeDialogTitlesCount: in English a dialog for one problem says
// "one problem", not "1 problems"; for a unit's several problems it counts
// them.
func TestOfficeDialogTitlesCount(t *testing.T) {
	u, _, _ := twoRounds(t)
	englishMessages(t, u)
	u.ShowOffice()
	v, _ := officeScreens.Load(u)
	o := v.(*officeScreen)
	texts := map[string]string{}
	eachOfficeDialog(t, o, func(name string) { texts[name] = overlayText(o.ui.win.Canvas()) })
	for name, want := range map[string]string{
		"reply":       "Rectification report for one problem of ",
		"extend":      "Extend the deadline of one problem of ",
		"extend-unit": " problems of ",
	} {
		if !strings.Contains(texts[name], want) {
			t.Errorf("%s dialog lacks %q:\n%s", name, want, texts[name])
		}
	}
	for name, text := range texts {
		if strings.Contains(text, " 1 problems") {
			t.Errorf("%s dialog says 1 problems:\n%s", name, text)
		}
	}
}
