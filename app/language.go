package app

import "mingcha/msg"

// useLanguage makes lang.L answer in the language chosen in the settings
// ("zh", "en"; "" keeps the system's), on every platform. Call it after
// LoadTranslations, which picks the system's.
func useLanguage(pref string) {
	switch pref {
	case "zh":
		msg.UseLanguage("zh-Hans")
	case "en":
		msg.UseLanguage("en")
	}
}
