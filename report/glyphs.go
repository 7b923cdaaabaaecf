package report

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"

	"mingcha/assets"
	"mingcha/inspect"
	"mingcha/internal/sfnt"
)

// faces are WQY MicroHei and its fallbacks, the parts of assets.TextFont,
// parsed once: asking them is much cheaper than building the merged face,
// which a report needs only when its text goes beyond WQY MicroHei.
var faces = sync.OnceValues(func() ([]*sfnt.Font, error) {
	var out []*sfnt.Font
	for _, b := range append([][]byte{assets.FontTTF()}, assets.FallbackFonts()...) {
		f, err := sfnt.Parse(b, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
})

// drawable reports whether the primary face has r, and whether any face has.
func drawable(fs []*sfnt.Font, r rune) (primary, any bool) {
	for i, f := range fs {
		if f.Has(r) {
			return i == 0, true
		}
	}
	return false, false
}

// reportFont is the font a report of this text is drawn with: WQY MicroHei
// when it has every character (most reports), else the merged face.
func reportFont(text string) []byte {
	fs, err := faces()
	if err != nil {
		return assets.TextFont()
	}
	for _, r := range text {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			continue
		}
		if primary, _ := drawable(fs, r); !primary {
			return assets.TextFont()
		}
	}
	return assets.FontTTF()
}

// MissingGlyphs returns, once each and in order of appearance, the
// characters of text that no bundled font can draw: the report would show
// them as empty boxes, so the export paths name them in a warning first.
// Line breaks, tabs and other controls are not drawn and never missing.
func MissingGlyphs(text string) []rune {
	fs, err := faces()
	if err != nil {
		return nil // the package tests parse the faces; nothing to name
	}
	seen := map[rune]bool{}
	var out []rune
	for _, r := range text {
		if seen[r] || unicode.IsControl(r) || unicode.IsSpace(r) {
			continue
		}
		if _, ok := drawable(fs, r); ok {
			continue
		}
		seen[r] = true
		out = append(out, r)
	}
	return out
}

// InspectionMissingGlyphs is MissingGlyphs over every text of an
// inspection that its report prints: unit, place, inspectors, template,
// answers, notes, absent persons, findings, problems, signatures, the
// unit's 签收.
func InspectionMissingGlyphs(in *inspect.Inspection) []rune {
	if in == nil {
		return nil
	}
	return MissingGlyphs(inspectionText(in))
}

// inspectionText is every text of an inspection its report prints.
func inspectionText(in *inspect.Inspection) string {
	var b strings.Builder
	add := func(s ...string) {
		for _, v := range s {
			b.WriteString(v)
			b.WriteByte('\n')
		}
	}
	add(in.Unit.Name, in.Unit.Department, in.Unit.Address, in.Place, in.Amends, in.ID)
	add(in.Inspectors...)
	add(in.Template.Title)
	for _, sec := range in.Template.Sections {
		add(sec.Title)
		for _, it := range sec.Items {
			add(it.Code, it.Text, it.Unit)
		}
	}
	codes := make([]string, 0, len(in.Answers))
	for code := range in.Answers {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		a := in.Answers[code]
		if a == nil {
			continue
		}
		add(a.Note, a.Text, a.Choice)
		for _, p := range a.Absent {
			add(p.Name, p.Post)
		}
	}
	for _, f := range in.Findings {
		add(f.Text, f.Category)
	}
	for _, p := range in.Problems {
		add(p.Description, p.Responsible)
	}
	for _, s := range in.Signatures {
		add(s.Inspector)
	}
	if rc := in.Receipt; rc != nil {
		add(rc.Name, rc.Post, rc.Text)
	}
	return b.String()
}

// RuneList names characters for a warning, each with its code point (the
// character itself may not show where the warning is read):
// "𠀀 (U+20000), 😀 (U+1F600)".
func RuneList(rs []rune) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%c (U+%04X)", r, r)
	}
	return strings.Join(parts, ", ")
}
