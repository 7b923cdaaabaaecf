package assets_test

import (
	"bytes"
	"encoding/json"
	"image/png"
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
