// Package assets owns the files shipped inside the binary: the CJK font used
// by the GUI and the PDF reports (WQY MicroHei, see
// fonts/LICENSE-wqy-microhei.txt), the application icon, the default
// inspection templates (检查表) and the UI translations.
//
// It only hands out bytes; parsing them is the job of the packages that
// understand them (inspect for templates, app for translations and theme,
// report for the font). It imports nothing outside the standard library.
package assets

import (
	"embed"
	"io/fs"
	"path"
)

//go:embed fonts/wqy-microhei.ttf
var fontTTF []byte

//go:embed icon.png
var icon []byte

//go:embed templates/*.json
var templates embed.FS

// Translations holds the go-i18n JSON files, one per language, in the
// directory "translations" (e.g. translations/zh.json), ready for
// lang.AddTranslationsFS(assets.Translations, "translations").
//
//go:embed translations/*.json
var Translations embed.FS

// FontTTF returns WQY MicroHei as a standalone TrueType font (Chinese and
// Latin glyphs, TrueType outlines as gofpdf requires). The slice is shared:
// callers must not modify it.
func FontTTF() []byte { return fontTTF }

// Icon returns the 256×256 application icon as PNG. The slice is shared:
// callers must not modify it.
func Icon() []byte { return icon }

// TemplateFiles returns the default inspection templates, file base name
// (e.g. "sipai.json") → JSON. Each call returns fresh copies.
func TemplateFiles() map[string][]byte {
	files := map[string][]byte{}
	// The pattern is fixed and the FS is embedded, so neither call can fail.
	names, _ := fs.Glob(templates, "templates/*.json")
	for _, name := range names {
		data, _ := templates.ReadFile(name)
		files[path.Base(name)] = data
	}
	return files
}
