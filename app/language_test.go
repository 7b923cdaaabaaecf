package app

import (
	"testing"

	"fyne.io/fyne/v2/lang"
)

// The language chosen in the settings wins over the system's, for our
// strings and Fyne's own, without LANG (which Windows ignores).
func TestChosenLanguage(t *testing.T) {
	t.Setenv("LANG", "en_US.UTF-8")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = LoadTranslations() })
	useLanguage("zh")
	if got := lang.L("Mingcha"); got != "明察" {
		t.Errorf("zh: our title is %q", got)
	}
	if got := lang.L("Cancel"); got != "取消" {
		t.Errorf("zh: Fyne's Cancel is %q", got)
	}
	useLanguage("en")
	if got := lang.L("Mingcha"); got != "Mingcha" {
		t.Errorf("en: our title is %q", got)
	}
	useLanguage("zh")
	useLanguage("")
	if got := lang.L("Mingcha"); got != "明察" {
		t.Errorf(`"" must keep the current language, got %q`, got)
	}
}
