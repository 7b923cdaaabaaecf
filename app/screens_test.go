package app

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mingcha/inspect"
)

// screen is one screen to check against testdata or write as a screenshot.
type screen struct {
	name string
	show func()
}

// screensOf walks one inspection through every screen; each step leaves
// the UI on the screen it names. The first inspection ends signed, and a
// second stays a draft so that home shows both.
func screensOf(t *testing.T, u *UI) []screen {
	var id string
	c := u.win.Canvas()
	return []screen{
		{"walk", func() {
			id = createInspection(t, u)
			walkAll(t, u, c)
			for i, it := range u.walk.items {
				if it.Kind == inspect.KindAttendance {
					u.walk.goTo(i)
				}
			}
		}},
		{"review", func() { u.ShowReview(id) }},
		{"signature", func() {
			test.Tap(u.review.complete)
			test.Tap(u.review.signButton)
			for _, name := range u.sign.in.Inspectors {
				drawSignature(u.sign.pads[name])
			}
		}},
		{"home", func() {
			test.Tap(u.sign.signBtn)
			createInspection(t, u)
			u.ShowHome()
		}},
	}
}

// TestScreensMarkup compares home, walk, review and signature with the
// markup in testdata (on a mismatch Fyne writes testdata/failed/*.xml).
func TestScreensMarkup(t *testing.T) {
	u, w, _ := newTestUI(t)
	for _, sc := range screensOf(t, u) {
		sc.show()
		test.AssertRendersToMarkup(t, sc.name+".xml", w.Canvas())
	}
}

// TestScreenshots writes home, walk, review and signature as PNG into the
// directory named by MINGCHA_SCREENSHOTS (make screenshots).
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("MINGCHA_SCREENSHOTS")
	if dir == "" {
		t.Skip("MINGCHA_SCREENSHOTS not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	u, w, _ := newTestUI(t)
	for _, sc := range screensOf(t, u) {
		sc.show()
		f, err := os.Create(filepath.Join(dir, sc.name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, w.Canvas().Capture()); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// drawSignature draws a few connected strokes as a hand would, each a
// series of drags ending in DragEnd.
func drawSignature(pad *SignaturePad) {
	strokes := [][]fyne.Position{
		{{X: 30, Y: 40}, {X: 60, Y: 38}, {X: 90, Y: 36}, {X: 110, Y: 40}},
		{{X: 70, Y: 20}, {X: 68, Y: 60}, {X: 60, Y: 100}, {X: 45, Y: 115}},
		{{X: 75, Y: 70}, {X: 95, Y: 90}, {X: 115, Y: 110}},
		{{X: 140, Y: 30}, {X: 180, Y: 30}, {X: 175, Y: 70}, {X: 150, Y: 110}, {X: 200, Y: 105}},
		{{X: 220, Y: 50}, {X: 260, Y: 45}, {X: 300, Y: 60}},
		{{X: 240, Y: 25}, {X: 250, Y: 80}, {X: 270, Y: 110}},
	}
	for _, s := range strokes {
		for i := 1; i < len(s); i++ {
			pad.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: s[i]},
				Dragged: fyne.Delta{DX: s[i].X - s[i-1].X, DY: s[i].Y - s[i-1].Y}})
		}
		pad.DragEnd()
	}
}
