// Package msg owns what Mingcha says to its user in both faces, the window
// and the command line: the bundled translations and the mapping of an
// error to one sentence in the user's language. It sits below app and
// cmd/mingcha so that both say the same thing for the same fault.
package msg

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
// it before building any UI or printing any message, so that lang.L sees
// them.
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

// Of turns an error into one sentence (or, for validation errors, one line
// per problem, joined by "\n") in the user's language. Domain errors are localised by their
// key with their parameters; their English message is the fallback.
func Of(err error) string {
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
	case errors.Is(err, store.ErrClosed):
		return lang.L("The database was closed meanwhile (a backup was restored, or the window is closing); nothing was saved by this step.")
	}
	var fe *store.FolderError
	if errors.As(err, &fe) {
		return folderError(fe)
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
	return localizeOS(err, err.Error())
}

// Detailed is Of with what a terminal user needs to act: the file, the
// cause and the restore command for a damaged database, the technical
// cause of "in use" and "not found".
func Detailed(err error) string {
	var de *store.DamagedError
	var nd *store.NotDatabaseError
	switch {
	case errors.As(err, &de):
		m := fmt.Sprintf("%s %s: %v.", Of(err), de.Path, de.Cause)
		if de.NewestBackup != "" {
			return m + " mingcha restore --db " + de.Path + " " + de.NewestBackup
		}
		return m
	case errors.As(err, &nd):
		m := Of(err) + " " + nd.Path
		if nd.NewestBackup != "" {
			return m + " mingcha restore --db " + nd.Path + " " + nd.NewestBackup
		}
		return m
	case errors.Is(err, store.ErrInUse), errors.Is(err, store.ErrNotFound):
		if english() {
			return Of(err) + " (" + err.Error() + ")"
		}
		sentinel := store.ErrInUse
		if !errors.Is(err, sentinel) {
			sentinel = store.ErrNotFound
		}
		c := wrappedPath(err, sentinel)
		if c == err.Error() || c == "" {
			return Of(err)
		}
		if sentinel == store.ErrNotFound {
			c = recordName(c)
		}
		return Of(err) + lang.L(" ({{.What}})", map[string]any{"What": c})
	}
	return Of(err)
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

// Reason is why a report was refused (report.Verification or
// store.ImportResult), in the user's language: key names its template in
// the translations, params fill it, and fallback (the English sentence) is
// used when key is empty or unknown.
func Reason(key, fallback string, params map[string]any) string {
	if key == "" {
		return fallback
	}
	if params == nil {
		return lang.LocalizeKey(key, fallback)
	}
	return lang.LocalizeKey(key, fallback, params)
}

// ImportReason is the reason given for one file of an import.
func ImportReason(r store.ImportResult) string {
	return Reason(r.ReasonKey, r.Reason, r.ReasonParams)
}

// Row is a roster row's fault in the user's language where a translation
// exists (sheet.RowError's key, params and English message).
func Row(key, message string, params map[string]any) string {
	return Detailed(&inspect.Error{Code: inspect.ECodeInvalid, Key: key, Params: params, Message: message})
}

// folderError is a folder backup's or restore's failure: where, which part,
// and why (the drive's fault in the user's language).
func folderError(fe *store.FolderError) string {
	part := map[string]string{
		store.PartFolder:   lang.L("the folder"),
		store.PartPhotos:   lang.L("the photos"),
		store.PartReports:  lang.L("the imported reports"),
		store.PartDatabase: lang.L("the database"),
	}[fe.Part]
	reason := osReason(fe.Err)
	if reason == "" {
		reason = Of(fe.Err)
	}
	p := map[string]any{"Dir": fe.Dir, "Part": part, "Reason": reason}
	if fe.Restore {
		return lang.L("Restoring from {{.Dir}} failed at {{.Part}}: {{.Reason}}. The database here is unchanged.", p)
	}
	return lang.L("The backup to {{.Dir}} failed at {{.Part}}: {{.Reason}}. The database is unchanged; the folder's earlier backup, if any, is still whole.", p)
}
