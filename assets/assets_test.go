package assets_test

import (
	"bytes"
	"encoding/json"
	"image/png"
	"slices"
	"strings"
	"testing"
	"unicode"

	"mingcha/assets"
	"mingcha/inspect"
	"mingcha/internal/charset"
	"mingcha/internal/sfnt"
)

func TestFontTTF(t *testing.T) {
	ttf := assets.FontTTF()
	// A standalone TrueType font, not the collection ("ttcf") it came from.
	if len(ttf) < 1<<20 || !bytes.HasPrefix(ttf, []byte{0, 1, 0, 0}) {
		t.Errorf("FontTTF: %d bytes starting %q, want a TrueType font", len(ttf), ttf[:min(4, len(ttf))])
	}
}

func TestIcon(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(assets.Icon()))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 256 || b.Dy() != 256 {
		t.Errorf("icon is %v, want 256×256", b.Size())
	}
}

func TestTemplateFiles(t *testing.T) {
	files := assets.TemplateFiles()
	if len(files) == 0 {
		t.Fatal("no default templates embedded")
	}
	for name, data := range files {
		if strings.Contains(name, "/") || !strings.HasSuffix(name, ".json") {
			t.Errorf("template file name %q, want a base name ending .json", name)
		}
		if !json.Valid(data) {
			t.Errorf("%s is not valid JSON", name)
		}
	}
}

func TestTranslations(t *testing.T) {
	for _, name := range []string{"translations/en.json", "translations/zh-Hans.json"} {
		data, err := assets.Translations.ReadFile(name)
		if err != nil {
			t.Error(err)
			continue
		}
		var messages map[string]any
		if err := json.Unmarshal(data, &messages); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// chineseData is the Chinese an English translation may hold: data, never
// a gloss. A Chinese term of the 公文 system in an English sentence is said
// in English, one word each (通报 bulletin, 整改 rectification, 整改通知书
// rectification notice, 整改报告 rectification report, 延期 extension, 回访
// follow-up visit, 重复问题 repeated problem, 一票否决 veto, 抽签 draw, 明查/暗访
// open/covert, 效能办 the office, 正文 body text, 版头/落款 header/signature
// line, 版记's 抄送 who gets a copy, 主送机关 addressees, 文号 document
// number, 校样 proof, 未数字签名 not digitally signed). Chinese stays only
// where the user must type it or will see it printed so.
var chineseData = []string{
	// A roster spreadsheet's column headers, unit kinds and staff list, as
	// the user types them (sheet reads exactly these).
	"王芳/科长/3号窗口；李强//4号窗口", "单位名称", "编号", "所属部门", "单位类型", "地址", "人员名单",
	"机关科室", "服务窗口", "行政服务中心", "其他", "；",
	// Examples of what a field takes, printed as typed in a Chinese document
	// (a template's rating bands, unit and category; a 公文's contact line,
	// issuing office, copies and 文号).
	"优秀 90；良好 80；合格 60；不合格 0", "分钟", "胸牌",
	"联系人：王明，电话：0571-88886666", "区机关效能建设办公室", "区纪委监委，区委组织部",
	"效能整改〔2026〕3号", "效能通〔2026〕5号",
	// What the program itself prints in Chinese: a 通报's default title and
	// addressees, a notice's file name, the demo key's certificate name.
	"关于<period>机关服务效能明查暗访情况的通报", "关于…机关服务效能明查暗访情况的通报", "各有关单位",
	"整改通知书-<unit>.pdf", "演示检查员",
}

// TestEnglishKeepsOnlyChineseData: no English translation has Chinese but
// the data of chineseData, and every entry there is still needed.
func TestEnglishKeepsOnlyChineseData(t *testing.T) {
	data, err := assets.Translations.ReadFile("translations/en.json")
	if err != nil {
		t.Fatal(err)
	}
	var messages map[string]any
	if err := json.Unmarshal(data, &messages); err != nil {
		t.Fatal(err)
	}
	chinese := func(r rune) bool {
		return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
	}
	// Longest first: "；" alone must not eat the one inside a longer example.
	allowed := slices.Clone(chineseData)
	slices.SortFunc(allowed, func(a, b string) int { return len(b) - len(a) })
	used := map[string]bool{}
	for key, v := range messages {
		forms, ok := v.(map[string]any) // a plural's forms
		if !ok {
			forms = map[string]any{"": v}
		}
		for _, f := range forms {
			rest, _ := f.(string)
			for _, d := range allowed {
				if strings.Contains(rest, d) {
					used[d] = true
					rest = strings.ReplaceAll(rest, d, "")
				}
			}
			if strings.IndexFunc(rest, chinese) >= 0 {
				t.Errorf("en.json %q has Chinese that is not data: %q", key, f)
			}
		}
	}
	for _, d := range chineseData {
		if !used[d] {
			t.Errorf("%q is allowed in English but no translation has it", d)
		}
	}
}

// TestBundledTemplatesValid: every shipped template passes the validator,
// is on a 100-point scale whose item deductions add up to exactly 100, and
// the three topical ones hold at least 35 items with guidance.
func TestBundledTemplatesValid(t *testing.T) {
	files := assets.TemplateFiles()
	topical := 0
	for _, name := range []string{"sipai.json", "jilv.json", "chuangkou.json", "combined.json"} {
		data, ok := files[name]
		if !ok {
			t.Fatalf("%s is not bundled", name)
		}
		tpl, err := inspect.ParseTemplate(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if tpl.FullScore != 100 {
			t.Errorf("%s: full score %g", name, tpl.FullScore)
		}
		if w := tpl.Warnings(); len(w) > 0 {
			t.Errorf("%s: %v", name, w)
		}
		for _, it := range tpl.Items() {
			if len([]rune(it.Guidance)) < 10 {
				t.Errorf("%s %s: guidance too thin: %q", name, it.Code, it.Guidance)
			}
		}
		if name != "combined.json" {
			topical += len(tpl.Items())
		}
	}
	if topical < 35 {
		t.Fatalf("only %d items in the topical templates", topical)
	}
}

// Every item of the default templates that can fail says how its failure
// reads in a 通报 (never the standard, never the guidance), and the
// templates carry no warning.
func TestTemplatesProblemWording(t *testing.T) {
	for name, data := range assets.TemplateFiles() {
		tpl, err := inspect.ParseTemplate(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if w := tpl.Warnings(); len(w) > 0 {
			t.Errorf("%s: warnings %q", name, w)
		}
		for _, it := range tpl.Items() {
			if !it.CanFail() {
				if it.Problem != "" {
					t.Errorf("%s %s: problem wording on an item that cannot fail", name, it.Code)
				}
				continue
			}
			w := it.ProblemWording()
			if it.Problem == "" || strings.Contains(it.Guidance, w) || strings.Contains(w, "记录") {
				t.Errorf("%s %s: problem wording %q (text %q)", name, it.Code, it.Problem, it.Text)
			}
		}
	}
}

// TestFontsCover checks each bundled font against the character set it was
// cut to (tools/subsetfont/bundled.sh): the 公文 faces hold all of GB 2312,
// the merged text face GB 18030-2022 implementation level 2.
func TestFontsCover(t *testing.T) {
	cases := []struct {
		name string
		font []byte
		sets []string
		also string
		// except: GB 2312 characters the source font does not draw.
		// AR PL UMing and UKai have no FULLWIDTH MACRON (A3FE).
		except string
	}{
		{"FontGongwenSong", assets.FontGongwenSong(), []string{"gb2312"}, "〔〕（）：；，。、“”《》—…", "￣"},
		{"FontGongwenKai", assets.FontGongwenKai(), []string{"gb2312"}, "〔〕（）：；，。、“”《》—…", "￣"},
		{"TextFont", assets.TextFont(), []string{"gb2312", "gbk-han", "ext-a", "tgh-smp"}, "𠀀𪚥𬌗䶮㛃喆堃龘國😀ÄЖα", ""},
	}
	for _, c := range cases {
		f, err := sfnt.Parse(c.font, 0)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var missing []rune
		for _, set := range c.sets {
			chars := charset.Named(set)
			if len(chars) == 0 {
				t.Fatalf("no set %q", set)
			}
			for _, r := range chars {
				if !f.Has(r) && !unicode.IsSpace(r) && !strings.ContainsRune(c.except, r) {
					missing = append(missing, r)
				}
			}
		}
		for _, r := range c.also {
			if !f.Has(r) {
				missing = append(missing, r)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s lacks %d characters: %q", c.name, len(missing), string(missing[:min(len(missing), 40)]))
		}
	}
}

// TestTextFontKeepsWQYGlyphs: merging drops none of WQY MicroHei's characters.
func TestTextFontKeepsWQYGlyphs(t *testing.T) {
	wqy, err := sfnt.Parse(assets.FontTTF(), 0)
	if err != nil {
		t.Fatal(err)
	}
	merged, err := sfnt.Parse(assets.TextFont(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range wqy.Chars() {
		if !merged.Has(r) {
			t.Fatalf("merged face lost U+%04X", r)
		}
	}
	if len(merged.Chars()) <= len(wqy.Chars())+6000 {
		t.Errorf("merged face maps %d characters, WQY alone %d: fallbacks missing", len(merged.Chars()), len(wqy.Chars()))
	}
}

// TestCompleteFont: the 公文 face cut to GB 2312 gains exactly the glyphs
// a document needs beyond it.
func TestCompleteFont(t *testing.T) {
	song := assets.FontGongwenSong()
	same, err := assets.CompleteFont(song, "区行政服务中心")
	if err != nil || !bytes.Equal(same, song) {
		t.Errorf("nothing missing: %d bytes, %v; want the font unchanged", len(same), err)
	}
	out, err := assets.CompleteFont(song, "郑𬌗、张堃：区行政服务中心\U0010FFFD")
	if err != nil {
		t.Fatal(err)
	}
	f, err := sfnt.Parse(out, 0)
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := sfnt.Parse(song, 0)
	for _, r := range "郑𬌗堃区" {
		if !f.Has(r) {
			t.Errorf("completed font lacks %q", r)
		}
	}
	if f.Has('\U0010FFFD') || f.NumGlyphs() > orig.NumGlyphs()+10 {
		t.Errorf("completed font has %d glyphs (the face %d): more than the document needs", f.NumGlyphs(), orig.NumGlyphs())
	}
	if f.Advance('区') != orig.Advance('区') {
		t.Error("the face's own glyphs changed")
	}
}
