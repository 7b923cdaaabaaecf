package sfnt_test

import (
	"bytes"
	"testing"

	"mingcha/assets"
	"mingcha/internal/sfnt"
)

func mustParse(t *testing.T, b []byte) *sfnt.Font {
	t.Helper()
	f, err := sfnt.Parse(b, 0)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSubset(t *testing.T) {
	wqy := mustParse(t, assets.FontTTF())
	chars := []rune("明察Aé\U0010FFFD")
	out, missing, err := wqy.Subset(chars)
	if err != nil {
		t.Fatal(err)
	}
	if string(missing) != "\U0010FFFD" {
		t.Errorf("missing = %q, want only U+10FFFD", string(missing))
	}
	sub := mustParse(t, out)
	for _, c := range "明察Aé" {
		if !sub.Has(c) || sub.Advance(c) != wqy.Advance(c) {
			t.Errorf("%q: in subset %v, advance %d, want %d", c, sub.Has(c), sub.Advance(c), wqy.Advance(c))
		}
	}
	if sub.Has('区') || sub.NumGlyphs() > 12 {
		t.Errorf("subset keeps more than asked: %d glyphs", sub.NumGlyphs())
	}
	again, _, _ := wqy.Subset(chars)
	if !bytes.Equal(out, again) {
		t.Error("the same subset twice gives different bytes")
	}
}

// TestMerge: characters beyond the BMP survive (cmap format 12), the
// primary's glyphs win, and a fallback's metrics are scaled to the
// primary's em (Droid Sans Fallback has 256 units, WQY MicroHei 2048).
func TestMerge(t *testing.T) {
	wqy := mustParse(t, assets.FontTTF())
	fbs := assets.FallbackFonts()
	droid, bsh := mustParse(t, fbs[0]), mustParse(t, fbs[1])
	merged := mustParse(t, mustMerge(t, wqy, droid, bsh))
	for _, c := range "区A" {
		if merged.Advance(c) != wqy.Advance(c) {
			t.Errorf("%q: advance %d, want WQY's %d", c, merged.Advance(c), wqy.Advance(c))
		}
	}
	scale := wqy.UnitsPerEm() / droid.UnitsPerEm()
	if c := '䶮'; wqy.Has(c) || !droid.Has(c) || merged.Advance(c) != droid.Advance(c)*scale {
		t.Errorf("䶮: advance %d, want Droid's %d × %d", merged.Advance(c), droid.Advance(c), scale)
	}
	for _, c := range "𬌗𠀀𪚥" {
		if !merged.Has(c) {
			t.Errorf("merged face lacks %q (U+%X)", c, c)
		}
	}
}

func mustMerge(t *testing.T, p *sfnt.Font, fb ...*sfnt.Font) []byte {
	t.Helper()
	b, err := sfnt.Merge(p, fb...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func FuzzParse(f *testing.F) {
	sub, _, _ := mustParseF(f).Subset([]rune("明A"))
	f.Add(sub)
	f.Fuzz(func(t *testing.T, data []byte) {
		font, err := sfnt.Parse(data, 0)
		if err != nil {
			return
		}
		font.Subset(font.Chars())
		sfnt.Merge(font, font)
	})
}

func mustParseF(f *testing.F) *sfnt.Font {
	font, err := sfnt.Parse(assets.FontTTF(), 0)
	if err != nil {
		f.Fatal(err)
	}
	return font
}
