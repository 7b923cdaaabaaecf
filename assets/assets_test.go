package assets_test

import (
	"bytes"
	"encoding/json"
	"image/png"
	"strings"
	"testing"

	"mingcha/assets"
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
