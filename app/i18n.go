package app

import (
	"fmt"

	"fyne.io/fyne/v2/lang"

	"mingcha/assets"
)

// LoadTranslations adds the bundled translations (assets/translations) to
// Fyne's lang package and picks the one closest to the system locale. Call
// it before building any UI, so that lang.L sees them.
//
// The Chinese file is zh-Hans.json, not zh.json or zh-CN.json: go-i18n takes
// the language from the file name and uses exactly one file's language per
// lookup. Fyne ships its own strings as zh-Hans, which wins over a plain
// "zh" for every Chinese locale, and a "zh-CN" file would hide Fyne's
// Chinese dialog buttons; as zh-Hans both sets merge into one language.
func LoadTranslations() error {
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		return fmt.Errorf("load translations: %w", err)
	}
	return nil
}
