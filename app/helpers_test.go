package app

import (
	"mingcha/desk"
	"mingcha/office"
	"mingcha/store"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// overlayText is every text shown in the topmost overlay (a dialog), one
// per line; "" when there is none.
func overlayText(c fyne.Canvas) string {
	top := c.Overlays().Top()
	if top == nil {
		return ""
	}
	var lines []string
	for _, o := range test.LaidOutObjects(top) {
		switch x := o.(type) {
		case *widget.Label:
			lines = append(lines, x.Text)
		case *canvas.Text:
			lines = append(lines, x.Text)
		}
	}
	return strings.Join(lines, "\n")
}

// clearOverlays closes every dialog.
func clearOverlays(c fyne.Canvas) {
	for c.Overlays().Top() != nil {
		c.Overlays().Remove(c.Overlays().Top())
	}
}

// newUIOn is the window over s with the use cases as cmd/mingcha wires
// them (no key or passphrase configured).
func newUIOn(a fyne.App, w fyne.Window, s *store.Store) *UI {
	return NewUI(a, w, desk.New(s, desk.Keys{}), office.New(s, office.Keys{}))
}
