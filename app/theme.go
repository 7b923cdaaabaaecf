package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"mingcha/assets"
)

// bundledFont is WQY MicroHei, shared by every Theme: Fyne's default font
// has no Chinese glyphs and many laptops have no CJK font installed.
var bundledFont = fyne.NewStaticResource("wqy-microhei.ttf", assets.FontTTF())

// Theme is Fyne's default theme with the bundled CJK font and, optionally,
// a variant (light or dark) forced regardless of the system setting.
type Theme struct {
	fyne.Theme

	forced  bool
	variant fyne.ThemeVariant
}

// NewTheme returns the application theme. variant is the user's setting:
// "light" or "dark" forces that variant, "system" (or anything else) follows
// the operating system.
func NewTheme(variant string) fyne.Theme {
	t := &Theme{Theme: theme.DefaultTheme()}
	switch variant {
	case "light":
		t.forced, t.variant = true, theme.VariantLight
	case "dark":
		t.forced, t.variant = true, theme.VariantDark
	}
	return t
}

// Color forces the chosen variant by passing it to the default theme in
// place of the system's, as fyne_demo does; theme.DarkTheme() is deprecated.
func (t *Theme) Color(name fyne.ThemeColorName, variant fyne.ThemeVariant) color.Color {
	if t.forced {
		variant = t.variant
	}
	return t.Theme.Color(name, variant)
}

// Font returns the bundled CJK font for regular, bold and italic text.
// WQY MicroHei has one upright regular face and Fyne does not synthesise
// bold or italic, so such text shows in the regular face: Fyne puts the
// theme's font first and uses it for every glyph it has, Latin included,
// and returning its own bold font instead would leave Chinese to whatever
// the system has. Monospace and symbols keep Fyne's fonts.
func (t *Theme) Font(style fyne.TextStyle) fyne.Resource {
	if style.Monospace || style.Symbol {
		return t.Theme.Font(style)
	}
	return bundledFont
}
