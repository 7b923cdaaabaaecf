package app

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2/lang"

	"mingcha/assets"
	"mingcha/inspect"
	"mingcha/store"
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

// Message turns an error into one sentence (or, for validation errors, one
// line per problem) in the user's language. Domain errors are localised by
// their key with their parameters; their English message is the fallback.
func Message(err error) string {
	if err == nil {
		return ""
	}
	var damaged *store.DamagedError
	switch {
	case errors.Is(err, store.ErrInUse):
		return lang.L("The database is already open in another Mingcha window. Close that window first.")
	case errors.As(err, &damaged):
		return lang.L("The database file is damaged and cannot be opened. You can restore the newest good backup.")
	case errors.Is(err, store.ErrNotDatabase):
		return lang.L("This file is not a Mingcha database.")
	case errors.Is(err, store.ErrNotFound):
		return lang.L("The record was not found.")
	}
	var ve inspect.ValidationErrors
	if errors.As(err, &ve) {
		lines := make([]string, len(ve))
		for i, e := range ve {
			lines[i] = localizeError(e)
		}
		return strings.Join(lines, "\n")
	}
	var e *inspect.Error
	if errors.As(err, &e) {
		return localizeError(e)
	}
	return err.Error()
}

func localizeError(e *inspect.Error) string {
	if e.Key == "" {
		return e.Message
	}
	if e.Params == nil {
		return lang.LocalizeKey(e.Key, e.Message)
	}
	return lang.LocalizeKey(e.Key, e.Message, e.Params)
}

// LocalizeReason is why a report was refused (report.Verification or
// store.ImportResult), in the user's language: key names its template in
// the translations, params fill it, and fallback (the English sentence) is
// used when key is empty or unknown.
func LocalizeReason(key, fallback string, params map[string]any) string {
	if key == "" {
		return fallback
	}
	if params == nil {
		return lang.LocalizeKey(key, fallback)
	}
	return lang.LocalizeKey(key, fallback, params)
}

// importReason is the reason shown for an imported file.
func importReason(r store.ImportResult) string {
	return LocalizeReason(r.ReasonKey, r.Reason, r.ReasonParams)
}

// modeText is 明查 / 暗访.
func modeText(m inspect.Mode) string {
	if m == inspect.ModeCovert {
		return lang.L("Covert")
	}
	return lang.L("Open (mode)")
}

// statusText is 草稿 / 已完成 / 已签名.
func statusText(s inspect.Status) string {
	switch s {
	case inspect.StatusCompleted:
		return lang.L("Completed")
	case inspect.StatusSigned:
		return lang.L("Signed")
	default:
		return lang.L("Draft")
	}
}

// reasonText is the label of an absence reason.
func reasonText(r inspect.AbsenceReason) string {
	switch r {
	case inspect.AbsenceLeave:
		return lang.L("On leave")
	case inspect.AbsenceTrip:
		return lang.L("On a business trip")
	case inspect.AbsenceMeeting:
		return lang.L("In a meeting")
	case inspect.AbsenceOffPost:
		return lang.L("Off post")
	default:
		return lang.L("Unknown")
	}
}
