package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"mingcha/assets"
	"mingcha/internal/charset"
	"mingcha/internal/sfnt"
)

// The faces of a 公文: the office's own (chosen in Settings or `office
// config --font-…`), else its installed 公文 fonts found by file name, else
// the bundled free faces (AR PL UMing CN for 仿宋 and 小标宋, AR PL UKai CN
// for 楷体, WQY MicroHei for 黑体).

// The roles a 公文 face plays, as stored in the office's settings.
const (
	FontTitle    = "title"    // 标题 and 发文机关标志: 小标宋
	FontBody     = "fangsong" // 正文: 仿宋
	FontHeading1 = "heiti"    // 一级标题: 黑体
	FontHeading2 = "kaiti"    // 二级标题: 楷体
)

// FontRoles lists the roles in the order Settings shows them.
var FontRoles = []string{FontTitle, FontBody, FontHeading1, FontHeading2}

// Face is one 公文 face: a standalone TrueType font (a collection's face
// taken out of it) and what it is.
type Face struct {
	Data        []byte
	Family      string // English family name, e.g. "AR PL UMing CN"
	ChineseName string // simplified Chinese family name, "" when it has none
	PostScript  string // e.g. "UMingCN"
	Path        string // the file it was read from; "" for a bundled face
	Index       int    // its face in a collection
}

// Bundled reports whether the face is one shipped inside Mingcha.
func (f Face) Bundled() bool { return f.Path == "" }

// DisplayName is the face's name for people: its Chinese family name when
// it has one, else its English one.
func (f Face) DisplayName() string {
	if f.ChineseName != "" {
		return f.ChineseName
	}
	return f.Family
}

// pdfName is the face's name in a PDF font resource: letters, digits and
// hyphens of its PostScript (else family) name.
func (f Face) pdfName() string {
	name := f.PostScript
	if name == "" {
		name = f.Family
	}
	var b strings.Builder
	for _, r := range name {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "face"
	}
	return b.String()
}

// GongwenFonts are the faces of a 公文, one per role; a face without data
// is the bundled one.
type GongwenFonts struct {
	FangSong, KaiTi, HeiTi, Title Face
}

// Role is the face of a role key (FontBody …).
func (f *GongwenFonts) Role(key string) *Face {
	switch key {
	case FontBody:
		return &f.FangSong
	case FontHeading2:
		return &f.KaiTi
	case FontHeading1:
		return &f.HeiTi
	case FontTitle:
		return &f.Title
	}
	return nil
}

type roleFace struct {
	key  string
	face *Face
}

func (f *GongwenFonts) roles() []roleFace {
	return []roleFace{{FontBody, &f.FangSong}, {FontHeading2, &f.KaiTi}, {FontHeading1, &f.HeiTi}, {FontTitle, &f.Title}}
}

// BundledFace is the face Mingcha ships for a role.
func BundledFace(role string) Face {
	switch role {
	case FontHeading2:
		return Face{Data: assets.FontGongwenKai(), Family: "AR PL UKai CN", PostScript: "UKaiCN"}
	case FontHeading1:
		return Face{Data: assets.FontTTF(), Family: "WenQuanYi Micro Hei", ChineseName: "文泉驿微米黑", PostScript: "WenQuanYiMicroHei"}
	default:
		return Face{Data: assets.FontGongwenSong(), Family: "AR PL UMing CN", PostScript: "UMingCN"}
	}
}

// WithDefaults gives every role without a face its bundled one.
func (f GongwenFonts) WithDefaults() GongwenFonts {
	for _, r := range f.roles() {
		if r.face.Data == nil {
			*r.face = BundledFace(r.key)
		}
	}
	return f
}

// completedFor gives each face the glyphs of the bundled text face for the
// characters of g it lacks: the bundled 公文 faces are cut to GB 2312, and
// a unit or a person may be named with 堃, 䶮 or 𬌗. A face that cannot be
// completed stays as it is (report.MissingGlyphs names what no font has).
func (f GongwenFonts) completedFor(g *Gongwen) GongwenFonts {
	data, err := json.Marshal(g)
	if err != nil {
		return f
	}
	text := string(data)
	for _, r := range f.roles() {
		if full, err := assets.CompleteFont(r.face.Data, text); err == nil {
			r.face.Data = full
		}
	}
	return f
}

// GongwenFontFiles are the office's installed 公文 fonts, looked for by
// file name (Windows: C:\Windows\Fonts; Linux: /usr/share/fonts and
// ~/.fonts) when no file is chosen for the role.
var GongwenFontFiles = map[string][]string{
	FontBody:     {"simfang.ttf", "FangSong_GB2312.ttf", "fangsong_gb2312.ttf"},
	FontHeading2: {"simkai.ttf", "KaiTi_GB2312.ttf", "kaiti_gb2312.ttf"},
	FontHeading1: {"simhei.ttf"},
	FontTitle:    {"FZXBSJW.TTF", "方正小标宋简体.ttf", "FZXiaoBiaoSong-B05S.ttf"},
}

// FindGongwenFonts gives each role the first usable installed 公文 font
// found in dirs (GongwenFontFiles); a role found nowhere keeps no data and
// is drawn in its bundled face.
func FindGongwenFonts(dirs []string) GongwenFonts {
	var f GongwenFonts
	for _, r := range f.roles() {
		*r.face = FindInstalledFace(dirs, r.key)
	}
	return f
}

// FindInstalledFace is the first usable installed font of role in dirs,
// or a Face without data.
func FindInstalledFace(dirs []string, role string) Face {
	for _, d := range dirs {
		for _, n := range GongwenFontFiles[role] {
			p := filepath.Join(d, n)
			if _, err := os.Stat(p); err != nil {
				continue
			}
			if face, err := LoadGongwenFont(p); err == nil {
				return face
			}
		}
	}
	return Face{}
}

// Why a font file cannot be a 公文 face.
const (
	FontUnreadable  = iota + 1 // the file cannot be read
	FontTooLarge               // larger than MaxFontFile
	FontNotAFont               // no TrueType or OpenType data
	FontCFF                    // OpenType with PostScript (CFF) outlines, which a PDF of ours cannot embed
	FontLacksGB2312            // lacks characters a 公文 needs
)

// MaxFontFile is the largest font file read (a full 宋体 collection is
// about 18 MB).
const MaxFontFile = 64 << 20

// FontError says why a font file was refused.
type FontError struct {
	Path    string
	Reason  int    // FontUnreadable …
	Faces   int    // the faces of a collection (1 for a single font)
	Missing []rune // FontLacksGB2312: what the best face lacks
	Err     error  // FontUnreadable, FontNotAFont: the cause
}

func (e *FontError) Error() string {
	switch e.Reason {
	case FontUnreadable:
		return fmt.Sprintf("%s: %v", e.Path, e.Err)
	case FontTooLarge:
		return fmt.Sprintf("%s: larger than %d MB", e.Path, MaxFontFile>>20)
	case FontCFF:
		return fmt.Sprintf("%s: PostScript (CFF) outlines, a TrueType font is needed", e.Path)
	case FontLacksGB2312:
		return fmt.Sprintf("%s: lacks %d characters of GB 2312 (%s)", e.Path, len(e.Missing), MissingSample(e.Missing))
	}
	return fmt.Sprintf("%s: not a font: %v", e.Path, e.Err)
}

func (e *FontError) Unwrap() error { return e.Err }

// MissingSample is the first few of missing, for a message.
func MissingSample(missing []rune) string {
	if len(missing) > 12 {
		return string(missing[:12]) + "…"
	}
	return string(missing)
}

// gongwenNeeds is what a 公文 face must draw: the 6,763 hanzi of GB 2312
// and the marks of a 公文.
func gongwenNeeds() []rune {
	var out []rune
	for _, r := range charset.Named("gb2312") {
		if unicode.Is(unicode.Han, r) {
			out = append(out, r)
		}
	}
	return append(out, []rune("〔〕（）：；，。、“”《》—…")...)
}

// LoadGongwenFont reads a font file (.ttf, .otf, or a .ttc collection)
// for a 公文 role: the first face with TrueType outlines that draws every
// hanzi of GB 2312 and the 公文's marks, as a standalone font. Anything
// else is a *FontError.
func LoadGongwenFont(path string) (Face, error) {
	file, err := os.Open(path)
	if err != nil {
		return Face{}, &FontError{Path: path, Reason: FontUnreadable, Err: err}
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, MaxFontFile+1))
	if err != nil {
		return Face{}, &FontError{Path: path, Reason: FontUnreadable, Err: err}
	}
	if len(data) > MaxFontFile {
		return Face{}, &FontError{Path: path, Reason: FontTooLarge}
	}
	n := sfnt.Faces(data)
	refusal := &FontError{Path: path, Reason: FontNotAFont, Faces: n}
	if n < 1 || n > 64 {
		refusal.Err = fmt.Errorf("a collection of %d faces", n)
		return Face{}, refusal
	}
	needs := gongwenNeeds()
	for i := 0; i < n; i++ {
		f, err := sfnt.Parse(data, i)
		if err != nil {
			if strings.Contains(err.Error(), "CFF") && refusal.Reason == FontNotAFont {
				refusal.Reason = FontCFF
			}
			if refusal.Err == nil {
				refusal.Err = err
			}
			continue
		}
		var missing []rune
		for _, r := range needs {
			if !f.Has(r) {
				missing = append(missing, r)
			}
		}
		if len(missing) > 0 {
			if refusal.Reason != FontLacksGB2312 || len(missing) < len(refusal.Missing) {
				refusal.Reason, refusal.Missing = FontLacksGB2312, missing
			}
			continue
		}
		face := Face{Data: data, Path: path, Index: i}
		if n > 1 {
			face.Data = f.Bytes()
		}
		face.Family, face.ChineseName = f.Name(1)
		face.PostScript, _ = f.Name(6)
		if face.Family == "" {
			face.Family = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		}
		return face, nil
	}
	if refusal.Err == nil && refusal.Reason == FontNotAFont {
		refusal.Err = errors.New("no usable face")
	}
	return Face{}, refusal
}
