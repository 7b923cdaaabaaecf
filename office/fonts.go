package office

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"fyne.io/fyne/v2/lang"

	"mingcha/docx"
	"mingcha/report"
)

// The 公文 fonts: per role (标题 小标宋, 正文 仿宋, 一级标题 黑体, 二级标题
// 楷体) the font file the office chose (Settings, `office config
// --font-…`), else its installed 公文 font found by name, else the bundled
// face. Every 公文 the office writes (通报, 整改通知书, 催办) uses them.

// SettingGongwenFonts holds the chosen font files: role → path.
const SettingGongwenFonts = "office.gongwen_fonts"

// FontChoice is what a role's face is and why.
type FontChoice struct {
	Role   string      // report.FontTitle …
	Chosen string      // the file chosen for the role; "": automatic
	Face   report.Face // the face used (Path "" for the bundled one)
	// Problem: the chosen file cannot be used now (moved, changed); the
	// face is the automatic one meanwhile.
	Problem error
}

// RoleName is a role's name for people, e.g. 正文（仿宋）.
func RoleName(role string) string {
	switch role {
	case report.FontTitle:
		return lang.L("Title (Xiaobiaosong)")
	case report.FontBody:
		return lang.L("Body text (FangSong)")
	case report.FontHeading1:
		return lang.L("First-level headings (HeiTi)")
	case report.FontHeading2:
		return lang.L("Second-level headings (KaiTi)")
	}
	return role
}

// Describe says which font the role uses now: the chosen or installed
// file and its face, or the bundled face.
func (c FontChoice) Describe() string {
	var s string
	switch {
	case c.Face.Bundled():
		s = lang.L("bundled font {{.Name}}", map[string]any{"Name": c.Face.DisplayName()})
	case c.Chosen != "" && c.Problem == nil:
		s = lang.L("chosen: {{.Path}} ({{.Name}})", map[string]any{"Path": c.Face.Path, "Name": c.Face.DisplayName()})
	default:
		s = lang.L("installed: {{.Path}} ({{.Name}})", map[string]any{"Path": c.Face.Path, "Name": c.Face.DisplayName()})
	}
	if c.Problem != nil {
		s = lang.L("the chosen font cannot be used ({{.Reason}}), so: {{.Used}}", map[string]any{"Reason": c.Problem.Error(), "Used": s})
	}
	return s
}

// chosenFonts is the stored role → path map.
func (o *Office) chosenFonts() (map[string]string, error) {
	m := map[string]string{}
	if _, err := o.Store.Setting(SettingGongwenFonts, &m); err != nil {
		return nil, err
	}
	if m == nil {
		m = map[string]string{}
	}
	return m, nil
}

// GongwenFonts is, for every role in report.FontRoles order, the face the
// office's 公文 use now.
func (o *Office) GongwenFonts() ([]FontChoice, error) {
	chosen, err := o.chosenFonts()
	if err != nil {
		return nil, err
	}
	out := make([]FontChoice, 0, len(report.FontRoles))
	for _, role := range report.FontRoles {
		out = append(out, o.fontChoice(role, chosen[role]))
	}
	return out, nil
}

func (o *Office) fontChoice(role, path string) FontChoice {
	c := FontChoice{Role: role, Chosen: path}
	if path != "" {
		face, err := loadFace(path)
		if err == nil {
			c.Face = face
			return c
		}
		c.Problem = fontRefusal(err)
	}
	c.Face = report.FindInstalledFace(GongwenFontDirs(), role)
	if c.Face.Data == nil {
		c.Face = report.BundledFace(role)
	}
	return c
}

// SetGongwenFont chooses the font file of a role ("" or "auto": back to
// automatic). A file that is no usable 公文 font is refused with the reason
// in the user's language, and the previous choice stays.
func (o *Office) SetGongwenFont(who, role, path string) (FontChoice, error) {
	if !isFontRole(role) {
		return FontChoice{}, fmt.Errorf("unknown 公文 font role %q", role)
	}
	path = strings.TrimSpace(path)
	if strings.EqualFold(path, "auto") {
		path = ""
	}
	if path != "" {
		if _, err := loadFace(path); err != nil {
			return FontChoice{}, &refusedFont{why: fontRefusal(err), cause: err}
		}
	}
	chosen, err := o.chosenFonts()
	if err != nil {
		return FontChoice{}, err
	}
	if path == "" {
		delete(chosen, role)
	} else {
		chosen[role] = path
	}
	if err := o.Store.PutSetting(who, SettingGongwenFonts, chosen); err != nil {
		return FontChoice{}, err
	}
	forgetFaces(chosen)
	return o.fontChoice(role, path), nil
}

// refusedFont is a font file refused for a role: why, in the user's
// language, and that the previous choice stays; it unwraps to the
// *report.FontError.
type refusedFont struct {
	why, cause error
}

func (e *refusedFont) Error() string {
	return e.why.Error() + " " + lang.L("The previous font choice is kept.")
}

func (e *refusedFont) Unwrap() error { return e.cause }

func isFontRole(role string) bool {
	for _, r := range report.FontRoles {
		if r == role {
			return true
		}
	}
	return false
}

// pdfFonts are the faces for rendering a 公文, and the roles whose chosen
// file cannot be used now (moved, deleted, changed): those are drawn in
// their automatic face, and whoever writes the document is told.
func (o *Office) pdfFonts() (report.GongwenFonts, []FontChoice, error) {
	all, err := o.GongwenFonts()
	if err != nil {
		return report.GongwenFonts{}, nil, err
	}
	var f report.GongwenFonts
	var fallbacks []FontChoice
	for _, c := range all {
		*f.Role(c.Role) = c.Face
		if c.Problem != nil {
			fallbacks = append(fallbacks, c)
		}
	}
	return f, fallbacks, nil
}

// Fallback says, for a document just written, that the role's chosen font
// could not be used and which face the document has instead; "" when the
// chosen font (or the automatic one) served.
func (c FontChoice) Fallback() string {
	if c.Problem == nil {
		return ""
	}
	auto := c
	auto.Chosen, auto.Problem = "", nil
	return lang.L("{{.Role}}: the chosen font cannot be used ({{.Reason}}); this document uses {{.Used}} instead.", map[string]any{
		"Role": RoleName(c.Role), "Reason": c.Problem.Error(), "Used": auto.Describe()})
}

// FontFallbacks are the Fallback sentences of fs, one a line.
func FontFallbacks(fs []FontChoice) string {
	var lines []string
	for _, c := range fs {
		if t := c.Fallback(); t != "" {
			lines = append(lines, t)
		}
	}
	return strings.Join(lines, "\n")
}

// docxFonts are the font names a .docx's styles give: a chosen face by its
// family name (Chinese where it has one), an automatic role by the name of
// the Windows 公文 font (WPS and Word substitute what is not installed).
func (o *Office) docxFonts() (docx.Fonts, error) {
	f := docx.DefaultFonts
	chosen, err := o.chosenFonts()
	if err != nil {
		return f, err
	}
	for role, path := range chosen {
		face, err := loadFace(path)
		if err != nil {
			continue
		}
		name := face.DisplayName()
		switch role {
		case report.FontTitle:
			f.Title = name
		case report.FontBody:
			f.FangSong = name
		case report.FontHeading1:
			f.HeiTi = name
		case report.FontHeading2:
			f.KaiTi = name
		}
	}
	return f, nil
}

// faces caches loaded font files, one version per path (its size and
// modification time): a batch of 整改通知书 reads a chosen 20 MB 宋体 once.
// A file that changed replaces its old version, and a path no role chooses
// any more is dropped when a choice changes (forget), so the cache holds at
// most the files chosen now (four, each at most report.MaxFontFile).
var faces = struct {
	sync.Mutex
	m map[string]cachedFace
}{m: map[string]cachedFace{}}

type cachedFace struct {
	size, mod int64
	face      report.Face
}

func loadFace(path string) (report.Face, error) {
	info, err := os.Stat(path)
	if err != nil {
		return report.Face{}, &report.FontError{Path: path, Reason: report.FontUnreadable, Err: err}
	}
	size, mod := info.Size(), info.ModTime().UnixNano()
	faces.Lock()
	c, ok := faces.m[path]
	faces.Unlock()
	if ok && c.size == size && c.mod == mod {
		return c.face, nil
	}
	face, err := report.LoadGongwenFont(path)
	if err != nil {
		return face, err
	}
	faces.Lock()
	faces.m[path] = cachedFace{size: size, mod: mod, face: face}
	faces.Unlock()
	return face, nil
}

// forgetFaces drops the cached files of the paths not in keep.
func forgetFaces(keep map[string]string) {
	faces.Lock()
	defer faces.Unlock()
	for path := range faces.m {
		chosen := false
		for _, p := range keep {
			chosen = chosen || p == path
		}
		if !chosen {
			delete(faces.m, path)
		}
	}
}

// fontRefusal is why a font file cannot serve, in the user's language.
func fontRefusal(err error) error {
	var fe *report.FontError
	if !errors.As(err, &fe) {
		return err
	}
	args := map[string]any{"Path": fe.Path, "Faces": fe.Faces, "Count": len(fe.Missing), "Sample": report.MissingSample(fe.Missing), "MB": report.MaxFontFile >> 20}
	switch fe.Reason {
	case report.FontUnreadable:
		if errors.Is(fe.Err, os.ErrNotExist) {
			return errors.New(lang.L("The font file {{.Path}} does not exist.", args))
		}
		args["Err"] = fe.Err.Error()
		return errors.New(lang.L("The font file {{.Path}} cannot be read: {{.Err}}", args))
	case report.FontTooLarge:
		return errors.New(lang.L("{{.Path}} is larger than {{.MB}} MB: not a font file.", args))
	case report.FontCFF:
		if fe.Faces > 1 {
			return errors.New(lang.L("{{.Path}} is a collection of {{.Faces}} fonts without a usable one: they have PostScript (CFF) outlines, which cannot be embedded; choose a TrueType font.", args))
		}
		return errors.New(lang.L("{{.Path}} has PostScript (CFF) outlines, which cannot be embedded; choose a TrueType font.", args))
	case report.FontLacksGB2312:
		if fe.Faces > 1 {
			return errors.New(lang.L("{{.Path}} is a collection of {{.Faces}} fonts without a usable one: each lacks characters of GB 2312 an official document needs (the best lacks {{.Count}}, e.g. {{.Sample}}).", args))
		}
		return errors.New(lang.L("{{.Path}} lacks {{.Count}} characters of GB 2312 an official document needs (e.g. {{.Sample}}).", args))
	}
	if fe.Faces > 1 {
		return errors.New(lang.L("{{.Path}} is a collection of {{.Faces}} fonts without a usable one (TrueType outlines are needed).", args))
	}
	return errors.New(lang.L("{{.Path}} is not a usable font file (a TrueType .ttf, .ttc or .otf is needed).", args))
}
