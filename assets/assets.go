// Package assets owns the files shipped inside the binary: the fonts (see
// fonts/README.md: WQY MicroHei, the fallbacks for what it lacks, and the
// 公文 faces), the application icon, the default inspection templates
// (检查表) and the UI translations.
//
// It hands out bytes; parsing them is the job of the packages that
// understand them (inspect for templates, app for translations and theme,
// report for the fonts). The one exception is TextFont, the merged text
// face, which both the window and the reports need built the same way. It
// imports nothing outside the standard library and mingcha/internal/sfnt.
package assets

import (
	"bytes"
	"compress/gzip"
	"embed"
	"io"
	"io/fs"
	"path"
	"sync"

	"mingcha/internal/sfnt"
)

// The fonts are stored gzip-compressed (about half their size) and
// unpacked once, on first use.
//
//go:embed fonts/*.ttf.gz
var fonts embed.FS

// gunzipOnce returns a function that unpacks an embedded font on first
// call and then hands out the same bytes.
func gunzipOnce(name string) func() []byte {
	return sync.OnceValue(func() []byte {
		// The file is embedded and written by tools/subsetfont: an error
		// here is a broken build, caught by the package's tests.
		data, err := fonts.ReadFile("fonts/" + name)
		if err != nil {
			panic("assets: " + err.Error())
		}
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			panic("assets: " + name + ": " + err.Error())
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			panic("assets: " + name + ": " + err.Error())
		}
		return out
	})
}

var (
	fontTTF       = gunzipOnce("wqy-microhei.ttf.gz")
	fallbackDroid = gunzipOnce("fallback-droid.ttf.gz")
	fallbackBSH   = gunzipOnce("fallback-babelstone.ttf.gz")
	fallbackDV    = gunzipOnce("fallback-dejavu.ttf.gz")
	fallbackSym   = gunzipOnce("fallback-symbola.ttf.gz")
	gongwenSong   = gunzipOnce("uming-gb2312.ttf.gz")
	gongwenKai    = gunzipOnce("ukai-gb2312.ttf.gz")
)

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
func FontTTF() []byte { return fontTTF() }

// FallbackFonts returns, in the order they are consulted, the subsets that
// supply what WQY MicroHei lacks: Droid Sans Fallback and BabelStone Han for
// the ideographs of GB 18030-2022 implementation level 2 (its two-byte
// part, Extension A, the SMP characters of 通用规范汉字表), then DejaVu Sans
// for other scripts, symbols and emoji. The slices are shared.
func FallbackFonts() [][]byte {
	return [][]byte{fallbackDroid(), fallbackBSH(), fallbackDV(), fallbackSym()}
}

// TextFont returns the face the window and the reports draw text with: WQY
// MicroHei with the glyphs of FallbackFonts merged in for every character
// it lacks (a character takes WQY's glyph when WQY has one). It is built
// once per process; the slice is shared.
func TextFont() []byte { return textFont() }

var textFont = sync.OnceValue(func() []byte {
	primary, err := sfnt.Parse(FontTTF(), 0)
	if err != nil {
		panic("assets: wqy-microhei: " + err.Error())
	}
	var fbs []*sfnt.Font
	for _, b := range FallbackFonts() {
		f, err := sfnt.Parse(b, 0)
		if err != nil {
			panic("assets: fallback font: " + err.Error())
		}
		fbs = append(fbs, f)
	}
	merged, err := sfnt.Merge(primary, fbs...)
	if err != nil {
		panic("assets: merge fonts: " + err.Error())
	}
	return merged
})

// FontGongwenSong returns AR PL UMing CN (明体) cut to GB 2312 and the marks
// a 公文 needs: the bundled face for 正文 and 标题 when the office has no
// 仿宋 or 小标宋 installed. Licence: fonts/LICENSE-arphic.txt. Shared slice.
func FontGongwenSong() []byte { return gongwenSong() }

// FontGongwenKai returns AR PL UKai CN (楷体) cut like FontGongwenSong: the
// bundled face for 二级 headings. WQY MicroHei (FontTTF) serves as 黑体.
func FontGongwenKai() []byte { return gongwenKai() }

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

// CompleteFont returns primary (a TrueType font, e.g. FontGongwenSong)
// with the glyphs of TextFont added for every character of text that
// primary lacks, scaled to its em; primary itself when it lacks none. A
// document in a face cut to GB 2312 can so print a name with 堃 or 𬌗:
// only the characters the document uses are added, so the result stays
// small and within the format's 65,535 glyphs. Characters no bundled font
// has stay missing (report.MissingGlyphs names them).
func CompleteFont(primary []byte, text string) ([]byte, error) {
	p, err := sfnt.Parse(primary, 0)
	if err != nil {
		return nil, err
	}
	seen := map[rune]bool{}
	var need []rune
	for _, r := range text {
		if !seen[r] && r > ' ' && !p.Has(r) {
			seen[r] = true
			need = append(need, r)
		}
	}
	if len(need) == 0 {
		return primary, nil
	}
	face, err := sfnt.Parse(TextFont(), 0)
	if err != nil {
		return nil, err
	}
	sub, _, err := face.Subset(need)
	if err != nil {
		return nil, err
	}
	fb, err := sfnt.Parse(sub, 0)
	if err != nil {
		return nil, err
	}
	return sfnt.Merge(p, fb)
}
