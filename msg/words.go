package msg

import (
	"errors"
	"io/fs"
	"strings"
	"syscall"
	"unicode"

	"fyne.io/fyne/v2/lang"

	"mingcha/inspect"
)

// Mode is 明查 / 暗访 in the user's language.
func Mode(m inspect.Mode) string {
	if m == inspect.ModeCovert {
		return lang.L("covert")
	}
	return lang.L("open")
}

// Status is 草稿 / 已完成 / 已签名 in the user's language.
func Status(s inspect.Status) string {
	switch s {
	case inspect.StatusCompleted:
		return lang.L("completed")
	case inspect.StatusSigned:
		return lang.L("signed")
	default:
		return lang.L("draft")
	}
}

// Rating is a rating band in the user's language. Bands are template
// data, named in Chinese; the standard four (优秀 良好 合格 不合格, and 一般,
// 较差) are translated, any other band name stays as the template says.
func Rating(r string) string {
	switch strings.TrimSpace(r) {
	case "优秀":
		return lang.L("excellent")
	case "良好":
		return lang.L("good")
	case "合格":
		return lang.L("satisfactory")
	case "一般":
		return lang.L("fair")
	case "较差":
		return lang.L("poor")
	case "不合格":
		return lang.L("unsatisfactory")
	}
	return r
}

// Trust is how a signer's certificate is trusted, in the user's language.
func Trust(t string) string {
	switch t {
	case "office-ca":
		return lang.L("office-ca")
	case "self-signed":
		return lang.L("self-signed")
	case "unknown":
		return lang.L("unknown")
	}
	return t
}

// osReason is the user's-language sentence for the common operating-system
// faults behind a file error ("" for others, which stay as the OS says).
func osReason(err error) string {
	var errno syscall.Errno
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return lang.L("no such file or folder")
	case errors.Is(err, fs.ErrPermission):
		return lang.L("permission denied")
	case errors.Is(err, fs.ErrExist):
		return lang.L("the file exists already")
	case errors.As(err, &errno):
		switch errno {
		case syscall.EISDIR:
			return lang.L("it is a folder")
		case syscall.ENOTDIR:
			return lang.L("a part of the path is not a folder")
		case syscall.ENOSPC:
			return lang.L("no space left on the disk")
		case syscall.EROFS:
			return lang.L("the disk is read-only")
		}
	}
	return ""
}

// localizeOS replaces, in text, the English suffix of a wrapped file error
// ("open x: no such file or directory") with the same in the user's
// language ("x：文件或文件夹不存在"). In a face other than English, context
// that Go code wrapped around it in English ("open x: ", "backup y: ") is
// dropped: the path and the reason are the sentence there, and the English
// stays for the English face.
func localizeOS(err error, text string) string {
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return text
	}
	reason := osReason(pe.Err)
	if reason == "" {
		return text
	}
	local := lang.L("{{.Path}}: {{.Reason}}", map[string]any{"Path": pe.Path, "Reason": reason})
	i := strings.Index(text, pe.Error())
	if i < 0 {
		return text
	}
	if before := text[:i]; !english() && !hasHan(before) {
		return local + text[i+len(pe.Error()):]
	}
	return text[:i] + local + text[i+len(pe.Error()):]
}

// english: lang.L answers in English (the translations' "language" key
// names each file's language).
func english() bool { return lang.LocalizeKey("language", "en") == "en" }

// hasHan: s has a Chinese character, so it was worded for the Chinese face.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// wrappedPath is err's text without the sentinel's English at its end and
// without Go's "open " before the path: what is left names the file.
func wrappedPath(err, sentinel error) string {
	return strings.TrimPrefix(strings.TrimSuffix(err.Error(), ": "+sentinel.Error()), "open ")
}

// Plural is one when n is 1, else many: both are lang.L sentences (with
// their literal keys, so that the translation tools find them), the one
// worded for a single thing ("1 problem"), many for the rest. Chinese says
// both alike.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// recordName says in the user's language which record the store did not
// find: its "template x" / "unit x" … ("template x version 2" keeps only
// the id). Other context stays as it is.
func recordName(c string) string {
	kind, id, ok := strings.Cut(c, " ")
	if !ok {
		return c
	}
	id, _, _ = strings.Cut(id, " version ")
	p := map[string]any{"ID": strings.Trim(id, `"`)}
	switch kind {
	case "template":
		return lang.L("template {{.ID}}", p)
	case "unit":
		return lang.L("unit {{.ID}}", p)
	case "inspection":
		return lang.L("inspection {{.ID}}", p)
	case "report":
		return lang.L("report {{.ID}}", p)
	case "photo":
		return lang.L("photo {{.ID}}", p)
	}
	return c
}
