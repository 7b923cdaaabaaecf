package app_test

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	gotext "github.com/go-text/typesetting/font"

	"mingcha/app"
	"mingcha/assets"
)

func TestThemeFontIsBundledCJK(t *testing.T) {
	th := app.NewTheme("system")
	for _, style := range []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Bold: true, Italic: true}} {
		f := th.Font(style)
		if f.Name() != app.TextFontName || !bytes.Equal(f.Content(), assets.TextFont()) {
			t.Errorf("Font(%+v) = %q (%d bytes), want the bundled text face", style, f.Name(), len(f.Content()))
		}
	}
	if f := th.Font(fyne.TextStyle{Monospace: true}); f.Name() == app.TextFontName {
		t.Error("monospace text uses the CJK font, want Fyne's monospace font")
	}

	// Widgets look the font up through the current app's theme.
	a := test.NewTempApp(t)
	a.Settings().SetTheme(th)
	if got := theme.TextFont().Name(); got != app.TextFontName {
		t.Errorf("theme.TextFont() with our theme set = %q, want %s", got, app.TextFontName)
	}
}

// TestBundledFontCoversText parses the font with go-text, the engine Fyne
// draws text with, and looks up every glyph we rely on. This holds on any
// machine; the rendering test below cannot tell our font from a system CJK
// font that Fyne falls back to.
func TestBundledFontCoversText(t *testing.T) {
	face, err := gotext.ParseTTF(bytes.NewReader(assets.TextFont()))
	if err != nil {
		t.Fatalf("go-text cannot parse the bundled font: %v", err)
	}
	// Rare characters of names (Extension A and B–E) and an emoji come
	// from the merged fallbacks.
	for _, r := range "区行政服务中心明察检查记录 ABCxyz 0123456789：，。（）𠀀𪚥𬌗䶮㛃喆堃龘國😀" {
		if _, ok := face.NominalGlyph(r); !ok {
			t.Errorf("bundled font has no glyph for %q (U+%04X)", r, r)
		}
	}
}

// renderThemedLabel shows text in a label on a headless window with theme
// th and returns the captured window and the label's rectangle in it.
func renderThemedLabel(t *testing.T, th fyne.Theme, text string) (image.Image, image.Rectangle) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(th)
	label := widget.NewLabel(text)
	w := test.NewTempWindow(t, label)
	w.Resize(fyne.NewSize(240, 60))
	img := w.Canvas().Capture()

	pos := a.Driver().AbsolutePositionForObject(label)
	size := label.Size()
	scale := w.Canvas().Scale()
	area := image.Rect(
		int(pos.X*scale), int(pos.Y*scale),
		int((pos.X+size.Width)*scale), int((pos.Y+size.Height)*scale),
	).Intersect(img.Bounds())
	if area.Empty() {
		t.Fatalf("label area %v is outside the %v capture", area, img.Bounds())
	}
	return img, area
}

// inkBox returns the bounding box of the pixels in area that differ from bg,
// and how many there are.
func inkBox(img image.Image, area image.Rectangle, bg color.Color) (image.Rectangle, int) {
	br, bgc, bb, _ := bg.RGBA()
	var box image.Rectangle
	n := 0
	for y := area.Min.Y; y < area.Max.Y; y++ {
		for x := area.Min.X; x < area.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if channelDiff(r, br)+channelDiff(g, bgc)+channelDiff(b, bb) < 3*0x2000 {
				continue
			}
			n++
			box = box.Union(image.Rect(x, y, x+1, y+1))
		}
	}
	return box, n
}

func channelDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// TestThemeRendersChinese draws Chinese through the theme on a headless
// window. Where a system CJK font is installed Fyne may fall back to it, so
// TestThemeFontIsBundledCJK and TestBundledFontCoversText carry the proof
// that the text comes from our font.
func TestThemeRendersChinese(t *testing.T) {
	th := app.NewTheme("light")
	bg := th.Color(theme.ColorNameBackground, theme.VariantLight)
	text := "区行政服务中心"

	img, area := renderThemedLabel(t, th, text)
	box, n := inkBox(img, area, bg)
	if n < 200 {
		t.Fatalf("label area %v is nearly blank: %d ink pixels", area, n)
	}
	// Seven full-width (one em) glyphs at the theme's text size.
	em := th.Size(theme.SizeNameText)
	if want := int(float32(len([]rune(text))) * em * 0.8); box.Dx() < want {
		t.Errorf("text is %d px wide, want at least %d for %d CJK glyphs", box.Dx(), want, len([]rune(text)))
	}

	// A font without these glyphs draws every one as the same missing-glyph
	// box; real glyphs make different strings render differently.
	other, otherArea := renderThemedLabel(t, th, "区区区区区区区")
	if sameRegion(img, area, other, otherArea) {
		t.Error("\"区行政服务中心\" and \"区区区区区区区\" render identically: missing glyphs")
	}
}

// TestThemeRendersRareName draws a name whose characters WQY MicroHei
// lacks (Extension A 䶮, Extension E 𬌗, Extension B 𠀀) and checks each
// renders as its own glyph: a missing glyph draws the same box for all of
// them, and for a code point no font has (U+10FFFD).
func TestThemeRendersRareName(t *testing.T) {
	th := app.NewTheme("light")
	bg := th.Color(theme.ColorNameBackground, theme.VariantLight)
	var imgs []image.Image
	var areas []image.Rectangle
	for _, s := range []string{"王䶮", "王𬌗", "王𠀀", "王\U0010FFFD"} {
		img, area := renderThemedLabel(t, th, s)
		if _, n := inkBox(img, area, bg); n < 40 {
			t.Fatalf("%q renders nearly blank: %d ink pixels", s, n)
		}
		imgs, areas = append(imgs, img), append(areas, area)
	}
	for i := 0; i < len(imgs); i++ {
		for j := i + 1; j < len(imgs); j++ {
			if sameRegion(imgs[i], areas[i], imgs[j], areas[j]) {
				t.Errorf("renderings %d and %d are identical: a missing-glyph box", i, j)
			}
		}
	}
}

func sameRegion(a image.Image, ra image.Rectangle, b image.Image, rb image.Rectangle) bool {
	if ra.Size() != rb.Size() {
		return false
	}
	for y := 0; y < ra.Dy(); y++ {
		for x := 0; x < ra.Dx(); x++ {
			if a.At(ra.Min.X+x, ra.Min.Y+y) != b.At(rb.Min.X+x, rb.Min.Y+y) {
				return false
			}
		}
	}
	return true
}

// relLuminance is the relative luminance of c, 0 (black) to 1 (white).
func relLuminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}

func TestThemeVariant(t *testing.T) {
	tests := []struct {
		setting string
		system  fyne.ThemeVariant
		dark    bool
	}{
		{"dark", theme.VariantLight, true},
		{"dark", theme.VariantDark, true},
		{"light", theme.VariantDark, false},
		{"light", theme.VariantLight, false},
		{"system", theme.VariantDark, true},
		{"system", theme.VariantLight, false},
		{"", theme.VariantDark, true}, // unknown settings follow the system
	}
	for _, tt := range tests {
		th := app.NewTheme(tt.setting)
		bg := relLuminance(th.Color(theme.ColorNameBackground, tt.system))
		fg := relLuminance(th.Color(theme.ColorNameForeground, tt.system))
		// Dark: a dark background under clearly lighter text; light: the reverse.
		ok := bg < 0.25 && fg > bg+0.4
		if !tt.dark {
			ok = bg > 0.75 && fg < bg-0.4
		}
		if !ok {
			t.Errorf("NewTheme(%q) on a system in variant %d: background %.2f, foreground %.2f, want dark=%v",
				tt.setting, tt.system, bg, fg, tt.dark)
		}
	}
}

// TestThemeVariantRendered checks the forced variant reaches the screen,
// whatever variant the (test) app's settings report.
func TestThemeVariantRendered(t *testing.T) {
	for _, tt := range []struct {
		setting string
		dark    bool
	}{{"dark", true}, {"light", false}} {
		img, _ := renderThemedLabel(t, app.NewTheme(tt.setting), "区")
		corner := relLuminance(img.At(1, 1))
		if tt.dark && corner > 0.25 || !tt.dark && corner < 0.75 {
			t.Errorf("NewTheme(%q): window background luminance %.2f", tt.setting, corner)
		}
	}
}
