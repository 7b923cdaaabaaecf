package app

import (
	"image/color"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"mingcha/assets"
)

// bundledFont is the merged text face (WQY MicroHei with its fallbacks for
// Extension A, the SMP characters of names, other scripts and symbols),
// shared by every Theme: Fyne's default font has no Chinese glyphs, many
// laptops have no CJK font installed, and Fyne's own fallback only looks at
// fonts installed on the system. The theme can return one font, so the
// fallbacks are merged into it (assets.TextFont); it is built on first use.
var bundledFont = sync.OnceValue(func() fyne.Resource {
	return fyne.NewStaticResource(TextFontName, assets.TextFont())
})

// TextFontName is the resource name of the bundled text face.
const TextFontName = "mingcha-text.ttf"

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

// Font returns the bundled text face for regular, bold and italic text.
// WQY MicroHei has one upright regular face and Fyne does not synthesise
// bold or italic, so such text shows in the regular face: Fyne puts the
// theme's font first and uses it for every glyph it has, Latin included,
// and returning its own bold font instead would leave Chinese to whatever
// the system has. Monospace and symbols keep Fyne's fonts.
func (t *Theme) Font(style fyne.TextStyle) fyne.Resource {
	if style.Monospace || style.Symbol {
		return t.Theme.Font(style)
	}
	return bundledFont()
}
