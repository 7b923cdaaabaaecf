package msg

import (
	_ "unsafe" // for go:linkname

	_ "fyne.io/fyne/v2/lang"
)

// fyneSetupLang is Fyne's own switch of the language lang.L answers in
// (lang.setupLang, which its tests use). Fyne 2.7 has no public way to
// choose the language: it asks the system, and on Windows that is the
// user's Windows locale, not LANG. If Fyne renames it, the link fails
// loudly rather than the choice being ignored; app's TestChosenLanguage
// checks that it works.
//
//go:linkname fyneSetupLang fyne.io/fyne/v2/lang.setupLang
func fyneSetupLang(lang string)

// UseLanguage makes lang.L answer in the language of tag ("zh-Hans", the
// tag of Fyne's and our Chinese files, or "en") on every platform. Call it
// after LoadTranslations, which picks the system's.
func UseLanguage(tag string) { fyneSetupLang(tag) }
